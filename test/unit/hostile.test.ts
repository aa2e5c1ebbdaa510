// Hostile input (issue 9): truncated and mutated exports, binary junk, UTF-16 with and without a
// BOM, invalid UTF-8, a 50 MB file, 100,000 nested groups, DOCTYPE entity expansion and external
// entities, megabyte attribute values, site descriptions that are not JSON, huge or cyclic, unsafe
// .cmts.json paths, and each failure the fuzzer or these tests found (fixtures in
// test/fixtures/hostile/). Each case: no exception, a bounded time, a clear diagnostic at the
// right place. Also "nothing lost": the server's sources write no files and run nothing.
// Big inputs are generated here; time bounds are several times what was measured, for slow CI.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fsModule from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { checkText, MAX_CHECK_CHARS, MAX_DATA_CHARS, MAX_MESSAGE_CHARS, type CheckResult } from '../../server/src/analysis';
import { codeActionsFor } from '../../server/src/features/codeActions';
import { main } from '../../server/src/cli';
import { LineIndex } from '../../server/src/model/positions';
import { shortenLongText } from '../../server/src/model/longText';
import { MAX_DEPTH, MAX_PROBLEMS, parseTaskSequence } from '../../server/src/model/parse';
import { completionsAt } from '../../server/src/features/completion';
import { hoverAt } from '../../server/src/features/hover';
import { catalog } from '../../server/src/catalog';
import { loadConfig, loadSite } from '../../server/src/site';
import { MAX_JSON_PROBLEMS, MAX_SITE_CHARS } from '../../server/src/site/load';
import { findSiteFor } from '../../server/src/workspace/discover';
import { decode, readDecoded } from '../../server/src/workspace/files';
import { ALL_CHECK_IDS } from '../../server/src/checks';
import { markers, spanOf } from './helpers/markers';
import { mutate, Rng } from '../../scripts/fuzzMutate';

