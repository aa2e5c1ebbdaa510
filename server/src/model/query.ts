// Questions asked of a model by many features: which item is at an offset, the chain of groups
// around a step, whether a step can run at all (disabled ancestors), and every content ID the
// sequence names and where. Pure functions over the model. A model is never changed once built,
// so what many checks ask of the same model (execution order, content references) is worked out
// once per model and kept in a WeakMap keyed by it (gone with the model; see docs/performance.md).

import type { Catalog, ContentKind, StepProperty } from '../catalog/types';
import type { Attr, ConditionExpression, ConditionNode, Group, Item, Span, Step, TaskSequenceModel, Variable, WrapperProperty } from './types';

/** The groups around an item, innermost first. */
export function ancestors(item: Item): Group[] {
  const out: Group[] = [];
  for (let g = item.parent; g; g = g.parent) out.push(g);
  return out;
}

/** False when the item or any group around it is disabled: the engine skips it. */
export function isEnabled(item: Item): boolean {
  if (item.disabled) return false;
  for (let g = item.parent; g; g = g.parent) if (g.disabled) return false;
  return true;
}

const ENABLED_STEPS = new WeakMap<TaskSequenceModel, readonly Step[]>();

/** Steps in execution order (document order), enabled ones only unless `all`. Shared: do not modify. */
export function executionOrder(model: TaskSequenceModel, all = false): Step[] {
  if (all) return model.steps;
  let steps = ENABLED_STEPS.get(model);
  if (!steps) ENABLED_STEPS.set(model, (steps = Object.freeze(model.steps.filter(isEnabled))));
  return steps as Step[];
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/** The innermost step or group whose element holds `offset`. */
export function itemAt(model: TaskSequenceModel, offset: number): Item | undefined {
  let best: Item | undefined;
  const visit = (items: Item[]): void => {
    for (const it of items) {
      if (!contains(it.span, offset)) continue;
      best = it;
      if (it.kind === 'group') visit(it.children);
      return;
    }
  };
  if (model.sequence) visit(model.sequence.children);
  return best;
}

/** Variable of a step by name (case-insensitive, as the engine treats variable names). */
export function stepVariable(step: Step, ...names: string[]): Variable | undefined {
  for (const n of names) {
    const v = variableNamed(step, n.toLowerCase());
    if (v) return v;
  }
  return undefined;
}

/**
 * First variable whose name, lower-cased, is `lower`. Lengths are compared first (most names
 * differ), which is exact when `lower` is ASCII: no character lower-cases to more than one ASCII one.
 */
function variableNamed(step: Step, lower: string, ascii = isAscii(lower)): Variable | undefined {
  for (const x of step.variables) if (ascii ? sameAsLowerAscii(x.name, lower) : x.name.toLowerCase() === lower) return x;
  return undefined;
}

/** Code units below 0x80 only (a loop, not a control-character regex). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** `a.toLowerCase() === lower` for an ASCII `lower`, without making the lower-cased copy of `a`. */
function sameAsLowerAscii(a: string, lower: string): boolean {
  if (a.length !== lower.length) return false;
  for (let i = 0; i < a.length; i++) {
    let c = a.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return c > 127 && a.toLowerCase() === lower;
  }
  return true;
}

/** A catalogue property's names, lower-cased once (catalogue entries are constant data). */
interface PropertyNames {
  name: string;
  variable: string | undefined;
  aliases: string[];
  /** Variable, aliases, then the property name: the order stepProperty tries them in. */
  lookups: string[];
  /** All of the above are ASCII (then the quick comparison is exact). */
  ascii: boolean;
  /** For indexed families ("OSDApp<N>Name"): the variable as a pattern. */
  pattern?: RegExp;
}
const PROPERTY_NAMES = new WeakMap<StepProperty, PropertyNames>();

function namesOf(p: StepProperty): PropertyNames {
  let n = PROPERTY_NAMES.get(p);
  if (!n) {
    const lookups = [p.variable, ...(p.aliases ?? []), p.name].filter((x): x is string => !!x).map((x) => x.toLowerCase());
    const pattern = p.variable?.includes('<N>')
      ? new RegExp('^' + p.variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<N>', '\\d+') + '$', 'i')
      : undefined;
    const aliases = (p.aliases ?? []).map((a) => a.toLowerCase());
    const ascii = lookups.every(isAscii);
    PROPERTY_NAMES.set(p, (n = { name: p.name.toLowerCase(), variable: p.variable?.toLowerCase(), aliases, lookups, ascii, ...(pattern ? { pattern } : {}) }));
  }
  return n;
}

/** Variable of a step by WMI property name, falling back to the variable names the catalogue knows. */
export function stepProperty(step: Step, prop: StepProperty): Variable | undefined {
  const names = namesOf(prop);
  const ascii = names.ascii;
  for (const v of step.variables) {
    if (v.property !== undefined && (ascii ? sameAsLowerAscii(v.property, names.name) : v.property.toLowerCase() === names.name)) return v;
  }
  for (const l of names.lookups) {
    const v = variableNamed(step, l, ascii);
    if (v) return v;
  }
  return undefined;
}

/** Every leaf expression of a condition tree, in document order. */
export function conditionLeaves(nodes: readonly ConditionNode[]): ConditionExpression[] {
  const out: ConditionExpression[] = [];
  const stack: ConditionNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i]);
  while (stack.length) {
    const node = stack.pop()!;
    if (node.kind === 'expression') out.push(node);
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return out;
}

// ---- content references ------------------------------------------------------------------

export type ReferenceSource = 'referenceList' | 'property' | 'action' | 'bootImage' | 'wrapperReference';

export interface ContentReference {
  /** The ID as written (trimmed). */
  id: string;
  /** The kind the place implies; undefined where the place says only "some package" (reference list). */
  kind?: ContentKind;
  span: Span;
  source: ReferenceSource;
  step?: Step;
  variable?: Variable;
  property?: StepProperty;
}

const ACTION_ID = /\/(run|image|install|config|pkg|package|app):"?([A-Za-z0-9]{3}[0-9A-Fa-f]{5})\b/g;

/**
 * Every content ID the sequence names, with the kind its place implies, where it is written.
 * IDs repeated in a step's command line are listed with source 'action' so callers can prefer
 * the property when both exist.
 */
export function contentReferences(model: TaskSequenceModel, catalog: Catalog, text?: string): ContentReference[] {
  // Asked by several checks, hover and navigation for the same model: computed once per model,
  // catalogue and text. Callers get the shared array; none of them changes it.
  let memo = REFERENCES.get(model);
  if (!memo) REFERENCES.set(model, (memo = []));
  for (const m of memo) if (m.catalog === catalog && m.text === text) return m.refs;
  // Without a text the answer is the one with a text less the command lines' IDs (the same order).
  const withText = text === undefined ? memo.find((m) => m.catalog === catalog && m.text !== undefined) : undefined;
  const refs = withText ? withText.refs.filter((r) => r.source !== 'action') : computeReferences(model, catalog, text);
  memo.push({ catalog, text, refs });
  return refs;
}

const REFERENCES = new WeakMap<TaskSequenceModel, { catalog: Catalog; text: string | undefined; refs: ContentReference[] }[]>();

function computeReferences(model: TaskSequenceModel, catalog: Catalog, text?: string): ContentReference[] {
  const out: ContentReference[] = [];
  const seq = model.sequence;
  const w = model.wrapper;
  if (w) {
    const boot = w.properties.BootImageID;
    if (boot && boot.value.trim() !== '') out.push(fromProperty(boot, 'bootImage', 'bootImage'));
    for (const r of w.references) {
      if (r.package.value.trim() === '') continue;
      const kind: ContentKind | undefined = r.type?.value.trim() === '1' ? 'application' : undefined;
      out.push(fromProperty(r.package, kind, 'wrapperReference'));
    }
  }
  if (seq) {
    for (const r of seq.references) {
      if (r.package && r.package.value.trim() !== '') out.push(fromAttr(r.package, undefined, 'referenceList'));
      if (r.application && r.application.value.trim() !== '') out.push(fromAttr(r.application, 'application', 'referenceList'));
    }
  }
  for (const step of model.steps) {
    const type = step.type ? catalog.get(step.type) : undefined;
    if (type) {
      for (const v of step.variables) {
        const prop = propertyFor(type.properties, v);
        if (!prop?.references) continue;
        for (const part of splitIds(v, prop.references)) out.push({ id: part.id, span: part.span, kind: prop.references, source: 'property', step, variable: v, property: prop });
      }
    }
    if (step.action && text !== undefined) {
      const a = step.action;
      ACTION_ID.lastIndex = 0;
      const raw = text.slice(a.span.start, a.span.end);
      // Offsets are exact only when the command line has no entities before the ID.
      for (let m = ACTION_ID.exec(raw); m; m = ACTION_ID.exec(raw)) {
        const start = a.span.start + m.index + m[0].length - m[2].length;
        out.push({ id: m[2], kind: actionKind(m[1], a.text), span: { start, end: start + m[2].length }, source: 'action', step });
      }
    }
  }
  return out;
}

function propertyFor(props: StepProperty[], v: Variable): StepProperty | undefined {
  const index = propertyIndex(props);
  if (v.property !== undefined) {
    const p = index.byProperty.get(v.property.toLowerCase());
    if (p) return p;
  }
  // The first property (catalogue order) whose variable, alias or pattern matches, as a loop over
  // the properties would find it: the index keeps the earliest for each name.
  const byName = index.byName.get(v.name.toLowerCase());
  for (const p of index.patterned) {
    if (byName && byName.at < p.at) break;
    if (p.pattern.test(v.name)) return p.prop;
  }
  return byName?.prop;
}

interface PropertyIndex {
  /** Lower-cased property name → the first property of that name. */
  byProperty: Map<string, StepProperty>;
  /** Lower-cased variable or alias → the first property naming it, with its position. */
  byName: Map<string, { prop: StepProperty; at: number }>;
  /** Indexed families ("OSDApp<N>Name"), in catalogue order. */
  patterned: { prop: StepProperty; at: number; pattern: RegExp }[];
}
const PROPERTY_INDEX = new WeakMap<StepProperty[], PropertyIndex>();

/**
 * A step class's properties by name, built once per class (issue 20: matching every variable of
 * every step against every property of its class was a tenth of the analysis of a large sequence).
 */
function propertyIndex(props: StepProperty[]): PropertyIndex {
  let index = PROPERTY_INDEX.get(props);
  if (index) return index;
  index = { byProperty: new Map(), byName: new Map(), patterned: [] };
  for (let at = 0; at < props.length; at++) {
    const p = props[at];
    const n = namesOf(p);
    if (!index.byProperty.has(n.name)) index.byProperty.set(n.name, p);
    for (const name of n.variable === undefined ? n.aliases : [n.variable, ...n.aliases]) if (!index.byName.has(name)) index.byName.set(name, { prop: p, at });
    if (n.pattern) index.patterned.push({ prop: p, at, pattern: n.pattern });
  }
  PROPERTY_INDEX.set(props, index);
  return index;
}

// Module-level: a regular expression literal in the function would be a new object per call.
const APPLICATION_IDS = /[^\s,;]+/g;
const PACKAGE_IDS = /[^\s,;:]+/g;

/** IDs in a property value: one ID, or a list separated by commas, semicolons or spaces. Variables (%X%) are skipped. */
function splitIds(v: Variable, kind: ContentKind): { id: string; span: Span }[] {
  const out: { id: string; span: Span }[] = [];
  const raw = v.value;
  if (raw.includes('%')) return out;
  // Application IDs contain slashes but no separators; package lists use commas/semicolons/spaces.
  const re = kind === 'application' ? APPLICATION_IDS : PACKAGE_IDS;
  re.lastIndex = 0;
  const exact = raw.length === v.valueSpan.end - v.valueSpan.start;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = exact ? v.valueSpan.start + m.index : v.valueSpan.start;
    const end = exact ? start + m[0].length : v.valueSpan.end;
    out.push({ id: m[0], span: { start, end } });
  }
  return out;
}

