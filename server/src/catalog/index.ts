// Lookups over the step catalogue: by class name, by the variable a property is exported under, by
// "did you mean" distance for unknown classes, and the reading of `required` words. Pure functions over
// the data in steps.ts; checks, hover, completion and quick fixes go through here.
import { STEP_TYPES } from './steps';
import type { Catalog, RunContext, StepProperty, StepType } from './types';

export type { Catalog, ContentKind, RunContext, StepProperty, StepType } from './types';
export { BUILTIN_VARIABLES, builtinVariable, type BuiltinVariable } from './variables';

function buildCatalog(entries: readonly StepType[]): Catalog {
  const exact = new Map<string, StepType>();
  const folded = new Map<string, StepType>();
  for (const step of entries) {
    exact.set(step.type, step);
    folded.set(step.type.toLowerCase(), step);
  }
  // Sorted on first use: the first localeCompare loads the collation tables, about 15 ms of every
  // command's start (issue 20), and only the editor's lists and hover need the order.
  let actions: readonly StepType[] | undefined;
  return {
    get: (type) => exact.get(type),
    find: (type) => folded.get(type.toLowerCase()),
    all: () => entries,
    actions: () => (actions ??= entries
      .filter((s) => s.kind === 'action')
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.type.localeCompare(b.type))),
  };
}

export const catalog: Catalog = buildCatalog(STEP_TYPES);

/** Where a step may be placed: the documented environment when it differs from the console's runIn. */
export function placementOf(step: StepType): RunContext {
  return step.allowedIn ?? step.runIn;
}

// Every SMS class shares this prefix, so it says nothing about which class was meant.
const CLASS_PREFIX = 'sms_tasksequence_';

function stem(type: string): string {
  const lower = type.toLowerCase();
  return lower.startsWith(CLASS_PREFIX) ? lower.slice(CLASS_PREFIX.length) : lower;
}

/** Levenshtein distance with two rows; the strings here are short class names. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

function sharedPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function sharedSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * Known classes closest to an unknown `type`, best first, for the unknown-step-type suggestion. Compares
 * case-insensitively without the shared SMS_TaskSequence_ prefix; a shared start or end of the remaining name
 * breaks ties (typos tend to sit in the middle). Groups and operators are left out: they are never written
 * as a `type` attribute. Candidates further than half the name away are not suggestions.
 */
export function closestStepTypes(type: string, limit = 3): StepType[] {
  const wanted = stem(type);
  if (wanted.length === 0) return [];
  const scored: { step: StepType; score: number }[] = [];
  for (const step of catalog.all()) {
    if (step.kind === 'group' || step.kind === 'operator') continue;
    const known = stem(step.type);
    const longest = Math.max(wanted.length, known.length);
    const limit = Math.max(2, Math.floor(longest / 2));
    // The distance is at least the difference in length: a megabyte-long type (hostile input,
    // issue 9) is ruled out here instead of costing a megabyte × name-length table per class.
    if (Math.abs(wanted.length - known.length) > limit) continue;
    const distance = editDistance(wanted, known);
    if (distance > limit) continue;
    const bonus = (sharedPrefix(wanted, known) + sharedSuffix(wanted, known)) / (2 * longest);
    scored.push({ step, score: distance - bonus });
  }
  scored.sort((a, b) => a.score - b.score || a.step.type.localeCompare(b.step.type));
  return scored.slice(0, Math.max(0, limit)).map((s) => s.step);
}

const INDEX = '<N>';

/** Whether an indexed pattern such as OSDPackage<N>PackageId matches name (any decimal index). */
function matchesIndexed(pattern: string, name: string): boolean {
  const at = pattern.indexOf(INDEX);
  if (at < 0) return false;
  const head = pattern.slice(0, at).toLowerCase();
  const tail = pattern.slice(at + INDEX.length).toLowerCase();
  const lower = name.toLowerCase();
  if (!lower.startsWith(head) || !lower.endsWith(tail)) return false;
  const index = lower.slice(head.length, lower.length - tail.length);
  return /^\d+$/.test(index);
}

/**
 * The property of `step` that an exported `<variable name>` (or a WMI property name) stands for, matched
 * case-insensitively: the catalogue variable first, then the other spellings seen in exports, then the WMI
 * name, then indexed families (OSDPartitions2Size, OSDPackage3PackageId, OSDApp0Name ...).
 */
