// The `cmts` command line against its contract (../shared/spec/cli.md): main(argv, io) with a fake
// io on temporary folders holding copies of test/fixtures/cli/. Output formats (json shape, text
// lines, SARIF checked against the SARIF 2.1.0 schema that @microsoft/jest-sarif ships), exit
// codes, site and .cmts.json discovery and problems, and `cmts site init`.

import { after, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { main } from '../../server/src/cli';
import { CHECKS } from '../../server/src/checks';
import { publicRuleDocUrl, repositoryFileUrl } from '../../server/src/report/docsUrl';
import { FINGERPRINT } from '../../server/src/report/sarif';

const FIXTURES = join(__dirname, '..', 'fixtures', 'cli');
const base = mkdtempSync(join(tmpdir(), 'cmts-cli-'));
after(() => rmSync(base, { recursive: true, force: true }));

let folders = 0;
/** A new folder with these files: a value naming a fixture in test/fixtures/cli is copied, any other value is the text. */
function workspace(files: Record<string, string>): string {
  const root = join(base, `ws${++folders}`);
  for (const [rel, content] of Object.entries(files)) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, /^[\w.-]+\.(xml|json)$/.test(content) ? readFileSync(join(FIXTURES, content)) : content);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

interface Run { code: number; out: string; err: string }
function run(cwd: string, ...argv: string[]): Run {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), cwd });
  return { code, out, err };
}

// ---- json ------------------------------------------------------------------------------------

type Shape = 'string' | 'number' | 'string|null' | readonly [Shape] | { readonly [key: string]: Shape };

