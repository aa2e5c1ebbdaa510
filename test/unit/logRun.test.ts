// smsts.log against the sequence (log/run.ts): rolled-over files in order, a run with restarts
// across time zones, a failure under continue on error, a failed run, a child sequence, a log that
// does not match (said once), a child that cannot be read, and two runs in one log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTaskSequence } from '../../server/src/model/parse';
import type { TaskSequenceModel } from '../../server/src/model/types';
import { orderLogFiles, readLogRun, type LogRun } from '../../server/src/log/run';
import { eventOf } from '../../server/src/log/events';
import { exitCodeMeaning, formatExitCode } from '../../server/src/log/exitCodes';
import { duration, logAnnotations } from '../../server/src/log/annotations';

const F = join(__dirname, '..', 'fixtures', 'log');
const text = (f: string): string => readFileSync(join(F, f), 'utf8');
const parse = (f: string): TaskSequenceModel => parseTaskSequence(text(f)).model;
const deploy = parse('deploy.xml');
const child = parse('child.xml');
const resolve = (): { model: TaskSequenceModel; path: string } => ({ model: child, path: 'child.xml' });
const runOf = (files: string[], withChild = true): LogRun => readLogRun(deploy, files.map((name) => ({ name, text: text(name) })), withChild ? { resolve } : {});
const row = (run: LogRun, name: string) => run.timeline.find((s) => s.item.name === name)!;

test('rolled-over files come first, by the time in their names; smsts.log last', () => {
  assert.deepEqual(orderLogFiles(['C:/logs/smsts.log', 'smsts-20240815-150000.log', 'notes.log', 'smsts-20240815-144500.log'], (f) => f), [
    'smsts-20240815-144500.log', 'smsts-20240815-150000.log', 'notes.log', 'C:/logs/smsts.log',
  ]);
});

test('a run over two files with two restarts: every step matched by number and name, in order', () => {
  const run = runOf(['smsts-20240815-144500.log', 'smsts.log']);
  assert.equal(run.outcome, 'succeeded');
  assert.equal(run.restarts, 2);
  assert.equal(run.runs, 1);
  assert.equal(run.mismatch, undefined);
  assert.deepEqual(run.timeline.map((s) => s.pointer), [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 20]);
  assert.equal(row(run, 'Disabled Step').status, 'skipped-disabled');
  assert.deepEqual(row(run, 'Partition Disk').startAt, { file: 'smsts-20240815-144500.log', line: 20 });
  // Setup Windows starts in Windows PE (bias +000) and ends in the full OS (+300), in the next file.
  const setup = row(run, 'Setup Windows and ConfigMgr');
  assert.equal(setup.end! - setup.start!, 14 * 60_000 + 25_000);
  assert.deepEqual(setup.endAt, { file: 'smsts.log', line: 2 });
  // The outer group ends when the engine starts the step after it.
  const outer = row(run, 'Install Windows');
  assert.equal(outer.status, 'succeeded');
  assert.equal(outer.end! - outer.start!, Date.UTC(2024, 7, 15, 19, 59, 41) - Date.UTC(2024, 7, 15, 19, 31, 39, 566));
});

test('the same files in the wrong order are put right by orderLogFiles, not read backwards', () => {
  const files = orderLogFiles(['smsts.log', 'smsts-20240815-144500.log'], (f) => f);
  assert.deepEqual(runOf(files).timeline.map((s) => s.pointer), runOf(['smsts-20240815-144500.log', 'smsts.log']).timeline.map((s) => s.pointer));
});

test('a failure under continue on error: failed, the engine went on; exit code and the engine\'s words kept', () => {
  const run = runOf(['smsts-20240815-144500.log', 'smsts.log']);
  const opt = row(run, 'Install Optional App');
  assert.equal(opt.status, 'failed-continued');
  assert.equal(formatExitCode(opt.exitCode!), '0x80070002');
  assert.equal(opt.detail, 'The system cannot find the file specified. (Error: 80070002; Source: Windows)');
  assert.deepEqual(opt.endAt, { file: 'smsts.log', line: 7 });
  assert.deepEqual(run.failures.map((f) => f.item.name), ['Install Optional App']);
  assert.equal(row(run, 'Install Required App').status, 'succeeded');
});

test('a failed run: the step fails, its group gives up, the run fails', () => {
  const run = runOf(['failed.log']);
  assert.equal(run.outcome, 'failed');
  const req = row(run, 'Install Required App');
  assert.equal(req.status, 'failed');
  assert.equal(req.exitCode, 0x643);
  assert.equal(row(run, 'Apps').status, 'failed');
  assert.equal(row(run, 'Restart in Windows PE').status, 'skipped');
  assert.deepEqual(run.failures.map((f) => f.item.name), ['Install Required App']);
});

test('child sequence steps map to the child\'s items, with the child\'s path and the step that ran it', () => {
  const run = runOf(['smsts-20240815-144500.log', 'smsts.log']);
  const two = row(run, 'Child Step Two');
  assert.ok(child.steps.includes(two.item as never));
  assert.equal(two.path, 'child.xml');
  assert.deepEqual(two.via.map((s) => s.name), ['Run Child']);
  assert.equal(row(run, 'Run Child').status, 'succeeded');
  assert.equal(row(run, 'Final Step').pointer, 20);
});

test('without the child, instructions past it are not matched, and that is said once', () => {
  const run = runOf(['smsts-20240815-144500.log', 'smsts.log'], false);
  assert.equal(run.mismatch, undefined);
  assert.match(run.unnumbered!, /Run Child.*instruction 13.*cannot be read/);
  assert.ok(!run.timeline.some((s) => s.item.name === 'Final Step'));
});

