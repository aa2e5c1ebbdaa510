// The one place that builds LSP objects (GUIDE invariant 3): findings → Diagnostic, hover →
// Hover, fixes → CodeAction, offsets ↔ ranges (UTF-16, through LineIndex). It also reads the
// parts of LSP objects the core needs back (a diagnostic's code, range and data for a fix).

import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  InsertTextFormat,
  DocumentDiagnosticReportKind,
  FoldingRangeKind,
  MarkupKind,
  SymbolKind,
  SymbolTag,
  type CodeAction,
  type CompletionItem,
  type CreateFile,
  type TextDocumentEdit,
  type DocumentLink,
  type Location,
  type Position,
  type DocumentSymbol,
  type FoldingRange,
  type SymbolInformation,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type FullDocumentDiagnosticReport,
  type Hover,
  type Range,
  type TextEdit,
  type UnchangedDocumentDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { LineIndex } from '../model/positions';
import type { Span } from '../model/types';
import type { Finding, FixData, Severity } from '../model/findings';
import type { FixAction, FixTarget } from '../features/codeActions';
import type { HoverResult } from '../features/hover';
import type { OutlineItem } from '../features/symbols';
import type { Fold } from '../features/folding';
import { ruleDocUrl } from '../report/docsUrl';
import { checkById } from '../checks';
import type { CompletionItem as FeatureCompletion } from '../features/completion';
import type { DocLink } from '../features/navigation';
import { snippetToPlain } from '../features/snippets';

export const SOURCE = 'cmts';

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toSpan(lines: LineIndex, range: Range): Span {
  const a = lines.offsetAt(range.start);
  const b = lines.offsetAt(range.end);
  return a <= b ? { start: a, end: b } : { start: b, end: a };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Where a related place in another file is: its URI and line index (undefined when unreadable). */
export type RelatedResolver = (file: string) => { uri: string; lines: LineIndex } | undefined;

/** What `Diagnostic.data` holds: the finding's fix data plus the rule id. */
export interface DiagnosticData extends Partial<FixData> {
  rule: string;
}

export function toDiagnostic(f: Finding, lines: LineIndex, uri: string, resolve: RelatedResolver): Diagnostic {
  const d: Diagnostic = {
    range: toRange(lines, f.span),
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.rule,
    codeDescription: { href: ruleDocUrl(f.rule) },
    message: f.message,
    data: { ...(f.data ?? {}), rule: f.rule } satisfies DiagnosticData,
  };
  // From the check module's flag: an unused suppression fades out, a removed step is struck through.
  const tags = checkById(f.rule)?.tags?.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  if (tags?.length) d.tags = tags;
  if (f.related?.length) {
    const related: DiagnosticRelatedInformation[] = [];
    for (const r of f.related) {
      const where = r.file ? resolve(r.file) : { uri, lines };
      if (where) related.push({ location: { uri: where.uri, range: toRange(where.lines, r.span) }, message: r.message });
    }
    if (related.length) d.relatedInformation = related;
  }
  return d;
}

export function fullReport(items: Diagnostic[], resultId: string): FullDocumentDiagnosticReport {
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
}

export function unchangedReport(resultId: string): UnchangedDocumentDiagnosticReport {
  return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
}

export function workspaceItem(uri: string, version: number | null, report: FullDocumentDiagnosticReport | UnchangedDocumentDiagnosticReport): WorkspaceDocumentDiagnosticReport {
  return { ...report, uri, version };
}

export function toHover(h: HoverResult, lines: LineIndex): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: clip(h.markdown, MAX_HOVER_CHARS) }, range: toRange(lines, h.span) };
}

/**
 * Hover text and outline names quote names and values from the file, which hostile input makes
 * megabytes long (issue 9): the editor gets a readable piece, not megabytes per request.
 */
const MAX_HOVER_CHARS = 20_000;
const MAX_SYMBOL_CHARS = 200;

