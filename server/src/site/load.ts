// Loads a site description: JSON text → the typed, usable parts plus problems located in the
// file. Never throws. The text is parsed with jsonc-parser (which recovers from syntax errors and
// keeps offsets) and checked with ajv against schemas/configmgr-site.schema.json; whatever the
// schema rejects is left out of the typed result, down to the single field where possible.
// The JSON helpers in the second half are shared with config.ts (not part of the public API);
// they make this file longer than ~600 lines and belong in a json.ts of their own once that
// file can be added.

import Ajv, { type ErrorObject } from 'ajv';
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import type { ContentKind } from '../catalog/types';
import type { Span } from '../model/types';
import schema from '../../../schemas/configmgr-site.schema.json';
import {
  ARCHITECTURES, AVAILABLE_TO_VALUES, CERTIFICATE_PURPOSES, DEPLOYMENT_KIT_NAMES, MULTICAST_VALUES, PACKAGE_KINDS, PRODUCTS,
  SECURITY_MODES, SITE_ROLES,
  type Application, type BootImage, type Certificate, type ContentEntry, type ContentCollection, type DeploymentKit, type Driver,
  type DriverCategory, type DriverPackage, type JsonPath, type LoadedSite, type OsImage, type OsInstaller, type Package,
  type SiteDescription, type SiteInfo, type SiteProblem, type SiteRole, type SiteSystem, type TaskSequenceEntry,
} from './types';

// Compiled once; verbose so each error carries its schema (for patternErrorMessage) and data.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSite = ajv.compile(schema);

/** Singular names of array entries, for messages ("This boot image needs a ..."). */
const SITE_NOUNS: Record<string, string> = {
  bootImages: 'boot image',
  operatingSystemImages: 'operating system image',
  operatingSystemInstallers: 'operating system installer',
  driverPackages: 'driver package',
  driverCategories: 'driver category',
  packages: 'package',
  applications: 'application',
  taskSequences: 'task sequence',
  siteSystems: 'site system',
  certificates: 'certificate',
  drivers: 'driver',
  roles: 'role',
};

export function loadSite(text: string): LoadedSite {
  try {
    return load(text);
  } catch (e) {
    // Only pathological input gets here (e.g. nesting deep enough to exhaust the stack).
    const why = e instanceof Error ? e.message : String(e);
    return makeLoaded(text, undefined, emptySite(), [
      { code: 'invalid-site-description', severity: 'error', message: `cmts could not read this file (${why}).`, span: { start: 0, end: 0 } },
    ]);
  }
}

function load(text: string): LoadedSite {
  const { root, problems: syntax } = parseJson(text);
  const problems: SiteProblem[] = syntax.map((p) => ({ code: 'invalid-site-description', ...p }));
  if (!root || root.type !== 'object') {
    if (root) {
      problems.push(siteProblem('error', 'The site description must be a JSON object { ... } at the top level.', nodeSpan(root)));
    } else if (text.trim() === '') {
      problems.length = 0;
      problems.push(siteProblem('error', 'The site description is empty; it needs at least a "site" section.', { start: 0, end: 0 }));
    }
    return makeLoaded(text, root, emptySite(), sortProblems(problems));
  }

  for (const p of duplicateKeyProblems(root)) problems.push({ code: 'invalid-site-description', ...p });

  const bad = new Set<string>();
  validateSite(nodeValue(root));
  for (const err of usefulErrors(validateSite.errors)) {
    const d = describeSchemaError(err, root, { nouns: SITE_NOUNS, topLevel: 'The site description', context: siteContext(root) });
    problems.push({ code: 'invalid-site-description', ...d });
    if (err.keyword !== 'required') bad.add(err.instancePath);
  }

  const fileIndex = new WeakMap<object, number>();
  const site = buildSite(root, new Reader(text, bad), fileIndex);
  const loaded = makeLoaded(text, root, site, problems, fileIndex);
  for (const p of duplicateIdProblems(loaded.entries())) problems.push(p);
  sortProblems(problems);
  return loaded;
}

