// The sequence's boot image against the site: that there is one when the sequence needs Windows
// PE, that the site has it, that its Windows PE version suits the site's release, that its
// architecture can start the OS the sequence applies, and that it has the components a
// PowerShell step in Windows PE needs. A bare export carries no boot image: it comes from the
// taskSequences entry tied to the file, and findings then point at the root element.

import type { Catalog } from '../catalog/types';
import { placementOf } from '../catalog';
import type { Step, TaskSequenceModel } from '../model/types';
import { conditionLeaves, isEnabled, stepVariable } from '../model/query';
import type { ContentEntry, LoadedSite } from '../site/types';
import { POWERSHELL_COMPONENTS, winPESupport, winPEVersion, type WinPESupportRow } from '../versions';
import type { Rule, RuleContext } from './types';
import { appliedOperatingSystems, describeEntry, dirOf, factsOf, relativePath, siteRelated, stepLabel, type SequenceFacts } from './siteFacts';
import { bootImageTitles, candidate, type SetBootImageFix } from './fixData';
import { flowOf, restartTarget } from './flow';
import { labelSpan } from './stepInfo';

const BOOT_LINKS = ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-boot-images'];

/** MDT Lite Touch sequences (name on <sequence>) boot MDT's own Windows PE, not a ConfigMgr boot image. */
function liteTouch(ctx: RuleContext): boolean {
  return ctx.model.sequence?.name !== undefined;
}

/** The boot image entry, when the sequence names one the site has as a boot image. */
function bootEntry(facts: SequenceFacts): Extract<ContentEntry, { collection: 'bootImages' }> | undefined {
  const e = facts.boot.entry;
  return e?.collection === 'bootImages' ? e : undefined;
}

/** Boot images as set-boot-image candidates: the applied OS's architecture first, distributed first. */
function bootCandidates(site: LoadedSite, facts: SequenceFacts): ContentEntry[] {
  const arch = appliedOperatingSystems(facts).find((a) => a.architecture)?.architecture;
  return site.entries('bootImage')
    .map((e, i) => ({ e, i, score: (e.collection === 'bootImages' && arch && e.entry.architecture !== arch ? 2 : 0) + (site.isDistributed(e) ? 0 : 1) }))
    .sort((a, b) => a.score - b.score || a.i - b.i)
    .slice(0, 5)
    .map((x) => x.e);
}

function setBootImageFix(ctx: RuleContext, facts: SequenceFacts): SetBootImageFix {
  // The boot image already written where the fix writes is no fix (the export's, or the entry's).
  const current = (facts.boot.wrapper ? ctx.model.wrapper?.properties.BootImageID?.value : facts.tie?.entry.bootImageId)?.trim().toLowerCase();
  const candidates = bootCandidates(facts.site, facts).filter((e) => e.id.toLowerCase() !== current).map(candidate);
  if (facts.boot.wrapper) {
    const b = facts.boot;
    return { kind: 'set-boot-image', target: 'xml', candidates, expect: ctx.model.wrapper?.properties.BootImageID?.value ?? '', ...(b.element ? { element: b.element } : {}), ...(b.valueSpan ? { valueSpan: b.valueSpan } : {}) };
  }
  const fix: SetBootImageFix = { kind: 'set-boot-image', target: 'site', candidates, ...(ctx.sitePath ? { sitePath: ctx.sitePath } : {}) };
  if (facts.tie) fix.entryIndex = facts.tie.index;
  else if (ctx.path && ctx.sitePath) fix.file = relativePath(dirOf(ctx.sitePath), ctx.path);
  return fix;
}

