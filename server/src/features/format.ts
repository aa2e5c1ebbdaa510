// Formatting in the console's own layout: one element per line, two spaces per level, an element
// holding only text on one line (`<variable name="…">value</variable>`), attributes separated by
// one space in the order written. The result is a list of small edits (the whitespace between
// tags and the start tags that change), so a file already in that layout gets none and a range
// format touches only what lies in the range. Pure: text in, edits out.

import type { Span } from '../model/types';

export interface FormatEdit {
  span: Span;
  newText: string;
}

export interface FormatResult {
  edits: FormatEdit[];
  /** Why nothing is formatted (the text is not one the formatter can lay out without changing its meaning). */
  refused?: string;
}

const INDENT = '  ';

type Token =
  | { kind: 'text'; span: Span }
  | { kind: 'pi'; span: Span }
  | { kind: 'comment'; span: Span }
  | { kind: 'cdata'; span: Span }
  | { kind: 'open'; span: Span; name: string; attrs: string[]; selfClose: boolean; spaceBeforeSlash: boolean }
  | { kind: 'close'; span: Span; name: string };

/**
 * The edits that lay `text` out in the console's layout, or none with a reason when it cannot be
 * done safely (not well formed, a DOCTYPE, text mixed with elements). Attributes keep the order
 * they are written in: ConfigMgr and MDT's Workbench write them in different orders (twelve
 * distinct orders for `<step>` in the 55 real exports), and each is the order an export writes.
 */
export function formatEdits(text: string, range?: Span): FormatResult {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { edits: [], refused: tokens };
  const structure = analyse(text, tokens);
  if (typeof structure === 'string') return { edits: [], refused: structure };
  const eol = text.includes('\r\n') ? '\r\n' : text.includes('\n') ? '\n' : text.includes('\r') ? '\r' : '';
  // A one-line file stays one line: no line breaks, no indentation, only the tags normalised. It is
  // one line when no space between elements breaks a line (a command line or value may hold one).
  const oneLine = eol === '' || !layoutBreaksLine(text, tokens, structure.content);
  const edits: FormatEdit[] = [];
  const replace = (span: Span, newText: string): void => {
    if (text.slice(span.start, span.end) !== newText) edits.push({ span, newText });
  };
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  let depth = 0;
  let gapStart = bom;
  let first = true;
  const { hasChildren } = structure;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'text' || t.kind === 'cdata') {
      // Content of a text-only element is kept as written (values, command lines); blank text
      // between elements is part of the gap that is laid out.
      if (structure.content.has(i)) gapStart = t.span.end;
      continue;
    }
    let want: string;
    if (t.kind === 'close') want = hasChildren.has(structure.openOf.get(i)!) ? eol + INDENT.repeat(Math.max(0, depth - 1)) : '';
    else want = first ? '' : eol + INDENT.repeat(depth);
    replace({ start: gapStart, end: t.span.start }, oneLine ? '' : want);
    if (t.kind === 'open') {
      replace(t.span, startTag(t));
      if (!t.selfClose) depth++;
    } else if (t.kind === 'close') {
      replace(t.span, `</${t.name}>`);
      depth--;
    }
    first = false;
    gapStart = t.span.end;
  }
  // After the root: the file ends as it did, with one line break or none.
  const tail = { start: gapStart, end: text.length };
  replace(tail, /[\r\n]/.test(text.slice(gapStart)) ? eol : '');
  const selected = range ? edits.filter((e) => e.span.start <= range.end && e.span.end >= range.start) : edits;
  return { edits: selected };
}

/** True when the blank text between elements (not the content of one) holds a line break before the last tag. */
function layoutBreaksLine(text: string, tokens: readonly Token[], content: ReadonlySet<number>): boolean {
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last].kind === 'text') last--;
  for (let i = 0; i < last; i++) {
    const t = tokens[i];
    if (t.kind === 'text' && !content.has(i) && /[\r\n]/.test(text.slice(t.span.start, t.span.end))) return true;
  }
  return false;
}

/** Applies non-overlapping edits (as formatEdits returns them) to `text`. */
export function applyFormatEdits(text: string, edits: readonly FormatEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.span.start - b.span.start)) {
    out += text.slice(at, e.span.start) + e.newText;
    at = e.span.end;
  }
  return out + text.slice(at);
}

