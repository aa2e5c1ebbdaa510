// Before/after fixtures for every quick fix: test/fixtures/fixes/<name>/ holds before.xml with the
// cursor marked `$0` inside the finding, fix.json naming the check and the fix's title, and the
// exact result: after.xml, and after.configmgr-site.json / after.cmts.json when the fix edits
// those. Results are compared byte for byte (CRLF, one-line and tab-indented inputs included).
// A folder's configmgr-site.json and .cmts.json apply to its before.xml. fix.json { "fixAll": true }
// runs fix-all instead, with the same re-analysis the server does. Regenerate on purpose only:
//   UPDATE_EXPECTED=1 node scripts/test.mjs fixes.test

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, checkText } from '../../server/src/analysis';
import { catalog } from '../../server/src/catalog';
import { applyEdits, fixAll, fixesFor, fixProblems, type CodeFix, type FixContext } from '../../server/src/features/fixes';
import { parseTaskSequence } from '../../server/src/model/parse';
import { ALL_CHECK_IDS } from '../../server/src/checks';
import { siteExtraFor } from '../../server/src/semantics/siteFacts';
import type { Finding } from '../../server/src/model/findings';
import { loadConfig, loadSite } from '../../server/src/site';

const ROOT = join(__dirname, '..', 'fixtures', 'fixes');
const UPDATE = process.env.UPDATE_EXPECTED === '1';
const CURSOR = '$0';

interface FixSpec {
  rule?: string;
  title?: string;
  fixAll?: boolean;
  /** Why the judge withholds this fix (features/fixSafety.ts): the engine builds it but does not offer it. */
  withheld?: string;
}

function read(p: string): string | undefined {
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

interface Case {
  dir: string;
  text: string;
  cursor: number;
  ctx: FixContext;
  findings: Finding[];
}

function load(dir: string): Case {
  const raw = readFileSync(join(dir, 'before.xml'), 'utf8');
  const cursor = raw.indexOf(CURSOR);
  const text = cursor >= 0 ? raw.slice(0, cursor) + raw.slice(cursor + CURSOR.length) : raw;
  const sitePath = join(dir, 'configmgr-site.json');
  const siteText = read(sitePath);
  const site = siteText !== undefined ? loadSite(siteText) : undefined;
  if (site) assert.deepEqual(site.problems, [], 'the folder\'s site description is valid');
  const configPath = join(dir, '.cmts.json');
  const configText = read(configPath);
  const config = configText !== undefined ? loadConfig(configText, ALL_CHECK_IDS).config : undefined;
  const path = join(dir, 'before.xml');
  const { model, problems } = parseTaskSequence(text);
  const extra = site ? siteExtraFor(site, sitePath, path, model) : {};
  const findings = analyze({ text, model, problems, site, sitePath: site ? sitePath : undefined, config, path, extra });
  const ctx: FixContext = {
    text, model, catalog,
    ...(site ? { site, sitePath } : {}),
    ...(configText !== undefined ? { configPath, configText } : {}),
    newConfigPath: configPath,
  };
  return { dir, text, cursor, ctx, findings };
}

/** The named fix of the named check's finding under the cursor. */
function chosenFix(c: Case, spec: FixSpec): { finding: Finding; fix: CodeFix } {
  assert.ok(c.cursor >= 0, 'before.xml has no $0 cursor');
  const finding = c.findings.find((f) => f.rule === spec.rule && f.span.start <= c.cursor && c.cursor <= f.span.end);
  assert.ok(finding, `no ${spec.rule} finding at the cursor; findings: ${c.findings.map((f) => `${f.rule}@${f.span.start}-${f.span.end}`).join(', ')}`);
  const fixes = fixesFor(finding, c.ctx);
  const fix = fixes.find((f) => f.title === spec.title);
  assert.ok(fix, `no fix titled ${JSON.stringify(spec.title)}; offered: ${JSON.stringify(fixes.map((f) => f.title))}`);
  return { finding, fix };
}

function compare(dir: string, name: string, actual: string): void {
  const p = join(dir, name);
  if (UPDATE) writeFileSync(p, actual);
  const expected = read(p);
  assert.ok(expected !== undefined, `${name} is missing (UPDATE_EXPECTED=1 writes it)`);
  assert.equal(actual, expected, `${name} differs`);
}

const folders = existsSync(ROOT) ? readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];

void test('there are fix fixtures', () => {
  assert.ok(folders.length > 0);
});

for (const name of folders) {
  const dir = join(ROOT, name);
  void describe(`fix: ${name}`, () => {
    void test('gives exactly after.xml (and the site / config files)', () => {
      const spec = JSON.parse(readFileSync(join(dir, 'fix.json'), 'utf8')) as FixSpec;
      const c = load(dir);
      if (spec.fixAll) {
        const recheck = (t: string): { model: ReturnType<typeof parseTaskSequence>['model']; findings: Finding[] } => {
          const r = checkText(t, { ...(c.ctx.site ? { site: c.ctx.site, sitePath: c.ctx.sitePath } : {}), path: join(dir, 'before.xml') });
          return { model: r.model, findings: r.findings };
        };
        const result = fixAll(c.findings, c.ctx, recheck);
        compare(dir, 'after.xml', applyEdits(c.text, result.edits));
        return;
      }
      const { fix } = chosenFix(c, spec);
      assert.equal(fix.kind, 'quickfix');
      // Judged by the sequence it leaves (features/fixSafety.ts), as the engine does before offering it.
      const recheck = (t: string): { model: ReturnType<typeof parseTaskSequence>['model']; findings: Finding[] } => {
        const r = checkText(t, { ...(c.ctx.site ? { site: c.ctx.site, sitePath: c.ctx.sitePath } : {}), path: join(dir, 'before.xml') });
        return { model: r.model, findings: r.findings };
      };
      const problems = fixProblems(fix, { ...c.ctx, safety: { findings: c.findings, recheck } });
      if (spec.withheld) assert.notDeepEqual(problems, [], `the judge withholds it: ${spec.withheld}`);
      else assert.deepEqual(problems, [], 'the fix leaves a sequence that still runs');
      const doc = fix.edits.filter((e) => e.file === undefined);
      const site = fix.edits.filter((e) => e.file !== undefined && e.file === c.ctx.sitePath);
      const config = fix.edits.filter((e) => e.file !== undefined && e.file !== c.ctx.sitePath);
      compare(dir, 'after.xml', applyEdits(c.text, doc));
      if (site.length) compare(dir, 'after.configmgr-site.json', applyEdits(c.ctx.site!.text, site));
      if (config.length) {
        const created = config.find((e) => e.create);
        compare(dir, 'after.cmts.json', created ? created.newText : applyEdits(c.ctx.configText ?? '', config));
      }
    });

    void test('a stale finding (the text under it changed) gives no fix', () => {
      const spec = JSON.parse(readFileSync(join(dir, 'fix.json'), 'utf8')) as FixSpec;
      if (spec.fixAll) return;
      const c = load(dir);
      const { finding } = chosenFix(c, spec);
      const changed = c.text.slice(0, finding.span.start) + 'x' + c.text.slice(finding.span.start);
      assert.deepEqual(fixesFor(finding, { ...c.ctx, text: changed, model: parseTaskSequence(changed).model }), []);
    });
  });
}
