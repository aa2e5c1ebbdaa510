// Whether a quick fix leaves a sequence that still runs: the sequence before and after the fix are
// compared with the semantic layer, not as text. Every step that ran still runs, in the same
// environment (or, for a step that was already misplaced, in no new wrong one) and on the same
// guards; an inserted step can run where it is put; no restart boots an OS whose setup has not run;
// every variable a step read after it was set is still set before it; no check reports a new
// finding. The fix engine offers only fixes that pass (features/fixes.ts). Pure.

import type { Catalog } from '../catalog/types';
import type { Finding } from '../model/findings';
import type { Item, Step, TaskSequenceModel } from '../model/types';
import { ancestors } from '../model/query';
import { allowedEnvs, envsOf, flowOf, restartTarget, type Env, type StartIn } from '../semantics/flow';
import { guardOf, isChildSequence, isType, label, noOsAt, orderOf, T, type NoOs } from '../semantics/stepInfo';
import type { FixEdit } from '../edits/types';
import { variableFlow } from '../semantics/variables';

/** A sequence as the judge sees it: its text, model and findings. */
export interface SequenceState {
  text: string;
  model: TaskSequenceModel;
  findings: readonly Finding[];
}

/**
 * Variable flow, as the harness needs it: for each step, the variables it reads that are set before
 * it runs (the global list, an earlier step). `semanticVariableFlow` answers from the semantic
 * layer's variable flow (semantics/variables.ts); a test may plug in another.
 */
export interface VariableFlow {
  setReads(model: TaskSequenceModel, catalog: Catalog): ReadonlyMap<Step, ReadonlySet<string>>;
}

export interface JudgeOptions {
  catalog: Catalog;
  startIn: StartIn;
  variables?: VariableFlow;
}

// ---- matching the steps of the two sequences ---------------------------------------------------

function shape(text: string, item: Item): string {
  return text.slice(item.span.start, item.span.end).replace(/\s+/g, ' ');
}

/** Offset before the edits → after them (an insertion at the offset moves it on). */
function forward(p: number, edits: readonly FixEdit[]): number | undefined {
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.span.start - b.span.start)) {
    if (e.span.start > p) break;
    if (e.span.end <= p) {
      delta += e.newText.length - (e.span.end - e.span.start);
      continue;
    }
    return undefined;
  }
  return p + delta;
}

/** The steps of a sequence by their text (whitespace runs as one space). */
function shapesOf(st: SequenceState): Map<string, Step[]> {
  const m = new Map<string, Step[]>();
  for (const s of st.model.steps) {
    const k = shape(st.text, s);
    const l = m.get(k);
    if (l) l.push(s);
    else m.set(k, [s]);
  }
  return m;
}

/**
 * Each step of `before` to the same step in `after`: by its text when that text is written once in
 * each (a moved step keeps it, up to indentation), else by where the edits put its start.
 * `beforeShapes` is shapesOf(before), when the caller keeps it.
 */
export function matchSteps(before: SequenceState, after: SequenceState, edits: readonly FixEdit[], beforeShapes?: ReadonlyMap<string, Step[]>): Map<Step, Step> {
  const out = new Map<Step, Step>();
  const a = beforeShapes ?? shapesOf(before);
  const b = shapesOf(after);
  const taken = new Set<Step>();
  for (const [k, l] of a) {
    const m = b.get(k);
    if (l.length === 1 && m?.length === 1) {
      out.set(l[0], m[0]);
      taken.add(m[0]);
    }
  }
  const byStart = new Map(after.model.steps.map((s) => [s.span.start, s]));
  for (const s of before.model.steps) {
    if (out.has(s)) continue;
    const p = forward(s.span.start, edits);
    const t = p === undefined ? undefined : byStart.get(p);
    if (t && !taken.has(t) && t.name === s.name) {
      out.set(s, t);
      taken.add(t);
    }
  }
  return out;
}

// ---- the rules -----------------------------------------------------------------------------------

/**
 * The environments `s` can run in, narrowed by the step before it: when that step does not
 * continue on error (nor does a group it is in that `s` is not), runs whenever `s` does (its guards
 * are among those of `s`) and works only in some environments, the sequence reached `s` only from
 * there, since the step fails anywhere else. flow.ts keeps "both" after Apply Operating System
 * Image; without this a step moved right after it would look newly misplaced.
 */
