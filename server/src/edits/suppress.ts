// Silencing a check: a `cmts-disable-next-line <id>` comment before the innermost element holding
// the finding (step, group, variable, reference, else the sequence), at its indentation on a line of
// its own (inline in one-line exports), or the id added to such a comment already there; "off" for
// the check in the nearest .cmts.json, or a new .cmts.json. And the reverse: removing an id that
// silences nothing (the whole comment, with its line, when it was the only one).

import type { ElementSpans, Span, TaskSequenceModel } from '../model/types';
import { itemAt } from '../model/query';
import { isObjectAt, setProperty } from '../site/jsonEdit';
import { isOneLine, lineEnding, wholeLineOr } from './text';
import type { CodeFix, FixContext, FixEdit, FixInput } from './types';

const DIRECTIVE = /^\s*cmts-disable(?:-next-line)?\s+/;

interface CommentAt {
  start: number;
  end: number;
  ids: Span[];
}

/**
 * The comments last read, by where they start, for the text they were read in: every unused id of
 * one comment asks for it, and reading its ids again for each made a comment of thousands of ids
 * take seconds (found by the fuzzer, issue 21).
 */
let readIn: { text: string; comments: Map<number, CommentAt | null> } | undefined;

/** The suppression comment holding `span` and the spans of its ids. */
function suppressionCommentAround(text: string, span: Span): CommentAt | undefined {
  const start = text.lastIndexOf('<!--', span.start);
  if (start < 0) return undefined;
  if (readIn?.text !== text) readIn = { text, comments: new Map() };
  let c = readIn.comments.get(start);
  if (c === undefined) readIn.comments.set(start, (c = readComment(text, start) ?? null));
  return c && c.end - 3 >= span.end ? c : undefined;
}

function readComment(text: string, start: number): CommentAt | undefined {
  const close = text.indexOf('-->', start + 4);
  if (close < 0) return undefined;
  const inner = text.slice(start + 4, close);
  const d = DIRECTIVE.exec(inner);
  if (!d) return undefined;
  const ids: Span[] = [];
  const re = /[^\s,]+/g;
  const list = inner.slice(d[0].length);
  for (let m = re.exec(list); m; m = re.exec(list)) {
    const s = start + 4 + d[0].length + m.index;
    ids.push({ start: s, end: s + m[0].length });
  }
  return { start, end: close + 3, ids };
}

/** remove-suppression: the id (with one separator), or the whole comment and its line when it was the only id. */
export function removeSuppressionFixes(text: string, span: Span): CodeFix[] {
  const c = suppressionCommentAround(text, span);
  if (!c) return [];
  const i = idAt(c.ids, span);
  if (i < 0) return [];
  let edit: FixEdit;
  if (c.ids.length > 1) {
    // Take the separator on one side with it, so the others stay as written.
    edit = { span: i > 0 ? { start: c.ids[i - 1].end, end: c.ids[i].end } : { start: c.ids[0].start, end: c.ids[1].start }, newText: '' };
  } else {
    edit = { span: wholeLineOr(text, { start: c.start, end: c.end }), newText: '' };
  }
  return [{ title: `Remove "${text.slice(span.start, span.end)}" from the suppression comment`, kind: 'quickfix', isPreferred: true, edits: [edit] }];
}

/** Index of the id written exactly at `span` (ids are in the order they are written), or -1. */
function idAt(ids: readonly Span[], span: Span): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid].start < span.start) lo = mid + 1;
    else if (ids[mid].start > span.start) hi = mid - 1;
    else return ids[mid].end === span.end ? mid : -1;
  }
  return -1;
}

// ---- suppressing a check on an element ------------------------------------------------------

