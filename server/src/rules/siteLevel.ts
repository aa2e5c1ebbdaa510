// Problems of the site itself that a sequence inherits: the deployment kit, the certificates a
// native-mode or HTTPS site needs for PXE and media, PXE boot images, multicast. The evaluators
// here read only the site description; site/analyzeSite.ts reports their findings in the site
// file, and the rules below report them once per affected sequence, pointing back at the site.

import { CERTIFICATE_PURPOSES, type CertificatePurpose, type LoadedSite, type SiteRole } from '../site/types';
import type { Span } from '../model/types';
import {
  adkVerdict, certificateRow, compareVersions, kitBeforeCB, kitVersion, meetsText, multicastRow, pxeArchitectures, pxeRole,
  siteRelease, sourceLinks, supportedAdks,
} from '../versions';
import type { Rule, Severity } from './types';
import { factsOf, offeredToMediaAndPxe, siteRelated, stepLabel } from './siteFacts';

// ---- evaluators (site description only) ----------------------------------------------------

export interface SiteLevelProblem {
  severity: Severity;
  /** Said in the site description, at `span`. */
  message: string;
  span: Span;
  /** The same problem as a clause for the message on an affected sequence; none: site file only. */
  short?: string;
}

/** Span of a site value, falling back to the `site` object. */
function at(site: LoadedSite, ...paths: (string | number)[][]): Span {
  for (const p of paths) {
    const s = site.spanOf(p);
    if (s) return s;
  }
  return site.site.site.span;
}

/** The deployment kit against the site's release (OSD-ADK-002, OSD-ADK-005). */
export function kitProblem(site: LoadedSite): SiteLevelProblem | undefined {
  const info = site.site.site;
  const release = siteRelease(info.product, info.version);
  const kit = info.deploymentKit;
  if (!release || !kit) return undefined;
  const span = at(site, ['site', 'deploymentKit', 'version'], ['site', 'deploymentKit']);
  const nameSpan = at(site, ['site', 'deploymentKit', 'name'], ['site', 'deploymentKit']);
  const kitText = `${kit.name} ${kit.version}`;
  if (release.product === 'ConfigMgr CB') {
    if (kit.name === 'WAIK') return { severity: 'error', message: `Current branch builds boot images with the Windows ADK; the WAIK is not supported (${release.label}).`, span: nameSpan };
    const verdict = adkVerdict(release.level, kit.version);
    if (!verdict || verdict.cell === 'Y') return undefined;
    const ok = supportedAdks(release.level).map((r) => `${r.name} (${r.build})`);
    const supported = ok.length ? ` Supported: ${ok.join(', ')}.` : '';
    const col = verdict.beyondMatrix ? ` (the ADK table cmts knows ends at ${verdict.column}; this is its verdict for that version)` : '';
    if (verdict.cell === 'B') {
      return { severity: 'info', message: `ADK ${verdict.row!.name} (${kit.version}) works with ${release.label} but is not tested with it ("backward compatible" in Microsoft's table)${col}.${supported}`, span };
    }
    const listed = verdict.cell === '-';
    return {
      severity: listed && !verdict.beyondMatrix ? 'error' : 'warning',
      message: `ADK ${verdict.row!.name} (${kit.version}) is ${listed ? 'not supported' : 'not listed as supported'} for ${release.label}${col}: boot images and OS deployment need a supported ADK (with the matching Windows PE add-on).${supported}`,
      span,
    };
  }
  const row = kitBeforeCB(release);
  if (!row) return undefined;
  const want = row.versions.map((v) => `${row.kit} ${v === '10' ? 'for Windows 10' : v}`).join(' or ');
  if (kit.name !== row.kit) {
    return { severity: 'error', message: `${release.label} builds boot images with ${want}, not the ${kit.name === 'ADK' ? 'Windows ADK' : 'WAIK'} (${kitText}).`, span: nameSpan };
  }
  const v = kitVersion(kit.name, kit.version);
  if (v && row.versions.includes(v)) return undefined;
  return { severity: row.inferred ? 'warning' : 'error', message: `${release.label} needs ${want}; ${kitText} is not the kit its OS deployment supports.`, span };
}

/** Servers that answer PXE (2007: PXE service point; later: distribution points with PXE on). */
export function pxeServers(site: LoadedSite): { server: string; role: SiteRole }[] {
  const product = site.site.site.product;
  const row = product ? pxeRole(product) : undefined;
  const out: { server: string; role: SiteRole }[] = [];
  for (const s of site.site.siteSystems) {
    for (const r of s.roles) {
      const isPxe = row
        ? r.role === row.role && (row.flag === undefined || r.pxe === true)
        : r.role === 'pxeServicePoint' || (r.role === 'distributionPoint' && r.pxe === true);
      if (isPxe) out.push({ server: s.server, role: r });
    }
  }
  return out;
}

