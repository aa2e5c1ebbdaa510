// `cmts diff`'s core over hand-made pairs in test/fixtures/diff/: base.xml and copies of it with
// one known edit each (a moved group, a renamed step, a changed condition, a changed package, a
// disabled step, a step moved into a renamed group, a step removed and one added), a copy that
// differs only in layout, and the same sequence as a 2007 package export and as an object.xml.
// Each asserts the exact change list. Numbers come from a numberOf defined here (ten times the
// parser's position), so the test also shows the diff prints what numberOf says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../server/src/catalog';
import { diffSequences, type DiffChange, type NumberOf } from '../../server/src/features/diff';
import { diffHtml, diffJson, diffMarkdown, diffText } from '../../server/src/features/diffRender';
import { HtmlValidate } from 'html-validate';
import { parseTaskSequence } from '../../server/src/model/parse';
import { LineIndex } from '../../server/src/model/positions';
import { loadSite } from '../../server/src/site';

const DIR = join(__dirname, '..', 'fixtures', 'diff');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const model = (name: string) => parseTaskSequence(read(name)).model;
const numberOf: NumberOf = (item) => (item.kind === 'step' ? item.number * 10 : undefined);

const SITE = loadSite(JSON.stringify({
  site: { code: 'CEN', product: 'ConfigMgr CB', version: '2309' },
  packages: [
    { packageId: 'CEN00006', name: 'Office 2016', distributionPoints: [] },
    { packageId: 'CEN00007', name: 'Office 2019 <x64>', distributionPoints: [] },
  ],
}));

/** The fields a reader sees, without the spans. */
function brief(c: DiffChange): Partial<DiffChange> {
  const { oldSpan: _o, newSpan: _n, stepType: _t, ...rest } = c;
  return rest;
}

function diff(newName: string, oldName = 'base.xml') {
  return diffSequences(model(oldName), model(newName), { catalog, site: SITE, numberOf });
}

test('a file compared with itself, a layout-only copy, and both other flavours: equal', () => {
  for (const name of ['base.xml', 'layout-only.xml', 'flavour-package-export.xml', 'flavour-object.xml']) {
    const r = diff(name);
    assert.deepEqual(r.changes.map(brief), [], name);
    assert.equal(r.equal, true, name);
  }
  // The layout copy really differs as text: CRLF, indentation, attribute order, a character reference.
  assert.notEqual(read('layout-only.xml'), read('base.xml'));
  assert.ok(read('layout-only.xml').includes('\r\n') && read('layout-only.xml').includes('&#62;'));
  assert.equal(diff('flavour-object.xml', 'flavour-package-export.xml').equal, true, '2007 export against object.xml');
});

test('a group moved is one move, not removals and additions of its steps', () => {
  assert.deepEqual(diff('moved-group.xml').changes.map(brief), [
    { kind: 'moved', target: 'group', name: 'Capture', path: [], message: 'moved, now after group "Prepare"' },
  ]);
});

test('a renamed step', () => {
  assert.deepEqual(diff('renamed-step.xml').changes.map(brief), [
    { kind: 'renamed', target: 'step', name: 'Write start to the log', path: ['Prepare'], number: 20, message: 'renamed from "Log start"', before: '"Log start"', after: '"Write start to the log"' },
  ]);
});

test('a changed condition, in hover\'s words', () => {
  assert.deepEqual(diff('changed-condition.xml').changes.map(brief), [
    { kind: 'condition', target: 'step', name: 'Install Office', path: ['Install'], number: 30, field: 'condition', message: 'condition changed', before: 'runs only when `InstallOffice` equals `1`', after: 'runs only when `InstallOffice` equals `2`' },
  ]);
});

test('a changed package: content named from the site description, and the command line that names it', () => {
  assert.deepEqual(diff('changed-package.xml').changes.map(brief), [
    { kind: 'command-line', target: 'step', name: 'Install Office', path: ['Install'], number: 30, field: 'command line', message: 'command line changed', before: '`smsswd.exe /pkg:CEN00006 /install /basevar: /continueOnError:`', after: '`smsswd.exe /pkg:CEN00007 /install /basevar: /continueOnError:`' },
    { kind: 'content', target: 'step', name: 'Install Office', path: ['Install'], number: 30, field: 'PackageID', message: 'PackageID changed', before: '`CEN00006` Office 2016 (package)', after: '`CEN00007` Office 2019 \\<x64\\> (package)' },
  ]);
  const noSite = diffSequences(model('base.xml'), model('changed-package.xml'), { catalog }).changes.find((c) => c.kind === 'content');
  assert.equal(noSite?.after, '`CEN00007` (package)', 'without a site description the ID and the kind its place implies');
});

