// hard-link-refresh: user state captured with hard links is kept on the local disk, so the disk must
// not be formatted before the restore, and a state migration point is not used at the same time.

import type { Check } from './types';
import type { Step } from '../model/types';
import { extraGuards, label, labelSpan, orderOf, relatedAt, requestMode, T } from '../semantics/stepInfo';
import { prop, T2 } from '../semantics/stepFacts';

function hardLinks(s: Step): boolean {
  return s.type === T.captureState && prop(s, 'UseHardlinks', '_OSDMigrateUseHardlinks').toLowerCase() === 'true';
}

export const check: Check = {
  id: 'hard-link-refresh',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'User state captured with hard links, then Format and Partition Disk in the same run; or hard links and a state migration point (Request State Store) in the same path.',
    why: 'With "Capture locally by using links instead of by copying files" USMT keeps the user files where they are on the local disk (the local store path, OSDStateStorePath) and the new OS is applied beside them with the disk kept; Format and Partition Disk afterwards erases them. Hard-link capture stores locally, so it cannot be combined with a state migration point: Request State Store asks for a network store that the hard-link capture does not use.',
    example: '<step type="SMS_TaskSequence_CaptureUserStateAction" name="Capture User State">\n  <variable name="_OSDMigrateUseHardlinks" property="UseHardlinks">true</variable> …</step>\n<step type="SMS_TaskSequence_PartitionDiskAction" name="Format and Partition Disk">…</step>',
    fix: 'Do not format the disk in a hard-link refresh (give the format step a condition that excludes the refresh, as Microsoft\'s templates do); use either hard links with a local store or a state migration point.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-user-state#BKMK_StoringUserData', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_CaptureUserState'],
    facts: ['OSD-USMT-010/011/012'],
  },
  sequence(ctx) {
    const steps = orderOf(ctx.model).steps;
    let capture: Step | undefined;
    const requests: Step[] = [];
    for (const s of steps) {
      if (s.type === T.requestState && requestMode(s) !== 'restore') requests.push(s);
      if (hardLinks(s) && !capture) {
        capture = s;
        const smp = requests.find((r) => extraGuards(s, r).length === 0);
        if (smp) ctx.report({ message: `${label(s)} captures with hard links (a local store) after ${label(smp)} requested a state migration point; the two are exclusive, use one or the other.`, span: labelSpan(s), related: [relatedAt(smp, 'A state migration point is requested here.')] });
        continue;
      }
      if (capture && s.type === T2.partition && extraGuards(capture, s).length === 0) {
        ctx.report({ message: `${label(s)} formats the disk after ${label(capture)} captured user state with hard links on it: the captured files are erased before they can be restored.`, span: labelSpan(s), related: [relatedAt(capture, 'User state is kept on the local disk from here.')] });
        return;
      }
    }
  },
};