const REPO = join(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures');
const HOSTILE = join(FIXTURES, 'hostile');
const base = mkdtempSync(join(tmpdir(), 'cmts-hostile-'));
after(() => rmSync(base, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

// ---- helpers ------------------------------------------------------------------------------------

/**
 * Runs `fn`, fails when it takes more than `ms` of CPU time; returns its result and that time. CPU
 * time, not wall time: CI machines and `npm test` run next to other work, and a hang or a
 * quadratic blow-up shows in CPU time all the same.
 */
function timed<T>(what: string, ms: number, fn: () => T): { value: T; ms: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  const took = (cpu.user + cpu.system) / 1000;
  assert.ok(took < ms, `${what} took ${took.toFixed(0)} ms of CPU, ${(performance.now() - t0).toFixed(0)} ms in all (bound ${ms} ms)`);
  return { value, ms: took };
}

/** What must hold for any input: spans inside the text, short non-empty messages, no check that crashed. */
function assertSane(text: string, r: CheckResult, what = 'result'): void {
  for (const f of r.findings) {
    assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${what}: ${f.rule} span ${f.span.start}-${f.span.end} outside 0-${text.length}`);
    assert.ok(f.message.length > 0 && f.message.length <= MAX_MESSAGE_CHARS, `${what}: ${f.rule} message of ${f.message.length} characters`);
    assert.notEqual(f.rule, 'internal-error', `${what}: a check crashed: ${f.message}`);
  }
}

function check(text: string, ms: number, what: string): CheckResult {
  const r = timed(what, ms, () => checkText(text)).value;
  assertSane(text, r, what);
  return r;
}

let folders = 0;
/** A new folder holding these files (string or bytes). */
function workspace(files: Record<string, string | Uint8Array>): string {
  const root = join(base, `ws${++folders}`);
  mkdirSync(root, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

interface Run { code: number; out: string; err: string; ms: number }
function cli(cwd: string, ms: number, ...argv: string[]): Run {
  let out = '';
  let err = '';
  const r = timed(`cmts ${argv.join(' ')}`, ms, () => main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), cwd }));
  return { code: r.value, out, err, ms: r.ms };
}

interface JsonReport { files: { path: string; diagnostics: { rule: string; severity: string; message: string; range: { start: { line: number; character: number } } }[] }[] }
function cliJson(cwd: string, ms: number, ...argv: string[]): { run: Run; report: JsonReport } {
  const run = cli(cwd, ms, 'check', ...argv, '--format', 'json');
  return { run, report: JSON.parse(run.out) as JsonReport };
}

/**
 * The CLI in a child process with a deadline: for inputs that would block the process if read.
 * It runs in the repository (where tsx resolves); `files` are made absolute under `cwd`.
 */
function cliProcess(cwd: string, ms: number, files: string | string[], ...flags: string[]): { status: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const paths = (typeof files === 'string' ? [files] : files).map((f) => join(cwd, f));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'server/src/cli.ts'), 'check', ...paths, ...flags], { cwd: REPO, timeout: ms, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
}

/** Every path the process looks at through `fs` while `fn` runs. */
function fsPaths(fn: () => void): string[] {
  const seen: string[] = [];
  const names = ['openSync', 'readFileSync', 'statSync', 'lstatSync', 'existsSync', 'readdirSync', 'accessSync', 'realpathSync', 'opendirSync', 'createReadStream'] as const;
  // The module object itself (the default import; an `import * as` namespace has getters only): what cli.ts and files.ts call through.
  const mod = fsModule as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = names.map((n) => mod[n]);
  names.forEach((n, i) => {
    mod[n] = (...a: unknown[]) => {
      seen.push(String(a[0]));
      return saved[i].apply(mod, a);
    };
  });
  try {
    fn();
  } finally {
    names.forEach((n, i) => void (mod[n] = saved[i]));
  }
  return seen;
}

function fixtureTexts(dirs: string[]): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const d of dirs) {
    for (const f of readdirSync(join(FIXTURES, d)).sort()) if (f.endsWith('.xml')) out.push({ name: `${d}/${f}`, text: readFileSync(join(FIXTURES, d, f), 'utf8') });
  }
  return out;
}

const RUN_COMMAND = '<step type="SMS_TaskSequence_RunCommandLineAction" name="Run" description="" runIn="WinPEandFullOS" successCodeList="0">'
  + '<action>cmd.exe /c echo ok</action><defaultVarList><variable name="CommandLine" property="CommandLine">cmd.exe /c echo ok</variable></defaultVarList></step>';

function runTs(id: string): string {
  return `<subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run ${id}" description="" successCodeList="0"><action>SubTasksequence.exe</action>`
    + `<defaultVarList><variable name="OSDSubTasksequencePackageID" property="TsPackageID">${id}</variable></defaultVarList></subtasksequence>`;
}

// ---- truncated and mutated exports ----------------------------------------------------------------

describe('truncated and mutated exports', () => {
  test('every fixture cut at 30 places: no exception, and an error wherever the root is left open', () => {
    for (const { name, text } of fixtureTexts(['model', 'cli'])) {
      const rootEnd = text.lastIndexOf('>') + 1;
      const rootStart = text.search(/<[A-Za-z]/);
      for (let k = 1; k < 30; k++) {
        const cut = Math.floor((text.length * k) / 30);
        const part = text.slice(0, cut);
        const r = check(part, 2000, `${name} cut at ${cut}`);
        if (cut > rootStart && cut < rootEnd) {
          assert.ok(r.findings.some((f) => f.rule === 'xml-syntax' && f.severity === 'error'), `${name} cut at ${cut}: no xml-syntax error`);
        }
      }
    }
  });

  test('the diagnostic of a truncated file is where the file breaks off, and the steps before it are kept', () => {
    const cases = [
      // Ends after a complete step: the innermost element still open is the group.
      `<sequence version="3.10">\n  ⟦at|<group⟧ name="Prepare">\n    ${RUN_COMMAND}\n`,
      // Ends inside a start tag.
      `<sequence version="3.10">\n  ${RUN_COMMAND}\n  ⟦at|<step type="SMS_TaskSequence_RebootAction" name="Rest⟧`,
      // Ends inside an attribute value of many characters: the tag is reported, not the rest of the file.
      `<sequence version="3.10">\n  ${RUN_COMMAND}\n  ⟦at|<step type="SMS_TaskSequence_RunCommandLineAction" name="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa⟧aaaa`,
      // Ends inside a comment.
      `<sequence version="3.10">\n  ${RUN_COMMAND}\n  ⟦at|<!-- cmts-disable-n⟧`,
      // Ends inside the CDATA of an object.xml: the tag inside the CDATA.
      `<INSTANCE CLASSNAME="SMS_TaskSequencePackage"><PROPERTY NAME="Sequence" TYPE="string"><VALUE><![CDATA[<sequence version="3.10">${RUN_COMMAND}⟦at|<step type="SMS_TaskSequence_Reb⟧`,
    ];
    for (const raw of cases) {
      const m = markers(raw);
      const at = spanOf(m, 'at');
      const r = check(m.text, 2000, raw.slice(-40));
      const first = r.findings.filter((f) => f.rule === 'xml-syntax' && f.severity === 'error');
      assert.ok(first.some((f) => f.span.start === at.start), `a diagnostic at ${at.start} for ${JSON.stringify(raw.slice(-60))}: ${JSON.stringify(first.map((f) => [f.span.start, f.message]))}`);
      assert.ok(first.every((f) => f.span.end - f.span.start <= 250), 'the range stays on the broken tag');
      assert.equal(r.model.steps[0]?.name, 'Run', 'the step before the break is in the model');
    }
  });

  test('200 seeded mutations of the fixtures (npm run fuzz does thousands): no exception, each within 2 s, sane findings', () => {
    const sources = fixtureTexts(['model', 'cli', 'hostile']);
    for (let i = 0; i < 200; i++) {
      const src = sources[i % sources.length];
      const m = mutate(Buffer.from(src.text), 'xml', new Rng(9, i));
      const d = decode(m.bytes);
      check(d.text, 2000, `${src.name} ${m.steps.join(', ')}`);
    }
  });
});

// ---- bytes and encodings ------------------------------------------------------------------------------

describe('binary junk, UTF-16 and invalid UTF-8', () => {
  test('a megabyte of random bytes: decoded with a diagnostic at the first bad byte, checked without exception', () => {
    const rng = new Rng(7);
    const junk = Uint8Array.from({ length: 1024 * 1024 }, () => rng.int(256));
    const d = decode(junk);
    assert.ok(d.invalid, 'junk is flagged as not valid in its encoding');
    assert.equal(d.text[d.invalidAt ?? -1], '\ufffd', 'invalidAt is the first replacement character');
    check(d.text, 3000, 'junk');
    const root = workspace({ 'junk.xml': junk });
    const { run, report } = cliJson(root, 5000, 'junk.xml');
    assert.equal(run.code, 1);
    const bad = report.files[0].diagnostics.find((x) => /not valid UTF-8/.test(x.message));
    assert.ok(bad, 'the CLI says the file is not valid UTF-8, though it is no task sequence');
    assert.deepEqual(bad.range.start, new LineIndex(d.text).positionAt(d.invalidAt ?? 0));
  });

  test('UTF-16 LE and BE, with and without a BOM, with a declaration or leading whitespace: decoded and checked like UTF-8', () => {
    const text = readFileSync(join(FIXTURES, 'cli', 'problems.xml'), 'utf8');
    const le = (t: string): Buffer => Buffer.from(t, 'utf16le');
    const be = (t: string): Buffer => Buffer.from(t, 'utf16le').swap16();
    const variants: Record<string, [Buffer, number]> = {
      'le-bom.xml': [Buffer.concat([Buffer.from([0xff, 0xfe]), le(text)]), 0],
      'le.xml': [le(text), 0],
      'be-bom.xml': [Buffer.concat([Buffer.from([0xfe, 0xff]), be(text)]), 0],
      'be.xml': [be(text), 0],
      'le-ws.xml': [le(`\r\n${text}`), 1],
      'be-ws.xml': [be(`\n${text}`), 1],
      'le-decl.xml': [le(`<?xml version="1.0" encoding="utf-16"?>\r\n${text}`), 1],
    };
    for (const lead of [' ', '\t', '\r\n', '\n', '<']) {
      assert.equal(decode(le(`${lead}<a/>`)).text, `${lead}<a/>`, `UTF-16LE starting ${JSON.stringify(lead)}`);
      assert.equal(decode(be(`${lead}<a/>`)).text, `${lead}<a/>`, `UTF-16BE starting ${JSON.stringify(lead)}`);
    }
    const root = workspace({ 'utf8.xml': text, ...Object.fromEntries(Object.entries(variants).map(([k, [b]]) => [k, b])) });
    const expected = cliJson(root, 5000, 'utf8.xml').report.files[0].diagnostics;
    assert.ok(expected.length >= 2, 'the fixture has findings to compare');
    for (const [name, [, shift]] of Object.entries(variants)) {
      const got = cliJson(root, 5000, name).report.files[0].diagnostics;
      assert.deepEqual(got.map((x) => [x.rule, x.message, x.range.start.line - shift, x.range.start.character]), expected.map((x) => [x.rule, x.message, x.range.start.line, x.range.start.character]), name);
    }
  });

  test('invalid UTF-8 and invalid UTF-16: a diagnostic saying so at the first bad byte, and the checks still run', () => {
    const text = readFileSync(join(FIXTURES, 'cli', 'problems.xml'), 'utf8');
    const at = text.indexOf('RunCommandLinAction');
    const bad8 = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(at))]);
    const bad16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(0, at), 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from(text.slice(at), 'utf16le')]);
    const root = workspace({ 'bad8.xml': bad8, 'bad16.xml': bad16 });
    for (const [file, words] of [['bad8.xml', /not valid UTF-8/], ['bad16.xml', /not valid UTF-16/]] as const) {
      const { run, report } = cliJson(root, 5000, file);
      assert.equal(run.code, 1);
      const ds = report.files[0].diagnostics;
      const d = ds.find((x) => words.test(x.message));
      assert.ok(d, `${file}: a diagnostic says the bytes are invalid`);
      assert.equal(d.severity, 'error');
      assert.deepEqual(d.range.start, new LineIndex(text).positionAt(at), `${file}: at the bad byte`);
      assert.ok(ds.some((x) => x.rule === 'invalid-condition'), `${file}: the other checks still run`);
    }
  });
});

