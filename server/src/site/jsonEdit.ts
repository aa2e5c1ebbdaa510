// Minimal edits of a JSON file (the site description, .cmts.json) that keep its formatting: a new
// array entry or property is inserted after the last one with the separator the file already
// uses between its siblings, written on one line when its siblings are (the example site files
// keep each entry on one line) or indented with the file's own unit; nothing else is rewritten.
// jsonc-parser's modify() reformats whole containers, so the edits are made here from its tree.

import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { Span } from '../model/types';
import { MAX_JSON_DEPTH, tooDeepAt } from './json';
import { lineEnding } from '../model/positions';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface Shape {
  /** The whole value on one line. */
  oneLine: boolean;
  /** Objects that are array items on one line each (the site files' style), inside a multi-line array. */
  entryOneLine: boolean;
  /** Indentation of the line the value starts on (multi-line only). */
  indent: string;
  unit: string;
  eol: string;
  /** `{ "a": 1 }` rather than `{"a":1}` on one line. */
  spaced: boolean;
}

export interface JsonEdit {
  span: Span;
  newText: string;
}

/** The indentation step of the file: from a line that opens `{`/`[` to the next line. Two spaces when nothing says. */
export function jsonIndentUnit(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!/[[{]\s*$/.test(lines[i])) continue;
    const a = /^[ \t]*/.exec(lines[i])![0];
    const b = /^[ \t]*/.exec(lines[i + 1])![0];
    if (b.length > a.length && b.startsWith(a)) return b.slice(a.length);
  }
  return '  ';
}

export function stringify(v: JsonValue, s: Shape): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const isArray = Array.isArray(v);
  const entries: [string | undefined, JsonValue][] = isArray ? v.map((x) => [undefined, x]) : Object.entries(v);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  if (s.oneLine) {
    const parts = entries.map(([k, x]) => (k === undefined ? '' : `${JSON.stringify(k)}: `) + stringify(x, s));
    // Arrays of plain values stay tight (["a", "b"]) the way the example files write them.
    const pad = s.spaced && !isArray ? ' ' : '';
    return `${open}${pad}${parts.join(', ')}${pad}${close}`;
  }
  const indent = s.indent + s.unit;
  const parts = entries.map(([k, x]) => {
    const oneLine = isArray && x !== null && typeof x === 'object' && !Array.isArray(x) && s.entryOneLine;
    return indent + (k === undefined ? '' : `${JSON.stringify(k)}: `) + stringify(x, { ...s, oneLine, indent });
  });
  return `${open}${s.eol}${parts.join(`,${s.eol}`)}${s.eol}${s.indent}${close}`;
}

function isOneLineNode(text: string, n: Node): boolean {
  return !/[\r\n]/.test(text.slice(n.offset, n.offset + n.length));
}

/** Indentation of the line `offset` is on. */
function lineIndent(text: string, offset: number): string {
  let ls = offset;
  while (ls > 0 && text[ls - 1] !== '\n' && text[ls - 1] !== '\r') ls--;
  return /^[ \t]*/.exec(text.slice(ls, offset))![0];
}

/** How object entries of arrays are written elsewhere in the file (the first one found decides). */
function entriesOneLine(text: string, root: Node): boolean | undefined {
  for (const prop of root.children ?? []) {
    const arr = prop.children?.[1];
    const first = arr?.type === 'array' ? arr.children?.find((c) => c.type === 'object') : undefined;
    if (first) return isOneLineNode(text, first);
  }
  return undefined;
}

function shapeFor(text: string, at: number, oneLine: boolean, entryOneLine: boolean, spaced: boolean): Shape {
  return { oneLine, entryOneLine, indent: lineIndent(text, at), unit: jsonIndentUnit(text), eol: lineEnding(text), spaced };
}

/**
 * Inserts `item` (with `key` in an object, without in an array) as the container's last child.
 * `entryOneLine` says how object entries of arrays are written when the siblings do not say it.
 */
