// `cmts site import` as a pure function: the files a site exports (console export XML, WMI
// instances as JSON) in, the site description text out, with what was added, what the import
// would have changed in what a person wrote, and the problems of each file. Any problem means
// nothing is changed: `text` is then the existing text (or empty). The file and zip reading is
// the caller's (workspace/importFiles.ts); the VS Code command calls this too.

import type { Catalog } from '../../catalog/types';
import { parseTaskSequence } from '../../model/parse';
import { readExportXml, type ImportProblem } from './cimXml';
import { collectEvidence, decideKind, type IdEvidence } from './evidence';
import { COLLECTIONS, emptyFacts, finish, mapInstance, put, type Collection, type Facts } from './mapping';
import { mergeInto, renderNew } from './merge';
import { readWmiJson } from './wmiJson';
import type { WmiInstance } from './instance';

export interface ImportSource {
  /** The file's name as the user knows it (a path, or "export.zip/…/object.xml"), for messages. */
  name: string;
  text: string;
}

export interface ImportResult {
  /** The new site description text; the existing text (or '') when there are problems. */
  text: string;
  /** What the import added, one line each. */
  added: string[];
  /** What it would have changed in values already in the file (the file's values were kept). */
  conflicts: string[];
  problems: ImportProblem[];
  /** Classes read that the site description has no place for (reported, not a problem). */
  ignored: string[];
  /** True when `text` differs from the existing text. */
  changed: boolean;
}

/** Files of an export's packaging that hold nothing about the site. */
const PACKAGING = /(\.psmdcp|\.rels)$/i;

export function importSite(sources: ImportSource[], catalog: Catalog, existing?: { text: string }): ImportResult {
  const before = existing?.text ?? '';
  const fail = (problems: ImportProblem[]): ImportResult => ({ text: before, added: [], conflicts: [], problems, ignored: [], changed: false });
  const problems: ImportProblem[] = [];
  const instances: WmiInstance[] = [];
  const sequenceFiles: ImportSource[] = [];
  for (const s of sources) {
    const lower = s.name.toLowerCase();
    if (PACKAGING.test(lower)) continue;
    if (lower.endsWith('.json')) {
      const r = readWmiJson(s.text, s.name);
      if ('problem' in r) problems.push(r.problem);
      else instances.push(...r.instances);
    } else if (lower.endsWith('.xml')) {
      const r = readExportXml(s.text, s.name);
      if (r.kind === 'problem') problems.push(r.problem);
      else if (r.kind === 'instances') instances.push(...r.instances);
      else if (r.kind === 'sequence') sequenceFiles.push(s);
    } else {
      problems.push({ file: s.name, message: `${s.name}: cmts imports console exports (.zip or their .xml files) and WMI instances saved as .json; this file is neither.` });
    }
  }
  if (problems.length) return fail(problems);

  const facts = emptyFacts();
  const unknownByFile = new Map<string, Set<string>>();
  const knownFiles = new Set<string>();
  for (const inst of instances) {
    if (mapInstance(facts, inst)) knownFiles.add(inst.file);
    else {
      const set = unknownByFile.get(inst.file) ?? new Set<string>();
      set.add(inst.className);
      unknownByFile.set(inst.file, set);
    }
  }
  // A JSON file with none of the classes the import reads is most likely the wrong file.
  for (const [file, classes] of unknownByFile) {
    if (!knownFiles.has(file) && file.toLowerCase().endsWith('.json')) {
      problems.push({ file, message: `${file}: holds ${[...classes].join(', ')} instances; cmts imports the classes listed in docs/site-import.md (SMS_Package, SMS_BootImagePackage, SMS_ApplicationLatest, …).` });
    }
  }
  if (problems.length) return fail(problems);
  const ignored = [...new Set([...unknownByFile.values()].flatMap((s) => [...s]))].sort();

  // Task sequence files given beside the export say what kind each package is, as in site init;
  // a ConfigMgr 2007 export also names its own package, boot image and name.
  for (const s of sequenceFiles) {
    const w = parseTaskSequence(s.text).model.wrapper?.properties;
    const id = w?.PackageID?.value.trim();
    if (id) {
      const name = w?.Name?.value.trim();
      const boot = w?.BootImageID?.value.trim();
      put(facts, 'taskSequences', id, { ...(name ? { name } : {}), ...(boot ? { bootImageId: boot } : {}) });
    }
    facts.sequences.push({ packageId: id ?? '', xml: s.text, file: s.name });
  }
  applySequenceEvidence(facts, catalog);
  finish(facts);

  const merged = existing && existing.text.trim() !== '' ? mergeInto(existing.text, facts) : renderNew(facts);
  if (merged.problem) return fail([{ file: 'configmgr-site.json', message: `configmgr-site.json: ${merged.problem}.` }]);
  return { text: merged.text, added: merged.added, conflicts: merged.conflicts, problems: [], ignored, changed: merged.text !== before };
}

const PLACE: Partial<Record<string, { collection: Collection; kind?: string }>> = {
  bootImage: { collection: 'bootImages' }, osImage: { collection: 'operatingSystemImages' }, osInstaller: { collection: 'operatingSystemInstallers' },
  driverPackage: { collection: 'driverPackages' }, package: { collection: 'packages' }, usmtPackage: { collection: 'packages', kind: 'usmt' },
  clientPackage: { collection: 'packages', kind: 'client' }, application: { collection: 'applications' }, taskSequence: { collection: 'taskSequences' },
};

/**
 * The sequences an export carries say what kind each package is where the SDK does not (a USMT
 * or client package is a plain SMS_Package): the kind every place accepts, as `site init` decides
 * it. IDs the export's reference lists do not carry (a boot image) are added where the sequence
 * puts them; an ID the export files under a collection stays there.
 */
function applySequenceEvidence(facts: Facts, catalog: Catalog): void {
  const evidence = new Map<string, IdEvidence>();
  for (const s of facts.sequences) {
    const { model } = parseTaskSequence(s.xml);
    collectEvidence(evidence, model, catalog, s.xml);
  }
  for (const [key, ev] of evidence) {
    const verdict = decideKind(ev.wanted);
    const place = verdict.kind ? PLACE[verdict.kind] : undefined;
    const listed = COLLECTIONS.find((c) => facts.content.get(c)?.has(key));
    if (listed) {
      if (listed === 'packages' && place?.collection === 'packages' && place.kind) put(facts, 'packages', ev.id, { kind: place.kind });
      continue;
    }
    const target = place ?? PLACE.package!;
    put(facts, target.collection, ev.id, target.kind ? { kind: target.kind } : {});
  }
}
