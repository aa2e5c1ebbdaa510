// Step classes the engine does not know. The engine refuses to load a sequence with an unknown
// class, so this is the typo check for hand-edited exports; the fix offers the closest class.

import type { Check } from './types';
import type { ReplaceStepTypeFix } from '../edits/fixData';
import { replaceStepType } from '../edits/kinds';
import { closestStepTypes } from '../catalog';

export const check: Check<ReplaceStepTypeFix> = {
  id: 'unknown-step-type',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A step\'s `type` is not a step class cmts knows.',
    why: 'The `type` attribute names the WMI class of the step (SMS_TaskSequence_…Action, or an MDT BDD_… custom action). A misspelt or unknown class cannot be imported into the console, and if it comes from a third-party extension, the site must have that extension installed. Class names are case-sensitive.',
    example: '<step type="SMS_TaskSequence_RequestStateStorAction" name="Request State Store">',
    fix: 'Correct the class name; the quick fix offers the closest known classes. If the class comes from a custom action you installed on purpose, suppress the check for that step with `<!-- cmts-disable-next-line unknown-step-type -->`.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/develop/reference/osd/sms_tasksequence_action-server-wmi-class'],
    facts: ['steps.json'],
  },
  fixes: { 'replace-step-type': replaceStepType },
  sequence(ctx) {
    // Suggestions per distinct type: a sequence of thousands of steps with the same unknown class
    // (hostile input, issue 9) asks for them once.
    const closest = new Map<string, string[]>();
    for (const step of ctx.model.steps) {
      const attr = step.attrs.type;
      if (!attr || step.type === undefined) continue;
      const type = step.type;
      if (ctx.catalog.get(type)?.kind === 'action') continue;
      let candidates = closest.get(type);
      if (!candidates) closest.set(type, (candidates = closestStepTypes(type, 3).filter((c) => c.type !== type).map((c) => c.type)));
      const near = ctx.catalog.find(type);
      const message = near && near.type !== type
        ? `Unknown step type "${type}": class names are case-sensitive; did you mean "${near.type}" (${near.displayName})?`
        : candidates.length
          ? `Unknown step type "${type}"; the closest known class is "${candidates[0]}" (${ctx.catalog.get(candidates[0])?.displayName ?? ''}).`
          : `Unknown step type "${type}".`;
      const ordered = near && near.type !== type ? [near.type, ...candidates.filter((c) => c !== near.type)] : candidates;
      ctx.report({
        message,
        span: attr.span,
        data: { kind: 'replace-step-type', expect: type, candidates: ordered },
      });
    }
  },
};
