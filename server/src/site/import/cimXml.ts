// Reads the XML files of a ConfigMgr console export: WMI instances in CIM-XML (`object.xml`, the
// objects an export "with dependencies" carries), the `ArrayOfString` wrappers of
// ReferencesInfo.xml / AppReferencesInfo.xml (each string an escaped CIM-XML instance), and
// Manifest.xml. Never throws: malformed input is a problem naming the file and the line.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { makeInstance, type WmiInstance, type WmiValue } from './instance';

export interface ImportProblem {
  file: string;
  message: string;
}

export interface ManifestInfo {
  /** Entry objects as `Class.Key='Value'` paths, e.g. SMS_TaskSequencePackage.PackageID='RSC002A6'. */
  entries: { type: string; path: string }[];
}

export type XmlRead =
  | { kind: 'instances'; instances: WmiInstance[] }
  | { kind: 'manifest'; manifest: ManifestInfo }
  /** A file of the export that holds nothing the site description uses (content types, a bare <string>). */
  | { kind: 'ignored' }
  /** A task sequence export (bare <sequence> or ConfigMgr 2007 <SmsTaskSequencePackage>): read for its content references. */
  | { kind: 'sequence' }
  | { kind: 'problem'; problem: ImportProblem };

/** CIM-XML nests a few levels (instance, property, value array, embedded instance); more is no export. */
const MAX_XML_DEPTH = 64;

type Raw = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Elements always as lists, so one and many read alike; text and attributes stay scalars.
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Reads one XML file of an export. */
export function readExportXml(text: string, file: string): XmlRead {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const bad = checkXml(src, file);
  if (bad) return { kind: 'problem', problem: bad };
  let doc: Raw;
  try {
    doc = parser.parse(src) as Raw;
  } catch (e) {
    return { kind: 'problem', problem: { file, message: `${file}: cmts could not read this XML (${e instanceof Error ? e.message : String(e)}).` } };
  }
  if (doc.INSTANCE) return instancesOf(doc, file);
  const lib = first(doc.LibraryDocument);
  if (lib) return { kind: 'manifest', manifest: manifestOf(lib) };
  const arr = first(doc.ArrayOfString);
  if (arr) {
    const out: WmiInstance[] = [];
    for (const s of list(arr.string)) {
      const inner = textOf(s).trim();
      if (inner === '') continue;
      const r = readExportXml(inner, file);
      if (r.kind === 'problem') return { kind: 'problem', problem: { file, message: r.problem.message.replace(`${file}:`, `${file} (an escaped instance inside it):`) } };
      if (r.kind === 'instances') out.push(...r.instances);
    }
    return { kind: 'instances', instances: out };
  }
  if (doc.string || doc.Types) return { kind: 'ignored' };
  if (doc.sequence || doc.SmsTaskSequencePackage) return { kind: 'sequence' };
  const root = Object.keys(doc).find((k) => !k.startsWith('@') && k !== '#text') ?? '(none)';
  return { kind: 'problem', problem: { file, message: `${file}: this is not a file of a ConfigMgr console export (its root element is <${root}>, not a WMI <INSTANCE>, <ArrayOfString>, <LibraryDocument> or a task sequence).` } };
}

/** Well-formedness, DOCTYPE and depth, with the line of the first problem. */
function checkXml(src: string, file: string): ImportProblem | undefined {
  // Entities are decoded by the parser; a DOCTYPE could declare its own, so it is never read.
  const doctype = /<!DOCTYPE/i.exec(src);
  if (doctype) return { file, message: `${file}:${lineAt(src, doctype.index)}: a DOCTYPE declaration; console exports have none, and cmts does not read files with one.` };
  const v = XMLValidator.validate(src, { allowBooleanAttributes: false });
  if (v !== true) return { file, message: `${file}:${v.err.line}:${v.err.col}: not well-formed XML: ${v.err.msg}` };
  const deep = depthAt(src, MAX_XML_DEPTH);
  if (deep >= 0) return { file, message: `${file}:${lineAt(src, deep)}: elements nested more than ${MAX_XML_DEPTH} levels deep; no console export does that, so cmts does not read it.` };
  return undefined;
}

