// Puts imported facts into a site description. A new file is written whole; an existing one is
// changed by positional edits only (jsonEdit's, as the quick fixes make them), so its order,
// comments and formatting stay as they were. What a person wrote wins: a value already in the
// file is never replaced (except a "TODO" placeholder an older `cmts site init` wrote), and a
// different imported value is reported as what the import would have changed.

import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { appendToCollection, jsonIndentUnit, setProperty, stringify, type JsonEdit } from '../jsonEdit';
import { COLLECTIONS, type Collection, type Entry, type Facts, type JsonValue } from './mapping';

export interface MergeResult {
  text: string;
  added: string[];
  conflicts: string[];
  /** Set when the existing file cannot take edits (not a JSON object). */
  problem?: string;
}

const SINGULAR: Record<Collection, string> = {
  bootImages: 'boot image', operatingSystemImages: 'OS image', operatingSystemInstallers: 'OS installer',
  driverPackages: 'driver package', packages: 'package', applications: 'application', taskSequences: 'task sequence',
};

function label(c: Collection, e: Entry, withName = true): string {
  const id = String(c === 'applications' ? e.id : e.packageId);
  return `${SINGULAR[c]} ${id}${withName && typeof e.name === 'string' ? ` "${e.name}"` : ''}`;
}

/** The facts as plain objects in the spec's order (collections sorted by ID for a stable file). */
function siteSystemsOf(f: Facts): Entry[] {
  return [...f.servers.values()].sort((a, b) => a.server.localeCompare(b.server)).map((s) => ({ server: s.server, roles: [...s.roles.values()] }));
}

export function renderNew(f: Facts): MergeResult {
  const out: Entry = { site: f.site };
  const added: string[] = [];
  for (const c of COLLECTIONS) {
    const m = f.content.get(c);
    if (!m?.size) continue;
    const list = [...m.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, e]) => orderFields(e));
    out[c] = list;
    for (const e of list) added.push(label(c, e));
  }
  const systems = siteSystemsOf(f);
  if (systems.length) {
    out.siteSystems = systems;
    for (const s of systems) added.push(`site system ${String(s.server)} (${(s.roles as Entry[]).map((r) => String(r.role)).join(', ')})`);
  }
  return { text: JSON.stringify(out, null, 2) + '\n', added, conflicts: [] };
}

const FIELD_ORDER = ['packageId', 'id', 'name', 'kind'];

/** Identity first, name and kind next, distribution points last: how the spec writes entries. */
function orderFields(e: Entry): Entry {
  const keys = Object.keys(e).sort((a, b) => rank(a) - rank(b));
  const out: Entry = {};
  for (const k of keys) out[k] = e[k];
  return out;
}

function rank(k: string): number {
  const i = FIELD_ORDER.indexOf(k);
  return i >= 0 ? i : k === 'distributionPoints' ? 100 : 50;
}

function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && v.trim().toUpperCase() === 'TODO';
}

/** Equal as the checks read them: lists of names compare as sets, without regard to case. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every((x) => typeof x === 'string') && b.every((x) => typeof x === 'string')) {
      const sa = new Set(a.map((x: string) => x.toLowerCase()));
      const sb = new Set(b.map((x: string) => x.toLowerCase()));
      return sa.size === sb.size && [...sa].every((x) => sb.has(x));
    }
    return a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => same((a as Entry)[k], (b as Entry)[k]));
  }
  return a === b;
}

function apply(text: string, e: JsonEdit | undefined): string {
  return e ? text.slice(0, e.span.start) + e.newText + text.slice(e.span.end) : text;
}

/**
 * Appends entries to a root array in the file's own layout with a few parses, not one per entry:
 * the first two go through appendToCollection (which creates the array, or fills an empty one, as
 * the file writes its others); the second one's text shows the separator and layout, and the rest
 * are written the same way in one insertion. Falls back to one edit per entry if the layout cannot
 * be reproduced exactly.
 */
function appendAll(text: string, collection: string, entries: Entry[]): string {
  if (entries.length === 0) return text;
  let t = apply(text, appendToCollection(text, collection, entries[0]));
  if (entries.length === 1) return t;
  const second = appendToCollection(t, collection, entries[1]);
  if (!second) return t;
  const open = second.newText.indexOf('{');
  const sep = second.newText.slice(0, open);
  const written = second.newText.slice(open);
  const multi = /[\r\n]/.test(written);
  const shape = {
    oneLine: !multi,
    entryOneLine: !multi,
    indent: multi ? /([ \t]*)\}$/.exec(written)?.[1] ?? '' : '',
    unit: jsonIndentUnit(t),
    eol: written.includes('\r\n') ? '\r\n' : '\n',
    spaced: written.startsWith('{ '),
  };
  if (!/^,\s*$/.test(sep) || stringify(entries[1], shape) !== written) {
    t = apply(t, second);
    for (const e of entries.slice(2)) t = apply(t, appendToCollection(t, collection, e));
    return t;
  }
  const rest = entries.slice(1).map((e) => sep + stringify(e, shape)).join('');
  return t.slice(0, second.span.start) + rest + t.slice(second.span.end);
}