export const bootImage: Rule = {
  id: 'boot-image',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'A sequence that needs Windows PE has no boot image, or names one the site does not have (or the export and the site description disagree on it).',
    why: 'Steps that run only in Windows PE, a restart into Windows PE, Prepare Windows for Capture and deployments from PXE or media all run the task sequence\'s boot image ("Use a boot image" in the sequence\'s properties, BootImageID in exports). Without one the sequence cannot get to Windows PE; a boot image the site does not have makes the reference invalid and the sequence cannot be deployed. A bare `<sequence>` export does not carry its boot image: cmts takes it from the `taskSequences` entry whose `file` is the export, and a package export\'s BootImageID must agree with that entry.',
    example: '<SmsTaskSequencePackage>\n  <BootImageID></BootImageID>\n  ... <step type="SMS_TaskSequence_ApplyOperatingSystemAction" ...>',
    fix: 'Set the sequence\'s boot image to one of the site\'s boot images (the quick fix offers them, matching the architecture of the OS the sequence applies first). For a bare export, tie it to its package in the site description: `{ "packageId": "…", "file": "sequences/deploy.xml", "bootImageId": "…" }`.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/manage-task-sequences-to-automate-tasks', ...BOOT_LINKS],
    facts: ['OSD-BOOT-001', 'OSD-BOOT-002', 'OSD-CTX-010'],
  },
  check(ctx) {
    if (liteTouch(ctx)) return;
    const facts = factsOf(ctx);
    const boot = facts.boot;
    const site = facts.site;
    const siteRel = siteRelated(ctx, 'the boot image in the site description', boot.siteSpan);
    if (boot.wrapper && boot.siteId !== undefined && boot.siteId.toLowerCase() !== (boot.id ?? '').toLowerCase()) {
      const fix = setBootImageFix(ctx, facts);
      ctx.report({
        severity: 'warning',
        message: `The export's boot image (${boot.id ?? 'none'}) is not the one the site description gives this task sequence (${boot.siteId}); the export is what the site imports, so one of the two is out of date.`,
        span: boot.span,
        related: siteRel,
        data: fix,
        fixes: bootImageTitles(fix),
      });
      return;
    }
    if (boot.id === undefined) {
      const need = firstWinPEStep(ctx.model, ctx.catalog);
      const fromMedia = facts.startIn === 'WinPE';
      if (!need && !fromMedia) return;
      const reason = need
        ? `${stepLabel(need)} ${need.type === 'SMS_TaskSequence_RebootAction' ? 'restarts into Windows PE' : need.type === 'SMS_TaskSequence_PrepareOSAction' ? 'restarts into the boot image' : 'runs only in Windows PE'}`
        : 'it is deployed only to media and PXE';
      const fix = setBootImageFix(ctx, facts);
      if (!boot.wrapper && !facts.tie) {
        ctx.report({
          severity: 'info',
          message: `This sequence needs a boot image (${reason}), but a bare export does not say which one it uses, and no taskSequences entry in the site description has this file as its "file". Add one with its bootImageId so cmts can check the boot image.`,
          span: boot.span,
          data: fix,
          fixes: bootImageTitles(fix),
        });
        return;
      }
      ctx.report({
        message: `This sequence needs a boot image (${reason}) but has none${boot.wrapper ? '' : ' in its taskSequences entry'}; it cannot get to Windows PE.`,
        span: boot.span,
        related: facts.tie && !boot.wrapper ? siteRelated(ctx, 'the taskSequences entry for this file', site.spanOf(['taskSequences', facts.tie.index])) : [],
        data: fix,
        fixes: bootImageTitles(fix),
      });
      return;
    }
    const entry = boot.entry;
    if (entry && entry.collection === 'bootImages') return;
    const fix = setBootImageFix(ctx, facts);
    const where = boot.inXml ? '' : ' (from the site description\'s taskSequences entry)';
    ctx.report({
      message: entry
        ? `The boot image${where} "${boot.id}" is ${describeEntry(entry)}, not a boot image.`
        : `The boot image${where} "${boot.id}" is not in the site description's bootImages; the sequence cannot be deployed with a boot image the site does not have.`,
      span: boot.span,
      related: siteRel,
      data: fix,
      fixes: bootImageTitles(fix),
    });
  },
};

