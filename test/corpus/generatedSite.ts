// A small site description generated for one real export (the corpus suites): `cmts site init`'s
// output with every other item dropped, plus a client package, a USMT package, a boot image and a
// state migration point, so the site fixes (replace, stub, boot image) have something to offer.

import { catalog } from '../../server/src/catalog';
import { parseTaskSequence } from '../../server/src/model/parse';
import { initSite } from '../../server/src/site/init';

const COLLECTIONS = ['bootImages', 'operatingSystemImages', 'operatingSystemInstallers', 'driverPackages', 'packages', 'applications'];

/** A site description for one export: what it names, half of it missing, plus the items fixes fill in. */
export function generatedSite(file: string, text: string): string {
  const { model } = parseTaskSequence(text);
  const site = JSON.parse(initSite([{ file, model, text }], catalog)) as Record<string, unknown>;
  const info = site.site as { code?: string };
  const code = info.code && /^[A-Za-z0-9]{3}$/.test(info.code) ? info.code : 'CMT';
  const cb = Number.parseFloat(model.sequence?.version ?? '') >= 3.1;
  site.site = cb ? { code, product: 'ConfigMgr CB', version: '2309' } : { code, product: 'ConfigMgr 2007', version: 'SP2' };
  // site init leaves out the collections the sequence names nothing in.
  for (const c of COLLECTIONS) site[c] = ((site[c] as unknown[] | undefined) ?? []).filter((_, i) => i % 2 === 0);
  const packages = site.packages as Record<string, unknown>[];
  packages.push({ packageId: `${code}FFC01`, name: 'Configuration Manager Client Package', kind: 'client', distributionPoints: ['DP01'] });
  packages.push({ packageId: `${code}FFC02`, name: 'User State Migration Tool for Windows', kind: 'usmt', usmtVersion: cb ? '10.0.22621.1' : '3.0.1', architecture: 'x64', distributionPoints: ['DP01'] });
  (site.bootImages as Record<string, unknown>[]).push({ packageId: `${code}FFC03`, name: 'Boot image (x64)', architecture: 'x64', windowsPEVersion: cb ? '10.0.22621.1' : '2.1', distributionPoints: ['DP01'] });
  // The export's own entry without a boot image, so a bare export gets the set-boot-image site fix.
  for (const ts of (site.taskSequences as Record<string, unknown>[] | undefined) ?? []) delete ts.bootImageId;
  site.siteSystems = [{ server: 'DP01', roles: [{ role: 'distributionPoint' }, { role: 'stateMigrationPoint' }, { role: 'managementPoint' }] }];
  return JSON.stringify(site, null, 2) + '\n';
}

