// Is this text a task sequence export? A cheap look at the root element, used to pick task
// sequences out of a folder of arbitrary XML (CLI folder scans, the editor's language detection,
// the server's workspace scan) without parsing every file.

import type { Flavour, Span } from './types';

/** Reads at most this much of a file to decide. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Where the prolog ends: the offset of the root element's `<` (-1 when the text ends or turns into
 * something else first), and the DOCTYPE if one was passed on the way. The parser uses the DOCTYPE
 * span to blank it out before any XML library sees it.
 */
export function scanProlog(text: string): { root: number; doctype?: Span } {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let doctype: Span | undefined;
  // Whitespace, declaration, comments, processing instructions, DOCTYPE.
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i + 2);
      if (e < 0) return { root: -1, doctype };
      i = e + 2;
    } else if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i + 4);
      if (e < 0) return { root: -1, doctype };
      i = e + 3;
    } else if (text.startsWith('<!', i)) {
      const e = declarationEnd(text, i);
      if (text.startsWith('<!DOCTYPE', i)) doctype ??= { start: i, end: e < 0 ? text.length : e };
      if (e < 0) return { root: -1, doctype };
      i = e;
    } else break;
  }
  return { root: text[i] === '<' ? i : -1, doctype };
}

/**
 * Offset just after a `<!…>` declaration starting at `i`, or -1 if it never ends. A DOCTYPE's
 * internal subset (`[ <!ENTITY a "x>y"> ]`) holds `>` inside brackets, quotes and comments, so
 * the first `>` is not the end.
 */
export function declarationEnd(text: string, i: number): number {
  let depth = 0;
  let quote = '';
  for (let j = i + 2; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (depth > 0 && text.startsWith('<!--', j)) {
      const e = text.indexOf('-->', j + 4);
      if (e < 0) return -1;
      j = e + 2;
    } else if (c === '>' && depth === 0) return j + 1;
  }
  return -1;
}

export function sniffTaskSequence(head: string): Flavour | undefined {
  const text = head.length > SNIFF_BYTES ? head.slice(0, SNIFF_BYTES) : head;
  const i = scanProlog(text).root;
  if (i < 0) return undefined;
  const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
  if (!m) return undefined;
  if (m[1] === 'sequence') return 'sequence';
  if (m[1] === 'SmsTaskSequencePackage') return 'package-export';
  if (m[1] === 'INSTANCE') {
    const tagEnd = text.indexOf('>', i);
    const tag = text.slice(i, tagEnd < 0 ? undefined : tagEnd);
    if (/CLASSNAME\s*=\s*["']SMS_TaskSequencePackage["']/.test(tag)) return 'object-xml';
  }
  return undefined;
}
