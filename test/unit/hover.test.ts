// Hover as a pure function, one test per hover kind: steps and groups (docs, where this one runs,
// what it needs, properties with secrets masked), variables (meaning, who sets and reads them),
// content IDs (site entry or its absence), conditions in plain words. The cursor is marked `$0`,
// or the expected hover span is marked ⟦h|…⟧ and the cursor sits inside it. Also: every step class
// of the catalogue hovers with its display name, description, context and docs link.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt, type HoverResult } from '../../server/src/features/hover';
import { catalog } from '../../server/src/catalog';
import { parseTaskSequence } from '../../server/src/model/parse';
import { loadSite } from '../../server/src/site';
import { markers, spanOf } from './helpers/markers';

const SITE = loadSite(JSON.stringify({
  site: { code: 'CEN', product: 'ConfigMgr 2007', version: 'SP1' },
  bootImages: [{ packageId: 'CEN00002', name: 'Boot x86', architecture: 'x86', windowsPEVersion: '2.1', distributionPoints: ['DP01'] }],
  operatingSystemImages: [{ packageId: 'CEN00010', name: 'Vista SP1', architecture: 'x86', osVersion: '6.0.6001', distributionPoints: ['DP01'] }],
  driverPackages: [{ packageId: 'CEN00020', name: 'D630 drivers', distributionPoints: [] }],
  packages: [{ packageId: 'CEN00004', name: 'ConfigMgr Client', kind: 'client', distributionPoints: ['DP01'] }],
  siteSystems: [{ server: 'DP01', roles: [{ role: 'distributionPoint' }] }],
}));

function hover(marked: string, site: typeof SITE | null = SITE) {
  const offset = marked.indexOf('$0');
  const text = marked.replace('$0', '');
  return hoverAt(parseTaskSequence(text).model, offset, site ?? undefined, catalog, text);
}

/** Hover in the middle of the span marked `h`; asserts the hover covers exactly that span. */
function hoverMarked(raw: string, site: typeof SITE | null = SITE): HoverResult {
  const m = markers(raw);
  const h = spanOf(m, 'h');
  const r = hoverAt(parseTaskSequence(m.text).model, Math.floor((h.start + h.end) / 2), site ?? undefined, catalog, m.text);
  assert.ok(r, `a hover at ${JSON.stringify(m.text.slice(h.start, h.end))}`);
  assert.deepEqual(r.span, h, `hover span for ${JSON.stringify(m.text.slice(h.start, h.end))}`);
  return r;
}

const step = (attrs: string, body = '') => `<sequence><step ${attrs}>${body}</step></sequence>`;

