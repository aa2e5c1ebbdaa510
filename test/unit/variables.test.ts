// The variable flow (semantics/variables.ts): which variables can be set when each step runs, where
// each is read, names without regard to case, and "unknown" where a script or Gather may set anything.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTaskSequence } from '../../server/src/model/parse';
import { catalog } from '../../server/src/catalog';
import { usesOf, variableFlow } from '../../server/src/semantics/variables';
import { startInFrom } from '../../server/src/semantics/flow';
import { startOf } from '../../server/src/semantics/stepFacts';

function step(type: string, name: string, action: string, vars: [string, string, string][] = [], cond = ''): string {
  const v = vars.map(([n, p, val]) => `<variable name="${n}" property="${p}">${val}</variable>`).join('');
  return `<step type="SMS_TaskSequence_${type}" name="${name}">${cond}<action>${action}</action><defaultVarList>${v}</defaultVarList></step>`;
}
const setVar = (name: string, variable: string, value: string): string =>
  step('SetVariableAction', name, 'tsenv.exe', [['VariableName', 'VariableName', variable], ['VariableValue', 'VariableValue', value]]);
const cond = (variable: string, op = 'equals'): string =>
  `<condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">${op}</variable><variable name="Value">x</variable><variable name="Variable">${variable}</variable></expression></condition>`;

function flowOfText(body: string, globals = '') {
  const { model } = parseTaskSequence(`<sequence version="3.10">${globals}${body}</sequence>`);
  return { model, flow: variableFlow(model, catalog) };
}

void test('a variable is set only after the step that sets it, case-insensitively', () => {
  const { model, flow } = flowOfText(step('RunCommandLineAction', 'Early', 'a.cmd %appdir%') + setVar('Set', 'AppDir', 'C:\\x') + step('RunCommandLineAction', 'Late', 'b.cmd %APPDIR%'));
  const [early, , late] = model.steps;
  assert.equal(flow.at('appdir', early), 'unset');
  assert.equal(flow.at('AppDir', late), 'set');
  const uses = usesOf(flow, 'APPDIR');
  assert.deepEqual(uses.reads.map((r) => [r.item.name, r.how]), [['Early', 'command line'], ['Late', 'command line']]);
  assert.deepEqual(uses.sets.map((s) => s.step?.name), ['Set']);
});

void test('read-only, environment and global variables are never "unset"', () => {
  const { model, flow } = flowOfText(step('RunCommandLineAction', 'Use', 'x.cmd'), '<globalVarList><variable name="SiteVar">1</variable></globalVarList>');
  const s = model.steps[0];
  assert.equal(flow.at('_SMSTSInWinPE', s), 'unknown');
  assert.equal(flow.at('WINDIR', s), 'unknown');
  assert.equal(flow.at('sitevar', s), 'set');
});

void test('conditions are reads, and an exists test is marked as such', () => {
  const { flow } = flowOfText(step('RunCommandLineAction', 'A', 'a.cmd', [], cond('DeployOffice')) + step('RunCommandLineAction', 'B', 'b.cmd', [], cond('Maybe', 'exists')));
  assert.deepEqual(flow.reads.map((r) => [r.name, r.how, r.existence]), [['DeployOffice', 'condition', false], ['Maybe', 'condition', true]]);
});

void test('after a script or a Gather with rules any variable may be set; Gather without rules sets its own list', () => {
  const script = flowOfText(step('RunPowerShellScriptAction', 'Script', 'OSDRunPowerShellScript.exe') + step('RunCommandLineAction', 'After', 'x.cmd'));
  assert.equal(script.flow.at('Anything', script.model.steps[1]), 'unknown');
  const local = flowOfText(
    `<step type="BDD_Gather" name="Gather"><action>cscript.exe ZTIGather.wsf</action><defaultVarList><variable name="GatherLocalOnly" property="GatherLocalOnly">true</variable></defaultVarList></step>` +
      step('RunCommandLineAction', 'After', 'x.cmd'),
  );
  const after = local.model.steps[1];
  assert.equal(local.flow.at('Model', after), 'set');
  assert.equal(local.flow.at('MacAddress001', after), 'set');
  assert.equal(local.flow.at('NotGathered', after), 'unset');
});

void test('Set Dynamic Variables sets the variables its rules name, and output variables count', () => {
  const rules = '&lt;Rules&gt;&lt;Rule&gt;&lt;Variables&gt;&lt;Variable Name="Role" IsSecret="false"&gt;Kiosk&lt;/Variable&gt;&lt;/Variables&gt;&lt;/Rule&gt;&lt;/Rules&gt;';
  const { model, flow } = flowOfText(
    step('SetDynamicVariablesAction', 'Rules', 'OSDSetDynamicVariables.exe', [['OSDSetDynamicVariablesRules', 'Rules', rules]]) +
      step('RunCommandLineAction', 'Out', 'x.exe', [['SMSTSRunCommandLineOutputVariableName', 'OutputVariableName', 'Result']]) +
      step('RunCommandLineAction', 'Last', 'y.cmd'),
  );
  const last = model.steps[2];
  assert.equal(flow.at('role', last), 'set');
  assert.equal(flow.at('result', last), 'set');
});

void test('where a deployment starts: the front end first, else the site description entry', () => {
  const { model } = parseTaskSequence('<sequence version="3.10"></sequence>');
  assert.equal(startInFrom({ startIn: 'WinPE' }), 'WinPE');
  assert.equal(startOf({ model, text: '', catalog, extra: {} }), 'both');
  assert.equal(startOf({ model, text: '', catalog, extra: { startIn: 'FullOS' } }), 'FullOS');
});
