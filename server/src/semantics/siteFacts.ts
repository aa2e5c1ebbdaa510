// What the site checks share about one sequence: which taskSequences entry it is (tied by `file`
// or package ID), where it starts, its boot image, and the content it names, each ID once at its
// most specific place. Computed once per (model, site) and reused by every check. Also the typed
// reading of the `extra` keys the front ends pass (see rules/types.ts) and pure path helpers.

import type { ContentKind, StepProperty } from '../catalog/types';
import { editDistance } from '../catalog';
import type { Span, Step, TaskSequenceModel, Variable } from '../model/types';
import { contentReferences, isEnabled, runTaskSequenceTargets, type ContentReference } from '../model/query';
import { catalog } from '../catalog';
import type { ContentCollection, ContentEntry, LoadedSite, SiteRole, TaskSequenceEntry } from '../site/types';
import { siteRelease, type Release } from '../versions/release';
import { pxeRole } from '../versions';
import type { RelatedPlace } from '../model/findings';
import type { SequenceDocument } from './document';

// ---- extra: what the front ends pass ------------------------------------------------------

/** Where a sequence starts: from Software Center (full OS), PXE or media (Windows PE), or either. */
export type { StartIn } from './flow';
import { envsOf, flowOf, type Env, type StartIn } from './flow';

/** A child sequence read by the front end: its path (as it names files) and model. */
export interface ResolvedSequence {
  path: string;
  model: TaskSequenceModel;
  text: string;
}

/** Finds the sequence a package ID stands for through the site's taskSequences[].file; never throws. */
export type SequenceResolver = (packageId: string) => ResolvedSequence | undefined;

export interface SiteExtra {
  resolveSequence?: SequenceResolver;
  startIn?: StartIn;
}

/** The `extra` keys this module knows, narrowed from the untyped bag. */
export function readExtra(extra: Record<string, unknown>): SiteExtra {
  const out: SiteExtra = {};
  const r = extra.resolveSequence;
  if (typeof r === 'function') out.resolveSequence = r as SequenceResolver;
  const s = extra.startIn;
  if (s === 'WinPE' || s === 'FullOS' || s === 'both') out.startIn = s;
  return out;
}

// ---- paths, without node:path (the core runs in the browser too) --------------------------