function startTag(t: Extract<Token, { kind: 'open' }>): string {
  const attrs = t.attrs.map((a) => ` ${a}`).join('');
  return `<${t.name}${attrs}${t.selfClose ? (t.spaceBeforeSlash ? ' />' : '/>') : '>'}`;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ATTR = /\s*([A-Za-z_:][\w.:-]*)\s*=\s*("[^"<]*"|'[^'<]*')/y;

/** Splits the text into tags, comments, CDATA and text; a string says why it cannot. */
function tokenize(text: string): Token[] | string {
  const out: Token[] = [];
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      out.push({ kind: 'text', span: { start: i, end: text.length } });
      break;
    }
    if (lt > i) out.push({ kind: 'text', span: { start: i, end: lt } });
    const close = (marker: string, kind: 'pi' | 'comment' | 'cdata'): number | string => {
      const e = text.indexOf(marker, lt);
      if (e < 0) return `an unclosed ${kind === 'pi' ? 'processing instruction' : kind === 'comment' ? 'comment' : 'CDATA section'} at offset ${lt}`;
      out.push({ kind, span: { start: lt, end: e + marker.length } });
      return e + marker.length;
    };
    let next: number | string;
    if (text.startsWith('<?', lt)) next = close('?>', 'pi');
    else if (text.startsWith('<!--', lt)) next = close('-->', 'comment');
    else if (text.startsWith('<![CDATA[', lt)) next = close(']]>', 'cdata');
    else if (text.startsWith('<!', lt)) return 'the file has a DOCTYPE';
    else if (text.startsWith('</', lt)) {
      NAME.lastIndex = lt + 2;
      const m = NAME.exec(text);
      const gt = text.indexOf('>', lt);
      if (!m || gt < 0 || text.slice(NAME.lastIndex, gt).trim() !== '') return `a broken end tag at offset ${lt}`;
      out.push({ kind: 'close', span: { start: lt, end: gt + 1 }, name: m[0] });
      next = gt + 1;
    } else {
      NAME.lastIndex = lt + 1;
      const m = NAME.exec(text);
      if (!m) return `a "<" that starts no tag at offset ${lt}`;
      let p = NAME.lastIndex;
      const attrs: string[] = [];
      for (;;) {
        ATTR.lastIndex = p;
        const a = ATTR.exec(text);
        if (!a || a.index !== p) break;
        attrs.push(`${a[1]}=${a[2]}`);
        p = ATTR.lastIndex;
      }
      const rest = /\s*(\/?)>/y;
      rest.lastIndex = p;
      const r = rest.exec(text);
      if (!r) return `a broken start tag at offset ${lt}`;
      const selfClose = r[1] === '/';
      out.push({ kind: 'open', span: { start: lt, end: rest.lastIndex }, name: m[0], attrs, selfClose, spaceBeforeSlash: selfClose && /^\s/.test(r[0]) });
      next = rest.lastIndex;
    }
    if (typeof next === 'string') return next;
    i = next;
  }
  return out;
}

interface Structure {
  /** Start-tag token indexes of elements holding elements or comments (laid out over lines). */
  hasChildren: Set<number>;
  /** Text and CDATA tokens that are an element's content (kept as written). */
  content: Set<number>;
  /** For each end tag, the index of its start tag. */
  openOf: Map<number, number>;
}

/** Matches tags and finds which elements hold elements; text beside elements is refused. */
function analyse(text: string, tokens: Token[]): Structure | string {
  const stack: number[] = [];
  const hasChildren = new Set<number>();
  const openOf = new Map<number, number>();
  const textIn = new Map<number, number[]>();
  let roots = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const parent = stack[stack.length - 1];
    if (t.kind === 'text' || t.kind === 'cdata') {
      if (parent === undefined) {
        if (t.kind === 'cdata' || text.slice(t.span.start, t.span.end).trim() !== '') return 'text outside the root element';
        continue;
      }
      const list = textIn.get(parent) ?? [];
      list.push(i);
      textIn.set(parent, list);
    } else if (t.kind === 'open' || t.kind === 'comment' || t.kind === 'pi') {
      if (parent !== undefined) hasChildren.add(parent);
      if (t.kind === 'open') {
        if (parent === undefined) roots++;
        if (!t.selfClose) stack.push(i);
      }
    } else {
      const open = stack.pop();
      const o = open === undefined ? undefined : tokens[open];
      if (open === undefined || o?.kind !== 'open' || o.name !== t.name) return `an end tag </${t.name}> that closes nothing open at offset ${t.span.start}`;
      openOf.set(i, open);
    }
  }
  if (stack.length) return 'an element that is never closed';
  if (roots !== 1) return roots ? 'more than one root element' : 'no root element';
  const content = new Set<number>();
  for (const [parent, list] of textIn) {
    const mixed = list.some((i) => tokens[i].kind === 'cdata' || text.slice(tokens[i].span.start, tokens[i].span.end).trim() !== '');
    if (hasChildren.has(parent)) {
      if (mixed) return 'text beside elements (mixed content)';
    } else for (const i of list) content.add(i);
  }
  return { hasChildren, content, openOf };
}