/**
 * The errors worth reporting: not `if` (the failing `then` part reports the real error), and only
 * the type error where a value has the wrong type (an enum or pattern on it would say the same).
 */
export function usefulErrors(errors: ErrorObject[] | null | undefined): ErrorObject[] {
  const list = (errors ?? []).filter((e) => e.keyword !== 'if');
  const typed = new Set(list.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return list.filter((e) => e.keyword === 'type' || !typed.has(e.instancePath));
}

function siteProblem(severity: SiteProblem['severity'], message: string, span: Span): SiteProblem {
  return { code: 'invalid-site-description', severity, message, span };
}

function sortProblems<T extends { span: Span }>(problems: T[]): T[] {
  return problems.sort((a, b) => a.span.start - b.span.start);
}

/** Version and security mode depend on the product: say which one in their messages. */
function siteContext(root: Node): (path: JsonPath) => string | undefined {
  return (path) => {
    if (path.length !== 2 || path[0] !== 'site' || (path[1] !== 'version' && path[1] !== 'securityMode')) return undefined;
    const product = locateNode(root, ['site', 'product']);
    const value: unknown = product?.value;
    return typeof value === 'string' && (PRODUCTS as readonly string[]).includes(value) ? `for ${value}` : undefined;
  };
}

function emptySite(): SiteDescription {
  return {
    site: { span: { start: 0, end: 0 } },
    bootImages: [],
    operatingSystemImages: [],
    operatingSystemInstallers: [],
    driverPackages: [],
    driverCategories: [],
    packages: [],
    applications: [],
    taskSequences: [],
    siteSystems: [],
    certificates: [],
  };
}

// ---- Typed result -------------------------------------------------------------------------

/** Reads values out of the tree, skipping every value the schema rejected. */
class Reader {
  constructor(private readonly text: string, private readonly bad: Set<string>) {}

  ok(path: JsonPath): boolean {
    return !this.bad.has(toPointer(path));
  }

  /** The value node at obj[key], unless missing or rejected. */
  field(obj: Node, path: JsonPath, key: string): Node | undefined {
    const n = propertyValue(obj, key);
    return n && this.ok([...path, key]) ? n : undefined;
  }

  str(obj: Node, path: JsonPath, key: string): string | undefined {
    const v: unknown = this.field(obj, path, key)?.value;
    return typeof v === 'string' ? v : undefined;
  }

  bool(obj: Node, path: JsonPath, key: string): boolean | undefined {
    const v: unknown = this.field(obj, path, key)?.value;
    return typeof v === 'boolean' ? v : undefined;
  }

  int(obj: Node, path: JsonPath, key: string): number | undefined {
    const v: unknown = this.field(obj, path, key)?.value;
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  }

  oneOf<T extends string>(obj: Node, path: JsonPath, key: string, values: readonly T[]): T | undefined {
    const v = this.str(obj, path, key);
    return values.find((x) => x === v);
  }

  /** A list of strings; rejected items are left out. Undefined when the list is missing or rejected. */
  strList(obj: Node, path: JsonPath, key: string): string[] | undefined {
    const arr = this.field(obj, path, key);
    if (arr?.type !== 'array') return undefined;
    const out: string[] = [];
    (arr.children ?? []).forEach((item, i) => {
      const v: unknown = item.value;
      if (item.type === 'string' && typeof v === 'string' && this.ok([...path, key, i])) out.push(v);
    });
    return out;
  }

  /** The usable objects of an array property, with their index in the file. */
  objects(obj: Node, path: JsonPath, key: string): { node: Node; index: number; path: JsonPath }[] {
    const arr = this.field(obj, path, key);
    if (arr?.type !== 'array') return [];
    const out: { node: Node; index: number; path: JsonPath }[] = [];
    (arr.children ?? []).forEach((node, index) => {
      const p = [...path, key, index];
      if (node.type === 'object' && this.ok(p)) out.push({ node, index, path: p });
    });
    return out;
  }

  /** A string value's text inside its quotes. */
  innerSpan(n: Node): Span {
    const start = n.offset + 1;
    const closed = n.length >= 2 && this.text.charAt(n.offset + n.length - 1) === '"';
    return { start, end: Math.max(start, n.offset + n.length - (closed ? 1 : 0)) };
  }
}

/** What every content entry shares; undefined when its ID is missing or rejected. */
function contentBase(r: Reader, node: Node, path: JsonPath, idKey: 'packageId' | 'id') {
  const idNode = r.field(node, path, idKey);
  const id: unknown = idNode?.value;
  if (!idNode || idNode.type !== 'string' || typeof id !== 'string' || id === '') return undefined;
  const name = r.str(node, path, 'name');
  return {
    id,
    ...(name !== undefined ? { name } : {}),
    distributionPoints: r.strList(node, path, 'distributionPoints') ?? [],
    span: nodeSpan(node),
    idSpan: r.innerSpan(idNode),
  };
}

/** Copies only the defined values, so entries carry no `key: undefined` noise. */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Builds the typed site; `fileIndex` records each content entry's index in its array in the file. */
function buildSite(root: Node, r: Reader, fileIndex: WeakMap<object, number>): SiteDescription {
  const s = emptySite();
  s.site = buildSiteInfo(root, r);

  const packageBase = (node: Node, path: JsonPath) => {
    const b = contentBase(r, node, path, 'packageId');
    return b && { packageId: b.id, name: b.name, distributionPoints: b.distributionPoints, span: b.span, idSpan: b.idSpan };
  };
  const add = <E extends object>(list: E[], entry: E, index: number): void => {
    fileIndex.set(entry, index);
    list.push(entry);
  };

  for (const { node, path, index } of r.objects(root, [], 'bootImages')) {
    const b = packageBase(node, path);
    if (!b) continue;
    add(s.bootImages, defined<BootImage>({
      ...b,
      architecture: r.oneOf(node, path, 'architecture', ARCHITECTURES),
      windowsPEVersion: r.str(node, path, 'windowsPEVersion'),
      pxeEnabled: r.bool(node, path, 'pxeEnabled'),
      optionalComponents: r.strList(node, path, 'optionalComponents'),
    }), index);
  }
  for (const { node, path, index } of r.objects(root, [], 'operatingSystemImages')) {
    const b = packageBase(node, path);
    if (!b) continue;
    add(s.operatingSystemImages, defined<OsImage>({
      ...b,
      architecture: r.oneOf(node, path, 'architecture', ARCHITECTURES),
      osVersion: r.str(node, path, 'osVersion'),
      imageCount: r.int(node, path, 'imageCount'),
      multicast: r.oneOf(node, path, 'multicast', MULTICAST_VALUES) ?? 'none',
    }), index);
  }
  for (const { node, path, index } of r.objects(root, [], 'operatingSystemInstallers')) {
    const b = packageBase(node, path);
    if (!b) continue;
    add(s.operatingSystemInstallers, defined<OsInstaller>({
      ...b,
      architecture: r.oneOf(node, path, 'architecture', ARCHITECTURES),
      osVersion: r.str(node, path, 'osVersion'),
      editionCount: r.int(node, path, 'editionCount'),
    }), index);
  }
  for (const { node, path, index } of r.objects(root, [], 'driverPackages')) {
    const b = packageBase(node, path);
    if (!b) continue;
    const driversNode = r.field(node, path, 'drivers');
    const drivers = driversNode?.type === 'array'
      ? r.objects(node, path, 'drivers').map(({ node: d, path: dp }) => defined<Driver>({
        name: r.str(d, dp, 'name'),
        enabled: r.bool(d, dp, 'enabled'),
        architecture: r.oneOf(d, dp, 'architecture', ARCHITECTURES),
        categories: r.strList(d, dp, 'categories'),
        span: nodeSpan(d),
      }))
      : undefined;
    add(s.driverPackages, defined<DriverPackage>({ ...b, drivers }), index);
  }
  for (const { node, path } of r.objects(root, [], 'driverCategories')) {
    const idNode = r.field(node, path, 'id');
    const id: unknown = idNode?.value;
    const name = r.str(node, path, 'name');
    if (!idNode || typeof id !== 'string' || id === '' || name === undefined) continue;
    s.driverCategories.push({ id, name, span: nodeSpan(node), idSpan: r.innerSpan(idNode) } satisfies DriverCategory);
  }
  for (const { node, path, index } of r.objects(root, [], 'packages')) {
    const b = packageBase(node, path);
    if (!b) continue;
    add(s.packages, defined<Package>({
      ...b,
      kind: r.oneOf(node, path, 'kind', PACKAGE_KINDS) ?? 'software',
      usmtVersion: r.str(node, path, 'usmtVersion'),
      architecture: r.oneOf(node, path, 'architecture', ARCHITECTURES),
      programs: r.strList(node, path, 'programs'),
    }), index);
  }
  for (const { node, path, index } of r.objects(root, [], 'applications')) {
    const b = contentBase(r, node, path, 'id');
    if (b) add(s.applications, defined<Application>(b), index);
  }
  for (const { node, path, index } of r.objects(root, [], 'taskSequences')) {
    const b = packageBase(node, path);
    if (!b) continue;
    add(s.taskSequences, defined<TaskSequenceEntry>({
      ...b,
      file: r.str(node, path, 'file'),
      bootImageId: r.str(node, path, 'bootImageId'),
      availableTo: r.oneOf(node, path, 'availableTo', AVAILABLE_TO_VALUES),
    }), index);
  }
  for (const { node, path } of r.objects(root, [], 'siteSystems')) {
    const server = r.str(node, path, 'server');
    if (!server) continue;
    const roles: SiteRole[] = [];
    for (const { node: rn, path: rp } of r.objects(node, path, 'roles')) {
      const role = r.oneOf(rn, rp, 'role', SITE_ROLES);
      if (!role) continue;
      roles.push(defined<SiteRole>({
        role,
        pxe: r.bool(rn, rp, 'pxe'),
        multicast: r.bool(rn, rp, 'multicast'),
        restoreOnly: r.bool(rn, rp, 'restoreOnly'),
        span: nodeSpan(rn),
      }));
    }
    s.siteSystems.push({ server, roles, span: nodeSpan(node) } satisfies SiteSystem);
  }
  for (const { node, path } of r.objects(root, [], 'certificates')) {
    const purpose = r.oneOf(node, path, 'purpose', CERTIFICATE_PURPOSES);
    if (!purpose) continue;
    s.certificates.push(defined<Certificate>({
      purpose,
      subject: r.str(node, path, 'subject'),
      expires: r.str(node, path, 'expires'),
      span: nodeSpan(node),
    }));
  }
  return s;
}

function buildSiteInfo(root: Node, r: Reader): SiteInfo {
  const node = r.field(root, [], 'site');
  if (node?.type !== 'object') return { span: { start: 0, end: 0 } };
  const path = ['site'];
  let deploymentKit: DeploymentKit | undefined;
  const kit = r.field(node, path, 'deploymentKit');
  if (kit?.type === 'object') {
    const kp = [...path, 'deploymentKit'];
    const name = r.oneOf(kit, kp, 'name', DEPLOYMENT_KIT_NAMES);
    const version = r.str(kit, kp, 'version');
    if (name && version) deploymentKit = { name, version, span: nodeSpan(kit) };
  }
  return defined<SiteInfo>({
    code: r.str(node, path, 'code'),
    product: r.oneOf(node, path, 'product', PRODUCTS),
    version: r.str(node, path, 'version'),
    securityMode: r.oneOf(node, path, 'securityMode', SECURITY_MODES),
    deploymentKit,
    span: nodeSpan(node),
  });
}

// ---- Content index ------------------------------------------------------------------------

function collectEntries(site: SiteDescription, fileIndex: WeakMap<object, number>): ContentEntry[] {
  const out: ContentEntry[] = [];
  const base = <E extends { span: Span; idSpan: Span; name?: string }>(e: E, id: string, kind: ContentKind, i: number) =>
    ({ id, kind, index: fileIndex.get(e) ?? i, ...(e.name !== undefined ? { name: e.name } : {}), entry: e, span: e.span, idSpan: e.idSpan });
  site.bootImages.forEach((e, i) => out.push({ ...base(e, e.packageId, 'bootImage', i), collection: 'bootImages' }));
  site.operatingSystemImages.forEach((e, i) => out.push({ ...base(e, e.packageId, 'osImage', i), collection: 'operatingSystemImages' }));
  site.operatingSystemInstallers.forEach((e, i) => out.push({ ...base(e, e.packageId, 'osInstaller', i), collection: 'operatingSystemInstallers' }));
  site.driverPackages.forEach((e, i) => out.push({ ...base(e, e.packageId, 'driverPackage', i), collection: 'driverPackages' }));
  site.packages.forEach((e, i) => out.push({ ...base(e, e.packageId, packageContentKind(e.kind), i), collection: 'packages' }));
  site.applications.forEach((e, i) => out.push({ ...base(e, e.id, 'application', i), collection: 'applications' }));
  site.taskSequences.forEach((e, i) => out.push({ ...base(e, e.packageId, 'taskSequence', i), collection: 'taskSequences' }));
  return out;
}

function packageContentKind(kind: Package['kind']): ContentKind {
  return kind === 'usmt' ? 'usmtPackage' : kind === 'client' ? 'clientPackage' : 'package';
}

function makeLoaded(
  text: string, root: Node | undefined, site: SiteDescription, problems: SiteProblem[], fileIndex = new WeakMap<object, number>(),
): LoadedSite {
  const all = collectEntries(site, fileIndex);
  const byId = new Map<string, ContentEntry>();
  for (const e of all) if (!byId.has(e.id.toLowerCase())) byId.set(e.id.toLowerCase(), e);
  const dpServers = new Set(
    site.siteSystems.filter((s) => s.roles.some((r) => r.role === 'distributionPoint')).map((s) => s.server.toLowerCase()),
  );
  return {
    site,
    problems,
    text,
    lookup: (id) => byId.get(id.toLowerCase()),
    entries: (kind) => (kind === undefined ? all.slice() : all.filter((e) => e.kind === kind)),
    isDistributed: (entry) => entry.entry.distributionPoints.some((dp) => dpServers.has(dp.toLowerCase())),
    spanOf: (path) => {
      const n = root && locateNode(root, path);
      return n && nodeSpan(n);
    },
  };
}

const COLLECTION_NOUNS: Record<ContentCollection, string> = {
  bootImages: 'boot image',
  operatingSystemImages: 'operating system image',
  operatingSystemInstallers: 'operating system installer',
  driverPackages: 'driver package',
  packages: 'package',
  applications: 'application',
  taskSequences: 'task sequence',
};

function duplicateIdProblems(entries: ContentEntry[]): SiteProblem[] {
  const seen = new Map<string, ContentEntry>();
  const out: SiteProblem[] = [];
  for (const e of entries) {
    const key = e.id.toLowerCase();
    const first = seen.get(key);
    if (!first) {
      seen.set(key, e);
      continue;
    }
    const what = `the ${COLLECTION_NOUNS[first.collection]}${first.name !== undefined ? ` "${first.name}"` : ''}`;
    out.push(siteProblem('warning',
      `The ID "${e.id}" is already used by ${what} in "${first.collection}"; IDs must be unique, and task sequences naming it get that one, not this ${COLLECTION_NOUNS[e.collection]}.`,
      e.idSpan));
  }
  return out;
}

// ---- JSON helpers shared with config.ts -----------------------------------------------------

/** A problem without its code: config.ts and this module add their own. */
export interface JsonProblem {
  severity: 'error' | 'warning';
  message: string;
  span: Span;
}

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
    problems.push({ severity: 'error', message: `${message}.`, span: { start: e.offset, end: e.offset + e.length } });
  }
  problems.push(...laxSyntaxProblems(text));
  return { root, problems };
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

function toPointer(path: JsonPath): string {
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
          out.push({ severity: 'warning', message: `"${name}" is written more than once in this object; only the last one is used.`, span: nodeSpan(before) });
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
    const d = distance(lower, a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(value.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance; the strings here are short names, so the quadratic cost is fine. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? Infinity;
}
