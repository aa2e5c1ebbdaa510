// The log record reader (log/records.ts): CMTrace entries over several lines, the older plain
// format, chunks split anywhere, and input that is no log (binary, another tool's, truncated,
// an endless line) answered with one clear problem in bounded memory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogRecordReader, MAX_LINE, parseStamp, type LogRecord } from '../../server/src/log/records';

const F = join(__dirname, '..', 'fixtures', 'log');

function read(name: string, chunks: string[]): { records: LogRecord[]; reader: LogRecordReader } {
  const records: LogRecord[] = [];
  const reader = new LogRecordReader((r) => records.push(r));
  reader.startFile(name);
  for (const c of chunks) reader.push(c);
  reader.endFile();
  return { records, reader };
}

test('a CMTrace message over several lines is one record, starting on its first line', () => {
  const text = readFileSync(join(F, 'smsts-20240815-144500.log'), 'utf8');
  const { records, reader } = read('a.log', [text]);
  const multi = records.find((r) => r.message.startsWith('A message written over'))!;
  assert.equal(multi.message, 'A message written over\nthree lines\nby the engine');
  assert.equal(multi.at.line, 3);
  assert.equal(multi.component, 'TSManager');
  assert.equal(multi.type, 1);
  assert.equal(reader.format, 'cmtrace');
  assert.deepEqual(reader.problems, []);
  // The next record starts on the line after the three.
  assert.equal(records[records.indexOf(multi) + 1].at.line, 6);
});

test('records are the same whatever the chunk boundaries (CRLF split included)', () => {
  const text = readFileSync(join(F, 'smsts.log'), 'utf8');
  const whole = read('s.log', [text]).records;
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 7) pieces.push(text.slice(i, i + 7));
  assert.deepEqual(read('s.log', pieces).records, whole);
  assert.equal(whole.length, 21);
});

test('the older plain format: message, $$<component><date time+bias><thread>; a message over lines ends at its trailer', () => {
  const { records, reader } = read('plain.log', [readFileSync(join(F, 'plain.log'), 'utf8')]);
  assert.equal(reader.format, 'plain');
  assert.equal(records[0].message, 'Start executing an instruction. Instruction name: Install Windows. Instruction pointer: 0');
  assert.equal(records[0].time, Date.UTC(2007, 7, 20, 18, 0, 1));
  const failed = records.find((r) => r.message.startsWith('Failed'))!;
  assert.equal(failed.message, 'Failed to run the action: Set Variables.\nAccess is denied. (Error: 80070005; Source: Windows)');
  assert.equal(failed.at.line, 4);
});

test('time: MM-DD-YYYY and HH:MM:SS.mmm with the bias in minutes added to get UTC', () => {
  assert.equal(parseStamp('08-15-2024', '14:31:39.566+300')!.utc, Date.UTC(2024, 7, 15, 19, 31, 39, 566));
  assert.equal(parseStamp('08-15-2024', '14:31:39.566-060')!.utc, Date.UTC(2024, 7, 15, 13, 31, 39, 566));
  assert.equal(parseStamp('8-5-2024', '01:02:03')!.local, '2024-08-05 01:02:03.000');
  assert.equal(parseStamp('13-15-2024', '14:31:39.566+300'), undefined);
  assert.equal(parseStamp(undefined, '14:31'), undefined);
});

test('another tool\'s log is given up after 200 lines with one fatal problem', () => {
  const { records, reader } = read('other-tool.log', [readFileSync(join(F, 'other-tool.log'), 'utf8')]);
  assert.equal(records.length, 0);
  assert.equal(reader.problems.length, 1);
  assert.equal(reader.problems[0].fatal, true);
  assert.match(reader.problems[0].message, /another tool's log/);
  assert.ok(reader.done);
});

test('a binary file is refused at once; an empty one is said to be empty', () => {
  const bin = read('x.bin', ['\u0000\u0001\u0002PK\u0003\u0004' + 'x'.repeat(100)]);
  assert.match(bin.reader.problems[0].message, /binary/);
  assert.equal(bin.reader.problems[0].fatal, true);
  assert.equal(read('empty.log', []).reader.problems[0].message, 'is empty');
});

test('a truncated file: the entry it ends in is kept, marked truncated, and said once', () => {
  const { records, reader } = read('truncated.log', [readFileSync(join(F, 'truncated.log'), 'utf8')]);
  const last = records[records.length - 1];
  assert.equal(last.truncated, true);
  assert.match(last.message, /^Failed to run the action: Set Variables\.\nThe system cannot find$/);
  assert.equal(reader.problems.length, 1);
  assert.match(reader.problems[0].message, /ends inside the log entry that starts on line 4/);
});

test('an entry cut off by the next one is closed there, and the next one read', () => {
  const text = '<![LOG[first part\n<![LOG[second]LOG]!><time="10:00:00.000+000" date="01-01-2024" component="TSManager" context="" type="1" thread="1" file="">\n';
  const { records, reader } = read('cut.log', [text]);
  assert.deepEqual(records.map((r) => [r.message, r.truncated === true]), [['first part', true], ['second', false]]);
  assert.match(reader.problems[0].message, /cut off/);
});

test('a line longer than the bound is cut, not held: memory stays bounded', () => {
  const head = '<![LOG[start]LOG]!><time="10:00:00.000+000" date="01-01-2024" component="C" context="" type="1" thread="1" file="">\n';
  const chunk = 'y'.repeat(1 << 20);
  const records: LogRecord[] = [];
  const reader = new LogRecordReader((r) => records.push(r));
  reader.startFile('long.log');
  reader.push(head);
  for (let i = 0; i < 20; i++) reader.push(chunk);
  reader.push('\n' + head);
  reader.endFile();
  assert.equal(records.length, 2);
  assert.equal(reader.problems.length, 1);
  assert.match(reader.problems[0].message, new RegExp(`longer than ${MAX_LINE / 1024} KB`));
});
