// The execution-environment analysis (server/src/rules/flow.ts) on small sequences: start states,
// restarts, Setup Windows and ConfigMgr, Prepare Windows for Capture, child sequences, conditions on
// _SMSTSInWinPE in and/or/not trees, disabled items and continue-on-error. Steps are found by a
// marker around their name (⟦id|…⟧, helpers/markers.ts), never by line numbers.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTaskSequence } from '../../server/src/model/parse';
import { catalog } from '../../server/src/catalog';
import type { ConditionNode, Step, TaskSequenceModel } from '../../server/src/model/types';
import { allowedEnvs, analyzeFlow, envsOf, flowOf, restartTarget, startInFrom, truthIn, type Env, type Flow, type StartIn } from '../../server/src/semantics/flow';
import { markers, spanOf, type Marked } from './helpers/markers';

// ---- fixture builders ---------------------------------------------------------------------------

const q = (s: string): string => s.replace(/"/g, '&quot;');
function stepXml(type: string, name: string, opts: { runIn?: string; action?: string; vars?: [string, string, string][]; cond?: string; attrs?: string } = {}): string {
  const vars = (opts.vars ?? []).map(([n, p, v]) => `<variable name="${n}" property="${p}">${v}</variable>`).join('');
  return `<step type="SMS_TaskSequence_${type}" name="${name}" description=""${opts.attrs ?? ''} runIn="${opts.runIn ?? 'WinPEandFullOS'}" successCodeList="0">` +
    `${opts.cond ?? ''}<action>${opts.action ?? 'cmd.exe'}</action><defaultVarList>${vars}</defaultVarList></step>`;
}
const cmd = (name: string, cond = '', attrs = ''): string => stepXml('RunCommandLineAction', name, { cond, attrs, vars: [['CommandLine', 'CommandLine', 'cmd.exe /c echo']] });
const restart = (name: string, target: string, cond = '', action = `smsboot.exe /target:${target}`): string =>
  stepXml('RebootAction', name, { action, cond, vars: [['SMSRebootTarget', 'Target', target]] });
const setup = (name: string): string => stepXml('SetupWindowsAndSMSAction', name, { action: 'OSDSetupWindows.exe', vars: [['_SMSClientPackageID', 'ClientPackageID', 'PS100004']] });
const prepareOs = (name: string, shutdown = 'false'): string => stepXml('PrepareOSAction', name, { runIn: 'FullOS', action: 'osdprepareos.exe', vars: [['OSDShutdownPreparedOs', 'ShutdownPreparedOs', shutdown]] });
const inWinPE = (op: string, value: string): string =>
  `<expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">${op}</variable><variable name="Value">${value}</variable><variable name="Variable">_SMSTSInWinPE</variable></expression>`;
const other = '<expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">equals</variable><variable name="Value">REFRESH</variable><variable name="Variable">DeploymentType</variable></expression>';
const cond = (...parts: string[]): string => `<condition>${parts.join('')}</condition>`;
const op = (type: string, ...parts: string[]): string => `<operator type="${type}">${parts.join('')}</operator>`;
const group = (name: string, children: string[], cond = '', attrs = ''): string => `<group name="${q(name)}" description=""${attrs}>${cond}${children.join('')}</group>`;
const seq = (children: string[], attrs = ' version="3.10"'): string => `<sequence${attrs}>${children.join('')}</sequence>`;

interface Case {
  m: Marked;
  model: TaskSequenceModel;
  flow: Flow;
}

function run(raw: string, startIn: StartIn = 'both'): Case {
  const m = markers(raw);
  const { model, problems } = parseTaskSequence(m.text);
  assert.deepEqual(problems, [], 'fixture must be well-formed');
  return { m, model, flow: analyzeFlow(model, startIn) };
}

/** The step whose name attribute value is the marked span. */
function marked(c: Case, id: string): Step {
  const span = spanOf(c.m, id);
  const s = c.model.steps.find((x) => x.attrs.name?.span.start === span.start && x.attrs.name.span.end === span.end);
  assert.ok(s, `no step named by marker ${id}`);
  return s;
}

function runsIn(c: Case, id: string): Env[] {
  const at = c.flow.steps.get(marked(c, id));
  assert.ok(at, `no flow entry for ${id}`);
  return envsOf(at.runs);
}

function causes(c: Case, id: string, env: Env): string[] {
  return (c.flow.steps.get(marked(c, id))?.runs.get(env) ?? []).map((x) => (x === 'start' ? 'start' : x.name)).sort();
}

// ---- tests ----------------------------------------------------------------------------------------

void describe('start state', () => {
  const xml = seq([cmd('⟦first|First⟧')]);
  test('both environments are possible unless the caller says otherwise', () => {
    const c = run(xml);
    assert.deepEqual(runsIn(c, 'first'), ['WinPE', 'FullOS']);
    assert.deepEqual(causes(c, 'first', 'WinPE'), ['start']);
  });
  test('startIn WinPE (media, PXE) and FullOS (Software Center) narrow the start', () => {
    assert.deepEqual(runsIn(run(xml, 'WinPE'), 'first'), ['WinPE']);
    assert.deepEqual(runsIn(run(xml, 'FullOS'), 'first'), ['FullOS']);
  });
  test('the hint comes from the caller\'s extra context; anything but WinPE or FullOS means both', () => {
    assert.equal(startInFrom({ startIn: 'WinPE' }), 'WinPE');
    assert.equal(startInFrom({ startIn: 'FullOS' }), 'FullOS');
    assert.equal(startInFrom({ startIn: 'clients' }), 'both');
    assert.equal(startInFrom({}), 'both');
  });
  test('flowOf walks a model once per start state', () => {
    const { model } = parseTaskSequence(markers(xml).text);
    assert.equal(flowOf(model, 'both'), flowOf(model, 'both'));
    assert.notEqual(flowOf(model, 'both'), flowOf(model, 'WinPE'));
  });
  test('an MDT Lite Touch sequence ignores the start hint: LiteTouch starts from either', () => {
    const c = run(seq([cmd('⟦first|First⟧')], ' version="3.00" name="Standard Client Task Sequence"'), 'FullOS');
    assert.equal(c.flow.liteTouch, true);
    assert.deepEqual(runsIn(c, 'first'), ['WinPE', 'FullOS']);
  });
});

void describe('transitions', () => {
  test('Restart Computer goes to its target, and the restart is the cause', () => {
    const c = run(seq([restart('To PE', 'WinPE'), cmd('⟦pe|In PE⟧'), restart('To OS', 'HD'), cmd('⟦os|In OS⟧')]));
    assert.deepEqual(runsIn(c, 'pe'), ['WinPE']);
    assert.deepEqual(causes(c, 'pe', 'WinPE'), ['To PE']);
    assert.deepEqual(runsIn(c, 'os'), ['FullOS']);
    assert.deepEqual(causes(c, 'os', 'FullOS'), ['To OS']);
  });
  test('an unknown or contradictory restart target leaves both possible', () => {
    const c = run(seq([
      restart('To PE', 'WinPE'), restart('No target', '', '', 'smsboot.exe /target:%MyTarget%'), cmd('⟦a|After unknown⟧'),
      restart('To PE again', 'WinPE'), restart('Disagreeing', 'HD', '', 'smsboot.exe /target:WinPE'), cmd('⟦b|After disagreement⟧'),
    ]));
    assert.deepEqual(runsIn(c, 'a'), ['WinPE', 'FullOS']);
    assert.deepEqual(runsIn(c, 'b'), ['WinPE', 'FullOS']);
  });
  test('restartTarget reads the command line and the Target property', () => {
    const c = run(seq([restart('⟦r|R⟧', 'HD'), restart('⟦s|S⟧', '', '', 'smsboot.exe /target:WinPE')]));
    assert.equal(restartTarget(marked(c, 'r')), 'FullOS');
    assert.equal(restartTarget(marked(c, 's')), 'WinPE');
  });
  test('in Lite Touch every restart may land in either environment', () => {
    const c = run(seq([restart('To PE', 'WinPE'), cmd('⟦a|After⟧')], ' version="3.00" name="Client"'));
    assert.deepEqual(runsIn(c, 'a'), ['WinPE', 'FullOS']);
  });
  test('Setup Windows and ConfigMgr leads to the full OS, Prepare Windows for Capture back to Windows PE', () => {
    const c = run(seq([setup('Setup'), cmd('⟦os|In OS⟧'), prepareOs('Sysprep'), cmd('⟦pe|In PE⟧'), prepareOs('Sysprep and shut down', 'true'), cmd('⟦x|After shutdown⟧')]));
    assert.deepEqual(runsIn(c, 'os'), ['FullOS']);
    assert.deepEqual(causes(c, 'os', 'FullOS'), ['Setup']);
    assert.deepEqual(runsIn(c, 'pe'), ['WinPE']);
    assert.deepEqual(runsIn(c, 'x'), ['WinPE', 'FullOS']);
  });
  test('a child sequence may restart: both environments after it', () => {
    const child = '<subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Child" description=""><action>SubTasksequence.exe</action><defaultVarList><variable name="OSDSubTasksequencePackageID" property="TsPackageID">PS100041</variable></defaultVarList></subtasksequence>';
    const c = run(seq([setup('Setup'), child, cmd('⟦a|After child⟧')]));
    assert.deepEqual(runsIn(c, 'a'), ['WinPE', 'FullOS']);
    assert.deepEqual(causes(c, 'a', 'WinPE'), ['Child']);
  });
});

void describe('conditions on _SMSTSInWinPE', () => {
  test('equals / notEquals true and false, in any case, narrow the step; the skip path keeps the rest', () => {
    const c = run(seq([
      cmd('⟦t|Only PE⟧', cond(inWinPE('equals', 'TRUE'))),
      cmd('⟦f|Only OS⟧', cond(inWinPE('equals', 'false'))),
      cmd('⟦nt|Not PE⟧', cond(inWinPE('notEquals', 'True'))),
      restart('⟦r|Restart in Windows PE⟧', 'WinPE', cond(inWinPE('equals', 'false'))),
      cmd('⟦after|After the conditional restart⟧'),
    ]));
    assert.deepEqual(runsIn(c, 't'), ['WinPE']);
    assert.deepEqual(runsIn(c, 'f'), ['FullOS']);
    assert.deepEqual(runsIn(c, 'nt'), ['FullOS']);
    assert.deepEqual(runsIn(c, 'r'), ['FullOS']);
    // Restarted from the full OS, or already in Windows PE (the restart was skipped there).
    assert.deepEqual(runsIn(c, 'after'), ['WinPE']);
    assert.deepEqual(causes(c, 'after', 'WinPE'), ['Restart in Windows PE', 'start']);
    assert.deepEqual(c.flow.steps.get(marked(c, 't'))?.narrowedBy.map((i) => i.name), ['Only PE']);
  });
  test('a group condition narrows everything inside it', () => {
    const c = run(seq([group('Old OS', [cmd('⟦in|Inside⟧')], cond(inWinPE('equals', 'false'))), cmd('⟦out|Outside⟧')]));
    assert.deepEqual(runsIn(c, 'in'), ['FullOS']);
    assert.deepEqual(c.flow.steps.get(marked(c, 'in'))?.narrowedBy.map((i) => i.name), ['Old OS']);
    assert.deepEqual(runsIn(c, 'out'), ['WinPE', 'FullOS']);
  });
  test('and / or / not trees; other tests are unknown and keep both', () => {
    const c = run(seq([
      cmd('⟦and|And⟧', cond(op('and', inWinPE('equals', 'true'), other))),
      cmd('⟦or|Or⟧', cond(op('or', inWinPE('equals', 'true'), other))),
      cmd('⟦not|Not⟧', cond(op('not', inWinPE('equals', 'true')))),
      cmd('⟦none|None of two⟧', cond(op('not', inWinPE('equals', 'true'), inWinPE('equals', 'false')))),
      cmd('⟦unrelated|Unrelated⟧', cond(other)),
    ]));
    assert.deepEqual(runsIn(c, 'and'), ['WinPE']);
    assert.deepEqual(runsIn(c, 'or'), ['WinPE', 'FullOS']);
    assert.deepEqual(runsIn(c, 'not'), ['FullOS']);
    assert.deepEqual(runsIn(c, 'none'), []);
    assert.deepEqual(runsIn(c, 'unrelated'), ['WinPE', 'FullOS']);
  });
  test('truthIn: three-valued, top-level operands and-ed', () => {
    const nodes = (xml: string): ConditionNode[] => {
      const { model } = parseTaskSequence(seq([cmd('S', xml)]));
      return model.steps[0].condition?.children ?? [];
    };
    assert.equal(truthIn(nodes(cond(inWinPE('equals', 'true'))), 'WinPE'), 'true');
    assert.equal(truthIn(nodes(cond(inWinPE('equals', 'true'))), 'FullOS'), 'false');
    assert.equal(truthIn(nodes(cond(inWinPE('equals', 'yes'))), 'WinPE'), 'unknown');
    assert.equal(truthIn(nodes(cond(inWinPE('equals', 'true'), other)), 'WinPE'), 'unknown');
    assert.equal(truthIn(nodes(cond(inWinPE('equals', 'true'), other)), 'FullOS'), 'false');
    assert.equal(truthIn(nodes(cond(op('or'))), 'WinPE'), 'unknown');
    assert.equal(truthIn(undefined, 'WinPE'), 'true');
  });
});

void describe('disabled items and failures', () => {
  test('disabled steps and groups do not run and change nothing', () => {
    const c = run(seq([
      restart('To PE', 'WinPE'),
      restart('⟦off|Disabled restart⟧', 'HD', '', 'smsboot.exe /target:HD').replace('description=""', 'description="" disable="true"'),
      group('Disabled group', [cmd('⟦inside|Inside⟧'), setup('Setup')], '', ' disable="true"'),
      cmd('⟦next|Next⟧'),
    ]));
    assert.deepEqual(runsIn(c, 'off'), []);
    assert.deepEqual(runsIn(c, 'inside'), []);
    assert.deepEqual(runsIn(c, 'next'), ['WinPE']);
  });
  test('a group that continues on error: what was possible inside is possible after it', () => {
    const c = run(seq([
      restart('To PE', 'WinPE'),
      group('Main', [setup('Setup'), cmd('Work')], '', ' continueOnError="true"'),
      group('On failure', [cmd('⟦handler|Handler⟧')], cond('<expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">equals</variable><variable name="Value">false</variable><variable name="Variable">_SMSTSLastActionSucceeded</variable></expression>')),
    ]));
    assert.deepEqual(runsIn(c, 'handler'), ['WinPE', 'FullOS']);
  });
  test('without continue on error a failure ends the sequence: only the normal path goes on', () => {
    const c = run(seq([restart('To PE', 'WinPE'), group('Main', [setup('Setup'), cmd('Work')]), cmd('⟦next|Next⟧')]));
    assert.deepEqual(runsIn(c, 'next'), ['FullOS']);
  });
  test('a restart that continues on error may not have happened', () => {
    const c = run(seq([setup('Setup'), restart('To PE', 'WinPE').replace('description=""', 'description="" continueOnError="true"'), cmd('⟦next|Next⟧')]));
    assert.deepEqual(runsIn(c, 'next'), ['WinPE', 'FullOS']);
  });
});

void describe('where a step may run', () => {
  test('the runIn attribute narrows the documented placement; untyped steps run anywhere', () => {
    const c = run(seq([
      stepXml('RequestStateStoreAction', '⟦req|Request⟧', { runIn: 'FullOS' }),
      stepXml('RequestStateStoreAction', '⟦req2|Request offline⟧', { runIn: 'WinPEandFullOS' }),
      stepXml('SetupWindowsAndSMSAction', '⟦setup|Setup⟧', { runIn: 'WinPEandFullOS' }),
      stepXml('ApplyNetworkSettingsAction', '⟦net|Network⟧', { runIn: 'winpeandfullos' }),
      '<step name="⟦lti|Legacy⟧"><action>cscript.exe ZTIGather.wsf</action></step>',
    ], ' version="3.00" name="x"'));
    assert.deepEqual(allowedEnvs(marked(c, 'req'), catalog), { envs: ['FullOS'], byRunIn: true });
    assert.deepEqual(allowedEnvs(marked(c, 'req2'), catalog), { envs: ['WinPE', 'FullOS'], byRunIn: false });
    assert.deepEqual(allowedEnvs(marked(c, 'setup'), catalog), { envs: ['WinPE'], byRunIn: false });
    assert.deepEqual(allowedEnvs(marked(c, 'net'), catalog), { envs: ['WinPE'], byRunIn: false });
    assert.deepEqual(allowedEnvs(marked(c, 'lti'), catalog), { envs: ['WinPE', 'FullOS'], byRunIn: false });
  });
});
