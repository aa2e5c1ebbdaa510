// Outline and folding: nesting, document-order numbering of steps, disabled items (including
// steps disabled through their group), wrapped sequences shown under one root, folds per group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTaskSequence } from '../../server/src/model/parse';
import { catalog } from '../../server/src/catalog';
import { outline, type OutlineItem } from '../../server/src/features/symbols';
import { foldingRanges } from '../../server/src/features/folding';
import { markers } from './helpers/markers';

const SEQ = `<sequence version="3.10">
  <group name="Prepare" description="">
    <step type="SMS_TaskSequence_RunCommandLineAction" name="⟦first|Echo⟧" description=""><action>cmd /c echo</action></step>
    <group name="Off" description="" disable="true">
      <step type="SMS_TaskSequence_RebootAction" name="Restart" description=""><action>smsboot.exe /target:HD</action></step>
    </group>
  </group>
  <step name="Untyped MDT step" description=""><action>cscript.exe x.wsf</action></step>
  <step type="SMS_TaskSequence_NoSuchAction" name="" description=""/>
</sequence>`;

function flat(items: OutlineItem[]): OutlineItem[] {
  return items.flatMap((i) => [i, ...flat(i.children)]);
}

test('groups and steps nest, steps are numbered in document order', () => {
  const { text, spans } = markers(SEQ);
  const { model } = parseTaskSequence(text);
  const tree = outline(model, catalog);
  assert.deepEqual(tree.map((t) => t.name), ['Prepare', '3. Untyped MDT step', '4. (unnamed step)']);
  assert.deepEqual(tree[0].children.map((t) => t.name), ['1. Echo', 'Off']);
  assert.deepEqual(tree[0].children[1].children.map((t) => t.name), ['2. Restart']);
  assert.deepEqual(tree[0].children[0].selection, spans.first);
  assert.equal(tree[0].children[0].detail, 'Run Command Line');
  assert.equal(tree[1].detail, 'Run Command Line (MDT)');
  assert.equal(tree[2].detail, 'SMS_TaskSequence_NoSuchAction');
});

test('a step inside a disabled group is marked disabled, and so is the group', () => {
  const { text } = markers(SEQ);
  const all = flat(outline(parseTaskSequence(text).model, catalog));
  const byName = new Map(all.map((i) => [i.name, i]));
  assert.equal(byName.get('Off')?.disabled, true);
  assert.equal(byName.get('2. Restart')?.disabled, true);
  assert.match(byName.get('2. Restart')?.detail ?? '', /disabled/);
  assert.equal(byName.get('1. Echo')?.disabled, false);
});

test('step numbers match an independent count of step elements', () => {
  const { text } = markers(SEQ);
  const numbers = flat(outline(parseTaskSequence(text).model, catalog)).filter((i) => i.kind === 'step').map((i) => i.number);
  const count = (text.match(/<step[\s>/]/g) ?? []).length;
  assert.deepEqual(numbers, Array.from({ length: count }, (_v, i) => i + 1));
});

test('a package export shows one root named after the package', () => {
  const text = `<SmsTaskSequencePackage><BootImageID>CEN00002</BootImageID><Name>Deploy Vista</Name><SequenceData><sequence version="3.00"><step type="SMS_TaskSequence_RebootAction" name="R" description=""/></sequence></SequenceData></SmsTaskSequencePackage>`;
  const tree = outline(parseTaskSequence(text).model, catalog);
  assert.equal(tree.length, 1);
  assert.equal(tree[0].name, 'Deploy Vista');
  assert.equal(tree[0].detail, 'package export');
  assert.deepEqual(tree[0].children.map((c) => c.name), ['1. R']);
});

test('folding covers multi-line groups, steps and conditions, not one-line elements', () => {
  const text = `<sequence version="3.10">\n  <group name="G">\n    <step type="SMS_TaskSequence_RebootAction" name="R">\n      <condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">X</variable><variable name="Operator">exists</variable></expression></condition>\n    </step>\n  </group>\n  <step type="SMS_TaskSequence_RebootAction" name="One"/>\n</sequence>`;
  const { model } = parseTaskSequence(text);
  const folds = foldingRanges(model);
  const starts = folds.map((f) => text.slice(f.start, f.start + 12));
  assert.deepEqual(starts, ['<group name=', '<step type="', '<condition><']);
  for (const f of folds) assert.ok(f.end > f.start);
});