/** Same keys in the same order at every level, leaves of the given types; every array element checked. */
function assertShape(value: unknown, shape: Shape, at = '$'): void {
  if (shape === 'string|null') return assert.ok(value === null || typeof value === 'string', `${at}: string or null`);
  if (typeof shape === 'string') return assert.equal(typeof value, shape, `${at}: ${shape}`);
  if (Array.isArray(shape)) {
    assert.ok(Array.isArray(value), `${at}: array`);
    (value as unknown[]).forEach((v, i) => assertShape(v, shape[0] as Shape, `${at}[${i}]`));
    return;
  }
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${at}: object`);
  const obj = value as Record<string, unknown>;
  const template = shape as Record<string, Shape>;
  assert.deepEqual(Object.keys(obj), Object.keys(template), `${at}: keys`);
  for (const k of Object.keys(template)) assertShape(obj[k], template[k] as Shape, `${at}.${k}`);
}

const POSITION: Shape = { line: 'number', character: 'number' };
const REPORT_SHAPE: Shape = {
  version: 'number',
  site: 'string|null',
  files: [{
    path: 'string', flavour: 'string', steps: 'number', groups: 'number',
    diagnostics: [{ rule: 'string', severity: 'string', message: 'string', range: { start: POSITION, end: POSITION }, fixes: ['string'] }],
  }],
  summary: { files: 'number', errors: 'number', warnings: 'number', infos: 'number' },
};

interface JsonReport {
  version: number;
  site: string | null;
  files: { path: string; flavour: string; steps: number; groups: number; diagnostics: { rule: string; severity: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; fixes: string[] }[] }[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}

/** Runs with --format json and checks that stdout is exactly one report of the documented shape. */
function json(cwd: string, ...argv: string[]): { code: number; report: JsonReport; err: string } {
  const r = run(cwd, ...argv, '--format', 'json');
  const parsed: unknown = JSON.parse(r.out);
  assertShape(parsed, REPORT_SHAPE);
  return { code: r.code, report: parsed as JsonReport, err: r.err };
}

/** The report with every message replaced, for comparing the rest exactly. */
function withoutMessages(report: JsonReport): JsonReport {
  for (const f of report.files) for (const d of f.diagnostics) assert.ok(d.message.length > 10, d.message);
  return { ...report, files: report.files.map((f) => ({ ...f, diagnostics: f.diagnostics.map((d) => ({ ...d, message: '…' })) })) };
}

const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
// Only the candidate the fix judge lets through: the other two step classes would bring new findings
// (Auto Apply Drivers needs Windows PE here, Setup Windows and ConfigMgr a client package).
const NEAR_COMMAND_LINE = ['Change to SMS_TaskSequence_RunCommandLineAction'];

void test('json: the documented shape, paths relative to the current folder with forward slashes, other XML in folders skipped', () => {
  const root = workspace({
    'configmgr-site.json': 'configmgr-site.json',
    'sequences/clean.xml': 'clean.xml',
    'sequences/deploy/problems.xml': 'problems.xml',
    'sequences/deploy/unattend.xml': 'not-a-sequence.xml',
    'sequences/notes.txt': 'not XML at all',
  });
  const { code, report, err } = json(root, 'check', 'sequences');
  assert.equal(code, 1);
  assert.equal(err, '');
  assert.deepEqual(withoutMessages(report), {
    version: 1,
    site: 'configmgr-site.json',
    files: [
      { path: 'sequences/clean.xml', flavour: 'sequence', steps: 2, groups: 1, diagnostics: [] },
      {
        path: 'sequences/deploy/problems.xml', flavour: 'sequence', steps: 1, groups: 2,
        diagnostics: [
          { rule: 'invalid-condition', severity: 'error', message: '…', range: range(4, 24, 4, 27), fixes: [] },
          { rule: 'unknown-step-type', severity: 'warning', message: '…', range: range(12, 18, 12, 54), fixes: NEAR_COMMAND_LINE },
        ],
      },
    ],
    summary: { files: 2, errors: 1, warnings: 1, infos: 0 },
  });
});

void test('json: site is null without a site description; a package export reports its flavour', () => {
  // With no site, each sequence would also get the no-site-description note once site checks exist.
  const root = workspace({ 'clean.xml': 'clean.xml', 'deploy.xml': 'deploy.xml', '.cmts.json': '{ "rules": { "no-site-description": "off" } }\n' });
  const { code, report } = json(root, 'check', 'clean.xml', 'deploy.xml');
  assert.equal(report.site, null);
  assert.deepEqual(report.files.map((f) => [f.path, f.flavour, f.steps, f.groups]), [['clean.xml', 'sequence', 2, 1], ['deploy.xml', 'package-export', 5, 1]]);
  assert.deepEqual(report.files[0]?.diagnostics, []);
  assert.equal(code, report.summary.errors > 0 ? 1 : 0);
});

void test('json: problems in the site description and in .cmts.json are entries of their own', () => {
  const root = workspace({
    'configmgr-site.json': 'broken-site.json',
    '.cmts.json': '{ "rules": { "unknown-step-typo": "off" } }\n',
    'clean.xml': 'clean.xml',
  });
  const { code, report } = json(root, 'check', 'clean.xml');
  assert.equal(code, 0, 'a schema problem is a warning, as the JSON editor shows it when the file is open');
  assert.equal(report.site, 'configmgr-site.json', 'a site with a broken entry is still used');
  assert.deepEqual(withoutMessages(report).files, [
    { path: 'clean.xml', flavour: 'sequence', steps: 2, groups: 1, diagnostics: [] },
    { path: '.cmts.json', flavour: 'config', steps: 0, groups: 0, diagnostics: [{ rule: 'invalid-config', severity: 'warning', message: '…', range: range(0, 13, 0, 32), fixes: [] }] },
    { path: 'configmgr-site.json', flavour: 'site-description', steps: 0, groups: 0, diagnostics: [{ rule: 'invalid-site-description', severity: 'warning', message: '…', range: range(3, 75, 3, 80), fixes: [] }] },
  ]);
  assert.deepEqual(report.summary, { files: 3, errors: 0, warnings: 2, infos: 0 });
});

void test('json: --quiet keeps only errors', () => {
  const root = workspace({ 'problems.xml': 'problems.xml' });
  const { report } = json(root, 'check', 'problems.xml', '--quiet');
  assert.deepEqual(report.files[0]?.diagnostics.map((d) => `${d.severity} ${d.rule}`), ['error invalid-condition']);
});

// ---- text ------------------------------------------------------------------------------------

void test('text: path:line:column: severity id: message, 1-based, then the summary line', () => {
  const root = workspace({ 'configmgr-site.json': 'configmgr-site.json', 'seq/problems.xml': 'problems.xml', 'seq/clean.xml': 'clean.xml' });
  const r = run(root, 'check', 'seq');
  assert.equal(r.code, 1);
  assert.equal(r.err, '');
  const lines = r.out.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.equal(lines.length, 3);
  assert.match(lines[0] ?? '', /^seq\/problems\.xml:5:25: error invalid-condition: Unknown condition operator "xor"/);
  assert.match(lines[1] ?? '', /^seq\/problems\.xml:13:19: warning unknown-step-type: Unknown step type "SMS_TaskSequence_RunCommandLinAction"/);
  assert.equal(lines[2], '1 errors, 1 warnings in 2 files');

  // The same places as the json ranges, one higher.
  const { report } = json(root, 'check', 'seq');
  const d = report.files.flatMap((f) => f.diagnostics.map((x) => `${f.path}:${x.range.start.line + 1}:${x.range.start.character + 1}: ${x.severity} ${x.rule}: ${x.message}`));
  assert.deepEqual(lines.slice(0, 2), d);
});

void test('text: the summary line keeps the documented wording whatever the counts, and --quiet hides warnings and infos', () => {
  const root = workspace({ 'configmgr-site.json': 'configmgr-site.json', 'warnings.xml': 'warnings.xml', 'clean.xml': 'clean.xml', 'problems.xml': 'problems.xml' });
  assert.equal(run(root, 'check', 'clean.xml').out, '0 errors, 0 warnings in 1 files\n');
  const two = run(root, 'check', 'warnings.xml', 'clean.xml').out.split('\n');
  assert.deepEqual(two.map((l) => l.replace(/: Unknown.*/, '')), ['warnings.xml:2:15: warning unknown-step-type', 'warnings.xml:5:15: warning unknown-step-type', '0 errors, 2 warnings in 2 files', '']);
  const quiet = run(root, 'check', 'problems.xml', '--quiet').out.split('\n');
  assert.equal(quiet.length, 3);
  assert.match(quiet[0] ?? '', /^problems\.xml:5:25: error invalid-condition: /);
  assert.equal(quiet[1], '1 errors, 1 warnings in 1 files');
});

// ---- exit codes and files ----------------------------------------------------------------------

void test('exit 0 when clean, 1 with errors, 1 when warnings exceed --max-warnings, 0 within', () => {
  const root = workspace({ 'clean.xml': 'clean.xml', 'problems.xml': 'problems.xml', 'warnings.xml': 'warnings.xml' });
  assert.equal(run(root, 'check', 'clean.xml').code, 0);
  assert.equal(run(root, 'check', 'problems.xml').code, 1);
  assert.equal(run(root, 'check', 'warnings.xml').code, 0, 'warnings alone do not fail without --max-warnings');
  assert.equal(run(root, 'check', 'warnings.xml', '--max-warnings', '1').code, 1);
  assert.equal(run(root, 'check', 'warnings.xml', '--max-warnings', '2').code, 0);
  assert.equal(run(root, 'check', 'warnings.xml', '--max-warnings=0').code, 1);
  assert.equal(run(root, 'check', 'problems.xml', '--max-warnings', '5').code, 1, 'errors fail whatever the warning budget');
});

void test('exit 2 for a missing path, an unknown option, a bad --format or --max-warnings, and nothing on stdout', () => {
  const root = workspace({ 'clean.xml': 'clean.xml' });
  for (const argv of [
    ['check', 'missing.xml'],
    ['check', 'clean.xml', '--frobnicate'],
    ['check', 'clean.xml', '--format', 'xml'],
    ['check', 'clean.xml', '--format'],
    ['check', 'clean.xml', '--max-warnings', 'many'],
    ['check', 'clean.xml', '--site', 'no-such-site.json'],
    ['frobnicate'],
  ]) {
    const r = run(root, ...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '', argv.join(' '));
    assert.match(r.err, /^cmts: /, argv.join(' '));
  }
  assert.match(run(root, 'check', 'missing.xml').err, /missing\.xml/);
  assert.match(run(root, 'check', 'clean.xml', '--format', 'xml').err, /--format must be text, json or sarif, not "xml"/);
});

void test('exit 2 for a .cmts.json that is not valid JSON, which is reported in the output as a config entry', () => {
  const root = workspace({ 'configmgr-site.json': 'configmgr-site.json', 'clean.xml': 'clean.xml', '.cmts.json': '{ "rules": \n' });
  const { code, report } = json(root, 'check', 'clean.xml');
  assert.equal(code, 2);
  assert.deepEqual(report.files.map((f) => [f.path, f.flavour, f.diagnostics.map((d) => `${d.severity} ${d.rule}`)]), [
    ['clean.xml', 'sequence', []],
    ['.cmts.json', 'config', ['error invalid-config']],
  ]);
});

void test('exit 2 for a site description that cannot be used at all, said on stderr', () => {
  const root = workspace({ 'clean.xml': 'clean.xml', 'configmgr-site.json': '[]' });
  const { code, report, err } = json(root, 'check', 'clean.xml');
  assert.equal(code, 2);
  assert.equal(report.site, null);
  assert.match(err, /configmgr-site\.json" cannot be used/);
});

void test('a non-task-sequence XML named on the command line is an xml-syntax error at its root element', () => {
  const root = workspace({ 'unattend.xml': 'not-a-sequence.xml', 'sub/unattend.xml': 'not-a-sequence.xml' });
  const { code, report } = json(root, 'check', 'unattend.xml', 'sub');
  assert.equal(code, 1);
  assert.deepEqual(withoutMessages(report).files, [
    { path: 'unattend.xml', flavour: 'sequence', steps: 0, groups: 0, diagnostics: [{ rule: 'xml-syntax', severity: 'error', message: '…', range: range(1, 0, 1, 9), fixes: [] }] },
  ]);
  assert.match(report.files[0]?.diagnostics[0]?.message ?? '', /<unattend> is not a task sequence/);
  assert.deepEqual(report.summary, { files: 1, errors: 1, warnings: 0, infos: 0 });
});

void test('--site overrides the site description found next to the sequences', () => {
  const root = workspace({ 'seq/configmgr-site.json': 'broken-site.json', 'seq/clean.xml': 'clean.xml', 'other/site.json': 'configmgr-site.json' });
  const found = json(root, 'check', 'seq');
  assert.equal(found.report.site, 'seq/configmgr-site.json');
  assert.deepEqual(found.report.files.map((f) => f.flavour), ['sequence', 'site-description']);
  const given = json(root, 'check', 'seq', '--site', 'other/site.json');
  assert.equal(given.code, 0);
  assert.equal(given.report.site, 'other/site.json');
  assert.deepEqual(given.report.files.map((f) => f.path), ['seq/clean.xml']);
});

// ---- sarif -----------------------------------------------------------------------------------

function sarifValidator() {
  // The SARIF 2.1.0 (rtm.5) schema is draft-04: ajv 8 wants `$id` for `id`, and one of its
  // patterns ("]?" unescaped) is only valid without the u flag.
  const raw = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  const { id, $schema: _schema, ...schema } = raw;
  assert.equal(typeof id, 'string');
  assert.match(String(raw.title), /SARIF\) Version 2\.1\.0/);
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false });
  return ajv.compile({ $id: String(id), ...schema });
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri?: string; shortDescription: { text: string }; help: { markdown: string }; properties: { tags: string[] } }[] } };
    automationDetails: { id: string; description: { text: string } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: { ruleId: string; ruleIndex?: number; level: string; partialFingerprints: Record<string, string>; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[] }[];
  }[];
}

void test('sarif: valid against the SARIF 2.1.0 schema, one rule per check reported, one result per diagnostic', () => {
  const validate = sarifValidator();
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'the schema rejects a driver without a name');

  const root = workspace({ 'seq/problems.xml': 'problems.xml', 'seq/warnings.xml': 'warnings.xml', 'configmgr-site.json': 'broken-site.json' });
  const r = run(root, 'check', 'seq', '--format', 'sarif');
  assert.equal(r.code, 1);
  const log: unknown = JSON.parse(r.out);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));

  const sarif = log as SarifLog;
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs.length, 1);
  const run0 = sarif.runs[0];
  assert.ok(run0);
  assert.equal(run0.tool.driver.name, 'cmts');
  // The rules the run reports, in the registry's order, each once; every result points at its own.
  const reportedIds = new Set(run0.results.map((x) => x.ruleId));
  assert.deepEqual(run0.tool.driver.rules.map((x) => x.id), CHECKS.map((x) => x.id).filter((id) => reportedIds.has(id)));
  for (const x of run0.results) assert.equal(run0.tool.driver.rules[x.ruleIndex!]?.id, x.ruleId);
  for (const rule of run0.tool.driver.rules) {
    // No public repository in package.json (the placeholder owner): no helpUri at all, never a local path.
    assert.equal(rule.helpUri, publicRuleDocUrl(rule.id));
    assert.doesNotMatch(JSON.stringify(rule), /file:/);
    assert.ok(rule.shortDescription.text.length > 0);
    assert.match(rule.help.markdown, /\*\*Fix:\*\*/);
    assert.ok(rule.properties.tags.includes('task-sequence'));
  }
  assert.deepEqual(run0.automationDetails, { id: 'cmts/', description: { text: run0.automationDetails.description.text } });
  assert.equal(run0.originalUriBaseIds.SRCROOT?.uri, pathToFileURL(root).href + '/');
  const ruleAt = (id: string): number => run0.tool.driver.rules.findIndex((x) => x.id === id);
  assert.deepEqual(run0.results.map((x) => {
    const loc = x.locations[0]?.physicalLocation;
    return `${loc?.artifactLocation.uriBaseId}/${loc?.artifactLocation.uri}:${loc?.region.startLine}:${loc?.region.startColumn} ${x.level} ${x.ruleId}#${x.ruleIndex}`;
  }), [
    `SRCROOT/seq/problems.xml:5:25 error invalid-condition#${ruleAt('invalid-condition')}`,
    `SRCROOT/seq/problems.xml:13:19 warning unknown-step-type#${ruleAt('unknown-step-type')}`,
    `SRCROOT/seq/warnings.xml:2:15 warning unknown-step-type#${ruleAt('unknown-step-type')}`,
    `SRCROOT/seq/warnings.xml:5:15 warning unknown-step-type#${ruleAt('unknown-step-type')}`,
    `SRCROOT/configmgr-site.json:4:76 warning invalid-site-description#${ruleAt('invalid-site-description')}`,
  ]);
  for (const x of run0.results) assert.ok(x.message.text.length > 10);

  const odd = workspace({ 'configmgr-site.json': 'configmgr-site.json', 'build #2/deploy 1.xml': 'warnings.xml' });
  const oddLog = JSON.parse(run(odd, 'check', '--format', 'sarif').out) as SarifLog;
  assert.ok(validate(oddLog));
  assert.deepEqual([...new Set(oddLog.runs[0]?.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation.uri))], ['build%20%232/deploy%201.xml']);

  const quiet = JSON.parse(run(root, 'check', 'seq', '--format', 'sarif', '--quiet').out) as SarifLog;
  assert.ok(validate(quiet));
  assert.deepEqual(quiet.runs[0]?.results.map((x) => x.level), ['error']);
  // --quiet lists only the rules of the errors it reports.
  assert.deepEqual(quiet.runs[0]?.tool.driver.rules.map((x) => x.id), ['invalid-condition']);
});

