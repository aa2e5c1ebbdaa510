// Where the cursor is in the XML, for completion: inside an attribute value (which element, which
// attribute), in text content, or just after `<`, with the chain of open elements around it. A
// forward scan of the text up to the cursor, independent of the parser: the document is usually
// half-typed while completing, and the tags already written are all this needs. Comments,
// processing instructions and DOCTYPE are skipped; a CDATA section is read as markup (object.xml
// keeps the whole sequence in one).

import type { Span, TaskSequenceModel } from '../model/types';

export interface OpenElement {
  name: string;
  /** Attribute values as written (not decoded: completion compares names and plain IDs only). */
  attrs: Record<string, string>;
  /** Offset of its `<`. */
  start: number;
}

export type XmlContext =
  | {
      kind: 'attrValue';
      element: OpenElement;
      attr: string;
      /** The value from just after the opening quote to the closing quote (or the cursor, when unterminated). */
      value: Span;
      /** The open elements around the tag, outermost first. */
      parents: OpenElement[];
    }
  | {
      kind: 'text';
      /** The text run (between tags) holding the cursor. */
      value: Span;
      parents: OpenElement[];
    }
  | {
      kind: 'tagName';
      /** From the `<` to the end of the name typed so far. */
      span: Span;
      parents: OpenElement[];
    }
  | { kind: 'none' };

/**
 * Open elements deeper than this are not tracked (the parser reads only 256 levels anyway): each
 * end tag searches the stack, and a megabyte of `<a>` made that quadratic (hostile input, issue 9).
 */
const MAX_OPEN = 512;

/** A place to start the scan other than the top of the file, with the elements open there. */
export interface Resume {
  offset: number;
  parents: OpenElement[];
}

/**
 * The context at `offset`; `none` inside comments, closing tags, between attributes and the like.
 * With `from`, the scan starts there instead of at the top (see `resumeAt`).
 */
export function xmlContextAt(text: string, offset: number, from?: Resume): XmlContext {
  const stack: OpenElement[] = from && from.offset <= offset ? from.parents.slice() : [];
  let i = from && from.offset <= offset ? from.offset : 0;
  for (;;) {
    let lt = text.indexOf('<', i);
    // CDATA markers are transparent: the sequence inside object.xml is markup to us.
    while (lt >= 0 && text.charCodeAt(lt + 1) === BANG && text.startsWith('<![CDATA[', lt) && lt + 9 <= offset) {
      i = lt + 9;
      lt = text.indexOf('<', i);
    }
    if (lt < 0 || lt >= offset) {
      const end = lt < 0 ? text.length : lt;
      return { kind: 'text', value: { start: i, end: cdataEnd(text, i, end) }, parents: stack.slice() };
    }
    // Dispatch on the character after `<` first: junk full of `<` made four string comparisons a
    // character cost seconds once V8 had seen enough odd input (fuzzer, issue 9).
    const next = text.charCodeAt(lt + 1);
    if (next === LT && lt + 1 < offset) {
      // A run of `<` names no element: skip it in one tight loop, up to its last `<` (a megabyte of
      // them cost a function call and two objects each, seconds once V8 stopped optimizing).
      let k = lt + 1;
      while (k + 1 < offset && text.charCodeAt(k + 1) === LT) k++;
      i = k;
      continue;
    }
    if (next === BANG && text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0 || close + 3 > offset) return { kind: 'none' };
      i = close + 3;
      continue;
    }
    if (next === BANG || next === QUESTION) {
      const close = text.indexOf('>', lt + 2);
      if (close < 0 || close + 1 > offset) return { kind: 'none' };
      i = close + 1;
      continue;
    }
    if (next === SLASH) {
      const close = text.indexOf('>', lt + 2);
      if (close < 0 || close + 1 > offset) return { kind: 'none' };
      const name = text.slice(lt + 2, close).trim();
      // Lenient: close back to the matching element; a stray end tag changes nothing.
      let at = stack.length - 1;
      while (at >= 0 && stack[at].name !== name) at--;
      if (at >= 0) stack.length = at;
      i = close + 1;
      continue;
    }
    const r = readTag(text, lt, offset, stack);
    if (r.context) return r.context;
    // A `<` with no name is no element (a run of them took seconds per completion: issue 9).
    if (r.element && !r.selfClosing && r.element.name !== '' && stack.length < MAX_OPEN) stack.push(r.element);
    i = r.end;
  }
}

/** Text runs end at `]]>` too, so a value inside object.xml's CDATA does not swallow it. */
function cdataEnd(text: string, start: number, end: number): number {
  const c = text.indexOf(']]>', start);
  return c >= 0 && c < end ? c : end;
}

interface TagRead {
  context?: XmlContext;
  element?: OpenElement;
  selfClosing?: boolean;
  end: number;
}

/**
 * Reads the start tag at `lt`; returns the context when the cursor is inside it. Characters are
 * tested by code (no regular expression or one-character string per character): on megabytes of
 * junk the regex-per-character loops made a completion take seconds in the server (fuzzer, issue 9).
 */
