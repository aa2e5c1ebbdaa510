// Quick-fix round trip over the real exports in ../shared/corpus/real (runs from .ci/run, like the
// conformance suite): every fix of every finding, applied alone, must leave a well-formed sequence
// without that finding and without new errors, touching only what it inserts or replaces. Each
// export is checked twice: without a site description, and with a small one generated from it
// (`cmts site init`, then every other item dropped and one client package, USMT package, boot image
// and state migration point added) so the site fixes (replace, stub, boot image) run too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generatedSite } from './generatedSite';
import { loadSite } from '../../server/src/site';
import { formatStats, newStats, roundTrip } from '../unit/helpers/roundTrip';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');
void test('corpus: every fix of every finding round-trips, with and without a site description', () => {
  assert.ok(existsSync(CORPUS), `corpus folder ${CORPUS} is missing: this suite needs ../shared/corpus/real beside the repository (run it from .ci/run)`);
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort();
  assert.ok(files.length > 0);
  const bare = newStats();
  const withSite = newStats();
  const sitePath = path.join(CORPUS, 'configmgr-site.json');
  for (const file of files) {
    const p = path.join(CORPUS, file);
    const text = readFileSync(p, 'utf8');
    const doc = { name: file, path: p, text, newConfigPath: path.join(CORPUS, '.cmts.json') };
    roundTrip(doc, bare);
    const siteText = generatedSite(file, text);
    assert.deepEqual(loadSite(siteText).problems.map((x) => x.message), [], `${file}: the generated site description is valid`);
    roundTrip({ ...doc, site: { path: sitePath, text: siteText } }, withSite);
  }
  console.log(formatStats('corpus, no site description', bare));
  console.log(formatStats('corpus, generated site description', withSite));
  assert.deepEqual([...bare.failures, ...withSite.failures], []);
  assert.ok(bare.applied > 0 && withSite.applied > 0);
});
