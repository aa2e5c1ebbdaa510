// The fix judge over every XML fixture and the example workspace (helpers/fixJudge.ts): every fix
// the findings' data describes is applied and judged by the sequence it leaves; every fix the engine
// still offers with the judge on passes every rule. Also the judge's own rules on small cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../../server/src/analysis';
import { catalog } from '../../server/src/catalog';
import { builtinVariable } from '../../server/src/catalog';
import { judgeFix, usageVariableFlow } from '../../server/src/features/fixSafety';
import { percentRefs, variableUses } from '../../server/src/features/variableUsage';
import { parseTaskSequence } from '../../server/src/model/parse';
import { conditionLeaves } from '../../server/src/model/query';
import type { Step } from '../../server/src/model/types';
import { orderOf } from '../../server/src/semantics/stepInfo';
import { SHAPES, shapeSequence } from '../../scripts/shapes';
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
  assert.ok(restart.some((p) => /boots an OS whose setup has not run/.test(p)), restart.join('; '));
  assert.deepEqual(judge(before, `<sequence version="3.10">${PE}${APPLY}${SETUP}${OFFICE}</sequence>`), []);
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

// The judge's variable flow is worked out in one pass (issue 21: name by name it cost names × steps);
// it must say what variableUses, asked name by name, says, on every fixture, example and shape.
void test('the one-pass variable flow agrees with variableUses asked name by name', () => {
  const reference = (text: string): string[] => {
    const model = parseTaskSequence(text).model;
    const order = orderOf(model);
    const out = new Map<Step, Set<string>>();
    const names = new Set<string>();
    for (const s of model.steps) for (const t of [...s.variables.map((v) => v.value), s.action?.text ?? '']) for (const r of percentRefs(t)) names.add(r.name.toLowerCase());
    for (const it of [...model.steps, ...model.groups]) {
      for (const { node } of conditionLeaves(it.condition?.children ?? [])) {
        if (node.kind !== 'expression') continue;
        for (const p of node.parameters) {
          if (node.type === 'SMS_TaskSequence_VariableConditionExpression' && p.name.toLowerCase() === 'variable') names.add(p.value.trim().toLowerCase());
          else for (const r of percentRefs(p.value)) names.add(r.name.toLowerCase());
        }
      }
    }
    for (const name of names) {
      const builtin = builtinVariable(name);
      if (name === '' || (builtin && builtin.setBy === undefined)) continue;
      const uses = variableUses(model, catalog, name);
      const global = uses.some((u) => u.kind === 'global');
      const first = Math.min(...uses.filter((u) => u.kind === 'sets' && u.item?.kind === 'step').map((u) => order.index.get(u.item as Step) ?? Infinity));
      for (const u of uses) {
        if ((u.kind !== 'reads' && u.kind !== 'tests') || u.item?.kind !== 'step') continue;
        const i = order.index.get(u.item);
        if (i === undefined || !(global || first < i)) continue;
        const set = out.get(u.item) ?? new Set<string>();
        out.set(u.item, set.add(name));
      }
    }
    return [...out].map(([s, n]) => `${s.number} ${[...n].sort().join(',')}`).sort();
  };
  const fast = (text: string): string[] => [...usageVariableFlow.setReads(parseTaskSequence(text).model, catalog)].map(([s, n]) => `${s.number} ${[...n].sort().join(',')}`).sort();
  const texts = [join(REPO, 'test', 'fixtures'), join(REPO, 'examples')].flatMap(xmlFiles).map((f) => readFileSync(f, 'utf8'));
  texts.push(...SHAPES.map((s) => shapeSequence(s, 120)));
  // Download Package Content sets <base>01 …; the global list; a built-in variable set by design.
  texts.push(`<sequence version="3.10"><globalVarList><variable name="G">1</variable></globalVarList>
<step type="SMS_TaskSequence_RunCommandLineAction" name="A"><action>cmd /c echo %Pkg01% %G% %_SMSTSMDataPath%</action></step>
<step type="SMS_TaskSequence_DownloadPackageContentAction" name="D"><action>x</action><defaultVarList><variable name="DestinationVariable" property="DestinationVariable">Pkg</variable></defaultVarList></step>
<step type="SMS_TaskSequence_RunCommandLineAction" name="B"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">PKG02</variable><variable name="Operator">exists</variable></expression></condition><action>cmd /c echo %Pkg01% %pkg1% %G%</action></step>
</sequence>`);
  let compared = 0;
  for (const t of texts) {
    const want = reference(t);
    assert.deepEqual(fast(t), want);
    compared += want.length;
  }
  assert.ok(compared > 50, `steps with variables set before they are read: ${compared}`);
});
