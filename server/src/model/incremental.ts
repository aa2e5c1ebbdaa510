// Incremental re-parse (issue 20): when an edit stays inside one step or group and the document
// has no problem from the edit on (one before it, like a misplaced XML declaration, stays as it
// is), only that element's text is parsed again (parse.ts
// `parseItemAt`) and spliced into the previous model; everything after it is shifted by the
// change in length. The result is the model a parse of the whole new text gives, object for
// object and span for span (test/unit/incremental.test.ts compares them over random edits).
// Anything else (a problem at or after the edit, an edit outside every item, a comment in the way,
// object.xml) returns undefined and the caller parses the whole text.
//
// The previous model is never changed: parts wholly before the edit that point to no changed
// object are shared, the rest is new. Nothing mutates a model after its parse, so sharing is safe.

import { parseItemAt } from './parse';
import { actionOf, movedElement, movedVariable, NO_ATTRS, shiftAttr } from './nodes';
import type {
  ParseProblem,
  Attr, Condition, ConditionNode, ElementSpans, Group, Item, ParseResult, Reference, Sequence, Span, Step, TaskSequenceModel, Variable,
  Wrapper, WrapperProperty, XmlComment,
} from './types';

/** How many characters two texts share at the start, and then at the end (not overlapping the start). */
export function sharedEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  // Blocks first (comparing two slices is a memory compare, many times faster on megabytes than
  // a loop over characters), then character by character inside the block that differs.
  let prefix = 0;
  while (prefix + BLOCK <= max && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const room = max - prefix;
  while (suffix + BLOCK <= room && a.slice(a.length - suffix - BLOCK, a.length - suffix) === b.slice(b.length - suffix - BLOCK, b.length - suffix)) suffix += BLOCK;
  while (suffix < room && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

const BLOCK = 4096;

/**
 * The parse of `now`, from `before`'s parse, or undefined when only a whole parse can tell.
 * `before` must be the parse of `beforeText` (its problems included).
 */
export function reparse(beforeText: string, before: ParseResult, now: string): ParseResult | undefined {
  const m = before.model;
  const seq = m.sequence;
  if (!seq || m.flavour === 'object-xml') return undefined;
  if (beforeText === now) return before;
  const { prefix, suffix } = sharedEnds(beforeText, now);
  // A problem before the change stays as it is (the text up to it is the same, and the whole parse
  // of the new text finds it first again); any other problem is left to a whole parse.
  if (before.problems.some((p) => p.span.end > prefix)) return undefined;
  const changeEnd = beforeText.length - suffix;
  // The innermost item holding the whole change, and the groups around it, outermost first.
  const path: Group[] = [];
  let siblings: Item[] = seq.children;
  let target: Item | undefined;
  for (;;) {
    const c = holding(siblings, prefix, changeEnd);
    if (!c) break;
    target = c;
    if (c.kind !== 'group') break;
    const inner = holding(c.children, prefix, changeEnd);
    if (!inner) break;
    path.push(c);
    siblings = c.children;
  }
  if (!target) return undefined;
  // Text pasted at the edge of a step (a new step before it) is not one element where the step
  // was: the group around it is read again instead.
  for (;;) {
    const r = splice(beforeText, m, seq, now, target, path, before.problems);
    if (r !== WIDEN) return r;
    const g = path.pop();
    if (!g) return undefined;
    target = g;
  }
}

const WIDEN = Symbol('widen');

/** The new model with `target` (under the groups of `path`) read again from `now`. */
function splice(beforeText: string, m: TaskSequenceModel, seq: Sequence, now: string, target: Item, path: Group[], problems: readonly ParseProblem[]): ParseResult | undefined | typeof WIDEN {
  const start = target.span.start;
  const oldEnd = target.span.end;
  const delta = now.length - beforeText.length;
  const newEnd = oldEnd + delta;
  // collectComments scans the raw text for `<!--` (inside CDATA too): a comment in or across the
  // item, before or after the edit, is left to a whole parse.
  if (now.lastIndexOf('<!--', newEnd - 1) >= start || beforeText.lastIndexOf('<!--', oldEnd - 1) >= start) return undefined;
  for (const c of m.comments) if (c.span.start < oldEnd && c.span.end > start) return undefined;

  const stepsBefore = countBefore(m.steps, start);
  const oldSteps = countIn(m.steps, stepsBefore, oldEnd);
  const groupsBefore = countBefore(m.groups, start);
  const oldGroups = countIn(m.groups, groupsBefore, oldEnd);
  const s = new Shift(start, oldEnd, delta, 0);
  // The groups around the item are new (their end moved); they are made first, so the fragment's
  // top item can point to its new parent.
  const newPath: Group[] = [];
  for (const g of path) newPath.push(s.groupShell(g, newPath[newPath.length - 1]));
  const parent = newPath[newPath.length - 1];
  const frag = parseItemAt(now, start, newEnd, parent, target.depth, stepsBefore);
  if (frag.problems.length) return undefined;
  if (!frag.item) return WIDEN;
  s.stepDelta = frag.steps.length - oldSteps;

  const steps: Step[] = [];
  const groups: Group[] = [];
  // Children of a container: items before the edit shared (or re-parented), the item replaced,
  // its ancestors rebuilt, items after it shifted.
  const rebuild = (list: Item[], newParent: Group | undefined, level: number): Item[] => {
    const out: Item[] = [];
    for (const c of list) {
      if (c === target) {
        out.push(frag.item!);
        for (const x of frag.steps) steps.push(x);
        for (const x of frag.groups) groups.push(x);
      } else if (level < path.length && c === path[level]) {
        const g = newPath[level];
        groups.push(g);
        g.children = rebuild(c.children, g, level + 1);
        out.push(g);
      } else if (c.span.end <= start) {
        out.push(newParent ? s.reparent(c, newParent, steps, groups) : collect(c, steps, groups));
      } else {
        out.push(s.item(c, newParent, steps, groups));
      }
    }
    return out;
  };
  const children = rebuild(seq.children, undefined, 0);
  if (steps.length !== m.steps.length + s.stepDelta || groups.length !== m.groups.length + frag.groups.length - oldGroups) return undefined;

  const sequence: Sequence = {
    span: s.span(seq.span), nameSpan: seq.nameSpan, startTagEnd: seq.startTagEnd, endTagStart: s.at(seq.endTagStart), attrs: seq.attrs,
    version: seq.version,
    name: seq.name,
    description: seq.description,
    children,
    references: seq.references.map((r) => s.reference(r)),
    globalVariables: seq.globalVariables.map((v) => s.variable(v)),
  };
  if (seq.referenceList) sequence.referenceList = s.element(seq.referenceList);
  if (seq.globalVarList) sequence.globalVarList = s.element(seq.globalVarList);
  // The keys in the order parse.ts adds them, so a model written as JSON is the same text.
  const model: TaskSequenceModel = {
    flavour: m.flavour,
    mdt: sequence.name !== undefined || steps.some((x) => x.type === undefined || x.type.startsWith('BDD_')),
    comments: m.comments.map((c) => s.comment(c)),
    steps,
    groups,
    length: now.length,
  };
  if (m.wrapper) model.wrapper = s.wrapper(m.wrapper);
  model.sequence = sequence;
  return { model, problems: problems.map((p) => ({ ...p, span: { ...p.span } })) };
}

/** The item of `list` whose span holds [from, to], by binary search (siblings are in document order). */
function holding(list: Item[], from: number, to: number): Item | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = list[mid];
    if (c.span.end < from) lo = mid + 1;
    else if (c.span.start > from) hi = mid - 1;
    else return c.span.start <= from && to <= c.span.end ? c : undefined;
  }
  return undefined;
}

