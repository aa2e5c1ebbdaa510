// Small questions the sequence checks share about steps: which class a step is, how to name and
// point at it in a message, how a condition reads as a guard, whether the file is an MDT Lite
// Touch ts.xml. Pure functions over the model.

import type { ConditionNode, Item, Span, Step, TaskSequenceModel, Variable } from '../model/types';
import { ancestors, executionOrder, stepVariable } from '../model/query';
import type { RelatedPlace } from '../model/findings';
import type { SequenceDocument } from './document';
import type { Catalog } from '../catalog/types';

/** Step classes the ordering, user-state and context checks reason about. */
export const T = {
  applyOs: 'SMS_TaskSequence_ApplyOperatingSystemAction',
  partitionDisk: 'SMS_TaskSequence_PartitionDiskAction',
  applyData: 'SMS_TaskSequence_ApplyDataImageAction',
  applyWindowsSettings: 'SMS_TaskSequence_ApplyWindowsSettingsAction',
  applyNetworkSettings: 'SMS_TaskSequence_ApplyNetworkSettingsAction',
  applyDriverPackage: 'SMS_TaskSequence_ApplyDriverPackageAction',
  autoApplyDrivers: 'SMS_TaskSequence_AutoApplyAction',
  setupWindows: 'SMS_TaskSequence_SetupWindowsAndSMSAction',
  reboot: 'SMS_TaskSequence_RebootAction',
  prepareClient: 'SMS_TaskSequence_PrepareSMSClientAction',
  prepareOs: 'SMS_TaskSequence_PrepareOSAction',
  captureImage: 'SMS_TaskSequence_CaptureSystemImageAction',
  requestState: 'SMS_TaskSequence_RequestStateStoreAction',
  captureState: 'SMS_TaskSequence_CaptureUserStateAction',
  restoreState: 'SMS_TaskSequence_RestoreUserStateAction',
  releaseState: 'SMS_TaskSequence_ReleaseStateStoreAction',
  setVariable: 'SMS_TaskSequence_SetVariableAction',
  setDynamicVariables: 'SMS_TaskSequence_SetDynamicVariablesAction',
  runTaskSequence: 'SMS_TaskSequence_SubTasksequence',
} as const;

export function isType(step: Step, type: string): boolean {
  return step.type === type;
}

/**
 * Run Task Sequence: the child's steps run here, and this file cannot see them (the site checks follow
 * children). Ordering checks treat one as "may contain anything" rather than guess.
 */
export function isChildSequence(step: Step): boolean {
  return step.element === 'subtasksequence' || step.type === T.runTaskSequence;
}

/**
 * An MDT Lite Touch ts.xml (Deployment Workbench writes a name on <sequence>; its legacy command steps
 * have no type). Lite Touch runs the engine on its own: restarts go wherever LiteTouch has staged the
 * disk, not where smsboot.exe's target says, and it has no Setup Windows and ConfigMgr.
 */
export function isLiteTouch(model: TaskSequenceModel): boolean {
  return model.sequence?.name !== undefined || model.steps.some((s) => s.type === undefined);
}

/** Where to point at a step or group: its name as written, else the element name. */
export function labelSpan(item: Item): Span {
  const name = item.attrs.name;
  return name && name.span.end > name.span.start ? name.span : item.nameSpan;
}

/** `"Name" (step 12)`, as smsts.log and the console number steps. */
export function label(item: Item): string {
  const name = item.name.trim() === '' ? '(no name)' : item.name;
  return item.kind === 'step' ? `"${name}" (step ${item.number})` : `group "${name}"`;
}

/** `Apply Operating System Image "Apply Windows 11" (step 4)`; the class name is left out when the step is named after it. */
export function title(step: Step, catalog: Catalog): string {
  const display = step.type ? catalog.get(step.type)?.displayName : undefined;
  return display && display.toLowerCase() !== step.name.trim().toLowerCase() ? `${display} ${label(step)}` : label(step);
}

/** The text under a span, for a fix's `expect` (the fix checks it is still there). */
export function textAt(ctx: SequenceDocument, span: Span): string {
  return ctx.text.slice(span.start, span.end);
}

