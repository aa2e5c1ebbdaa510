// The numbers the task sequence engine gives a sequence's steps and groups in smsts.log
// ("Start executing an instruction … Pointer: N"), and where each item runs (Windows PE, the full
// OS, either). The rule and its sources are in docs/smsts-log.md; in short: one instruction table,
// counted from 0 in document order, a group takes a number where it starts and one after its last
// child, and a child sequence (Run Task Sequence) is numbered inline, in the parent's table. Pure.

import type { Group, Item, Step, TaskSequenceModel } from '../model/types';
import { stepVariable } from '../model/query';
import { envsOf, flowOf, union, type EnvSet, type StartIn } from './flow';
import { isChildSequence } from './stepInfo';
import type { SequenceResolver } from './siteFacts';

/** A child sequence as the front end could read it (through the site description's taskSequences[].file). */
export interface ChildSequence {
  model: TaskSequenceModel;
  /** Where it was read from, for messages and links. */
  path?: string;
}

/** Finds the sequence a Run Task Sequence step runs; undefined when it cannot be read. Never throws. */
export type ChildResolver = (step: Step) => ChildSequence | undefined;

/** One row of the engine's instruction table as we rebuild it. */
export interface Instruction {
  pointer: number;
  item: Item;
  /** `start`: the item itself (a step, a group's start, a Run Task Sequence step); `end`: a group's or a child's end. */
  kind: 'start' | 'end';
  /** The sequence the item belongs to: the one numbered, or a child read through the resolver. */
  model: TaskSequenceModel;
  /** The child's path when `model` is a child sequence. */
  path?: string;
  /** Run Task Sequence steps between this item and the top (outermost first); empty in the sequence itself. */
  via: Step[];
}

export interface InstructionTable {
  /** In pointer order; `rows[i].pointer === i`. */
  rows: Instruction[];
  /** Start pointer of each item, for items of every sequence in the table. */
  start: Map<Item, number>;
  /** End pointer of each group and Run Task Sequence step that has one. */
  end: Map<Item, number>;
  /**
   * The first Run Task Sequence step whose child could not be read: the table stops there (its own
   * start is numbered), because the child's size decides every number after it.
   */
  unresolved?: { step: Step; model: TaskSequenceModel; reason: string };
}

/** Nested children deeper than this are not followed (a loop the site would refuse anyway). */
const MAX_CHILD_DEPTH = 32;

/**
 * The instruction table of a sequence. Without a resolver, or when a child cannot be read, the
 * table stops after that Run Task Sequence step's start: numbers after it are unknown, not guessed.
 */
export function instructionTable(model: TaskSequenceModel, resolve?: ChildResolver): InstructionTable {
  const rows: Instruction[] = [];
  const start = new Map<Item, number>();
  const end = new Map<Item, number>();
  const table: InstructionTable = { rows, start, end };
  const open = new Set<TaskSequenceModel>([model]);

  const push = (item: Item, kind: 'start' | 'end', m: TaskSequenceModel, path: string | undefined, via: Step[]): void => {
    const pointer = rows.length;
    rows.push({ pointer, item, kind, model: m, path, via });
    (kind === 'start' ? start : end).set(item, pointer);
  };

  // Returns false once the table had to stop (an unreadable child).
  const walk = (items: readonly Item[], m: TaskSequenceModel, path: string | undefined, via: Step[]): boolean => {
    for (const item of items) {
      push(item, 'start', m, path, via);
      if (item.kind === 'group') {
        if (!walk(item.children, m, path, via)) return false;
        push(item, 'end', m, path, via);
      } else if (isChildSequence(item)) {
        const why = childProblem(resolve, via.length);
        const child = why ? undefined : safeResolve(resolve!, item);
        if (!child?.model.sequence || open.has(child.model)) {
          table.unresolved = { step: item, model: m, reason: why ?? (child && open.has(child.model) ? 'it runs a sequence that is already running (a loop)' : 'its task sequence could not be read') };
          return false;
        }
        open.add(child.model);
        const ok = walk(child.model.sequence.children, child.model, child.path, [...via, item]);
        open.delete(child.model);
        if (!ok) return false;
        push(item, 'end', m, path, via);
      }
    }
    return true;
  };

  if (model.sequence) walk(model.sequence.children, model, undefined, []);
  return table;
}

function childProblem(resolve: ChildResolver | undefined, depth: number): string | undefined {
  if (!resolve) return 'no site description says where its task sequence is';
  if (depth >= MAX_CHILD_DEPTH) return `child sequences nest deeper than ${MAX_CHILD_DEPTH} levels`;
  return undefined;
}

