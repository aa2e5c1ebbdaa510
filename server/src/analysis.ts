// The one entry point of the checks: model + site + config in, findings out. Applies the
// severities of .cmts.json, runs each check behind its own error boundary, and honours
// suppression comments (reporting those that silence nothing). The CLI and the server both
// call this; neither knows any check by name.

import type { TaskSequenceModel, ParseProblem, Span } from './model/types';
import type { LoadedSite } from './site/types';
import type { CmtsConfig } from './site/config';
import type { Catalog } from './catalog/types';
import type { Finding, Rule, RuleContext, Severity } from './rules/types';
import { RULES, RULE_BY_ID } from './rules';
import { catalog as defaultCatalog } from './catalog';
import { parseTaskSequence } from './model/parse';

/** Checks whose findings are made by this façade or by the front ends, not by a check function. */
const REPORTED_ELSEWHERE = new Set(['xml-syntax', 'unused-suppression', 'no-site-description', 'invalid-site-description', 'invalid-config']);

export interface AnalysisInput {
  text: string;
  model: TaskSequenceModel;
  problems: readonly ParseProblem[];
  site?: LoadedSite;
  sitePath?: string;
  config?: CmtsConfig;
  path?: string;
  catalog?: Catalog;
  /** Extra context site rules may use (child sequences); opaque to the façade. */
  extra?: Record<string, unknown>;
  /** The checks to run instead of the table (tests only: a throwing or site-needing check). */
  rules?: readonly Rule[];
}

/** Configured severity of a rule, or 'off'. */
export function severityOf(rule: { id: string; defaultSeverity: Severity }, config?: CmtsConfig): Severity | 'off' {
  return config?.rules[rule.id] ?? rule.defaultSeverity;
}

export function analyze(input: AnalysisInput): Finding[] {
  const findings: Finding[] = [];
  const cat = input.catalog ?? defaultCatalog;
  const rootSpan = rootElementSpan(input.model);

  const syntax = severityOf(RULE_BY_ID['xml-syntax'], input.config);
  if (syntax !== 'off') {
    for (const p of input.problems) findings.push({ rule: 'xml-syntax', severity: syntax, message: p.message, span: p.span });
  }

  let siteSkipped = false;
  for (const rule of input.rules ?? RULES) {
    if (REPORTED_ELSEWHERE.has(rule.id)) continue;
    const sev = severityOf(rule, input.config);
    if (sev === 'off') continue;
    if (rule.needsSite && !input.site) {
      siteSkipped = true;
      continue;
    }
    if (!input.model.sequence) continue;
    runRule(rule, sev, input, cat, findings);
  }

  const noSite = severityOf(RULE_BY_ID['no-site-description'], input.config);
  if (siteSkipped && noSite !== 'off' && input.model.sequence) {
    findings.push({
      rule: 'no-site-description',
      severity: noSite,
      message: 'No site description (configmgr-site.json) applies to this file, so content, boot image, USMT, driver and site checks were skipped. Run "cmts site init" to create one.',
      span: rootSpan,
      data: { kind: 'create-site' },
      fixes: ['Create a site description'],
    });
  }

  const result = applySuppressions(input, findings);
  result.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.rule.localeCompare(b.rule));
  return result;
}

/**
 * A finding's fix data larger than this is dropped (the finding stays, without quick fixes): data
 * travels with every diagnostic and code action, and a megabyte-long "content ID" made each of
 * them megabytes (found by the fuzzer, issue 9).
 */
export const MAX_DATA_CHARS = 16 * 1024;

function runRule(rule: Rule, severity: Severity, input: AnalysisInput, cat: Catalog, out: Finding[]): void {
  const ctx: RuleContext = {
    model: input.model,
    text: input.text,
    catalog: cat,
    site: input.site,
    path: input.path,
    sitePath: input.sitePath,
    severity,
    extra: input.extra ?? {},
    report(f) {
      const sev = f.severity && rank(f.severity) < rank(severity) ? f.severity : severity;
      const finding: Finding = { ...f, rule: rule.id, severity: sev, message: clipMessage(f.message) };
      if (f.data !== undefined && JSON.stringify(f.data).length > MAX_DATA_CHARS) delete finding.data;
      out.push(finding);
    },
  };
  try {
    rule.check(ctx);
  } catch (e) {
    // One broken check must not hide the others; say so where the user will see it.
    out.push({
      rule: 'internal-error',
      severity: 'info',
      message: `cmts check "${rule.id}" failed on this file (${e instanceof Error ? e.message : String(e)}); please report it.`,
      span: rootElementSpan(input.model),
    });
  }
}

/** Messages quote names and values from the file, which hostile input makes megabytes long (issue 9). */
export const MAX_MESSAGE_CHARS = 1000;

