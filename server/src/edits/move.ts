// Moving a step or group beside another one (move-step), as one edit: the element goes with the
// comments written directly above it (a cmts-disable-next-line keeps silencing it), its lines
// re-indented to the depth of its new place, in the file's own line endings. A one-line export
// stays on one line. The edit covers the text from the old place to the new one, so nothing
// between them is touched except by being carried along unchanged.

import type { Item, Span } from '../model/types';
import { label } from '../semantics/stepInfo';
import type { MoveStepFix } from './fixData';
import { isOneLine, itemAtSpan, lineStartOf, ownLineIndent, validSpan } from './text';
import type { CodeFix, FixContext, FixEdit } from './types';

/** Start of the comments written directly above `start` (each on its own line, or inline on a one-line text). */
function leadingComments(text: string, start: number, inline: boolean): number {
  let p = start;
  for (;;) {
    let q = p;
    while (q > 0 && /\s/.test(text[q - 1])) q--;
    if (!text.startsWith('-->', q - 3)) return p;
    const open = text.lastIndexOf('<!--', q - 3);
    if (open < 0) return p;
    if (!inline && (ownLineIndent(text, open) === undefined || !/[\r\n]/.test(text.slice(q, p)))) return p;
    if (inline && /[\r\n]/.test(text.slice(q, p))) return p;
    p = open;
  }
}

/** Offset just past the line break ending the line that holds `end`, when only blanks follow `end` there. */
function endOfOwnLine(text: string, end: number): number | undefined {
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  if (e === text.length) return e;
  if (text.startsWith('\r\n', e)) return e + 2;
  if (text[e] === '\n' || text[e] === '\r') return e + 1;
  return undefined;
}

/** Lines of markup moved from one depth to another: a line whose first non-blank is `<` trades `from` for `to`. */
function reindent(block: string, from: string, to: string): string {
  if (from === to) return block;
  return block.replace(/(^|\r\n|\r|\n)([ \t]*)(?=<)/g, (_m, brk: string, ws: string) => brk + (ws.startsWith(from) ? to + ws.slice(from.length) : ws));
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * The one edit that moves `item` (through its later sibling `last`, when given) before or after
 * `anchor`; undefined when the anchor is inside what moves.
 */
export function moveEdit(text: string, item: Item, position: 'before' | 'after', anchor: Item, last: Item = item): FixEdit | undefined {
  const moving = { start: item.span.start, end: last.span.end };
  if (last !== item && (last.parent !== item.parent || last.span.start < item.span.end)) return undefined;
  if (contains(moving, anchor.span) || contains(anchor.span, moving)) return undefined;
  const itemIndent = ownLineIndent(text, item.span.start);
  const itemEnd = endOfOwnLine(text, moving.end);
  const anchorIndent = ownLineIndent(text, anchor.span.start);
  const lines = !isOneLine(text) && itemIndent !== undefined && itemEnd !== undefined && anchorIndent !== undefined
    && (position === 'before' || endOfOwnLine(text, anchor.span.end) !== undefined);

  let from: Span;
  let block: string;
  let at: number;
  if (lines) {
    const first = leadingComments(text, item.span.start, false);
    from = { start: lineStartOf(text, first), end: itemEnd };
    block = reindent(text.slice(from.start, from.end), itemIndent, anchorIndent);
    // A last line without a line break gets the file's, so the next line stays its own.
    if (!/[\r\n]$/.test(block)) block += /\r\n/.test(text) ? '\r\n' : '\n';
    at = position === 'before' ? lineStartOf(text, leadingComments(text, anchor.span.start, false)) : endOfOwnLine(text, anchor.span.end)!;
    if (at === text.length && !/[\r\n]$/.test(text)) return undefined;
  } else {
    from = { start: leadingComments(text, item.span.start, true), end: moving.end };
    block = text.slice(from.start, from.end);
    at = position === 'before' ? leadingComments(text, anchor.span.start, true) : anchor.span.end;
  }
  if (at > from.start && at < from.end) return undefined;
  if (at === from.start || at === from.end) return undefined; // already there
  if (at > from.end) return { span: { start: from.start, end: at }, newText: text.slice(from.end, at) + block };
  return { span: { start: at, end: from.end }, newText: block + text.slice(at, from.start) };
}

/** move-step: one fix, "Move <step> after/before <anchor>"; nothing when either element is gone. */
export function moveFixes(ctx: FixContext, data: MoveStepFix): CodeFix[] {
  if (!validSpan(ctx.text, data.item) || !validSpan(ctx.text, data.anchor)) return [];
  if (data.position !== 'before' && data.position !== 'after') return [];
  const item = itemAtSpan(ctx.model, data.item);
  const anchor = itemAtSpan(ctx.model, data.anchor);
  const last = data.through === undefined ? item : validSpan(ctx.text, data.through) ? itemAtSpan(ctx.model, data.through) : undefined;
  if (!item || !anchor || !last) return [];
  const edit = moveEdit(ctx.text, item, data.position, anchor, last);
  if (!edit) return [];
  const what = last === item ? label(item) : `${label(item)} through ${label(last)}`;
  return [{ title: `Move ${what} ${data.position} ${label(anchor)}`, kind: 'quickfix', isPreferred: true, edits: [edit] }];
}
