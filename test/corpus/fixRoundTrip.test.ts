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
import { catalog } from '../../server/src/catalog';
import { parseTaskSequence } from '../../server/src/model/parse';
import { initSite } from '../../server/src/site/init';
import { loadSite } from '../../server/src/site';
import { formatStats, newStats, roundTrip } from '../unit/helpers/roundTrip';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');
const COLLECTIONS = ['bootImages', 'operatingSystemImages', 'operatingSystemInstallers', 'driverPackages', 'packages', 'applications'];

/** A site description for one export: what it names, half of it missing, plus the items fixes fill in. */
export function generatedSite(file: string, text: string): string {
  const { model } = parseTaskSequence(text);
  const site = JSON.parse(initSite([{ file, model, text }], catalog)) as Record<string, unknown>;
  const info = site.site as { code: string };
  const code = /^[A-Za-z0-9]{3}$/.test(info.code) ? info.code : 'CMT';
  const cb = Number.parseFloat(model.sequence?.version ?? '') >= 3.1;
  site.site = cb ? { code, product: 'ConfigMgr CB', version: '2309' } : { code, product: 'ConfigMgr 2007', version: 'SP2' };
  for (const c of COLLECTIONS) site[c] = (site[c] as unknown[]).filter((_, i) => i % 2 === 0);
  const packages = site.packages as Record<string, unknown>[];
  packages.push({ packageId: `${code}FFC01`, name: 'Configuration Manager Client Package', kind: 'client', distributionPoints: ['DP01'] });
  packages.push({ packageId: `${code}FFC02`, name: 'User State Migration Tool for Windows', kind: 'usmt', usmtVersion: cb ? '10.0.22621.1' : '3.0.1', architecture: 'x64', distributionPoints: ['DP01'] });
  (site.bootImages as Record<string, unknown>[]).push({ packageId: `${code}FFC03`, name: 'Boot image (x64)', architecture: 'x64', windowsPEVersion: cb ? '10.0.22621.1' : '2.1', distributionPoints: ['DP01'] });
  // The export's own entry without a boot image, so a bare export gets the set-boot-image site fix.
  for (const ts of site.taskSequences as Record<string, unknown>[]) delete ts.bootImageId;
  site.siteSystems = [{ server: 'DP01', roles: [{ role: 'distributionPoint' }, { role: 'stateMigrationPoint' }, { role: 'managementPoint' }] }];
  return JSON.stringify(site, null, 2) + '\n';
}

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
