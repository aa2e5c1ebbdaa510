// `cmts diff` as data: what changed between two exports of a task sequence, by meaning. Items are
// paired by diffMatch.ts; this module lists, for each pair and each item left over, what an
// engineer reviewing the change needs: added, removed, moved, renamed, enabled or disabled items,
// changed conditions (in hover's words), properties, command lines, content (with the names the
// site description gives) and options, each with the step's group path and number. Pure.

import type { Catalog } from '../catalog/types';
import type { Group, Item, Span, Step, TaskSequenceModel, Variable } from '../model/types';
import type { LoadedSite } from '../site/types';
import { conditionWords } from './conditionWords';
import { matchItems, type DiffNode, type Matching } from './diffMatch';
import { contentIds, contentWords, groupPath, normalizeValue, stepTypeName, valueWords, type PropertyFact } from './itemFacts';
import { code, shorten } from './markdown';

export type DiffChangeKind = 'added' | 'removed' | 'moved' | 'renamed' | 'enabled' | 'disabled' | 'condition' | 'property' | 'command-line' | 'content' | 'option' | 'description' | 'sequence';

/** The number a step (or group) carries in the engine's log; undefined where it has none. */
export type NumberOf = (item: Step | Group) => number | undefined;

export interface DiffChange {
  kind: DiffChangeKind;
  target: 'step' | 'group' | 'sequence';
  /** The item's name (the new one when it was renamed); the sequence's name for sequence changes. */
  name: string;
  /** The step's class by display name. */
  stepType?: string;
  /** Groups around the item from the outside in (in the new sequence; in the old one for a removal). */
  path: string[];
  /** numberOf of the item (new side; old side for a removal). */
  number?: number;
  /** numberOf of the old item, when it differs from `number`. */
  oldNumber?: number;
  /** The property, option or setting concerned. */
  field?: string;
  /** Before and after, in words (inline markdown: code spans); absent where there was none. */
  before?: string;
  after?: string;
  /** One line in words (inline markdown). */
  message: string;
  /** What an added or removed group holds, in order. */
  inside?: { kind: 'step' | 'group'; name: string; number?: number }[];
  /** Where the item is written in each file (element span), so a front end can link to it. */
  oldSpan?: Span;
  newSpan?: Span;
}

export interface DiffOptions {
  catalog: Catalog;
  /** Names and kinds of content; without it IDs are printed alone. */
  site?: LoadedSite;
  numberOf?: NumberOf;
}

export interface DiffResult {
  equal: boolean;
  changes: DiffChange[];
  /** Count of changes per kind. */
  summary: Partial<Record<DiffChangeKind, number>>;
}

/** Compares two parsed sequences; either may be empty (no `<sequence>` found). */
export function diffSequences(oldModel: TaskSequenceModel, newModel: TaskSequenceModel, options: DiffOptions): DiffResult {
  const m = matchItems(oldModel.sequence?.children ?? [], newModel.sequence?.children ?? [], options.catalog);
  const ctx: Ctx = { ...options, m, out: [] };
  sequenceChanges(ctx, oldModel, newModel);
  reportUnmatched(ctx);
  for (const [a, b] of m.toNew) pairChanges(ctx, a, b);
  reportMoves(ctx);
  const changes = order(ctx);
  const summary: DiffResult['summary'] = {};
  for (const c of changes) summary[c.kind] = (summary[c.kind] ?? 0) + 1;
  return { equal: changes.length === 0, changes, summary };
}

interface Ctx extends DiffOptions {
  m: Matching;
  /** Changes with their sort position (document order of the new sequence). */
  out: { at: number; change: DiffChange }[];
}

function num(ctx: Ctx, item: Item): number | undefined {
  return ctx.numberOf?.(item);
}

/** Base fields of a change about `node` (new side unless only the old exists). */
function about(ctx: Ctx, node: DiffNode, oldNode?: DiffNode): Omit<DiffChange, 'kind' | 'message'> {
  const item = node.item;
  const n = num(ctx, item);
  const o = oldNode ? num(ctx, oldNode.item) : undefined;
  return {
    target: item.kind,
    name: item.name,
    ...(item.kind === 'step' ? { stepType: stepTypeName(item, ctx.catalog) } : {}),
    path: groupPath(item),
    ...(n !== undefined ? { number: n } : {}),
    ...(o !== undefined && o !== n ? { oldNumber: o } : {}),
  };
}

