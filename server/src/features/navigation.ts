// Navigation: go to definition from a content ID to its entry in the site description, and from a
// Run Task Sequence step to the child sequence's file (the site's taskSequences[].file); find
// references of a content ID in a sequence and in the site description; document links from step
// types to their public documentation. Pure: the server turns site-relative paths and spans into
// locations, and walks the workspace's sequences for references.

import type { Catalog } from '../catalog/types';
import { contains, contentReferences, stepVariable } from '../model/query';
import type { ConditionNode, Span, Step, TaskSequenceModel } from '../model/types';
import type { ContentEntry, LoadedSite } from '../site/types';
import { isChildSequence } from '../semantics/stepInfo';

export type DefinitionTarget =
  /** The entry in the site description: `span` is its packageId (or application id) value. */
  | { kind: 'siteEntry'; entry: ContentEntry; span: Span }
  /** A child sequence's file, as written in the site's taskSequences entry (relative to the site file). */
  | { kind: 'sequenceFile'; file: string; entry: ContentEntry };

export interface Definition {
  /** What the cursor was on (the ID, or the step's type/name/element name). */
  origin: Span;
  targets: DefinitionTarget[];
}

/** The definition(s) under `offset`: a child sequence's file first (when known), then the site entry. */
export function definitionAt(model: TaskSequenceModel, offset: number, site: LoadedSite | undefined, catalog: Catalog, text?: string): Definition | undefined {
  if (!site) return undefined;
  const ref = contentReferences(model, catalog, text).find((r) => contains(r.span, offset));
  if (ref) {
    const entry = site.lookup(ref.id);
    return entry ? { origin: ref.span, targets: targetsFor(entry) } : undefined;
  }
  // On a Run Task Sequence step's element name, type or name: its target.
  const step = model.steps.find((s) => isChildSequence(s) && contains(s.span, offset) && offset <= s.startTagEnd);
  if (!step) return undefined;
  const origin = headSpan(step, offset);
  const id = stepVariable(step, 'OSDSubTasksequencePackageID', 'TsPackageID')?.value.trim();
  const entry = id ? site.lookup(id) : undefined;
  if (!origin || !entry) return undefined;
  const targets = targetsFor(entry).filter((t) => t.kind === 'sequenceFile');
  return targets.length ? { origin, targets } : { origin, targets: targetsFor(entry) };
}

function targetsFor(entry: ContentEntry): DefinitionTarget[] {
  const out: DefinitionTarget[] = [];
  if (entry.collection === 'taskSequences' && entry.entry.file && entry.entry.file.trim() !== '') out.push({ kind: 'sequenceFile', file: entry.entry.file.trim(), entry });
  out.push({ kind: 'siteEntry', entry, span: entry.idSpan });
  return out;
}

function headSpan(step: Step, offset: number): Span | undefined {
  if (contains(step.nameSpan, offset)) return step.nameSpan;
  for (const key of ['type', 'name']) {
    const a = step.attrs[key];
    if (a && (contains(a.span, offset) || contains(a.nameSpan, offset))) return a.span;
  }
  return undefined;
}

/** The content ID under `offset` in a sequence, if any. */
export function contentIdAt(model: TaskSequenceModel, offset: number, catalog: Catalog, text?: string): string | undefined {
  return contentReferences(model, catalog, text).find((r) => contains(r.span, offset))?.id;
}

/** The content ID whose site description entry (its packageId / id value) holds `offset`. */
export function siteIdAt(site: LoadedSite, offset: number): string | undefined {
  return site.entries().find((e) => contains(e.idSpan, offset))?.id;
}

/** Every place a sequence names `id` (compared without regard to case), in document order. */
export function referencesIn(model: TaskSequenceModel, text: string, id: string, catalog: Catalog): Span[] {
  const l = id.trim().toLowerCase();
  const seen = new Set<string>();
  const out: Span[] = [];
  for (const r of contentReferences(model, catalog, text)) {
    if (r.id.toLowerCase() !== l) continue;
    const key = `${r.span.start}:${r.span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r.span);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Where the site description names `id`: its entry, and task sequences that use it as their boot image. */
export function siteReferences(site: LoadedSite, id: string): Span[] {
  const l = id.trim().toLowerCase();
  const out: Span[] = [];
  for (const e of site.entries()) if (e.id.toLowerCase() === l) out.push(e.idSpan);
  site.site.taskSequences.forEach((t, i) => {
    if (t.bootImageId?.toLowerCase() !== l) return;
    const s = site.spanOf(['taskSequences', i, 'bootImageId']);
    // spanOf includes the quotes of a string: point at the ID itself.
    if (s) out.push({ start: s.start + 1, end: s.end - 1 });
  });
  return out.sort((a, b) => a.start - b.start);
}

export interface DocLink {
  span: Span;
  target: string;
  tooltip: string;
}

/** Links from each step's and expression's `type` value to the class's public documentation. */
export function documentLinks(model: TaskSequenceModel, catalog: Catalog): DocLink[] {
  const out: DocLink[] = [];
  const add = (type: string | undefined, span: Span | undefined): void => {
    const t = type ? catalog.get(type) : undefined;
    if (t?.docsUrl && span && span.end > span.start) out.push({ span, target: t.docsUrl, tooltip: `${t.displayName}: documentation` });
  };
  for (const s of model.steps) add(s.type, s.attrs.type?.span);
  for (const it of [...model.groups, ...model.steps]) {
    const visit = (nodes: readonly ConditionNode[]): void => {
      for (const n of nodes) {
        if (n.kind === 'expression') add(n.type, n.attrs.type?.span);
        else visit(n.children);
      }
    };
    visit(it.condition?.children ?? []);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}