function clip(s: string, max: number): string;
function clip(s: string | undefined, max: number): string | undefined;
function clip(s: string | undefined, max: number): string | undefined {
  return s !== undefined && s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Reads back what a fix needs from a diagnostic the client sends with a code action request.
 * Some clients (ALE) send it back without its source or data: a known check id still counts.
 */
export function fixTargetOf(d: Diagnostic, lines: LineIndex, isCheckId: (id: string) => boolean): FixTarget | undefined {
  if (d.source !== undefined && d.source !== SOURCE) return undefined;
  const data = (d.data && typeof d.data === 'object' ? d.data : undefined) as DiagnosticData | undefined;
  const rule = typeof data?.rule === 'string' ? data.rule : typeof d.code === 'string' ? d.code : undefined;
  if (!rule || (d.source === undefined && !isCheckId(rule))) return undefined;
  const fix = data && typeof data.kind === 'string' ? (data as FixData) : undefined;
  return { rule, span: toSpan(lines, d.range), ...(fix ? { data: fix } : {}) };
}

/** The code action kind of cmts's fix-all (editors run it on save with "source.fixAll"). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.cmts`;

/**
 * A fix as a CodeAction, with edits in other files (the site description, .cmts.json) placed
 * through `resolve`; a fix that creates a file needs `documentChanges` with a CreateFile, so it
 * is dropped (undefined) for clients that cannot create files, or when another file is unknown.
 */
export function toFixCodeAction(a: FixAction, uri: string, lines: LineIndex, diagnostic: Diagnostic | undefined, resolve: RelatedResolver, canCreate: boolean): CodeAction | undefined {
  const byUri = new Map<string, { lines: LineIndex | undefined; edits: TextEdit[]; create: boolean }>();
  for (const e of a.edits) {
    const where = e.file === undefined ? { uri, lines } : e.create ? { uri: resolveUri(e.file, resolve), lines: undefined } : resolve(e.file);
    if (!where?.uri) return undefined;
    let entry = byUri.get(where.uri);
    if (!entry) byUri.set(where.uri, (entry = { lines: where.lines, edits: [], create: false }));
    if (e.create) {
      if (!canCreate) return undefined;
      entry.create = true;
      entry.edits.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: e.newText });
    } else if (entry.lines) {
      entry.edits.push({ range: toRange(entry.lines, e.span), newText: e.newText });
    } else {
      return undefined;
    }
  }
  const base = { title: a.title, kind: CodeActionKind.QuickFix, ...(diagnostic ? { diagnostics: [diagnostic] } : {}), ...(a.isPreferred ? { isPreferred: true } : {}) };
  if (![...byUri.values()].some((x) => x.create)) {
    return { ...base, edit: { changes: Object.fromEntries([...byUri].map(([u, x]) => [u, x.edits])) } };
  }
  const documentChanges: (CreateFile | TextDocumentEdit)[] = [];
  for (const [u, x] of byUri) {
    if (x.create) documentChanges.push({ kind: 'create', uri: u, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri: u, version: null }, edits: x.edits });
  }
  return { ...base, edit: { documentChanges } };
}

/** A file that does not exist yet has no line index; only its URI is needed. */
function resolveUri(file: string, resolve: RelatedResolver): string | undefined {
  return resolve(file)?.uri;
}

/** Fix-all (source.fixAll.cmts): one action with every edit, none tied to a diagnostic. */
export function toFixAllAction(edits: readonly { span: Span; newText: string }[], uri: string, lines: LineIndex, stopped?: string): CodeAction {
  return {
    // Stopped at its bound (features/fixes.ts fixAll): the edits are whole fixes; the title says there is more.
    title: stopped ? 'Fix cmts problems that have one fix (stopped at the re-check bound; run again for the rest)' : 'Fix all cmts problems that have one fix',
    kind: FIX_ALL_KIND,
    edit: { changes: { [uri]: edits.map((e) => ({ range: toRange(lines, e.span), newText: e.newText })) } },
  };
}

const SYMBOL_KIND: Record<OutlineItem['kind'], SymbolKind> = {
  sequence: SymbolKind.File,
  group: SymbolKind.Namespace,
  step: SymbolKind.Event,
};

/** The outline as nested DocumentSymbols (disabled items tagged deprecated, which editors strike through). */
export function toDocumentSymbols(items: OutlineItem[], lines: LineIndex): DocumentSymbol[] {
  // A step has no children: no empty list (optional in LSP; 5 % of the answer for a 2 MB sequence).
  return items.map((it) => ({ ...toDocumentSymbolHead(it, lines), ...(it.children.length ? { children: toDocumentSymbols(it.children, lines) } : {}) }));
}