test('a disabled step', () => {
  assert.deepEqual(diff('disabled-step.xml').changes.map(brief), [
    { kind: 'disabled', target: 'step', name: 'Restart', path: ['Install'], number: 40, message: 'disabled' },
  ]);
  assert.deepEqual(diffSequences(model('disabled-step.xml'), model('base.xml'), { catalog }).changes.map((c) => c.kind), ['enabled']);
});

test('a step moved into another group, and a group renamed', () => {
  assert.deepEqual(diff('moved-step-renamed-group.xml').changes.map(brief), [
    { kind: 'moved', target: 'step', name: 'Collect logs', path: ['Prepare'], number: 30, oldNumber: 50, field: 'group', before: '"Capture"', after: '"Prepare"', message: 'moved from "Capture" to "Prepare"' },
    { kind: 'renamed', target: 'group', name: 'Applications', path: [], message: 'renamed from "Install"', before: '"Install"', after: '"Applications"' },
  ]);
});

test('a step removed and one added, each where it is', () => {
  assert.deepEqual(diff('added-removed.xml').changes.map(brief), [
    { kind: 'removed', target: 'step', name: 'Set target', path: ['Prepare'], number: 10, message: 'removed' },
    { kind: 'added', target: 'step', name: 'Apply hotfix', path: ['Install'], number: 40, message: 'added' },
  ]);
});

test('a removed group counts what it held; the reverse is an addition', () => {
  const base = read('base.xml');
  const i = base.indexOf('  <group name="Capture"');
  const without = base.slice(0, i) + base.slice(base.indexOf('</group>', i) + '</group>\n'.length);
  const a = parseTaskSequence(base).model;
  const b = parseTaskSequence(without).model;
  const r = diffSequences(a, b, { catalog, numberOf });
  assert.deepEqual(r.changes.map(brief), [
    { kind: 'removed', target: 'group', name: 'Capture', path: [], message: 'removed, with 1 step', inside: [{ kind: 'step', name: 'Collect logs', number: 50 }] },
  ]);
  assert.deepEqual(diffSequences(b, a, { catalog }).changes.map((c) => [c.kind, c.message]), [['added', 'added, with 1 step']]);
});

test('a secret is never printed, a global variable change is a sequence change', () => {
  const base = read('base.xml');
  const withPw = (pw: string): string => base.replace('<variable name="VariableValue" property="VariableValue">C:</variable>', `<variable name="VariableValue" property="VariableValue">${pw}</variable><variable name="DoNotShowVariableValue" property="DoNotShowVariableValue">true</variable>`);
  const r = diffSequences(parseTaskSequence(withPw('hunter2')).model, parseTaskSequence(withPw('letmein')).model, { catalog });
  assert.deepEqual(r.changes.map((c) => [c.kind, c.message, c.before, c.after]), [['property', 'property `VariableValue` changed (value hidden)', '(hidden)', '(hidden)']]);
  assert.ok(!diffText(r, 'a', 'b').includes('hunter2') && !diffText(r, 'a', 'b').includes('letmein'));
  const g = diffSequences(parseTaskSequence(base).model, parseTaskSequence(base.replace('>3</variable>', '>5</variable>')).model, { catalog });
  assert.deepEqual(g.changes.map((c) => [c.kind, c.target, c.message, c.before, c.after]), [['sequence', 'sequence', 'global variable `OSDStateSMPRetryCount` changed', '`3`', '`5`']]);
});

test('duplicate step names pair in order and a step changed in place is not a move', () => {
  const seq = (v: string): string => `<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="Restart"/><step type="SMS_TaskSequence_RunCommandLineAction" name="Run"><action>a</action></step><step type="SMS_TaskSequence_RebootAction" name="Restart"/><step type="SMS_TaskSequence_RunCommandLineAction" name="Run"><action>${v}</action></step></sequence>`;
  const r = diffSequences(parseTaskSequence(seq('b')).model, parseTaskSequence(seq('c')).model, { catalog, numberOf });
  assert.deepEqual(r.changes.map((c) => [c.kind, c.number, c.before, c.after]), [['command-line', 40, '`b`', '`c`']]);
});

