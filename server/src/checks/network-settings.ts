// network-settings: several Apply Network Settings steps that can all run (the last one wins, the
// others are lost), and Capture Windows/Network Settings after the old OS was replaced (nothing left
// to capture).

import type { Check } from './types';
import type { Step } from '../model/types';
import { extraGuards, guardOf, label, labelSpan, orderOf, relatedAt, T } from '../semantics/stepInfo';
import { T2 } from '../semantics/stepFacts';

function guardKey(s: Step): string {
  return [...guardOf(s).keys()].sort().join('&');
}

export const check: Check = {
  id: 'network-settings',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Several Apply Network Settings steps that can all run; Capture Windows Settings or Capture Network Settings after the old OS was replaced.',
    why: 'Apply Network Settings only records settings for Setup Windows and ConfigMgr to write into the answer file, so when several run with the same conditions only one set of values survives; Microsoft\'s advice is one step, or several under mutually exclusive conditions. Capture Windows Settings and Capture Network Settings read the settings of the running old OS to migrate them, so they must run before Format and Partition Disk or Apply Operating System Image replace that OS; after them there is nothing left to capture.',
    example: '<step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="Apply OS">…</step>\n<step type="SMS_TaskSequence_CaptureNetworkSettingsAction" name="Capture Network Settings">…</step>',
    fix: 'Keep one Apply Network Settings step (or give each a condition that excludes the others); move the capture steps before the disk is formatted or the OS applied.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_ApplyNetworkSettings', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_CaptureNetworkSettings'],
    facts: ['OSD-ORD-004', 'OSD-ORD-005'],
  },
  sequence(ctx) {
    const order = orderOf(ctx.model);
    const applied = new Map<string, Step>();
    let replaced: Step | undefined;
    for (const s of order.steps) {
      if (s.type === T.applyNetworkSettings) {
        const k = guardKey(s);
        const first = applied.get(k);
        if (first) ctx.report({ message: `${label(s)} and ${label(first)} both apply network settings under the same conditions; only one set of settings reaches Setup Windows and ConfigMgr.`, span: labelSpan(s), related: [relatedAt(first, 'The other Apply Network Settings that runs in the same cases.')] });
        else applied.set(k, s);
      }
      if ((s.type === T2.captureNetwork || s.type === T2.captureWindows) && replaced && extraGuards(s, replaced).length === 0) {
        ctx.report({ message: `${label(s)} captures settings of the old OS after ${label(replaced)} replaced it; there is nothing left to capture. Capture before the disk is formatted or the OS applied.`, span: labelSpan(s), related: [relatedAt(replaced, 'The old OS is replaced here.')] });
      }
      if (!replaced && (s.type === T.applyOs || s.type === T2.partition)) replaced = s;
    }
  },
};
