// A fast, conservative well-formedness test for parse.ts: true only for text in a plain subset of
// XML that fast-xml-parser's XMLValidator is certain to accept, so the validator (as slow as the
// parse itself) runs only on files that may hold an error, and still reports it exactly as before.
// Each rule below is a narrowing of one of the validator's; test/unit/wellFormed.test.ts checks
// the promise "true here ⇒ the validator says true" on every error class and on mutated exports.
// The same pass measures the longest text run for longText.ts (issue 20: one pass over the text
// where there were three), so the long-text cut need not scan a well-formed file again.

/** What the scan measured besides its verdict (complete only when it said true). */
export interface ScanFacts {
  /** The longest run of text outside markup (what longText.ts would shorten). */
  widestText: number;
}

/**
 * True when `src` is plainly well-formed: an optional `<?xml …?>` declaration at the very start
 * (after a BOM), whitespace and comments around one root element, ASCII element and attribute
 * names, every attribute `name="value"` (or single quotes) after whitespace and not repeated,
 * tags closed in order, and in text only comments, CDATA sections and the five predefined or
 * numeric character references. False means "ask the validator", not "malformed".
 */
export function plainlyWellFormed(src: string, facts?: ScanFacts): boolean {
  const n = src.length;
  /** Where the current text run began (after the last markup), for the widest run. */
  let runStart = 0;
  let widest = 0;
  /** The next '&' at or after the scan position (-1: none left), found with indexOf, not char by char. */
  let amp = -2;
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  // The validator accepts `<?xml` only as the first thing (it checks the position) and no other
  // processing instruction needs a fast path.
  if (src.startsWith('<?xml', i) && (isSpace(src.charCodeAt(i + 5)) || src.charCodeAt(i + 5) === 63)) {
    const close = src.indexOf('?>', i + 5);
    if (close < 0) return false;
    i = close + 2;
  }
  // Open elements: where each name starts and how long it is (compared char by char on close).
  const openStart: number[] = [];
  const openLen: number[] = [];
  // Attribute names of the current start tag, for the duplicate check (tags have a handful).
  const attrStart: number[] = [];
  const attrLen: number[] = [];
  let depth = 0;
  let rootSeen = false;
  let rootDone = false;
  while (i < n) {
    let c = src.charCodeAt(i);
    runStart = i;
    if (depth === 0) {
      // Outside the root: whitespace only.
      while (i < n && isSpace(c)) c = src.charCodeAt(++i);
      if (i - runStart > widest) widest = i - runStart;
      if (i >= n) break;
      if (c !== 60) return false;
    } else {
      // Text: up to the next '<'; each '&' in it must start a reference.
      const lt = src.indexOf('<', i);
      if (lt < 0) return false;
      for (;;) {
        if (amp !== -1 && amp < i) amp = src.indexOf('&', i);
        if (amp < 0 || amp > lt) break;
        const end = referenceEnd(src, amp);
        if (end < 0) return false;
        i = end;
      }
      i = lt;
      if (i - runStart > widest) widest = i - runStart;
    }
    // src[i] === '<'
    const c1 = src.charCodeAt(i + 1);
    if (c1 === 33 /* ! */) {
      if (src.startsWith('<!--', i)) {
        const close = src.indexOf('-->', i + 4);
        if (close < 0) return false;
        i = close + 3;
        continue;
      }
      if (depth > 0 && src.startsWith('<![CDATA[', i)) {
        const close = src.indexOf(']]>', i + 9);
        if (close < 0) return false;
        i = close + 3;
        continue;
      }
      return false;
    }
    if (c1 === 47 /* / */) {
      if (depth === 0) return false;
      const ns = i + 2;
      const ne = nameEnd(src, ns);
      const top = depth - 1;
      const len = openLen[top];
      if (ne - ns !== len) return false;
      const os = openStart[top];
      for (let k = 0; k < len; k++) if (src.charCodeAt(ns + k) !== src.charCodeAt(os + k)) return false;
      i = ne;
      c = src.charCodeAt(i);
      while (i < n && isSpace(c)) c = src.charCodeAt(++i);
      if (c !== 62) return false;
      i++;
      depth--;
      if (depth === 0) rootDone = true;
      continue;
    }
    // Start tag.
    if (rootDone) return false;
    const ns = i + 1;
    const ne = nameEnd(src, ns);
    if (ne === ns) return false;
    i = ne;
    attrStart.length = 0;
    attrLen.length = 0;
    let selfClosing = false;
    for (;;) {
      c = src.charCodeAt(i);
      const before = i;
      while (i < n && isSpace(c)) c = src.charCodeAt(++i);
      if (i >= n) return false;
      if (c === 62) { i++; break; }
      if (c === 47) {
        if (src.charCodeAt(i + 1) !== 62) return false;
        selfClosing = true;
        i += 2;
        break;
      }
      // An attribute: whitespace before it, an ASCII name, '=', a quoted value.
      if (i === before) return false;
      const as = i;
      const ae = nameEnd(src, as);
      if (ae === as) return false;
      const alen = ae - as;
      // Hostile input (issue 9): the repeat check below is quadratic in the attributes of one
      // element (50,000 took 8 s); no export writes more than a handful, so leave such tags to the validator.
      if (attrStart.length >= 64) return false;
      for (let a = 0; a < attrStart.length; a++) {
        if (attrLen[a] !== alen) continue;
        let same = true;
        for (let k = 0; k < alen && same; k++) same = src.charCodeAt(attrStart[a] + k) === src.charCodeAt(as + k);
        if (same) return false;
      }
      attrStart.push(as);
      attrLen.push(alen);
      i = ae;
      c = src.charCodeAt(i);
      while (i < n && isSpace(c)) c = src.charCodeAt(++i);
      if (c !== 61) return false;
      c = src.charCodeAt(++i);
      while (i < n && isSpace(c)) c = src.charCodeAt(++i);
      if (c !== 34 && c !== 39) return false;
      const close = src.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close < 0) return false;
      i = close + 1;
    }
    rootSeen = true;
    if (selfClosing) {
      if (depth === 0) rootDone = true;
    } else {
      openStart[depth] = ns;
      openLen[depth] = ne - ns;
      depth++;
    }
  }
  if (facts) facts.widestText = widest;
  return rootSeen && depth === 0;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** End of an ASCII XML name starting at `i` ([A-Za-z_:][A-Za-z0-9_:.-]*); `i` when there is none. */