// ---- size ----------------------------------------------------------------------------------------

describe('size', () => {
  test('a 50 MB file: "too large to check" at once, in the core and through the CLI, sequence or not', () => {
    const big = `<sequence version="3.10">${RUN_COMMAND.repeat(Math.ceil((50 * 1024 * 1024) / RUN_COMMAND.length))}</sequence>`;
    assert.ok(big.length > MAX_CHECK_CHARS);
    const r = check(big, 1000, '50 MB').findings;
    assert.equal(r.length, 1);
    assert.equal(r[0].rule, 'sequence-size');
    assert.match(r[0].message, /too large to check \(5\d\.\d MB/);
    assert.deepEqual(r[0].span, { start: 0, end: 1 });
    // Junk the sniffer does not take for a sequence: the size guard comes first there too.
    const junk = Buffer.alloc(MAX_CHECK_CHARS + 1024, 0x41);
    const root = workspace({ 'big.xml': big, 'junk.xml': junk });
    for (const file of ['big.xml', 'junk.xml']) {
      const { report } = cliJson(root, 10_000, file);
      const ds = report.files[0].diagnostics;
      assert.deepEqual(ds.map((x) => x.rule), ['sequence-size'], file);
      assert.match(ds[0].message, /too large to check/);
    }
  });

  test('a 2 MB export (the most the site accepts) of real steps is checked in bounded time', (t) => {
    const src = readFileSync(join(FIXTURES, 'cli', 'deploy.xml'), 'utf8');
    const inner = src.slice(src.indexOf('<group'), src.lastIndexOf('</sequence>'));
    const text = `<sequence version="3.10">${inner.repeat(Math.ceil((2 * 1024 * 1024) / inner.length))}</sequence>`;
    const r = timed('2 MB export', 20_000, () => checkText(text));
    assertSane(text, r.value, '2 MB export');
    assert.ok(r.value.model.steps.length > 1000);
    t.diagnostic(`2 MB, ${r.value.model.steps.length} steps: ${r.ms.toFixed(0)} ms of CPU`);
  });

  test('a file named on the command line that is not a regular file, or too large to read, is an I/O problem, not a hang', { skip: !posix }, () => {
    const r = cliProcess('/dev', 20_000, 'zero');
    assert.equal(r.timedOut, false, 'reading /dev/zero never ends');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read "[^"]*zero": it is not a regular file/);
    // A sparse file of 129 MB: refused from its size, never read into memory.
    const root = workspace({ 'huge.xml': '' });
    truncateSync(join(root, 'huge.xml'), 129 * 1024 * 1024);
    const run = cli(root, 2000, 'check', 'huge.xml');
    assert.equal(run.code, 2);
    assert.match(run.err, /cannot read "huge\.xml": it is too large to read \(129 MB; cmts reads files up to 128 MB\)/);
  });
});

// ---- depth -----------------------------------------------------------------------------------------

describe('nesting', () => {
  const N = 100_000;
  test('100,000 nested groups, closed or not: no stack overflow, bounded time, the first too-deep group reported', () => {
    for (const closed of [true, false]) {
      const text = `<sequence version="3.10">${'<group name="g">'.repeat(N)}${RUN_COMMAND}${closed ? '</group>'.repeat(N) + '</sequence>' : ''}`;
      const r = check(text, 5000, `${N} nested groups${closed ? '' : ', unclosed'}`);
      const deep = r.findings.find((f) => /nested more than 256 levels/.test(f.message));
      assert.ok(deep, 'the depth limit is reported');
      const at = '<sequence version="3.10">'.length + (MAX_DEPTH - 1) * '<group name="g">'.length;
      assert.equal(deep.span.start, at, 'at the start tag that goes too deep');
      assert.equal(r.model.groups.length, MAX_DEPTH - 1, 'the groups up to the limit are read');
    }
  });

  test('100,000 nested condition operators and 100,000 nested elements inside an object.xml CDATA', () => {
    const ops = `<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="r"><condition>${'<operator type="and">'.repeat(N)}</condition></step></sequence>`;
    check(ops, 5000, 'nested operators');
    const obj = `<INSTANCE CLASSNAME="SMS_TaskSequencePackage"><PROPERTY NAME="Sequence" TYPE="string"><VALUE><![CDATA[<sequence version="3.10">${'<group>'.repeat(N)}]]></VALUE></PROPERTY></INSTANCE>`;
    const r = check(obj, 5000, 'nested in CDATA');
    assert.ok(r.findings.some((f) => /nested more than/.test(f.message)));
  });
});