/** At most MAX_MESSAGE_CHARS, the ellipsis included, never half of a surrogate pair. */
function clipMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  let end = MAX_MESSAGE_CHARS - 1;
  const last = message.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${message.slice(0, end)}…`;
}

/** Index of the first element of the sorted `list` that is >= `value`. */
function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rank(s: Severity): number {
  return s === 'error' ? 2 : s === 'warning' ? 1 : 0;
}

export function rootElementSpan(model: TaskSequenceModel): Span {
  const s = model.sequence ?? model.wrapper;
  return s ? s.nameSpan : { start: 0, end: Math.min(1, model.length) };
}

// ---- suppression comments ------------------------------------------------------------------

interface Suppression {
  ids: { id: string; span: Span }[];
  /** Region the comment silences. */
  region: Span;
  used: Set<string>;
}

// `d`: the id list is located by its match index, not searched for (an id may also occur in the directive).
// Matched against the comment with its trailing whitespace trimmed: a lazy `(.*?)\s*$` backtracked
// quadratically over a long run of spaces inside a comment (issue 9).
const NEXT_LINE = /^\s*cmts-disable-next-line\s+(.*)$/ds;
const FILE = /^\s*cmts-disable\s+(.*)$/ds;

function parseSuppressions(input: AnalysisInput): Suppression[] {
  const out: Suppression[] = [];
  const nextStarts = nextElementStarts(input);
  const starts = elementEnds(input.model, new Set(nextStarts.filter((at) => at >= 0)));
  input.model.comments.forEach((c, index) => {
    const body = c.text.trimEnd();
    const next = NEXT_LINE.exec(body);
    const file = next ? null : FILE.exec(body);
    const m = next ?? file;
    if (!m) return;
    const ids: { id: string; span: Span }[] = [];
    const listStart = c.span.start + 4 + (m.indices?.[1]?.[0] ?? 0);
    const re = /[^\s,]+/g;
    for (let t = re.exec(m[1]); t; t = re.exec(m[1])) ids.push({ id: t[0], span: { start: listStart + t.index, end: listStart + t.index + t[0].length } });
    let region: Span;
    if (file) {
      region = { start: 0, end: input.text.length };
    } else {
      const at = nextStarts[index];
      const end = at >= 0 ? starts.get(at) : undefined;
      region = at >= 0 ? { start: at, end: end ?? lineEndAfter(input.text, at) } : { start: c.span.end, end: c.span.end };
    }
    out.push({ ids, region, used: new Set() });
  });
  return out;
}

/**
 * For each comment, where the next element starts (-1 if text comes first). Worked out from the
 * last comment back, so a run of comments is walked once: looking ahead from each one separately
 * was quadratic in the length of the run (issue 9).
 */
function nextElementStarts(input: AnalysisInput): number[] {
  const { text } = input;
  const comments = input.model.comments;
  const out = new Array<number>(comments.length).fill(-1);
  for (let j = comments.length - 1; j >= 0; j--) {
    let i = comments[j].span.end;
    while (i < text.length && /\s/.test(text[i])) i++;
    const following = comments[j + 1];
    if (following && following.span.start === i) out[j] = out[j + 1];
    else if (text.startsWith('<!--', i)) out[j] = nextElementStart(text, i);
    else if (text[i] === '<' && text[i + 1] !== '/' && text[i + 1] !== '!' && text[i + 1] !== '?') out[j] = i;
  }
  return out;
}

function applySuppressions(input: AnalysisInput, findings: Finding[]): Finding[] {
  const sups = parseSuppressions(input);
  if (sups.length === 0) return findings;
  // Per rule id, regions sorted by start with the running maximum of their ends, and finding
  // starts sorted: a finding is silenced when some region starting at or before it ends after
  // it, and a region is used when the first finding at or after its start lies inside it. Linear
  // after sorting; comparing every finding with every comment took minutes on hostile input (issue 9).
  const regions = new Map<string, { start: number; end: number; sup: Suppression }[]>();
  for (const s of sups) {
    for (const i of s.ids) {
      let list = regions.get(i.id);
      if (!list) regions.set(i.id, (list = []));
      list.push({ start: s.region.start, end: s.region.end, sup: s });
    }
  }
  const starts = new Map<string, number[]>();
  for (const f of findings) {
    if (!regions.has(f.rule)) continue;
    let list = starts.get(f.rule);
    if (!list) starts.set(f.rule, (list = []));
    list.push(f.span.start);
  }
  const reach = new Map<string, { start: number[]; maxEnd: number[] }>();
  for (const [id, list] of regions) {
    list.sort((a, b) => a.start - b.start);
    const maxEnd: number[] = [];
    for (const r of list) maxEnd.push(Math.max(r.end, maxEnd[maxEnd.length - 1] ?? -Infinity));
    reach.set(id, { start: list.map((r) => r.start), maxEnd });
    const fs = (starts.get(id) ?? []).sort((a, b) => a - b);
    for (const r of list) {
      const k = lowerBound(fs, r.start);
      if (k < fs.length && fs[k] < r.end) r.sup.used.add(id);
    }
  }
  const kept = findings.filter((f) => {
    const r = reach.get(f.rule);
    if (!r) return true;
    const k = lowerBound(r.start, f.span.start + 1) - 1;
    return !(k >= 0 && r.maxEnd[k] > f.span.start);
  });
  const sev = severityOf(RULE_BY_ID['unused-suppression'], input.config);
  if (sev === 'off') return kept;
  for (const s of sups) {
    for (const i of s.ids) {
      if (s.used.has(i.id)) continue;
      const rule = RULE_BY_ID[i.id];
      if (rule && severityOf(rule, input.config) === 'off') continue;
      if (rule && rule.needsSite && !input.site) continue;
      kept.push({
        rule: 'unused-suppression',
        severity: sev,
        message: rule ? `"${i.id}" is suppressed here but reports nothing; remove it from the comment.` : `"${i.id}" is not a cmts check id; nothing is suppressed.`,
        span: i.span,
        data: { kind: 'remove-suppression', expect: i.id },
        fixes: [`Remove "${i.id}" from the suppression comment`],
      });
    }
  }
  return kept;
}

/**
 * Start offset → end of the element of the model that starts at each of `wanted` (where a
 * suppression comment's next element is), so a comment can silence that element. Found by binary
 * search in the model's lists (all in document order): mapping every element of a large sequence
 * on each analysis cost a tenth of it.
 */
function elementEnds(model: TaskSequenceModel, wanted: ReadonlySet<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (const at of wanted) {
    const end = elementEndAt(model, at);
    if (end !== undefined) m.set(at, end);
  }
  return m;
}

function elementEndAt(model: TaskSequenceModel, at: number): number | undefined {
  const hit = (s: Span | undefined): boolean => s !== undefined && s.start === at;
  const w = model.wrapper;
  if (w && hit(w.span)) return w.span.end;
  const seq = model.sequence;
  if (seq) {
    if (hit(seq.span)) return seq.span.end;
    if (hit(seq.referenceList?.span)) return seq.referenceList!.span.end;
    if (hit(seq.globalVarList?.span)) return seq.globalVarList!.span.end;
    const r = lastStartingBy(seq.references, at);
    if (hit(r?.span)) return r!.span.end;
    const v = lastStartingBy(seq.globalVariables, at);
    if (hit(v?.span)) return v!.span.end;
  }
  // A group's condition is among its children, so look at the group (and those around it) starting last before `at`.
  for (let g = lastStartingBy(model.groups, at); g; g = g.parent) {
    if (hit(g.span)) return g.span.end;
    if (hit(g.condition?.span)) return g.condition!.span.end;
  }
  const s = lastStartingBy(model.steps, at);
  if (s) {
    if (hit(s.span)) return s.span.end;
    if (hit(s.condition?.span)) return s.condition!.span.end;
    if (hit(s.action?.element.span)) return s.action!.element.span.end;
    if (hit(s.varList?.span)) return s.varList!.span.end;
    const v = lastStartingBy(s.variables, at);
    if (hit(v?.span)) return v!.span.end;
  }
  return undefined;
}

/** The last of `list` (in document order) whose span starts at or before `at`. */
function lastStartingBy<T extends { span: Span }>(list: readonly T[], at: number): T | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].span.start <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

function nextElementStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('<!--', i)) {
      const c = text.indexOf('-->', i + 4);
      if (c < 0) return -1;
      i = c + 3;
      continue;
    }
    if (text[i] === '<' && text[i + 1] !== '/' && text[i + 1] !== '!' && text[i + 1] !== '?') return i;
    return -1;
  }
}

function lineEndAfter(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

// ---- the whole pipeline for one document ----------------------------------------------------

/** Larger texts are not parsed at all: the site caps sequences at 2 MB, so this is never a real export. */
export const MAX_CHECK_CHARS = 16 * 1024 * 1024;

export interface CheckResult {
  model: TaskSequenceModel;
  problems: ParseProblem[];
  findings: Finding[];
}

/** Parse and analyse one document; what the CLI and the server call for each task sequence. */
export function checkText(text: string, options: Omit<AnalysisInput, 'text' | 'model' | 'problems'> = {}): CheckResult {
  if (text.length > MAX_CHECK_CHARS) {
    const model: TaskSequenceModel = { flavour: 'sequence', mdt: false, comments: [], steps: [], groups: [], length: text.length };
    const mb = (text.length / 1024 / 1024).toFixed(1);
    // .cmts.json still decides: "sequence-size": "off" means no word about the size at all.
    const severity = severityOf(RULE_BY_ID['sequence-size'], options.config);
    if (severity === 'off') return { model, problems: [], findings: [] };
    return {
      model,
      problems: [],
      findings: [{ rule: 'sequence-size', severity, message: `This file is too large to check (${mb} MB; cmts checks files up to ${MAX_CHECK_CHARS / 1024 / 1024} MB, and the site refuses sequences over 2 MB).`, span: { start: 0, end: Math.min(1, text.length) } }],
    };
  }
  const { model, problems } = parseTaskSequence(text);
  return { model, problems, findings: analyze({ ...options, text, model, problems }) };
}
