// The execution-environment analysis the sequence checks share: for every step, the set of
// environments (Windows PE, the full OS) the engine can be in when it reaches the step, and the
// earlier steps that put it there. One walk over the tree in execution order; pure, never throws.
// Findings are reported only where every environment in the set is wrong, so each rule below errs
// towards "both" whenever the XML alone cannot tell.

import type { Catalog, RunContext } from '../catalog/types';
import { catalog, placementOf } from '../catalog';
import type { ConditionNode, Item, Step, TaskSequenceModel } from '../model/types';
import { isEnabled, stepVariable } from '../model/query';
import { isChildSequence, isLiteTouch, isTrue, T } from './stepInfo';

export type Env = 'WinPE' | 'FullOS';
export const ENVS: readonly Env[] = ['WinPE', 'FullOS'];
/** Where the sequence starts: from PXE or media in Windows PE, from Software Center in the full OS. */
export type StartIn = Env | 'both';
/** Why the sequence can be in an environment: the step whose effect put it there, or its start. */
export type Cause = Step | 'start';
/** Environments possible at a point, each with what led there; an empty map means "never reached". */
export type EnvSet = ReadonlyMap<Env, readonly Cause[]>;

export interface StepEnv {
  /** Environments the step runs in, after its own condition and its groups' conditions; empty: it never runs. */
  runs: EnvSet;
  /** Environments possible just after the step, whether it ran or was skipped. */
  after: EnvSet;
  /** Items whose condition on _SMSTSInWinPE ruled an environment out for this step (outermost first). */
  narrowedBy: Item[];
}

export interface Flow {
  start: EnvSet;
  liteTouch: boolean;
  steps: ReadonlyMap<Step, StepEnv>;
}

const EMPTY: EnvSet = new Map();

// ---- the walk -----------------------------------------------------------------------------------

/**
 * Environments at every step. Rules of the walk:
 * - disabled steps and groups never run and change nothing;
 * - a condition on _SMSTSInWinPE keeps, for the item, the environments where it can be true, and the
 *   skip path keeps those where it can be false; any other condition may go either way;
 * - Restart Computer goes to its target (unknown target, or any restart in Lite Touch: both),
 *   Setup Windows and ConfigMgr to the full OS, Prepare Windows for Capture to Windows PE (both when it
 *   shuts down instead), Run Task Sequence to both (the child may restart);
 * - a failing step leaves its group; a group with continueOnError carries on after itself, so every
 *   environment seen inside such a group is also possible after it; a step with continueOnError may
 *   fail without its effect.
 */
export function analyzeFlow(model: TaskSequenceModel, startIn: StartIn = 'both'): Flow {
  const liteTouch = isLiteTouch(model);
  const steps = new Map<Step, StepEnv>();
  // Lite Touch is started from the old OS (refresh) or from its own media alike, whatever a site says.
  const from = liteTouch ? 'both' : startIn;
  const start: EnvSet = new Map(ENVS.filter((e) => from === 'both' || from === e).map((e) => [e, ['start']]));

  const never = (items: readonly Item[], state: EnvSet): void => {
    for (const it of items) {
      if (it.kind === 'step') steps.set(it, { runs: EMPTY, after: state, narrowedBy: [] });
      else never(it.children, state);
    }
  };

  const walk = (items: readonly Item[], state: EnvSet, narrowed: Item[]): { out: EnvSet; failed: EnvSet } => {
    let cur = state;
    let failed: EnvSet = EMPTY;
    for (const item of items) {
      if (item.disabled) {
        if (item.kind === 'step') steps.set(item, { runs: EMPTY, after: cur, narrowedBy: [] });
        else never(item.children, cur);
        continue;
      }
      const { run, skip, narrows } = split(cur, item.condition?.children);
      const nb = narrows ? [...narrowed, item] : narrowed;
      if (item.kind === 'step') {
        const after = transition(item, run, liteTouch);
        steps.set(item, { runs: run, after, narrowedBy: nb });
        if (item.continueOnError) cur = union(union(after, run), skip);
        else {
          failed = union(failed, union(run, after));
          cur = union(after, skip);
        }
      } else {
        const inner = walk(item.children, run, nb);
        if (item.continueOnError) cur = union(union(inner.out, inner.failed), skip);
        else {
          failed = union(failed, inner.failed);
          cur = union(inner.out, skip);
        }
      }
    }
    return { out: cur, failed };
  };

  if (model.sequence) walk(model.sequence.children, start, []);
  return { start, liteTouch, steps };
}

/** Environments after a step that ran in `run`. */
function transition(step: Step, run: EnvSet, liteTouch: boolean): EnvSet {
  if (run.size === 0) return EMPTY;
  const to = effectOf(step, liteTouch);
  if (to === undefined) {
    // A Windows-PE-only step that does not continue on error can only have succeeded in Windows PE: in
    // the full OS it fails and the sequence stops (or leaves its group, which the walk follows). So after
    // it the sequence is known to be in Windows PE (spec: step-context, sharpened). Not in Lite Touch, whose
    // MDT scripts run these classes in the full OS too (Apply Network Settings in State Restore).
    if (!liteTouch && !step.continueOnError && run.size > 1 && run.has('WinPE') && winPEOnly(step)) return new Map([['WinPE', [step]]]);
    return run;
  }
  if (to === 'unknown') return new Map(ENVS.map((e) => [e, [step]]));
  return new Map([[to, [step]]]);
}