/** A small bare-metal sequence: restart to WinPE, partition (fills OSDisk), apply OS, settings with a password, setup, user state. */
const SEQ = `<sequence version="3.00">
  <referenceList><reference package="CEN00010"/></referenceList>
  <group name="Install">
    <step type="SMS_TaskSequence_RebootAction" name="Restart in Windows PE" runIn="WinPEandFullOS">
      <⟦cond|condition⟧><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="⟦opname|Operator⟧">notEquals</variable><variable name="Value">true</variable><variable name="Variable">⟦winpe|_SMSTSInWinPE⟧</variable></expression></condition>
      <action>smsboot.exe /target:WinPE</action>
      <defaultVarList><variable name="SMSRebootTarget" property="Target">WinPE</variable></defaultVarList>
    </step>
    <step type="SMS_TaskSequence_PartitionDiskAction" name="Partition" runIn="WinPE">
      <action>osddiskpart.exe</action>
      <defaultVarList><variable name="OSDPartitions0VolumeLetterVariable" property="Partitions0VolumeLetterVariable">OSDisk</variable></defaultVarList>
    </step>
    <step type="⟦applyType|SMS_TaskSequence_ApplyOperatingSystemAction⟧" name="Apply Vista" runIn="WinPE">
      <action>OSDApplyOS.exe /image:⟦actionId|CEN00010⟧,%OSDImageIndex% /target:⟦osdisk|%OSDisk%⟧</action>
      <defaultVarList>
        <variable name="⟦imageIndex|OSDImageIndex⟧" property="ImageIndex">1</variable>
        <variable name="ImagePackageID" property="ImagePackageID" hidden="true">⟦imageId|CEN00010⟧</variable>
      </defaultVarList>
    </step>
    <step type="SMS_TaskSequence_ApplyWindowsSettingsAction" name="⟦settings|Settings⟧" runIn="WinPE">
      <action>osdwinsettings.exe /config</action>
      <defaultVarList>
        <variable name="OSDLocalAdminPassword" property="AdminPassword">P@ssw0rd!</variable>
        <variable name="OSDRandomAdminPassword" property="RandomAdminPassword">false</variable>
      </defaultVarList>
    </step>
    <step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup" runIn="WinPEandFullOS">
      <action>OSDSetupWindows.exe</action>
      <defaultVarList><variable name="_SMSClientPackageID" property="ClientPackageID">⟦client|CEN00004⟧</variable></defaultVarList>
    </step>
  </group>
  <⟦group|group⟧ name="State" continueOnError="true">
    <condition><operator type="⟦or|or⟧"><expression type="⟦wmi|SMS_TaskSequence_WMIConditionExpression⟧"><variable name="Namespace">root\\cimv2</variable><variable name="Query">SELECT * FROM Win32_ComputerSystem WHERE Model LIKE "%D630%"</variable></expression><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">MyVar</variable><variable name="Operator">exists</variable></expression></operator></condition>
    <step type="SMS_TaskSequence_SetVariableAction" name="Set MyVar">
      <action>tsenv.exe "MyVar=1"</action>
      <defaultVarList><variable name="VariableName" property="VariableName">MyVar</variable><variable name="VariableValue" property="VariableValue">1</variable></defaultVarList>
    </step>
    <step type="SMS_TaskSequence_CaptureUserStateAction" name="⟦capture|Capture state⟧">
      <action>osdmigrateuserstate.exe /capture</action>
    </step>
    <step type="SMS_TaskSequence_RunCommandLineAction" name="Echo" disable="true"><action>cmd /c echo ⟦myvar|%MyVar%⟧</action></step>
  </group>
</sequence>`;

