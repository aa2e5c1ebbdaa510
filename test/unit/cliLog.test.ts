// `cmts log` (cliLog.ts through cli.ts's main): exit codes, the text timeline and the JSON shape,
// on copies of test/fixtures/log in temporary folders; files are streamed from disk.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli';

const FIXTURES = join(__dirname, '..', 'fixtures', 'log');
const base = mkdtempSync(join(tmpdir(), 'cmts-log-'));
after(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
/** A folder holding every log fixture; `site` false leaves out configmgr-site.json (no child sequences). */
function folder(site = true): string {
  const dir = join(base, `f${++n}`);
  mkdirSync(dir);
  for (const f of readdirSync(FIXTURES)) if (f !== 'README.md' && (site || f !== 'configmgr-site.json')) copyFileSync(join(FIXTURES, f), join(dir, f));
  return dir;
}

function run(cwd: string, ...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), cwd });
  return { code, out, err };
}

test('a run with a continued failure: exit 0, the timeline in execution order, the failure with its documented meaning', () => {
  const r = run(folder(), 'log', 'smsts.log', 'smsts-20240815-144500.log', '--sequence', 'deploy.xml');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'deploy.xml against smsts-20240815-144500.log, smsts.log (CMTrace format, 43 entries)');
  assert.equal(lines[1], 'Run: 2024-08-15T19:30:00Z to 2024-08-15T19:59:43Z (29m 43s), 2 restarts, succeeded');
  assert.match(r.out, /^ 6 {4}Partition Disk +Windows PE +succeeded +30s +smsts-20240815-144500\.log:20$/m);
  assert.match(r.out, /^16 {8}Child Step Two +full OS +succeeded +2s +smsts\.log:18$/m);
  assert.match(r.out, /^smsts\.log:7: step 10 "Install Optional App" failed with exit 0x80070002 \(HRESULT_FROM_WIN32\(ERROR_FILE_NOT_FOUND\): The system cannot find the file specified\.\); the sequence went on \(continue on error\)$/m);
  const numbers = lines.slice(3).map((l) => /^\s*(\d+) /.exec(l)?.[1]).filter(Boolean).map(Number);
  assert.deepEqual(numbers, [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 20]);
});

test('a failed run exits 1; a log that does not match exits 1 and says so once', () => {
  const dir = folder();
  const failed = run(dir, 'log', 'failed.log', '--sequence', 'deploy.xml');
  assert.equal(failed.code, 1);
  assert.match(failed.out, /failed\.log:21: step 11 "Install Required App" failed with exit 1603 \(ERROR_INSTALL_FAILURE: Fatal error during installation\.\)/);
  const renamed = run(dir, 'log', 'renamed.log', '--sequence', 'deploy.xml');
  assert.equal(renamed.code, 1);
  assert.equal(renamed.out.match(/does not match/g)?.length, 2, 'one statement (with its "1 more … does not match either")');
  assert.match(renamed.out, /This log does not match the sequence\. renamed\.log:7: At instruction 7/);
});

test('json: one object with the run and each step; numbers, statuses, codes, meanings and log places', () => {
  const r = run(folder(), 'log', 'smsts-20240815-144500.log', 'smsts.log', '--sequence', 'deploy.xml', '--format', 'json');
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['version', 'sequence', 'logs', 'format', 'outcome', 'start', 'end', 'restarts', 'runs', 'steps', 'mismatch', 'unnumbered', 'problems']);
  assert.equal(j.outcome, 'succeeded');
  assert.equal(j.steps.length, 16);
  const opt = j.steps.find((s: { name: string }) => s.name === 'Install Optional App');
  assert.deepEqual(opt, {
    number: 10, name: 'Install Optional App', kind: 'step', sequence: 'deploy.xml', via: [], context: 'FullOS', status: 'failed-continued',
    start: '2024-08-15T19:58:32Z', end: '2024-08-15T19:59:02.100Z', durationMs: 30_100, attempts: 1, exitCode: '0x80070002',
    meaning: { name: 'HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)', text: 'The system cannot find the file specified.', source: 'https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--0-499-' },
    detail: 'The system cannot find the file specified. (Error: 80070002; Source: Windows)', log: { file: 'smsts.log', line: 5 }, endLog: { file: 'smsts.log', line: 7 },
  });
  const childStep = j.steps.find((s: { name: string }) => s.name === 'Child Step One');
  assert.equal(childStep.sequence, 'child.xml');
  assert.deepEqual(childStep.via, ['Run Child']);
});

test('without a site description the child cannot be read: numbers past it are not matched, and that is said', () => {
  const r = run(folder(false), 'log', 'smsts-20240815-144500.log', 'smsts.log', '--sequence', 'deploy.xml');
  assert.equal(r.code, 0);
  assert.match(r.out, /Instructions from 14 on are not matched: the Run Task Sequence step "Run Child" \(instruction 13\)/);
  assert.doesNotMatch(r.out, /Final Step/);
});

test('bad input: another tool\'s log, a binary file, a missing file, no --sequence, a sequence that is none → exit 2 with a clear message', () => {
  const dir = folder();
  const other = run(dir, 'log', 'other-tool.log', '--sequence', 'deploy.xml');
  assert.equal(other.code, 2);
  assert.match(other.err, /other-tool\.log:200: holds no ConfigMgr log entries in its first 200 lines: is it another tool's log\?/);
  writeFileSync(join(dir, 'dump.bin'), Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]));
  const bin = run(dir, 'log', 'dump.bin', '--sequence', 'deploy.xml');
  assert.equal(bin.code, 2);
  assert.match(bin.err, /dump\.bin:.*binary file/);
  assert.match(run(dir, 'log', 'nope.log', '--sequence', 'deploy.xml').err, /cannot read "nope\.log": no such file/);
  const noSeq = run(dir, 'log', 'smsts.log');
  assert.equal(noSeq.code, 2);
  assert.match(noSeq.err, /log needs --sequence FILE/);
  const notSeq = run(dir, 'log', 'smsts.log', '--sequence', 'configmgr-site.json');
  assert.equal(notSeq.code, 2);
  assert.match(notSeq.err, /holds no task sequence/);
  assert.equal(run(dir, 'log', 'smsts.log', '--sequence', 'deploy.xml', '--format', 'sarif').code, 2);
});

test('a UTF-16 log with a byte-order mark is read like UTF-8; a truncated one is read up to its end and said so', () => {
  const dir = folder();
  const text = '\ufeff' + readFileSync(join(dir, 'failed.log'), 'utf8');
  writeFileSync(join(dir, 'utf16.log'), Buffer.from(text, 'utf16le'));
  const r = run(dir, 'log', 'utf16.log', '--sequence', 'deploy.xml', '--format', 'json');
  assert.equal(r.code, 1);
  const utf8 = JSON.parse(run(dir, 'log', 'failed.log', '--sequence', 'deploy.xml', '--format', 'json').out);
  assert.deepEqual(JSON.parse(r.out).steps, utf8.steps.map((s: { log: object; endLog: object | null }) => ({ ...s, log: { ...s.log, file: 'utf16.log' }, endLog: s.endLog && { ...s.endLog, file: 'utf16.log' } })));
  assert.equal(utf8.steps.length, 11);
  const t = run(dir, 'log', 'truncated.log', '--sequence', 'deploy.xml');
  assert.match(t.err, /truncated\.log:4: the file ends inside the log entry that starts on line 4 \(a truncated log\)/);
});

test('usage lists the log command', () => {
  const r = run(base, '--help');
  assert.match(r.out, /cmts log <smsts\.log…> --sequence FILE/);
});
