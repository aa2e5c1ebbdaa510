// Structure generators (issue 21): task sequences of one shape grown to n steps, for the
// complexity tests (test/unit/complexity.test.ts: time at 4n within 5× of n), the fuzzer's
// structure cases and `npm run fuzz -- --large`. Each shape stresses one thing the checks and the
// semantic layer walk: restarts (context flow), deep groups, long condition chains, variables,
// references to content, child sequences, and a mix of every step the ordering checks relate.

export type Shape = 'restarts' | 'deepGroups' | 'conditions' | 'variables' | 'references' | 'childSequences' | 'mixed';
export const SHAPES: readonly Shape[] = ['restarts', 'deepGroups', 'conditions', 'variables', 'references', 'childSequences', 'mixed'];

const step = (type: string, name: string, body: string, attrs = ''): string =>
  `<step type="${type}" name="${name}" runIn="WinPEandFullOS" successCodeList="0 3010"${attrs}>${body}</step>\n`;
const vars = (v: [string, string, string][]): string =>
  `<defaultVarList>${v.map(([n, p, x]) => `<variable name="${n}" property="${p}">${x}</variable>`).join('')}</defaultVarList>`;

const restart = (i: number, target = i % 2 ? 'WinPE' : 'HD'): string =>
  step('SMS_TaskSequence_RebootAction', `Restart ${i}`, `<action>smsboot.exe /target:${target}</action>${vars([['SMSRebootTarget', 'Target', target]])}`);
const command = (i: number, extra = ''): string =>
  step('SMS_TaskSequence_RunCommandLineAction', `Command ${i}`, `${extra}<action>cmd /c echo %Var${i % 97}%</action>${vars([['SMSTSRunCommandLineAsUser', 'RunAsUser', 'false']])}`);

function inWinPE(value: 'true' | 'false'): string {
  return `<expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">_SMSTSInWinPE</variable><variable name="Operator">equals</variable><variable name="Value">${value}</variable></expression>`;
}

function generators(n: number): Record<Shape, () => string> {
  return {
    restarts: () => Array.from({ length: n }, (_, i) => restart(i)).join(''),
    // Groups five deep around each run of 50 steps (the nesting stays under the parser's bound).
    deepGroups: () => {
      let s = '';
      for (let i = 0; i < n; i += 50) {
        s += '<group name="G" description="">'.repeat(5);
        for (let k = i; k < Math.min(n, i + 50); k++) s += k % 10 === 0 ? restart(k) : command(k);
        s += '</group>'.repeat(5) + '\n';
      }
      return s;
    },
    // Each step under a chain of and/or/not operators over _SMSTSInWinPE and other variables.
    conditions: () => {
      let s = '';
      for (let i = 0; i < n; i++) {
        const other = `<expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">V${i}</variable><variable name="Operator">equals</variable><variable name="Value">${i}</variable></expression>`;
        const cond = `<condition><operator type="and">${inWinPE(i % 2 ? 'true' : 'false')}<operator type="or">${other}<operator type="not">${other}</operator></operator></operator></condition>`;
        s += i % 7 === 0 ? restart(i) : command(i, cond);
      }
      return s;
    },
    // Set Task Sequence Variable steps, each read by later command lines.
    variables: () => {
      let s = '';
      for (let i = 0; i < n; i++) {
        s += i % 2 === 0
          ? step('SMS_TaskSequence_SetVariableAction', `Set ${i}`, `<action>tsenv.exe "Var${i % 97}=%Var${(i + 1) % 97}%"</action>${vars([['VariableName', 'VariableName', `Var${i % 97}`], ['VariableValue', 'VariableValue', `v${i}`]])}`)
          : command(i);
      }
      return s;
    },
    // Install Package steps naming packages (a different one each), and a reference list.
    references: () => {
      let s = '';
      for (let i = 0; i < n; i++) {
        const id = `CEN${String(i).padStart(5, '0')}`;
        s += step('SMS_TaskSequence_InstallSoftwareAction', `Install ${i}`, `<action>smswinstaller.exe /pkg:${id} /install /program:"Install"</action>${vars([['PackageID', 'PackageID', id], ['ProgramName', 'ProgramName', 'Install']])}`);
      }
      return s;
    },
    childSequences: () => {
      let s = '';
      for (let i = 0; i < n; i++) {
        const id = `CEN${String(i).padStart(5, '0')}`;
        s += i % 3 === 0
          ? step('SMS_TaskSequence_SubTasksequence', `Run ${i}`, `<action>smsts.exe /run:${id}</action>${vars([['OSDTaskSequencePackageID', 'TsPackageID', id]])}`)
          : command(i);
      }
      return s;
    },
    // Every step the ordering checks relate to each other, over and over.
    mixed: () => {
      const types = [
        'SMS_TaskSequence_RequestStateStoreAction', 'SMS_TaskSequence_CaptureUserStateAction', 'SMS_TaskSequence_ApplyOperatingSystemAction',
        'SMS_TaskSequence_AutoApplyAction', 'SMS_TaskSequence_ApplyDriverPackageAction', 'SMS_TaskSequence_SetupWindowsAndSMSAction',
        'SMS_TaskSequence_RestoreUserStateAction', 'SMS_TaskSequence_ReleaseStateStoreAction', 'SMS_TaskSequence_PrepareSMSClientAction',
        'SMS_TaskSequence_PrepareOSAction', 'SMS_TaskSequence_CaptureSystemImageAction', 'SMS_TaskSequence_RebootAction',
      ];
      let s = '';
      for (let i = 0; i < n; i++) {
        const t = types[i % types.length];
        s += t === 'SMS_TaskSequence_RebootAction' ? restart(i) : step(t, `Step ${i}`, '<action>osd.exe</action>', i % 5 === 0 ? ' continueOnError="true"' : '');
      }
      return s;
    },
  };
}

/** A task sequence of `shape` with about `n` steps (as a console export writes one). */
export function shapeSequence(shape: Shape, n: number): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<sequence version="3.10">\n${generators(n)[shape]()}</sequence>\n`;
}
