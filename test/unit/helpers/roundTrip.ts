// The quick-fix round trip, shared by the fixture suite (test/unit/fixRoundTrip.test.ts) and the
// corpus suite (test/corpus/fixRoundTrip.test.ts): analyse a document, apply every fix every
// finding offers, one at a time, and check the result is well-formed, parses to a model, no longer
// has the finding (same check at the same place), has no new error, and that the edits changed
// only what they insert or replace, in the file's own line endings. Failures are collected, not
// thrown, so one run lists them all; counts per fix kind go into the issue note.

import { parseTree, type Node } from 'jsonc-parser';
import { analyze } from '../../../server/src/analysis';
import { catalog } from '../../../server/src/catalog';
import { fixesFor, type CodeFix, type FixContext, type FixEdit } from '../../../server/src/features/fixes';
import { parseTaskSequence } from '../../../server/src/model/parse';
import { lineEnding } from '../../../server/src/model/positions';
import type { Span } from '../../../server/src/model/types';
import { ALL_CHECK_IDS } from '../../../server/src/checks';
import { siteExtraFor } from '../../../server/src/semantics/siteFacts';
import type { Finding } from '../../../server/src/model/findings';
import type { InsertStepFix } from '../../../server/src/edits/fixData';
import { loadConfig, loadSite } from '../../../server/src/site';

export interface RoundTripDoc {
  name: string;
  text: string;
  path: string;
  site?: { path: string; text: string };
  config?: { path: string; text: string };
  /** Where "Disable … in .cmts.json" may create one when none applies. */
  newConfigPath?: string;
}

export interface RoundTripStats {
  documents: number;
  findingsWithFixes: number;
  applied: number;
  perKind: Record<string, number>;
  /** The same, by "<fix kind> for <check>". */
  perRule: Record<string, number>;
  /** Findings the fix brought with it, by "<fix kind> → <rule>" (only those the suite accepts, see FOLLOW_UPS). */
  followUps: Record<string, number>;
  failures: string[];
}

export function newStats(): RoundTripStats {
  return { documents: 0, findingsWithFixes: 0, applied: 0, perKind: {}, perRule: {}, followUps: {}, failures: [] };
}

/**
 * Errors an applied fix may legitimately bring, and why:
 * - Setup Windows and ConfigMgr inserted where the site has no client package (or there is no site)
 *   has an empty ClientPackageID: missing-step-property says so on the new step, with its own fix.
 * - A Restart Computer to Windows PE or Prepare Windows for Capture inserted into a sequence with
 *   no boot image makes it need one: boot-image says so (it was silent while nothing needed WinPE).
 * - A Request State Store inserted where the site has no state migration point: state-migration-point
 *   says the site needs one (the user-state step needed it all along).
 * - A step inserted next to a step that is itself in the wrong environment (step-context reported it
 *   before) is in that environment too: see anchoredInWrongPlace.
 */
const FOLLOW_UPS: Record<string, readonly string[]> = {
  'insert-step': ['missing-step-property', 'boot-image', 'state-migration-point'],
  'insert-steps': ['boot-image'],
};

/**
 * A new step class brings its own requirements (properties it needs, reported on the step), and a
 * class other than the closest one (a fix that is not preferred) its own environment too: what they
 * report then is counted, not failed.
 */

function inSameStep(before: State, f: Finding, start: number | undefined): boolean {
  if (start === undefined) return false;
  const step = parseTaskSequence(before.text).model.steps.find((s) => s.span.start <= f.span.start && f.span.end <= s.span.end);
  return !!step && step.span.start <= start && start <= step.span.end;
}

/** Every string value of a JSON text (a site edit may rewrite one, such as a bootImageId). */
function jsonStrings(text: string): Span[] {
  const out: Span[] = [];
  const visit = (n: Node | undefined): void => {
    if (!n) return;
    if (n.type === 'string') out.push({ start: n.offset, end: n.offset + n.length });
    for (const c of n.children ?? []) visit(c);
  };
  visit(parseTree(text));
  return out;
}

