// One data-driven test over test/fixtures/rules/<id>/: every fail*/pass* file (or *.gen.json recipe)
// is checked and ALL its findings compared with <base>.expected.json beside it; fail files must
// show the folder's check, pass files must not. Regenerate the expected files on purpose only:
//   UPDATE_EXPECTED=1 node scripts/test.mjs rules
// A folder's configmgr-site.json / .cmts.json apply to all its files; <base>.configmgr-site.json / <base>.cmts.json to one.
// Checks reported on a site description or .cmts.json (invalid-site-description, invalid-config) take
// fail*.json / pass*.json files of that kind instead, checked through the project façade.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../server/src/analysis';
import { LineIndex } from '../../server/src/model/positions';
import { catalog } from '../../server/src/catalog';
import { fixTitles } from '../../server/src/features/fixes';
import { CHECKS, CHECK_BY_ID, ALL_CHECK_IDS } from '../../server/src/checks';
import { Project } from '../../server/src/project';
import { memoryHost } from './helpers/memoryHost';
import { loadConfig, loadSite, type CmtsConfig, type LoadedSite } from '../../server/src/site';

const ROOT = join(__dirname, '..', 'fixtures', 'rules');
const UPDATE = process.env.UPDATE_EXPECTED === '1';
/** Checks reported on the site description or .cmts.json: their inputs are fail*.json / pass*.json files of that kind. */
const ON_JSON_FILES = new Set(CHECKS.filter((c) => c.reportedBy === 'site-file' || c.reportedBy === 'config-file').map((c) => c.id));

interface Position { line: number; character: number }
interface ExpectedFinding {
  rule: string;
  severity: string;
  message: string;
  range: { start: Position; end: Position };
  fixes: string[];
}

/** `<base>.gen.json`: the text of `base` with the first `find` written `times` times (for big inputs). */
interface Recipe { base: string; find: string; times: number }

const folders = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

function readRecipe(file: string): Recipe {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(raw && typeof raw === 'object', `${file}: a recipe is an object`);
  const r = raw as Record<string, unknown>;
  assert.ok(typeof r.base === 'string' && typeof r.find === 'string' && r.find !== '' && typeof r.times === 'number' && r.times > 0, `${file}: needs "base", "find" and "times"`);
  const extra = Object.keys(r).filter((k) => !['//', 'base', 'find', 'times'].includes(k));
  assert.deepEqual(extra, [], `${file}: unknown keys`);
  return { base: r.base, find: r.find, times: r.times };
}

function inputText(dir: string, name: string): string {
  if (name.endsWith('.xml')) return readFileSync(join(dir, name), 'utf8');
  const recipe = readRecipe(join(dir, name));
  const base = readFileSync(join(dir, recipe.base), 'utf8');
  const at = base.indexOf(recipe.find);
  assert.ok(at >= 0, `${name}: "${recipe.find}" is not in ${recipe.base}`);
  return base.slice(0, at) + recipe.find.repeat(recipe.times) + base.slice(at + recipe.find.length);
}

/** The file's own site/config, else the folder's; both must load without problems. */
function siteFor(dir: string, base: string): { site?: LoadedSite; sitePath?: string } {
  const sitePath = [join(dir, `${base}.configmgr-site.json`), join(dir, 'configmgr-site.json')].find((p) => existsSync(p));
  if (!sitePath) return {};
  const site = loadSite(readFileSync(sitePath, 'utf8'));
  assert.deepEqual(site.problems, [], `${sitePath} must be a valid site description`);
  return { site, sitePath };
}

function configFor(dir: string, base: string): CmtsConfig | undefined {
  const p = [join(dir, `${base}.cmts.json`), join(dir, '.cmts.json')].find((x) => existsSync(x));
  if (!p) return undefined;
  const r = loadConfig(readFileSync(p, 'utf8'), ALL_CHECK_IDS);
  assert.deepEqual(r.problems, [], `${p} must be a valid .cmts.json`);
  return r.config;
}