// ---- DOCTYPE -------------------------------------------------------------------------------------

describe('DOCTYPE: nothing expanded, nothing read', () => {
  const laughs = `<?xml version="1.0"?>\n⟦doctype|<!DOCTYPE sequence [\n  <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>⟧\n<sequence version="3.10">\n  <step type="SMS_TaskSequence_RunCommandLineAction" name="⟦ref|&lol9;⟧">\n    <action>x</action>\n  </step>\n</sequence>\n`;

  test('billion laughs: reported at the DOCTYPE, the reference stays a reference, in milliseconds', () => {
    const m = markers(laughs);
    const r = check(m.text, 500, 'billion laughs');
    const doctype = r.findings.find((f) => f.span.start === spanOf(m, 'doctype').start);
    assert.ok(doctype && /DOCTYPE has no place/.test(doctype.message), 'the DOCTYPE is reported where it is');
    assert.deepEqual(doctype.span, spanOf(m, 'doctype'));
    assert.equal(r.model.steps[0].name, '&lol9;', 'not expanded');
    const unknown = r.findings.find((f) => /Unknown entity &lol9;/.test(f.message));
    assert.deepEqual(unknown?.span, spanOf(m, 'ref'), 'the undefined entity is reported at the reference');
    assert.ok(JSON.stringify(r).length < 100_000, 'nothing grew');
  });

  test('external entities and DTDs (file, FIFO, http, parameter entities): not read, through the core and the CLI', () => {
    const secret = `cmts-secret-${Date.now()}`;
    const root = workspace({ 'secret.txt': secret, 'evil.dtd': `<!ENTITY leak "${secret}">` });
    const fifo = join(root, 'fifo');
    if (posix) spawnSync('mkfifo', [fifo]);
    const docs = [
      `<!DOCTYPE s [<!ENTITY x SYSTEM "${join(root, 'secret.txt')}">]><sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="&x;"><action>&x;</action></step></sequence>`,
      `<!DOCTYPE s [<!ENTITY x SYSTEM "file://${join(root, 'secret.txt')}">]><sequence version="3.10"><step name="a">&x;</step></sequence>`,
      `<!DOCTYPE s [<!ENTITY x SYSTEM "${fifo}">]><sequence version="3.10"><step name="&x;"/></sequence>`,
      `<!DOCTYPE s [<!ENTITY % p SYSTEM "${join(root, 'evil.dtd')}"> %p;]><sequence version="3.10"><step name="&leak;"/></sequence>`,
      `<!DOCTYPE s SYSTEM "${join(root, 'evil.dtd')}"><sequence version="3.10"><step name="&leak;"/></sequence>`,
      `<!DOCTYPE s PUBLIC "-//x//y" "http://127.0.0.1:9/evil.dtd"><sequence version="3.10"><step name="&leak;"/></sequence>`,
      `<!DOCTYPE s [<!ENTITY x SYSTEM "/nonexistent/\u0000/throws">]><sequence version="3.10"><step name="&x;"/></sequence>`,
    ];
    docs.forEach((text, i) => {
      let r: CheckResult | undefined;
      const paths = fsPaths(() => void (r = check(text, 1000, `external entity ${i}`)));
      assert.deepEqual(paths, [], 'the core touches no file');
      assert.ok(!JSON.stringify(r).includes(secret), 'the secret is nowhere in the result');
      assert.ok(r!.findings.some((f) => /DOCTYPE has no place/.test(f.message)));
      writeFileSync(join(root, `x${i}.xml`), text);
      let run: Run | undefined;
      const cliPaths = fsPaths(() => void (run = cli(root, 5000, 'check', `x${i}.xml`, '--format', 'json')));
      assert.ok(!run!.out.includes(secret) && !run!.err.includes(secret), 'the secret is nowhere in the CLI output');
      assert.ok(cliPaths.some((p) => p.endsWith(`x${i}.xml`)), 'the spy sees the CLI read the sequence itself');
      const touched = cliPaths.filter((p) => /secret|evil|fifo|nonexistent|127\.0\.0\.1/.test(p));
      assert.deepEqual(touched, [], 'the CLI looks at none of the entity targets');
    });
    // A FIFO blocks whoever opens it: the CLI in its own process must still finish.
    if (posix) {
      const p = cliProcess(root, 20_000, 'x2.xml');
      assert.equal(p.timedOut, false, 'the CLI did not block on the FIFO');
      assert.equal(p.status, 1);
    }
  });
});

// ---- long values ------------------------------------------------------------------------------------