/** One outline item as a DocumentSymbol without its children (lsp/symbolJson.ts writes those itself). */
export function toDocumentSymbolHead(it: OutlineItem, lines: LineIndex): Omit<DocumentSymbol, 'children'> {
  return {
    name: clip(it.name, MAX_SYMBOL_CHARS),
    detail: clip(it.detail, MAX_SYMBOL_CHARS),
    kind: SYMBOL_KIND[it.kind],
    range: toRange(lines, it.span),
    selectionRange: toRange(lines, it.selection),
    ...(it.disabled ? { tags: [SymbolTag.Deprecated] } : {}),
  };
}

/** The outline flattened, for clients without hierarchical symbol support. */
export function toSymbolInformation(items: OutlineItem[], lines: LineIndex, uri: string, container?: string): SymbolInformation[] {
  return items.flatMap((it) => [
    { name: clip(it.name, MAX_SYMBOL_CHARS), kind: SYMBOL_KIND[it.kind], location: { uri, range: toRange(lines, it.span) }, ...(container ? { containerName: clip(container, MAX_SYMBOL_CHARS) } : {}) },
    ...toSymbolInformation(it.children, lines, uri, it.name),
  ]);
}

/** Folds spanning more than one line, at most one per start line (the editor's rule). */
export function toFoldingRanges(folds: Fold[], lines: LineIndex): FoldingRange[] {
  const out: FoldingRange[] = [];
  const seen = new Set<number>();
  for (const f of folds) {
    const startLine = lines.positionAt(f.start).line;
    const endLine = lines.positionAt(f.end).line - (f.kind === 'comment' ? 0 : 1);
    if (endLine <= startLine || seen.has(startLine)) continue;
    seen.add(startLine);
    out.push({ startLine, endLine, ...(f.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : f.kind === 'region' ? { kind: FoldingRangeKind.Region } : {}) });
  }
  return out;
}

// ---- completion, navigation, links (issue 7) ------------------------------------------------

const COMPLETION_KIND: Record<FeatureCompletion['kind'], CompletionItemKind> = {
  class: CompletionItemKind.Class,
  value: CompletionItemKind.Value,
  variable: CompletionItemKind.Variable,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
  reference: CompletionItemKind.Reference,
  property: CompletionItemKind.Property,
};

/** What the client can show: snippets, label details (LSP 3.17). */
export interface CompletionSupport {
  snippets: boolean;
  labelDetails: boolean;
}

/**
 * A neutral completion item as an LSP one, replacing `replaceSpan` (a text edit on the cursor's
 * line, as LSP requires: a span running onto another line is cut at the cursor).
 */
export function toCompletionItem(it: FeatureCompletion, lines: LineIndex, cursor: Position, support: CompletionSupport): CompletionItem {
  let range = toRange(lines, it.replaceSpan);
  if (range.start.line !== cursor.line) range = { start: cursor, end: cursor };
  else if (range.end.line !== cursor.line) range = { start: range.start, end: cursor };
  const snippet = it.isSnippet === true && support.snippets;
  const newText = it.isSnippet && !support.snippets ? snippetToPlain(it.insertText) : it.insertText;
  const detail = it.labelDetail && !support.labelDetails ? [it.labelDetail.trim(), it.detail].filter(Boolean).join(' — ') : it.detail;
  return {
    label: it.label,
    kind: COMPLETION_KIND[it.kind],
    ...(detail ? { detail } : {}),
    ...(it.labelDetail && support.labelDetails ? { labelDetails: { description: it.labelDetail.trim() } } : {}),
    ...(it.documentation ? { documentation: { kind: MarkupKind.Markdown, value: it.documentation } } : {}),
    textEdit: { range, newText },
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(it.sortText ? { sortText: it.sortText } : {}),
    ...(it.filterText ? { filterText: it.filterText } : {}),
    ...(it.preselect ? { preselect: true } : {}),
  };
}

export function toLocation(uri: string, lines: LineIndex, span: Span): Location {
  return { uri, range: toRange(lines, span) };
}

export function toDocumentLink(l: DocLink, lines: LineIndex): DocumentLink {
  return { range: toRange(lines, l.span), target: l.target, tooltip: l.tooltip };
}
