// Which step or group of the old sequence is which of the new one, for `cmts diff`. Identity is
// type, name, place and content, tried from the surest to the loosest: whole identical subtrees
// (a group moved with all it holds), the same type and name (a step changed or moved), groups
// that hold mostly the same steps (a group renamed), steps with the same type and content (a step
// renamed), and finally the one step of a type left over in the same group on both sides. Only
// what the engine reads takes part, so layout, attribute order and the file's flavour do not.

import type { Catalog } from '../catalog/types';
import type { ConditionNode, Item } from '../model/types';
import { normalizeValue, optionFacts, propertyFacts, type PropertyFact } from './itemFacts';

/** An item of one side, with what matching compares. */
export interface DiffNode {
  item: Item;
  parent?: DiffNode;
  children: DiffNode[];
  /** Position in document order (groups and steps together). */
  index: number;
  /** Position among its siblings. */
  pos: number;
  /** Kind, type and name: what "the same step" means first. */
  key: string;
  /** Hash of everything the engine reads of the item itself except its name (children not included). */
  own: string;
  /** The facts compared, worked out once per item (diff.ts reads them again for the change list). */
  options: { name: string; value: string }[];
  props: PropertyFact[];
  conditionKey: string;
  /** Hash of name, own content and the children's hashes: equal means an identical subtree. */
  hash: string;
  /** Names of the groups around it, joined. */
  pathKey: string;
  /** Steps and groups inside it. */
  size: number;
}

export interface Matching {
  old: DiffNode[];
  new: DiffNode[];
  oldRoots: DiffNode[];
  newRoots: DiffNode[];
  /** old node → new node and back. */
  toNew: Map<DiffNode, DiffNode>;
  toOld: Map<DiffNode, DiffNode>;
}

