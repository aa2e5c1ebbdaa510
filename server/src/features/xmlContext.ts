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

const NAME_END = /[\s/>]/;

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
    while (lt >= 0 && text.startsWith('<![CDATA[', lt) && lt + 9 <= offset) {
      i = lt + 9;
      lt = text.indexOf('<', i);
    }
    if (lt < 0 || lt >= offset) {
      const end = lt < 0 ? text.length : lt;
      return { kind: 'text', value: { start: i, end: cdataEnd(text, i, end) }, parents: stack.slice() };
    }
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0 || close + 3 > offset) return { kind: 'none' };
      i = close + 3;
      continue;
    }
    if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) {
      const close = text.indexOf('>', lt + 2);
      if (close < 0 || close + 1 > offset) return { kind: 'none' };
      i = close + 1;
      continue;
    }
    if (text[lt + 1] === '/') {
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

/** Reads the start tag at `lt`; returns the context when the cursor is inside it. */
function readTag(text: string, lt: number, offset: number, stack: OpenElement[]): TagRead {
  let j = lt + 1;
  while (j < text.length && !NAME_END.test(text[j]) && text[j] !== '<') j++;
  const name = text.slice(lt + 1, j);
  if (offset <= j) return { context: { kind: 'tagName', span: { start: lt, end: j }, parents: stack.slice() }, end: j };
  const element: OpenElement = { name, attrs: {}, start: lt };
  for (;;) {
    while (j < text.length && /\s/.test(text[j])) j++;
    if (j >= text.length || text[j] === '<') return { context: offset <= j ? { kind: 'none' } : undefined, element, end: j };
    if (text[j] === '>') {
      if (offset <= j) return { context: { kind: 'none' }, end: j };
      return { element, end: j + 1 };
    }
    if (text.startsWith('/>', j)) {
      if (offset <= j + 1) return { context: { kind: 'none' }, end: j };
      return { element, selfClosing: true, end: j + 2 };
    }
    const a = j;
    while (j < text.length && !/[\s=/>]/.test(text[j]) && text[j] !== '<') j++;
    const attr = text.slice(a, j);
    if (j === a) j++; // a stray character: step over it
    while (j < text.length && /\s/.test(text[j])) j++;
    if (text[j] !== '=') {
      if (offset <= j) return { context: { kind: 'none' }, end: j };
      continue;
    }
    j++;
    while (j < text.length && /\s/.test(text[j])) j++;
    const q = text[j];
    if (q !== '"' && q !== "'") {
      if (offset <= j) return { context: { kind: 'none' }, end: j };
      continue;
    }
    const vs = j + 1;
    let ve = text.indexOf(q, vs);
    // An unterminated value (the user is typing, the editor did not close the quote) runs to the
    // next line break, `<`, or what looks like the next attribute at the latest. Only the stretch up
    // to the closing quote is searched, so the scan stays linear.
    const stop = firstStop(text.slice(vs, ve < 0 ? Math.min(text.length, vs + 4096) : ve + 1));
    const unterminated = ve < 0 || stop >= 0;
    if (unterminated) ve = stop >= 0 ? vs + stop : Math.min(text.length, vs + 4096);
    if (offset >= vs && offset <= ve) {
      const valueEnd = unterminated ? Math.min(ve, wordEnd(text, offset)) : ve;
      return { context: { kind: 'attrValue', element, attr, value: { start: vs, end: Math.max(valueEnd, offset) }, parents: stack.slice() }, end: ve };
    }
    element.attrs[attr] = text.slice(vs, ve);
    j = unterminated ? ve : ve + 1;
  }
}

const STOP = /[\r\n<]|\s[\w:.-]+\s*=\s*["']/;

/** Where an unterminated value must end inside `stretch`, or -1. */
function firstStop(stretch: string): number {
  const m = STOP.exec(stretch);
  return m ? m.index : -1;
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
