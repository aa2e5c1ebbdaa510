// boot-image-architecture: the boot image's architecture must start every computer the OS image
// the sequence applies is meant for (32-bit hardware starts only x86; UEFI only its own).

import type { Check, CheckContext } from './types';
import { conditionLeaves, stepVariable } from '../model/query';
import { appliedOperatingSystems, bootImageEntry, factsOf, siteRelated, stepLabel } from '../semantics/siteFacts';

/** True when the sequence prepares disks for UEFI: a GPT layout, or a test of _SMSTSBootUEFI. */
function targetsUefi(ctx: CheckContext): boolean {
  for (const step of ctx.model.steps) {
    if (step.disabled) continue;
    if (step.type === 'SMS_TaskSequence_PartitionDiskAction') {
      const style = stepVariable(step, 'OSDPartitionStyle', 'PartitionStyle')?.value.trim().toUpperCase();
      const efi = stepVariable(step, 'OSDGPTBootDisk', 'GPTBootDisk')?.value.trim().toLowerCase();
      if (style === 'GPT' || efi === 'true') return true;
    }
  }
  for (const item of [...ctx.model.steps, ...ctx.model.groups]) {
    if (!item.condition) continue;
    for (const node of conditionLeaves(item.condition.children)) {
      if (node.kind === 'expression' && node.parameters.some((p) => p.value.trim().toLowerCase() === '_smstsbootuefi')) return true;
    }
  }
  return false;
}

export const check: Check = {
  id: 'boot-image-architecture',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'The boot image\'s architecture cannot start every computer the OS image it applies is meant for.',
    why: 'Windows PE must start on the target hardware before anything is applied: 64-bit BIOS computers start x86 or x64 boot images, 32-bit computers only x86, and UEFI computers only a boot image of their own architecture. So an x64 boot image cannot deploy an x86 OS to 32-bit hardware, and an x86 boot image cannot start on the x64 UEFI computers a GPT-partitioning sequence is made for.',
    example: '<BootImageID>PS100003</BootImageID>  <!-- x86 boot image -->\n... <variable name="OSDPartitionStyle" property="PartitionStyle">GPT</variable>\n... <variable name="ImagePackageID" property="ImagePackageID">PS10001A</variable>  <!-- x64 image -->',
    fix: 'Use a boot image of the architecture the target computers start (for UEFI x64 hardware, the x64 boot image).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/create-a-task-sequence-to-install-an-operating-system', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/use-pxe-to-deploy-windows-over-the-network'],
    facts: ['OSD-BOOT-003'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const entry = bootImageEntry(facts);
    const bootArch = entry?.entry.architecture;
    if (!entry || !bootArch) return;
    const uefi = targetsUefi(ctx);
    const seen = new Set<string>();
    for (const a of appliedOperatingSystems(facts)) {
      const arch = a.architecture;
      if (!arch || arch === bootArch || seen.has(arch)) continue;
      let why: string | undefined;
      if (bootArch === 'x64' && arch === 'x86') why = 'computers that get an x86 Windows may be 32-bit, and those start only an x86 boot image';
      else if (bootArch === 'x86' && arch === 'x64' && uefi) why = 'this sequence partitions for UEFI, and x64 UEFI computers start only an x64 boot image';
      if (!why) continue;
      seen.add(arch);
      ctx.report({
        message: `Boot image ${entry.id} is ${bootArch}, but ${stepLabel(a.step)} applies the ${arch} image ${a.id}: ${why}.`,
        span: facts.boot.span,
        related: [{ message: `the ${arch} image`, span: a.span }, ...siteRelated(ctx, 'the boot image\'s architecture', facts.site.spanOf(['bootImages', entry.index, 'architecture']))],
      });
    }
  },
};
