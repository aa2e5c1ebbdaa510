// Quick-fix round trip over every XML fixture and the example workspace: each fix of each finding,
// applied alone, leaves a well-formed sequence without that finding and without new errors, and
// touches nothing but what it inserts or replaces (helpers/roundTrip.ts). Each document is checked
// with the site description and .cmts.json that apply to it, as the rule fixtures and the CLI find them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { findSiteFor } from '../../server/src/workspace/discover';
import { markers } from './helpers/markers';
import { formatStats, newStats, roundTrip, type RoundTripDoc } from './helpers/roundTrip';

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

/** The file's own <base>.configmgr-site.json / <base>.cmts.json (rule fixtures), else what discovery finds under `root`. */
export function documentAt(path: string, root: string): RoundTripDoc {
  const base = join(dirname(path), basename(path, '.xml'));
  const found = findSiteFor(path, root);
  const sitePath = existsSync(`${base}.configmgr-site.json`) ? `${base}.configmgr-site.json` : found.sitePath;
  const configPath = existsSync(`${base}.cmts.json`) ? `${base}.cmts.json` : found.configPath;
  return {
    name: relative(REPO, path),
    path,
    // Marked fixtures (test/fixtures/model, the `$0` cursor of test/fixtures/fixes) are read without the markers.
    text: markers(readFileSync(path, 'utf8')).text.replace('$0', ''),
    ...(sitePath ? { site: { path: sitePath, text: readFileSync(sitePath, 'utf8') } } : {}),
    ...(configPath ? { config: { path: configPath, text: readFileSync(configPath, 'utf8') } } : {}),
    newConfigPath: join(root, '.cmts.json'),
  };
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