interface State {
  text: string;
  siteText?: string;
  configText?: string;
  problems: number;
  hasSequence: boolean;
  findings: Finding[];
}

function analyseState(doc: RoundTripDoc, text: string, siteText: string | undefined, configText: string | undefined): State {
  const site = siteText !== undefined ? loadSite(siteText) : undefined;
  const config = configText !== undefined ? loadConfig(configText, ALL_CHECK_IDS).config : undefined;
  const { model, problems } = parseTaskSequence(text);
  const sitePath = doc.site?.path;
  const extra = site ? siteExtraFor(site, sitePath, doc.path, model) : {};
  const findings = analyze({ text, model, problems, site, sitePath, config, path: doc.path, extra });
  return { text, siteText, configText, problems: problems.length, hasSequence: model.sequence !== undefined, findings };
}

function contextOf(doc: RoundTripDoc, state: State): FixContext {
  const site = state.siteText !== undefined ? loadSite(state.siteText) : undefined;
  const configText = state.configText;
  return {
    text: state.text,
    model: parseTaskSequence(state.text).model,
    catalog,
    ...(site && doc.site ? { site, sitePath: doc.site.path } : {}),
    ...(doc.config && configText !== undefined ? { configPath: doc.config.path, configText } : {}),
    ...(doc.newConfigPath ? { newConfigPath: doc.newConfigPath } : {}),
  };
}

/** Offset in the original → offset after `edits`; an insertion at `p` moves a start, not an end. */
function mapForward(p: number, edits: readonly FixEdit[], bias: 'start' | 'end'): number {
  let delta = 0;
  for (const e of edits) {
    const len = e.newText.length - (e.span.end - e.span.start);
    if (e.span.start > p || (e.span.start === p && e.span.end === p && bias === 'end')) break;
    if (e.span.end <= p) {
      delta += len;
      continue;
    }
    // Inside a replaced range: its new text.
    return e.span.start + delta + (bias === 'start' ? 0 : e.newText.length);
  }
  return p + delta;
}

/** Offset after `edits` → offset in the original; undefined inside text an edit wrote. */
function mapBack(q: number, edits: readonly FixEdit[]): number | undefined {
  let delta = 0;
  for (const e of edits) {
    const cs = e.span.start + delta;
    const ce = cs + e.newText.length;
    if (q < cs) return q - delta;
    // The start of a replacement is where the replaced text started; anything else inside is new.
    if (q < ce) return q === cs && e.span.end > e.span.start ? e.span.start : undefined;
    delta += e.newText.length - (e.span.end - e.span.start);
  }
  return q - delta;
}

