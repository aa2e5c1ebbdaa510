// Is this text a task sequence export? A cheap look at the root element, used to pick task
// sequences out of a folder of arbitrary XML (CLI folder scans, the editor's language detection,
// the server's workspace scan) without parsing every file.

import type { Flavour } from './types';

/** Reads at most this much of a file to decide. */
export const SNIFF_BYTES = 64 * 1024;

export function sniffTaskSequence(head: string): Flavour | undefined {
  let i = 0;
  const text = head.length > SNIFF_BYTES ? head.slice(0, SNIFF_BYTES) : head;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  // Skip the prolog: whitespace, declaration, comments, processing instructions, DOCTYPE.
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i + 2);
      if (e < 0) return undefined;
      i = e + 2;
    } else if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i + 4);
      if (e < 0) return undefined;
      i = e + 3;
    } else if (text.startsWith('<!', i)) {
      const e = text.indexOf('>', i + 2);
      if (e < 0) return undefined;
      i = e + 1;
    } else break;
  }
  if (text[i] !== '<') return undefined;
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
