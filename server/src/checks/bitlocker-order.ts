// bitlocker-order: Pre-provision BitLocker with no later Enable BitLocker, a TPM and PIN protector
// with no PIN, and BitLocker on a disk laid out with a single partition.

import type { Check } from './types';
import { bootImageEntry, factsOf } from '../semantics/siteFacts';
import { versionParts } from '../versions/release';
import type { Step } from '../model/types';
import { isLiteTouch, label, labelSpan, orderOf, relatedAt } from '../semantics/stepInfo';
import { previousOf, prop, propVar, T2 } from '../semantics/stepFacts';

/** Number of partitions a Format and Partition Disk step lays out (its OSDPartitions<N>… variables). */
function partitionCount(s: Step): number {
  const n = new Set<string>();
  for (const v of s.variables) {
    const m = /^OSDPartitions(\d+)/i.exec(v.name);
    if (m) n.add(m[1]);
  }
  return n.size;
}

/**
 * Document position of the last Enable BitLocker, enabled or not: the ConfigMgr step or MDT's ZTIBde.wsf
 * command line. A disabled one counts: Microsoft's MDT server template ships it disabled, for the
 * engineer to turn on; the check is about the missing step, not a switch left off.
 */
function lastEnable(steps: readonly Step[]): number {
  let last = -1;
  for (const x of steps) if (x.type === T2.enableBitLocker || /ztibde\.wsf/i.test(x.action?.text ?? '')) last = x.span.start;
  return last;
}

export const check: Check = {
  id: 'bitlocker-order',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Pre-provision BitLocker with no Enable BitLocker after it; Enable BitLocker with the TPM and PIN protector and no PIN; BitLocker on a disk that Format and Partition Disk lays out as one partition.',
    why: 'Pre-provision BitLocker encrypts the disk in Windows PE with a clear key protector only; the step reference says to follow it with Enable BitLocker in the full OS to add the TPM (or other) protectors, or the disk stays encrypted with no real protection. The TPM and PIN protector needs the PIN the step sets; without one the step cannot add the protector. BitLocker needs an unencrypted system partition beside the OS partition, so a layout of one partition cannot be encrypted. A known issue of the Windows 11 ADK: with its Windows PE, Pre-provision BitLocker fails to take TPM ownership unless the TPM policy OSManagedAuthLevel is set to 2 before the step; with a site description giving the boot image\'s Windows PE version (10.0.22000 or later), a Pre-provision BitLocker with no earlier step that sets OSManagedAuthLevel is reported.',
    example: '<step type="SMS_TaskSequence_OfflineEnableBitLockerAction" name="Pre-provision BitLocker">…</step>\n<!-- no Enable BitLocker later -->',
    fix: 'Add Enable BitLocker after Setup Windows and ConfigMgr; give the PIN; lay the disk out with a system partition (the wizard\'s layouts do).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_PreProvisionBitLocker', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_EnableBitLocker'],
    facts: ['OSD-BL-002', 'OSD-BL-003', 'OSD-BL-006', 'OSD-ADK-004'],
  },
  sequence(ctx) {
    // MDT Lite Touch runs ZTIBde.wsf for Enable BitLocker, and MDT's Format and Partition Disk adds the
    // BitLocker partition itself (unless DoNotCreateExtraPartition): neither is the ConfigMgr step.
    if (isLiteTouch(ctx.model)) return;
    const steps = orderOf(ctx.model).steps;
    const enableAt = lastEnable(ctx.model.steps);
    const boot = ctx.site ? bootImageEntry(factsOf(ctx)) : undefined;
    const pe = versionParts(boot?.entry.windowsPEVersion ?? '');
    const winPE11 = !!pe && pe[0] === 10 && (pe[2] ?? 0) >= 22000;
    let tpmPolicy = false;
    for (const s of steps) {
      if (s.type === T2.preProvisionBitLocker && winPE11 && !tpmPolicy) {
        ctx.report({ message: `${label(s)} runs in Windows PE from the Windows 11 ADK, where Pre-provision BitLocker fails to take TPM ownership unless OSManagedAuthLevel is set to 2 first; no earlier step sets it.`, span: labelSpan(s) });
      }
      if (/OSManagedAuthLevel/i.test(s.action?.text ?? '') || s.variables.some((v) => /OSManagedAuthLevel/i.test(v.value))) tpmPolicy = true;
      if (s.type === T2.preProvisionBitLocker && enableAt < s.span.start && !ctx.cutShort) {
        ctx.report({ message: `${label(s)} pre-provisions BitLocker with a clear key protector, and no Enable BitLocker follows to add the real protectors: the disk stays encrypted without protection.`, span: labelSpan(s) });
      }
      if (s.type === T2.enableBitLocker && prop(s, 'Mode', 'OSDBitLockerMode').toLowerCase() === 'tpmandpin' && prop(s, 'PIN', 'OSDBitLockerPIN') === '') {
        const v = propVar(s, 'PIN', 'OSDBitLockerPIN');
        ctx.report({ message: `${label(s)} uses the TPM and PIN protector but sets no PIN; the protector cannot be added.`, span: v ? v.nameSpan : labelSpan(s) });
      }
      if (s.type === T2.preProvisionBitLocker || s.type === T2.enableBitLocker) {
        const part = previousOf(ctx.model, s, T2.partition);
        if (part && partitionCount(part) === 1 && !ctx.model.mdt) {
          ctx.report({ message: `${label(s)} turns on BitLocker on a disk that ${label(part)} lays out as a single partition; BitLocker needs a separate unencrypted system partition.`, span: labelSpan(s), related: [relatedAt(part, 'The disk is laid out here.')] });
        }
      }
    }
  },
};