function actionKind(sw: string, action: string): ContentKind | undefined {
  const l = action.toLowerCase();
  switch (sw.toLowerCase()) {
    case 'image':
      return 'osImage';
    case 'install':
      return l.includes('osddriverclient') ? 'driverPackage' : l.includes('osdapplyos') ? 'osInstaller' : undefined;
    case 'app':
      return 'application';
    default:
      return undefined;
  }
}

function fromAttr(a: Attr, kind: ContentKind | undefined, source: ReferenceSource): ContentReference {
  const lead = a.value.length - a.value.trimStart().length;
  const id = a.value.trim();
  const exact = a.value.length === a.span.end - a.span.start;
  return { id, kind, source, span: exact ? { start: a.span.start + lead, end: a.span.start + lead + id.length } : a.span };
}

function fromProperty(p: WrapperProperty, kind: ContentKind | undefined, source: ReferenceSource): ContentReference {
  const lead = p.value.length - p.value.trimStart().length;
  const id = p.value.trim();
  const exact = p.value.length === p.span.end - p.span.start;
  return { id, kind, source, span: exact ? { start: p.span.start + lead, end: p.span.start + lead + id.length } : p.span };
}

// ---- child sequences ----------------------------------------------------------------------

/** A Run Task Sequence step's target, where its package ID is written. */
export interface ChildTarget {
  id: string;
  span: Span;
  step: Step;
}

/**
 * The task sequences this one runs (Run Task Sequence targets of enabled steps), so a front end
 * can re-check a parent when a child's file changes and the child check can follow the chain.
 */
export function runTaskSequenceTargets(model: TaskSequenceModel, catalog: Catalog): ChildTarget[] {
  const out: ChildTarget[] = [];
  for (const r of contentReferences(model, catalog)) {
    if (r.source === 'property' && r.kind === 'taskSequence' && r.step && isEnabled(r.step)) out.push({ id: r.id, span: r.span, step: r.step });
  }
  return out;
}