/** Forward slashes, `.`/`..` resolved, file: URIs decoded, lower case (ConfigMgr lives on Windows). */
export function normalizePath(p: string): string {
  let s = p.trim();
  if (/^file:/i.test(s)) {
    s = s.replace(/^file:\/*/i, '/');
    try {
      s = decodeURIComponent(s);
    } catch {
      // Keep it as written: a stray % is a file name character.
    }
    if (/^\/[A-Za-z]:/.test(s)) s = s.slice(1);
  }
  s = s.replace(/\\/g, '/');
  const lead = s.startsWith('//') ? '//' : s.startsWith('/') ? '/' : '';
  const out: string[] = [];
  for (const part of s.slice(lead.length).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return (lead + out.join('/')).toLowerCase();
}

export function dirOf(p: string): string {
  const s = p.replace(/\\/g, '/');
  const i = s.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : s.slice(0, i);
}

/** A path relative to the site description resolved against the site's folder. */
export function joinPath(dir: string, rel: string): string {
  const r = rel.replace(/\\/g, '/');
  if (r.startsWith('/') || /^[A-Za-z]:\//.test(r)) return r;
  return `${dir.replace(/\\/g, '/').replace(/\/$/, '')}/${r}`;
}

/** `to` relative to the folder `fromDir`, forward slashes (for a taskSequences[].file value). */
export function relativePath(fromDir: string, to: string): string {
  const a = normalizePath(fromDir).split('/').filter(Boolean);
  const bRaw = to.replace(/\\/g, '/').split('/').filter((x) => x !== '' && x !== '.');
  const b = normalizePath(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  // Keep the case of the target as written.
  const tail = bRaw.slice(bRaw.length - (b.length - i));
  return [...Array<string>(a.length - i).fill('..'), ...tail].join('/');
}

// ---- the sequence's taskSequences entry ---------------------------------------------------

export interface SequenceTie {
  entry: TaskSequenceEntry;
  index: number;
  /** How it was found: the entry's `file` is this document, or its packageId is the export's. */
  by: 'file' | 'packageId';
}

/**
 * The taskSequences entry for this document: the one whose `file` (relative to the site
 * description's folder) is this file, else the one whose packageId is the export's PackageID.
 */
export function tieSequence(site: LoadedSite, sitePath: string | undefined, path: string | undefined, model: TaskSequenceModel): SequenceTie | undefined {
  const list = site.site.taskSequences;
  if (path && sitePath) {
    const self = normalizePath(path);
    const dir = dirOf(sitePath);
    const index = list.findIndex((e) => e.file !== undefined && e.file.trim() !== '' && normalizePath(joinPath(dir, e.file.trim())) === self);
    if (index >= 0) return { entry: list[index], index, by: 'file' };
  }
  const own = model.wrapper?.properties.PackageID?.value.trim();
  if (own) {
    const index = list.findIndex((e) => e.packageId.toLowerCase() === own.toLowerCase());
    if (index >= 0) return { entry: list[index], index, by: 'packageId' };
  }
  return undefined;
}

/** Where a deployment starts, from its availability (the spec's execution-context rule). */
export function startInOf(entry: TaskSequenceEntry | undefined): StartIn {
  switch (entry?.availableTo) {
    case 'clients': return 'FullOS';
    case 'mediaAndPxe':
    case 'mediaAndPxeHidden': return 'WinPE';
    default: return 'both';
  }
}

/** True when the deployment can be started from PXE or boot media. */
export function offeredToMediaAndPxe(entry: TaskSequenceEntry | undefined): boolean {
  return entry?.availableTo !== undefined && entry.availableTo !== 'clients';
}

/**
 * The `extra` a front end passes for one sequence: where it starts, from its taskSequences
 * entry, and the child resolver it built (createSequenceResolver). Front ends call this so the
 * CLI and the server agree.
 */
export function siteExtraFor(site: LoadedSite | undefined, sitePath: string | undefined, path: string | undefined, model: TaskSequenceModel, resolveSequence?: SequenceResolver): Record<string, unknown> {
  const tie = site ? tieSequence(site, sitePath, path, model) : undefined;
  const extra: Record<string, unknown> = { startIn: startInOf(tie?.entry) };
  // A child sequence starts where the Run Task Sequence steps that call it run (their context, from
  // each caller's own flow), and also where its own deployment starts when the site says it has one.
  const own = (model.wrapper?.properties.PackageID?.value.trim() || tie?.entry.packageId)?.toLowerCase();
  if (site && own && resolveSequence) {
    const envs = callerEnvs(site, own, resolveSequence);
    if (envs.size > 0) {
      if (tie?.entry.availableTo !== undefined) for (const e of envsFromStart(startInOf(tie.entry))) envs.add(e);
      extra.startIn = envs.size === 2 ? 'both' : envs.has('WinPE') ? 'WinPE' : 'FullOS';
    }
  }
  if (resolveSequence) extra.resolveSequence = resolveSequence;
  return extra;
}

function envsFromStart(s: StartIn): Env[] {
  return s === 'both' ? ['WinPE', 'FullOS'] : [s];
}

/**
 * The contexts the enabled Run Task Sequence steps that run `own` (a package ID, lower case) run
 * in, over every sequence of the site tied to a file; each caller's flow starts where its own
 * deployment does (not where its callers run it: one level, so a loop of sequences ends).
 */
function callerEnvs(site: LoadedSite, own: string, resolve: SequenceResolver): Set<Env> {
  const out = new Set<Env>();
  for (const e of site.site.taskSequences) {
    if (!e.file || e.packageId.toLowerCase() === own) continue;
    const parent = resolve(e.packageId);
    if (!parent) continue;
    const calls = runTaskSequenceTargets(parent.model, catalog).filter((t) => t.id.toLowerCase() === own);
    if (calls.length === 0) continue;
    const flow = flowOf(parent.model, startInOf(e));
    for (const c of calls) for (const env of envsOf(flow.steps.get(c.step)?.runs ?? new Map())) out.add(env);
  }
  return out;
}

// ---- content places -----------------------------------------------------------------------

/** A content ID at the one place it is reported: a step property, a command line, or a list. */
export interface Place {
  id: string;
  span: Span;
  source: ContentReference['source'];
  /** Kinds the place accepts; undefined where any content will do (reference list, a bare /run:). */
  wanted?: ContentKind[];
  step?: Step;
  variable?: Variable;
  property?: StepProperty;
  /** Other places naming the same ID (command lines, the reference list), for related information. */
  also: Span[];
}

export interface BootImageRef {
  /** The ID, or undefined when the sequence has none. */
  id?: string;
  /** Where to report: the BootImageID value (or where it would go) in exports; the root element otherwise. */
  span: Span;
  /** The ID is written in this document (an export's BootImageID). */
  inXml: boolean;
  /** The export has a BootImageID element at all (empty or not). */
  wrapper: boolean;
  /** The export's BootImageID element and where its text is (an empty span inside it when empty). */
  element?: Span;
  valueSpan?: Span;
  /** Where the site's taskSequences entry names a boot image, when it does. */
  siteSpan?: Span;
  siteId?: string;
  entry?: ContentEntry;
}

export interface SequenceFacts {
  site: LoadedSite;
  release?: Release;
  tie?: SequenceTie;
  startIn: StartIn;
  rootSpan: Span;
  /** This sequence's own package ID, when the export or the site says it. */
  ownId?: string;
  places: Place[];
  boot: BootImageRef;
}

const cache = new WeakMap<TaskSequenceModel, { key: readonly unknown[]; facts: SequenceFacts }>();

/** The shared facts for the document being checked; ctx.site must be set (site checks only). */
export function factsOf(ctx: SequenceDocument): SequenceFacts {
  const site = ctx.site!;
  const key = [site, ctx.path, ctx.sitePath, ctx.text, ctx.extra.startIn];
  const hit = cache.get(ctx.model);
  if (hit && hit.key.every((k, i) => k === key[i])) return hit.facts;
  const facts = computeFacts(ctx, site);
  cache.set(ctx.model, { key, facts });
  return facts;
}

function computeFacts(ctx: SequenceDocument, site: LoadedSite): SequenceFacts {
  const model = ctx.model;
  const tie = tieSequence(site, ctx.sitePath, ctx.path, model);
  const rootSpan = (model.sequence ?? model.wrapper)?.nameSpan ?? { start: 0, end: 0 };
  const refs = contentReferences(model, ctx.catalog, ctx.text);
  const ownId = model.wrapper?.properties.PackageID?.value.trim() || tie?.entry.packageId;
  const extraStart = readExtra(ctx.extra).startIn;
  return {
    site,
    release: siteRelease(site.site.site.product, site.site.site.version),
    tie,
    startIn: tie ? startInOf(tie.entry) : extraStart ?? 'both',
    rootSpan,
    ...(ownId ? { ownId } : {}),
    places: placesOf(refs),
    boot: bootImageOf(model, site, tie, rootSpan, refs),
  };
}

function bootImageOf(model: TaskSequenceModel, site: LoadedSite, tie: SequenceTie | undefined, rootSpan: Span, refs: ContentReference[]): BootImageRef {
  const prop = model.wrapper?.properties.BootImageID;
  const siteId = tie?.entry.bootImageId?.trim() || undefined;
  const siteSpan = tie && siteId ? site.spanOf(['taskSequences', tie.index, 'bootImageId']) : undefined;
  const sitePart = { ...(siteSpan ? { siteSpan } : {}), ...(siteId ? { siteId } : {}) };
  if (prop) {
    const ref = refs.find((r) => r.source === 'bootImage');
    const id = ref?.id;
    const entry = id ? site.lookup(id) : undefined;
    // An empty <BootImageID/> is pointed at by its name: a zero-width place is hard to see.
    const span = ref?.span ?? prop.element.nameSpan;
    return { ...(id ? { id } : {}), span, inXml: id !== undefined, wrapper: true, element: prop.element.span, valueSpan: prop.span, ...sitePart, ...(entry ? { entry } : {}) };
  }
  const entry = siteId ? site.lookup(siteId) : undefined;
  return { ...(siteId ? { id: siteId } : {}), span: rootSpan, inXml: false, wrapper: false, ...sitePart, ...(entry ? { entry } : {}) };
}

/** Most specific place first: a step property, then a command line, then the lists. */
const RANK: Record<ContentReference['source'], number> = { property: 0, action: 1, bootImage: 2, referenceList: 3, wrapperReference: 4 };

/**
 * Each content ID once per step at its most specific place (a property beats the same ID in the
 * step's command line), and a list entry only when no step names the ID. IDs named only by
 * disabled steps are dropped everywhere: disabling a step is the documented way to set aside a
 * broken reference. The boot image is not a place here (BootImageRef).
 */
export function placesOf(refs: readonly ContentReference[]): Place[] {
  const byId = new Map<string, ContentReference[]>();
  for (const r of refs) {
    if (r.source === 'bootImage' || r.id === '') continue;
    const k = r.id.toLowerCase();
    const list = byId.get(k);
    if (list) list.push(r);
    else byId.set(k, [r]);
  }
  const out: Place[] = [];
  for (const list of byId.values()) {
    const inSteps = list.filter((r) => r.step);
    const enabled = inSteps.filter((r) => isEnabled(r.step!));
    if (inSteps.length > 0 && enabled.length === 0) continue;
    const lists = list.filter((r) => !r.step).sort((a, b) => RANK[a.source] - RANK[b.source]);
    const chosen: ContentReference[] = [];
    const seenSteps = new Set<Step>();
    for (const r of [...enabled].sort((a, b) => RANK[a.source] - RANK[b.source] || a.span.start - b.span.start)) {
      if (seenSteps.has(r.step!)) continue;
      seenSteps.add(r.step!);
      chosen.push(r);
    }
    if (chosen.length === 0 && lists.length) chosen.push(lists[0]);
    chosen.sort((a, b) => a.span.start - b.span.start);
    // Where else each chosen place names the ID: the references outside steps and those of its own
    // step, by position in `list`. Filtering all of `list` for each place was quadratic in the uses
    // of one ID (an MDT toolkit package is named by most steps; issue 8).
    const outside: number[] = [];
    const perStep = new Map<Step, number[]>();
    list.forEach((x, i) => {
      if (x.step === undefined) outside.push(i);
      else {
        const own = perStep.get(x.step);
        if (own) own.push(i);
        else perStep.set(x.step, [i]);
      }
    });
    for (const r of chosen) {
      const wanted = r.property ? (r.property.kinds ?? (r.property.references ? [r.property.references] : undefined)) : r.kind ? [r.kind] : undefined;
      const also = mergeSorted(outside, r.step ? (perStep.get(r.step) ?? []) : []).filter((i) => list[i] !== r).map((i) => list[i].span);
      out.push({
        id: r.id, span: r.span, source: r.source, also,
        ...(wanted ? { wanted } : {}),
        ...(r.step ? { step: r.step } : {}),
        ...(r.variable ? { variable: r.variable } : {}),
        ...(r.property ? { property: r.property } : {}),
      });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Two ascending lists of positions as one ascending list. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}

// ---- the OS a step works on ----------------------------------------------------------------

export interface AppliedOs {
  /** The OS image or upgrade package ID as written, and where. */
  id: string;
  span: Span;
  step: Step;
  architecture?: 'x86' | 'x64';
  osVersion?: string;
}

/** Every OS image / upgrade package the sequence's enabled Apply Operating System Image steps name, with what the site says of it. */
export function appliedOperatingSystems(facts: SequenceFacts): AppliedOs[] {
  const out: AppliedOs[] = [];
  for (const p of facts.places) {
    if (!p.step || p.step.type !== 'SMS_TaskSequence_ApplyOperatingSystemAction' || !p.property) continue;
    if (p.property.name !== 'ImagePackageID' && p.property.name !== 'InstallPackageID') continue;
    const e = facts.site.lookup(p.id);
    const info = e && (e.collection === 'operatingSystemImages' || e.collection === 'operatingSystemInstallers') ? e.entry : undefined;
    out.push({
      id: p.id, span: p.span, step: p.step,
      ...(info?.architecture ? { architecture: info.architecture } : {}),
      ...(info?.osVersion ? { osVersion: info.osVersion } : {}),
    });
  }
  return out;
}

/**
 * The OS a step works on: for Upgrade Operating System its own upgrade package, otherwise the OS
 * applied by the last Apply Operating System Image step before it (undefined when none is).
 */
export function osBefore(step: Step, facts: SequenceFacts): AppliedOs | undefined {
  if (step.type === 'SMS_TaskSequence_UpgradeOperatingSystemAction') {
    const p = facts.places.find((x) => x.step === step && x.property?.name === 'InstallPackageID');
    const e = p && facts.site.lookup(p.id);
    const info = e && e.collection === 'operatingSystemInstallers' ? e.entry : undefined;
    return p && { id: p.id, span: p.span, step, ...(info?.architecture ? { architecture: info.architecture } : {}), ...(info?.osVersion ? { osVersion: info.osVersion } : {}) };
  }
  let best: AppliedOs | undefined;
  for (const a of appliedOperatingSystems(facts)) if (a.step.number < step.number && (!best || a.step.number >= best.step.number)) best = a;
  return best;
}

// ---- kinds, candidates, names -------------------------------------------------------------

/** Whether content of `kind` may stand where `wanted` is asked; a plain package slot takes USMT and client packages too. */
export function fitsKind(kind: ContentKind, wanted: readonly ContentKind[] | undefined): boolean {
  if (!wanted) return true;
  if (wanted.includes(kind)) return true;
  return wanted.includes('package') && (kind === 'usmtPackage' || kind === 'clientPackage');
}

/** Site entries that fit, closest ID first (edit distance, then file order). */
export function candidatesFor(site: LoadedSite, id: string, wanted: readonly ContentKind[] | undefined, limit = 5): ContentEntry[] {
  // Kept per site (a loaded site is not changed): the fix judge re-checks a document once per fix,
  // and each re-check asks again for the same unknown IDs (an edit distance to every site entry).
  let memo = candidateMemo.get(site);
  if (!memo || memo.size > 4096) candidateMemo.set(site, (memo = new Map()));
  const key = `${limit}\0${wanted?.join(',') ?? '*'}\0${id}`;
  let found = memo.get(key);
  if (!found) memo.set(key, (found = rankCandidates(site, id, wanted, limit)));
  return [...found];
}

const candidateMemo = new WeakMap<LoadedSite, Map<string, readonly ContentEntry[]>>();

function rankCandidates(site: LoadedSite, id: string, wanted: readonly ContentKind[] | undefined, limit: number): ContentEntry[] {
  const l = id.toLowerCase();
  return site.entries()
    .filter((e) => fitsKind(e.kind, wanted) && e.id.toLowerCase() !== l)
    .map((e, i) => ({ e, i, d: editDistance(l, e.id.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.e);
}

const KIND_NOUNS: Record<ContentKind, string> = {
  bootImage: 'boot image',
  osImage: 'operating system image',
  osInstaller: 'operating system upgrade package',
  driverPackage: 'driver package',
  package: 'package',
  usmtPackage: 'USMT package',
  clientPackage: 'ConfigMgr client package',
  application: 'application',
  softwareUpdate: 'software update',
  taskSequence: 'task sequence',
};

export function kindNoun(kind: ContentKind): string {
  return KIND_NOUNS[kind];
}

/** "a USMT package or a package", for messages. */
export function wantedNoun(wanted: readonly ContentKind[]): string {
  const nouns = [...new Set(wanted.map(kindNoun))];
  const list = nouns.length <= 2 ? nouns.join(' or ') : `${nouns.slice(0, -1).join(', ')} or ${nouns[nouns.length - 1]}`;
  return `${/^[aeiouAEIOU]/.test(list) && !list.startsWith('USMT') ? 'an' : 'a'} ${list}`;
}

/** What a site entry is, for messages: `the driver package "Latitude D630" (CEN00020)`. */
export function describeEntry(e: ContentEntry): string {
  const what = e.collection === 'packages' && e.entry.kind !== 'software' && e.kind === 'package'
    ? `${e.entry.kind} package`
    : kindNoun(e.kind);
  return `the ${what}${e.name !== undefined ? ` "${e.name}"` : ''} (${e.id})`;
}

export const COLLECTION_OF: Record<ContentKind, ContentCollection> = {
  bootImage: 'bootImages',
  osImage: 'operatingSystemImages',
  osInstaller: 'operatingSystemInstallers',
  driverPackage: 'driverPackages',
  package: 'packages',
  usmtPackage: 'packages',
  clientPackage: 'packages',
  application: 'applications',
  softwareUpdate: 'packages',
  taskSequence: 'taskSequences',
};

// ---- reporting helpers --------------------------------------------------------------------

/** Where a finding about a whole step points: its type attribute, else its element name. */
export function stepAnchor(step: Step): Span {
  return step.attrs.type?.span ?? step.nameSpan;
}

/** `step 12 "Apply Operating System"`, for messages. */
export function stepLabel(step: Step): string {
  return `step ${step.number} "${step.name}"`;
}

/** The boot image entry, when the sequence names one the site has as a boot image. */
export function bootImageEntry(facts: SequenceFacts): Extract<ContentEntry, { collection: 'bootImages' }> | undefined {
  const e = facts.boot.entry;
  return e?.collection === 'bootImages' ? e : undefined;
}

/** "step 4 "Capture User State" (UsmtPackageID)", or the list that names the content. */
export function placeLabel(p: Place): string {
  if (p.step) return `${stepLabel(p.step)}${p.property ? ` (${p.property.name})` : p.source === 'action' ? ' (command line)' : ''}`;
  return p.source === 'wrapperReference' ? 'the export\'s References' : 'the reference list';
}

/** A Run Task Sequence target or a client package slot: child-task-sequence and client-package speak for those. */
export function isChildOrClientSlot(p: Place): boolean {
  const w = p.wanted;
  return !!w && w.every((k) => k === 'taskSequence' || k === 'clientPackage');
}

/** A related place in the site description (no place when the front end gave no site path). */
export function siteRelated(ctx: SequenceDocument, message: string, span: Span | undefined): RelatedPlace[] {
  return ctx.sitePath && span ? [{ message, span, file: ctx.sitePath }] : [];
}

/** The site's release as people say it ("ConfigMgr 2007 SP1"). */
export function releaseName(facts: SequenceFacts): string {
  return facts.release?.label ?? 'this site';
}

// ---- facts of the site description alone ------------------------------------------------------

/** Span of the first site value of `paths` that is written, falling back to the `site` object. */
export function firstSpan(site: LoadedSite, ...paths: (string | number)[][]): Span {
  for (const p of paths) {
    const s = site.spanOf(p);
    if (s) return s;
  }
  return site.site.site.span;
}

/** Servers that answer PXE (2007: PXE service point; later: distribution points with PXE on). */
export function pxeServers(site: LoadedSite): { server: string; role: SiteRole }[] {
  const product = site.site.site.product;
  const row = product ? pxeRole(product) : undefined;
  const out: { server: string; role: SiteRole }[] = [];
  for (const s of site.site.siteSystems) {
    for (const r of s.roles) {
      const isPxe = row
        ? r.role === row.role && (row.flag === undefined || r.pxe === true)
        : r.role === 'pxeServicePoint' || (r.role === 'distributionPoint' && r.pxe === true);
      if (isPxe) out.push({ server: s.server, role: r });
    }
  }
  return out;
}

