// Fixes that edit the site description instead of the sequence: a stub entry for an ID the site
// does not list (add-site-stub), and a boot image for a bare export, set on its taskSequences entry
// or on a new entry tying the file to its package (set-boot-image, target 'site'). Edits are spans
// in the site file's text, made by jsonEdit.ts so the file keeps its formatting.

import type { ContentCollection } from '../site/types';
import type { AddCollectionVariableFix, AddSiteStubFix, SetBootImageFix } from './fixData';
import { appendToCollection, indexInCollection, setProperty, type JsonValue } from '../site/jsonEdit';
import type { CodeFix, FixContext } from './types';

const COLLECTIONS: readonly ContentCollection[] = ['bootImages', 'operatingSystemImages', 'operatingSystemInstallers', 'driverPackages', 'packages', 'applications', 'taskSequences'];

function isCollection(v: unknown): v is ContentCollection {
  return typeof v === 'string' && (COLLECTIONS as readonly string[]).includes(v);
}

function isJsonObject(v: unknown): v is { [key: string]: JsonValue } {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The site file the edit is for: the one the finding was made against, and still the one in use. */
function siteFile(data: { sitePath?: string }, ctx: FixContext): { path: string; text: string } | undefined {
  if (!ctx.site || !ctx.sitePath) return undefined;
  if (typeof data.sitePath === 'string' && data.sitePath !== ctx.sitePath) return undefined;
  return { path: ctx.sitePath, text: ctx.site.text };
}

/** "Add <ID> to the site description (<collection>)": the check's stub appended to its collection. */
export function siteStubFix(data: AddSiteStubFix, ctx: FixContext): CodeFix[] {
  const file = siteFile(data, ctx);
  const id = data.id;
  if (!file || typeof id !== 'string' || id.trim() === '' || !isCollection(data.collection) || !isJsonObject(data.stub)) return [];
  // Stale: the site has the ID by now (added by hand, or by this fix already).
  if (ctx.site!.lookup(id)) return [];
  const edit = appendToCollection(file.text, data.collection, data.stub);
  if (!edit) return [];
  return [{ title: `Add ${id} to the site description (${data.collection})`, kind: 'quickfix', edits: [{ file: file.path, ...edit }] }];
}

/** add-collection-variable: the variable joins the site's collectionVariables (the list is created when missing). */
export function collectionVariableFix(data: AddCollectionVariableFix, ctx: FixContext): CodeFix[] {
  const file = siteFile(data, ctx);
  const name = data.name;
  if (!file || typeof name !== 'string' || name.trim() === '') return [];
  if (ctx.site?.site.collectionVariables?.some((v) => v.toLowerCase() === name.trim().toLowerCase())) return [];
  const edit = appendToCollection(file.text, 'collectionVariables', name.trim());
  if (!edit) return [];
  return [{ title: `Add ${name.trim()} to the site description's collectionVariables (a collection or device sets it)`, kind: 'quickfix', edits: [{ file: file.path, ...edit }] }];
}

interface Candidate {
  id: string;
  name?: string;
}

function candidatesOf(data: SetBootImageFix): Candidate[] {
  if (!Array.isArray(data.candidates)) return [];
  const out: Candidate[] = [];
  for (const c of data.candidates as unknown[]) {
    if (!c || typeof c !== 'object') continue;
    const r = c as Record<string, unknown>;
    if (typeof r.id === 'string' && r.id !== '') out.push({ id: r.id, ...(typeof r.name === 'string' ? { name: r.name } : {}) });
  }
  return out;
}

export function bootImageTitle(c: Candidate): string {
  return `Use boot image ${c.id}${c.name !== undefined ? ` (${c.name})` : ''}`;
}

/** set-boot-image in the site description: bootImageId on the taskSequences entry for this file. */
export function siteBootImageFixes(data: SetBootImageFix, ctx: FixContext): CodeFix[] {
  const file = siteFile(data, ctx);
  if (!file) return [];
  const entries = ctx.site!.site.taskSequences;
  const index = data.entryIndex;
  if (typeof index !== 'number' || !entries[index]) return [];
  // The typed list leaves out invalid entries: find the entry in the file by where it is written.
  const at = indexInCollection(file.text, 'taskSequences', entries[index].span.start);
  if (at === undefined) return [];
  const current = entries[index].bootImageId?.trim().toLowerCase();
  return candidatesOf(data).filter((c) => c.id.toLowerCase() !== current).flatMap((c, i): CodeFix[] => {
    const edit = setProperty(file.text, ['taskSequences', at], 'bootImageId', c.id);
    return edit ? [{ title: bootImageTitle(c), kind: 'quickfix', edits: [{ file: file.path, ...edit }], ...(i === 0 ? { isPreferred: true } : {}) }] : [];
  });
}
