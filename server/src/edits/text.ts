// Text helpers every fix shares: the document's line ending and indentation as written, whether
// it is a one-line export, XML escaping, finding the item an anchor span names, and applying or
// comparing edits. Fixes copy the file's own conventions from here instead of assuming any.

import type { Item, Span, TaskSequenceModel } from '../model/types';
import { lineEnding } from '../model/positions';
import type { FixEdit } from './types';

export { lineEnding };

/** True when the document has no line break at all (console exports written on one line). */
export function isOneLine(text: string): boolean {
  return !/[\r\n]/.test(text);
}

/** Offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/**
 * The whitespace before `offset` when only whitespace stands between it and its line start (the
 * element is first on its line); undefined when something else is written before it on that line.
 */
export function ownLineIndent(text: string, offset: number): string | undefined {
  const ls = lineStartOf(text, offset);
  const before = text.slice(ls, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/**
 * The indentation unit the document uses: the step of indentation from an element to its first
 * child element on the following line, found near `near` first (so a file indented with tabs in
 * one part and spaces in another follows the part being edited). Two spaces when nothing says.
 */
export function indentUnit(text: string, near = 0): string {
  // A window around the edit is enough, and keeps a fix on a huge document cheap.
  const from = Math.max(0, lineStartOf(text, Math.max(0, near - 20_000)));
  const window = text.slice(from, near + 20_000);
  const lines = window.split(/\r\n|\r|\n/);
  let pos = from;
  const steps: { at: number; unit: string }[] = [];
  for (let i = 0; i + 1 < lines.length && steps.length < 400; i++) {
    const a = /^([ \t]*)</.exec(lines[i]);
    const b = /^([ \t]*)<[^/!?]/.exec(lines[i + 1]);
    if (a && b && b[1].length > a[1].length && b[1].startsWith(a[1]) && !/\/>\s*$|<\/[^>]+>\s*$/.test(lines[i])) {
      steps.push({ at: pos, unit: b[1].slice(a[1].length) });
    }
    pos += lines[i].length + 1;
  }
  if (steps.length === 0) return /[\r\n]\t</.test(window) ? '\t' : '  ';
  steps.sort((x, y) => Math.abs(x.at - near) - Math.abs(y.at - near));
  return steps[0].unit;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value as XML (the console escapes the same five characters). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** The step or group whose element is exactly `span`, in the current model (a stale anchor finds none). */
export function itemAtSpan(model: TaskSequenceModel, span: Span): Item | undefined {
  for (const s of model.steps) if (s.span.start === span.start && s.span.end === span.end) return s;
  for (const g of model.groups) if (g.span.start === span.start && g.span.end === span.end) return g;
  return undefined;
}

export function validSpan(text: string, span: unknown): span is Span {
  if (!span || typeof span !== 'object') return false;
  const s = span as Record<string, unknown>;
  return typeof s.start === 'number' && typeof s.end === 'number' && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= text.length;
}

/** Edits of one text applied (last first); throws when two overlap, which no fix may produce. */
export function applyEdits(text: string, edits: readonly { span: Span; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.span.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

/**
 * Whether two edits of one file touch: overlapping ranges, or two insertions at one offset (their
 * order would be a guess), or an insertion at the edge of a replaced range.
 */
export function editsClash(a: FixEdit, b: FixEdit): boolean {
  if ((a.file ?? '') !== (b.file ?? '')) return false;
  if (a.create || b.create) return true;
  if (a.span.start === a.span.end || b.span.start === b.span.end) return a.span.start <= b.span.end && b.span.start <= a.span.end;
  return a.span.start < b.span.end && b.span.start < a.span.end;
}

/** The element's whole line (with its line break) when nothing else is on it, else the element alone: what removing it takes. */
export function wholeLineOr(text: string, span: Span): Span {
  let ls = span.start;
  while (ls > 0 && (text[ls - 1] === ' ' || text[ls - 1] === '\t')) ls--;
  let le = span.end;
  while (le < text.length && (text[le] === ' ' || text[le] === '\t')) le++;
  const atLineStart = ls === 0 || text[ls - 1] === '\n' || text[ls - 1] === '\r';
  const atLineEnd = le === text.length || text[le] === '\n' || text[le] === '\r';
  if (!atLineStart || !atLineEnd) return span;
  if (le < text.length) return { start: ls, end: le + (text.startsWith('\r\n', le) ? 2 : 1) };
  // Last line: take the line break before it instead, unless the element is the whole text.
  if (ls > 0) return { start: ls - (text.startsWith('\r\n', ls - 2) ? 2 : 1), end: le };
  return { start: ls, end: le };
}