/** A related place pointing at a step or group by its name. */
export function relatedAt(item: Item, message: string): RelatedPlace {
  return { message, span: labelSpan(item) };
}

export function value(v: Variable | undefined): string {
  return v ? v.value.trim() : '';
}

export function isTrue(v: Variable | undefined): boolean {
  return value(v).toLowerCase() === 'true';
}

/** Request State Store mode from its property, else from its command line; undefined when a variable decides. */
export function requestMode(step: Step): 'capture' | 'restore' | undefined {
  const v = value(stepVariable(step, 'OSDStateRequestType', 'RequestType')).toLowerCase();
  if (v === 'capture' || v === 'restore') return v;
  const m = /osdsmpclient\.exe\s+\/(capture|restore)\b/i.exec(step.action?.text ?? '');
  return m ? (m[1].toLowerCase() as 'capture' | 'restore') : undefined;
}

/** Enabled steps in execution order, with each one's position, so "before" and "after" are cheap. */
export interface Order {
  steps: readonly Step[];
  index: ReadonlyMap<Step, number>;
}

const ORDERS = new WeakMap<TaskSequenceModel, Order>();

/** Computed once per model (several checks ask, some once per step: rebuilding it each time was quadratic). */
export function orderOf(model: TaskSequenceModel): Order {
  let order = ORDERS.get(model);
  if (!order) {
    const steps = executionOrder(model);
    ORDERS.set(model, (order = { steps, index: new Map(steps.map((s, i) => [s, i])) }));
  }
  return order;
}

// ---- "the last X before" / "the first X after" in constant time --------------------------------
// Checks ask these once per step of some kind; a scan (or a copy of before()/after()) per step made
// a sequence of many such steps cost n² (issue 21). Each question is answered from two arrays
// computed once per order and question: the last match before each position, the first after it.

/** A question about steps: a name (the cache key) and the test. */
export interface StepQuery {
  key: string;
  test: (s: Step) => boolean;
}

interface Tables {
  prev: Int32Array;
  next: Int32Array;
}

const TABLES = new WeakMap<Order, Map<string, Tables>>();

function tables(order: Order, q: StepQuery): Tables {
  let byKey = TABLES.get(order);
  if (!byKey) TABLES.set(order, (byKey = new Map()));
  let t = byKey.get(q.key);
  if (!t) {
    const n = order.steps.length;
    // prev[i]: last match at an index < i; next[i + 1]: first match at an index > i (next[0]: the first match).
    const prev = new Int32Array(n + 1);
    const next = new Int32Array(n + 1);
    let last = -1;
    for (let i = 0; i < n; i++) {
      prev[i] = last;
      if (q.test(order.steps[i])) last = i;
    }
    prev[n] = last;
    let first = -1;
    for (let i = n - 1; i >= -1; i--) {
      next[i + 1] = first;
      if (i >= 0 && q.test(order.steps[i])) first = i;
    }
    byKey.set(q.key, (t = { prev, next }));
  }
  return t;
}

/**
 * The steps before `step` in execution order, nearest first, read in place (no copy): a caller that
 * stops at the first step it looks for costs what it reads. A question about every step must use
 * the lookup tables (lastBefore, firstAfter) or it turns quadratic.
 */
export function* stepsBackFrom(order: Order, step: Step): Generator<Step> {
  for (let i = (order.index.get(step) ?? 0) - 1; i >= 0; i--) yield order.steps[i];
}

/** The steps after `step` in execution order, nearest first, read in place; see `stepsBackFrom`. */
export function* stepsAfter(order: Order, step: Step): Generator<Step> {
  const i = order.index.get(step);
  if (i === undefined) return;
  for (let j = i + 1; j < order.steps.length; j++) yield order.steps[j];
}

/** Index of the last matching step before position `i` (-1: none). */
export function lastIndexBefore(order: Order, q: StepQuery, i: number): number {
  return tables(order, q).prev[Math.max(0, Math.min(i, order.steps.length))];
}