function apply(text: string, edits: readonly FixEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** The edits of one file changed only what they insert or replace, in the file's line endings. */
function editProblems(original: string, edits: readonly FixEdit[], allowed: readonly Span[], oneLineDoc: boolean): string[] {
  const out: string[] = [];
  const eol = lineEnding(original);
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].span.start < sorted[i - 1].span.end) out.push('overlapping edits');
  for (const e of edits) {
    if (oneLineDoc && /[\r\n]/.test(e.newText)) out.push('a line break inserted into a one-line document');
    if (eol === '\r\n' && /(^|[^\r])\n/.test(e.newText)) out.push('an LF line ending inserted into a CRLF file');
    if (eol === '\n' && /\r/.test(e.newText)) out.push('a CR inserted into an LF file');
    if (eol === '\r' && /\n/.test(e.newText)) out.push('an LF inserted into a CR-only file');
    // What the edit really removes, once the text it writes back unchanged is set aside.
    const old = original.slice(e.span.start, e.span.end);
    let p = 0;
    while (p < old.length && p < e.newText.length && old[p] === e.newText[p]) p++;
    let s = 0;
    while (s < old.length - p && s < e.newText.length - p && old[old.length - 1 - s] === e.newText[e.newText.length - 1 - s]) s++;
    const removed = { start: e.span.start + p, end: e.span.end - s };
    const text = original.slice(removed.start, removed.end);
    const ok = text === '' || /^[\s/]*$/.test(text) || allowed.some((a) => a.start <= removed.start && removed.end <= a.end);
    if (!ok) out.push(`the edit removes text it should not touch: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return out;
}

function sameRuleAt(findings: readonly Finding[], rule: string, span: Span): boolean {
  return findings.some((f) => f.rule === rule && f.span.start === span.start && f.span.end === span.end);
}

/** Runs the round trip on one document, adding to `stats`. */
export function roundTrip(doc: RoundTripDoc, stats: RoundTripStats): void {
  stats.documents++;
  const before = analyseState(doc, doc.text, doc.site?.text, doc.config?.text);
  // Only the fixes the engine offers: those the judge lets through (features/fixSafety.ts; its own suite counts the rest).
  const ctx: FixContext = { ...contextOf(doc, before), safety: { findings: before.findings, recheck: (t) => ({ model: parseTaskSequence(t).model, findings: analyseState(doc, t, doc.site?.text, doc.config?.text).findings }) } };
  const oneLine = !/[\r\n]/.test(doc.text);
  for (const f of before.findings) {
    const fixes = fixesFor(f, ctx);
    if (fixes.length === 0) continue;
    stats.findingsWithFixes++;
    for (const fix of fixes) checkFix(doc, before, f, fix, oneLine, stats);
  }
}

function checkFix(doc: RoundTripDoc, before: State, f: Finding, fix: CodeFix, oneLine: boolean, stats: RoundTripStats): void {
  const where = `${doc.name}: ${f.rule} at ${f.span.start}: "${fix.title}"`;
  const fail = (why: string): void => void stats.failures.push(`${where}: ${why}`);
  const kind = fix.fixKind ?? '?';
  const docEdits = fix.edits.filter((e) => e.file === undefined).sort((a, b) => a.span.start - b.span.start);
  const siteEdits = fix.edits.filter((e) => e.file !== undefined && e.file === doc.site?.path);
  const configEdits = fix.edits.filter((e) => e.file !== undefined && e.file !== doc.site?.path);
  if (siteEdits.length + configEdits.length + docEdits.length !== fix.edits.length) return fail('an edit for an unknown file');

  // Remove-suppression takes the comment; a replacement, the text under the finding.
  const allowed: Span[] = [f.span];
  if (kind === 'remove-suppression') {
    const c = before.text.lastIndexOf('<!--', f.span.start);
    allowed.push({ start: Math.max(0, before.text.lastIndexOf('\n', c)), end: before.text.indexOf('-->', f.span.end) + 4 });
  }
  // A new content ID goes where the old one is written (its command line, its reference too).
  if (kind === 'replace-content' && typeof f.data?.expect === 'string') {
    const id = f.data.expect.toLowerCase();
    for (const e of docEdits) {
      const old = before.text.slice(e.span.start, e.span.end);
      if (old.toLowerCase() === id || /^\s*<reference\b[^>]*\/>\s*$/.test(old)) allowed.push(e.span);
    }
  }
  // A move carries the text between its old and new place along: the edit may rewrite that stretch,
  // but only by reordering it (the same characters, blanks aside: it re-indents).
  if (kind === 'move-step') {
    const chars = (t: string): string => [...t.replace(/\s+/g, '')].sort().join('');
    for (const e of docEdits) {
      if (chars(before.text.slice(e.span.start, e.span.end)) !== chars(e.newText)) fail('the move changes more than the order of the text');
      allowed.push(e.span);
    }
  }
  for (const p of editProblems(before.text, docEdits, allowed, oneLine)) fail(p);

  const text = apply(before.text, docEdits);
  let siteText = before.siteText;
  if (siteEdits.length) {
    if (siteText === undefined) return fail('a site edit without a site description');
    for (const p of editProblems(siteText, siteEdits, jsonStrings(siteText), false)) fail(`site description: ${p}`);
    const edited = apply(siteText, siteEdits);
    if (loadSite(edited).problems.length > loadSite(siteText).problems.length) fail('the site description has new problems');
    siteText = edited;
  }
  let configText = before.configText;
  if (configEdits.length) {
    const create = configEdits.find((e) => e.create);
    configText = create ? create.newText : apply(configText ?? '', configEdits);
    const problems = loadConfig(configText, ALL_CHECK_IDS).problems;
    if (problems.length) fail(`.cmts.json has problems: ${problems.map((p) => p.message).join('; ')}`);
  }

  const after = analyseState(doc, text, siteText, configText);
  stats.applied++;
  stats.perKind[kind] = (stats.perKind[kind] ?? 0) + 1;
  const byRule = `${kind} for ${f.rule}`;
  stats.perRule[byRule] = (stats.perRule[byRule] ?? 0) + 1;
  if (after.problems > before.problems) fail(`${after.problems - before.problems} new parse problem(s)`);
  if (before.hasSequence && !after.hasSequence) fail('no longer parses to a sequence');

  const moved = { start: mapForward(f.span.start, docEdits, 'start'), end: mapForward(f.span.end, docEdits, 'end') };
  if (kind === 'remove-suppression') {
    // Ids move when one before them goes: count the unused ones with this id instead.
    const id = before.text.slice(f.span.start, f.span.end);
    const unused = (st: State): number => st.findings.filter((x) => x.rule === 'unused-suppression' && st.text.slice(x.span.start, x.span.end) === id).length;
    if (unused(after) !== unused(before) - 1) fail('the unused suppression is still there');
  } else if (sameRuleAt(after.findings, f.rule, moved)) {
    fail('the finding is still there');
  }

  for (const x of after.findings) {
    // A move rewrites the stretch it crosses, so spans there do not map back: the judge compares its findings by rule and message instead.
    if (x.severity !== 'error' || kind === 'move-step') continue;
    const start = mapBack(x.span.start, docEdits);
    const end = mapBack(x.span.end, docEdits);
    if (start !== undefined && end !== undefined && sameRuleAt(before.findings, x.rule, { start, end })) continue;
    const newClass = kind === 'replace-step-type' && (!fix.isPreferred || inSameStep(before, f, start));
    if (FOLLOW_UPS[kind]?.includes(x.rule) || newClass || anchoredInWrongPlace(before, f, x, start)) {
      const key = `${kind} → ${x.rule}`;
      stats.followUps[key] = (stats.followUps[key] ?? 0) + 1;
      continue;
    }
    fail(`new error ${x.rule}: ${x.message.slice(0, 160)}`);
  }
}

/**
 * A step-context error on an inserted step whose anchor already had a step-context finding: the new
 * step shares the misplaced anchor's environment (a Release State Store after a Request in Windows PE).
 */
function anchoredInWrongPlace(before: State, f: Finding, x: Finding, mappedStart: number | undefined): boolean {
  if (x.rule !== 'step-context' || mappedStart !== undefined || !f.data) return false;
  const data = f.data as Partial<InsertStepFix>;
  const anchors = [data.anchor, data.release?.anchor].filter((a): a is Span => !!a && typeof a === 'object');
  return anchors.some((a) => before.findings.some((b) => b.rule === 'step-context' && a.start <= b.span.start && b.span.end <= a.end));
}

/** Counts as lines for the test output (and the issue note). */
export function formatStats(label: string, s: RoundTripStats): string {
  const kinds = Object.entries(s.perKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${k}: ${n}`);
  const rules = Object.entries(s.perRule).filter(([k]) => !k.startsWith('suppress-comment') && !k.startsWith('disable-in-config')).sort((a, b) => a[0].localeCompare(b[0])).map(([k, n]) => `    ${k}: ${n}`);
  const follow = Object.entries(s.followUps).map(([k, n]) => `  ${k}: ${n}`);
  return [
    `${label}: ${s.documents} documents, ${s.findingsWithFixes} findings with fixes, ${s.applied} fixes applied`,
    ...kinds,
    '  by check:',
    ...rules,
    ...(follow.length ? ['follow-up findings (expected):', ...follow] : []),
    `failures: ${s.failures.length}`,
  ].join('\n');
}