test('a log of a changed sequence: the first disagreement said plainly, once, with a count; nothing guessed', () => {
  const run = runOf(['renamed.log']);
  assert.match(run.mismatch!.message, /^renamed\.log:7: At instruction 7 the log runs "Apply Windows Image", but the sequence has "Apply Operating System" there/);
  assert.equal(run.mismatch!.count, 2);
  assert.match(run.mismatch!.message, /1 more log line does not match/);
  assert.ok(!run.timeline.some((s) => s.pointer === 7 || s.pointer === 8));
  assert.equal(row(run, 'Partition Disk').status, 'succeeded');
});

test('the older plain log, with "Instruction pointer: N" lines, is matched the same way', () => {
  const run = runOf(['plain.log']);
  assert.equal(run.format, 'plain');
  const s = row(run, 'Set Variables');
  assert.equal(s.status, 'failed');
  assert.equal(formatExitCode(s.exitCode!), '0x80070005');
  assert.equal(run.outcome, 'failed');
});

test('an instruction logged without a number matches only a name the sequence has once', () => {
  const line = (msg: string, t: string): string => `<![LOG[${msg}]LOG]!><time="${t}+000" date="01-01-2024" component="TSManager" context="" type="1" thread="1" file="">`;
  const log = [
    line('Start executing an instruction. Instruction name: Partition Disk', '10:00:00.000'),
    line('Successfully completed the action (Partition Disk) with the exit win32 code 0', '10:00:10.000'),
    line('Start executing an instruction. Instruction name: Nowhere', '10:00:11.000'),
  ].join('\n');
  const run = readLogRun(deploy, [{ name: 'x.log', text: log }]);
  assert.equal(row(run, 'Partition Disk').status, 'succeeded');
  assert.match(run.mismatch!.message, /"Nowhere", which is not a step or group of this sequence/);
});

test('two runs in one log: the last is reported, and the count said', () => {
  const run = readLogRun(deploy, [{ name: 'twice.log', text: text('failed.log') + text('failed.log').replace(/09-01-2024/g, '09-02-2024') }], { resolve });
  assert.equal(run.runs, 2);
  assert.equal(run.timeline.filter((s) => s.item.name === 'Install Required App').length, 1);
  assert.equal(new Date(run.timeline[0].start!).getUTCDate(), 2);
});

test('engine lines: both instruction shapes, failures with decimal or hex codes, skips; other lines are not events', () => {
  assert.deepEqual(eventOf("Start executing an instruction. Instruction name: 'A. B'.  Pointer: 12. Type: 'SMS_X'. Disabled: 1"), { kind: 'instruction', name: 'A. B', pointer: 12, disabled: true });
  assert.deepEqual(eventOf('Start executing an instruction. Instructionname: Install Application. Instruction pointer: 32'), { kind: 'instruction', name: 'Install Application', pointer: 32 });
  assert.deepEqual(eventOf('Failed to run the action: Pre-provision BitLocker. Error -2147024894'), { kind: 'action-failed', name: 'Pre-provision BitLocker', exitCode: -2147024894 });
  assert.equal(formatExitCode(-2147024894), '0x80070002');
  assert.deepEqual(eventOf('The group (Drivers) has been skipped because the condition is evaluated to be false'), { kind: 'group-skipped', name: 'Drivers', why: 'condition' });
  assert.equal(eventOf('Set a global environment variable _SMSTSNextInstructionPointer=32'), undefined);
  assert.equal(eventOf('Failed to run the last action: X. Execution of task sequence failed.')?.kind, 'run-end');
});

test('exit code meanings only where documented, each with its page', () => {
  assert.equal(exitCodeMeaning(3010)?.name, 'ERROR_SUCCESS_REBOOT_REQUIRED');
  assert.equal(exitCodeMeaning(0x80070005)?.name, 'HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)');
  assert.equal(exitCodeMeaning(0x80004005)?.name, 'E_FAIL');
  assert.match(exitCodeMeaning(2)!.source, /^https:\/\/learn\.microsoft\.com\//);
  assert.equal(exitCodeMeaning(0x87d00269), undefined);
  assert.equal(exitCodeMeaning(42), undefined);
});

test('annotations for an editor: durations, failures as diagnostics text with code and meaning, links from log lines, one notice', () => {
  const run = runOf(['smsts-20240815-144500.log', 'smsts.log']);
  const a = logAnnotations(run);
  const opt = a.steps.find((s) => s.item.name === 'Install Optional App')!;
  assert.equal(opt.duration, '30s');
  assert.equal(opt.failure?.severity, 'warning');
  assert.equal(opt.failure?.message, 'Step 10 failed in this run (smsts.log:7) with exit code 0x80070002 (HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): The system cannot find the file specified.). The log says: The system cannot find the file specified. (Error: 80070002; Source: Windows) The sequence went on (continue on error).');
  assert.equal(a.steps.find((s) => s.item.name === 'Setup Windows and ConfigMgr')!.duration, '14m 25s');
  assert.equal(a.notice, undefined);
  const fromLine7 = a.links.filter((l) => l.at.file === 'smsts.log' && l.at.line === 7);
  assert.deepEqual(fromLine7.map((l) => l.item.name), ['Install Optional App']);
  assert.ok(a.links.some((l) => l.item.name === 'Child Step Two' && l.path === 'child.xml'));
  const failed = logAnnotations(runOf(['failed.log'])).steps.find((s) => s.item.name === 'Install Required App')!;
  assert.equal(failed.failure?.severity, 'error');
  assert.match(logAnnotations(runOf(['renamed.log'])).notice!, /^This log does not match the sequence\. renamed\.log:7:/);
  assert.equal(duration(3_725_000), '1h 02m 05s');
  assert.equal(duration(400), '0.4s');
});
