// The parse of a fixed text without parsing it again, for the fixes that only change values: a
// content ID in a step's variable or a reference, a variable name written as text. When every edit
// replaces characters inside one `<variable>`'s text or one `<reference>`'s package, application or
// program attribute, written without entities, by plain characters (no markup, quote, space or
// control character), the fixed text parses to the same elements with that value changed and every
// offset after the edit moved by its change in length. The fix judge (fixes.ts) re-checks each
// candidate fix; this spares the parse, half of that work. test/unit/fixReparse.test.ts and the
// corpus suite compare it with a whole parse of every such fix. Anything else: undefined.

import type { ConditionNode, ParseResult, Span, TaskSequenceModel, Variable } from '../model/types';
import type { FixEdit } from '../edits/types';

/** Characters a patched value may hold: printable ASCII, no markup, quote, space, ] (CDATA end) or entity start. */
const PLAIN = /^[!#-%(-;=?-\\^-~]*$/;
/** Longer values are left to a whole parse (the long-text guard counts text runs). */
const MAX_VALUE = 256;

interface Target {
  /** The Variable (its text), Attr (its value) or step action (its command line) an edit falls in. */
  node: object;
  /** Where the value is written, and the field holding it decoded. */
  span: Span;
  field: 'value' | 'text';
}

/** Values the patch may change: every `<variable>`'s text and the content attributes of references. */
function targetsOf(model: TaskSequenceModel): Target[] {
  const out: Target[] = [];
  const seq = model.sequence;
  if (!seq) return out;
  const vars = (vs: readonly Variable[]): void => {
    for (const v of vs) out.push({ node: v, span: v.valueSpan, field: 'value' });
  };
  vars(seq.globalVariables);
  for (const s of model.steps) {
    vars(s.variables);
    if (s.action) out.push({ node: s.action, span: s.action.span, field: 'text' });
  }
  const conditionVars = (nodes: readonly ConditionNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'expression') vars(n.parameters);
      else conditionVars(n.children);
    }
  };
  for (const it of [...model.steps, ...model.groups]) if (it.condition) conditionVars(it.condition.children);
  for (const r of seq.references) for (const a of [r.package, r.application, r.program]) if (a) out.push({ node: a, span: a.span, field: 'value' });
  return out;
}

/** The target holding [start, end), by binary search over targets sorted by start (they do not overlap). */
function holding(sorted: readonly Target[], start: number, end: number): Target | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].span.start <= start) lo = mid + 1;
    else hi = mid;
  }
  const t = lo > 0 ? sorted[lo - 1] : undefined;
  return t && t.span.start <= start && end <= t.span.end ? t : undefined;
}

/**
 * The parse of `applyEdits(text, edits)`, made from `parse` (the parse of `text`), or undefined when
 * only a whole parse can tell.
 */
export function patchParse(text: string, parse: ParseResult, edits: readonly FixEdit[]): ParseResult | undefined {
  const before = parse.model;
  if (before.flavour === 'object-xml' || !before.sequence || before.length !== text.length || edits.length === 0) return undefined;
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  // Problems before the first edit stay as they are (the text up to them is the same); any later
  // one might say where it is in its message.
  if (parse.problems.some((p) => p.span.end > sorted[0].span.start)) return undefined;
  const targets = targetsOf(before).sort((a, b) => a.span.start - b.span.start);
  const changed = new Map<object, { target: Target; edits: { value: string; span: Span }[] }>();
  let prevEnd = -1;
  for (const e of sorted) {
    if (e.file !== undefined || e.create || e.span.start >= e.span.end || e.span.start < prevEnd) return undefined;
    prevEnd = e.span.end;
    if (e.newText.length > MAX_VALUE || !PLAIN.test(e.newText) || !PLAIN.test(text.slice(e.span.start, e.span.end))) return undefined;
    const t = holding(targets, e.span.start, e.span.end);
    // The value must be written as it reads (no entity, nothing the parser decodes).
    if (!t || text.slice(t.span.start, t.span.end) !== (t.node as Record<string, unknown>)[t.field]) return undefined;
    const c = changed.get(t.node) ?? { target: t, edits: [] };
    c.edits.push({ value: e.newText, span: e.span });
    changed.set(t.node, c);
  }
  const at = (p: number): number => {
    let d = 0;
    for (const e of sorted) {
      if (e.span.end > p) break;
      d += e.newText.length - (e.span.end - e.span.start);
    }
    return p + d;
  };
  const copies = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const done = copies.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      copies.set(v, out);
      for (const x of v) out.push(copy(x));
      return out;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && typeof o.start === 'number' && typeof o.end === 'number') {
      const span = { start: at(o.start), end: at(o.end) };
      copies.set(v, span);
      return span;
    }
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    for (const k of keys) {
      const x = o[k];
      out[k] = (k === 'startTagEnd' || k === 'endTagStart') && typeof x === 'number' ? at(x) : copy(x);
    }
    const c = changed.get(v);
    if (c) {
      // The new value: the old one with the edits made in it (offsets relative to where it is written).
      const start = c.target.span.start;
      let value = o[c.target.field] as string;
      for (const e of [...c.edits].reverse()) value = value.slice(0, e.span.start - start) + e.value + value.slice(e.span.end - start);
      out[c.target.field] = value;
    }
    return out;
  };
  const model = copy(before) as TaskSequenceModel;
  model.length = at(before.length);
  return { model, problems: parse.problems.map((p) => ({ ...p, span: { ...p.span } })) };
}