/** A step class that runs only in Windows PE (by the catalogue's placement; runIn as written). */
function winPEOnly(step: Step): boolean {
  const type = step.type ? catalog.get(step.type) : undefined;
  if (!type || type.kind !== 'action') return false;
  const runIn = runInAttribute(step);
  return placementOf(type) === 'WinPE' && (!runIn || (runIn.length === 1 && runIn[0] === 'WinPE'));
}

/** Where a step leaves the sequence: an environment, 'unknown' (either), or undefined (where it was). */
export function effectOf(step: Step, liteTouch: boolean): Env | 'unknown' | undefined {
  if (isChildSequence(step)) return 'unknown';
  switch (step.type) {
    case T.reboot:
      return liteTouch ? 'unknown' : restartTarget(step) ?? 'unknown';
    case T.setupWindows:
      return 'FullOS';
    case T.prepareOs:
      return isTrue(stepVariable(step, 'OSDShutdownPreparedOs', 'ShutdownPreparedOs')) ? 'unknown' : 'WinPE';
    default:
      return undefined;
  }
}

/**
 * Restart Computer's target: `/target:` in the command line (what the engine runs) and the Target
 * property (SMSRebootTarget); when they disagree or neither is a plain value, undefined.
 */
export function restartTarget(step: Step): Env | undefined {
  const read = (s: string | undefined): Env | undefined => {
    const v = (s ?? '').trim().toLowerCase();
    return v === 'winpe' ? 'WinPE' : v === 'hd' ? 'FullOS' : undefined;
  };
  const fromAction = read(/\/target:\s*"?([^\s"]+)/i.exec(step.action?.text ?? '')?.[1]);
  const fromProperty = read(stepVariable(step, 'SMSRebootTarget', 'Target')?.value);
  if (fromAction && fromProperty && fromAction !== fromProperty) return undefined;
  return fromAction ?? fromProperty;
}

// ---- conditions -----------------------------------------------------------------------------------

export type Truth = 'true' | 'false' | 'unknown';

/**
 * A condition's value in one environment, knowing only that _SMSTSInWinPE is "true" in Windows PE and
 * "false" in the full OS (compared without regard to case, as Microsoft's templates write TRUE and True).
 * Top-level operands are and-ed; `not` is "none of"; anything else is unknown.
 */
export function truthIn(nodes: readonly ConditionNode[] | undefined, env: Env): Truth {
  if (!nodes || nodes.length === 0) return 'true';
  return all(nodes.map((n) => nodeTruth(n, env)));
}

function nodeTruth(n: ConditionNode, env: Env): Truth {
  if (n.kind === 'operator') {
    if (n.children.length === 0) return 'unknown';
    const parts = n.children.map((c) => nodeTruth(c, env));
    switch (n.type.toLowerCase()) {
      case 'and':
        return all(parts);
      case 'or':
        return any(parts);
      case 'not':
        return negate(any(parts));
      default:
        return 'unknown';
    }
  }
  if (n.type !== 'SMS_TaskSequence_VariableConditionExpression') return 'unknown';
  const param = (name: string): string | undefined => n.parameters.find((p) => p.name.toLowerCase() === name)?.value.trim().toLowerCase();
  if (param('variable') !== '_smstsinwinpe') return 'unknown';
  const op = param('operator');
  if (op === 'exists') return 'true';
  if (op === 'notexists') return 'false';
  const value = param('value');
  if (value !== 'true' && value !== 'false') return 'unknown';
  const equal = (value === 'true') === (env === 'WinPE');
  if (op === 'equals') return equal ? 'true' : 'false';
  if (op === 'notequals') return equal ? 'false' : 'true';
  return 'unknown';
}

function all(parts: Truth[]): Truth {
  if (parts.includes('false')) return 'false';
  return parts.every((p) => p === 'true') ? 'true' : 'unknown';
}

function any(parts: Truth[]): Truth {
  if (parts.includes('true')) return 'true';
  return parts.every((p) => p === 'false') ? 'false' : 'unknown';
}

function negate(t: Truth): Truth {
  return t === 'true' ? 'false' : t === 'false' ? 'true' : 'unknown';
}

/** The environments where an item runs, those where it can be skipped, and whether its condition ruled one out. */
function split(state: EnvSet, cond: readonly ConditionNode[] | undefined): { run: EnvSet; skip: EnvSet; narrows: boolean } {
  if (!cond || cond.length === 0) return { run: state, skip: EMPTY, narrows: false };
  const run = new Map<Env, readonly Cause[]>();
  const skip = new Map<Env, readonly Cause[]>();
  for (const [env, causes] of state) {
    const t = truthIn(cond, env);
    if (t !== 'false') run.set(env, causes);
    if (t !== 'true') skip.set(env, causes);
  }
  return { run, skip, narrows: run.size < state.size };
}