void test('sarif: fingerprints are equal across two runs and when a line is inserted above the findings', () => {
  const validate = sarifValidator();
  const root = workspace({ 'seq/problems.xml': 'problems.xml', 'seq/warnings.xml': 'warnings.xml' });
  const prints = (): string[] => {
    const log = JSON.parse(run(root, 'check', 'seq', '--format', 'sarif').out) as SarifLog;
    assert.ok(validate(log), JSON.stringify(validate.errors));
    return log.runs[0]!.results.map((x) => `${x.ruleId} ${x.partialFingerprints[FINGERPRINT]}`);
  };
  const lineNumbers = (): number[] => (JSON.parse(run(root, 'check', 'seq/problems.xml', '--format', 'sarif').out) as SarifLog).runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.region.startLine);
  const before = lineNumbers();
  const first = prints();
  assert.ok(first.length >= 4);
  assert.equal(new Set(first).size, first.length, 'each finding its own fingerprint');
  assert.deepEqual(prints(), first);
  const file = join(root, 'seq', 'problems.xml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/(<sequence[^>]*>)/, '$1\n  <!-- a line inserted above every finding -->\n'));
  assert.deepEqual(lineNumbers(), before.map((n) => (n > 1 ? n + 2 : n)), 'the findings below the root moved two lines down');
  assert.deepEqual(prints(), first);
  // A finding that really changes gets another fingerprint.
  writeFileSync(file, text.replace('SMS_TaskSequence_RunCommandLinAction', 'SMS_TaskSequence_RunCommandLnAction'));
  assert.notDeepEqual(prints(), first);
});