/** Index of the first matching step after position `i` (-1: none); `i` = -1 asks from the start. */
export function firstIndexAfter(order: Order, q: StepQuery, i: number): number {
  return tables(order, q).next[Math.max(-1, Math.min(i, order.steps.length - 1)) + 1];
}

/** The last matching step before `step` in execution order. */
export function lastBefore(order: Order, step: Step, q: StepQuery): Step | undefined {
  const j = lastIndexBefore(order, q, order.index.get(step) ?? 0);
  return j < 0 ? undefined : order.steps[j];
}

/** The first matching step after `step` in execution order. */
export function firstAfter(order: Order, step: Step, q: StepQuery): Step | undefined {
  const i = order.index.get(step);
  if (i === undefined) return undefined;
  const j = firstIndexAfter(order, q, i);
  return j < 0 ? undefined : order.steps[j];
}

/** A query for one step class. */
export function ofType(type: string): StepQuery {
  return { key: `type:${type}`, test: (s) => s.type === type };
}

export const CHILD: StepQuery = { key: 'child', test: isChildSequence };

/** The steps that decide what the disk holds to boot (a table lookup per step: linear in all). */
const DISK_STATE: StepQuery = {
  key: 'disk-state',
  test: (s) => isType(s, T.setupWindows) || isChildSequence(s) || isType(s, T.partitionDisk) || isType(s, T.prepareOs) || isType(s, T.applyOs),
};

/** Why the disk holds no OS a restart could boot into and resume. */
export type NoOs = 'not set up' | 'formatted' | 'generalized';

/**
 * Whether a restart into the installed OS could resume at `step`: going back in execution order, a
 * Format and Partition Disk (wiped), a Prepare Windows for Capture (generalized) or an Apply
 * Operating System Image (not set up) before any Setup Windows and ConfigMgr or child sequence
 * says no, and why. Conditions are not weighed: a restart that fails on one path is no fix. The
 * step-context check (no restart offered) and the fix judge (no restart accepted) both ask here.
 */
export function noOsAt(order: Order, step: Step): NoOs | undefined {
  const s = lastBefore(order, step, DISK_STATE);
  if (!s || isType(s, T.setupWindows) || isChildSequence(s)) return undefined;
  return isType(s, T.applyOs) ? 'not set up' : isType(s, T.partitionDisk) ? 'formatted' : 'generalized';
}

/**
 * The item to insert next to so that a new step lands beside `step` but outside any group that
 * `reference` is not in (a driver group's condition must not guard Setup Windows and ConfigMgr).
 */
export function outermostBeside(step: Step, reference: Item): Item {
  const keep = new Set<Item>([reference, ...ancestors(reference)]);
  let item: Item = step;
  while (item.parent && !keep.has(item.parent)) item = item.parent;
  return item;
}

// ---- guards -------------------------------------------------------------------------------------

/** One condition node as a canonical string: case and parameter order do not matter to the engine. */
export function conditionKey(n: ConditionNode): string {
  if (n.kind === 'operator') return `${n.type.toLowerCase()}(${n.children.map(conditionKey).join(',')})`;
  const params = n.parameters.map((p) => `${p.name.toLowerCase()}=${p.value.trim().toLowerCase()}`).sort();
  return `${n.type}[${params.join(';')}]`;
}

/**
 * The conditions that must all hold for an item to run: the top-level operands of its own condition
 * and of every group around it (the engine and-s them), as canonical strings with the item that
 * carries each.
 */
export function guardOf(item: Item): Map<string, Item> {
  const out = new Map<string, Item>();
  for (const it of [item, ...ancestors(item)]) {
    for (const n of it.condition?.children ?? []) {
      const k = conditionKey(n);
      if (!out.has(k)) out.set(k, it);
    }
  }
  return out;
}

/** The guards of `b` that `a` does not have: when they are false, b is skipped although a ran. */
export function extraGuards(a: Item, b: Item): Item[] {
  const ga = guardOf(a);
  const out: Item[] = [];
  for (const [k, it] of guardOf(b)) if (!ga.has(k) && !out.includes(it)) out.push(it);
  return out;
}

/** The sentence-initial form of a label ("Step 4 …" from "step 4 …"). */
export function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