/** A site description or .cmts.json input, checked through the project façade as the front ends check it. */
function jsonFindingsOf(id: string, dir: string, name: string): ExpectedFinding[] {
  const text = readFileSync(join(dir, name), 'utf8');
  const onSite = CHECK_BY_ID.get(id)!.reportedBy === 'site-file';
  const file = onSite ? '/ws/configmgr-site.json' : '/ws/.cmts.json';
  const project = new Project(memoryHost({ [file]: text }));
  const findings = onSite ? project.checkSiteFile(file, '/ws', []) : project.checkConfigFile(file, '/ws');
  const lines = new LineIndex(text);
  return findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, range: { start: lines.positionAt(f.span.start), end: lines.positionAt(f.span.end) }, fixes: [] }));
}

function findingsOf(dir: string, name: string): ExpectedFinding[] {
  const base = baseName(name);
  const text = inputText(dir, name);
  const site = siteFor(dir, base);
  const { findings, model } = checkText(text, { ...site, config: configFor(dir, base), path: join(dir, name) });
  const lines = new LineIndex(text);
  const fixCtx = { text, model, catalog, ...site };
  return findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    range: { start: lines.positionAt(f.span.start), end: lines.positionAt(f.span.end) },
    fixes: f.data ? fixTitles(f, fixCtx) : [],
  }));
}

function baseName(name: string): string {
  return name.replace(/\.gen\.json$|\.xml$|\.json$/, '');
}

function isInput(name: string, id: string): boolean {
  return ON_JSON_FILES.has(id) ? /^(fail|pass)[\w-]*\.json$/.test(name) : /^(fail|pass)[\w-]*(\.xml|\.gen\.json)$/.test(name);
}

/** no-site-description speaks only when a site check was skipped; while the table has none, it cannot fire. */
function canFire(id: string): boolean {
  return id !== 'no-site-description' || CHECKS.some((r) => r.needsSite);
}

void test('every check in the table has a fixture folder, and every folder is a check', () => {
  const missing = CHECKS.map((r) => r.id).filter((id) => !folders.includes(id));
  assert.deepEqual(missing, [], `add test/fixtures/rules/<id>/ with fail.xml and pass.xml for: ${missing.join(', ')}`);
  const strays = folders.filter((f) => !ALL_CHECK_IDS.includes(f));
  assert.deepEqual(strays, [], 'fixture folders that name no check');
});

for (const id of folders) {
  const dir = join(ROOT, id);
  const names = readdirSync(dir).sort();
  const inputs = names.filter((n) => isInput(n, id));

  void describe(id, () => {
    void test('has fail and pass inputs, each with its expected findings, and no stray files', () => {
      assert.ok(inputs.some((n) => n.startsWith('fail')), 'no fail*.xml');
      assert.ok(inputs.some((n) => n.startsWith('pass')), 'no pass*.xml');
      const bases = new Set(inputs.map(baseName));
      assert.equal(bases.size, inputs.length, 'two inputs with one base name (x.xml and x.gen.json)');
      const known = (n: string): boolean =>
        isInput(n, id) || n === 'configmgr-site.json' || n === '.cmts.json' || n === 'README.md' ||
        [...bases].some((b) => n === `${b}.expected.json` || n === `${b}.configmgr-site.json` || n === `${b}.cmts.json`) ||
        inputs.some((i) => i.endsWith('.gen.json') && readRecipe(join(dir, i)).base === n);
      assert.deepEqual(names.filter((n) => !known(n)), [], 'files that belong to no input (a misnamed or stale expected file?)');
    });

    for (const name of inputs) {
      void test(name, () => {
        const actual = ON_JSON_FILES.has(id) ? jsonFindingsOf(id, dir, name) : findingsOf(dir, name);
        const expectedPath = join(dir, `${baseName(name)}.expected.json`);
        if (UPDATE) writeFileSync(expectedPath, JSON.stringify(actual, null, 2) + '\n');
        assert.ok(existsSync(expectedPath), `${expectedPath} is missing; run with UPDATE_EXPECTED=1 and review it`);
        const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as ExpectedFinding[];
        assert.deepEqual(actual, expected);
        const own = actual.filter((f) => f.rule === id);
        if (name.startsWith('pass')) assert.deepEqual(own, [], `a pass file must give no ${id}`);
        else if (canFire(id)) assert.ok(own.length > 0, `a fail file must give at least one ${id}`);
        else assert.deepEqual(own, [], `${id} cannot fire with this rule table`);
      });
    }
  });
}
