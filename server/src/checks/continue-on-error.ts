// continue-on-error: "Continue on error" on a step whose failure leaves the computer unusable
// (Setup Windows and ConfigMgr, Apply Operating System Image, Format and Partition Disk), or on an
// enabled group that holds one: the sequence carries on as if the OS were there.

import type { Check } from './types';
import type { ReplaceTextFix } from '../edits/fixData';
import { replaceText } from '../edits/kinds';
import type { Item, Step } from '../model/types';
import { isEnabled } from '../model/query';
import { label, T } from '../semantics/stepInfo';
import { T2 } from '../semantics/stepFacts';

const CRITICAL: Record<string, string> = {
  [T.setupWindows]: 'Setup Windows and ConfigMgr',
  [T.applyOs]: 'Apply Operating System Image',
  [T2.partition]: 'Format and Partition Disk',
};

function criticalIn(item: Item): Step | undefined {
  if (item.kind === 'step') return item.type && CRITICAL[item.type] && isEnabled(item) ? item : undefined;
  for (const c of item.children) {
    if (c.disabled) continue;
    const s = criticalIn(c);
    if (s) return s;
  }
  return undefined;
}

export const check: Check<ReplaceTextFix> = {
  id: 'continue-on-error',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Continue on error is set on Setup Windows and ConfigMgr, Apply Operating System Image or Format and Partition Disk, or on a group that holds one.',
    why: 'With "Continue on error" the engine treats a failed step as done and runs the next one. Microsoft\'s step reference says not to select it on Setup Windows and ConfigMgr: if the client install fails, the sequence goes on without a working client. A failed Apply Operating System Image or Format and Partition Disk leaves no usable disk or OS, and every later step then fails somewhere harder to diagnose. On a group, the option lets the sequence leave the group after its failed step and carry on; between Request and Release State Store, it is how a sequence makes sure the store is released even after a failure (documented), which is why only groups that hold one of these steps are reported.',
    example: '<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr" continueOnError="true">',
    fix: 'Clear "Continue on error" (the quick fix writes continueOnError="false"). Like every fix, it is offered only once judged by re-checking the fixed sequence, and one request re-checks at most four times the file\'s text (at least 8 M characters), so in a very large file with many such steps some findings may come without it.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_OptionsTab'],
    facts: ['OSD-CLI-002', 'OSD-TS-006', 'OSD-USMT-004'],
  },
  fixes: { 'replace-text': replaceText },
  sequence(ctx) {
    // Items that run on failure (a condition on _SMSTSLastActionSucceeded / _SMSTSLastActionRetCode): a group
    // before one continues on error on purpose, so that its failure handler runs (MDT's templates do).
    // Only the last handler's start matters ("is there one after this group"): one number, not a list per group.
    let lastHandler = -1;
    for (const i of [...ctx.model.groups, ...ctx.model.steps]) {
      if (i.condition && i.span.start > lastHandler && /_SMSTSLastAction(Succeeded|RetCode)/i.test(ctx.text.slice(i.condition.span.start, i.condition.span.end))) lastHandler = i.span.start;
    }
    for (const item of [...ctx.model.steps, ...ctx.model.groups]) {
      if (!item.continueOnError || !isEnabled(item)) continue;
      const attr = item.attrs.continueOnError;
      if (!attr) continue;
      const critical = criticalIn(item);
      if (!critical) continue;
      if (item.kind === 'group' && lastHandler >= item.span.end) continue;
      const what = CRITICAL[critical.type!];
      const message = item === critical
        ? `${label(item)} continues on error: if ${what} fails, the sequence carries on without ${critical.type === T.setupWindows ? 'a working OS and client' : 'a usable disk or OS'} and later steps fail instead.`
        : `${label(item)} continues on error and holds ${label(critical)} (${what}): if that fails, the sequence leaves the group and carries on without ${critical.type === T.setupWindows ? 'a working OS and client' : 'a usable disk or OS'}.`;
      ctx.report({ message, span: attr.span, data: { kind: 'replace-text', expect: ctx.text.slice(attr.span.start, attr.span.end), replacement: 'false', title: 'Clear "Continue on error"' } });
    }
  },
};
