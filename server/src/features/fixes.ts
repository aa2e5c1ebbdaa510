// The fix engine: a finding's rule, span and data (never its message) → code fixes, and fix-all.
// The check module of the finding's rule names a builder for each kind of data it attaches
// (checks/<id>.ts, builders in edits/kinds.ts); this module checks the finding is not stale (the
// text under its span is still data.expect), dispatches, and adds the suppressions the check's
// flags allow. Pure: no LSP, no file system (GUIDE invariants 1, 4, 7).

import type { Finding, FixData } from '../model/findings';
import { checkById } from '../checks';
import type { Check } from '../checks/types';
import { disableInConfigFix, suppressionFix } from '../edits/suppress';
import { applyEdits, editsClash, validSpan } from '../edits/text';
import type { CodeFix, FixBuilder, FixContext, FixEdit, FixInput, FixSafety, Recheck, RecheckWork } from '../edits/types';
import { judgeFix } from './fixSafety';
import { reparse } from '../model/incremental';

export type { CodeFix, FixContext, FixEdit, FixInput, FixSafety, Recheck, RecheckWork } from '../edits/types';
export { applyEdits } from '../edits/text';

function isFixData(v: unknown): v is FixData {
  return !!v && typeof v === 'object' && typeof (v as FixData).kind === 'string';
}

/** The check's builder for this kind of data; none when the data is not of a kind the check attaches. */
function builderFor(check: Check | undefined, data: FixData): FixBuilder<FixData> | undefined {
  const builders = check?.fixes as Readonly<Record<string, FixBuilder<FixData>>> | undefined;
  return builders && Object.prototype.hasOwnProperty.call(builders, data.kind) ? builders[data.kind] : undefined;
}

/** False when the document changed under the finding since it was made: it then offers nothing. */
function isCurrent(input: FixInput, ctx: FixContext): boolean {
  if (!validSpan(ctx.text, input.span)) return false;
  const data = input.data;
  if (!isFixData(data)) return true;
  const builder = builderFor(checkById(input.rule), data);
  if (builder?.isCurrent) return builder.isCurrent(input, data, ctx);
  if (typeof data.expect !== 'string') return true;
  return ctx.text.slice(input.span.start, input.span.end) === data.expect;
}

function fixesOfData(input: FixInput, check: Check | undefined, data: FixData, ctx: FixContext): CodeFix[] {
  const builder = builderFor(check, data);
  return builder ? builder.build(input, data, ctx).map((f) => ({ ...f, fixKind: data.kind })) : [];
}

/**
 * The fixes the finding's data describes (its `kind`, then each of `data.also`), without the
 * suppressions; [] when the finding is stale. Only the first one may be preferred.
 */
export function dataFixesFor(input: FixInput, ctx: FixContext): CodeFix[] {
  if (!isCurrent(input, ctx) || !isFixData(input.data)) return [];
  const check = checkById(input.rule);
  const out = fixesOfData(input, check, input.data, ctx);
  const also = Array.isArray(input.data.also) ? (input.data.also as unknown[]).filter(isFixData) : [];
  for (const a of also) out.push(...fixesOfData(input, check, a, ctx).map(({ isPreferred: _p, ...f }) => f));
  if (!ctx.safety) return out;
  const safe = out.filter((f) => fixProblems(f, ctx).length === 0);
  // The first safe fix is the preferred one when the preferred one was dropped.
  if (safe.length && safe.length < out.length && !safe.some((f) => f.isPreferred) && out[0].isPreferred) safe[0] = { ...safe[0], isPreferred: true };
  return safe;
}

const judged = new WeakMap<FixSafety, { results: Map<string, string[]>; work: RecheckWork }>();

/**
 * How much text one safety context may re-check: four times its document, and at least 8 M
 * characters (every fix of a sequence of a few hundred steps), or the context's own
 * `maxRecheckChars` when smaller (the CLI's fix titles). Each judged fix re-checks the whole fixed
 * text, so judging every fix of a large file with many findings grew with the square of its size
 * (issue 20: `cmts check --format json` of 1 MB of real steps took 50 s). Past the budget a fix is
 * not judged and so not offered: never announced without being judged safe.
 */
