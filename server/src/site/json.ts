// JSON with positions, shared by the site description and .cmts.json loaders: parsing with
// jsonc-parser (syntax problems in plain words), locating nodes by path, duplicate keys, and
// turning ajv schema errors into messages at the offending property.

import type { default as AjvClass, ErrorObject } from 'ajv';
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import { editDistance } from '../catalog';
import type { Span } from '../model/types';
import type { JsonPath } from './types';

/**
 * The errors worth reporting: not `if` (the failing `then` part reports the real error), and only
 * the type error where a value has the wrong type (an enum or pattern on it would say the same).
 */
export function usefulErrors(errors: ErrorObject[] | null | undefined): ErrorObject[] {
  const list = (errors ?? []).filter((e) => e.keyword !== 'if');
  const typed = new Set(list.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return list.filter((e) => e.keyword === 'type' || !typed.has(e.instancePath));
}

/** A problem without its code: config.ts and this module add their own. */
export interface JsonProblem {
  severity: 'error' | 'warning';
  message: string;
  span: Span;
  /**
   * What a JSON editor with the schema also reports: 'syntax' (parse errors, comments, trailing
   * commas, repeated keys) or 'schema' (what ajv found). Unset for what only cmts knows. The
   * server leaves these out where the editor's own JSON validation already shows them.
   */
  origin?: JsonOrigin;
}

export type JsonOrigin = 'syntax' | 'schema';

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character here; expected a value, a property name in double quotes, or punctuation',
  InvalidNumberFormat: 'This number is not written the JSON way (digits, an optional dot and exponent; no leading zeros or +)',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value (text in double quotes, a number, true, false, null, a list [ ] or an object { })',
  ColonExpected: 'Expected a colon ":" after the property name',
  CommaExpected: 'Expected a comma',
  CloseBraceExpected: 'Expected a closing brace "}"',
  CloseBracketExpected: 'Expected a closing bracket "]"',
  EndOfFileExpected: 'Expected the end of the file: there is more text after the top-level value',
  InvalidCommentToken: 'This comment is not written correctly',
  UnexpectedEndOfComment: 'This comment is not closed: "*/" is missing',
  UnexpectedEndOfString: 'This text is not closed: the closing double quote is missing',
  UnexpectedEndOfNumber: 'This number is cut off',
  InvalidUnicode: 'Invalid \\u escape: it needs four hexadecimal digits',
  InvalidEscapeCharacter: 'Invalid escape after a backslash (use \\\\ for a backslash, \\" for a quote)',
  InvalidCharacter: 'Invalid character in text: line breaks and tabs must be written as \\n and \\t',
};

/**
 * Parses JSON, tolerating comments and trailing commas (reported as warnings, since the file is
 * still read but other tools may reject it) and recovering from errors with exact offsets.
 */
export function parseJson(text: string): { root: Node | undefined; problems: JsonProblem[] } {
  // jsonc-parser builds the tree recursively: thousands of nested levels exhaust the stack (and a
  // worker thread's smaller one sooner; found by the fuzzer, issue 9). Nothing is read past this.
  const deep = tooDeepAt(text, MAX_JSON_DEPTH);
  if (deep >= 0) {
    return { root: undefined, problems: [{ severity: 'error', message: `Objects and lists are nested more than ${MAX_JSON_DEPTH} levels deep here; cmts does not read this file.`, span: { start: deep, end: deep + 1 }, origin: 'syntax' }] };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const problems: JsonProblem[] = [];
  let lastEnd = -2;
  for (const e of errors) {
    // While recovering, jsonc-parser often reports a second error right where the first one
    // ends (or at the same offset); the first one says what is wrong.
    if (e.offset <= lastEnd + 1) continue;
    lastEnd = e.offset + e.length;
    const code = printParseErrorCode(e.error);
    const word = text.slice(e.offset, e.offset + e.length);
    let message = SYNTAX_MESSAGES[code] ?? 'This is not valid JSON';
    if (code === 'InvalidSymbol' && /^[A-Za-z_][\w.-]*$/.test(word)) {
      const lower = word.toLowerCase();
      message = ['true', 'false', 'null'].includes(lower) ? `Write ${lower} in lower case` : `Text must be in double quotes: write "${word}"`;
    } else if (code === 'CommaExpected' && (word === '}' || word === ']')) {
      // A closer of the wrong kind: the list or object before it was never closed.
      message = word === '}' ? 'Expected a closing bracket "]" for the list (or a comma)' : 'Expected a closing brace "}" for the object (or a comma)';
    }
    problems.push({ severity: 'error', message: `${message}.`, span: { start: e.offset, end: e.offset + e.length }, origin: 'syntax' });
  }
  problems.push(...laxSyntaxProblems(text).map((p): JsonProblem => ({ ...p, origin: 'syntax' })));
  return { root, problems };
}

/** Deeper than this, a JSON file is not read (a site description nests five or six levels). */
export const MAX_JSON_DEPTH = 64;

/** Offset of the `{` or `[` that opens level `max + 1`, or -1: a scan that skips strings and comments. */
export function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34 || d === 10 || d === 13) break;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return i;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** Comments (the first one) and trailing commas: read by cmts, not plain JSON. */
function laxSyntaxProblems(text: string): JsonProblem[] {
  const out: JsonProblem[] = [];
  const scanner = createScanner(text, false);
  let commentSeen = false;
  let lastComma: Span | undefined;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const span = { start: scanner.getTokenOffset(), end: scanner.getTokenOffset() + scanner.getTokenLength() };
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) {
      if (!commentSeen) {
        out.push({ severity: 'warning', message: 'Comments are not part of plain JSON: cmts reads past them, but other tools that read this file may not.', span });
      }
      commentSeen = true;
      continue;
    }
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    if (lastComma && (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken)) {
      out.push({ severity: 'warning', message: 'Trailing comma: plain JSON does not allow a comma before a closing bracket or brace; cmts reads past it, other tools may not.', span: lastComma });
    }
    lastComma = kind === SyntaxKind.CommaToken ? span : undefined;
  }
  return out;
}