void test('the public docs URL comes only from a public repository, never a placeholder', () => {
  assert.equal(repositoryFileUrl({ type: 'git', url: 'https://github.com/acme/cmts.git' }, 'docs/rules.md'), 'https://github.com/acme/cmts/blob/HEAD/docs/rules.md');
  assert.equal(repositoryFileUrl('git+https://gitlab.com/acme/cmts', 'docs/rules.md'), 'https://gitlab.com/acme/cmts/-/blob/HEAD/docs/rules.md');
  assert.equal(repositoryFileUrl('acme/cmts', 'x.md'), 'https://github.com/acme/cmts/blob/HEAD/x.md');
  for (const no of [undefined, null, 42, { url: 'https://github.com/TODO-OWNER/cmts.git' }, 'file:///home/me/cmts', 'http://github.com/a/b', 'https://example.com/a/b']) {
    assert.equal(repositoryFileUrl(no, 'docs/rules.md'), undefined, JSON.stringify(no));
  }
});

// ---- site init -------------------------------------------------------------------------------

const INITIAL_SITE = {
  // Only what the sequence says (site description version 2: a missing fact is unknown): no
  // product, version, names or distribution points, and no empty collections.
  site: { code: 'PS1' },
  bootImages: [{ packageId: 'PS100004' }],
  operatingSystemImages: [{ packageId: 'PS10001A' }],
  driverPackages: [{ packageId: 'PS100030' }],
  packages: [
    { packageId: 'PS100002', kind: 'client' },
    { packageId: 'PS100008', kind: 'usmt' },
    { packageId: 'PS100041' },
  ],
  taskSequences: [{ packageId: 'PS100050', name: 'Windows 11 refresh', file: 'deploy.xml', bootImageId: 'PS100004' }],
};

