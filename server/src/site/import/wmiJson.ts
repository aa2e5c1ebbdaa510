// Reads WMI instances saved as JSON: the ConfigMgr AdminService's answers (`{"value": [ … ]}`,
// the class named in "@odata.context") and PowerShell's `Get-CimInstance … | ConvertTo-Json`
// (one object or an array; the class in CimSystemProperties.ClassName or CimClass.CimClassName).
// Never throws: JSON of another shape is a problem naming the file.

import { makeInstance, type WmiInstance, type WmiValue } from './instance';
import type { ImportProblem } from './cimXml';

/** A class name as the SDK writes them: SMS_ followed by letters, digits and underscores. */
const CLASS_NAME = /^SMS_[A-Za-z0-9_]+$/;

/** Properties PowerShell adds to every CIM instance; not the class's own. */
const POWERSHELL_EXTRAS = new Set(['cimclass', 'ciminstanceproperties', 'cimsystemproperties', 'pscomputername', '@odata.etag']);

export function readWmiJson(text: string, file: string): { instances: WmiInstance[] } | { problem: ImportProblem } {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const why = e instanceof RangeError ? 'it is nested too deeply' : e instanceof Error ? e.message : String(e);
    return { problem: { file, message: `${file}: not valid JSON (${why}).` } };
  }
  let items: unknown[];
  let contextClass: string | undefined;
  if (Array.isArray(data)) items = data;
  else if (isRecord(data) && Array.isArray(data.value)) {
    items = data.value;
    const ctx = data['@odata.context'];
    // ".../AdminService/wmi/$metadata#SMS_Package" names the class of every item.
    const m = typeof ctx === 'string' ? /#(SMS_[A-Za-z0-9_]+)/.exec(ctx) : null;
    contextClass = m?.[1];
  } else if (isRecord(data)) items = [data];
  else return { problem: { file, message: `${file}: expected WMI instances (an object, a list of objects, or the AdminService's {"value": [ … ]}), not ${describe(data)}.` } };
  const fromName = /(SMS_[A-Za-z0-9_]+?)(?:\.json)?$/i.exec(file.replace(/^.*[\\/]/, ''))?.[1];
  const out: WmiInstance[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isRecord(item)) return { problem: { file, message: `${file}: item ${i + 1} is ${describe(item)}, not a WMI instance (an object of properties).` } };
    const className = classOf(item) ?? contextClass ?? (fromName && CLASS_NAME.test(fromName) ? fromName : undefined);
    if (!className) {
      return { problem: { file, message: `${file}: cannot tell which WMI class item ${i + 1} is: it has no __CLASS or CimSystemProperties.ClassName, and neither the AdminService context nor the file name (e.g. SMS_Package.json) says.` } };
    }
    out.push(toInstance(item, className, file));
  }
  return { instances: out };
}

function classOf(o: Record<string, unknown>): string | undefined {
  const candidates: unknown[] = [o.__CLASS, isRecord(o.CimSystemProperties) ? o.CimSystemProperties.ClassName : undefined,
    isRecord(o.CimClass) ? o.CimClass.CimClassName : undefined, typeof o.CimClass === 'string' ? /:?(SMS_[A-Za-z0-9_]+)$/.exec(o.CimClass)?.[1] : undefined];
  for (const c of candidates) if (typeof c === 'string' && CLASS_NAME.test(c)) return c;
  return undefined;
}

function toInstance(o: Record<string, unknown>, className: string, file: string): WmiInstance {
  const entries: [string, WmiValue][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (POWERSHELL_EXTRAS.has(k.toLowerCase())) continue;
    entries.push([k, toValue(v, file)]);
  }
  return makeInstance(className, file, entries);
}

function toValue(v: unknown, file: string): WmiValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => toValue(x, file));
  if (isRecord(v)) return toInstance(v, classOf(v) ?? '', file);
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'string' ? 'text' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
