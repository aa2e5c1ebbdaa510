// The fix judge over every XML fixture and the example workspace (helpers/fixJudge.ts): every fix
// the findings' data describes is applied and judged by the sequence it leaves; every fix the engine
// still offers with the judge on passes every rule. Also the judge's own rules on small cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../server/src/analysis';
import { catalog } from '../../server/src/catalog';
import { judgeFix } from '../../server/src/features/fixSafety';
import { documentAt } from './helpers/documents';
import { formatJudgeStats, judgeDocument, newJudgeStats } from './helpers/fixJudge';

const REPO = join(__dirname, '..', '..');

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? xmlFiles(p) : n.endsWith('.xml') ? [p] : [];
  });
}

void test('every offered fix in the fixtures and examples leaves a sequence that still runs', () => {
  const stats = newJudgeStats();
  for (const root of [join(REPO, 'test', 'fixtures'), join(REPO, 'examples')]) for (const f of xmlFiles(root)) judgeDocument(documentAt(f, root), stats);
  console.log(formatJudgeStats('fixtures + examples', stats));
  assert.deepEqual(stats.failures, []);
  assert.ok(stats.passing > 0, 'some fixes pass');
});

const step = (name: string, type: string, runIn: string, action: string): string => `<step type="${type}" name="${name}" runIn="${runIn}"><action>${action}</action></step>`;
const PE = step('Restart in Windows PE', 'SMS_TaskSequence_RebootAction', 'WinPEandFullOS', 'smsboot.exe /target:WinPE').replace('</action>', '</action><defaultVarList><variable name="SMSRebootTarget" property="Target">WinPE</variable></defaultVarList>');
const HD = PE.replace(/WinPE<\/variable>/, 'HD</variable>').replace('/target:WinPE', '/target:HD').replace('Restart in Windows PE', 'Restart Computer');
const APPLY = step('Apply OS', 'SMS_TaskSequence_ApplyOperatingSystemAction', 'WinPE', 'OSDApplyOS.exe');
const OFFICE = step('Install Office', 'SMS_TaskSequence_InstallSoftwareAction', 'FullOS', 'smsswd.exe');
const SETUP = step('Setup Windows and ConfigMgr', 'SMS_TaskSequence_SetupWindowsAndSMSAction', 'WinPEandFullOS', 'OSDSetupWindows.exe');

function judge(before: string, after: string): string[] {
  const a = checkText(before, {});
  const b = checkText(after, {});
  const p = before.indexOf('<step') === after.indexOf('<step') ? 0 : 0;
  return judgeFix({ text: before, ...a }, { text: after, ...b }, [{ span: { start: p, end: before.length }, newText: after.slice(p) }], { catalog, startIn: 'both' });
}

void test('a restart into the applied OS before Setup Windows is judged unsafe; moving the step after Setup Windows is safe', () => {
  const before = `<sequence version="3.10">${PE}${APPLY}${OFFICE}${SETUP}</sequence>`;
  const restart = judge(before, `<sequence version="3.10">${PE}${APPLY}${HD}${OFFICE}${PE}${SETUP}</sequence>`);
  assert.ok(restart.some((p) => /restarts into an OS whose setup has not run/.test(p)), restart.join('; '));
  assert.deepEqual(judge(before, `<sequence version="3.10">${PE}${APPLY}${SETUP}${OFFICE}</sequence>`), []);
});

void test('a restart into the installed OS after Format and Partition Disk or Prepare Windows for Capture is judged unsafe', () => {
  const format = step('Format and Partition Disk', 'SMS_TaskSequence_PartitionDiskAction', 'WinPE', 'osddiskpart.exe');
  const prepare = step('Prepare Windows for Capture', 'SMS_TaskSequence_PrepareOSAction', 'FullOS', 'osdprepareos.exe');
  const wiped = judge(`<sequence version="3.10">${PE}${format}${OFFICE}</sequence>`, `<sequence version="3.10">${PE}${format}${HD}${OFFICE}</sequence>`);
  assert.ok(wiped.some((p) => /restarts into a disk just formatted/.test(p)), wiped.join('; '));
  const generalized = judge(`<sequence version="3.10">${prepare}${OFFICE}</sequence>`, `<sequence version="3.10">${prepare}${HD}${OFFICE}</sequence>`);
  assert.ok(generalized.some((p) => /restarts into the OS Prepare Windows for Capture generalized/.test(p)), generalized.join('; '));
  // Once an OS is applied and set up, the same restart is no problem of this kind.
  const setUp = judge(`<sequence version="3.10">${PE}${format}${APPLY}${SETUP}${PE}${OFFICE}</sequence>`, `<sequence version="3.10">${PE}${format}${APPLY}${SETUP}${PE}${HD}${OFFICE}</sequence>`);
  assert.ok(!setUp.some((p) => /restarts into/.test(p)), setUp.join('; '));
});

void test('a step that no longer runs, or a variable no longer set before its reader, is judged unsafe', () => {
  const setVar = '<step type="SMS_TaskSequence_SetVariableAction" name="Set Drive" runIn="WinPEandFullOS"><action>tsenv.exe</action><defaultVarList><variable name="VariableName" property="VariableName">MyDrive</variable><variable name="VariableValue" property="VariableValue">C:</variable></defaultVarList></step>';
  const reader = step('Use Drive', 'SMS_TaskSequence_RunCommandLineAction', 'WinPEandFullOS', 'cmd /c dir %MyDrive%');
  const before = `<sequence version="3.10">${setVar}${reader}</sequence>`;
  assert.deepEqual(judge(before, before), []);
  const swapped = judge(before, `<sequence version="3.10">${reader}${setVar}</sequence>`);
  assert.ok(swapped.some((p) => /reads mydrive, which is no longer set/i.test(p)), swapped.join('; '));
  const disabled = judge(before, `<sequence version="3.10">${setVar}${reader.replace('<step ', '<step disable="true" ')}</sequence>`);
  assert.ok(disabled.some((p) => /no longer runs|is gone/.test(p)), disabled.join('; '));
});