void test('site init lists every referenced ID under the kind its places accept, with no placeholder', () => {
  const root = workspace({ 'seq/deploy.xml': 'deploy.xml', 'seq/unattend.xml': 'not-a-sequence.xml' });
  const r = run(root, 'site', 'init', 'seq');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Wrote seq\/configmgr-site\.json for 1 task sequence;/);
  const text = readFileSync(join(root, 'seq', 'configmgr-site.json'), 'utf8');
  assert.deepEqual(JSON.parse(text), INITIAL_SITE);
  assert.doesNotMatch(text, /TODO/);
  // The generated file draws no finding of its own.
  const checked = JSON.parse(run(root, 'check', 'seq', '--format', 'json').out) as { files: { path: string; diagnostics: unknown[] }[] };
  assert.deepEqual(checked.files.filter((f) => f.path.endsWith('configmgr-site.json')).flatMap((f) => f.diagnostics), []);
});

void test('site init refuses to overwrite a site description (exit 2, file unchanged)', () => {
  const root = workspace({ 'deploy.xml': 'deploy.xml', 'configmgr-site.json': 'configmgr-site.json' });
  const file = join(root, 'configmgr-site.json');
  const before = readFileSync(file, 'utf8');
  const mtime = statSync(file).mtimeMs;
  const r = run(root, 'site', 'init');
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /configmgr-site\.json already exists/);
  assert.equal(readFileSync(file, 'utf8'), before);
  assert.equal(statSync(file).mtimeMs, mtime);
});

