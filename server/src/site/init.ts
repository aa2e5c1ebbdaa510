// `cmts site init`: a starting configmgr-site.json listing every content ID the given task
// sequences reference, each under the kind every place naming it accepts (import/evidence.ts),
// and nothing the sequences do not say: no placeholder names, no empty distribution point lists,
// no product or version. A missing fact is unknown to the checks (rules.md, site description
// version 2), so the checks that need it are skipped instead of failing. Pure: text in, text out.

import type { Catalog, ContentKind } from '../catalog/types';
import type { TaskSequenceModel } from '../model/types';
import { collectEvidence, decideKind, type IdEvidence } from './import/evidence';

export interface InitInput {
  /** Path of the sequence relative to the site file, with forward slashes. */
  file: string;
  model: TaskSequenceModel;
  text: string;
}

type Entry = Record<string, string>;

/** The collection (and package kind) each decided kind goes to. */
const PLACE: Partial<Record<ContentKind, { collection: string; kind?: string; key?: 'id' }>> = {
  bootImage: { collection: 'bootImages' },
  osImage: { collection: 'operatingSystemImages' },
  osInstaller: { collection: 'operatingSystemInstallers' },
  driverPackage: { collection: 'driverPackages' },
  package: { collection: 'packages' },
  usmtPackage: { collection: 'packages', kind: 'usmt' },
  clientPackage: { collection: 'packages', kind: 'client' },
  application: { collection: 'applications', key: 'id' },
  taskSequence: { collection: 'taskSequences' },
};

const ORDER = ['bootImages', 'operatingSystemImages', 'operatingSystemInstallers', 'driverPackages', 'packages', 'applications', 'taskSequences'];

export function initSite(inputs: InitInput[], catalog: Catalog): string {
  const evidence = new Map<string, IdEvidence>();
  const sequences: Entry[] = [];
  const own = new Set<string>();
  for (const { file, model, text } of inputs) {
    collectEvidence(evidence, model, catalog, text);
    const w = model.wrapper?.properties;
    const packageId = w?.PackageID?.value.trim();
    // A sequence with no package ID of its own (a bare <sequence> export) gets no entry: the
    // schema needs the ID, and a made-up one would be a placeholder the checks read.
    if (!packageId || own.has(packageId.toUpperCase())) continue;
    own.add(packageId.toUpperCase());
    const entry: Entry = { packageId };
    const name = w?.Name?.value.trim() || model.sequence?.name?.trim();
    if (name) entry.name = name;
    entry.file = file;
    const boot = w?.BootImageID?.value.trim();
    if (boot) entry.bootImageId = boot;
    sequences.push(entry);
  }

  const lists = new Map<string, Entry[]>();
  const add = (collection: string, e: Entry) => {
    const l = lists.get(collection);
    if (l) l.push(e);
    else lists.set(collection, [e]);
  };
  for (const s of sequences) add('taskSequences', s);
  for (const [key, ev] of [...evidence.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (own.has(key)) continue;
    const verdict = decideKind(ev.wanted);
    // Unknown or conflicting evidence: listed as a package with no kind, so the ID is known to
    // exist and a place that needs another kind still says so.
    const place = (verdict.kind && PLACE[verdict.kind]) || PLACE.package!;
    const e: Entry = place.key === 'id' ? { id: ev.id } : { packageId: ev.id };
    if (place.kind) e.kind = place.kind;
    add(place.collection, e);
  }

  const site: Record<string, unknown> = {};
  const code = siteCode([...evidence.values()].map((e) => e.id).concat(sequences.map((s) => s.packageId)));
  site.site = code ? { code } : {};
  for (const c of ORDER) {
    const l = lists.get(c);
    if (l?.length) site[c] = l;
  }
  return JSON.stringify(site, null, 2) + '\n';
}

/** The site code, when every package ID names the same one (IDs start with the code of the site that made them). */
function siteCode(ids: string[]): string | undefined {
  const codes = new Set(ids.filter((id) => /^[A-Za-z0-9]{3}[0-9A-Fa-f]{5}$/.test(id)).map((id) => id.slice(0, 3).toUpperCase()));
  return codes.size === 1 ? [...codes][0] : undefined;
}
