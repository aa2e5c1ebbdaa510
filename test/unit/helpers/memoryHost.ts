// A project host over files held in memory (POSIX paths): the façade's pipeline without a disk.

import { posix } from 'node:path';
import type { ProjectHost } from '../../../server/src/project';

export function memoryHost(files: Record<string, string>): ProjectHost {
  return {
    read: (p) => (p in files ? { text: files[p], key: 'mem' } : undefined),
    kind: (p) => (p in files ? 'file' : Object.keys(files).some((f) => f.startsWith(p.endsWith('/') ? p : `${p}/`)) ? 'directory' : undefined),
    paths: {
      dirname: posix.dirname,
      join: posix.join,
      resolve: posix.resolve,
      isInside: (path, dir) => {
        const rel = posix.relative(dir, path);
        return rel === '' || (!rel.startsWith('..') && !posix.isAbsolute(rel));
      },
    },
  };
}
