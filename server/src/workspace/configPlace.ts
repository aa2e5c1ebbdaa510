// Where "Disable … in .cmts.json" creates the file when none applies yet: beside the site
// description that governs the sequence (so it settles that site only), not at the workspace root
// where it would silence every site below. Without a site description (or one that is not above
// the sequence, named by an explicit setting), the workspace folder, else the sequence's folder.

import { dirname, join, relative, isAbsolute } from 'node:path';

export function newConfigPathFor(file: string, sitePath: string | undefined, root: string | undefined): string {
  if (sitePath) {
    const dir = dirname(sitePath);
    const rel = relative(dir, file);
    // Discovery walks up from the sequence: a .cmts.json beside the site is found only if that folder is above it.
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return join(dir, '.cmts.json');
  }
  return join(root ?? dirname(file), '.cmts.json');
}
