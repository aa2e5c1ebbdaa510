// Completion as a pure function, one test per context: step classes in type="…", whole step
// snippets between items (shaped like the document's own steps), variable names for a step, an
// expression, the global list and %…%, content IDs of the kind the place takes (names as label
// details), operators, expression classes, parameter values, runIn. The cursor is `$0`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt, type CompletionItem } from '../../server/src/features/completion';
import { snippetToPlain } from '../../server/src/features/snippets';
import { resumeAt, xmlContextAt } from '../../server/src/features/xmlContext';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markers } from './helpers/markers';
import { catalog } from '../../server/src/catalog';
import { parseTaskSequence } from '../../server/src/model/parse';
import { loadSite } from '../../server/src/site';

const SITE = loadSite(JSON.stringify({
  site: { code: 'CEN', product: 'ConfigMgr 2007', version: 'SP1' },
  bootImages: [{ packageId: 'CEN00002', name: 'Boot x86', distributionPoints: ['DP01'] }],
  operatingSystemImages: [
    { packageId: 'CEN00010', name: 'Vista SP1', distributionPoints: ['DP01'] },
    { packageId: 'CEN00011', name: 'XP SP3', distributionPoints: [] },
  ],
  driverPackages: [{ packageId: 'CEN00020', name: 'D630 drivers', distributionPoints: ['DP01'] }],
  packages: [
    { packageId: 'CEN00004', name: 'ConfigMgr Client', kind: 'client', distributionPoints: ['DP01'] },
    { packageId: 'CEN00005', name: 'Office 2007', distributionPoints: ['DP01'] },
  ],
  applications: [{ id: 'ScopeId_1/Application_2', name: '7-Zip', distributionPoints: ['DP01'] }],
  siteSystems: [{ server: 'DP01', roles: [{ role: 'distributionPoint' }] }],
}));

