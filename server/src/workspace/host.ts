// The project façade's host on Node: file kinds from the disk, node:path for paths, and texts
// from a reader the front end chooses (the editor's copies for the server, the disk for the CLI).

import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ProjectHost } from '../project';
import { readDecoded } from './files';

function fileKind(p: string): 'file' | 'directory' | undefined {
  try {
    const s = statSync(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : undefined;
  } catch {
    return undefined;
  }
}

const NODE_PATHS: ProjectHost['paths'] = {
  dirname,
  join,
  resolve,
  isInside(path, dir) {
    const rel = relative(resolve(dir), resolve(path));
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  },
};

/** A host whose texts come from `read` (undefined: unreadable). */
export function nodeHost(read: (path: string) => { text: string; key: string } | undefined): ProjectHost {
  return { read, kind: fileKind, paths: NODE_PATHS };
}

/** A host that reads from disk, each file once (the CLI: nothing changes while it runs). */
export function diskHost(): ProjectHost {
  const texts = new Map<string, { text: string; key: string } | undefined>();
  return nodeHost((path) => {
    if (!texts.has(path)) {
      let got: { text: string; key: string } | undefined;
      try {
        got = { text: readDecoded(path).text, key: 'disk' };
      } catch {
        got = undefined;
      }
      texts.set(path, got);
    }
    return texts.get(path);
  });
}