test('text, Markdown and JSON say the same changes', () => {
  const r = diff('changed-condition.xml');
  assert.equal(diffText(r, 'old.xml', 'new.xml'), [
    'old.xml → new.xml: 1 change: 1 condition',
    '~ step 30 "Install Office" in "Install": condition changed',
    '    was: runs only when `InstallOffice` equals `1`',
    '    now: runs only when `InstallOffice` equals `2`',
    '',
  ].join('\n'));
  assert.ok(diffMarkdown(diff('added-removed.xml'), 'a', 'b').includes('| was 10 | **Set target** *(Set Task Sequence Variable)* | Prepare | removed |'), 'a removed step\'s number is the old file\'s');
  const md = diffMarkdown(r, 'old.xml', 'new.xml');
  assert.match(md, /^### Task sequence changes: `old.xml` → `new.xml`\n\n1 change: 1 condition\.\n\n\| # \| Step or group \| In group \| Change \|/);
  assert.ok(md.includes('| 30 | **Install Office** *(Install Package)* | Install | condition changed<br>was: runs only when `InstallOffice` equals `1`<br>now: runs only when `InstallOffice` equals `2` |'), md);
  const text = read('changed-condition.xml');
  const json = JSON.parse(diffJson(r, 'old.xml', 'new.xml', new LineIndex(read('base.xml')), new LineIndex(text)));
  assert.equal(json.version, 2);
  assert.equal(json.equal, false);
  assert.deepEqual(json.summary, { condition: 1 });
  assert.equal(json.changes[0].kind, 'condition');
  const start = json.changes[0].newRange.start;
  assert.ok(text.split('\n')[start.line].slice(start.character).startsWith('<step type="SMS_TaskSequence_InstallSoftwareAction" name="Install Office"'));
  assert.equal(diffText(diff('base.xml'), 'a', 'b'), 'a → b: no changes: the two sequences are the same (layout aside)\n');
});

test('a pipe in a name does not break the Markdown table', () => {
  const r = diffSequences(model('base.xml'), parseTaskSequence(read('base.xml').replace('name="Restart"', 'name="Restart | now"')).model, { catalog });
  const row = diffMarkdown(r, 'a', 'b').split('\n').find((l) => l.startsWith('| ') && l.includes('renamed from'))!;
  assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
});

test('an empty or unreadable side: everything added', () => {
  const empty = parseTaskSequence('<sequence version="3.10"/>').model;
  const r = diffSequences(empty, model('base.xml'), { catalog });
  assert.deepEqual(r.changes.map((c) => [c.kind, c.name]), [['sequence', ''], ['added', 'Prepare'], ['added', 'Install'], ['added', 'Capture']]);
});

test('the HTML page of a diff is valid, escapes names and links each item where the caller says', () => {
  const r = diffSequences(model('base.xml'), parseTaskSequence(read('changed-package.xml').replace('name="Install Office"', 'name="Install &lt;Office&gt; &amp; more"')).model, { catalog, site: SITE, numberOf });
  const html = diffHtml(r, 'old.xml', 'new.xml', (c) => (c.newSpan ? `command:reveal?${c.newSpan.start}` : undefined));
  const report = new HtmlValidate({ extends: ['html-validate:recommended'] }).validateStringSync(html);
  assert.ok(report.valid, JSON.stringify(report.results.flatMap((x) => x.messages.map((m) => `${m.ruleId} ${m.message}`))));
  assert.ok(html.includes('<td>30</td><td><a href="command:reveal?'), html);
  assert.ok(html.includes('<strong>Install &lt;Office&gt; &amp; more</strong>'));
  assert.ok(html.includes('now: <code>CEN00007</code> Office 2019 &lt;x64&gt; (package)'));
  assert.ok(!/<script|src=/i.test(html));
  assert.ok(diffHtml(diff('base.xml'), 'a', 'b').includes('<p>No changes: the two sequences are the same (layout aside).</p>'));
});

test('a name of thousands of characters is cut in what is printed, kept whole in the data', () => {
  const long = 'n'.repeat(5000);
  const r = diffSequences(model('base.xml'), parseTaskSequence(read('base.xml').replace('name="Restart"', `name="${long}"`)).model, { catalog });
  assert.equal(r.changes[0].name, long);
  const text = diffText(r, 'a', 'b');
  assert.ok(text.length < 600, text);
  assert.ok(text.includes(`"${'n'.repeat(119)}…"`));
});