void test('a step\'s type, name or element name shows the display name first, then docs', () => {
  for (const marked of [
    step('type="SMS_TaskSequence_Reboot$0Action" name="Restart"'),
    step('type="SMS_TaskSequence_RebootAction" name="Res$0tart"'),
    '<sequence><st$0ep type="SMS_TaskSequence_RebootAction" name="Restart"></step></sequence>',
  ]) {
    const h = hover(marked);
    assert.ok(h, marked);
    assert.match(h.markdown.split('\n')[0], /^\*\*Restart Computer\*\* — `SMS_TaskSequence_RebootAction`$/);
    assert.match(h.markdown, /\*Runs in:\* Windows PE or full OS/);
    assert.match(h.markdown, /\[Documentation\]\(https:\/\/learn\.microsoft\.com/);
  }
});

void test('a step hover says where this one runs, what it needs, its properties and values', () => {
  const h = hoverMarked(only('applyType'));
  const md = h.markdown;
  assert.match(md.split('\n')[0], /^\*\*Apply Operating System Image\*\* — `SMS_TaskSequence_ApplyOperatingSystemAction`$/);
  assert.match(md, /Step 3 "Apply Vista", in group "Install"/);
  assert.match(md, /\*Runs in:\* Windows PE only/);
  assert.match(md, /\*Here:\* runs in Windows PE \(after step 1 "Restart in Windows PE"/);
  assert.match(md, /A boot image on the sequence/);
  assert.match(md, /an operating system image \(`ImagePackageID`\) or an operating system upgrade package \(`InstallPackageID`\)/);
  assert.match(md, /- ImageIndex `OSDImageIndex`: `1`/);
  assert.match(md, /- ImagePackageID `ImagePackageID`: `CEN00010` \*\(hidden\)\*/);
  assert.match(md, /\[Documentation\]\(https:\/\/learn\.microsoft\.com\/.*#BKMK_ApplyOperatingSystemImage\)/);
});

/** SEQ with only the marker `name` kept, renamed to `h`. */
function only(name: string): string {
  return SEQ.replace(new RegExp(`⟦${name}\\|`), '⟦h|').replace(/⟦(?!h\|)[\w.-]+\|([^⟧]*)⟧/g, '$1');
}

void test('secrets are masked; Capture User State needs Request State Store; Setup Windows names the client package', () => {
  const settings = hoverMarked(only('settings')).markdown;
  assert.match(settings, /AdminPassword `OSDLocalAdminPassword`: •••••• \(hidden by cmts\)/);
  assert.doesNotMatch(settings, /P@ssw0rd/);
  assert.match(settings, /RegisteredOrgName `OSDRegisteredOrgName`: \*\*not set\*\* \(required\)/);
  const capture = hoverMarked(only('capture')).markdown;
  assert.match(capture, /Request State Store in capture mode before it, unless it keeps the state locally/);
  assert.match(capture, /\*Its group "State" runs only when\* the WMI query/);
  const setup = hover(step('type="SMS_TaskSequence_SetupWindowsAnd$0SMSAction" name="Setup"'))!.markdown;
  assert.match(setup, /a ConfigMgr client package \(`_SMSClientPackageID`\)/);
  assert.match(setup, /Apply Operating System Image before it/);
});

void test('a disabled step never runs; a step reached from both sides says so', () => {
  const off = hover(SEQ.replace('name="Echo" disable="true"><action>', 'name="Ec$0ho" disable="true"><action>').replace(/⟦[\w.-]+\|([^⟧]*)⟧/g, '$1'))!.markdown;
  assert.match(off, /\*Here:\* never runs: it is disabled/);
  const both = hover(step('type="SMS_TaskSequence_Run$0CommandLineAction" name="x"', '<action>cmd</action>'))!.markdown;
  assert.match(both, /may run in Windows PE or in the full OS/);
});

void test('a group shows its steps, where they run and its condition in words', () => {
  const md = hoverMarked(only('group')).markdown;
  assert.match(md.split('\n')[0], /^\*\*Group\*\* "State"$/);
  assert.match(md, /Holds steps 6–8 \(continues on error\)/);
  assert.match(md, /\*Runs only when\* the WMI query `SELECT \* FROM Win32_ComputerSystem WHERE Model LIKE "%D630%"` returns something or `MyVar` exists\./);
});

void test('MDT steps: BDD_* classes say where they come from; untyped steps are MDT command lines', () => {
  const bdd = hover(step('type="BDD_Gat$0her" name="Gather"', '<action>cscript.exe ZTIGather.wsf</action>'))!.markdown;
  assert.match(bdd.split('\n')[0], /^\*\*Gather\*\* — `BDD_Gather`$/);
  assert.match(bdd, /\*From:\* An MDT \(Microsoft Deployment Toolkit\) custom step/);
  assert.match(bdd, /toolkit-reference/);
  const untyped = hover('<sequence name="LTI"><step name="Val$0idate"><action>cscript.exe ZTIValidate.wsf</action></step></sequence>')!.markdown;
  assert.match(untyped, /MDT command line step/);
  assert.match(untyped, /`cscript.exe ZTIValidate.wsf`/);
});

void test('an unknown step type says so and suggests the class in the right case', () => {
  const h = hover(step('type="sms_tasksequence_reboot$0action" name="Restart"'));
  assert.match(h!.markdown, /Unknown step type/);
  assert.match(h!.markdown, /did you mean `SMS_TaskSequence_RebootAction`/);
});

void test('a variable: property of its step, who sets and reads it, read-only built-ins marked', () => {
  const prop = hoverMarked(only('imageIndex')).markdown;
  assert.match(prop.split('\n')[0], /^\*\*OSDImageIndex\*\* — step property variable$/);
  assert.match(prop, /The ImageIndex property of Apply Operating System Image: Which image of the WIM to apply/);
  assert.match(prop, /read by step 3 "Apply Vista" \(%OSDImageIndex% in the command line\)/);

  const winpe = hoverMarked(only('winpe')).markdown;
  assert.match(winpe.split('\n')[0], /^\*\*\\_SMSTSInWinPE\*\* — read-only built-in variable$/);
  assert.match(winpe, /\*Read-only:\*/);
  assert.match(winpe, /tested by step 1 "Restart in Windows PE"/);

  const osdisk = hoverMarked(only('osdisk')).markdown;
  assert.match(osdisk, /set by step 2 "Partition" \(Partitions\\<N\\>VolumeLetterVariable\)/);
  assert.match(osdisk, /read by step 3 "Apply Vista"/);

  const custom = hoverMarked(only('myvar')).markdown;
  assert.match(custom.split('\n')[0], /^\*\*MyVar\*\* — task sequence variable$/);
  assert.match(custom, /set by step 6 "Set MyVar" \(VariableName\)/);
  assert.match(custom, /tested by group "State"/);
  assert.match(custom, /read by step 8 "Echo"/);
});

void test('a condition parameter name gives its docs; the whole condition reads in words', () => {
  const op = hoverMarked(only('opname')).markdown;
  assert.match(op.split('\n')[0], /^\*\*Operator\*\* — parameter of the Task Sequence Variable condition$/);
  assert.match(op, /\*Values:\* `exists`, `notExists`/);
  const cond = hoverMarked(only('cond')).markdown;
  assert.match(cond.split('\n')[0], /^\*\*Condition\*\* of step 1 "Restart in Windows PE"$/);
  assert.match(cond, /Runs only when `_SMSTSInWinPE` does not equal `true`\./);
});

void test('operators and expressions read in plain words', () => {
  const or = hoverMarked(only('or')).markdown;
  assert.match(or.split('\n')[0], /^\*\*If statement\*\* `or` — any of the conditions inside$/);
  assert.match(or, /True when the WMI query .* returns something or `MyVar` exists\./);
  const wmi = hoverMarked(only('wmi')).markdown;
  assert.match(wmi.split('\n')[0], /^\*\*Query WMI\*\* condition — `SMS_TaskSequence_WMIConditionExpression`$/);
  assert.match(wmi, /The whole condition of group "State": runs only when/);
  const not = hover('<sequence><step type="SMS_TaskSequence_RebootAction" name="R"><condition><operator type="not"><expression type="SMS_TaskSequence_FileConditionExpression"><variable name="Path">C:\\x.txt</variable></expression><expression type="SMS_TaskSequence_RegistryConditionExpression"><variable name="KeyPath">HKLM\\Software\\C</variable><variable name="Value">V</variable><variable name="Operator">equals</variable><variable name="Data">1</variable></expression></operator></condition></step></sequence>'.replace('<operator type="not">', '<op$0erator type="not">'))!.markdown;
  assert.match(not, /True when none of \(the file `C:\\x.txt` exists; the registry value `HKLM\\Software\\C\\V` equals `1`\)\./);
});

void test('a content ID anywhere: reference list, property, command line, BootImageID; missing or no site', () => {
  for (const name of ['imageId', 'actionId']) {
    const md = hoverMarked(only(name)).markdown;
    assert.match(md.split('\n')[0], /^\*\*Vista SP1\*\* — operating system image `CEN00010`$/);
    assert.match(md, /- Architecture: x86/);
    assert.match(md, /- Distributed to: DP01/);
  }
  const ref = hover(SEQ.replace('package="CEN00010"', 'package="CEN0$00010"').replace(/⟦[\w.-]+\|([^⟧]*)⟧/g, '$1'))!;
  assert.match(ref.markdown, /operating system image `CEN00010`/);
  const boot = hover('<SmsTaskSequencePackage><BootImageID>CEN0$00002</BootImageID><SequenceData><sequence version="3.00"/></SequenceData></SmsTaskSequencePackage>')!.markdown;
  assert.match(boot, /^\*\*Boot x86\*\* — boot image `CEN00002`/);
  assert.match(boot, /- Windows PE: 2\.1/);
  const client = hoverMarked(only('client')).markdown;
  assert.match(client, /^\*\*ConfigMgr Client\*\* — client package `CEN00004`/);
  const body = '<defaultVarList><variable name="_SMSClientPackageID" property="ClientPackageID">CEN0$00004</variable></defaultVarList>';
  const missing = hover(step('type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup"', body.replace('CEN0$00004', 'CEN0$00009')));
  assert.match(missing!.markdown, /Not in the site description/);
  const noSite = hover(step('type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup"', body), null);
  assert.match(noSite!.markdown, /No site description applies/);
  const wrongKind = hover(step('type="SMS_TaskSequence_ApplyDriverPackageAction" name="D"', '<defaultVarList><variable name="OSDApplyDriverDriverPackageID" property="DriverPackageID">CEN0$00010</variable></defaultVarList>'))!.markdown;
  assert.match(wrongKind, /\*\*Warning:\*\* this place takes a driver package, not an operating system image\./);
  const undistributed = hover(step('type="SMS_TaskSequence_ApplyDriverPackageAction" name="D"', '<defaultVarList><variable name="OSDApplyDriverDriverPackageID" property="DriverPackageID">CEN0$00020</variable></defaultVarList>'))!.markdown;
  assert.match(undistributed, /Not on any distribution point/);
});

void test('nothing to say elsewhere', () => {
  assert.equal(hover('<sequence>$0<step type="SMS_TaskSequence_RebootAction" name="R"></step></sequence>'), undefined);
  assert.equal(hover(step('type="SMS_TaskSequence_RebootAction" name="R"', '<action>smsboot$0.exe</action>')), undefined);
});

void test('every step class of the catalogue: display name, description, context and docs link (or where an MDT step comes from)', () => {
  const actions = catalog.actions();
  assert.equal(actions.filter((t) => !t.mdt).length, 36, 'the 36 ConfigMgr step classes');
  for (const t of actions) {
    const element = t.type === 'SMS_TaskSequence_SubTasksequence' ? 'subtasksequence' : 'step';
    const text = `<sequence><${element} type="${t.type}" name="x"></${element}></sequence>`;
    const at = text.indexOf(t.type) + 5;
    const h = hoverAt(parseTaskSequence(text).model, at, undefined, catalog, text);
    assert.ok(h, t.type);
    const lines = h.markdown.split('\n');
    assert.ok(lines[0].startsWith(`**${t.displayName.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)}** — \`${t.type}\``), `${t.type} first line: ${lines[0]}`);
    assert.ok(t.description.length > 40 && h.markdown.includes(t.description.slice(0, 30)), `${t.type} description`);
    assert.ok(h.markdown.includes(`*Runs in:* `), `${t.type} context`);
    if (t.docsUrl) assert.ok(h.markdown.includes(`](${t.docsUrl})`), `${t.type} docs link`);
    else assert.match(h.markdown, /No public page documents/, `${t.type} says why there is no link`);
    if (t.mdt) assert.match(h.markdown, /MDT \(Microsoft Deployment Toolkit\) custom step/, `${t.type} origin`);
  }
});

// ---- the variable flow in hover ----------------------------------------------------------------

const FLOW_SEQ = (cursorAt: 'condition' | 'command' | 'setName' | 'unset' | 'script') => [
  '<sequence version="3.10">',
  '  <step type="SMS_TaskSequence_SetVariableAction" name="Set Office" runIn="WinPEandFullOS" successCodeList="0">',
  '    <action>tsenv.exe "OfficeChannel=%Channel%"</action>',
  '    <defaultVarList>',
  `      <variable name="VariableName" property="VariableName">${cursorAt === 'setName' ? 'Off$0iceChannel' : 'OfficeChannel'}</variable>`,
  '      <variable name="VariableValue" property="VariableValue">Current</variable>',
  '    </defaultVarList>',
  '  </step>',
  '  <step type="SMS_TaskSequence_RunCommandLineAction" name="Install Office" runIn="FullOS" successCodeList="0">',
  '    <condition><expression type="SMS_TaskSequence_VariableConditionExpression">',
  '      <variable name="Operator">exists</variable>',
  `      <variable name="Variable">${cursorAt === 'condition' ? 'Office$0Channel' : 'OfficeChannel'}</variable>`,
  '    </expression></condition>',
  `    <action>setup.exe /channel:%${cursorAt === 'command' ? 'Office$0Channel' : 'OfficeChannel'}% /lang:%${cursorAt === 'unset' ? 'Off$0iceLanguage' : 'OfficeLanguage'}%</action>`,
  '  </step>',
  `  <step type="SMS_TaskSequence_RunCommandLineAction" name="After the install" runIn="FullOS" successCodeList="0"><action>tool.exe %${cursorAt === 'script' ? 'Off$0iceLanguage' : 'OfficeLanguage'}%</action></step>`,
  '</sequence>',
].join('\n');

void test('hover on a variable in a condition or a command line says what sets it on the way there (variable flow)', () => {
  for (const at of ['condition', 'command'] as const) {
    const h = hover(FLOW_SEQ(at));
    assert.ok(h, at);
    assert.match(h.markdown, /^\*\*OfficeChannel\*\* — task sequence variable/);
    assert.match(h.markdown, /\*Before this step:\* can have a value: set by step 1 "Set Office" \(VariableName\)\./, at);
    assert.match(h.markdown, /set by step 1 "Set Office"/, 'the list of places stays');
  }
});

void test('hover on a variable nothing sets before it says so; after a script it is unknown', () => {
  const unset = hover(FLOW_SEQ('unset'));
  assert.match(unset?.markdown ?? '', /\*Before this step:\* nothing in this sequence sets it; it is empty here unless a collection or device variable/);
  const script = hover(FLOW_SEQ('script'));
  // Any program run by a command line may set variables (the TSEnvironment COM object): the first one decides.
  assert.match(script?.markdown ?? '', /\*Before this step:\* step 2 "Install Office" runs a program or script .* whether it has a value here is not known\./);
});

void test('hover on the name Set Task Sequence Variable sets lists the steps that read it later', () => {
  const h = hover(FLOW_SEQ('setName'));
  assert.match(h?.markdown ?? '', /\*Read after it:\* step 2 "Install Office"\./);
  assert.doesNotMatch(h?.markdown ?? '', /\*Before this step:\*/);
});

void test('hover on an engine variable adds no flow line', () => {
  const h = hover(step('type="SMS_TaskSequence_RunCommandLineAction" name="s"', '<action>cmd.exe /c echo %_SMSTS$0LogPath%</action>'));
  assert.ok(h);
  assert.doesNotMatch(h.markdown, /\*Before this step:\*/);
});

void test('hover on %Name% in the global list, in a group\'s condition and in a step\'s condition inside a group', () => {
  const seq = (at: 'global' | 'group' | 'step'): string => [
    '<sequence version="3.00">',
    `  <globalVarList><variable name="Root" property="Root">${at === 'global' ? '%Sys$0Drive%' : '%SysDrive%'}\\root</variable></globalVarList>`,
    '  <group name="G"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">X</variable><variable name="Operator">equals</variable>',
    `    <variable name="Value">${at === 'group' ? '%Gr$0oupVar%' : '%GroupVar%'}</variable></expression></condition>`,
    '    <step type="SMS_TaskSequence_RunCommandLineAction" name="In the group" runIn="FullOS" successCodeList="0"><action>cmd /c echo</action>',
    '      <condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">Y</variable><variable name="Operator">equals</variable>',
    `      <variable name="Value">${at === 'step' ? '%St$0epVar%' : '%StepVar%'}</variable></expression></condition></step>`,
    '  </group>',
    '</sequence>',
  ].join('\n');
  for (const [at, name] of [['global', 'SysDrive'], ['group', 'GroupVar'], ['step', 'StepVar']] as const) {
    const h = hover(seq(at));
    assert.ok(h, at);
    assert.ok(h.markdown.includes(name), `${at}: ${h.markdown.slice(0, 200)}`);
  }
});
