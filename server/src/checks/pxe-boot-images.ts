// pxe-boot-images: PXE deployments need a PXE-enabled boot image on the PXE servers, and current
// branch wants both architectures (unless the ADK has no x86 Windows PE). The site half reports
// on the boot images in the site description; the sequence half once on each sequence offered to PXE.

import type { Check, SiteProblem } from './types';
import type { LoadedSite } from '../site/types';
import { compareVersions, pxeArchitectures, sourceLinks } from '../versions';
import { factsOf, firstSpan, offeredToMediaAndPxe, pxeServers, siteRelated } from '../semantics/siteFacts';

/** The site's ADK leaves no supported x86 Windows PE (Windows 11 / Server 2022 add-ons). */
function x64OnlyKit(site: LoadedSite, from: string | undefined): boolean {
  const kit = site.site.site.deploymentKit;
  return !!from && kit?.name === 'ADK' && compareVersions(kit.version, from) >= 0;
}

/** PXE boot image problems of the site (OSD-PXE-002, OSD-BOOT-004): said once for the site, shared by every PXE deployment. */
function pxeBootImageProblems(site: LoadedSite): SiteProblem[] {
  const servers = pxeServers(site);
  if (servers.length === 0) return [];
  const out: SiteProblem[] = [];
  const images = site.site.bootImages;
  const pxeImages = images.filter((b) => b.pxeEnabled === true);
  const listSpan = firstSpan(site, ['bootImages']);
  if (pxeImages.length === 0) {
    out.push({ severity: 'warning', message: `PXE is on (${servers.map((s) => s.server).join(', ')}), but no boot image is deployed from PXE-enabled distribution points ("pxeEnabled": true); PXE clients get nothing to start.`, span: listSpan, short: 'no boot image of the site is deployed from PXE-enabled distribution points' });
    return out;
  }
  const product = site.site.site.product;
  const archRow = product ? pxeArchitectures(product) : undefined;
  const archs = new Set(pxeImages.map((b) => b.architecture).filter((a) => a !== undefined));
  if (archRow?.bothArchitectures && archs.size === 1 && pxeImages.every((b) => b.architecture)) {
    const only = [...archs][0];
    if (only === 'x86' || !x64OnlyKit(site, archRow.x64OnlyFromAdk)) {
      const other = only === 'x86' ? 'x64' : 'x86';
      const why = only === 'x86' ? 'x64 UEFI computers start only an x64 boot image' : 'PXE also needs an x86 boot image, even for x64 BIOS computers';
      out.push({ severity: 'warning', message: `The PXE-enabled boot images are all ${only}: ${why}. Enable PXE on an ${other} boot image too.`, span: listSpan, short: `the site's PXE-enabled boot images are all ${only} (${why})` });
    }
  }
  const pxeNames = new Set(servers.map((s) => s.server.toLowerCase()));
  site.site.bootImages.forEach((b, i) => {
    if (b.pxeEnabled !== true || b.distributionPoints.some((d) => pxeNames.has(d.toLowerCase()))) return;
    out.push({ severity: 'warning', message: `Boot image ${b.packageId} is PXE-enabled but on no PXE server (${servers.map((s) => s.server).join(', ')}); PXE clients cannot download it.`, span: firstSpan(site, ['bootImages', i, 'distributionPoints'], ['bootImages', i]) });
  });
  return out;
}

export const check: Check = {
  id: 'pxe-boot-images',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A PXE deployment whose boot image is not PXE-enabled, or a site with no PXE-enabled boot image or PXE-enabled boot images of one architecture only.',
    why: 'PXE clients download the boot image of the deployment from the PXE-enabled distribution point: it must have "Deploy this boot image from the PXE-enabled distribution point" and be on that distribution point. Current branch also wants both an x86 and an x64 PXE-enabled boot image (computers start the one that fits their firmware; x64 UEFI only x64), except with a Windows 11 or Server 2022 ADK, which has no supported x86 Windows PE. Reported on the site description and once on each sequence offered to PXE.',
    example: '{ "bootImages": [ { "packageId": "PS100004", "architecture": "x64", "pxeEnabled": false } ],\n  "taskSequences": [ { "packageId": "PS100050", "bootImageId": "PS100004", "availableTo": "clientsMediaAndPxe" } ] }',
    fix: 'Turn on "Deploy this boot image from the PXE-enabled distribution point" for the sequence\'s boot image (and one of the other architecture where needed), distribute it to the PXE-enabled distribution points, and set `pxeEnabled` in the site description.',
    links: sourceLinks(['S-PXE', 'S-BOOT', 'S-ADK-INC-X86']),
    facts: ['OSD-PXE-002', 'OSD-BOOT-004', 'OSD-ADK-003'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const site = facts.site;
    if (!offeredToMediaAndPxe(facts.tie?.entry) || pxeServers(site).length === 0) return;
    const reasons: string[] = [];
    const e = facts.boot.entry;
    if (e?.collection === 'bootImages' && e.entry.pxeEnabled === false) reasons.push(`its boot image ${e.id} is not deployed from PXE-enabled distribution points, so PXE clients get no boot image for it`);
    for (const p of pxeBootImageProblems(site)) if (p.short) reasons.push(p.short);
    if (reasons.length === 0) return;
    ctx.report({
      message: `This sequence is offered to PXE, but ${reasons.join('; and ')}.`,
      span: facts.boot.span,
      related: [
        ...siteRelated(ctx, 'this sequence\'s availableTo', site.spanOf(['taskSequences', facts.tie!.index, 'availableTo'])),
        ...siteRelated(ctx, 'the site\'s boot images', e?.collection === 'bootImages' ? site.spanOf(['bootImages', e.index, 'pxeEnabled']) ?? e.span : site.spanOf(['bootImages'])),
      ],
    });
  },
  site(ctx) {
    const offered = ctx.sequences.filter((s) => offeredToMediaAndPxe(s.entry));
    for (const p of pxeBootImageProblems(ctx.site)) ctx.report(p, offered);
  },
};