/**
 * The plain value of a node, for ajv. Unlike jsonc-parser's getNodeValue it defines keys as own
 * properties, so a "__proto__" key is data rather than a prototype; the last repeated key wins.
 */
export function nodeValue(n: Node): unknown {
  if (n.type === 'object') {
    const o: Record<string, unknown> = {};
    for (const p of n.children ?? []) {
      const [k, v] = p.children ?? [];
      const key: unknown = k?.value;
      if (typeof key === 'string' && v) Object.defineProperty(o, key, { value: nodeValue(v), enumerable: true, writable: true, configurable: true });
    }
    return o;
  }
  if (n.type === 'array') return (n.children ?? []).map(nodeValue);
  const v: unknown = n.value;
  return v;
}

export function nodeSpan(n: Node): Span {
  return { start: n.offset, end: n.offset + n.length };
}

/** The value of obj[key]; the last one when a key is repeated, as nodeValue (and so ajv) sees it. */
export function propertyValue(obj: Node, key: string): Node | undefined {
  if (obj.type !== 'object') return undefined;
  let found: Node | undefined;
  for (const p of obj.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k?.value === key && v) found = v;
  }
  return found;
}

/** The property node (key and value) holding obj[key]; the last one when repeated. */
function propertyNode(obj: Node, key: string): Node | undefined {
  let found: Node | undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) found = p;
  return found;
}

/** The node at a path; array indexes may be numbers or digit strings (as in JSON pointers). */
export function locateNode(root: Node, path: JsonPath): Node | undefined {
  let n: Node | undefined = root;
  for (const seg of path) {
    if (!n) return undefined;
    if (n.type === 'object') {
      n = propertyValue(n, String(seg));
    } else if (n.type === 'array') {
      const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
      n = n.children?.[i];
    } else {
      return undefined;
    }
  }
  return n;
}

/** JSON pointer → path, with array indexes as numbers where the tree has arrays. */
export function pointerToPath(root: Node, pointer: string): JsonPath {
  if (pointer === '') return [];
  const path: JsonPath = [];
  let n: Node | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const asIndex: number | undefined = n?.type === 'array' && /^\d+$/.test(seg) ? Number(seg) : undefined;
    path.push(asIndex ?? seg);
    n = n && locateNode(n, [asIndex ?? seg]);
  }
  return path;
}

export function toPointer(path: JsonPath): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Where a property's key is written, for problems about the property rather than its value. */
function keySpan(root: Node, path: JsonPath): Span | undefined {
  if (path.length === 0) return undefined;
  const parent = locateNode(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent?.type !== 'object' || typeof last !== 'string') return undefined;
  const key = propertyNode(parent, last)?.children?.[0];
  return key && nodeSpan(key);
}

/** Repeated keys in one object: JSON readers differ on which one wins. */
export function duplicateKeyProblems(root: Node): JsonProblem[] {
  const out: JsonProblem[] = [];
  const stack: Node[] = [root];
  // Iterative, so a deeply nested file cannot exhaust the stack here.
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.type === 'object') {
      const last = new Map<string, Node>();
      for (const p of n.children ?? []) {
        const k = p.children?.[0];
        const name: unknown = k?.value;
        if (!k || typeof name !== 'string') continue;
        const before = last.get(name);
        if (before) {
          out.push({ severity: 'warning', message: `"${name}" is written more than once in this object; only the last one is used.`, span: nodeSpan(before), origin: 'syntax' });
        }
        last.set(name, k);
      }
    }
    for (const c of n.children ?? []) stack.push(c);
  }
  return out;
}

export interface DescribeOptions {
  /** Singular names for entries of arrays, by the array's key. */
  nouns: Record<string, string>;
  /** What the whole file is called ("The site description"). */
  topLevel: string;
  /** Extra words for a path's enum/pattern message, e.g. "for ConfigMgr 2007". */
  context?: (path: JsonPath) => string | undefined;
}

