// Long text between tags, cut out before fast-xml-parser sees the source. fxp builds text one
// character at a time (`textData += ch`), which costs about 2 s per megabyte in garbage
// collection: a 15 MB text node, under the 16 MB check limit, took half a minute (hostile input,
// issue 9; a base64 script of a few megabytes is not even hostile). The model reads every text
// from the source itself and takes only element names and offsets from fxp, so fxp can be given
// the source with the middle of each long text removed, and its offsets mapped back.

/** Text runs longer than this lose their middle. */
const LONG = 4096;
/** Characters kept at each end of a shortened run. */
const KEEP = 16;
/** Smaller sources are passed through as they are: nothing in them can be slow. */
const MIN_SOURCE = 64 * 1024;

export interface Shortened {
  text: string;
  /** Offset in `text` → offset in the original source. */
  original(offset: number): number;
}

/**
 * The source with the middle of every long text run (outside tags, comments, CDATA sections and
 * processing instructions) removed, or undefined when there is none. Only text is removed, never
 * markup, so every offset fxp reports for a tag maps back exactly. Tags are scanned the way fxp
 * scans them (a `>` inside quotes does not end a tag); the scan stops at anything unterminated
 * and leaves the rest as it is. `widestText`, when known, is the longest text run in `src`.
 */
export function shortenLongText(src: string, widestText?: number): Shortened | undefined {
  if (src.length < MIN_SOURCE) return undefined;
  // The well-formedness scan (wellFormed.ts) measured the text runs already: nothing to cut.
  if (widestText !== undefined && widestText <= LONG) return undefined;
  // Quick reject (issue 8: this runs on every large file): a text run lies between the end of some
  // markup and the next '<', so it is no longer than the gap between two '<'. Without a gap over
  // LONG there is nothing to cut, and indexOf finds that out far faster than the scan below.
  let widest = 0;
  for (let prev = -1, lt = src.indexOf('<'); ; prev = lt, lt = src.indexOf('<', lt + 1)) {
    const gap = (lt < 0 ? src.length : lt) - prev - 1;
    if (gap > widest) widest = gap;
    if (lt < 0 || widest > LONG) break;
  }
  if (widest <= LONG) return undefined;
  /** Start (in the original) and length of each removed stretch. */
  const cuts: number[] = [];
  let i = 0;
  for (;;) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? src.length : lt;
    if (textEnd - i > LONG) cuts.push(i + KEEP, textEnd - i - 2 * KEEP);
    if (lt < 0) break;
    const end = markupEnd(src, lt);
    if (end < 0) break;
    i = end;
  }
  if (cuts.length === 0) return undefined;
  const parts: string[] = [];
  /** For each cut: where it is in the shortened text, and how much was removed up to and including it. */
  const at: number[] = [];
  const removed: number[] = [];
  let from = 0;
  let total = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    const start = cuts[k];
    const len = cuts[k + 1];
    parts.push(src.slice(from, start));
    at.push(start - total);
    total += len;
    removed.push(total);
    from = start + len;
  }
  parts.push(src.slice(from));
  return {
    text: parts.join(''),
    original(offset: number): number {
      // The last cut at or before `offset` (binary search): everything it and those before removed.
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (at[mid] <= offset) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? offset : offset + removed[lo - 1];
    },
  };
}

/** Offset just after the markup starting at `lt` (a `<`): a tag (quotes respected), comment, CDATA section or processing instruction; -1 when it never ends. */
export function markupEnd(src: string, lt: number): number {
  if (src.startsWith('<!--', lt)) return after(src.indexOf('-->', lt + 4), 3);
  if (src.startsWith('<![CDATA[', lt)) return after(src.indexOf(']]>', lt + 9), 3);
  if (src.startsWith('<?', lt)) return after(src.indexOf('?>', lt + 2), 2);
  let quote = 0;
  for (let j = lt + 1; j < src.length; j++) {
    const c = src.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j + 1;
  }
  return -1;
}

function after(index: number, length: number): number {
  return index < 0 ? -1 : index + length;
}