function valueOf(n: Node | undefined): unknown {
  if (!n) return undefined;
  if (n.type === 'object') {
    const o: Entry = {};
    for (const p of n.children ?? []) {
      const [k, v] = p.children ?? [];
      if (typeof k?.value === 'string' && v) o[k.value] = valueOf(v) as JsonValue;
    }
    return o;
  }
  if (n.type === 'array') return (n.children ?? []).map(valueOf);
  return n.value as unknown;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function mergeInto(text: string, f: Facts): MergeResult {
  let t = text;
  // The tree of the current text, parsed again only after an edit (a second run edits nothing).
  let cached: { text: string; root: Node } | undefined;
  const tree = (): Node => {
    if (!cached || cached.text !== t) cached = { text: t, root: parseTree(t)! };
    return cached.root;
  };
  const added: string[] = [];
  const conflicts: string[] = [];
  const root0 = parseTree(t);
  if (!root0 || root0.type !== 'object') return { text, added, conflicts, problem: 'the existing site description is not a JSON object { ... }, so nothing can be merged into it' };

  // The site section: missing values added one by one.
  const siteNode = findNodeAtLocation(root0, ['site']);
  const siteFields = Object.entries(f.site);
  if (!siteNode && siteFields.length) {
    t = apply(t, setProperty(t, [], 'site', f.site));
    for (const [k, v] of siteFields) added.push(`site ${k} ${show(v)}`);
  } else if (siteNode?.type === 'object') {
    for (const [k, v] of siteFields) {
      const cur = valueOf(findNodeAtLocation(tree(), ['site', k]));
      if (cur === undefined || isPlaceholder(cur)) {
        t = apply(t, setProperty(t, ['site'], k, v));
        added.push(`site ${k} ${show(v)}`);
      } else if (!same(cur, v)) conflicts.push(`would change site "${k}" from ${show(cur)} to ${show(v)}`);
    }
  }

  // Where each ID already is (collections hold objects; the first entry with an ID wins, as in load.ts).
  const where = new Map<string, { collection: Collection; index: number }>();
  for (const c of COLLECTIONS) {
    const arr = findNodeAtLocation(root0, [c]);
    if (arr?.type !== 'array') continue;
    (arr.children ?? []).forEach((item, index) => {
      const idNode = item.type === 'object' ? findNodeAtLocation(item, [c === 'applications' ? 'id' : 'packageId']) : undefined;
      const id: unknown = idNode?.value;
      if (typeof id === 'string' && !where.has(id.toUpperCase())) where.set(id.toUpperCase(), { collection: c, index });
    });
  }

  for (const c of COLLECTIONS) {
    const fresh: Entry[] = [];
    for (const [key, raw] of [...(f.content.get(c) ?? new Map<string, Entry>()).entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const entry = orderFields(raw);
      const hit = where.get(key);
      if (!hit) {
        fresh.push(entry);
        added.push(label(c, entry));
        continue;
      }
      if (hit.collection !== c) {
        conflicts.push(`would move ${label(c, entry, false)} from "${hit.collection}", where the file lists it, to "${c}"`);
        continue;
      }
      for (const [k, v] of Object.entries(entry)) {
        if (k === 'packageId' || k === 'id') continue;
        const cur = valueOf(findNodeAtLocation(tree(), [c, hit.index, k]));
        if (cur === undefined || isPlaceholder(cur)) {
          t = apply(t, setProperty(t, [c, hit.index], k, v));
          added.push(`${label(c, entry, false)}: ${k} ${show(v)}`);
        } else if (!same(cur, v)) {
          conflicts.push(`would change "${k}" of ${label(c, entry, false)} from ${show(cur)} to ${show(v)}`);
        }
      }
    }
    // New entries last: the edits above address entries by their index, which appending keeps.
    t = appendAll(t, c, fresh);
  }

  // Site systems: new servers added; roles an existing server lacks are reported, not written
  // (its role list is what a person wrote).
  const systemsNode = findNodeAtLocation(tree(), ['siteSystems']);
  const known = new Map<string, Entry>();
  if (systemsNode?.type === 'array') {
    for (const item of systemsNode.children ?? []) {
      const v = valueOf(item) as Entry;
      if (v && typeof v.server === 'string' && !known.has(v.server.toUpperCase())) known.set(v.server.toUpperCase(), v);
    }
  }
  const newSystems: Entry[] = [];
  for (const s of siteSystemsOf(f)) {
    const cur = known.get(String(s.server).toUpperCase());
    if (!cur) {
      newSystems.push(s);
      added.push(`site system ${String(s.server)} (${(s.roles as Entry[]).map((r) => String(r.role)).join(', ')})`);
      continue;
    }
    const have = new Set((Array.isArray(cur.roles) ? cur.roles : []).map((r) => String((r as Entry)?.role)));
    for (const r of s.roles as Entry[]) {
      if (!have.has(String(r.role))) conflicts.push(`would add the ${String(r.role)} role to site system ${String(cur.server)}`);
    }
  }
  t = appendAll(t, 'siteSystems', newSystems);
  return { text: t, added, conflicts };
}
