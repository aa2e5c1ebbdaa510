// `cmts site init`: a starting configmgr-site.json listing every content ID the given task
// sequences reference, each under the collection its place implies, named "TODO" and on no
// distribution point, so the engineer only fills in what is true. Pure: text in, text out.

import type { Catalog, ContentKind } from '../catalog/types';
import type { TaskSequenceModel } from '../model/types';
import { contentReferences } from '../model/query';

export interface InitInput {
  /** Path of the sequence relative to the site file, with forward slashes. */
  file: string;
  model: TaskSequenceModel;
  text: string;
}

interface Found {
  id: string;
  kind?: ContentKind;
}

export function initSite(inputs: InitInput[], catalog: Catalog): string {
  const found = new Map<string, Found>();
  const codes = new Map<string, number>();
  const sequences: Record<string, unknown>[] = [];
  for (const { file, model, text } of inputs) {
    for (const r of contentReferences(model, catalog, text)) {
      const key = r.id.toUpperCase();
      const prev = found.get(key);
      // A place that implies a kind beats one that does not (the reference list says only "package").
      if (!prev || (!prev.kind && r.kind)) found.set(key, { id: r.id, kind: r.kind ?? prev?.kind });
      if (r.kind !== 'application' && /^[A-Za-z0-9]{3}[0-9A-Fa-f]{5}$/.test(r.id)) {
        const code = r.id.slice(0, 3).toUpperCase();
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    const w = model.wrapper?.properties;
    const entry: Record<string, unknown> = { packageId: w?.PackageID?.value.trim() || 'TODO', name: w?.Name?.value.trim() || model.sequence?.name || 'TODO', file };
    const boot = w?.BootImageID?.value.trim();
    if (boot) entry.bootImageId = boot;
    sequences.push(entry);
  }
  const byKind = (k: ContentKind | undefined) => [...found.values()].filter((f) => f.kind === k).sort((a, b) => a.id.localeCompare(b.id));
  const pkg = (f: Found, kind: string) => ({ packageId: f.id, name: 'TODO', kind, distributionPoints: [] as string[] });
  const plain = (f: Found) => ({ packageId: f.id, name: 'TODO', distributionPoints: [] as string[] });
  const code = [...codes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'TODO';
  const tsIds = new Set(sequences.map((s) => String(s.packageId).toUpperCase()));
  const site = {
    $schema: 'https://json.schemastore.org/configmgr-site.json',
    site: { code, product: 'TODO', version: 'TODO' },
    bootImages: byKind('bootImage').map(plain),
    operatingSystemImages: byKind('osImage').map(plain),
    operatingSystemInstallers: byKind('osInstaller').map(plain),
    driverPackages: byKind('driverPackage').map((f) => ({ packageId: f.id, name: 'TODO', drivers: [], distributionPoints: [] })),
    packages: [
      ...byKind('usmtPackage').map((f) => pkg(f, 'usmt')),
      ...byKind('clientPackage').map((f) => pkg(f, 'client')),
      ...byKind('package').map((f) => pkg(f, 'software')),
      ...byKind(undefined).map((f) => pkg(f, 'software')),
    ],
    applications: byKind('application').map((f) => ({ id: f.id, name: 'TODO', distributionPoints: [] })),
    taskSequences: [
      ...sequences,
      ...byKind('taskSequence').filter((f) => !tsIds.has(f.id.toUpperCase())).map((f) => ({ packageId: f.id, name: 'TODO' })),
    ],
    siteSystems: [],
  };
  delete (site as Record<string, unknown>).$schema;
  return JSON.stringify(site, null, 2) + '\n';
}
