// The analysis of one task sequence: model + site + config in, findings out. Applies the
// severities of .cmts.json, runs each check module's sequence half behind its own error
// boundary, reports the parser's problems (xml-syntax) and the skipped-site note, and honours
// suppression comments (suppressions.ts). It knows checks only through the registry and their
// flags, never by name.

import type { TaskSequenceModel, ParseProblem, Span } from '../model/types';
import type { LoadedSite } from '../site/types';
import type { CmtsConfig } from '../site/config';
import type { Catalog } from '../catalog/types';
import { severityRank, type Finding, type Severity } from '../model/findings';
import type { Check, CheckContext } from '../checks/types';
import { CHECKS, CHECK_BY_ID } from '../checks';
import { noSiteFinding } from '../checks/no-site-description';
import { catalog as defaultCatalog } from '../catalog';
import { parseTaskSequence } from '../model/parse';
import { applySuppressions } from './suppressions';

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
  /** The checks to run instead of the registry (tests only: a throwing or site-needing check). */
  rules?: readonly Check[];
}

/** Configured severity of a rule, or 'off'. */
export function severityOf(rule: { id: string; defaultSeverity: Severity }, config?: CmtsConfig): Severity | 'off' {
  return config?.rules[rule.id] ?? rule.defaultSeverity;
}

export function analyze(input: AnalysisInput): Finding[] {
  const findings: Finding[] = [];
  const cat = input.catalog ?? defaultCatalog;
  const rootSpan = rootElementSpan(input.model);

  const syntax = severityOf(CHECK_BY_ID.get('xml-syntax')!, input.config);
  if (syntax !== 'off') {
    for (const p of input.problems) findings.push({ rule: 'xml-syntax', severity: syntax, message: p.message, span: p.span });
  }

  // Cut short: a well-formedness problem and no closing </sequence> (one scan of the text, not one per check).
  const cutShort = input.problems.length > 0 && !/<\/sequence\s*>/.test(input.text);
  let siteSkipped = false;
  for (const check of input.rules ?? CHECKS) {
    if (!check.sequence) continue;
    const sev = severityOf(check, input.config);
    if (sev === 'off') continue;
    if (check.needsSite && !input.site) {
      siteSkipped = true;
      continue;
    }
    if (!input.model.sequence) continue;
    runCheck(check, sev, input, cat, findings, cutShort);
  }

  const noSite = severityOf(CHECK_BY_ID.get('no-site-description')!, input.config);
  if (siteSkipped && noSite !== 'off' && input.model.sequence) findings.push(noSiteFinding(rootSpan, noSite));

  const result = applySuppressions({
    text: input.text,
    model: input.model,
    site: input.site,
    severityOf: (id) => {
      const check = CHECK_BY_ID.get(id);
      return check ? severityOf(check, input.config) : 'off';
    },
  }, findings);
  result.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.rule.localeCompare(b.rule));
  return result;
}

/**
 * A finding's fix data larger than this is dropped (the finding stays, without quick fixes): data
 * travels with every diagnostic and code action, and a megabyte-long "content ID" made each of
 * them megabytes (found by the fuzzer, issue 9).
 */
export const MAX_DATA_CHARS = 16 * 1024;

function runCheck(check: Check, severity: Severity, input: AnalysisInput, cat: Catalog, out: Finding[], cutShort: boolean): void {
  const ctx: CheckContext = {
    model: input.model,
    text: input.text,
    catalog: cat,
    site: input.site,
    path: input.path,
    sitePath: input.sitePath,
    cutShort,
    severity,
    extra: input.extra ?? {},
    report(f) {
      const sev = f.severity && severityRank(f.severity) < severityRank(severity) ? f.severity : severity;
      // Built member by member (not spread from the check's object): one shape for every finding.
      const finding: Finding = { rule: check.id, severity: sev, message: clipMessage(f.message), span: f.span };
      if (f.related !== undefined) finding.related = f.related;
      if (f.data !== undefined && !jsonLongerThan(f.data, MAX_DATA_CHARS)) finding.data = f.data;
      out.push(finding);
    },
  };
  try {
    check.sequence!(ctx);
  } catch (e) {
    // One broken check must not hide the others; say so where the user will see it.
    out.push({
      rule: 'internal-error',
      severity: 'info',
      message: `cmts check "${check.id}" failed on this file (${e instanceof Error ? e.message : String(e)}); please report it.`,
      span: rootElementSpan(input.model),
    });
  }
}

/**
 * Whether `JSON.stringify(value)` is longer than `limit`, without writing it when a cheap upper
 * bound already says no: a string costs at most 6 characters per code unit plus its quotes (\u
 * escapes), a number at most 24, each member its key and separators. Most fix data is a few
 * hundred characters, and writing it out for every finding cost seconds on 200,000 findings
 * (issue 21); only data whose bound passes the limit is written to be measured exactly.
 */
export function jsonLongerThan(value: unknown, limit: number): boolean {
  return upperBound(value, limit, 0) > limit && JSON.stringify(value).length > limit;
}

/** An upper bound of the length of `value` as JSON, or anything over `limit` once it is passed. */
function upperBound(value: unknown, limit: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return 2 + 6 * value.length;
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'object':
      break;
    default:
      return 9; // undefined is left out or written as null; functions and symbols likewise
  }
  if (value === null) return 4;
  if (depth > 32) return Infinity;
  let n = 2;
  if (Array.isArray(value)) {
    for (const v of value) {
      n += 1 + upperBound(v, limit, depth + 1);
      if (n > limit) return n;
    }
    return n;
  }
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    n += 4 + 6 * k.length + upperBound((value as Record<string, unknown>)[k], limit, depth + 1);
    if (n > limit) return n;
  }
  return n;
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

export function rootElementSpan(model: TaskSequenceModel): Span {
  const s = model.sequence ?? model.wrapper;
  return s ? s.nameSpan : { start: 0, end: Math.min(1, model.length) };
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
    const severity = severityOf(CHECK_BY_ID.get('sequence-size')!, options.config);
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