function nameEnd(src: string, i: number): number {
  const c = src.charCodeAt(i);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58)) return i;
  let j = i + 1;
  for (;;) {
    const d = src.charCodeAt(j);
    if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || (d >= 48 && d <= 57) || d === 95 || d === 58 || d === 45 || d === 46) j++;
    else return j;
  }
}

/** Offset after `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#N;` `&#xH;` at `i`; -1 for anything else. */
function referenceEnd(src: string, i: number): number {
  const c = src.charCodeAt(i + 1);
  if (c === 35 /* # */) {
    let j = i + 2;
    const hex = src.charCodeAt(j) === 120;
    if (hex) j++;
    const first = j;
    for (;;) {
      const d = src.charCodeAt(j);
      if ((d >= 48 && d <= 57) || (hex && ((d >= 65 && d <= 70) || (d >= 97 && d <= 102)))) j++;
      else break;
    }
    return j > first && src.charCodeAt(j) === 59 ? j + 1 : -1;
  }
  for (const name of ['amp;', 'lt;', 'gt;', 'quot;', 'apos;']) if (src.startsWith(name, i + 1)) return i + 1 + name.length;
  return -1;
}

// Characters outside XML 1.0's Char production (§2.2): C0 controls other than tab, LF and CR,
// U+FFFE, U+FFFF, and halves of a surrogate pair standing alone. fast-xml-parser's validator lets
// them through, so they are looked for here. One regular-expression search: no copy of the text.
// eslint-disable-next-line no-control-regex -- these control characters are what the expression looks for
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Offsets of characters XML forbids anywhere in a document (at most `max` of them), in order. */
export function forbiddenCharacters(src: string, max: number): number[] {
  const out: number[] = [];
  FORBIDDEN.lastIndex = 0;
  for (let m = FORBIDDEN.exec(src); m && out.length < max; m = FORBIDDEN.exec(src)) out.push(m.index);
  return out;
}

/** `U+000B`, for a message about the character at `i`. */
export function codePointName(src: string, i: number): string {
  return `U+${src.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
}
