// Where a check's documentation is: the docs/rules.md shipped with the package, as a file URI
// with the check's anchor. cmts is offline, so it links to its own copy rather than a website.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

let cached: string | undefined;

/** file:// URI of docs/rules.md, found next to the bundle (dist/../docs) or the sources. */
export function rulesDocUri(): string {
  if (cached) return cached;
  const candidates = [path.resolve(__dirname, '../docs/rules.md'), path.resolve(__dirname, '../../../docs/rules.md'), path.resolve(__dirname, '../../docs/rules.md')];
  const found = candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
  cached = pathToFileURL(found).href;
  return cached;
}

export function ruleDocUrl(id: string): string {
  return `${rulesDocUri()}#${id}`;
}
