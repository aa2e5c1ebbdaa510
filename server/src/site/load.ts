// Loads a site description: JSON text → the typed, usable parts plus problems located in the
// file. Never throws. The text is parsed with jsonc-parser (which recovers from syntax errors and
// keeps offsets) and checked with ajv against schemas/configmgr-site.schema.json; whatever the
// schema rejects is left out of the typed result, down to the single field where possible.
// JSON-with-positions helpers shared with config.ts live in json.ts.

import type { ValidateFunction } from 'ajv';
import type { Node } from 'jsonc-parser';
import { describeSchemaError, duplicateKeyProblems, locateNode, newAjv, nodeSpan, nodeValue, parseJson, propertyValue, toPointer, usefulErrors } from './json';
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

// Compiled on first use (issue 20: compiling at load time made `cmts --version` three times
// `node -e 0`), then kept; verbose so each error carries its schema (for patternErrorMessage) and data.
let compiledSite: ValidateFunction | undefined;
function siteValidator(): ValidateFunction {
  return (compiledSite ??= newAjv().compile(schema));
}

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

/**
 * Larger site descriptions are not loaded (issue 9): loading takes about 0.2 s per MB, and a site
 * with ten thousand content entries, each on a hundred distribution points, is under 20 MB.
 */
export const MAX_SITE_CHARS = 32 * 1024 * 1024;

export function loadSite(text: string): LoadedSite {
  if (text.length > MAX_SITE_CHARS) {
    const mb = (text.length / 1024 / 1024).toFixed(1);
    return makeLoaded(text, undefined, emptySite(), [
      { code: 'invalid-site-description', severity: 'error', message: `This site description is too large to load (${mb} MB; cmts loads site descriptions up to ${MAX_SITE_CHARS / 1024 / 1024} MB).`, span: { start: 0, end: Math.min(1, text.length) } },
    ]);
  }
  try {
    const loaded = load(text);
    capProblems(loaded.problems);
    return loaded;
  } catch (e) {
    // Only pathological input gets here (e.g. nesting deep enough to exhaust the stack).
    const why = e instanceof RangeError ? 'it is nested too deeply' : e instanceof Error ? e.message : String(e);
    return makeLoaded(text, undefined, emptySite(), [
      { code: 'invalid-site-description', severity: 'error', message: `cmts could not read this file (${why}).`, span: { start: 0, end: 0 } },
    ]);
  }
}

/** At most this many problems per file, then one saying so (84 KB of unclosed braces made 14,000; issue 9). */
export const MAX_JSON_PROBLEMS = 1000;

/**
 * Keeps MAX_JSON_PROBLEMS problems, errors before warnings (a truncated file's one syntax error must
 * not be crowded out by thousands of warnings before it), in position order, and says how many were left out.
 */
export function capProblems<T extends { severity: 'error' | 'warning'; message: string; span: Span }>(problems: T[]): T[] {
  if (problems.length <= MAX_JSON_PROBLEMS) return problems;
  const more = problems.length - MAX_JSON_PROBLEMS;
  const kept = [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity !== 'error')]
    .slice(0, MAX_JSON_PROBLEMS)
    .sort((a, b) => a.span.start - b.span.start);
  problems.length = 0;
  problems.push(...kept);
  const last = problems[MAX_JSON_PROBLEMS - 1];
  problems.push({ ...last, severity: 'warning', message: `${more} more problems after this one are not reported; fix the ones above first.`, origin: undefined });
  return problems;
}

function load(text: string): LoadedSite {
  const { root, problems: syntax } = parseJson(text);
  const problems: SiteProblem[] = syntax.map((p) => ({ code: 'invalid-site-description', ...p }));
  if (!root || root.type !== 'object') {
    if (root) {
      // Not a schema detail but a file that cannot be used at all: cmts's own error, open or closed.
      problems.push(siteProblem('error', 'The site description must be a JSON object { ... } at the top level.', nodeSpan(root)));
    } else if (text.trim() === '') {
      problems.length = 0;
      problems.push(siteProblem('error', 'The site description is empty; it needs at least a "site" section.', { start: 0, end: 0 }));
    }
    return makeLoaded(text, root, emptySite(), sortProblems(problems));
  }

  for (const p of duplicateKeyProblems(root)) problems.push({ code: 'invalid-site-description', ...p });

  const bad = new Set<string>();
  const validateSite = siteValidator();
  validateSite(nodeValue(root));
  for (const err of usefulErrors(validateSite.errors)) {
    const d = describeSchemaError(err, root, { nouns: SITE_NOUNS, topLevel: 'The site description', context: siteContext(root) });
    // A JSON editor validating against the schema reports these as warnings (vscode-json-languageservice's
    // default for schema problems), and the server leaves them to it while the file is open: the same
    // severity here keeps one problem at one severity, open or closed. What the schema rejects is left
    // out of the typed site, so the checks that need it are skipped either way.
    problems.push({ code: 'invalid-site-description', ...d, severity: 'warning', origin: 'schema' });
    if (err.keyword !== 'required') bad.add(err.instancePath);
  }

  const fileIndex = new WeakMap<object, number>();
  const site = buildSite(root, new Reader(text, bad), fileIndex);
  const loaded = makeLoaded(text, root, site, problems, fileIndex);
  for (const p of duplicateIdProblems(loaded.entries())) problems.push(p);
  sortProblems(problems);
  return loaded;
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
  const dps = r.strList(node, path, 'distributionPoints');
  return {
    id,
    ...(name !== undefined ? { name } : {}),
    distributionPoints: dps ?? [],
    ...(dps === undefined ? { distributionUnknown: true as const } : {}),
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
    return b && { packageId: b.id, name: b.name, distributionPoints: b.distributionPoints, distributionUnknown: b.distributionUnknown, span: b.span, idSpan: b.idSpan };
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
      standaloneMedia: r.bool(node, path, 'standaloneMedia'),
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
  const variables = r.strList(root, [], 'collectionVariables');
  if (variables) s.collectionVariables = variables;
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
    networkAccessAccount: r.bool(node, path, 'networkAccessAccount'),
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
  // No "siteSystems" in the file: which servers are distribution points is unknown.
  const systemsKnown = root?.type === 'object' && propertyValue(root, 'siteSystems') !== undefined;
  return {
    site,
    problems,
    text,
    lookup: (id) => byId.get(id.toLowerCase()),
    entries: (kind) => (kind === undefined ? all.slice() : all.filter((e) => e.kind === kind)),
    isDistributed: (entry) => entry.entry.distributionUnknown === true || !systemsKnown || entry.entry.distributionPoints.some((dp) => dpServers.has(dp.toLowerCase())),
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