function narrowed(model: TaskSequenceModel, s: Step, envs: Env[], catalog: Catalog): Env[] {
  const order = orderOf(model);
  const i = order.index.get(s);
  if (i === undefined || i === 0) return envs;
  const p = order.steps[i - 1];
  if (p.continueOnError || isChildSequence(p)) return envs;
  const mine = new Set(ancestors(s));
  if (ancestors(p).some((g) => !mine.has(g) && g.continueOnError)) return envs;
  const gs = guardOf(s);
  if ([...guardOf(p).keys()].some((k) => !gs.has(k))) return envs;
  // A step that takes the sequence elsewhere (a restart, Setup Windows, Prepare Windows) says nothing about after it.
  if (p.type === T.reboot || isType(p, T.setupWindows) || isType(p, T.prepareOs)) return envs;
  const allowed = allowedEnvs(p, catalog).envs;
  const kept = envs.filter((e) => allowed.includes(e));
  return allowed.length === 0 || kept.length === 0 ? envs : kept;
}

function bad(envs: readonly Env[], allowed: readonly Env[]): Env[] {
  return allowed.length === 0 ? [] : envs.filter((e) => !allowed.includes(e));
}

const sameSet = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((e) => y.includes(e));

/** Why a restart into the installed OS cannot resume there (stepInfo.ts noOsAt), in words. */
const NO_OS: Record<NoOs, string> = {
  'not set up': 'an OS whose setup has not run (between Apply Operating System Image and Setup Windows and ConfigMgr)',
  formatted: 'a disk just formatted, before an OS is applied and set up',
  generalized: 'the OS Prepare Windows for Capture generalized',
};

/**
 * Restarts to the installed OS that cannot lead anywhere the sequence resumes, with why (noOsAt:
 * the same fact the step-context check reads before it offers a restart).
 */
export function restartsToNoOs(model: TaskSequenceModel): { step: Step; why: string }[] {
  const out: { step: Step; why: string }[] = [];
  const order = orderOf(model);
  for (const s of order.steps) {
    if (s.type !== T.reboot || restartTarget(s) !== 'FullOS') continue;
    const no = noOsAt(order, s);
    if (no) out.push({ step: s, why: NO_OS[no] });
  }
  return out;
}

/** A finding as it can be compared across the fix: its rule and message, step numbers left out. */
function findingKey(f: Finding): string {
  return `${f.rule}\0${f.message.replace(/\bsteps? \d+/gi, 'step #')}`;
}

/**
 * What the judge knows of the sequence before the fix: the same for every fix of one document, so
 * it is worked out once per (model, findings, options) and kept with the model (fixes.ts judges
 * every candidate of every finding against the same `before`).
 */
interface BeforeFacts {
  text: string;
  findings: readonly Finding[];
  opts: JudgeOptions;
  shapes: Map<string, Step[]>;
  /** Each step's environments (narrowed), for the steps that run. */
  envs: Map<Step, Env[]>;
  setReads: ReadonlyMap<Step, ReadonlySet<string>>;
  unset: Set<string>;
  findingCounts: Map<string, number>;
}

const beforeCache = new WeakMap<TaskSequenceModel, BeforeFacts>();

function beforeFacts(before: SequenceState, opts: JudgeOptions): BeforeFacts {
  const c = beforeCache.get(before.model);
  if (c && c.text === before.text && c.findings === before.findings && c.opts.catalog === opts.catalog && c.opts.startIn === opts.startIn && c.opts.variables === opts.variables) return c;
  const fb = flowOf(before.model, opts.startIn);
  const envs = new Map<Step, Env[]>();
  for (const s of before.model.steps) envs.set(s, narrowed(before.model, s, envsOf(fb.steps.get(s)?.runs ?? new Map()), opts.catalog));
  const findingCounts = new Map<string, number>();
  for (const f of before.findings) findingCounts.set(findingKey(f), (findingCounts.get(findingKey(f)) ?? 0) + 1);
  const facts: BeforeFacts = {
    text: before.text,
    findings: before.findings,
    opts,
    shapes: shapesOf(before),
    envs,
    setReads: (opts.variables ?? semanticVariableFlow).setReads(before.model, opts.catalog),
    unset: new Set(restartsToNoOs(before.model).map((r) => shape(before.text, r.step))),
    findingCounts,
  };
  beforeCache.set(before.model, facts);
  return facts;
}

/**
 * Why the fix that turned `before` into `after` (by `edits`) must not be offered; [] when it is
 * safe. `fixed` is the finding it fixes (it may go; nothing else may appear).
 */
