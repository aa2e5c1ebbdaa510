// boot-image: a sequence that needs Windows PE has a boot image, and the site has it. A bare export
// carries no boot image: it comes from the taskSequences entry tied to the file, and findings then
// point at the root element. The site half reports taskSequences entries whose bootImageId is not
// a boot image in the site description.

import type { Check, CheckContext } from './types';
import { candidate, type SetBootImageFix } from '../edits/fixData';
import { setBootImage } from '../edits/kinds';
import type { ContentEntry, LoadedSite } from '../site/types';
import { firstWinPEStep } from '../semantics/flow';
import { appliedOperatingSystems, describeEntry, factsOf, siteRelated, stepLabel, type SequenceFacts } from '../semantics/siteFacts';
import { BOOT_LINKS } from './links';
import { runTaskSequenceTargets } from '../model/query';
import { readExtra } from '../semantics/siteFacts';

/**
 * True when another sequence of the site runs this one (Run Task Sequence): read through the front
 * end's resolver, one read per taskSequences entry (the front ends cache them).
 */
function calledByAnother(ctx: CheckContext<SetBootImageFix>, facts: SequenceFacts): boolean {
  const own = facts.ownId?.toLowerCase();
  const resolve = readExtra(ctx.extra).resolveSequence;
  if (!own || !resolve) return false;
  for (const e of facts.site.site.taskSequences) {
    if (e.packageId.toLowerCase() === own || !e.file) continue;
    const parent = resolve(e.packageId);
    if (parent && runTaskSequenceTargets(parent.model, ctx.catalog).some((t) => t.id.toLowerCase() === own)) return true;
  }
  return false;
}

/** MDT Lite Touch sequences (name on <sequence>) boot MDT's own Windows PE, not a ConfigMgr boot image. */
function liteTouch(ctx: CheckContext<SetBootImageFix>): boolean {
  return ctx.model.sequence?.name !== undefined;
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

function setBootImageFix(ctx: CheckContext<SetBootImageFix>, facts: SequenceFacts): SetBootImageFix | undefined {
  // The boot image already written where the fix writes is no fix (the export's, or the entry's).
  const current = (facts.boot.wrapper ? ctx.model.wrapper?.properties.BootImageID?.value : facts.tie?.entry.bootImageId)?.trim().toLowerCase();
  const candidates = bootCandidates(facts.site, facts).filter((e) => e.id.toLowerCase() !== current).map(candidate);
  if (facts.boot.wrapper) {
    const b = facts.boot;
    return { kind: 'set-boot-image', target: 'xml', candidates, expect: ctx.model.wrapper?.properties.BootImageID?.value ?? '', ...(b.element ? { element: b.element } : {}), ...(b.valueSpan ? { valueSpan: b.valueSpan } : {}) };
  }
  // A bare export tied to no taskSequences entry: the entry a fix would add needs the package ID,
  // which nothing here holds, so there is no fix (the finding says what to add).
  if (!facts.tie) return undefined;
  return { kind: 'set-boot-image', target: 'site', candidates, entryIndex: facts.tie.index, ...(ctx.sitePath ? { sitePath: ctx.sitePath } : {}) };
}

export const check: Check<SetBootImageFix> = {
  id: 'boot-image',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A sequence that needs Windows PE has no boot image, or names one the site does not have (or the export and the site description disagree on it).',
    why: 'Steps that run only in Windows PE, a restart into Windows PE, Prepare Windows for Capture and deployments from PXE or media all run the task sequence\'s boot image ("Use a boot image" in the sequence\'s properties, BootImageID in exports). Without one the sequence cannot get to Windows PE; a boot image the site does not have makes the reference invalid and the sequence cannot be deployed. A bare `<sequence>` export does not carry its boot image: cmts takes it from the `taskSequences` entry whose `file` is the export, and a package export\'s BootImageID must agree with that entry.',
    example: '<SmsTaskSequencePackage>\n  <BootImageID></BootImageID>\n  ... <step type="SMS_TaskSequence_ApplyOperatingSystemAction" ...>',
    fix: 'Set the sequence\'s boot image to one of the site\'s boot images (the quick fix offers them, matching the architecture of the OS the sequence applies first). For a bare export, tie it to its package in the site description: `{ "packageId": "…", "file": "sequences/deploy.xml", "bootImageId": "…" }`.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/manage-task-sequences-to-automate-tasks', ...BOOT_LINKS],
    facts: ['OSD-BOOT-001', 'OSD-BOOT-002', 'OSD-CTX-010'],
  },
  fixes: { 'set-boot-image': setBootImage },
  sequence(ctx) {
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
        ...(fix ? { data: fix } : {}),
      });
      return;
    }
    if (boot.id === undefined) {
      // A child sequence runs with its caller's context and boot image: it needs none of its own.
      if (calledByAnother(ctx, facts)) return;
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
          ...(fix ? { data: fix } : {}),
        });
        return;
      }
      ctx.report({
        message: `This sequence needs a boot image (${reason}) but has none${boot.wrapper ? '' : ' in its taskSequences entry'}; it cannot get to Windows PE.`,
        span: boot.span,
        related: facts.tie && !boot.wrapper ? siteRelated(ctx, 'the taskSequences entry for this file', site.spanOf(['taskSequences', facts.tie.index])) : [],
        ...(fix ? { data: fix } : {}),
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
      ...(fix ? { data: fix } : {}),
    });
  },
  site(ctx) {
    // A taskSequences entry whose boot image is not a boot image in the file: every sequence tied to it is affected.
    const site = ctx.site;
    site.site.taskSequences.forEach((t, i) => {
      const id = t.bootImageId?.trim();
      if (!id || site.lookup(id)?.collection === 'bootImages') return;
      const other = site.lookup(id);
      const span = site.spanOf(['taskSequences', i, 'bootImageId']) ?? t.span;
      ctx.report({
        severity: 'error',
        message: other ? `The boot image of ${t.packageId} is ${id}, which is not a boot image in this file (it is in "${other.collection}").` : `The boot image of ${t.packageId} is ${id}, which is not in "bootImages".`,
        span,
      }, ctx.sequences.filter((s) => s.entry === t));
    });
  },
};