export function propertyOf(step: StepType, variableName: string): StepProperty | undefined {
  // Answers kept per step class and name: the catalogue does not change, and the semantic layer
  // asks for every variable of every step (a linear search each time was a tenth of a large check).
  // First by the name as written (the parser shares equal short values, so this needs no new
  // string), then without regard to case.
  let asWritten = PROPERTY_AS_WRITTEN.get(step);
  if (!asWritten) PROPERTY_AS_WRITTEN.set(step, (asWritten = new Map()));
  const direct = asWritten.get(variableName);
  if (direct !== undefined) return direct ?? undefined;
  const wanted = variableName.toLowerCase();
  let known = PROPERTY_OF.get(step);
  if (!known) PROPERTY_OF.set(step, (known = new Map()));
  const hit = known.get(wanted);
  if (hit !== undefined) {
    if (asWritten.size < 4096) asWritten.set(detached(variableName), hit);
    return hit ?? undefined;
  }
  const props = step.properties;
  const found =
    props.find((p) => p.variable !== undefined && !p.variable.includes(INDEX) && p.variable.toLowerCase() === wanted) ??
    props.find((p) => p.aliases?.some((a) => a.toLowerCase() === wanted)) ??
    props.find((p) => !p.name.includes(INDEX) && p.name.toLowerCase() === wanted) ??
    props.find((p) => (p.variable !== undefined && matchesIndexed(p.variable, variableName)) || matchesIndexed(p.name, variableName));
  // Bounded: names seen in documents can be anything; past 4,096 per class nothing more is kept.
  if (known.size < 4096) known.set(wanted, found ?? null);
  if (asWritten.size < 4096) asWritten.set(detached(variableName), found ?? null);
  return found;
}

/**
 * A copy of `s` that holds no other string: a name read from a document is often a slice of the
 * document's text, and as a key in a cache that outlives it, it would keep the whole text alive.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

const PROPERTY_OF = new WeakMap<StepType, Map<string, StepProperty | null>>();
const PROPERTY_AS_WRITTEN = new WeakMap<StepType, Map<string, StepProperty | null>>();

export interface RequirementContext {
  /** Value of another property of the same step, by WMI property name; undefined or '' when unset. */
  valueOf(propertyName: string): string | undefined;
  /** The document is an MDT Lite Touch ts.xml (its <sequence> has a name attribute). */
  mdtLiteTouch?: boolean;
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function oneOf(value: string | undefined, words: string): boolean {
  const v = (value ?? '').trim().toLowerCase();
  return words.split(/\s+or\s+|\s*,\s*/).some((w) => w.trim().toLowerCase() === v);
}

/**
 * Reads a property's `required` for one step: true/false as written, or the condition words worked out from
 * the step's other values. The catalogue only uses the forms below (a unit test keeps it so); anything else
 * gives undefined, meaning "cannot tell".
 */
export function isRequired(prop: StepProperty, ctx: RequirementContext): boolean | undefined {
  return typeof prop.required === 'boolean' ? prop.required : readCondition(prop.required, ctx);
}

// "in ConfigMgr-authored sequences" marks what MDT Lite Touch templates legitimately leave out; it may
// carry a further condition after a comma, or a reason in brackets.
function readCondition(words: string, ctx: RequirementContext): boolean | undefined {
  let c = CONDITIONS.get(words);
  if (!c) CONDITIONS.set(words, (c = compileCondition(words)));
  return c(ctx);
}

type Condition = (ctx: RequirementContext) => boolean | undefined;

/** The words read once per distinct text (checks ask for every step; the regexes were a tenth of the analysis). */
const CONDITIONS = new Map<string, Condition>();

function compileCondition(words: string): Condition {
  let m: RegExpExecArray | null;
  if ((m = /^in ConfigMgr-authored sequences(?: \(.*\))?(?:, (.+))?$/.exec(words))) {
    const rest = m[1];
    return (ctx) => (ctx.mdtLiteTouch === true ? false : rest === undefined ? true : readCondition(rest, ctx));
  }
  if ((m = /^when (\w+) is set$/.exec(words))) {
    const name = m[1];
    return (ctx) => isSet(ctx.valueOf(name));
  }
  if ((m = /^when (\w+) is not set$/.exec(words))) {
    const name = m[1];
    return (ctx) => !isSet(ctx.valueOf(name));
  }
  if ((m = /^when (\w+) is (\w+)$/.exec(words))) {
    const [, name, value] = m;
    return (ctx) => oneOf(ctx.valueOf(name), value);
  }
  if ((m = /^unless (\w+) is (.+)$/.exec(words))) {
    const [, name, value] = m;
    return (ctx) => !oneOf(ctx.valueOf(name), value);
  }
  return () => undefined;
}