export function judgeFix(before: SequenceState, after: SequenceState, edits: readonly FixEdit[], opts: JudgeOptions): string[] {
  const problems: string[] = [];
  const bf = beforeFacts(before, opts);
  const matched = matchSteps(before, after, edits, bf.shapes);
  const fa = flowOf(after.model, opts.startIn);
  const envsAfter = (s: Step): Env[] => narrowed(after.model, s, envsOf(fa.steps.get(s)?.runs ?? new Map()), opts.catalog);
  const envsBefore = (s: Step): Env[] => bf.envs.get(s) ?? [];

  // Every step that ran still runs, where it can, on the same guards.
  for (const s of before.model.steps) {
    const was = envsBefore(s);
    if (was.length === 0) continue;
    const t = matched.get(s);
    if (!t) {
      problems.push(`${label(s)} is gone`);
      continue;
    }
    const now = envsAfter(t);
    if (now.length === 0) {
      problems.push(`${label(s)} no longer runs`);
      continue;
    }
    const allowed = allowedEnvs(t, opts.catalog).envs;
    const badBefore = bad(was, allowed);
    const badAfter = bad(now, allowed);
    if (badBefore.length === 0 ? !sameSet(was, now) : badAfter.some((e) => !badBefore.includes(e)) || was.some((e) => !badBefore.includes(e) && !now.includes(e))) {
      problems.push(`${label(s)} runs in ${now.join(' or ')} instead of ${was.join(' or ')}`);
    }
    if (!sameSet([...guardOf(s).keys()], [...guardOf(t).keys()])) problems.push(`${label(s)} runs under other conditions`);
  }

  // A new step adds no wrong environment: where it cannot run, the existing steps beside it could
  // not run either before the fix (the uncertainty was already there, e.g. a sequence that may start
  // in either environment).
  const back = new Map([...matched].map(([b, a]) => [a, b]));
  const news = after.model.steps.filter((t) => !back.has(t));
  const order = news.length ? orderOf(after.model).steps : [];
  for (const t of news) {
    const wrong = bad(envsAfter(t), allowedEnvs(t, opts.catalog).envs);
    if (wrong.length === 0) continue;
    const i = order.indexOf(t);
    const next = order.slice(i + 1).find((x) => back.has(x));
    const prev = order.slice(0, Math.max(0, i)).reverse().find((x) => back.has(x));
    const tolerated = new Set<Env>();
    for (const x of [next, prev]) {
      const b = x && back.get(x);
      if (b) for (const e of bad(envsBefore(b), allowedEnvs(b, opts.catalog).envs)) tolerated.add(e);
    }
    if (wrong.some((e) => !tolerated.has(e))) problems.push(`the new ${label(t)} can be reached in ${wrong.join(' or ')}, where it cannot run`);
  }

  for (const r of restartsToNoOs(after.model)) {
    if (!bf.unset.has(shape(after.text, r.step))) problems.push(`${label(r.step)} restarts into ${r.why}: the sequence cannot resume there`);
  }

  // Every variable a step read after it was set is still set before it.
  const setA = (opts.variables ?? semanticVariableFlow).setReads(after.model, opts.catalog);
  for (const [s, names] of bf.setReads) {
    const t = matched.get(s);
    if (!t) continue;
    const still = setA.get(t) ?? new Set<string>();
    for (const n of names) if (!still.has(n)) problems.push(`${label(t)} reads ${n}, which is no longer set before it`);
  }

  // No check reports a new finding.
  const seen = new Map(bf.findingCounts);
  for (const f of after.findings) {
    const k = findingKey(f);
    const n = seen.get(k) ?? 0;
    if (n > 0) seen.set(k, n - 1);
    else problems.push(`new finding ${f.rule}: ${f.message.slice(0, 120)}`);
  }
  return problems;
}

// ---- variable flow from semantics/variables.ts --------------------------------------------------

/**
 * The real variable flow (semantics/variables.ts, one linear pass per model): a name a step reads
 * counts as set when it can have a value on some path reaching the step (global list, an earlier
 * step, MDT Gather's variables after a Gather). Names the engine sets, or that a script may set
 * ("unknown"), are left out on both sides alike.
 */
export const semanticVariableFlow: VariableFlow = {
  setReads(model, catalog) {
    const out = new Map<Step, Set<string>>();
    const flow = variableFlow(model, catalog);
    for (const r of flow.reads) {
      if (r.item.kind !== 'step' || flow.at(r.name, r.item) !== 'set') continue;
      let set = out.get(r.item);
      if (!set) out.set(r.item, (set = new Set()));
      set.add(r.name.trim().toLowerCase());
    }
    return out;
  },
};
