// Rename: a task sequence variable across a sequence and the child sequences it runs, and a content
// ID across every sequence of the workspace and the site description. Pure: the server gathers the
// files (the sequence, its children through the site's taskSequences, the workspace's sequences)
// and turns the edits into a WorkspaceEdit; here each file's text and model go in, edits come out.

import type { Catalog } from '../catalog/types';
import type { Span, TaskSequenceModel } from '../model/types';
import type { LoadedSite } from '../site/types';
import { contentIdAt, referencesIn, siteIdAt, siteReferences } from './navigation';
import { badVariableName, placesOf, renameRefusal, variableNameAt } from './variableNames';

export interface SequenceFile {
  /** What the caller knows the file by (a URI or a path). */
  key: string;
  text: string;
  model: TaskSequenceModel;
}

export interface FileEdits {
  key: string;
  edits: { span: Span; newText: string }[];
}

export type RenameTarget =
  | { kind: 'variable'; name: string; span: Span }
  | { kind: 'content'; id: string; span: Span };

export type RenameResult = { files: FileEdits[] } | { refused: string };

/** What can be renamed under `offset`: a variable's name or a content ID, with the span to rename. */
export function renameTargetAt(model: TaskSequenceModel, text: string, offset: number, catalog: Catalog): RenameTarget | { refused: string } | undefined {
  const id = contentIdAt(model, offset, catalog, text);
  if (id) {
    const span = referencesIn(model, text, id, catalog).find((s) => s.start <= offset && offset <= s.end);
    if (span && text.slice(span.start, span.end).toLowerCase() === id.toLowerCase()) return { kind: 'content', id, span };
  }
  const v = variableNameAt(model, text, catalog, offset);
  if (!v) return undefined;
  const refusal = renameRefusal(v.name);
  return refusal ? { refused: refusal } : { kind: 'variable', name: v.name, span: v.span };
}

/** The content ID under `offset` in the site description, with its span. */
export function siteRenameTargetAt(site: LoadedSite, offset: number): RenameTarget | undefined {
  const id = siteIdAt(site, offset);
  const span = id ? site.entries().find((e) => e.idSpan.start <= offset && offset <= e.idSpan.end)?.idSpan : undefined;
  return id && span ? { kind: 'content', id, span } : undefined;
}

/** Renames `name` to `newName` in each file (the sequence first, then its children). */
export function renameVariable(files: readonly SequenceFile[], name: string, newName: string, catalog: Catalog): RenameResult {
  const bad = renameRefusal(name) ?? badVariableName(newName) ?? (renameRefusal(newName) ? `${newName} is a built-in variable: renaming to it would change what the steps do.` : undefined);
  if (bad) return { refused: bad };
  const out: FileEdits[] = [];
  for (const f of files) {
    const edits = placesOf(f.model, f.text, catalog, name).map((p) => ({ span: p.span, newText: newName }));
    if (edits.length) out.push({ key: f.key, edits });
  }
  return { files: out };
}

const PACKAGE_ID = /^[A-Za-z0-9]{3}[0-9A-Fa-f]{5}$/;

/**
 * Whether `id` can be a content ID: a package ID is a three-character site code and five hex
 * digits (learn.microsoft.com, SMS_Package PackageID); an application's ID is a ScopeId_… path.
 */
export function badContentId(oldId: string, id: string): string | undefined {
  if (PACKAGE_ID.test(oldId) && !PACKAGE_ID.test(id)) return `"${id}" is not a package ID: three characters of site code and five hexadecimal digits, as in ABC00012.`;
  if (!PACKAGE_ID.test(oldId) && (id.trim() === '' || /[\s<>"'&,;]/.test(id))) return `"${id}" cannot be an application ID.`;
  return undefined;
}

/**
 * Renames the content ID `id` in every sequence given and in the site description (its entry and
 * the boot image IDs of task sequences). Only places written exactly as the ID are edited.
 */
export function renameContentId(files: readonly SequenceFile[], site: { key: string; site: LoadedSite } | undefined, id: string, newId: string, catalog: Catalog): RenameResult {
  const bad = badContentId(id, newId);
  if (bad) return { refused: bad };
  const l = id.toLowerCase();
  const taken = site?.site.lookup(newId);
  if (taken && newId.toLowerCase() !== l) return { refused: `${newId} is already in the site description (${taken.collection}).` };
  const exact = (text: string, s: Span): boolean => text.slice(s.start, s.end).toLowerCase() === l;
  const out: FileEdits[] = [];
  if (site) {
    const edits = siteReferences(site.site, id).filter((s) => exact(site.site.text, s)).map((span) => ({ span, newText: newId }));
    if (edits.length) out.push({ key: site.key, edits });
  }
  for (const f of files) {
    const edits = referencesIn(f.model, f.text, id, catalog).filter((s) => exact(f.text, s)).map((span) => ({ span, newText: newId }));
    if (edits.length) out.push({ key: f.key, edits });
  }
  return { files: out };
}