/** How many of `list` (in document order) start before `offset`. */
function countBefore(list: readonly ElementSpans[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of `list` from index `from` start before `end`. */
function countIn(list: readonly ElementSpans[], from: number, end: number): number {
  return countBefore(list, end) - from;
}

/** An item wholly before the edit under an unchanged parent: shared, its steps and groups listed. */
function collect(item: Item, steps: Step[], groups: Group[]): Item {
  if (item.kind === 'step') steps.push(item);
  else {
    groups.push(item);
    for (const c of item.children) collect(c, steps, groups);
  }
  return item;
}

/** Offsets of the old text → the new: before the item unchanged, from its end on moved by `delta`. */
class Shift {
  constructor(private readonly start: number, private readonly oldEnd: number, private readonly delta: number, public stepDelta: number) {}

  at(o: number): number {
    return o >= this.oldEnd ? o + this.delta : o;
  }

  span(x: Span): Span {
    return x.start >= this.oldEnd ? { start: x.start + this.delta, end: x.end + this.delta } : x.end >= this.oldEnd ? { start: x.start, end: x.end + this.delta } : x;
  }

  attrs(a: Record<string, Attr>, owner: Span): Record<string, Attr> {
    if (owner.end <= this.start || a === NO_ATTRS) return a;
    const out: Record<string, Attr> = {};
    for (const k in a) {
      const x = a[k];
      // Attributes sit in a start tag: wholly before the edited item or wholly after it.
      out[k] = x.nameSpan.start >= this.oldEnd ? shiftAttr(x, this.delta) : x;
    }
    return out;
  }

  element(e: ElementSpans): ElementSpans {
    if (e.span.end <= this.start) return e;
    return movedElement(e, (o) => this.at(o), this.attrs(e.attrs, e.span));
  }

  variable(v: Variable): Variable {
    if (v.span.end <= this.start) return v;
    return movedVariable(v, (o) => this.at(o), (a) => this.attrs(a, v.span));
  }

  reference(r: Reference): Reference {
    if (r.span.end <= this.start) return r;
    const a = this.attrs(r.attrs, r.span);
    return { span: this.span(r.span), nameSpan: this.span(r.nameSpan), startTagEnd: this.at(r.startTagEnd), endTagStart: this.at(r.endTagStart), attrs: a, package: r.package && a.package, application: r.application && a.application, program: r.program && a.program };
  }

  condition(c: Condition): Condition {
    if (c.span.end <= this.start) return c;
    // An implicit condition is its one expression's element: the two share spans and attributes.
    const children = c.children.map((x) => this.conditionNode(x));
    if (c.implicit && children.length === 1 && c.children[0].span.start === c.span.start && c.children[0].span.end === c.span.end) {
      const e = children[0];
      return { span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: e.attrs, children, implicit: true };
    }
    return { span: this.span(c.span), nameSpan: this.span(c.nameSpan), startTagEnd: this.at(c.startTagEnd), endTagStart: this.at(c.endTagStart), attrs: this.attrs(c.attrs, c.span), children, implicit: c.implicit };
  }

  conditionNode(n: ConditionNode): ConditionNode {
    if (n.span.end <= this.start) return n;
    const base = { span: this.span(n.span), nameSpan: this.span(n.nameSpan), startTagEnd: this.at(n.startTagEnd), endTagStart: this.at(n.endTagStart), attrs: this.attrs(n.attrs, n.span) };
    if (n.kind === 'operator') return { span: base.span, nameSpan: base.nameSpan, startTagEnd: base.startTagEnd, endTagStart: base.endTagStart, attrs: base.attrs, kind: 'operator', type: n.type, children: n.children.map((x) => this.conditionNode(x)) };
    return { span: base.span, nameSpan: base.nameSpan, startTagEnd: base.startTagEnd, endTagStart: base.endTagStart, attrs: base.attrs, kind: 'expression', type: n.type, parameters: n.parameters.map((x) => this.variable(x)) };
  }

  /** A group around the edited item, without its children yet: its end moves, its start tag does not. */
  groupShell(g: Group, parent: Group | undefined): Group {
    const out: Group = {
      span: this.span(g.span), nameSpan: g.nameSpan, startTagEnd: g.startTagEnd, endTagStart: this.at(g.endTagStart), attrs: g.attrs,
      name: g.name, description: g.description, disabled: g.disabled, continueOnError: g.continueOnError,
      parent, depth: g.depth, kind: 'group', children: [], condition: g.condition,
    };
    return out;
  }

  /** An item before the edit under a new parent: a new object, its own parts shared. */
  reparent(item: Item, parent: Group, steps: Step[], groups: Group[]): Item {
    if (item.kind === 'step') {
      const x = this.stepWith(item, parent, item.condition, item.number, item.action, item.varList, item.variables, item.span, item.nameSpan, item.startTagEnd, item.endTagStart, item.attrs);
      steps.push(x);
      return x;
    }
    const g: Group = {
      span: item.span, nameSpan: item.nameSpan, startTagEnd: item.startTagEnd, endTagStart: item.endTagStart, attrs: item.attrs,
      name: item.name, description: item.description, disabled: item.disabled, continueOnError: item.continueOnError,
      parent, depth: item.depth, kind: 'group', children: [], condition: item.condition,
    };
    groups.push(g);
    for (const c of item.children) g.children.push(this.reparent(c, g, steps, groups));
    return g;
  }

  /** An item after the edit: shifted, renumbered, under its (possibly new) parent. */
  item(item: Item, parent: Group | undefined, steps: Step[], groups: Group[]): Item {
    if (item.kind === 'step') {
      const action = item.action && actionOf(item.action.text, this.element(item.action.element));
      const x = this.stepWith(item, parent, item.condition && this.condition(item.condition), item.number + this.stepDelta, action,
        item.varList && this.element(item.varList), item.variables.map((v) => this.variable(v)),
        this.span(item.span), this.span(item.nameSpan), this.at(item.startTagEnd), this.at(item.endTagStart), this.attrs(item.attrs, item.span));
      steps.push(x);
      return x;
    }
    const g: Group = {
      span: this.span(item.span), nameSpan: this.span(item.nameSpan), startTagEnd: this.at(item.startTagEnd), endTagStart: this.at(item.endTagStart), attrs: this.attrs(item.attrs, item.span),
      name: item.name, description: item.description, disabled: item.disabled, continueOnError: item.continueOnError,
      parent, depth: item.depth, kind: 'group', children: [], condition: item.condition && this.condition(item.condition),
    };
    groups.push(g);
    for (const c of item.children) g.children.push(this.item(c, g, steps, groups));
    return g;
  }

  private stepWith(s: Step, parent: Group | undefined, condition: Condition | undefined, number: number, action: Step['action'], varList: ElementSpans | undefined, variables: Variable[],
    span: Span, nameSpan: Span, startTagEnd: number, endTagStart: number, attrs: Record<string, Attr>): Step {
    // Every key, in parse.ts's order (one shape for every step).
    return {
      span, nameSpan, startTagEnd, endTagStart, attrs,
      name: s.name, description: s.description, disabled: s.disabled, continueOnError: s.continueOnError,
      parent, depth: s.depth, kind: 'step', element: s.element, type: s.type, runIn: s.runIn, variables, number,
      condition, action, varList,
    };
  }

  comment(c: XmlComment): XmlComment {
    return c.span.end <= this.start ? c : { text: c.text, span: this.span(c.span) };
  }

  wrapper(w: Wrapper): Wrapper {
    const props: Record<string, WrapperProperty> = {};
    for (const k in w.properties) props[k] = this.property(w.properties[k]);
    return {
      span: this.span(w.span), nameSpan: this.span(w.nameSpan), startTagEnd: this.at(w.startTagEnd), endTagStart: this.at(w.endTagStart), attrs: this.attrs(w.attrs, w.span),
      properties: props,
      // Only object.xml has references, and reparse leaves object.xml to a whole parse.
      references: w.references,
    };
  }

  private property(p: WrapperProperty): WrapperProperty {
    return p.element.span.end <= this.start ? p : { name: p.name, value: p.value, span: this.span(p.span), element: this.element(p.element) };
  }
}