void test('site init --out writes elsewhere, with sequence paths relative to the written file', () => {
  const root = workspace({ 'seq/deploy.xml': 'deploy.xml', 'seq/configmgr-site.json': 'configmgr-site.json', 'sites/.keep': '' });
  const r = run(root, 'site', 'init', 'seq', '--out', 'sites/new-site.json');
  assert.equal(r.code, 0, r.err);
  const written = JSON.parse(readFileSync(join(root, 'sites', 'new-site.json'), 'utf8')) as typeof INITIAL_SITE;
  assert.deepEqual(written, { ...INITIAL_SITE, taskSequences: [{ ...INITIAL_SITE.taskSequences[0], file: '../seq/deploy.xml' }] });
  assert.equal(run(root, 'site', 'init', 'seq', '--out', 'sites/new-site.json').code, 2, 'and refuses to overwrite that one too');
  assert.equal(run(root, 'site', 'init', 'seq', '--quiet').code, 2, 'check options are not site init options');
});

// The built executable (npm test builds first): dist/cli.js answers --version by itself and hands
// every other command to dist/cliCore.js (issue 20: a light start).
test('dist/cli.js: --version from the small entry, commands through the command line bundle', () => {
  const repo = join(__dirname, '..', '..');
  const cli = join(repo, 'dist', 'cli.js');
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
  const version = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0);
  assert.equal(version.stdout, `${pkg.version}\n`);
  // The entry loads nothing else: neither the command line bundle nor a dependency.
  assert.ok(statSync(cli).size < 2000, `dist/cli.js is ${statSync(cli).size} bytes`);
  assert.doesNotMatch(readFileSync(cli, 'utf8'), /require\("(?!\.\/cliCore\.js")/);
  const dir = workspace({ 'ts.xml': 'clean.xml' });
  const check = spawnSync(process.execPath, [cli, 'check', 'ts.xml', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  assert.ok(check.status === 0 || check.status === 1, check.stderr);
  assert.equal((JSON.parse(check.stdout) as { files: unknown[] }).files.length, 1);
  const usage = spawnSync(process.execPath, [cli, 'nonsense'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown command/);
});
