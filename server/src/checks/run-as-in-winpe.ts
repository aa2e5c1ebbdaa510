// run-as-in-winpe: Run Command Line / Run PowerShell Script set to run as another account where the
// sequence can be in Windows PE, which has no accounts to run as.

import type { Check } from './types';
import { envsOf, flowOf, startInFrom } from '../semantics/flow';
import { prop, T2 } from '../semantics/stepFacts';
import { label, labelSpan } from '../semantics/stepInfo';

export const check: Check = {
  id: 'run-as-in-winpe',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Run Command Line or Run PowerShell Script runs as another account ("Run this step as the following account") where the sequence can be in Windows PE.',
    why: 'The step reference says the "Run this step as the following account" option is not supported in Windows PE: the step fails there. The check follows the execution context (see step-context): an error where the sequence can only be in Windows PE, a warning where it may be in either.',
    example: '<step type="SMS_TaskSequence_RunCommandLineAction" name="Copy logs" runIn="WinPEandFullOS">\n  <variable name="_SMSTSRunCommandLineAsUser" property="RunAsUser">true</variable> …\n</step>  <!-- right after Format and Partition Disk -->',
    fix: 'Run the step in the full OS (after Setup Windows and ConfigMgr), or clear the run-as option and connect with Connect to Network Folder instead.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RunCommandLine', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RunPowerShellScript'],
    facts: ['OSD-CTX-005'],
  },
  sequence(ctx) {
    const flow = flowOf(ctx.model, startInFrom(ctx.extra));
    if (flow.liteTouch) return;
    for (const [step, env] of flow.steps) {
      if (step.type !== T2.runCommand && step.type !== T2.runPowerShell) continue;
      if (prop(step, 'RunAsUser', '_SMSTSRunCommandLineAsUser', '_SMSTSRunPowerShellAsUser').toLowerCase() !== 'true') continue;
      const envs = envsOf(env.runs);
      if (!envs.includes('WinPE')) continue;
      const only = envs.length === 1;
      ctx.report({
        severity: only ? undefined : 'warning',
        message: `${label(step)} runs as another account, which Windows PE does not support, and the sequence ${only ? 'is in Windows PE here' : 'may be in Windows PE here'}; the step fails there.`,
        span: labelSpan(step),
      });
    }
  },
};