describe('megabyte values', () => {
  test('attribute values and texts of megabytes: bounded time, right spans, messages cut short', () => {
    const mb = 'A'.repeat(2 * 1024 * 1024);
    const cases = [
      `<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="⟦v|${mb}⟧"/></sequence>`,
      `<sequence version="3.10"><step type="⟦v|${mb}⟧" name="x"/></sequence>`,
      `<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="x"><action>⟦v|${mb}⟧</action></step></sequence>`,
      `<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="x"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">⟦v|${mb}⟧</variable></expression></condition></step></sequence>`,
    ];
    for (const raw of cases) {
      const m = markers(raw);
      const r = check(m.text, 5000, raw.slice(0, 70));
      const v = spanOf(m, 'v');
      for (const f of r.findings) if (f.span.start >= v.start && f.span.start < v.end) assert.ok(f.span.end <= v.end, `${f.rule} stays inside the value`);
    }
  });

  test('long texts between tags: read in full, and every element after them where it is (fxp sees them shortened)', () => {
    const long = 'QUJD'.repeat(1024 * 1024);
    const raw = `<sequence version="3.10">\r\n${RUN_COMMAND.replace('cmd.exe /c echo ok</action>', `${long}</action>`)}\r\n${'x'.repeat(10_000)}<!-- ${'y'.repeat(10_000)} -->\r\n  ⟦second|<step⟧ type="SMS_TaskSequence_RebootAction" name="⟦name|Restart⟧"/>${'z'.repeat(5000)}⟦group|<group⟧ name="g"/></sequence>`;
    const m = markers(raw);
    const r = check(m.text, 4000, '4 MB of text in an action');
    assert.equal(r.model.steps[0].action?.text, long);
    assert.equal(r.model.steps[1].span.start, spanOf(m, 'second').start);
    assert.deepEqual(r.model.steps[1].attrs.name?.span, spanOf(m, 'name'));
    assert.equal(r.model.groups[0].span.start, spanOf(m, 'group').start);
  });

  test('shortenLongText: every tag fxp sees maps back to the same tag in the source', () => {
    const rng = new Rng(5);
    for (let n = 0; n < 50; n++) {
      let src = '';
      while (src.length < 70_000) {
        src += rng.pick(['<a x="1>2">', '</a>', '<!-- c > d -->', '<![CDATA[ <x> ]]>', '<?pi ?>', '\r\n', 'text', '>', '"', 'Z'.repeat(rng.size(20_000))]);
      }
      const s = shortenLongText(src);
      if (!s) continue;
      assert.ok(s.text.length < src.length);
      for (let i = s.text.indexOf('<'); i >= 0; i = s.text.indexOf('<', i + 1)) {
        const o = s.original(i);
        assert.equal(src.slice(o, o + 12), s.text.slice(i, i + 12), `tag at ${i} maps to ${o}`);
      }
      assert.equal(s.original(s.text.length), src.length);
    }
  });

  test('a megabyte of bare "&": at most MAX_PROBLEMS problems, then one saying so (was 9 s and a stack overflow)', () => {
    const text = `<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="${'&'.repeat(1024 * 1024)}"/></sequence>`;
    const r = check(text, 3000, 'bare ampersands');
    const syntax = r.findings.filter((f) => f.rule === 'xml-syntax');
    assert.equal(syntax.length, MAX_PROBLEMS + 1);
    assert.ok(syntax.some((f) => /More than 1000 XML problems/.test(f.message)));
    assert.equal(r.model.steps.length, 1, 'the model is kept');
  });

  test('one element with 50,000 attributes (the well-formedness pre-check was quadratic)', () => {
    const attrs = Array.from({ length: 50_000 }, (_, i) => ` a${i}="v"`).join('');
    check(`<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction"${attrs}/></sequence>`, 3000, 'many attributes');
  });

  test('many suppression comments and many findings, long runs of comments, long comments (were quadratic)', () => {
    const unknown = '<step type="NotAStep" name="s"/>';
    // 10,000 of each took 10 to 40 s before (quadratic); now well under a second.
    check(`<sequence version="3.10">${`<!-- cmts-disable unknown-step-type -->${unknown}`.repeat(10_000)}</sequence>`, 4000, 'file-wide suppressions');
    check(`<sequence version="3.10">${`<!-- cmts-disable-next-line unknown-step-type -->${unknown}`.repeat(10_000)}</sequence>`, 4000, 'next-line suppressions');
    check(`<sequence version="3.10">${'<!-- cmts-disable-next-line unknown-step-type -->\n'.repeat(10_000)}${unknown}</sequence>`, 4000, 'a run of comments');
    const r = check(`<sequence version="3.10"><!-- cmts-disable-next-line unknown-step-type${' '.repeat(200_000)}x -->${unknown}</sequence>`, 2000, 'a long comment');
    assert.ok(r.findings.some((f) => f.rule === 'unused-suppression' && /"x" is not a cmts check id/.test(f.message)));
    check(`<sequence version="3.10">${unknown.repeat(20_000)}</sequence>`, 5000, 'the same unknown step type 20,000 times');
  });
});

// ---- found by the fuzzer ------------------------------------------------------------------------------

describe('fixtures found by the fuzzer (test/fixtures/hostile)', () => {
  test('a line break or terminal escape in a value: the text report keeps one line per diagnostic', () => {
    const text = readFileSync(join(HOSTILE, 'newline-in-message.xml'), 'utf8');
    const root = workspace({ 'case.xml': text });
    const run = cli(root, 5000, 'check', 'case.xml');
    const lines = run.out.split('\n').filter((l) => l);
    const summary = lines.pop()!;
    assert.match(summary, /^\d+ errors, \d+ warnings in 1 files$/);
    assert.ok(lines.length >= 2);
    for (const l of lines) assert.match(l, /^case\.xml:\d+:\d+: (error|warning|info) [\w-]+: /);
    assert.ok(lines.some((l) => l.includes('Run\\nCommand') || l.includes('\\n')), 'the line break is written as \\n');
    assert.ok(!run.out.includes('\u001b'), 'no escape character reaches the terminal');
    const json = cliJson(root, 5000, 'case.xml').report;
    assert.ok(json.files[0].diagnostics.some((d) => d.message.includes('\n')), 'JSON keeps the message as it is');
  });
});

// ---- site descriptions and .cmts.json --------------------------------------------------------------

describe('fixtures found by the fuzzer: editor features', () => {
  test('a megabyte of "<" inside a start tag: completion anywhere in bounded time (was 3 to 9 s a request)', () => {
    const text = readFileSync(join(HOSTILE, 'lt-run.xml'), 'utf8').replace('LT-RUN', '<'.repeat(1024 * 1024));
    const { model } = parseTaskSequence(text);
    // First what a long-lived server has seen: hundreds of mutated files. After them V8 no longer
    // optimized the scan, and the run of "<" took seconds again (seed 3, cases 9794, 9795, 42273).
    const rng = new Rng(5);
    const rules = readdirSync(join(FIXTURES, 'rules')).map((d) => `rules/${d}`);
    for (const f of fixtureTexts(rules).slice(0, 150)) {
      const mutated = decode(mutate(new TextEncoder().encode(f.text), 'xml', rng).bytes).text;
      for (let k = 0; k < 5; k++) completionsAt({ model: parseTaskSequence(mutated).model, text: mutated, offset: rng.int(mutated.length + 1), site: undefined, catalog });
    }
    for (const at of [text.indexOf('<<') + 10, text.length / 2, text.indexOf('<action>') + 3, text.lastIndexOf('<step'), text.length]) {
      timed(`completion at ${at}`, 1500, () => completionsAt({ model, text, offset: Math.floor(at), site: undefined, catalog }));
    }
  });
});