export function recheckBudget(textLength: number, maxRecheckChars?: number): number {
  return Math.min(maxRecheckChars ?? Infinity, Math.max(8 * 1024 * 1024, 4 * textLength));
}

/**
 * The work a safety context (or one fix-all) may do: recheckBudget's characters of whole re-checks,
 * counted as characters parsed plus characters analysed. A whole re-check costs twice its text; a
 * fix inside one step or group is re-checked on the document's parse read again only there
 * (model/incremental.ts) and costs its text once, so twice as many of those are judged for the same
 * work (issue 16: a file of 69 KB with 131 content fixes).
 */
export function recheckWork(textLength: number, maxRecheckChars?: number): RecheckWork {
  return { used: 0, limit: 2 * recheckBudget(textLength, maxRecheckChars) };
}

/** Why a fix past the safety context's re-check budget is not offered. */
export const NOT_JUDGED = 'not judged: this file has more fixes than cmts re-checks in one pass';

/**
 * Why a fix must not be offered, judged by the sequence it leaves (fixSafety.ts): [] when it is
 * safe, or when there is nothing to judge (no safety context, or no edit of the document). One
 * re-check per distinct fixed text, cached with the safety context, within its budget (recheckBudget).
 */
export function fixProblems(fix: CodeFix, ctx: FixContext): string[] {
  const safety = ctx.safety;
  const docEdits = fix.edits.filter((e) => e.file === undefined);
  if (!safety || docEdits.length === 0) return [];
  let cache = judged.get(safety);
  if (!cache) judged.set(safety, (cache = { results: new Map(), work: safety.work ?? recheckWork(ctx.text.length, safety.maxRecheckChars) }));
  const text = applyEdits(ctx.text, docEdits);
  let problems = cache.results.get(text);
  if (!problems) {
    // A fix inside one step or group is re-checked from the document's parse read again only there
    // (model/incremental.ts), when the front end gave the document's parse problems: the re-check is
    // then little more than the analysis.
    // The budget is asked first: a fix past it is not read again at all (the re-parse moves the
    // whole model after the edit, which on 8 MB cost more than the check when every fix was past it).
    if (cache.work.used + text.length > cache.work.limit) return [NOT_JUDGED];
    const parsed = safety.problems ? reparse(ctx.text, { model: ctx.model, problems: [...safety.problems] }, text) : undefined;
    const cost = parsed ? text.length : 2 * text.length;
    if (cache.work.used + cost > cache.work.limit) return [NOT_JUDGED];
    cache.work.used += cost;
    const after = parsed ? safety.recheck(text, parsed) : safety.recheck(text);
    problems = judgeFix({ text: ctx.text, model: ctx.model, findings: safety.findings }, { text, ...after }, docEdits, { catalog: ctx.catalog, startIn: safety.startIn ?? 'both' });
    cache.results.set(text, problems);
  }
  return problems;
}

/** The titles of the fixes a finding offers (the CLI's json `fixes`): what dataFixesFor builds, so nothing is announced that is not offered. */
export function fixTitles(input: FixInput, ctx: FixContext): string[] {
  return dataFixesFor(input, ctx).map((f) => f.title);
}

/** Every action for one finding: its fixes, then "suppress here" and "disable in .cmts.json" where its check allows them. */
export function fixesFor(input: FixInput, ctx: FixContext): CodeFix[] {
  if (!isCurrent(input, ctx)) return [];
  const out = dataFixesFor(input, ctx);
  const check = checkById(input.rule);
  const comment = check?.suppressible ? suppressionFix(ctx.text, ctx.model, input) : undefined;
  if (comment) out.push({ ...comment, fixKind: 'suppress-comment' });
  const config = check?.configurable ? disableInConfigFix(input, ctx) : undefined;
  if (config) out.push({ ...config, fixKind: 'disable-in-config' });
  return out;
}

