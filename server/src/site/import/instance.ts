// A WMI instance as the import reads it, whatever file it came from (console export CIM-XML, the
// AdminService's JSON, PowerShell's ConvertTo-Json): its class and its properties by name, with
// accessors that accept both the CIM-XML form (every value text) and the JSON form (typed values).

/** A property value: text, number or boolean, a list of them, an embedded instance or a list of those. */
export type WmiValue = string | number | boolean | null | WmiInstance | WmiValue[];

export interface WmiInstance {
  className: string;
  /** Property names as the SDK spells them; looked up without regard to case. */
  props: Map<string, WmiValue>;
  /** The file it came from, for messages. */
  file: string;
}

export function makeInstance(className: string, file: string, entries: Iterable<[string, WmiValue]>): WmiInstance {
  const props = new Map<string, WmiValue>();
  for (const [k, v] of entries) props.set(k.toLowerCase(), v);
  return { className, props, file };
}

export function isInstance(v: unknown): v is WmiInstance {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as WmiInstance).props instanceof Map;
}

function raw(inst: WmiInstance, name: string): WmiValue | undefined {
  return inst.props.get(name.toLowerCase());
}

/** A text property, trimmed; undefined when missing, null or empty. */
export function str(inst: WmiInstance, name: string): string | undefined {
  const v = raw(inst, name);
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** A whole number (CIM-XML writes numbers as text). */
export function int(inst: WmiInstance, name: string): number | undefined {
  const v = raw(inst, name);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/** A boolean (CIM-XML writes TRUE/FALSE, JSON true/false). */
export function bool(inst: WmiInstance, name: string): boolean | undefined {
  const v = raw(inst, name);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const l = v.trim().toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  return undefined;
}

/** A list of texts (an array property); a single text counts as a list of one. */
export function strList(inst: WmiInstance, name: string): string[] | undefined {
  const v = raw(inst, name);
  if (Array.isArray(v)) return v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map((x) => String(x).trim()).filter((x) => x !== '');
  if (typeof v === 'string' && v.trim() !== '') return [v.trim()];
  return undefined;
}

/** Embedded instances (an object or object-array property). */
export function objects(inst: WmiInstance, name: string): WmiInstance[] {
  const v = raw(inst, name);
  if (isInstance(v)) return [v];
  if (Array.isArray(v)) return v.filter(isInstance);
  return [];
}