describe('fixtures found by the fuzzer: hover', () => {
  test('hover on a 300 KB variable name among thousands of variables: bounded time (was seconds)', () => {
    const big = 'X'.repeat(300_000);
    const step = (n: number) => `<step type="SMS_TaskSequence_SetVariableAction" name="Set ${n}" description="" runIn="WinPEandFullOS" successCodeList="0">`
      + `<action>tsenv.exe "V${n}=${n}"</action><defaultVarList><variable name="VariableName" property="VariableName">V${n}</variable>`
      + `<variable name="VariableValue" property="VariableValue">${n}</variable></defaultVarList></step>`;
    let body = '';
    for (let i = 0; i < 2000; i++) body += step(i);
    const text = `<sequence version="3.10"><globalVarList><variable name="${big}">1</variable></globalVarList>${body}</sequence>`;
    const { model } = parseTaskSequence(text);
    const h = timed('hover on the long name', 500, () => hoverAt(model, text.indexOf(big) + 10, undefined, catalog, text)).value;
    assert.ok(h, 'a hover');
  });
});

describe('fixtures found by the fuzzer: fix data', () => {
  test('a megabyte-long "content ID": its findings carry no megabyte of fix data, and their code actions stay small (were seconds a request)', () => {
    const text = readFileSync(join(HOSTILE, 'huge-id.xml'), 'utf8').replaceAll('HUGE-ID', 'é😀'.repeat(333_000));
    const site = loadSite(readFileSync(join(__dirname, '..', 'fixtures', 'cli', 'configmgr-site.json'), 'utf8'));
    const env = { site, sitePath: '/ws/configmgr-site.json' };
    const r = timed('check', 3000, () => checkText(text, env)).value;
    assert.ok(r.findings.some((f) => f.rule === 'unknown-content' && f.span.end - f.span.start > 900_000), 'the huge ID is reported');
    for (const f of r.findings) {
      assert.ok(f.message.length <= MAX_MESSAGE_CHARS, `${f.rule}: message of ${f.message.length}`);
      assert.ok(f.data === undefined || JSON.stringify(f.data).length <= MAX_DATA_CHARS, `${f.rule}: data of ${JSON.stringify(f.data)?.length}`);
      const fixes = timed(`fixes for ${f.rule}`, 500, () => codeActionsFor(text, r.model, { rule: f.rule, span: f.span, ...(f.data ? { data: f.data } : {}) }, env)).value;
      assert.ok(JSON.stringify(fixes).length < 64 * 1024, `${f.rule}: fixes of ${JSON.stringify(fixes).length} characters`);
    }
    // An ordinary ID beside it keeps its data and its fixes.
    const plain = checkText(readFileSync(join(HOSTILE, 'huge-id.xml'), 'utf8').replaceAll('HUGE-ID', 'CEN0009Z'), env);
    assert.ok(plain.findings.some((f) => f.rule === 'unknown-content' && f.data !== undefined));
  });
});

describe('fixtures found by the fuzzer: site descriptions', () => {
  test('1,200 unclosed objects in a site description: 1,000 problems and one saying how many more (were 14,000 and 2 s in the server)', () => {
    const text = readFileSync(join(HOSTILE, 'site-many-problems.json'), 'utf8');
    const loaded = timed('site-many-problems.json', 2000, () => loadSite(text)).value;
    assert.equal(loaded.problems.length, MAX_JSON_PROBLEMS + 1);
    assert.match(loaded.problems[MAX_JSON_PROBLEMS].message, /^\d+ more problems after this one are not reported/);
    const root = workspace({ 'configmgr-site.json': text, 'case.xml': '<sequence version="3.10"/>' });
    const { report } = cliJson(root, 5000, 'case.xml');
    const site = report.files.find((f) => f.path === 'configmgr-site.json');
    assert.equal(site?.diagnostics.length, MAX_JSON_PROBLEMS + 1);
  });
});

