// The quick-fix data the site checks attach to findings (Finding.data), as types and builders.
// The code actions (issue 6) build edits from the finding's rule id, span and this data only,
// never from the message. A finding carries one primary fix in `data` and further independent
// fixes in `data.also`; each fix is offered as its own code action, one per candidate.

import type { ContentKind } from '../catalog/types';
import type { Span } from '../model/types';
import type { ContentCollection, ContentEntry } from '../site/types';
import type { FixData } from './types';

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
 * file at `sitePath` (creating the array when missing). The stub is complete JSON with "TODO"
 * where only the engineer knows the value, as `cmts site init` writes it.
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
 *   `sitePath`; when entryIndex is absent, append { packageId: "TODO", name: "TODO", file,
 *   bootImageId } to taskSequences so the bare export gets tied to its package.
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
  file?: string;
}

/** Further fixes offered with the primary one (`data.also`). */
export interface WithAlso {
  also?: FixData[];
}

export function candidate(e: ContentEntry): ContentCandidate {
  return { id: e.id, ...(e.name !== undefined ? { name: e.name } : {}), collection: e.collection };
}

export function replaceContent(expect: string, entries: readonly ContentEntry[]): ReplaceContentFix {
  return { kind: 'replace-content', expect, candidates: entries.map(candidate) };
}

/** The stub entry for an ID, in the collection its place implies (a plain package when unknown). */
export function siteStub(id: string, wanted: readonly ContentKind[] | undefined, sitePath: string | undefined, collection: ContentCollection): AddSiteStubFix {
  const k = wanted?.[0];
  let stub: Record<string, unknown>;
  switch (collection) {
    case 'applications': stub = { id, name: 'TODO', distributionPoints: [] }; break;
    case 'taskSequences': stub = { packageId: id, name: 'TODO' }; break;
    case 'driverPackages': stub = { packageId: id, name: 'TODO', drivers: [], distributionPoints: [] }; break;
    case 'packages': stub = { packageId: id, name: 'TODO', kind: k === 'usmtPackage' ? 'usmt' : k === 'clientPackage' ? 'client' : 'software', distributionPoints: [] }; break;
    default: stub = { packageId: id, name: 'TODO', distributionPoints: [] };
  }
  return { kind: 'add-site-stub', id, collection, stub, ...(sitePath ? { sitePath } : {}) };
}

/** Code action titles, in the order of the data (for the CLI's json `fixes`). */
export function replaceTitles(fix: ReplaceContentFix): string[] {
  return fix.candidates.map((c) => `Replace with ${c.id}${c.name !== undefined ? ` (${c.name})` : ''}`);
}

export function stubTitle(fix: AddSiteStubFix): string {
  return `Add ${fix.id} to the site description (${fix.collection})`;
}

export function bootImageTitles(fix: SetBootImageFix): string[] {
  return fix.candidates.map((c) => `Use boot image ${c.id}${c.name !== undefined ? ` (${c.name})` : ''}`);
}
