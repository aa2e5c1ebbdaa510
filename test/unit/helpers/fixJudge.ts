// The fix-safety harness, shared by the fixture suite (test/unit/fixSafety.test.ts) and the corpus
// suite (test/corpus/fixSafety.test.ts): every fix every finding's data describes is built without
// the judge, applied, and judged by the sequence it leaves (features/fixSafety.ts); then the engine
// is asked again with the judge on, and every fix it still offers must pass every rule. Counts go
// into the issue note: fixes applied, fixes passing every rule, fixes withheld (with why), failing.

import { analyze } from '../../../server/src/analysis';
import { catalog } from '../../../server/src/catalog';
import { dataFixesFor, fixProblems, type FixContext } from '../../../server/src/features/fixes';
import { parseTaskSequence } from '../../../server/src/model/parse';
import type { ParseResult } from '../../../server/src/model/types';
import { reparse } from '../../../server/src/model/incremental';
import { applyEdits } from '../../../server/src/edits/text';
import { startInFrom } from '../../../server/src/semantics/flow';
import { siteExtraFor } from '../../../server/src/semantics/siteFacts';
import { ALL_CHECK_IDS } from '../../../server/src/checks';
import { loadConfig, loadSite } from '../../../server/src/site';
import type { RoundTripDoc } from './roundTrip';

export interface JudgeStats {
  documents: number;
  /** Every fix built from a finding's data, applied and judged. */
  applied: number;
  passing: number;
  /** Fixes whose re-check took the incremental parse (model/incremental.ts), each compared with a whole parse. */
  patched: number;
  /** Fixes the judge withholds, by "<fix kind> for <rule>: <first reason>". */
  withheld: Record<string, number>;
  /** Fixes the engine offers with the judge on that do not pass: must stay empty. */
  failures: string[];
}

export function newJudgeStats(): JudgeStats {
  return { documents: 0, applied: 0, passing: 0, patched: 0, withheld: {}, failures: [] };
}

/** Judges every fix of every finding of one document (with its site and config, as the CLI finds them). */
export function judgeDocument(doc: RoundTripDoc, stats: JudgeStats): void {
  stats.documents++;
  const site = doc.site ? loadSite(doc.site.text) : undefined;
  const config = doc.config ? loadConfig(doc.config.text, ALL_CHECK_IDS).config : undefined;
  const check = (text: string, parsed?: ParseResult): { model: ReturnType<typeof parseTaskSequence>['model']; findings: ReturnType<typeof analyze>; problems: ParseResult['problems'] } => {
    const { model, problems } = parsed ?? parseTaskSequence(text);
    const extra = site ? siteExtraFor(site, doc.site?.path, doc.path, model) : {};
    return { model, problems, findings: analyze({ text, model, problems, site, sitePath: doc.site?.path, config, path: doc.path, extra }) };
  };
  const first = check(doc.text);
  const extra = site ? siteExtraFor(site, doc.site?.path, doc.path, first.model) : {};
  const base: FixContext = { text: doc.text, model: first.model, catalog, ...(site && doc.site ? { site, sitePath: doc.site.path } : {}) };
  const judged: FixContext = { ...base, safety: { findings: first.findings, problems: first.problems, recheck: check, startIn: startInFrom(extra) } };
  for (const f of first.findings) {
    const all = dataFixesFor(f, base);
    for (const fix of all) {
      if (!fix.edits.some((e) => e.file === undefined)) continue;
      stats.applied++;
      // A fix judged without a whole parse: that parse must be what a whole parse gives.
      const docEdits = fix.edits.filter((e) => e.file === undefined);
      const fixed = applyEdits(doc.text, docEdits);
      const patched = reparse(doc.text, first, fixed);
      if (patched) {
        stats.patched++;
        if (!sameParse(patched, parseTaskSequence(fixed))) stats.failures.push(`${doc.name}: ${f.rule} "${fix.title}": the incremental parse differs from a whole parse`);
      }
      const problems = fixProblems(fix, judged);
      if (problems.length === 0) stats.passing++;
      else {
        const key = `${fix.fixKind ?? '?'} for ${f.rule}: ${problems[0].replace(/\(step \d+\)/g, '(step #)').slice(0, 140)}`;
        stats.withheld[key] = (stats.withheld[key] ?? 0) + 1;
      }
    }
    // What the engine offers with the judge on must pass every rule.
    for (const fix of dataFixesFor(f, judged)) {
      const problems = fixProblems(fix, judged);
      if (problems.length) stats.failures.push(`${doc.name}: ${f.rule} "${fix.title}": ${problems.join('; ')}`);
    }
  }
}

/**
 * Whether two parses are the same, field for field (a group's `parent` by where it starts: the model
 * points back up). A serialisation, because a deep compare of models with their back links is slow.
 */
export function sameParse(a: ParseResult, b: ParseResult): boolean {
  const json = (r: ParseResult): string => JSON.stringify(r, (k, v: unknown) => (k === 'parent' ? (v as { span?: { start: number } } | undefined)?.span?.start ?? null : v));
  return json(a) === json(b);
}

export function formatJudgeStats(label: string, s: JudgeStats): string {
  const withheld = Object.entries(s.withheld).sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n} × ${k}`);
  return [`${label}: ${s.documents} documents, ${s.applied} fixes applied, ${s.passing} passing every rule, ${s.applied - s.passing} withheld, ${s.failures.length} failing (${s.patched} re-checked without a whole parse)`, ...withheld].join('\n');
}