function safeResolve(resolve: ChildResolver, step: Step): ChildSequence | undefined {
  try {
    return resolve(step);
  } catch {
    return undefined;
  }
}

/** The package ID a Run Task Sequence step names (TsPackageID), if written. */
export function childPackageId(step: Step): string | undefined {
  const v = stepVariable(step, 'OSDSubTasksequencePackageID', 'TsPackageID')?.value.trim();
  return v ? v : undefined;
}

// One table per model (and resolver): hints, the log reader and doc all ask; models are immutable.
const cache = new WeakMap<TaskSequenceModel, { resolve?: ChildResolver; table: InstructionTable }>();

function cachedTable(model: TaskSequenceModel, resolve?: ChildResolver): InstructionTable {
  const hit = cache.get(model);
  if (hit && hit.resolve === resolve) return hit.table;
  const table = instructionTable(model, resolve);
  cache.set(model, { resolve, table });
  return table;
}

/**
 * The number smsts.log gives each step and group of `model` (its own items, not a child's). Items
 * after a Run Task Sequence step whose child cannot be read have no number.
 */
export function instructionNumbers(model: TaskSequenceModel, resolve?: ChildResolver): Map<Step | Group, number> {
  const out = new Map<Step | Group, number>();
  // A set, not model.steps.includes per item: that was quadratic in the number of steps.
  const own = new Set<Item>([...model.steps, ...model.groups]);
  for (const [item, n] of cachedTable(model, resolve).start) {
    if (own.has(item)) out.set(item, n);
  }
  return out;
}

/** The number of one item, or undefined when it has none (see instructionNumbers). */
export function numberOf(model: TaskSequenceModel, item: Item, resolve?: ChildResolver): number | undefined {
  return cachedTable(model, resolve).start.get(item);
}

const adapted = new WeakMap<SequenceResolver, ChildResolver>();

/** Run Task Sequence step → the child it runs, from a resolver by package ID (one adapter per resolver, so tables stay cached). */
export function childResolverFrom(byId: SequenceResolver): ChildResolver {
  let r = adapted.get(byId);
  if (!r) {
    r = (step) => {
      const id = childPackageId(step);
      const child = id ? byId(id) : undefined;
      return child ? { model: child.model, path: child.path } : undefined;
    };
    adapted.set(byId, r);
  }
  return r;
}

// ---- number and run context per item ----------------------------------------------------------

/** Where an item runs: only Windows PE, only the full OS, either, or never (disabled, or ruled out). */
export type RunContextLabel = 'WinPE' | 'FullOS' | 'either' | 'never';

export interface ItemFacts {
  /** The log's instruction number; undefined after an unreadable child sequence. */
  number?: number;
  /** A group's (or Run Task Sequence step's) end instruction. */
  end?: number;
  context: RunContextLabel;
}

/**
 * Number and run context of every step and group of `model`, for inlay hints and code lens. The
 * context is the context flow's (rules/flow.ts): the environments a step can run in after its
 * conditions; a group's is the union of its steps'.
 */
export function itemFacts(model: TaskSequenceModel, options: { startIn?: StartIn; resolve?: ChildResolver } = {}): Map<Item, ItemFacts> {
  const table = cachedTable(model, options.resolve);
  const flow = flowOf(model, options.startIn ?? 'both');
  const out = new Map<Item, ItemFacts>();
  const runsOf = (item: Item): EnvSet => {
    if (item.kind === 'step') return flow.steps.get(item)?.runs ?? new Map();
    let acc: EnvSet = new Map();
    for (const c of item.children) acc = union(acc, runsOf(c));
    return acc;
  };
  const visit = (items: readonly Item[]): void => {
    for (const item of items) {
      out.set(item, { number: table.start.get(item), end: table.end.get(item), context: labelOf(runsOf(item)) });
      if (item.kind === 'group') visit(item.children);
    }
  };
  if (model.sequence) visit(model.sequence.children);
  return out;
}

export function labelOf(runs: EnvSet): RunContextLabel {
  const envs = envsOf(runs);
  if (envs.length === 0) return 'never';
  if (envs.length === 2) return 'either';
  return envs[0];
}

/** How a context is said to people: "Windows PE", "full OS", "either", "never runs". */
export function contextWords(c: RunContextLabel): string {
  return c === 'WinPE' ? 'Windows PE' : c === 'FullOS' ? 'full OS' : c === 'either' ? 'either' : 'never runs';
}
