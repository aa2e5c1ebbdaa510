// Quick-fix round trip over every XML fixture and the example workspace: each fix of each finding,
// applied alone, leaves a well-formed sequence without that finding and without new errors, and
// touches nothing but what it inserts or replaces (helpers/roundTrip.ts). Each document is checked
// with the site description and .cmts.json that apply to it, as the rule fixtures and the CLI find them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { documentAt } from './helpers/documents';
import { formatStats, newStats, roundTrip } from './helpers/roundTrip';

const REPO = join(__dirname, '..', '..');

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...xmlFiles(p));
    else if (name.endsWith('.xml')) out.push(p);
  }
  return out;
}

void test('every fix of every finding in the fixtures and examples round-trips', () => {
  const stats = newStats();
  for (const root of [join(REPO, 'test', 'fixtures'), join(REPO, 'examples')]) {
    for (const file of xmlFiles(root)) roundTrip(documentAt(file, root), stats);
  }
  console.log(formatStats('fixtures + examples', stats));
  assert.deepEqual(stats.failures, []);
  assert.ok(stats.applied > 0, 'some fixes were applied');
});