function complete(marked: string, site: typeof SITE | null = SITE): { items: CompletionItem[]; text: string; offset: number } {
  const offset = marked.indexOf('$0');
  assert.ok(offset >= 0, 'the fixture marks the cursor with $0');
  const text = marked.replace('$0', '');
  const items = completionsAt({ model: parseTaskSequence(text).model, text, offset, site: site ?? undefined, catalog });
  for (const it of items) assert.ok(it.replaceSpan.start <= offset && offset <= it.replaceSpan.end, `${it.label}: the replaced text holds the cursor`);
  return { items, text, offset };
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const replaced = (r: { items: CompletionItem[]; text: string }) => r.text.slice(r.items[0].replaceSpan.start, r.items[0].replaceSpan.end);

const SEQ = (body: string) => `<sequence version="3.10">
  <group name="Install">
    <step type="SMS_TaskSequence_SetVariableAction" name="Set MyVar" description="" runIn="WinPEandFullOS" successCodeList="0 3010" retryCount="0" runFromNet="false">
      <action>tsenv.exe "MyVar=1"</action>
      <defaultVarList><variable name="VariableName" property="VariableName" hidden="true">MyVar</variable></defaultVarList>
    </step>
${body}
  </group>
</sequence>`;

void test('step classes inside type="…" of a step, with display names, replacing the whole value', () => {
  const r = complete(SEQ('    <step type="SMS_Task$0Sequence_Reboot" name="x"></step>'));
  assert.equal(r.items.length, catalog.actions().length);
  assert.equal(replaced(r), 'SMS_TaskSequence_Reboot');
  const reboot = r.items.find((i) => i.label === 'SMS_TaskSequence_RebootAction')!;
  assert.equal(reboot.detail, 'Restart Computer');
  assert.match(reboot.documentation ?? '', /^\*\*Restart Computer\*\*/);
  assert.match(reboot.filterText ?? '', /Restart Computer/);
  // An unterminated value (the editor has not closed the quote yet) still completes, up to the cursor's word.
  const open = complete('<sequence><step type="SMS_T$0\n</sequence>');
  assert.equal(replaced(open), 'SMS_T');
  assert.ok(labels(open.items).includes('BDD_Gather'));
});

void test('whole step snippets between items, shaped like the document\'s steps, with the catalogue\'s variables', () => {
  const r = complete(SEQ('    $0'));
  const apply = r.items.find((i) => i.label === 'Apply Operating System Image')!;
  assert.ok(apply.isSnippet);
  assert.equal(apply.kind, 'snippet');
  assert.deepEqual(apply.replaceSpan, { start: r.offset, end: r.offset });
  const plain = snippetToPlain(apply.insertText);
  assert.match(apply.insertText, /^<step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="\$\{1:Apply Operating System Image\}" description="" runIn="WinPE" successCodeList="0" retryCount="0" runFromNet="false">/);
  assert.match(plain, /<variable name="ImagePackageID" property="ImagePackageID" hidden="true"><\/variable>/);
  assert.match(plain, /<variable name="OSDImageIndex" property="ImageIndex"><\/variable>/);
  assert.doesNotMatch(plain, /InstallPackageID/, 'an image or an upgrade package, not both');
  // The content ID in the command line is the same tab stop as the property.
  const stop = /<variable name="ImagePackageID"[^>]*>\$\{(\d+)\}/.exec(apply.insertText)![1];
  assert.match(apply.insertText, new RegExp(`/image:\\$\\{${stop}\\},%OSDImageIndex%`));
  assert.ok(parseTaskSequence(`<sequence>${plain.replace(/<variable name="ImagePackageID"[^>]*><\/variable>/, '')}</sequence>`).model.steps.length === 1, 'the plain text is one well-formed step');
  const run = r.items.find((i) => i.label === 'Run Task Sequence')!;
  assert.match(run.insertText, /^<subtasksequence type="SMS_TaskSequence_SubTasksequence"/);
  assert.ok(labels(r.items).includes('Group'));
  // The client package slot is filled with the site's only client package.
  const setup = r.items.find((i) => i.label === 'Setup Windows and ConfigMgr')!;
  assert.match(setup.insertText, /<variable name="_SMSClientPackageID" property="ClientPackageID">\$\{\d+:CEN00004\}<\/variable>/);
  // After a typed `<`, the snippet replaces it.
  const lt = complete(SEQ('    <$0'));
  assert.equal(replaced(lt), '<');
  assert.match(lt.items.find((i) => i.label === 'Restart Computer')!.filterText ?? '', /^<step /);
  // Not inside a step's text or between a step's children.
  assert.deepEqual(complete(SEQ('    <step type="SMS_TaskSequence_RebootAction" name="R"><action>smsboot$0</action></step>')).items, []);
});

void test('variable names valid for the place: the step\'s properties, the expression\'s parameters, the global list', () => {
  const step = complete(SEQ('    <step type="SMS_TaskSequence_RebootAction" name="R"><defaultVarList><variable name="$0" property=""></variable></defaultVarList></step>'));
  assert.deepEqual(labels(step.items).sort(), ['SMSRebootMessage', 'SMSRebootTarget', 'SMSRebootTimeout']);
  const expr = complete(SEQ('    <step type="SMS_TaskSequence_RebootAction" name="R"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Op$0"></variable></expression></condition></step>'));
  assert.deepEqual(labels(expr.items).sort(), ['Operator', 'Value', 'Variable']);
  assert.equal(replaced(expr), 'Op');
  const global = complete('<sequence><globalVarList><variable name="$0"></variable></globalVarList></sequence>');
  assert.ok(labels(global.items).includes('OSDComputerName'));
  assert.equal(global.items.find((i) => i.label === '_SMSTSInWinPE')?.detail, 'read-only built-in');
});

void test('%…% in any value or command line: built-ins and the variables this sequence sets', () => {
  const r = complete(SEQ('    <step type="SMS_TaskSequence_RunCommandLineAction" name="Echo"><action>cmd /c echo %My$0</action></step>'));
  const mine = r.items.find((i) => i.label === 'MyVar')!;
  assert.match(mine.detail ?? '', /set by step 1/);
  assert.equal(mine.insertText, 'MyVar%');
  assert.equal(replaced(r), 'My');
  assert.ok(labels(r.items).includes('_SMSTSMachineName'));
  // A closing % already there is kept, not doubled.
  const closed = complete(SEQ('    <step type="SMS_TaskSequence_RunCommandLineAction" name="Echo"><action>cmd /c echo %My$0%</action></step>'));
  assert.equal(closed.items.find((i) => i.label === 'MyVar')!.insertText, 'MyVar');
  // In a property value too; an even number of % before the cursor is not a variable.
  assert.ok(labels(complete(SEQ('    <step type="SMS_TaskSequence_ApplyWindowsSettingsAction" name="S"><defaultVarList><variable name="OSDComputerName" property="ComputerName">%_SMSTS$0</variable></defaultVarList></step>')).items).includes('_SMSTSMachineName'));
  assert.deepEqual(complete(SEQ('    <step type="SMS_TaskSequence_RunCommandLineAction" name="Echo"><action>cmd /c echo %A% x$0</action></step>')).items, []);
});

void test('content IDs of the kind the place takes, names as label details', () => {
  const image = complete(SEQ('    <step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="A"><defaultVarList><variable name="ImagePackageID" property="ImagePackageID" hidden="true">CEN$0</variable></defaultVarList></step>'));
  assert.deepEqual(labels(image.items).sort(), ['CEN00010', 'CEN00011']);
  assert.equal(image.items.find((i) => i.label === 'CEN00010')!.labelDetail, ' Vista SP1');
  assert.match(image.items.find((i) => i.label === 'CEN00011')!.detail ?? '', /not distributed/);
  assert.equal(replaced(image), 'CEN');
  const client = complete(SEQ('    <step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="S"><defaultVarList><variable name="_SMSClientPackageID" property="ClientPackageID">$0</variable></defaultVarList></step>'));
  assert.deepEqual(labels(client.items), ['CEN00004']);
  // A list property: only the entry under the cursor is replaced.
  const list = complete(SEQ('    <step type="SMS_TaskSequence_InstallApplicationAction" name="I"><defaultVarList><variable name="ApplicationName" property="ApplicationName" hidden="true">ScopeId_1/Application_2,Sc$0</variable></defaultVarList></step>'));
  assert.deepEqual(labels(list.items), ['ScopeId_1/Application_2']);
  assert.equal(replaced(list), 'Sc');
  const ref = complete('<sequence><referenceList><reference package="$0"/></referenceList></sequence>');
  assert.ok(labels(ref.items).includes('CEN00005') && !labels(ref.items).includes('ScopeId_1/Application_2'));
  assert.deepEqual(labels(complete('<sequence><referenceList><reference application="$0"/></referenceList></sequence>').items), ['ScopeId_1/Application_2']);
  const boot = complete('<SmsTaskSequencePackage><BootImageID>$0</BootImageID><SequenceData><sequence/></SequenceData></SmsTaskSequencePackage>');
  assert.deepEqual(labels(boot.items), ['CEN00002']);
  assert.deepEqual(complete(SEQ('    <step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="S"><defaultVarList><variable name="_SMSClientPackageID" property="ClientPackageID">$0</variable></defaultVarList></step>'), null).items, [], 'no site: no IDs');
});

void test('condition operators, expression classes, parameter values and runIn values', () => {
  const op = complete('<sequence><step type="SMS_TaskSequence_RebootAction" name="R"><condition><operator type="$0"></operator></condition></step></sequence>');
  assert.deepEqual(labels(op.items), ['and', 'or', 'not']);
  const ex = complete('<sequence><step type="SMS_TaskSequence_RebootAction" name="R"><condition><expression type="$0"></expression></condition></step></sequence>');
  assert.ok(labels(ex.items).includes('SMS_TaskSequence_WMIConditionExpression'));
  assert.ok(!labels(ex.items).includes('SMS_TaskSequence_RebootAction'));
  const opValue = complete('<sequence><step type="SMS_TaskSequence_RebootAction" name="R"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">$0</variable></expression></condition></step></sequence>');
  assert.deepEqual(labels(opValue.items), ['exists', 'notExists', 'equals', 'notEquals', 'greater', 'greaterEqual', 'less', 'lessEqual']);
  const tested = complete('<sequence><step type="SMS_TaskSequence_RebootAction" name="R"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">_SMSTSIn$0</variable></expression></condition></step></sequence>');
  assert.ok(labels(tested.items).includes('_SMSTSInWinPE'));
  const snippets = complete('<sequence><step type="SMS_TaskSequence_RebootAction" name="R"><condition>\n  $0\n</condition></step></sequence>');
  assert.ok(labels(snippets.items).includes('operator') && labels(snippets.items).includes('Query WMI condition'));
  const runIn = complete('<sequence><step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="A" runIn="$0"></step></sequence>');
  assert.deepEqual(labels(runIn.items), ['WinPE', 'FullOS', 'WinPEandFullOS']);
  assert.equal(runIn.items.find((i) => i.preselect)?.label, 'WinPE');
  const bool = complete(SEQ('    <step type="SMS_TaskSequence_RebootAction" name="R"><defaultVarList><variable name="SMSRebootTarget" property="Target">$0</variable></defaultVarList></step>'));
  assert.deepEqual(labels(bool.items), ['WinPE', 'HD']);
});

void test('nothing in comments, closing tags or element names that take no completion', () => {
  assert.deepEqual(complete('<sequence><!-- type="$0" --></sequence>').items, []);
  assert.deepEqual(complete('<sequence><step type="SMS_TaskSequence_RebootAction" name="R"></st$0ep></sequence>').items, []);
  assert.deepEqual(complete('<sequence><step type="SMS_TaskSequence_RebootAction" na$0me="R"></step></sequence>').items, []);
});

void test('the XML context reads through object.xml\'s CDATA and past other attributes', () => {
  const text = '<INSTANCE><PROPERTY NAME="Sequence"><VALUE><![CDATA[<sequence><step name="a &quot;b&quot;" type="SMS_X"></step></sequence>]]></VALUE></PROPERTY></INSTANCE>';
  const at = text.indexOf('SMS_X') + 3;
  const c = xmlContextAt(text, at);
  assert.equal(c.kind, 'attrValue');
  if (c.kind === 'attrValue') {
    assert.equal(c.element.name, 'step');
    assert.equal(c.attr, 'type');
    assert.equal(c.element.attrs.name, 'a &quot;b&quot;');
    assert.deepEqual(c.parents.map((p) => p.name), ['INSTANCE', 'PROPERTY', 'VALUE', 'sequence']);
  }
});

void test('snippets flatten for clients without snippet support', () => {
  assert.equal(snippetToPlain('<a n="${1:x \\} y}">${2|one,two|}$0</a>\\$'), '<a n="x } y">one</a>$');
  assert.equal(snippetToPlain('${1}${2:a${3:b}}'), 'ab');
});

// ---- the scan's starting point (xmlContext.ts resumeAt) ---------------------------------------

void test('resumeAt: the context found from the step before the cursor is the one a scan from the top finds', () => {
  // Every export flavour: the examples, and the model fixtures (object.xml, 2007 package export, MDT).
  const dir = join(__dirname, '..', '..');
  const files: string[] = [];
  for (const base of ['examples', 'test/fixtures/model']) {
    for (const sub of readdirSync(join(dir, base), { recursive: true }) as string[]) {
      if (sub.endsWith('.xml')) files.push(join(base, sub));
    }
  }
  const shape = (c: ReturnType<typeof xmlContextAt>) => (c.kind === 'none' ? c : {
    ...c,
    parents: c.parents.map((p) => p.name),
    ...('element' in c ? { element: { name: c.element.name, attrs: c.element.attrs, start: c.element.start } } : {}),
  });
  let resumed = 0;
  let offsets = 0;
  for (const f of files) {
    // The model fixtures carry ⟦name|…⟧ markers: the text is what they mark up.
    const text = markers(readFileSync(join(dir, f), 'utf8')).text;
    const model = parseTaskSequence(text).model;
    for (let offset = 0; offset <= text.length; offset += 3) {
      const from = resumeAt(model, offset, text, offset, (o) => o);
      offsets++;
      if (!from) continue;
      resumed++;
      assert.ok(from.offset <= offset);
      assert.deepEqual(shape(xmlContextAt(text, offset, from)), shape(xmlContextAt(text, offset)), `${f} at ${offset}`);
    }
  }
  assert.ok(resumed > offsets / 2, `${resumed} of ${offsets} offsets resumed`);
});

void test('resumeAt passes over a step whose start tag is no longer where the model says (an earlier version)', () => {
  const text = '<sequence version="3.00">\n<group name="G">\n<step type="A" name="one"/>\n<step type="B" name="two"/>\n</group>\n</sequence>\n';
  const model = parseTaskSequence(text).model;
  // The current text lost the second step's "<": only the first can be trusted.
  const now = text.replace('<step type="B"', ' step type="B"');
  const cursor = now.indexOf('name="two"') + 6;
  const from = resumeAt(model, cursor, now, cursor, (o) => o);
  assert.equal(from?.offset, text.indexOf('<step type="A"'));
  assert.deepEqual(from?.parents.map((p) => p.name), ['sequence', 'group']);
  assert.equal(resumeAt(model, 3, text, 3, (o) => o), undefined, 'before the first step: no starting point');
});