/** `<!-- cmts-disable-next-line <rule> -->` for a finding whose check may be suppressed. */
export function suppressionIfAllowed(input: FixInput, ctx: Pick<FixContext, 'text' | 'model'>): CodeFix | undefined {
  return checkById(input.rule)?.suppressible ? suppressionFix(ctx.text, ctx.model, input) : undefined;
}

// ---- fix-all ------------------------------------------------------------------------------------

export interface FixAllResult {
  /** Edits of the document (original offsets), sorted, none overlapping. */
  edits: FixEdit[];
  /** What was applied, in order. */
  applied: { rule: string; title: string }[];
  /**
   * Set when fix-all reached its re-check bound before it had judged every fix: why, for the front
   * end to say. `edits` then holds the whole fixes applied before it stopped, nothing of the rest.
   */
  stopped?: string;
}

export interface FixAllOptions {
  /** Only findings of these rules are fixed. */
  only?: ReadonlySet<string>;
}

/** Kinds whose edit changes what later steps see; with a recheck, one per check per round. */
const SEQUENTIAL: ReadonlySet<string> = new Set(['insert-step', 'insert-steps', 'move-step']);
/** Each round re-analyses the document; a handful is plenty for real sequences (a few restarts). */
const MAX_ROUNDS = 10;

const editsElsewhere = (f: CodeFix): boolean => f.edits.some((e) => e.file !== undefined || e.create);

/**
 * Applies every fix that is the only one its finding offers and edits only this document, as one
 * edit list without overlaps. With `recheck`, it works in rounds (fixes that insert steps one per
 * check at a time, then analyse again), so a fix made unnecessary by another is not applied.
 *
 * With a safety context, all the re-checking fix-all does (judging candidates, and each round's
 * re-analysis) counts against one bound, `recheckBudget` of the document (or the context's own
 * `work`), not one per round: on a large file with thousands of fixes it stops there and says so
 * in `stopped`, with the fixes it had applied (each whole). A finding whose candidates could not
 * all be judged is not fixed: one judged candidate of two is not "the only fix".
 */