/** Offset of the start tag that opens level `max + 1`, or -1 (a linear scan; comments and CDATA skipped). */
function depthAt(src: string, max: number): number {
  let depth = 0;
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)[A-Za-z_][^>]*?(\/?)>/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[1] === undefined) continue;
    if (m[1] === '/') depth--;
    else if (m[2] !== '/' && ++depth > max) return m.index;
  }
  return -1;
}

function lineAt(src: string, offset: number): number {
  let n = 1;
  for (let i = src.indexOf('\n'); i >= 0 && i < offset; i = src.indexOf('\n', i + 1)) n++;
  return n;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function first(v: unknown): Raw | undefined {
  const x = list(v)[0];
  return typeof x === 'object' && x !== null ? (x as Raw) : undefined;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) {
    const t = (v as Raw)['#text'];
    return typeof t === 'string' ? t : Array.isArray(t) ? t.join('') : '';
  }
  return '';
}

function attr(node: Raw, name: string): string | undefined {
  const v = node[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}

function instancesOf(doc: Raw, file: string): XmlRead {
  const out: WmiInstance[] = [];
  for (const i of list(doc.INSTANCE)) {
    if (typeof i !== 'object' || i === null) continue;
    const inst = instanceOf(i as Raw, file);
    if (!inst) return { kind: 'problem', problem: { file, message: `${file}: an <INSTANCE> without a CLASSNAME; CIM-XML names the class of every instance.` } };
    out.push(inst);
  }
  return { kind: 'instances', instances: out };
}

/** One <INSTANCE>: its PROPERTY, PROPERTY.ARRAY, PROPERTY.OBJECT and PROPERTY.OBJECTARRAY children. */
function instanceOf(node: Raw, file: string): WmiInstance | undefined {
  const className = attr(node, 'CLASSNAME');
  if (!className) return undefined;
  const entries: [string, WmiValue][] = [];
  for (const p of list(node.PROPERTY)) {
    const pn = p as Raw;
    const name = attr(pn, 'NAME');
    if (!name) continue;
    const values = list(pn.VALUE);
    entries.push([name, values.length ? textOf(values[0]) : null]);
  }
  for (const p of list(node['PROPERTY.ARRAY'])) {
    const pn = p as Raw;
    const name = attr(pn, 'NAME');
    if (!name) continue;
    // No VALUE.ARRAY is null; an empty one (only white space inside) is an empty list.
    const arr = list(pn['VALUE.ARRAY'])[0];
    entries.push([name, arr === undefined ? null : typeof arr === 'object' && arr !== null ? list((arr as Raw).VALUE).map(textOf) : []]);
  }
  for (const key of ['PROPERTY.OBJECT', 'PROPERTY.OBJECTARRAY']) {
    for (const p of list(node[key])) {
      const pn = p as Raw;
      const name = attr(pn, 'NAME');
      if (!name) continue;
      const holders = key === 'PROPERTY.OBJECT' ? [pn] : list(first(pn['VALUE.OBJECTARRAY'])?.['VALUE.OBJECT']);
      const embedded: WmiInstance[] = [];
      for (const h of holders) {
        const hv = key === 'PROPERTY.OBJECT' ? first((h as Raw)['VALUE.OBJECT']) : (h as Raw);
        for (const inner of list(hv?.INSTANCE)) {
          const e = instanceOf(inner as Raw, file);
          if (e) embedded.push(e);
        }
      }
      entries.push([name, key === 'PROPERTY.OBJECT' ? (embedded[0] ?? null) : embedded]);
    }
  }
  return makeInstance(className, file, entries);
}

function manifestOf(lib: Raw): ManifestInfo {
  const entries: ManifestInfo['entries'] = [];
  for (const o of list(first(lib.EntryObjects)?.Object)) {
    const path = attr(o as Raw, 'Path');
    const type = attr(o as Raw, 'Type');
    if (path && type) entries.push({ type, path });
  }
  return { entries };
}
