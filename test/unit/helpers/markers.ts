// Span markers for fixture text: `⟦name|…⟧` marks the characters `…` as span `name` (spans may
// nest; `⟦name|⟧` marks an empty span). Ranges in tests come from these, never from line numbers.
// The brackets are U+27E6/U+27E7 because `[[…]]` would collide with CDATA's `]]>` in object.xml.

export interface MarkedSpan {
  start: number;
  end: number;
}

export interface Marked {
  /** The text with every marker removed. */
  text: string;
  spans: Record<string, MarkedSpan>;
}

const OPEN = '\u27e6';
const CLOSE = '\u27e7';

/** Strips the markers; throws on a fixture mistake (unbalanced, duplicate or unnamed marker). */
export function markers(raw: string): Marked {
  const spans: Record<string, MarkedSpan> = {};
  const stack: { name: string; start: number }[] = [];
  let text = '';
  let i = 0;
  while (i < raw.length) {
    const o = raw.indexOf(OPEN, i);
    const c = raw.indexOf(CLOSE, i);
    const next = o < 0 ? c : c < 0 ? o : Math.min(o, c);
    if (next < 0) {
      text += raw.slice(i);
      break;
    }
    text += raw.slice(i, next);
    if (next === o) {
      const bar = raw.indexOf('|', o);
      const name = bar < 0 ? '' : raw.slice(o + 1, bar);
      if (!/^[\w.-]+$/.test(name)) throw new Error(`marker at ${o} has no name: use ${OPEN}name|…${CLOSE}`);
      stack.push({ name, start: text.length });
      i = bar + 1;
    } else {
      const top = stack.pop();
      if (!top) throw new Error(`${CLOSE} at ${c} closes no marker`);
      if (top.name in spans) throw new Error(`marker "${top.name}" is used twice`);
      spans[top.name] = { start: top.start, end: text.length };
      i = c + 1;
    }
  }
  if (stack.length) throw new Error(`marker "${stack[stack.length - 1].name}" is never closed`);
  return { text, spans };
}

/** The span marked `name`; throws when the fixture has no such marker, so a typo cannot pass. */
export function spanOf(m: Marked, name: string): MarkedSpan {
  const s = m.spans[name];
  if (!s) throw new Error(`fixture has no marker "${name}"`);
  return s;
}