/** Purposes of the certificates the site description lists. */
function certificatesHeld(site: LoadedSite): Set<CertificatePurpose> {
  return new Set(site.site.certificates.map((c) => c.purpose));
}

/** The certificates a deployment offered to media and PXE needs and the site lacks (empty: none, or not a PKI site). */
export function missingCertificates(site: LoadedSite): CertificatePurpose[] {
  const info = site.site.site;
  const row = info.product ? certificateRow(info.product, info.securityMode) : undefined;
  if (!row) return [];
  const have = certificatesHeld(site);
  const needs = new Set<CertificatePurpose>(pxeServers(site).length ? row.pxe : []);
  for (const p of row.media) needs.add(p);
  return CERTIFICATE_PURPOSES.filter((p) => needs.has(p) && !have.has(p));
}

const PURPOSE_WORDS: Record<CertificatePurpose, string> = {
  pxe: 'a client-authentication certificate for the PXE point',
  bootMedia: 'a client-authentication certificate for boot media',
  rootCA: 'the root CA certificate trusted for OS deployment clients',
};

export function purposeList(purposes: readonly CertificatePurpose[]): string {
  const w = purposes.map((p) => PURPOSE_WORDS[p]);
  return w.length <= 1 ? w.join('') : `${w.slice(0, -1).join(', ')} and ${w[w.length - 1]}`;
}

function modeWords(site: LoadedSite): string {
  const i = site.site.site;
  return i.securityMode === 'native' ? `${i.product ?? 'ConfigMgr 2007'} in native mode` : `${i.product ?? 'The site'} with HTTPS`;
}

/** Certificate problems of the site itself (OSD-PKI-001/002/004). */
export function certificateProblems(site: LoadedSite): SiteLevelProblem[] {
  const info = site.site.site;
  const row = info.product ? certificateRow(info.product, info.securityMode) : undefined;
  if (!row) return [];
  const have = certificatesHeld(site);
  const out: SiteLevelProblem[] = [];
  const pxe = pxeServers(site);
  if (!have.has('pxe')) {
    for (const p of pxe) {
      out.push({ severity: 'error', message: `${modeWords(site)}: the PXE point on ${p.server} needs ${PURPOSE_WORDS.pxe} (PKCS #12 with its private key); without it Windows PE cannot authenticate to the management point. Add it to "certificates" with "purpose": "pxe".`, span: p.role.span });
    }
  }
  const media = site.site.taskSequences.filter((e) => offeredToMediaAndPxe(e));
  const certSpan = at(site, ['certificates'], ['site', 'securityMode']);
  if (media.length && !have.has('bootMedia')) {
    out.push({ severity: 'error', message: `${modeWords(site)}: ${media.length === 1 ? 'a task sequence is' : `${media.length} task sequences are`} offered to media and PXE, and boot media need ${PURPOSE_WORDS.bootMedia}; "certificates" has none with "purpose": "bootMedia".`, span: certSpan });
  }
  if ((media.length || pxe.length) && !have.has('rootCA')) {
    out.push({ severity: 'error', message: `${modeWords(site)}: OS deployment from PXE or media needs ${PURPOSE_WORDS.rootCA}; "certificates" has none with "purpose": "rootCA".`, span: certSpan });
  }
  return out;
}

/** The site's ADK leaves no supported x86 Windows PE (Windows 11 / Server 2022 add-ons). */
function x64OnlyKit(site: LoadedSite, from: string | undefined): boolean {
  const kit = site.site.site.deploymentKit;
  return !!from && kit?.name === 'ADK' && compareVersions(kit.version, from) >= 0;
}

/** PXE boot image problems of the site (OSD-PXE-002, OSD-BOOT-004): said once for the site, shared by every PXE deployment. */
export function pxeBootImageProblems(site: LoadedSite): SiteLevelProblem[] {
  const servers = pxeServers(site);
  if (servers.length === 0) return [];
  const out: SiteLevelProblem[] = [];
  const images = site.site.bootImages;
  const pxeImages = images.filter((b) => b.pxeEnabled === true);
  const listSpan = at(site, ['bootImages']);
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
    out.push({ severity: 'warning', message: `Boot image ${b.packageId} is PXE-enabled but on no PXE server (${servers.map((s) => s.server).join(', ')}); PXE clients cannot download it.`, span: at(site, ['bootImages', i, 'distributionPoints'], ['bootImages', i]) });
  });
  return out;
}

/** Whether the site can multicast at all (2007 needs R2). */
function multicastAvailable(site: LoadedSite): { ok: boolean; since?: string } {
  const info = site.site.site;
  const release = siteRelease(info.product, info.version);
  const row = info.product ? multicastRow(info.product) : undefined;
  if (!release || !row) return { ok: true };
  return { ok: meetsText(release, row.since) !== false, since: row.since.replace(/^CB$/, 'current branch') };
}

