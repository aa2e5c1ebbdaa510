// Quick fixes as pure edits: each fix kind, the stale check (text under the finding changed),
// and the suppression comment (indentation, line endings, one-line documents, extending an
// existing comment, removing an id or the whole comment line).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeActionsFor, fixesFor, suppressionFor, type FixAction } from '../../server/src/features/codeActions';
import { checkText } from '../../server/src/analysis';
import { parseTaskSequence } from '../../server/src/model/parse';

function apply(text: string, a: FixAction): string {
  let out = text;
  for (const e of [...a.edits].sort((x, y) => y.span.start - x.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

const SEQ = [
  '<sequence version="3.10">',
  '  <group name="G">',
  '    <step type="SMS_TaskSequence_RebootActon" name="Restart">',
  '      <action>smsboot.exe /target:HD</action>',
  '    </step>',
  '  </group>',
  '</sequence>',
  '',
].join('\n');

function finding(text: string, rule: string) {
  const f = checkText(text).findings.find((x) => x.rule === rule);
  assert.ok(f, `${rule} is reported`);
  return f;
}

void test('unknown-step-type: one action per candidate, the first preferred; the fix clears the finding', () => {
  const f = finding(SEQ, 'unknown-step-type');
  const actions = fixesFor(SEQ, f);
  assert.equal(actions[0].title, 'Change to SMS_TaskSequence_RebootAction');
  assert.equal(actions[0].isPreferred, true);
  assert.ok(actions.slice(1).every((a) => !a.isPreferred));
  const fixed = apply(SEQ, actions[0]);
  assert.ok(!checkText(fixed).findings.some((x) => x.rule === 'unknown-step-type'));
});

void test('a stale finding (the text under it changed) offers no fix', () => {
  const f = finding(SEQ, 'unknown-step-type');
  const edited = SEQ.replace('RebootActon', 'RebootActin');
  assert.deepEqual(fixesFor(edited, f), []);
  assert.deepEqual(fixesFor(SEQ.slice(0, 10), f), [], 'a span past the end is stale too');
});

void test('replace-text: variable-name-typo writes the documented name, and the finding is gone', () => {
  const text = SEQ.replace('RebootActon', 'RebootAction').replace('<action>smsboot.exe /target:HD</action>', '<action>smsboot.exe /target:HD %OSDComputerNmae%</action>');
  const f = finding(text, 'variable-name-typo');
  const [a] = fixesFor(text, f);
  assert.ok(a, 'a fix is offered');
  const fixed = apply(text, a);
  assert.ok(fixed.includes('%OSDComputerName%'), fixed);
  assert.ok(!checkText(fixed).findings.some((x) => x.rule === 'variable-name-typo'));
});

void test('an operator in another case than the console writes (Equals) is not reported', () => {
  const text = SEQ.replace('RebootActon', 'RebootAction').replace('<action>', '<condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">Equals</variable><variable name="Value">x</variable><variable name="Variable">V</variable></expression></condition><action>');
  assert.deepEqual(checkText(text).findings.filter((x) => x.rule === 'invalid-condition'), []);
});

void test('suppression: a comment line before the step, with its indentation and the file\'s line endings', () => {
  for (const eol of ['\n', '\r\n']) {
    const text = SEQ.split('\n').join(eol);
    const f = finding(text, 'unknown-step-type');
    const s = suppressionFor(text, parseTaskSequence(text).model, f)!;
    assert.equal(s.title, 'Suppress unknown-step-type for this step');
    const out = apply(text, s);
    assert.ok(out.includes(`  <group name="G">${eol}    <!-- cmts-disable-next-line unknown-step-type -->${eol}    <step `), JSON.stringify(out));
    assert.ok(!checkText(out).findings.some((x) => x.rule === 'unknown-step-type' || x.rule === 'unused-suppression'));
  }
});

void test('suppression in a one-line document stays on one line', () => {
  const text = SEQ.split('\n').map((l) => l.trim()).join('');
  const f = finding(text, 'unknown-step-type');
  const out = apply(text, suppressionFor(text, parseTaskSequence(text).model, f)!);
  assert.ok(!/[\r\n]/.test(out));
  assert.ok(out.includes('<group name="G"><!-- cmts-disable-next-line unknown-step-type --><step '));
  assert.ok(!checkText(out).findings.some((x) => x.rule === 'unknown-step-type'));
});

void test('suppression extends a cmts-disable-next-line comment already before the element', () => {
  const text = SEQ.replace('    <step', '    <!-- cmts-disable-next-line invalid-condition -->\n    <step');
  const f = finding(text, 'unknown-step-type');
  const out = apply(text, suppressionFor(text, parseTaskSequence(text).model, f)!);
  assert.ok(out.includes('<!-- cmts-disable-next-line invalid-condition unknown-step-type -->'), out);
});

void test('remove-suppression: the id alone, or the whole comment line when it was the only id', () => {
  const two = SEQ.replace('    <step', '    <!-- cmts-disable-next-line invalid-condition unknown-step-type -->\n    <step');
  const f = finding(two, 'unused-suppression');
  const [a] = fixesFor(two, f);
  assert.equal(a.title, 'Remove "invalid-condition" from the suppression comment');
  assert.ok(apply(two, a).includes('<!-- cmts-disable-next-line unknown-step-type -->'));

  const one = SEQ.replace('    <step', '    <!-- cmts-disable-next-line invalid-condition -->\r\n    <step').split('\n').join('\r\n').replace(/\r\r/g, '\r');
  const g = finding(one, 'unused-suppression');
  const out = apply(one, fixesFor(one, g)[0]);
  assert.equal(out, SEQ.split('\n').join('\r\n'));
});

void test('remove-suppression on a comment of many unused ids: each finding removes its own id, read once per comment', () => {
  // Found by the fuzzer (issue 21): every unused id read the whole comment again (seconds for thousands).
  const ids = Array.from({ length: 400 }, (_, i) => (i % 2 ? 'invalid-condition' : 'not-a-check'));
  const text = SEQ.replace('    <step', `    <!-- cmts-disable-next-line ${ids.join(' ')} -->\n    <step`);
  const unused = checkText(text).findings.filter((x) => x.rule === 'unused-suppression');
  assert.equal(unused.length, ids.length);
  for (const f of [unused[0], unused[1], unused[199], unused[399]]) {
    const [fix] = fixesFor(text, f);
    const out = apply(text, fix);
    const comment = /<!-- cmts-disable-next-line ([^>]*) -->/.exec(out)![1].split(' ');
    assert.equal(comment.length, ids.length - 1);
    assert.equal(text.slice(f.span.start, f.span.end), ids[unused.indexOf(f)]);
  }
});

void test('codeActionsFor lists the fixes, then the suppression; unsuppressible checks get none', () => {
  const f = finding(SEQ, 'unknown-step-type');
  const titles = codeActionsFor(SEQ, parseTaskSequence(SEQ).model, f).map((a) => a.title);
  assert.equal(titles[titles.length - 1], 'Suppress unknown-step-type for this step');
  const broken = '<sequence><step';
  const x = checkText(broken).findings.find((y) => y.rule === 'xml-syntax')!;
  assert.deepEqual(codeActionsFor(broken, parseTaskSequence(broken).model, x), []);
});
