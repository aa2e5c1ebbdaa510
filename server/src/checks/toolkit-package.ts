// toolkit-package: MDT steps (Gather, ZTI* scripts, BDD_* steps, %DeployRoot%/%ScriptRoot% command
// lines) in a ConfigMgr sequence with no Use Toolkit Package earlier in the same boot session. Each
// move between Windows PE and the full OS (a restart, Setup Windows, Prepare Windows) starts a new one.

import type { Check } from './types';
import type { InsertStepFix } from '../edits/fixData';
import { insertSteps } from '../edits/kinds';
import type { Step } from '../model/types';
import { isChildSequence, isLiteTouch, label, labelSpan, orderOf, T } from '../semantics/stepInfo';
import { T2 } from '../semantics/stepFacts';
import { envsOf, flowOf, restartTarget, startInFrom, type Flow } from '../semantics/flow';

/** Why a step needs the MDT toolkit, in words; undefined when it does not. */
function needsToolkit(s: Step): string | undefined {
  if (s.type === T2.usePackage) return undefined;
  if (s.type?.startsWith('BDD_')) return 'is an MDT step';
  const cmd = s.action?.text ?? '';
  // A ZTI script run from an absolute path (X:\Deploy\Scripts in MDT's boot image, a share) needs no toolkit package.
  // The script name first, then the path written before it (scanned back to a blank): a lazy
  // "(\S*?)ZTI…" took time growing with the square of a long command line without blanks.
  const zti = /\bZTI\w*\.(wsf|vbs)\b/i.exec(cmd);
  let from = zti ? zti.index : 0;
  while (from > 0 && !/\s/.test(cmd[from - 1])) from--;
  const path = zti ? cmd.slice(from, zti.index) : '';
  if (zti && !/^"?([a-z]:\\|\\\\)/i.test(path.replace(/^.*?(cscript(\.exe)?|wscript(\.exe)?)\s*/i, ''))) return 'runs an MDT ZTI script';
  if (/%(DeployRoot|ScriptRoot)%/i.test(cmd)) return 'uses the MDT toolkit\'s %DeployRoot% or %ScriptRoot%';
  return undefined;
}

/**
 * Steps after which the toolkit must be loaded again: Setup Windows and ConfigMgr and Prepare Windows for
 * Capture (Microsoft's MDT templates run Use Toolkit Package after each), and a restart from the full OS
 * into the boot image.
 */
function restarts(s: Step, flow: Flow): boolean {
  if (s.type === T.setupWindows || s.type === T.prepareOs) return true;
  if (s.type !== T.reboot) return false;
  // Only a restart into the boot image is known to lose the toolkit: Windows PE starts afresh from it.
  // A restart into the installed OS keeps the task sequence cache on the disk (MDT's templates run
  // ZTI scripts after one), so it is not counted: unknown, not missing.
  const runs = envsOf(flow.steps.get(s)?.runs ?? new Map());
  return restartTarget(s) === 'WinPE' && runs.includes('FullOS');
}

export const check: Check<InsertStepFix> = {
  id: 'toolkit-package',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'An MDT step (Gather, a ZTI script, a BDD_* step, a %DeployRoot% or %ScriptRoot% command line) in a ConfigMgr sequence with no Use Toolkit Package earlier in the same boot session.',
    why: 'In a ConfigMgr sequence the MDT scripts come from the MDT toolkit package: Use Toolkit Package downloads it and sets DeployRoot, ScriptRoot and ToolRoot for the steps after it. The MDT documentation (ConfigMgr integration) has every MDT template start with Use Toolkit Package and Gather, and repeat them after each restart, because the toolkit lives in the running environment: after Setup Windows and ConfigMgr, Prepare Windows for Capture, or a restart from the full OS into the boot image, the new environment has no toolkit until Use Toolkit Package runs again. A restart into the installed OS is not counted (the task sequence cache stays on the disk, and Microsoft\'s MDT templates run ZTI scripts after one). An MDT step without it fails to find its script. MDT Lite Touch sequences (ts.xml) do not use the step and are not checked. A Run Task Sequence in between is taken to supply the toolkit (this file cannot see what the child does).',
    example: '<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr">…</step>\n<step type="BDD_Gather" name="Gather">…</step>',
    fix: 'Insert Use Toolkit Package (with the site\'s MDT toolkit package) before the step; the quick fix does it with each package of kind "mdtToolkit" in the site description.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/mdt/toolkit-reference#use-toolkit-package', 'https://learn.microsoft.com/en-us/mem/configmgr/mdt/use-the-mdt'],
    facts: ['MDT documentation'],
  },
  fixes: { 'insert-step': insertSteps },
  sequence(ctx) {
    if (isLiteTouch(ctx.model)) return;
    const flow = flowOf(ctx.model, startInFrom(ctx.extra));
    let loaded = false;
    let session: Step | undefined;
    for (const s of orderOf(ctx.model).steps) {
      if (s.type === T2.usePackage || isChildSequence(s)) { loaded = true; continue; }
      const why = needsToolkit(s);
      if (why && !loaded) {
        ctx.report({
          message: `${label(s)} ${why}, but no Use Toolkit Package runs before it ${session ? `since ${label(session)} restarted the computer` : 'in this boot session'}; the MDT scripts are not there and the step fails.`,
          span: labelSpan(s),
          data: { kind: 'insert-step', step: T2.usePackage, position: 'before', anchor: s.span },
        });
        loaded = true; // one finding per boot session
      }
      if (restarts(s, flow)) { loaded = false; session = s; }
    }
  },
};