// ---- sets -----------------------------------------------------------------------------------------

/**
 * How many step causes an environment keeps. Readers show the first few (a message names three,
 * its related places five, a hover two); keeping every cause made `union` copy a list that grew
 * with each restart, so a sequence of n restarts took n² time (200,000 restarts: 740 s).
 */
export const MAX_CAUSES = 8;

export function union(a: EnvSet, b: EnvSet): EnvSet {
  if (a.size === 0) return b;
  if (b.size === 0 || a === b) return a;
  const out = new Map<Env, readonly Cause[]>();
  for (const env of ENVS) {
    const x = a.get(env);
    const y = b.get(env);
    if (x && y) out.set(env, x === y ? x : merge(x, y));
    else if (x || y) out.set(env, (x ?? y)!);
  }
  return out;
}

/** x then the causes of y it lacks, at most MAX_CAUSES steps; 'start' is always kept (it changes the wording). */
function merge(x: readonly Cause[], y: readonly Cause[]): readonly Cause[] {
  let out: Cause[] | undefined;
  let steps = x.length - (x.includes('start') ? 1 : 0);
  for (const c of y) {
    if (x.includes(c) || out?.includes(c)) continue;
    if (c !== 'start') {
      if (steps >= MAX_CAUSES) continue;
      steps++;
    }
    (out ??= [...x]).push(c);
  }
  return out ?? x;
}

export function envsOf(set: EnvSet): Env[] {
  return ENVS.filter((e) => set.has(e));
}

// ---- where a step may run -----------------------------------------------------------------------

function fromRunContext(c: RunContext): Env[] {
  return c === 'WinPE' ? ['WinPE'] : c === 'FullOS' ? ['FullOS'] : ['WinPE', 'FullOS'];
}

/** The `runIn` attribute as the engine reads it (any case); undefined when absent or not a plain value. */
export function runInAttribute(step: Step): Env[] | undefined {
  const v = (step.runIn ?? '').trim().toLowerCase();
  if (v === 'winpe') return ['WinPE'];
  if (v === 'fullos') return ['FullOS'];
  if (v === 'winpeandfullos') return ['WinPE', 'FullOS'];
  return undefined;
}

export interface Allowed {
  /** Environments where the step can do its work: both what runIn lets the engine run and what the docs allow. */
  envs: Env[];
  /** The runIn attribute narrowed the documented placement (so the message can say why). */
  byRunIn: boolean;
}

/**
 * Where a step works. The engine refuses to run a step outside its `runIn` (the class's
 * SupportedEnvironment, "the environment required to run the action"), so the step fails there; the
 * documentation further limits some steps whose runIn says both (Setup Windows and ConfigMgr must start
 * in Windows PE). Untyped and unknown steps can run anywhere.
 */
export function allowedEnvs(step: Step, catalog: Catalog): Allowed {
  const type = step.type ? catalog.get(step.type) : undefined;
  const placement = type && type.kind === 'action' ? fromRunContext(placementOf(type)) : [...ENVS];
  const runIn = runInAttribute(step);
  if (!runIn) return { envs: placement, byRunIn: false };
  const envs = placement.filter((e) => runIn.includes(e));
  return { envs, byRunIn: envs.length < placement.length };
}

/** Reads `startIn` from the caller's extra context ('WinPE' | 'FullOS' | 'both'); anything else is 'both'. */
export function startInFrom(extra: Record<string, unknown>): StartIn {
  const v = extra.startIn;
  return v === 'WinPE' || v === 'FullOS' ? v : 'both';
}

// One walk per model and start state: several checks ask, and models are immutable.
const cache = new WeakMap<TaskSequenceModel, Map<StartIn, Flow>>();

export function flowOf(model: TaskSequenceModel, startIn: StartIn): Flow {
  let byStart = cache.get(model);
  if (!byStart) cache.set(model, (byStart = new Map()));
  let flow = byStart.get(startIn);
  if (!flow) byStart.set(startIn, (flow = analyzeFlow(model, startIn)));
  return flow;
}

/**
 * The first enabled step that makes the sequence need Windows PE (and so a boot image): a step
 * that runs only there, a restart into Windows PE, or Prepare Windows for Capture (which restarts
 * into the boot image).
 */
export function firstWinPEStep(model: TaskSequenceModel, catalog: Catalog): Step | undefined {
  for (const step of model.steps) {
    if (!isEnabled(step)) continue;
    const type = step.type ? catalog.get(step.type) : undefined;
    if (type && type.kind === 'action' && placementOf(type) === 'WinPE') return step;
    if (step.type === 'SMS_TaskSequence_PrepareOSAction') return step;
    if (step.type === 'SMS_TaskSequence_RebootAction' && restartTarget(step) === 'WinPE') return step;
  }
  return undefined;
}