/** Why an OS image's multicast setting cannot work at this site, or undefined. */
export function imageMulticastProblem(site: LoadedSite, id: string): string | undefined {
  const e = site.lookup(id);
  if (e?.collection !== 'operatingSystemImages' || e.entry.multicast === 'none') return undefined;
  const avail = multicastAvailable(site);
  if (!avail.ok) return `OS image ${e.id} is set for multicast ("${e.entry.multicast}"), but ${site.site.site.product} ${site.site.site.version ?? ''} has no multicast: it came with ${avail.since}`;
  if (e.entry.multicast !== 'required') return undefined;
  const mcServers = new Set(site.site.siteSystems.filter((s) => s.roles.some((r) => r.role === 'distributionPoint' && r.multicast === true)).map((s) => s.server.toLowerCase()));
  if (e.entry.distributionPoints.some((d) => mcServers.has(d.toLowerCase()))) return undefined;
  return `OS image ${e.id} may be transferred only by multicast, but none of its distribution points has multicast enabled, so the image never arrives`;
}

/** Multicast problems of the site (OSD-MC-001/002, OSD-CNT-005). */
export function multicastProblems(site: LoadedSite): SiteLevelProblem[] {
  const out: SiteLevelProblem[] = [];
  const avail = multicastAvailable(site);
  if (!avail.ok) {
    for (const s of site.site.siteSystems) {
      for (const r of s.roles) {
        if (r.role === 'distributionPoint' && r.multicast === true) {
          out.push({ severity: 'warning', message: `Multicast is on for ${s.server}, but ${site.site.site.product} ${site.site.site.version ?? ''} has no multicast: it came with ${avail.since}.`, span: r.span });
        }
      }
    }
  }
  site.site.operatingSystemImages.forEach((img, i) => {
    const why = imageMulticastProblem(site, img.packageId);
    if (why) out.push({ severity: 'warning', message: `${why}.`, span: at(site, ['operatingSystemImages', i, 'multicast'], ['operatingSystemImages', i]) });
  });
  return out;
}

// ---- the rules: once per sequence ---------------------------------------------------------

export const deploymentKit: Rule = {
  id: 'deployment-kit',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'The site\'s WAIK or ADK version does not support the site\'s product and release.',
    why: 'Boot images are built from the deployment kit installed for the site, and each release supports particular kits: ConfigMgr 2007 RTM WAIK 1.0, SP1 and R2 WAIK 1.1, SP2 WAIK 2.0; ConfigMgr 2012 RTM the WAIK for Windows 7, SP1 the Windows 8 ADK, R2 the Windows 8.1 ADK; current branch the ADKs Microsoft\'s support table lists per version (marked "backward compatible" when they work but were not tested, reported as info). With another kit, boot images cannot be created or updated and OS deployment is unsupported. Reported on `deploymentKit` in the site description and once on each sequence that uses a boot image.',
    example: '{ "site": { "product": "ConfigMgr 2007", "version": "SP1", "deploymentKit": { "name": "WAIK", "version": "1.0" } } }',
    fix: 'Install the kit the release supports (with current branch, the ADK and its matching Windows PE add-on) and update the boot images; then correct `deploymentKit` in the site description.',
    links: sourceLinks(['S-ADK-2022b', 'S-2007PREQ']),
    facts: ['OSD-ADK-002', 'OSD-ADK-005'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    const problem = kitProblem(facts.site);
    // "Backward compatible" is worth a note on the site file, not on every sequence.
    if (!problem || problem.severity === 'info' || !facts.boot.id) return;
    ctx.report({
      severity: problem.severity,
      message: `This sequence's boot image is built with the site's deployment kit, which does not fit the site: ${problem.message}`,
      span: facts.boot.span,
      related: siteRelated(ctx, 'the deployment kit in the site description', problem.span),
    });
  },
};