/** Turns one ajv error into a problem in plain words, at the offending value (or key). */
export function describeSchemaError(err: ErrorObject, root: Node, opts: DescribeOptions): JsonProblem {
  const path = pointerToPath(root, err.instancePath);
  const node = locateNode(root, path);
  const valueSpan: Span = node ? nodeSpan(node) : { start: root.offset, end: root.offset + 1 };
  const label = labelOf(path);
  const data: unknown = err.data;
  const extra = opts.context?.(path);
  const params: Record<string, unknown> = err.params;
  switch (err.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const last = path[path.length - 1];
      const inArray = typeof last === 'number';
      const owner = path.length === 0 ? opts.topLevel
        : inArray ? `This ${opts.nouns[String(path[path.length - 2])] ?? 'entry'}` : `"${String(last)}"`;
      const tail = inArray || path.length > 1 ? '; it is ignored until it has one' : '';
      // At the key that opens the incomplete object, or at its `{` when it has no key.
      const span = keySpan(root, path) ?? { start: valueSpan.start, end: valueSpan.start + 1 };
      const props: unknown = err.parentSchema?.properties;
      const sub: unknown = isRecord(props) ? props[missing] : undefined;
      const section = isRecord(sub) && sub.type === 'object' ? ' section' : '';
      return { severity: 'error', message: `${owner} needs ${article(missing)} "${missing}"${section}${tail}.`, span };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const props: unknown = err.parentSchema?.properties;
      const allowed = isRecord(props) ? Object.keys(props).filter((k) => k !== '$schema') : [];
      const guess = closest(name, allowed);
      const where = path.length === 0 ? '' : ` in ${label}`;
      return {
        severity: 'warning',
        message: `Unknown setting "${name}"${where}${guess ? `; did you mean "${guess}"?` : '; it is ignored.'}`,
        span: keySpan(root, [...path, name]) ?? valueSpan,
      };
    }
    case 'type': {
      const expected = TYPE_WORDS[String(params.type)] ?? `of type ${String(params.type)}`;
      return { severity: 'error', message: `${capital(label)} must be ${expected}, not ${shortValue(data)}.`, span: valueSpan };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map(String) : [];
      const guess = typeof data === 'string' ? closest(data, allowed) : undefined;
      const found = guess ? `, not ${shortValue(data)}; did you mean "${guess}"?` : `, not ${shortValue(data)}.`;
      return { severity: 'error', message: `${capital(label)} must be one of ${allowed.join(', ')}${extra ? ` ${extra}` : ''}${found}`, span: valueSpan };
    }
    case 'const':
      return { severity: 'error', message: `${capital(label)} must be ${shortValue(params.allowedValue)}, not ${shortValue(data)}.`, span: valueSpan };
    case 'pattern': {
      const hint: unknown = err.parentSchema?.patternErrorMessage;
      const why = typeof hint === 'string' ? uncapital(hint) : 'it is not in the expected form.';
      return { severity: 'error', message: `${capital(label)} cannot be ${shortValue(data)}${extra ? ` ${extra}` : ''}: ${why}`, span: valueSpan };
    }
    case 'minLength':
      return { severity: 'error', message: `${capital(label)} must not be empty.`, span: valueSpan };
    case 'minimum':
      return { severity: 'error', message: `${capital(label)} must be at least ${String(params.limit)}, not ${shortValue(data)}.`, span: valueSpan };
    default:
      return { severity: 'error', message: `${capital(label)} ${err.message ?? 'is not valid'}.`, span: valueSpan };
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text in double quotes',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  array: 'a list in square brackets [ ... ]',
  object: 'an object in braces { ... }',
  null: 'null',
};

/** How a message names the value at a path: `"architecture"` or `each entry of "distributionPoints"`. */
function labelOf(path: JsonPath): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the top level';
  if (typeof last === 'string') return `"${last}"`;
  const parent = path[path.length - 2];
  return parent === undefined ? 'each entry' : `each entry of "${String(parent)}"`;
}

function shortValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}..."` : s;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function uncapital(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names engineers commonly write for an allowed value. */
const SYNONYMS: Record<string, string> = { amd64: 'x64', x86_64: 'x64', 'x86-64': 'x64', i386: 'x86', ia32: 'x86', win32: 'x86' };

/** The allowed value the user most likely meant: same letters in another case, a known synonym, a prefix or a near miss. */
export function closest(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const same = allowed.find((a) => a.toLowerCase() === lower);
  if (same) return same;
  const syn = SYNONYMS[lower];
  if (syn && allowed.includes(syn)) return syn;
  if (lower.length >= 3) {
    const prefixed = allowed.filter((a) => a.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const a of allowed) {
    // Names more than three letters apart in length are never within the limit; skipping them keeps
    // a megabyte-long key from costing a megabyte-squared comparison (hostile input, issue 9).
    const d = Math.abs(lower.length - a.length) > 3 ? Infinity : editDistance(lower, a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(value.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

/**
 * A schema validator, ajv loaded on first use: a run that reads no site description or settings
 * file does not pay for loading it (about 60 ms of a command line start, issue 20).
 */
export function newAjv(): AjvClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv } = require('ajv') as { default: typeof AjvClass };
  return new Ajv({ allErrors: true, strict: false, verbose: true });
}
