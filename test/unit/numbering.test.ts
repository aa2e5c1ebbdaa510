// The engine's instruction numbers (semantics/numbering.ts) on sequences with nested groups,
// disabled steps and a child sequence, with and without the child readable; and the run context
// per item taken from the context flow.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTaskSequence } from '../../server/src/model/parse';
import type { Item, TaskSequenceModel } from '../../server/src/model/types';
import { instructionNumbers, instructionTable, itemFacts, numberOf, type ChildResolver } from '../../server/src/semantics/numbering';

const F = join(__dirname, '..', 'fixtures', 'log');
const parse = (file: string): TaskSequenceModel => parseTaskSequence(readFileSync(join(F, file), 'utf8')).model;
const named = (m: TaskSequenceModel, name: string): Item => [...m.steps, ...m.groups].find((i) => i.name === name)!;

test('groups take a number where they start and one after their last child; disabled steps are numbered', () => {
  const m = parse('deploy.xml');
  const table = instructionTable(m);
  const rows = table.rows.map((r) => `${r.pointer} ${r.kind} ${r.item.name}`);
  assert.deepEqual(rows.slice(0, 14), [
    '0 start Install Windows', '1 start Initialize', '2 start Set Variables', '3 start Disabled Step', '4 end Initialize',
    '5 start Restart in Windows PE', '6 start Partition Disk', '7 start Apply Operating System', '8 start Setup Windows and ConfigMgr',
    '9 start Apps', '10 start Install Optional App', '11 start Install Required App', '12 end Apps', '13 start Run Child',
  ]);
  rows.forEach((_, i) => assert.equal(table.rows[i].pointer, i));
});

test('without its child, the table stops at Run Task Sequence: later items have no number', () => {
  const m = parse('deploy.xml');
  const table = instructionTable(m);
  assert.equal(table.rows.length, 14);
  assert.equal(table.unresolved?.step.name, 'Run Child');
  assert.match(table.unresolved!.reason, /site description/);
  const numbers = instructionNumbers(m);
  assert.equal(numbers.get(named(m, 'Run Child') as never), 13);
  assert.equal(numbers.get(named(m, 'Final Step') as never), undefined);
  assert.equal(numberOf(m, named(m, 'Final Step')), undefined);
});

test('a child sequence is numbered inline, in the parent\'s table, between the step\'s start and end', () => {
  const m = parse('deploy.xml');
  const child = parse('child.xml');
  const resolve: ChildResolver = () => ({ model: child, path: 'child.xml' });
  const table = instructionTable(m, resolve);
  assert.deepEqual(table.rows.slice(13).map((r) => `${r.pointer} ${r.kind} ${r.item.name}${r.path ? ' @' + r.path : ''}`), [
    '13 start Run Child', '14 start Child Step One @child.xml', '15 start Child Group @child.xml', '16 start Child Step Two @child.xml',
    '17 end Child Group @child.xml', '18 end Run Child', '19 end Install Windows', '20 start Final Step',
  ]);
  assert.deepEqual(table.rows[16].via.map((s) => s.name), ['Run Child']);
  // instructionNumbers gives the sequence's own items only; the child's are in the table.
  const numbers = instructionNumbers(m, resolve);
  assert.equal(numbers.get(named(m, 'Final Step') as never), 20);
  assert.equal(numbers.size, m.steps.length + m.groups.length);
  assert.ok(![...numbers.keys()].some((k) => child.steps.includes(k as never)));
});

test('a child that runs its parent again (a loop) stops the table instead of recursing', () => {
  const m = parse('deploy.xml');
  const table = instructionTable(m, () => ({ model: m }));
  assert.equal(table.unresolved?.step.name, 'Run Child');
  assert.match(table.unresolved!.reason, /loop/);
});

test('nested groups in a bare sequence: a group with no children still takes two numbers', () => {
  const m = parseTaskSequence(`<sequence version="3.10">
    <group name="A"><group name="Empty"></group><step type="SMS_TaskSequence_RunCommandLineAction" name="S1"><action>x</action></step></group>
    <step type="SMS_TaskSequence_RunCommandLineAction" name="S2" disable="true"><action>y</action></step>
  </sequence>`).model;
  assert.deepEqual(instructionTable(m).rows.map((r) => `${r.pointer}${r.kind === 'end' ? '/' : ''}${r.item.name}`), ['0A', '1Empty', '2/Empty', '3S1', '4/A', '5S2']);
});

test('run context per item comes from the context flow: Windows PE, full OS, either, never', () => {
  const m = parse('deploy.xml');
  const facts = itemFacts(m, { resolve: () => ({ model: parse('child.xml') }) });
  const ctx = (name: string): string | undefined => facts.get(named(m, name))?.context;
  assert.equal(ctx('Disabled Step'), 'never');
  assert.equal(ctx('Partition Disk'), 'WinPE');
  assert.equal(ctx('Install Required App'), 'FullOS');
  assert.equal(ctx('Set Variables'), 'either');
  assert.equal(ctx('Apps'), 'FullOS');
  assert.equal(facts.get(named(m, 'Install Windows'))?.end, 19);
  assert.equal(facts.get(named(m, 'Final Step'))?.number, 20);
});