describe('site descriptions', () => {
  const seq = `<sequence version="3.10">${RUN_COMMAND}</sequence>`;

  test('not JSON (XML, binary, empty, deeply nested): problems in the file, and the CLI says the site cannot be used', () => {
    const rng = new Rng(3);
    const cases: Record<string, string | Uint8Array> = {
      xml: '<sequence version="3.10"/>',
      binary: Uint8Array.from({ length: 4096 }, () => rng.int(256)),
      empty: '',
      nested: '['.repeat(200_000),
      nestedObjects: '{"a":'.repeat(100_000),
      // Cut off: 20,000 entries and the list never closed (each entry is closed, so it is not deep).
      unclosed: `{"site": {"code": "PS1"}, "packages": [${'{"packageId": "PS100001"}, '.repeat(20_000)}`,
      // 20,000 objects each left open: 20,000 levels deep, refused like the other nested cases.
      nestedUnclosed: `{"site": {"code": "PS1"}, "packages": [${'{"packageId": "PS100001", '.repeat(20_000)}`,
    };
    for (const [name, content] of Object.entries(cases)) {
      const text = typeof content === 'string' ? content : decode(content).text;
      const loaded = timed(name, 3000, () => loadSite(text)).value;
      assert.ok(loaded.problems.length >= 1 && loaded.problems.length <= MAX_JSON_PROBLEMS + 1, `${name}: ${loaded.problems.length} problems`);
      assert.ok(loaded.problems.every((p) => p.message && p.span.start >= 0 && p.span.end <= text.length), name);
      if (name.startsWith('nested')) {
        // Refused before jsonc-parser recurses (a worker thread's stack overflowed at 15,000 levels):
        // the problem sits on the bracket that opens level 65.
        const deep = loaded.problems.find((p) => /nested more than 64 levels/.test(p.message));
        assert.ok(deep, `${name}: ${loaded.problems[0]?.message}`);
        if (name !== 'nestedUnclosed') assert.equal(deep.span.start, name === 'nested' ? 64 : 64 * 5);
      }
      const root = workspace({ 'configmgr-site.json': content, 'case.xml': seq });
      const run = cli(root, 5000, 'check', 'case.xml', '--format', 'json');
      // Unusable: said on stderr (exit 2). A truncated file whose entries could be read is used,
      // and its problems are listed as a file of their own.
      if (name === 'unclosed') {
        assert.equal(run.code, 1, name);
        assert.ok((JSON.parse(run.out) as JsonReport).files.some((f) => f.path === 'configmgr-site.json' && f.diagnostics.length > 0));
      } else {
        assert.equal(run.code, 2, name);
        assert.match(run.err, /the site description "configmgr-site.json" cannot be used/, name);
      }
    }
  });

  test('20 MB of entries: loaded in bounded time and used; over 32 MB: "too large to load"', () => {
    const dps = Array.from({ length: 40 }, (_, i) => `"DP${i}.corp.example.com"`).join(',');
    const entries = [];
    for (let i = 0; i < 21_000; i++) entries.push(`{"packageId":"PS1${i.toString(16).toUpperCase().padStart(5, '0')}","name":"Package ${i}","distributionPoints":[${dps}]}`);
    const text = `{"site":{"code":"PS1","product":"ConfigMgr CB","version":"2309"},"packages":[${entries.join(',\n')}]}`;
    assert.ok(text.length > 20 * 1024 * 1024, `${(text.length / 1024 / 1024).toFixed(1)} MB`);
    const root = workspace({ 'configmgr-site.json': text, 'case.xml': seq });
    const run = cli(root, 60_000, 'check', 'case.xml', '--format', 'json');
    const report = JSON.parse(run.out) as JsonReport & { site: string };
    assert.equal(report.site, 'configmgr-site.json', 'the site is used');
    assert.deepEqual(report.files.map((f) => f.path), ['case.xml'], 'it has no problems of its own');
    const huge = ' '.repeat(MAX_SITE_CHARS + 1);
    const r = timed('33 MB site', 500, () => loadSite(huge)).value;
    assert.match(r.problems[0].message, /too large to load \(32\.0 MB/);
  });

  test('cycles and fan-out of Run Task Sequence through taskSequences[].file: no hang, no overflow', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `PS1${(0xa00 + i).toString(16).toUpperCase()}0`);
    const site = (files: [string, string][]): string => JSON.stringify({
      site: { code: 'PS1', product: 'ConfigMgr CB', version: '2309' },
      taskSequences: files.map(([id, file]) => ({ packageId: id, name: `TS ${id}`, file })),
    });
    const layouts: Record<string, Record<string, string>> = {
      // A runs B, B runs A.
      'two-cycle': { 'configmgr-site.json': site([[ids[0], 'a.xml'], [ids[1], 'b.xml']]), 'a.xml': `<sequence version="3.10">${runTs(ids[1])}</sequence>`, 'b.xml': `<sequence version="3.10">${runTs(ids[0])}</sequence>` },
      // A runs itself.
      'self': { 'configmgr-site.json': site([[ids[0], 'a.xml']]), 'a.xml': `<sequence version="3.10">${runTs(ids[0])}</sequence>` },
      // A chain of 40 closing back on the first.
      'long-cycle': {
        'configmgr-site.json': site(ids.map((id, i) => [id, `s${i}.xml`])),
        ...Object.fromEntries(ids.map((_, i) => [`s${i}.xml`, `<sequence version="3.10">${runTs(ids[(i + 1) % ids.length])}</sequence>`])),
      },
      // Each of 40 sequences runs the next one three times: 3^40 paths, no cycle.
      'fan-out': {
        'configmgr-site.json': site(ids.map((id, i) => [id, `s${i}.xml`])),
        ...Object.fromEntries(ids.map((_, i) => [`s${i}.xml`, `<sequence version="3.10">${i + 1 < ids.length ? runTs(ids[i + 1]).repeat(3) : RUN_COMMAND}</sequence>`])),
      },
      // Children that are not files to read.
      'devices': {
        'configmgr-site.json': site([[ids[0], 'a.xml'], [ids[1], '/dev/zero'], [ids[2], 'fifo'], [ids[3], '.'], [ids[4], '../../../../../../etc/passwd'], [ids[5], 'nul\u0000byte.xml']]),
        'a.xml': `<sequence version="3.10">${ids.slice(1, 6).map(runTs).join('')}</sequence>`,
      },
    };
    // All layouts in one child process: reading /dev/zero or a FIFO would block this one.
    const root = workspace({});
    const firsts: string[] = [];
    for (const [name, files] of Object.entries(layouts)) {
      if (name === 'devices' && !posix) continue;
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(root, name), { recursive: true });
        writeFileSync(join(root, name, f), text);
      }
      if (name === 'devices') spawnSync('mkfifo', [join(root, name, 'fifo')]);
      firsts.push(`${name}/${Object.keys(files).find((f) => f.endsWith('.xml'))!}`);
    }
    const r = cliProcess(root, 60_000, firsts, '--format', 'json');
    assert.equal(r.timedOut, false, 'the CLI finished');
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status} ${r.stderr}`);
    const report = JSON.parse(r.stdout) as JsonReport;
    for (const first of firsts) {
      const file = report.files.find((f) => f.path.endsWith(first));
      assert.ok(file, `${first} is in the report`);
      assert.ok(file.diagnostics.every((d) => d.rule !== 'internal-error'), `${first}: no check crashed`);
      if (/^(two-cycle|self)\//.test(first) && ALL_CHECK_IDS.includes('child-task-sequence')) {
        assert.ok(file.diagnostics.some((d) => d.rule === 'child-task-sequence' && /loop/.test(d.message)), `${first}: the loop is reported`);
      }
    }
  });
});

describe('.cmts.json paths', () => {
  test('"site" outside the folder, absolute, with "..", a URL, a NUL byte, a device, a folder, too long: resolved safely or reported', () => {
    const outside = workspace({ 'shared/configmgr-site.json': '{"site":{"code":"PS1"}}' });
    const abs = join(outside, 'shared', 'configmgr-site.json');
    const cases: { site: string; ok?: string; problem?: RegExp }[] = [
      { site: abs, ok: abs },
      { site: relative(join(base, 'X', 'repo'), abs), ok: abs },
      { site: 'missing.json', problem: /no such file/ },
      { site: '../../nowhere/configmgr-site.json', problem: /no such file/ },
      { site: 'https://example.com/configmgr-site.json', problem: /not a usable file path/ },
      { site: 'file:///etc/passwd', problem: /not a usable file path/ },
      { site: 'a\u0000b.json', problem: /no such file/ },
      { site: '.', problem: /is a folder/ },
      { site: 'x'.repeat(10_000), problem: /no such file/ },
      ...(posix ? [{ site: '/dev/zero', problem: /no such file|not a file/ }] : []),
    ];
    for (const c of cases) {
      const repo = join(base, 'X', 'repo');
      rmSync(repo, { recursive: true, force: true });
      mkdirSync(repo, { recursive: true });
      writeFileSync(join(repo, '.cmts.json'), JSON.stringify({ site: c.site }));
      writeFileSync(join(repo, 'case.xml'), '<sequence version="3.10"/>');
      const d = timed(c.site.slice(0, 40), 1000, () => findSiteFor(join(repo, 'case.xml'), repo)).value;
      if (c.ok) {
        assert.equal(d.sitePath, c.ok, JSON.stringify(c.site));
        assert.deepEqual(d.problems, []);
      } else {
        assert.equal(d.sitePath, undefined, JSON.stringify(c.site.slice(0, 40)));
        assert.equal(d.problems.length, 1, JSON.stringify(c.site.slice(0, 40)));
        assert.match(d.problems[0].message, c.problem!);
        assert.equal(d.problems[0].path, join(repo, '.cmts.json'), 'reported on the .cmts.json');
      }
      // The CLI reports it and goes on with no site (exit 2: the configuration is broken).
      const run = cli(repo, 5000, 'check', 'case.xml');
      if (!c.ok) assert.equal(run.code, 2, c.site.slice(0, 40));
    }
  });

  test('a .cmts.json that is huge, deeply nested or binary: a problem, not an exception', () => {
    for (const text of ['{"rules":{'.repeat(100_000), ' '.repeat(2 * 1024 * 1024), '\u0000\uffff\ud800', `{"rules":{${'"x":1,'.repeat(50_000)}}}`]) {
      const r = timed('config', 3000, () => loadConfig(text, ALL_CHECK_IDS)).value;
      assert.ok(r.problems.length >= 1 && r.problems.length <= MAX_JSON_PROBLEMS + 1);
    }
  });

  test('readDecoded reads regular files only', { skip: !posix }, () => {
    assert.throws(() => readDecoded('/dev/zero'), /not a regular file/);
    assert.throws(() => readDecoded(base), /not a regular file/);
  });
});

// ---- nothing lost, nothing run --------------------------------------------------------------------

describe('nothing lost, nothing run', () => {
  const WRITES = /\b(writeFile|writeFileSync|appendFile|appendFileSync|rename|renameSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|mkdir|mkdirSync|mkdtemp|mkdtempSync|copyFile|copyFileSync|cp|cpSync|symlink|symlinkSync|link|linkSync|truncate|truncateSync|ftruncate|ftruncateSync|createWriteStream|chmod|chmodSync|chown|chownSync|utimes|utimesSync|write|writeSync|writev|writevSync)\s*\(/;
  const RUNS = /\b(child_process|worker_threads|node:vm|eval\s*\(|new\s+Function\s*\(|execSync|execFile|spawn\s*\(|fork\s*\(|process\.dlopen)|require\s*\(\s*[^'"\s)]|import\s*\(\s*[^'"\s)]/;

  async function serverSources(): Promise<string[]> {
    const r = await build({ entryPoints: [join(REPO, 'server/src/serverMain.ts')], bundle: true, platform: 'node', write: false, metafile: true, logLevel: 'silent', mainFields: ['module', 'main'], define: { CMTS_VERSION: '"test"' } });
    return Object.keys(r.metafile.inputs).map((p) => join(REPO, p)).filter((p) => p.startsWith(join(REPO, 'server', 'src')));
  }

  test('the server bundle\'s own sources call no file-writing API and run nothing', async () => {
    const files = await serverSources();
    assert.ok(files.length > 20, `${files.length} sources in the server bundle`);
    assert.ok(!files.some((f) => f.endsWith('cli.ts')), 'the CLI is not in the server bundle');
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
        // process.stdout/connection writes are the protocol, not files.
        if (WRITES.test(code) && !/\b(stdout|stderr|stream|connection|writer)\b/.test(code)) assert.fail(`${relative(REPO, file)}:${i + 1} writes files: ${line.trim()}`);
        if (RUNS.test(code)) assert.fail(`${relative(REPO, file)}:${i + 1} may run code: ${line.trim()}`);
      });
    }
  });

  test('the CLI writes one file, only in `cmts site init`, never over an existing one', () => {
    const code = readFileSync(join(REPO, 'server/src/cli.ts'), 'utf8');
    const writes = code.split('\n').filter((l) => WRITES.test(l.replace(/\/\/.*$/, '')) && !/\b(stdout|stderr)\b/.test(l));
    assert.equal(writes.length, 1, writes.join('\n'));
    assert.match(writes[0], /writeFileSync\(out, .*\{ flag: 'wx' \}\)/);
  });

  test('cmts site import writes one file, the site description it was asked to build or update', () => {
    const code = readFileSync(join(REPO, 'server/src/cliSiteImport.ts'), 'utf8');
    const writes = code.split('\n').filter((l) => WRITES.test(l.replace(/\/\/.*$/, '')) && !/\b(stdout|stderr)\b/.test(l));
    assert.equal(writes.length, 1, writes.join('\n'));
    // A new file is created exclusively; an existing one is rewritten only with the merged text.
    assert.match(writes[0], /writeFileSync\(target, r\.text, existing === undefined \? \{ flag: 'wx' \} : \{\}\)/);
    const reader = readFileSync(join(REPO, 'server/src/workspace/importFiles.ts'), 'utf8');
    assert.deepEqual(reader.split('\n').filter((l) => WRITES.test(l.replace(/\/\/.*$/, ''))), [], 'zips are read in memory, never extracted');
  });

  test('the manifest supports untrusted workspaces and the README says why', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown } } };
    assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, true);
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    assert.match(readme, /^## Security/m);
    assert.match(readme.slice(readme.search(/^## Security/m)), /executes nothing from the workspace/);
  });
});