function supportedText(row: WinPESupportRow): string {
  const names = row.supported.map((v) => `Windows PE ${v}`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Why a boot image's Windows PE does not suit a release, or undefined when it does (or cmts cannot tell). */
export function winPEProblem(written: string | undefined, facts: { release?: SequenceFacts['release'] }): string | undefined {
  if (!written || !facts.release) return undefined;
  const pe = winPEVersion(written);
  const row = winPESupport(facts.release);
  if (!pe || !row || row.supported.includes(pe)) return undefined;
  const older = Number(pe) < Math.min(...row.supported.map(Number));
  return `Windows PE ${pe}${written !== pe ? ` (${written})` : ''} is ${older ? 'older than anything' : 'not a version'} ${facts.release.label} supports: it works with ${supportedText(row)} (its own kit builds ${row.kit}).`;
}

export const bootImageVersion: Rule = {
  id: 'boot-image-version',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'The boot image\'s Windows PE version is not one the site\'s product and release support.',
    why: 'Each release builds its boot images from one kit and supports a short list of Windows PE versions: ConfigMgr 2007 nothing earlier than Windows PE 2.0 (SP1 and R2: 2.1 from WAIK 1.1; SP2: 3.0), ConfigMgr 2012 RTM 3.0, SP1 4.0, R2 5.0, current branch Windows PE 10 (with 3.1 and 5.0 still usable but not customizable in the console). A boot image of another version fails to import, to update distribution points, or to talk to the site. Also reported on the boot image in the site description.',
    example: '{ "site": { "product": "ConfigMgr 2007", "version": "SP1" },\n  "bootImages": [ { "packageId": "CEN00002", "windowsPEVersion": "3.0" } ] }',
    fix: 'Use a boot image built with the site\'s kit (the default boot images are), or bring the site to the release that supports the Windows PE you need.',
    links: BOOT_LINKS,
    facts: ['OSD-BOOT-005'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    const entry = bootEntry(facts);
    const problem = entry && winPEProblem(entry.entry.windowsPEVersion, facts);
    if (!entry || !problem) return;
    ctx.report({
      message: `Boot image ${entry.id}${entry.name !== undefined ? ` (${entry.name})` : ''}: ${problem}`,
      span: facts.boot.span,
      related: siteRelated(ctx, 'the boot image\'s windowsPEVersion', facts.site.spanOf(['bootImages', entry.index, 'windowsPEVersion'])),
    });
  },
};

/** True when the sequence prepares disks for UEFI: a GPT layout, or a test of _SMSTSBootUEFI. */
function targetsUefi(ctx: RuleContext): boolean {
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
    for (const { node } of conditionLeaves(item.condition.children)) {
      if (node.kind === 'expression' && node.parameters.some((p) => p.value.trim().toLowerCase() === '_smstsbootuefi')) return true;
    }
  }
  return false;
}

export const bootImageArchitecture: Rule = {
  id: 'boot-image-architecture',
  defaultSeverity: 'warning',
  needsSite: true,
  docs: {
    summary: 'The boot image\'s architecture cannot start every computer the OS image it applies is meant for.',
    why: 'Windows PE must start on the target hardware before anything is applied: 64-bit BIOS computers start x86 or x64 boot images, 32-bit computers only x86, and UEFI computers only a boot image of their own architecture. So an x64 boot image cannot deploy an x86 OS to 32-bit hardware, and an x86 boot image cannot start on the x64 UEFI computers a GPT-partitioning sequence is made for.',
    example: '<BootImageID>PS100003</BootImageID>  <!-- x86 boot image -->\n... <variable name="OSDPartitionStyle" property="PartitionStyle">GPT</variable>\n... <variable name="ImagePackageID" property="ImagePackageID">PS10001A</variable>  <!-- x64 image -->',
    fix: 'Use a boot image of the architecture the target computers start (for UEFI x64 hardware, the x64 boot image).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/create-a-task-sequence-to-install-an-operating-system', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/use-pxe-to-deploy-windows-over-the-network'],
    facts: ['OSD-BOOT-003'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    const entry = bootEntry(facts);
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

export const bootImageComponents: Rule = {
  id: 'boot-image-components',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'A Run PowerShell Script step can run in Windows PE, but the boot image lacks the PowerShell components.',
    why: 'Windows PE has no PowerShell unless the boot image includes the WinPE-PowerShell optional component, which itself needs WinPE-NetFX. A Run PowerShell Script step (or MDT\'s) reached in Windows PE with a boot image without them fails. cmts follows the sequence from where the deployment starts (its `availableTo`) through restarts and _SMSTSInWinPE conditions; an error when the step can only run in Windows PE, a warning when it may run in either.',
    example: '<!-- configmgr-site.json: boot image PS100004 has "optionalComponents": ["WinPE-Scripting", "WinPE-WMI"];\n     the sequence is deployed "mediaAndPxe", so it starts in Windows PE -->\n<step type="SMS_TaskSequence_RunPowerShellScriptAction" name="Stamp build date" runIn="WinPEandFullOS">',
    fix: 'Add WinPE-NetFX and WinPE-PowerShell on the boot image\'s Optional Components tab and update its distribution points, then list them in the site description; or run the step only in the full OS (condition _SMSTSInWinPE equals false, or move it after Setup Windows and ConfigMgr).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RunPowerShellScript', ...BOOT_LINKS],
    facts: ['OSD-CTX-006'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    const entry = bootEntry(facts);
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

/**
 * The first enabled step that makes the sequence need Windows PE (and so a boot image): a step
 * that runs only there, a restart into Windows PE, or Prepare Windows for Capture (which restarts
 * into the boot image).
 */
export function firstWinPEStep(model: TaskSequenceModel, catalog: Catalog): Step | undefined {
  for (const step of model.steps) {
    if (!isEnabled(step)) continue;
    const type = step.type ? catalog.get(step.type) : undefined;
    if (type && type.kind === 'action' && placementOf(type) === 'WinPE') return step;
    if (step.type === 'SMS_TaskSequence_PrepareOSAction') return step;
    if (step.type === 'SMS_TaskSequence_RebootAction' && restartTarget(step) === 'WinPE') return step;
  }
  return undefined;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

