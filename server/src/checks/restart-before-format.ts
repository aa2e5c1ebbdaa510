// restart-before-format: a sequence that starts in Windows PE (bare metal) and restarts before any
// disk has been formatted and an OS applied: there is nowhere to stage the boot image or boot from.

import type { Check } from './types';
import { orderOf, label, labelSpan, T } from '../semantics/stepInfo';
import { startOf, T2 } from '../semantics/stepFacts';
import { ancestors } from '../model/query';

export const check: Check = {
  id: 'restart-before-format',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A sequence that starts in Windows PE (PXE or media only) restarts before Format and Partition Disk and Apply Operating System Image have run.',
    why: 'Restart Computer into the boot image stages Windows PE on a formatted partition, and a restart into the installed OS needs one; a new computer started from PXE or media has neither until Format and Partition Disk and Apply Operating System Image have run, so the restart fails. The check needs to know that the sequence starts in Windows PE: the site description\'s taskSequences entry with availableTo "mediaAndPxe" or "mediaAndPxeHidden". A restart with a condition is not reported (it may never run on bare metal).',
    example: '<step type="SMS_TaskSequence_RebootAction" name="Restart Computer">…</step>\n<step type="SMS_TaskSequence_PartitionDiskAction" name="Format and Partition Disk">…</step>',
    fix: 'Move the restart after Format and Partition Disk and Apply Operating System Image, or remove it.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RestartComputer'],
    facts: ['OSD-CTX-009'],
  },
  sequence(ctx) {
    if (startOf(ctx) !== 'WinPE') return;
    for (const s of orderOf(ctx.model).steps) {
      if (s.type === T2.partition || s.type === T.applyOs) return;
      if (s.type !== T.reboot) continue;
      if (s.condition || ancestors(s).some((g) => g.condition)) continue;
      ctx.report({ message: `${label(s)} restarts a computer that started in Windows PE before any disk was formatted or an OS applied: there is no partition to stage the boot image on or to start from, so the restart fails.`, span: labelSpan(s) });
      return;
    }
  },
};
