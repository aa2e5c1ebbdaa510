// boot-image-components: a Run PowerShell Script step that can run in Windows PE needs a boot image
// with WinPE-NetFX and WinPE-PowerShell. The context flow (semantics/flow.ts) says where it runs.

import type { Check } from './types';
import { POWERSHELL_COMPONENTS } from '../versions';
import { flowOf } from '../semantics/flow';
import { bootImageEntry, factsOf, siteRelated, stepLabel } from '../semantics/siteFacts';
import { capital, labelSpan } from '../semantics/stepInfo';
import { BOOT_LINKS } from './links';

export const check: Check = {
  id: 'boot-image-components',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A Run PowerShell Script step can run in Windows PE, but the boot image lacks the PowerShell components.',
    why: 'Windows PE has no PowerShell unless the boot image includes the WinPE-PowerShell optional component, which itself needs WinPE-NetFX. A Run PowerShell Script step (or MDT\'s) reached in Windows PE with a boot image without them fails. cmts follows the sequence from where the deployment starts (its `availableTo`) through restarts and _SMSTSInWinPE conditions; an error when the step can only run in Windows PE, a warning when it may run in either.',
    example: '<!-- configmgr-site.json: boot image PS100004 has "optionalComponents": ["WinPE-Scripting", "WinPE-WMI"];\n     the sequence is deployed "mediaAndPxe", so it starts in Windows PE -->\n<step type="SMS_TaskSequence_RunPowerShellScriptAction" name="Stamp build date" runIn="WinPEandFullOS">',
    fix: 'Add WinPE-NetFX and WinPE-PowerShell on the boot image\'s Optional Components tab and update its distribution points, then list them in the site description; or run the step only in the full OS (condition _SMSTSInWinPE equals false, or move it after Setup Windows and ConfigMgr).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RunPowerShellScript', ...BOOT_LINKS],
    facts: ['OSD-CTX-006'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const entry = bootImageEntry(facts);
    const have = entry?.entry.optionalComponents;
    if (!entry || !have) return;
    const lower = new Set(have.map((c) => c.toLowerCase()));
    const missing = POWERSHELL_COMPONENTS.components.filter((names) => !names.some((n) => lower.has(n.toLowerCase()))).map((names) => names[0]);
    if (missing.length === 0) return;
    const flow = flowOf(ctx.model, facts.startIn);
    for (const [step, env] of flow.steps) {
      if (step.type !== 'SMS_TaskSequence_RunPowerShellScriptAction' && step.type !== 'BDD_RunPowerShellAction') continue;
      if (!env.runs.has('WinPE')) continue;
      const only = env.runs.size === 1;
      ctx.report({
        ...(only ? {} : { severity: 'warning' as const }),
        message: `${capital(stepLabel(step))} ${only ? 'runs' : 'can run'} in Windows PE, but boot image ${entry.id} lacks ${missing.join(' and ')}; PowerShell is not available there and the step fails.`,
        span: labelSpan(step),
        related: siteRelated(ctx, 'the boot image\'s optionalComponents', facts.site.spanOf(['bootImages', entry.index, 'optionalComponents'])),
      });
    }
  },
};
