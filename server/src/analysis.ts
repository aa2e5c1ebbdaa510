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
      out.push({ ...f, rule: rule.id, severity: sev });
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
const NEXT_LINE = /^\s*cmts-disable-next-line\s+(.*?)\s*$/ds;
const FILE = /^\s*cmts-disable\s+(.*?)\s*$/ds;

function parseSuppressions(input: AnalysisInput): Suppression[] {
  const out: Suppression[] = [];
  const starts = elementEnds(input.model);
  for (const c of input.model.comments) {
    const next = NEXT_LINE.exec(c.text);
    const file = next ? null : FILE.exec(c.text);
    const m = next ?? file;
    if (!m) continue;
    const ids: { id: string; span: Span }[] = [];
    const listStart = c.span.start + 4 + (m.indices?.[1]?.[0] ?? 0);
    const re = /[^\s,]+/g;
    for (let t = re.exec(m[1]); t; t = re.exec(m[1])) ids.push({ id: t[0], span: { start: listStart + t.index, end: listStart + t.index + t[0].length } });
    let region: Span;
    if (file) {
      region = { start: 0, end: input.text.length };
    } else {
      const at = nextElementStart(input.text, c.span.end);
      const end = at >= 0 ? starts.get(at) : undefined;
      region = at >= 0 ? { start: at, end: end ?? lineEndAfter(input.text, at) } : { start: c.span.end, end: c.span.end };
    }
    out.push({ ids, region, used: new Set() });
  }
  return out;
}

function applySuppressions(input: AnalysisInput, findings: Finding[]): Finding[] {
  const sups = parseSuppressions(input);
  if (sups.length === 0) return findings;
  const kept = findings.filter((f) => {
    let silenced = false;
    for (const s of sups) {
      if (f.span.start < s.region.start || f.span.start >= s.region.end) continue;
      if (s.ids.some((i) => i.id === f.rule)) {
        s.used.add(f.rule);
        silenced = true;
      }
    }
    return !silenced;
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

/** Start offset of every element the model knows → its end, so a comment can silence the next one. */
function elementEnds(model: TaskSequenceModel): Map<number, number> {
  const m = new Map<number, number>();
  const add = (s: Span): void => void m.set(s.start, s.end);
  if (model.wrapper) add(model.wrapper.span);
  const seq = model.sequence;
  if (seq) {
    add(seq.span);
    if (seq.referenceList) add(seq.referenceList.span);
    for (const r of seq.references) add(r.span);
    if (seq.globalVarList) add(seq.globalVarList.span);
    for (const v of seq.globalVariables) add(v.span);
  }
  for (const g of model.groups) {
    add(g.span);
    if (g.condition) add(g.condition.span);
  }
  for (const s of model.steps) {
    add(s.span);
    if (s.condition) add(s.condition.span);
    if (s.action) add(s.action.element.span);
    if (s.varList) add(s.varList.span);
    for (const v of s.variables) add(v.span);
  }
  return m;
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