export const nativeModeCertificates: Rule = {
  id: 'native-mode-certificates',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'A native-mode (ConfigMgr 2007) or HTTPS site deploys through PXE or boot media without the certificates that needs.',
    why: 'In Windows PE the task sequence has no client certificate of its own, yet a native-mode (2007) or HTTPS management point accepts only clients that authenticate with a PKI certificate. So the PXE point needs a client-authentication certificate (with its private key) that it hands to PXE clients, boot media need one imported when they are created, and the site must trust the root CA for OS deployment clients; without them the sequence cannot reach the management point from Windows PE. Reported on the site description (at the PXE role or `certificates`) and once on each sequence offered to media and PXE.',
    example: '{ "site": { "product": "ConfigMgr 2007", "version": "SP1", "securityMode": "native" },\n  "siteSystems": [ { "server": "DP01", "roles": [ { "role": "pxeServicePoint" } ] } ],\n  "certificates": [ { "purpose": "rootCA" } ] }',
    fix: 'Import a client-authentication certificate for the PXE point (2007: PXE service point properties; current branch: the distribution point\'s PXE settings) and for boot media when you create them, configure the root CA certificates for OS deployment, and list each in `certificates`.',
    links: sourceLinks(['S-2007NM', 'S-2007CERT', 'S-PKI']),
    facts: ['OSD-PKI-001', 'OSD-PKI-002', 'OSD-PKI-004', 'OSD-MEDIA-002'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    if (!offeredToMediaAndPxe(facts.tie?.entry)) return;
    const missing = missingCertificates(facts.site);
    if (missing.length === 0) return;
    ctx.report({
      message: `This sequence is offered to media and PXE on ${modeWords(facts.site)}, which needs ${purposeList(missing)}; the site description lists ${missing.length === 1 ? 'no such certificate' : 'none of them'}, so Windows PE cannot authenticate to the management point.`,
      span: facts.rootSpan,
      related: [
        ...siteRelated(ctx, 'this sequence\'s availableTo', facts.site.spanOf(['taskSequences', facts.tie!.index, 'availableTo'])),
        ...siteRelated(ctx, 'the site\'s certificates', facts.site.spanOf(['certificates']) ?? facts.site.spanOf(['site', 'securityMode'])),
      ],
    });
  },
};

export const pxeBootImages: Rule = {
  id: 'pxe-boot-images',
  defaultSeverity: 'warning',
  needsSite: true,
  docs: {
    summary: 'A PXE deployment whose boot image is not PXE-enabled, or a site with no PXE-enabled boot image or PXE-enabled boot images of one architecture only.',
    why: 'PXE clients download the boot image of the deployment from the PXE-enabled distribution point: it must have "Deploy this boot image from the PXE-enabled distribution point" and be on that distribution point. Current branch also wants both an x86 and an x64 PXE-enabled boot image (computers start the one that fits their firmware; x64 UEFI only x64), except with a Windows 11 or Server 2022 ADK, which has no supported x86 Windows PE. Reported on the site description and once on each sequence offered to PXE.',
    example: '{ "bootImages": [ { "packageId": "PS100004", "architecture": "x64", "pxeEnabled": false } ],\n  "taskSequences": [ { "packageId": "PS100050", "bootImageId": "PS100004", "availableTo": "clientsMediaAndPxe" } ] }',
    fix: 'Turn on "Deploy this boot image from the PXE-enabled distribution point" for the sequence\'s boot image (and one of the other architecture where needed), distribute it to the PXE-enabled distribution points, and set `pxeEnabled` in the site description.',
    links: sourceLinks(['S-PXE', 'S-BOOT', 'S-ADK-INC-X86']),
    facts: ['OSD-PXE-002', 'OSD-BOOT-004', 'OSD-ADK-003'],
  },
  check(ctx) {
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
};

export const multicast: Rule = {
  id: 'multicast',
  defaultSeverity: 'warning',
  needsSite: true,
  docs: {
    summary: 'An OS image that must come by multicast with no multicast-enabled distribution point holding it, or multicast on a ConfigMgr 2007 site older than R2.',
    why: 'An OS image set to "Transfer this package only via multicast" can only reach Windows PE from a distribution point with multicast enabled (WDS installed, address range and ports configured); without one the Apply Operating System Image step never gets its content. ConfigMgr 2007 has multicast only from R2 (on SP1 or later, with WDS on Windows Server 2008). Reported on the image in the site description and on the steps that apply it.',
    example: '{ "operatingSystemImages": [ { "packageId": "CEN00010", "multicast": "required", "distributionPoints": ["DP01"] } ],\n  "siteSystems": [ { "server": "DP01", "roles": [ { "role": "distributionPoint", "multicast": false } ] } ] }',
    fix: 'Enable multicast on a distribution point that holds the image (and deploy with "Download content locally when needed by the running task sequence"), or allow the image to be transferred without multicast.',
    links: sourceLinks(['S-MC-IMG', 'S-MC', 'S-2007MC']),
    facts: ['OSD-MC-001', 'OSD-MC-002', 'OSD-CNT-005'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    const seen = new Set<string>();
    for (const p of facts.places) {
      if (!p.step || p.step.type !== 'SMS_TaskSequence_ApplyOperatingSystemAction' || seen.has(p.id.toLowerCase())) continue;
      const why = imageMulticastProblem(facts.site, p.id);
      if (!why) continue;
      seen.add(p.id.toLowerCase());
      const e = facts.site.lookup(p.id)!;
      ctx.report({
        message: `${capital(stepLabel(p.step))}: ${why}.`,
        span: p.span,
        related: siteRelated(ctx, 'the image\'s multicast setting', facts.site.spanOf([e.collection, e.index, 'multicast']) ?? e.idSpan),
      });
    }
  },
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