/** cyrb53: a fast 53-bit string hash; subtree hashes would otherwise be as long as the file. */
function hash53(s: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** A condition as the engine reads it: operator names without case, parameters by name. */
export function conditionKey(nodes: readonly ConditionNode[] | undefined): string {
  if (!nodes || nodes.length === 0) return '';
  return nodes
    .map((n): string => {
      if (n.kind === 'operator') return `${n.type.trim().toLowerCase()}(${conditionKey(n.children)})`;
      const params = n.parameters.map((p) => `${p.name.toLowerCase()}=${normalizeValue(p.value)}`).sort();
      return `${n.type}{${params.join('\u0001')}}`;
    })
    .join('\u0002');
}

function ownKey(item: Item, options: DiffNode['options'], props: PropertyFact[], cond: string): string {
  const parts = [item.kind, normalizeValue(item.description), String(item.disabled), String(item.continueOnError), cond];
  for (const o of options) parts.push(`@${o.name}=${o.value}`);
  if (item.kind === 'step') {
    parts.push(item.element, item.type ?? '', item.action ? normalizeValue(item.action.text) : '');
    for (const p of [...props].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) parts.push(`${p.key}=${p.value}`);
  }
  // Hashed: these strings hold every value of the item, and they are only ever compared.
  return hash53(parts.join('\u0003'));
}

function build(roots: readonly Item[], catalog: Catalog): { all: DiffNode[]; roots: DiffNode[] } {
  const all: DiffNode[] = [];
  const visit = (item: Item, parent: DiffNode | undefined, path: string): DiffNode => {
    const options = optionFacts(item);
    const props = item.kind === 'step' ? propertyFacts(item, catalog) : [];
    const cond = conditionKey(item.condition?.children);
    const own = ownKey(item, options, props, cond);
    const key = `${item.kind}\u0000${item.kind === 'step' ? (item.type ?? item.element) : ''}\u0000${item.name.trim()}`;
    const node: DiffNode = { item, parent, children: [], index: all.length, key, own, options, props, conditionKey: cond, hash: '', pathKey: path, size: 1, pos: 0 };
    all.push(node);
    if (item.kind === 'group') {
      const inner = `${path}\u0000${item.name.trim()}`;
      item.children.forEach((c, i) => node.children.push(Object.assign(visit(c, node, inner), { pos: i })));
    }
    node.size += node.children.reduce((n, c) => n + c.size, 0);
    node.hash = hash53(`${key}\u0004${own}\u0004${node.children.map((c) => c.hash).join(',')}`);
    return node;
  };
  const top = roots.map((r, i) => Object.assign(visit(r, undefined, ''), { pos: i }));
  return { all, roots: top };
}

/** Queues of candidates by key, consumed in document order; matched ones are skipped lazily. */
class Buckets {
  private readonly map = new Map<string, { list: DiffNode[]; at: number }>();
  constructor(nodes: readonly DiffNode[], keyOf: (n: DiffNode) => string | undefined) {
    for (const n of nodes) {
      const k = keyOf(n);
      if (k === undefined) continue;
      const b = this.map.get(k);
      if (b) b.list.push(n);
      else this.map.set(k, { list: [n], at: 0 });
    }
  }
  /** The first candidate under `key` that `free` accepts. */
  take(key: string, free: (n: DiffNode) => boolean): DiffNode | undefined {
    const b = this.map.get(key);
    if (!b) return undefined;
    while (b.at < b.list.length && !free(b.list[b.at])) b.at++;
    return b.at < b.list.length ? b.list[b.at] : undefined;
  }
}

const ROOT = '\u0000root';

/** Pairs the items of two sequences. Runs in about linear time in the number of items. */
export function matchItems(oldRoots: readonly Item[], newRoots: readonly Item[], catalog: Catalog): Matching {
  const o = build(oldRoots, catalog);
  const n = build(newRoots, catalog);
  const toNew = new Map<DiffNode, DiffNode>();
  const toOld = new Map<DiffNode, DiffNode>();
  const pair = (a: DiffNode, b: DiffNode): void => {
    toNew.set(a, b);
    toOld.set(b, a);
  };
  const freeNew = (x: DiffNode): boolean => !toOld.has(x);
  // Where a candidate's parent is: the new node the old parent became, as a key.
  const ids = new Map<DiffNode, number>(n.all.map((x, i) => [x, i]));
  const parentId = (x: DiffNode | undefined): string => (x ? String(ids.get(x)) : ROOT);
  const mappedParent = (a: DiffNode): string | undefined => (a.parent ? (toNew.has(a.parent) ? parentId(toNew.get(a.parent)) : undefined) : ROOT);

  /** Candidates for `a` under a key: same new parent first, then same group names around it, then any. */
  const pass = (keyOf: (x: DiffNode) => string | undefined, onPair: (a: DiffNode, b: DiffNode) => void, accept: (a: DiffNode) => boolean = () => true): void => {
    // Only what earlier passes left: after whole subtrees are paired, that is usually little.
    const left = n.all.filter(freeNew);
    if (left.length === 0) return;
    const byParent = new Buckets(left, (x) => { const k = keyOf(x); return k === undefined ? undefined : `${k}\u0005${parentId(x.parent)}`; });
    const byPath = new Buckets(left, (x) => { const k = keyOf(x); return k === undefined ? undefined : `${k}\u0005${x.pathKey}`; });
    const any = new Buckets(left, keyOf);
    for (const a of o.all) {
      if (toNew.has(a) || !accept(a)) continue;
      const k = keyOf(a);
      if (k === undefined) continue;
      const p = mappedParent(a);
      const b = (p !== undefined ? byParent.take(`${k}\u0005${p}`, freeNew) : undefined) ?? byPath.take(`${k}\u0005${a.pathKey}`, freeNew) ?? any.take(k, freeNew);
      if (b) onPair(a, b);
    }
  };

  // 1. Identical subtrees, whole: a moved group keeps all it holds.
  const pairTree = (a: DiffNode, b: DiffNode): void => {
    pair(a, b);
    a.children.forEach((c, i) => pairTree(c, b.children[i]));
  };
  pass((x) => x.hash, pairTree);
  // 2. Same kind, type and name.
  pass((x) => x.key, pair);
  // 3. Groups that hold mostly the same items: renamed, or renamed and changed.
  matchGroupsByContent(o.all, n.all, toNew, toOld, pair);
  // 4. Steps of the same type and content under another name: renamed.
  pass((x) => (x.item.kind === 'step' ? `${x.item.type ?? x.item.element}\u0006${x.own}` : undefined), pair);
  // 5. The only step of a type left unmatched in a group, on both sides: renamed and changed.
  const leftover = (x: DiffNode, side: Map<DiffNode, DiffNode>, roots: DiffNode[]): string | undefined => {
    if (x.item.kind !== 'step' || side.has(x)) return undefined;
    const siblings = x.parent ? x.parent.children : roots;
    const type = x.item.type ?? x.item.element;
    const same = siblings.filter((s) => s.item.kind === 'step' && (s.item.type ?? s.item.element) === type && !side.has(s));
    return same.length === 1 ? type : undefined;
  };
  const leftoverNew = new Map<string, DiffNode>();
  for (const b of n.all) {
    const t = leftover(b, toOld, n.roots);
    if (t !== undefined) leftoverNew.set(`${t}\u0005${parentId(b.parent)}`, b);
  }
  for (const a of o.all) {
    const t = leftover(a, toNew, o.roots);
    const p = t !== undefined ? mappedParent(a) : undefined;
    const b = p !== undefined ? leftoverNew.get(`${t}\u0005${p}`) : undefined;
    if (b && !toOld.has(b)) pair(a, b);
  }
  return { old: o.all, new: n.all, oldRoots: o.roots, newRoots: n.roots, toNew, toOld };
}

/** Unmatched groups paired when at least half of what the larger holds is matched into the other. */
function matchGroupsByContent(oldAll: readonly DiffNode[], newAll: readonly DiffNode[], toNew: Map<DiffNode, DiffNode>, toOld: Map<DiffNode, DiffNode>, pair: (a: DiffNode, b: DiffNode) => void): void {
  const isFreeNewGroup = new Set(newAll.filter((x) => x.item.kind === 'group' && !toOld.has(x)));
  // Old groups innermost first: an inner group's pairing counts for the one around it.
  const oldGroups = oldAll.filter((x) => x.item.kind === 'group' && !toNew.has(x)).sort((a, b) => a.size - b.size);
  for (const a of oldGroups) {
    const votes = new Map<DiffNode, number>();
    const walk = (x: DiffNode): void => {
      for (const c of x.children) {
        const m = toNew.get(c);
        // Each matched child votes for every free group around its counterpart.
        for (let g = m?.parent; g; g = g.parent) if (isFreeNewGroup.has(g)) votes.set(g, (votes.get(g) ?? 0) + c.size);
        if (!m) walk(c);
      }
    };
    walk(a);
    let best: DiffNode | undefined;
    let bestScore = 0;
    for (const [g, v] of votes) {
      const score = v / Math.max(a.size - 1, g.size - 1, 1);
      if (score > bestScore || (score === bestScore && best && g.size < best.size)) [best, bestScore] = [g, score];
    }
    if (best && bestScore >= 0.5) {
      pair(a, best);
      isFreeNewGroup.delete(best);
    }
  }
}