/** The innermost element a suppression comment can stand before, with how a title names it. */
function elementFor(model: TaskSequenceModel, offset: number): { spans: ElementSpans; what: string } | undefined {
  const inside = (s: ElementSpans): boolean => offset >= s.span.start && offset <= s.span.end;
  const item = itemAt(model, offset);
  if (item?.kind === 'step') {
    const v = item.variables.find(inside);
    if (v) return { spans: v, what: 'this variable' };
  }
  if (item) return { spans: item, what: item.kind === 'group' ? 'this group' : 'this step' };
  const seq = model.sequence;
  const global = seq?.globalVariables.find(inside);
  if (global) return { spans: global, what: 'this variable' };
  const ref = seq?.references.find(inside);
  if (ref) return { spans: ref, what: 'this reference' };
  if (seq && inside(seq)) return { spans: seq, what: 'this sequence' };
  if (model.wrapper && inside(model.wrapper)) return { spans: model.wrapper, what: 'this sequence' };
  return undefined;
}

/**
 * `<!-- cmts-disable-next-line <rule> -->` before the innermost element holding the finding. The
 * caller decides whether the check may be suppressed at all (its module's `suppressible`).
 */
export function suppressionFix(text: string, model: TaskSequenceModel, input: FixInput): CodeFix | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(input.rule)) return undefined;
  const el = elementFor(model, input.span.start);
  if (!el) return undefined;
  const title = `Suppress ${input.rule} for ${el.what}`;
  const at = el.spans.span.start;

  // Extend a suppression comment already right before the element.
  let p = at;
  while (p > 0 && /\s/.test(text[p - 1])) p--;
  if (text.startsWith('-->', p - 3)) {
    const c = suppressionCommentAround(text, { start: p - 3, end: p - 3 });
    if (c && c.end === p && /^<!--\s*cmts-disable-next-line\s/.test(text.slice(c.start, c.end)) && c.ids.length > 0) {
      if (c.ids.some((s) => text.slice(s.start, s.end) === input.rule)) return undefined;
      const last = c.ids[c.ids.length - 1];
      return { title, kind: 'quickfix', edits: [{ span: { start: last.end, end: last.end }, newText: ` ${input.rule}` }] };
    }
  }

  const comment = `<!-- cmts-disable-next-line ${input.rule} -->`;
  let ls = at;
  while (ls > 0 && (text[ls - 1] === ' ' || text[ls - 1] === '\t')) ls--;
  const ownLine = ls === 0 || text[ls - 1] === '\n' || text[ls - 1] === '\r';
  if (!ownLine || isOneLine(text)) return { title, kind: 'quickfix', edits: [{ span: { start: at, end: at }, newText: comment }] };
  // On a line of its own, with the element's indentation and the file's line ending.
  return { title, kind: 'quickfix', edits: [{ span: { start: ls, end: ls }, newText: `${text.slice(ls, at)}${comment}${lineEnding(text)}` }] };
}

/**
 * "Disable <id> in .cmts.json": "off" in the nearest one, or a new one where the front end says.
 * The caller decides whether the check may be switched off (its module's `configurable`).
 */
export function disableInConfigFix(input: FixInput, ctx: FixContext): CodeFix | undefined {
  const id = input.rule;
  const title = `Disable ${id} in .cmts.json`;
  if (ctx.configPath !== undefined) {
    if (ctx.configText === undefined) return undefined;
    const text = ctx.configText;
    const edit = text.trim() === ''
      ? { span: { start: 0, end: text.length }, newText: newConfig(id, lineEnding(text || ctx.text)) }
      : isObjectAt(text, ['rules']) ? setProperty(text, ['rules'], id, 'off') : setProperty(text, [], 'rules', { [id]: 'off' });
    return edit ? { title, kind: 'quickfix', edits: [{ file: ctx.configPath, ...edit }] } : undefined;
  }
  if (!ctx.newConfigPath) return undefined;
  return { title, kind: 'quickfix', edits: [{ file: ctx.newConfigPath, create: true, span: { start: 0, end: 0 }, newText: newConfig(id, lineEnding(ctx.text)) }] };
}

function newConfig(id: string, eol: string): string {
  return `{${eol}  "rules": {${eol}    ${JSON.stringify(id)}: "off"${eol}  }${eol}}${eol}`;
}
