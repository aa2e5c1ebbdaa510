// Reading child task sequences (Run Task Sequence targets) through the site description's
// taskSequences[].file: createSequenceResolver builds the resolver the front ends pass to the
// checks in `extra.resolveSequence`, so the CLI and the server follow children the same way.

import { parseTaskSequence } from '../model/parse';
import type { LoadedSite } from '../site/types';
import { dirOf, joinPath, type ResolvedSequence, type SequenceResolver } from './siteFacts';

/** Children over this size are not parsed (the checks' own limit; the site refuses such sequences anyway). */
const MAX_CHILD_CHARS = 16 * 1024 * 1024;

/**
 * A resolver for the site's task sequences: package ID → the taskSequences entry's `file`, read
 * with `read` (a path relative to the site description's folder, joined to it) and parsed. Each
 * file is read and parsed once. `read` returns undefined when the file cannot be read; the
 * resolver never throws.
 */
export function createSequenceResolver(site: LoadedSite, sitePath: string, read: (path: string) => string | undefined): SequenceResolver {
  const cache = new Map<string, ResolvedSequence | null>();
  const dir = dirOf(sitePath);
  return (packageId) => {
    const key = packageId.trim().toLowerCase();
    const hit = cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let out: ResolvedSequence | null = null;
    const entry = site.site.taskSequences.find((e) => e.packageId.toLowerCase() === key);
    const file = entry?.file?.trim();
    if (file) {
      const path = joinPath(dir, file);
      let text: string | undefined;
      try {
        text = read(path);
      } catch {
        text = undefined;
      }
      // Hostile input (issue 9): parsing a larger one would take long for nothing.
      if (text !== undefined && text.length <= MAX_CHILD_CHARS) out = { path, text, model: parseTaskSequence(text).model };
    }
    cache.set(key, out);
    return out ?? undefined;
  };
}