export function fixAll(findings: readonly Finding[], ctx: FixContext, recheck?: Recheck, options: FixAllOptions = {}): FixAllResult {
  const applied: { rule: string; title: string }[] = [];
  /** Sorted by start; pairwise clear of each other (editsClash), so neighbours are enough to test a new edit. */
  const taken: FixEdit[] = [];
  const pick = (fs: readonly Finding[]): readonly Finding[] => (options.only ? fs.filter((f) => options.only!.has(f.rule)) : fs);
  const work: RecheckWork | undefined = ctx.safety ? ctx.safety.work ?? recheckWork(ctx.text.length, ctx.safety.maxRecheckChars) : undefined;
  let stopped: string | undefined;
  let current = { text: ctx.text, model: ctx.model, findings: pick(findings) };
  let safetyFindings = ctx.safety?.findings;
  let safetyProblems = ctx.safety?.problems;
  for (let round = 0; round < (recheck ? MAX_ROUNDS : 1); round++) {
    // The safety context judges fixes against this round's text and findings, within the one bound.
    const { safety: _s, ...bare } = { ...ctx, text: current.text, model: current.model };
    let roundCtx: FixContext = bare;
    if (ctx.safety && safetyFindings) {
      const { problems: _p, ...safety } = ctx.safety;
      roundCtx = { ...bare, safety: { ...safety, findings: safetyFindings, ...(safetyProblems ? { problems: safetyProblems } : {}), work } };
    }
    // This round's fixes are offsets in the text the earlier rounds made.
    const earlier = [...taken];
    const seen = new Set<string>();
    let progress = false;
    for (const f of [...current.findings].sort((a, b) => a.span.start - b.span.start)) {
      const sequential = !!recheck && !!f.data && SEQUENTIAL.has(f.data.kind);
      if (sequential && seen.has(f.rule)) continue;
      // The candidates first, without the judge; judged one by one only while the finding can still have exactly one.
      const candidates = dataFixesFor(f, bare);
      if (candidates.length === 0 || candidates.every(editsElsewhere)) continue;
      const offered: CodeFix[] = [];
      for (const c of candidates) {
        const problems = roundCtx.safety ? fixProblems(c, roundCtx) : [];
        if (problems.length === 1 && problems[0] === NOT_JUDGED) {
          stopped = FIX_ALL_STOPPED;
          break;
        }
        if (problems.length === 0 && offered.push(c) > 1) break;
      }
      if (stopped) break;
      if (offered.length !== 1 || editsElsewhere(offered[0])) continue;
      const mapped = mapToOriginal(offered[0].edits, earlier);
      if (!mapped || mapped.some((e) => clashesWithTaken(e, taken))) continue;
      if (sequential) seen.add(f.rule);
      for (const e of mapped) taken.splice(insertionIndex(taken, e), 0, e);
      applied.push({ rule: f.rule, title: offered[0].title });
      progress = true;
    }
    if (stopped || !progress || !recheck) break;
    const text = applyEdits(ctx.text, taken);
    // The next round's analysis (and the judge's findings, when its re-check is another function) count too.
    const same = !ctx.safety || ctx.safety.recheck === recheck;
    if (work) {
      // A whole re-check (parse and analysis), or two when the judge's is another function.
      const cost = 2 * text.length * (same ? 1 : 2);
      if (work.used + cost > work.limit) {
        stopped = FIX_ALL_STOPPED;
        break;
      }
      work.used += cost;
    }
    const next = recheck(text);
    current = { text, model: next.model, findings: pick(next.findings) };
    if (ctx.safety) {
      const full = same ? next : ctx.safety.recheck(text);
      safetyFindings = full.findings;
      safetyProblems = full.problems;
    }
  }
  return { edits: taken, applied, ...(stopped ? { stopped } : {}) };
}

/** Why fix-all stopped early (FixAllResult.stopped). */
export const FIX_ALL_STOPPED = 'stopped at the re-check bound for this file: the fixes so far are applied whole, the others were not judged; run fix-all again for the rest';

/** Index of the first taken edit that starts after `e` (where `e` goes to keep the list sorted). */
function insertionIndex(taken: readonly FixEdit[], e: FixEdit): number {
  let lo = 0;
  let hi = taken.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (taken[mid].span.start < e.span.start || (taken[mid].span.start === e.span.start && taken[mid].span.end <= e.span.end)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clashesWithTaken(e: FixEdit, taken: readonly FixEdit[]): boolean {
  const i = insertionIndex(taken, e);
  return (i > 0 && editsClash(taken[i - 1], e)) || (i < taken.length && editsClash(taken[i], e));
}

/**
 * Offsets in the text after `taken` was applied → offsets in the original. An edit reaching into
 * text an earlier fix wrote cannot be expressed there and is left for the next fix-all.
 */
function mapToOriginal(edits: readonly FixEdit[], taken: readonly FixEdit[]): FixEdit[] | undefined {
  const out: FixEdit[] = [];
  for (const e of edits) {
    const start = toOriginal(e.span.start, taken);
    const end = e.span.end === e.span.start ? start : toOriginal(e.span.end, taken);
    if (start === undefined || end === undefined || end < start) return undefined;
    out.push({ span: { start, end }, newText: e.newText });
  }
  return out;
}

function toOriginal(p: number, taken: readonly FixEdit[]): number | undefined {
  let delta = 0;
  for (const t of taken) {
    const cs = t.span.start + delta;
    const ce = cs + t.newText.length;
    if (p < cs) return p - delta;
    if (p === cs) return t.span.start;
    if (p < ce) return undefined;
    delta += t.newText.length - (t.span.end - t.span.start);
  }
  return p - delta;
}
