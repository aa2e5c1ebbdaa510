// The shapes of quick-fix data checks attach to findings (Finding.data), one interface per fix
// kind, and helpers that make them. Each check module names the union of the kinds it attaches;
// the builders for each kind are in kinds.ts. A finding carries one primary fix in `data` and
// further independent fixes in `data.also`; each fix is offered as its own code action.

import type { ContentKind } from '../catalog/types';
import type { Span } from '../model/types';
import type { ContentCollection, ContentEntry } from '../site/types';
import type { FixData } from '../model/findings';

/** A site item a fix may write in place of what is there. */
export interface ContentCandidate {
  id: string;
  name?: string;
  collection: ContentCollection;
}

/**
 * Replace the ID under the finding's span with one of `candidates` (best first). The span covers
 * exactly the ID as written; `expect` is that text, so a stale diagnostic offers nothing.
 * Used by unknown-content, wrong-content-kind, client-package and child-task-sequence.
 */
export interface ReplaceContentFix extends FixData {
  kind: 'replace-content';
  expect: string;
  candidates: ContentCandidate[];
}

/**
 * Add an entry for `id` to the site description: append `stub` to the array `collection` of the
 * file at `sitePath` (creating the array when missing). The stub holds only what the sequence
 * says (the ID, and the package kind its place implies): no placeholder name, no empty list of
 * distribution points, since a missing fact is unknown and an empty list would mean "on none".
 */
export interface AddSiteStubFix extends FixData {
  kind: 'add-site-stub';
  id: string;
  collection: ContentCollection;
  stub: Record<string, unknown>;
  sitePath?: string;
}

/**
 * Give the sequence a boot image, one action per candidate (fitting architecture first).
 * - target 'xml': make the export's <BootImageID> say the ID: replace `valueSpan` (its text;
 *   `expect` is the current text, '' when empty); a self-closing <BootImageID /> has no text to
 *   replace, so rewrite the whole `element` span as <BootImageID>ID</BootImageID>.
 * - target 'site': set taskSequences[entryIndex].bootImageId in the site description at
 *   `sitePath`. A bare export tied to no entry gets no fix: the entry needs the task sequence's
 *   package ID, which neither the export nor the site description holds, and a made-up one would
 *   be a false fact in the site description.
 */
export interface SetBootImageFix extends FixData {
  kind: 'set-boot-image';
  target: 'xml' | 'site';
  candidates: ContentCandidate[];
  expect?: string;
  element?: Span;
  valueSpan?: Span;
  sitePath?: string;
  entryIndex?: number;
}

/**
 * Insert console-shaped steps beside `anchor` (a step or group's span): `step` (insert-step) or
 * `steps` in order (insert-steps), with the Request State Store `mode` or the restart `target`;
 * `release` adds a Release State Store after another anchor, `back` a restart back after one.
 */
interface InsertBeside extends FixData {
  position: 'before' | 'after';
  anchor: Span;
  mode?: 'capture' | 'restore';
  target?: 'WinPE' | 'HD';
  release?: { position: 'after'; anchor: Span };
  back?: { target: 'WinPE' | 'HD'; position: 'after'; anchor: Span };
  /**
   * 'mdt': the state store steps are written as Microsoft's MDT templates for ConfigMgr write them
   * (conditions on USMTLOCAL and USMTOfflineMigration, continue on error); the file uses MDT.
   */
  shape?: 'mdt';
}

export interface InsertStepFix extends InsertBeside {
  kind: 'insert-step';
  step: string;
}

export interface InsertStepsFix extends InsertBeside {
  kind: 'insert-steps';
  steps: string[];
}

/** A property a fill-property fix can write: the step property and the variable that carries it. */
export interface PropertySpec {
  property: string;
  variable: string;
  hidden?: boolean;
  /** The kind of content the property names, when it names content. */
  contentKind?: ContentKind;
}

/**
 * Fill a missing content property of the step at `anchor` (of class `step`) with one of
 * `candidates` (each may name which of the property and its `alternatives` it fills).
 */
export interface FillPropertyFix extends FixData, PropertySpec {
  kind: 'fill-property';
  step?: string;
  /** The empty value, the step's <defaultVarList>, or the step: where the value goes. */
  anchor: Span;
  anchorKind?: 'value' | 'varList' | 'step';
  alternatives?: PropertySpec[];
  candidates: { id: string; name?: string; property?: string; collection?: ContentCollection }[];
}

/** Write one of `candidates` (step classes, closest first) in place of the unknown class under the span. */
export interface ReplaceStepTypeFix extends FixData {
  kind: 'replace-step-type';
  expect: string;
  candidates: string[];
}

/** Write `replacement` in place of the text under the span. */
export interface ReplaceTextFix extends FixData {
  kind: 'replace-text';
  expect: string;
  replacement: string;
  /** The action's title, when `Write "<replacement>"` would not say what the fix does. */
  title?: string;
}

/**
 * Move the step or group `item` (its element's span) before or after `anchor` (another step or
 * group): one edit carrying the element and the comments above it, re-indented to its new depth.
 * `expect` is the text under the finding's span (the step's name), so a stale finding offers nothing.
 */
export interface MoveStepFix extends FixData {
  kind: 'move-step';
  expect: string;
  item: Span;
  /** A later sibling of `item` moved along with it, and everything between them (steps that belong together). */
  through?: Span;
  position: 'before' | 'after';
  anchor: Span;
}

/** Add `name` to the site description's collectionVariables (the file at `sitePath`). */
export interface AddCollectionVariableFix extends FixData {
  kind: 'add-collection-variable';
  name: string;
  sitePath?: string;
}

/** Write one of `candidates` (best first) in place of `expect`, the text under the span (a package's programs). */
export interface ReplaceChoiceFix extends FixData {
  kind: 'replace-choice';
  expect: string;
  candidates: string[];
  /** How the title names a candidate ("program"). */
  noun: string;
}

/** Remove the id under the span from its suppression comment (the comment too when it was the only one). */
export interface RemoveSuppressionFix extends FixData {
  kind: 'remove-suppression';
  expect: string;
}

export function candidate(e: ContentEntry): ContentCandidate {
  return { id: e.id, ...(e.name !== undefined ? { name: e.name } : {}), collection: e.collection };
}

export function replaceContent(expect: string, entries: readonly ContentEntry[]): ReplaceContentFix {
  return { kind: 'replace-content', expect, candidates: entries.map(candidate) };
}

/** The stub entry for an ID, in the collection its place implies; a package's kind only when its place says which. */
export function siteStub(id: string, wanted: readonly ContentKind[] | undefined, sitePath: string | undefined, collection: ContentCollection): AddSiteStubFix {
  const k = wanted?.[0];
  let stub: Record<string, unknown>;
  switch (collection) {
    case 'applications': stub = { id }; break;
    case 'packages': {
      const kind = k === 'usmtPackage' ? 'usmt' : k === 'clientPackage' ? 'client' : undefined;
      stub = { packageId: id, ...(kind ? { kind } : {}) };
      break;
    }
    default: stub = { packageId: id };
  }
  return { kind: 'add-site-stub', id, collection, stub, ...(sitePath ? { sitePath } : {}) };
}