function readTag(text: string, lt: number, offset: number, stack: OpenElement[]): TagRead {
  const n = text.length;
  let j = lt + 1;
  while (j < n && !isNameEnd(text.charCodeAt(j)) && text.charCodeAt(j) !== LT) j++;
  const name = text.slice(lt + 1, j);
  if (offset <= j) return { context: { kind: 'tagName', span: { start: lt, end: j }, parents: stack.slice() }, end: j };
  const element: OpenElement = { name, attrs: {}, start: lt };
  for (;;) {
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    const c = j < n ? text.charCodeAt(j) : -1;
    if (c < 0 || c === LT) return { context: offset <= j ? { kind: 'none' } : undefined, element, end: j };
    if (c === GT) {
      if (offset <= j) return { context: { kind: 'none' }, end: j };
      return { element, end: j + 1 };
    }
    if (c === SLASH && text.charCodeAt(j + 1) === GT) {
      if (offset <= j + 1) return { context: { kind: 'none' }, end: j };
      return { element, selfClosing: true, end: j + 2 };
    }
    const a = j;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (isNameEnd(d) || d === EQ || d === LT) break;
      j++;
    }
    const attr = text.slice(a, j);
    if (j === a) j++; // a stray character: step over it
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== EQ) {
      if (offset <= j) return { context: { kind: 'none' }, end: j };
      continue;
    }
    j++;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    const q = text.charCodeAt(j);
    if (q !== DQ && q !== SQ) {
      if (offset <= j) return { context: { kind: 'none' }, end: j };
      continue;
    }
    const vs = j + 1;
    let ve = text.indexOf(q === DQ ? '"' : "'", vs);
    // An unterminated value (the user is typing, the editor did not close the quote) runs to the
    // next line break, `<`, or what looks like the next attribute at the latest. Only the stretch up
    // to the closing quote is searched, so the scan stays linear.
    const stop = valueStop(text, vs, ve < 0 ? Math.min(n, vs + 4096) : ve + 1);
    const unterminated = ve < 0 || stop >= 0;
    if (unterminated) ve = stop >= 0 ? stop : Math.min(n, vs + 4096);
    if (offset >= vs && offset <= ve) {
      const valueEnd = unterminated ? Math.min(ve, wordEnd(text, offset)) : ve;
      return { context: { kind: 'attrValue', element, attr, value: { start: vs, end: Math.max(valueEnd, offset) }, parents: stack.slice() }, end: ve };
    }
    element.attrs[attr] = text.slice(vs, ve);
    j = unterminated ? ve : ve + 1;
  }
}

const LT = 60;
const GT = 62;
const BANG = 33;
const QUESTION = 63;
const SLASH = 47;
const EQ = 61;
const DQ = 34;
const SQ = 39;

/** What `\s` matches in a regular expression, by character code. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The end of an element name: white space, `/` or `>`. */
function isNameEnd(c: number): boolean {
  return c === SLASH || c === GT || isSpace(c);
}

/**
 * Where an unterminated value must end in [from, to): a line break, a `<`, or white space followed
 * by what looks like the next attribute (`name =` and a quote). -1 when nothing in the stretch
 * stops it. By character code, without slicing the stretch.
 */
function valueStop(text: string, from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13 || c === LT) return k;
    if (isSpace(c) && looksLikeAttribute(text, k + 1, to)) return k;
  }
  return -1;
}

/** `name`, optional blanks, `=`, optional blanks and a quote, starting at `k` (name: letters, digits, `_ : . -`). */
function looksLikeAttribute(text: string, k: number, to: number): boolean {
  const start = k;
  while (k < to && isAttrNameChar(text.charCodeAt(k))) k++;
  if (k === start) return false;
  while (k < to && isSpace(text.charCodeAt(k))) k++;
  if (text.charCodeAt(k) !== EQ) return false;
  k++;
  while (k < to && isSpace(text.charCodeAt(k))) k++;
  const q = text.charCodeAt(k);
  return k < to && (q === DQ || q === SQ);
}

function isAttrNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c === 46 || c === 45;
}

function wordEnd(text: string, from: number): number {
  let k = from;
  while (k < text.length && /[\w.-]/.test(text[k])) k++;
  return k;
}

/**
 * Where `xmlContextAt` can start for `offset` in `text`: the start of the last step that begins
 * before it, with the groups and the sequence around that step as the open elements. On a 2 MB
 * sequence this spares a scan of everything before (tens of milliseconds a completion).
 *
 * `model` may be an earlier version's (the server's stale view): `modelOffset` is the cursor in
 * that model's text and `toText` maps its offsets into `text`. A step whose mapped start does not
 * hold its start tag in `text` is passed over. Undefined outside the sequence element, before the
 * first step, or when no step can be trusted: the caller scans from the top. The elements above
 * the sequence (an export's wrapper) come from a scan of the short text before `<sequence>`.
 */
export function resumeAt(model: TaskSequenceModel, modelOffset: number, text: string, offset: number, toText: (modelOffset: number) => number): Resume | undefined {
  const seq = model.sequence;
  if (!seq || modelOffset < seq.startTagEnd || modelOffset > seq.span.end) return undefined;
  const steps = model.steps;
  // The last step starting before the cursor (steps are in document order); a cursor right at a
  // step's `<` is in the text before it, which only a scan from further up sees whole.
  let lo = 0;
  let hi = steps.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid].span.start < modelOffset) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let tries = 0; k >= 0 && tries < 8; k--, tries++) {
    const step = steps[k];
    const at = toText(step.span.start);
    if (at >= offset || !text.startsWith(`<${step.element}`, at)) continue;
    const inner: OpenElement[] = [];
    for (let g = step.parent; g; g = g.parent) inner.push({ name: 'group', attrs: plain(g.attrs), start: toText(g.span.start) });
    // Above the sequence: the export's wrapper, read by a scan of the little text before it.
    const seqAt = toText(seq.span.start);
    if (!text.startsWith('<sequence', seqAt)) return undefined;
    const outer = xmlContextAt(text, seqAt);
    if (outer.kind !== 'text') return undefined;
    return { offset: at, parents: [...outer.parents, { name: 'sequence', attrs: plain(seq.attrs), start: seqAt }, ...inner.reverse()] };
  }
  return undefined;
}

function plain(attrs: Record<string, { value: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(attrs)) out[k] = attrs[k].value;
  return out;
}