function appendChild(text: string, container: Node, key: string | undefined, item: JsonValue, entryOneLine: boolean): JsonEdit {
  const children = container.children ?? [];
  const fileOneLine = !/[\r\n]/.test(text);
  const last = children[children.length - 1];
  const prefix = key === undefined ? '' : `${JSON.stringify(key)}: `;
  const compound = item !== null && typeof item === 'object';
  if (last) {
    const lastValue = container.type === 'object' ? last.children?.[1] : last;
    const prev = children[children.length - 2];
    const gapStart = prev ? prev.offset + prev.length : container.offset + 1;
    const gap = text.slice(gapStart, last.offset).replace(/^\s*,/, '');
    const sep = /^\s*$/.test(gap) ? gap : ' ';
    // A new array entry looks like the entry before it; a new property value like the file's values.
    const siblingOneLine = container.type === 'array' && lastValue && (lastValue.type === 'object' || lastValue.type === 'array')
      ? isOneLineNode(text, lastValue)
      : !compound;
    const spaced = lastValue?.type === 'object' ? /^\{\s/.test(text.slice(lastValue.offset, lastValue.offset + 2)) : true;
    const shape = shapeFor(text, last.offset, fileOneLine || siblingOneLine, entryOneLine, spaced);
    const end = last.offset + last.length;
    return { span: { start: end, end }, newText: `,${sep}${prefix}${stringify(item, shape)}` };
  }
  // An empty container: written out with its one child, on its line's indentation.
  const inner = { start: container.offset + 1, end: container.offset + container.length - 1 };
  if (fileOneLine) {
    const pad = container.type === 'object' ? ' ' : '';
    return { span: inner, newText: `${pad}${prefix}${stringify(item, shapeFor(text, container.offset, true, true, true))}${pad}` };
  }
  const base = lineIndent(text, container.offset);
  const unit = jsonIndentUnit(text);
  const eol = lineEnding(text);
  const oneLine = container.type === 'array' ? entryOneLine : !compound;
  const shape: Shape = { oneLine, entryOneLine, indent: base + unit, unit, eol, spaced: true };
  return { span: inner, newText: `${eol}${base}${unit}${prefix}${stringify(item, shape)}${eol}${base}` };
}

/**
 * Appends `entry` to the root array `collection`, creating the array (as the root's last property)
 * when the file has none. Undefined when the file is not a JSON object or `collection` is not an array.
 */
export function appendToCollection(text: string, collection: string, entry: JsonValue): JsonEdit | undefined {
  const root = tree(text);
  if (!root || root.type !== 'object') return undefined;
  const oneLine = typeof entry === 'string' ? true : entriesOneLine(text, root) ?? false;
  const arr = findNodeAtLocation(root, [collection]);
  if (arr) return arr.type === 'array' ? appendChild(text, arr, undefined, entry, oneLine) : undefined;
  return appendChild(text, root, collection, [entry], oneLine);
}

/**
 * Sets `key` to `value` in the object at `path` (the root when empty): its value replaced when the
 * key is there, else a new last property. Undefined when `path` is not an object in the file.
 */
export function setProperty(text: string, path: (string | number)[], key: string, value: JsonValue): JsonEdit | undefined {
  const root = tree(text);
  if (!root || root.type !== 'object') return undefined;
  const obj = path.length ? findNodeAtLocation(root, path) : root;
  if (!obj || obj.type !== 'object') return undefined;
  const existing = (obj.children ?? []).filter((p) => p.children?.[0]?.value === key).pop()?.children?.[1];
  if (existing) {
    const shape = shapeFor(text, existing.offset, true, true, true);
    return { span: { start: existing.offset, end: existing.offset + existing.length }, newText: stringify(value, shape) };
  }
  return appendChild(text, obj, key, value, isOneLineNode(text, obj));
}

/** The position in the root array `collection` of the element written at `offset` (entries are matched by place, not by index). */
export function indexInCollection(text: string, collection: string, offset: number): number | undefined {
  const root = tree(text);
  const arr = root ? findNodeAtLocation(root, [collection]) : undefined;
  if (!arr || arr.type !== 'array') return undefined;
  const i = (arr.children ?? []).findIndex((c) => c.offset === offset);
  return i >= 0 ? i : undefined;
}

/** Whether the value at `path` is an object (so a property can be set in it). */
export function isObjectAt(text: string, path: (string | number)[]): boolean {
  const root = tree(text);
  const node = root ? (path.length ? findNodeAtLocation(root, path) : root) : undefined;
  return node?.type === 'object';
}

/** jsonc-parser's tree, or undefined for a file nested too deeply to read safely (no edit is offered then). */
function tree(text: string): Node | undefined {
  return tooDeepAt(text, MAX_JSON_DEPTH) >= 0 ? undefined : parseTree(text);
}