function spans(oldNode: DiffNode | undefined, newNode: DiffNode | undefined): Pick<DiffChange, 'oldSpan' | 'newSpan'> {
  return { ...(oldNode ? { oldSpan: oldNode.item.span } : {}), ...(newNode ? { newSpan: newNode.item.span } : {}) };
}

function push(ctx: Ctx, at: number, change: DiffChange): void {
  ctx.out.push({ at, change });
}

// ---- the sequence itself ----------------------------------------------------------------------

/** Name, boot image and global variables. Wrapper properties count only when both files have a wrapper (flavours differ there). */
function sequenceChanges(ctx: Ctx, a: TaskSequenceModel, b: TaskSequenceModel): void {
  const name = b.wrapper?.properties.Name?.value ?? b.sequence?.name ?? a.wrapper?.properties.Name?.value ?? a.sequence?.name ?? '';
  const add = (field: string, before: string | undefined, after: string | undefined, message: string): void =>
    push(ctx, -1, { kind: 'sequence', target: 'sequence', name, path: [], field, message, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  const words = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : code(shorten(v, 120)));
  if (a.wrapper && b.wrapper) {
    for (const [prop, label] of [['Name', 'name'], ['Description', 'description'], ['BootImageID', 'boot image']] as const) {
      const x = a.wrapper.properties[prop];
      const y = b.wrapper.properties[prop];
      if (!x || !y || normalizeValue(x.value) === normalizeValue(y.value)) continue;
      const [vx, vy] = [normalizeValue(x.value), normalizeValue(y.value)];
      if (prop === 'BootImageID') add(label, vx ? contentWords(vx, 'bootImage', ctx.site) : undefined, vy ? contentWords(vy, 'bootImage', ctx.site) : undefined, `${label} ${vx === '' ? 'set' : vy === '' ? 'removed' : 'changed'}`);
      else add(label, words(vx), words(vy), `${label} changed`);
    }
  }
  if (a.sequence?.name !== undefined && b.sequence?.name !== undefined && normalizeValue(a.sequence.name) !== normalizeValue(b.sequence.name)) add('name', words(a.sequence.name), words(b.sequence.name), 'name changed');
  const vars = (list: readonly Variable[] | undefined): Map<string, Variable> => new Map((list ?? []).map((v) => [v.name.toLowerCase(), v]));
  const va = vars(a.sequence?.globalVariables);
  const vb = vars(b.sequence?.globalVariables);
  for (const [k, x] of va) {
    const y = vb.get(k);
    const secret = x.hidden || !!y?.hidden;
    const w = (v: Variable): string => valueWords({ value: normalizeValue(v.value), secret });
    if (!y) add(`global variable ${x.name}`, w(x), undefined, `global variable ${code(x.name)} removed`);
    else if (normalizeValue(x.value) !== normalizeValue(y.value)) add(`global variable ${y.name}`, w(x), w(y), `global variable ${code(y.name)} changed`);
  }
  for (const [k, y] of vb) if (!va.has(k)) add(`global variable ${y.name}`, undefined, valueWords({ value: normalizeValue(y.value), secret: y.hidden }), `global variable ${code(y.name)} added`);
}

// ---- added and removed --------------------------------------------------------------------------

function inside(ctx: Ctx, node: DiffNode, matched: Map<DiffNode, DiffNode>): DiffChange['inside'] {
  const out: NonNullable<DiffChange['inside']> = [];
  const walk = (x: DiffNode): void => {
    for (const c of x.children) {
      if (matched.has(c)) continue;
      const n = num(ctx, c.item);
      out.push({ kind: c.item.kind, name: c.item.name, ...(n !== undefined ? { number: n } : {}) });
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** An unmatched item whose parent is matched (or the top) is reported; what it holds goes with it. */
function reportUnmatched(ctx: Ctx): void {
  const { m } = ctx;
  const top = (x: DiffNode, matched: Map<DiffNode, DiffNode>): boolean => !matched.has(x) && (!x.parent || matched.has(x.parent));
  for (const b of m.new) {
    if (!top(b, m.toOld)) continue;
    const held = b.item.kind === 'group' ? inside(ctx, b, m.toOld) : undefined;
    push(ctx, b.index, { kind: 'added', ...about(ctx, b), message: addedWords('added', b, held), ...(held?.length ? { inside: held } : {}), ...spans(undefined, b) });
  }
  for (const a of m.old) {
    if (!top(a, m.toNew)) continue;
    const held = a.item.kind === 'group' ? inside(ctx, a, m.toNew) : undefined;
    push(ctx, removalAnchor(m, a), { kind: 'removed', ...about(ctx, a), message: addedWords('removed', a, held), ...(held?.length ? { inside: held } : {}), ...spans(a, undefined) });
  }
}

/**
 * Where a removal is listed: after the counterpart of the nearest sibling before it that stayed in
 * the same group, or at the top of its group's counterpart.
 */
function removalAnchor(m: Matching, a: DiffNode): number {
  const siblings = a.parent ? a.parent.children : m.oldRoots;
  const parentTwin = a.parent ? m.toNew.get(a.parent) : undefined;
  for (let i = a.pos - 1; i >= 0; i--) {
    const twin = m.toNew.get(siblings[i]);
    if (twin && twin.parent === parentTwin) return twin.index + twin.size - 0.5;
  }
  return parentTwin ? parentTwin.index + 0.5 : -0.5;
}

function addedWords(verb: string, node: DiffNode, held: DiffChange['inside']): string {
  if (node.item.kind === 'step') return verb;
  const steps = (held ?? []).filter((h) => h.kind === 'step').length;
  return steps ? `${verb}, with ${steps} ${steps === 1 ? 'step' : 'steps'}` : verb;
}

// ---- moves ------------------------------------------------------------------------------------

function pathWords(path: string[]): string {
  return path.length ? `"${path.map((p) => shorten(p.trim(), 120)).join(' › ')}"` : 'the top of the sequence';
}

/**
 * Moved into another group, or moved among its siblings: within one parent the longest run of
 * items that kept their order stays put and the others are the ones that moved.
 */
function reportMoves(ctx: Ctx): void {
  const { m } = ctx;
  const parents: (DiffNode | undefined)[] = [undefined, ...m.new.filter((x) => x.item.kind === 'group')];
  for (const p of parents) {
    const kids = p ? p.children : m.newRoots;
    const stayed: { node: DiffNode; oldPos: number }[] = [];
    for (const b of kids) {
      const a = m.toOld.get(b);
      if (!a) continue;
      const oldParentNow = a.parent ? m.toNew.get(a.parent) : undefined;
      const sameParent = a.parent ? oldParentNow === p : p === undefined;
      if (!sameParent) {
        const from = pathWords(groupPath(a.item));
        push(ctx, b.index, { kind: 'moved', ...about(ctx, b, a), field: 'group', before: from, after: pathWords(groupPath(b.item)), message: `moved from ${from} to ${pathWords(groupPath(b.item))}`, ...spans(a, b) });
      } else stayed.push({ node: b, oldPos: a.pos });
    }
    const keep = longestIncreasing(stayed.map((s) => s.oldPos));
    stayed.forEach((s, i) => {
      if (keep.has(i)) return;
      const b = s.node;
      const prev = kids[b.pos - 1];
      const where = prev ? `now after ${prev.item.kind} "${shorten(prev.item.name.trim(), 120)}"` : 'now first';
      push(ctx, b.index, { kind: 'moved', ...about(ctx, b, m.toOld.get(b)), message: `moved${b.item.parent ? ` within ${pathWords(groupPath(b.item))}` : ''}, ${where}`, ...spans(m.toOld.get(b), b) });
    });
  }
}

/** Indexes (into `xs`) of one longest strictly increasing subsequence, in O(n log n). */
function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]] < xs[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.add(i);
  return out;
}

// ---- what changed in a pair ------------------------------------------------------------------------

function pairChanges(ctx: Ctx, a: DiffNode, b: DiffNode): void {
  const x = a.item;
  const y = b.item;
  // Most pairs are unchanged: the hash of what the engine reads and the name say so at once.
  if (a.own === b.own && x.name.trim() === y.name.trim()) return;
  const base = { ...about(ctx, b, a), ...spans(a, b) };
  const add = (kind: DiffChangeKind, message: string, extra: Partial<DiffChange> = {}): void => push(ctx, b.index, { kind, ...base, message, ...extra });
  if (x.name.trim() !== y.name.trim()) {
    const was = shorten(x.name.trim(), 120);
    add('renamed', `renamed from "${was}"`, { before: `"${was}"`, after: `"${shorten(y.name.trim(), 120)}"` });
  }
  if (x.disabled !== y.disabled) add(y.disabled ? 'disabled' : 'enabled', y.disabled ? 'disabled' : 'enabled');
  if (x.continueOnError !== y.continueOnError) add('option', `continue on error turned ${y.continueOnError ? 'on' : 'off'}`, { field: 'continueOnError' });
  // The same key matching compares, so "changed" here and "identical" there never disagree.
  if (a.conditionKey !== b.conditionKey) {
    const cx = conditionWords(x.condition?.children);
    const cy = conditionWords(y.condition?.children);
    const message = !cx ? 'condition added' : !cy ? 'condition removed' : 'condition changed';
    add('condition', message, { field: 'condition', before: cx ? `runs only when ${cx}` : 'always runs', after: cy ? `runs only when ${cy}` : 'always runs' });
  }
  if (normalizeValue(x.description) !== normalizeValue(y.description)) add('description', 'description changed', { field: 'description', ...words('before', x.description), ...words('after', y.description) });
  const ox = new Map(a.options.map((o) => [o.name, o.value]));
  const oy = new Map(b.options.map((o) => [o.name, o.value]));
  for (const k of new Set([...ox.keys(), ...oy.keys()])) {
    const [vx, vy] = [ox.get(k), oy.get(k)];
    if (vx === vy) continue;
    add('option', `option ${code(k)} ${vx === undefined ? 'set' : vy === undefined ? 'removed' : 'changed'}`, { field: k, ...words('before', vx), ...words('after', vy) });
  }
  if (x.kind === 'step' && y.kind === 'step' && a.own !== b.own) stepChanges(ctx, a, b, x, y, add);
}

function words(side: 'before' | 'after', v: string | undefined): Partial<DiffChange> {
  if (v === undefined) return {};
  const n = normalizeValue(v);
  return { [side]: n === '' ? '(empty)' : code(shorten(n, 160)) };
}


function stepChanges(ctx: Ctx, a: DiffNode, b: DiffNode, x: Step, y: Step, add: (kind: DiffChangeKind, message: string, extra?: Partial<DiffChange>) => void): void {
  const ax = x.action ? normalizeValue(x.action.text) : undefined;
  const ay = y.action ? normalizeValue(y.action.text) : undefined;
  if (ax !== ay) add('command-line', ax === undefined ? 'command line added' : ay === undefined ? 'command line removed' : 'command line changed', { field: 'command line', ...words('before', ax), ...words('after', ay) });
  const px = new Map(a.props.map((p) => [p.key, p]));
  const py = new Map(b.props.map((p) => [p.key, p]));
  for (const k of new Set([...px.keys(), ...py.keys()])) {
    const [p, q] = [px.get(k), py.get(k)];
    if (p && q && p.value === q.value) continue;
    const f = (q ?? p)!;
    const secret = !!(p?.secret || q?.secret);
    const verb = !p ? 'set' : !q ? 'removed' : 'changed';
    const label = f.label === f.variable ? code(f.label) : `${f.label} (${code(f.variable)})`;
    if (f.content) {
      add('content', `${f.label} ${verb}`, { field: f.label, ...side('before', p, ctx, secret), ...side('after', q, ctx, secret) });
    } else {
      add('property', `property ${label} ${verb}${secret && p && q ? ' (value hidden)' : ''}`, { field: f.label, ...(p ? { before: valueWords({ value: p.value, secret }) } : {}), ...(q ? { after: valueWords({ value: q.value, secret }) } : {}) });
    }
  }
}

/** A content property's value in words: each ID with its name and kind from the site description. */
function side(which: 'before' | 'after', p: PropertyFact | undefined, ctx: Ctx, secret: boolean): Partial<DiffChange> {
  if (!p) return {};
  const ids = p.content ? contentIds(p.value, p.content) : [];
  const text = secret || ids.length === 0 ? valueWords({ value: p.value, secret }) : ids.map((id) => contentWords(id, p.content, ctx.site)).join(', ');
  return { [which]: text };
}

// ---- order ------------------------------------------------------------------------------------

/** Sequence changes first, then in the new sequence's document order; one item's changes stay together. */
function order(ctx: Ctx): DiffChange[] {
  const rank: Record<DiffChangeKind, number> = { sequence: 0, removed: 1, added: 2, moved: 3, renamed: 4, enabled: 5, disabled: 5, condition: 6, 'command-line': 7, content: 8, property: 9, option: 10, description: 11 };
  return ctx.out
    .map((x, i) => ({ ...x, i }))
    .sort((p, q) => p.at - q.at || rank[p.change.kind] - rank[q.change.kind] || p.i - q.i)
    .map((x) => x.change);
}
