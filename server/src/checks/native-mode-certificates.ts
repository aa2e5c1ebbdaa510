// native-mode-certificates: a native-mode (2007) or HTTPS site that deploys through PXE or boot
// media needs certificates for Windows PE. The site half reports each missing certificate where
// the PXE role or `certificates` is written; the sequence half once on each sequence offered to
// media and PXE.

import type { Check, SiteProblem } from './types';
import { CERTIFICATE_PURPOSES, type CertificatePurpose, type LoadedSite } from '../site/types';
import { certificateRow, sourceLinks } from '../versions';
import { factsOf, firstSpan, offeredToMediaAndPxe, pxeServers, siteRelated } from '../semantics/siteFacts';

/** Purposes of the certificates the site description lists. */
function certificatesHeld(site: LoadedSite): Set<CertificatePurpose> {
  return new Set(site.site.certificates.map((c) => c.purpose));
}

/** The certificates a deployment offered to media and PXE needs and the site lacks (empty: none, or not a PKI site). */
function missingCertificates(site: LoadedSite): CertificatePurpose[] {
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

function purposeList(purposes: readonly CertificatePurpose[]): string {
  const w = purposes.map((p) => PURPOSE_WORDS[p]);
  return w.length <= 1 ? w.join('') : `${w.slice(0, -1).join(', ')} and ${w[w.length - 1]}`;
}

function modeWords(site: LoadedSite): string {
  const i = site.site.site;
  return i.securityMode === 'native' ? `${i.product ?? 'ConfigMgr 2007'} in native mode` : `${i.product ?? 'The site'} with HTTPS`;
}

/** Certificate problems of the site itself (OSD-PKI-001/002/004). */
function certificateProblems(site: LoadedSite): SiteProblem[] {
  const info = site.site.site;
  const row = info.product ? certificateRow(info.product, info.securityMode) : undefined;
  if (!row) return [];
  const have = certificatesHeld(site);
  const out: SiteProblem[] = [];
  const pxe = pxeServers(site);
  if (!have.has('pxe')) {
    for (const p of pxe) {
      out.push({ severity: 'error', message: `${modeWords(site)}: the PXE point on ${p.server} needs ${PURPOSE_WORDS.pxe} (PKCS #12 with its private key); without it Windows PE cannot authenticate to the management point. Add it to "certificates" with "purpose": "pxe".`, span: p.role.span });
    }
  }
  const media = site.site.taskSequences.filter((e) => offeredToMediaAndPxe(e));
  const certSpan = firstSpan(site, ['certificates'], ['site', 'securityMode']);
  if (media.length && !have.has('bootMedia')) {
    out.push({ severity: 'error', message: `${modeWords(site)}: ${media.length === 1 ? 'a task sequence is' : `${media.length} task sequences are`} offered to media and PXE, and boot media need ${PURPOSE_WORDS.bootMedia}; "certificates" has none with "purpose": "bootMedia".`, span: certSpan });
  }
  if ((media.length || pxe.length) && !have.has('rootCA')) {
    out.push({ severity: 'error', message: `${modeWords(site)}: OS deployment from PXE or media needs ${PURPOSE_WORDS.rootCA}; "certificates" has none with "purpose": "rootCA".`, span: certSpan });
  }
  return out;
}

export const check: Check = {
  id: 'native-mode-certificates',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A native-mode (ConfigMgr 2007) or HTTPS site deploys through PXE or boot media without the certificates that needs.',
    why: 'In Windows PE the task sequence has no client certificate of its own, yet a native-mode (2007) or HTTPS management point accepts only clients that authenticate with a PKI certificate. So the PXE point needs a client-authentication certificate (with its private key) that it hands to PXE clients, boot media need one imported when they are created, and the site must trust the root CA for OS deployment clients; without them the sequence cannot reach the management point from Windows PE. Reported on the site description (at the PXE role or `certificates`) and once on each sequence offered to media and PXE.',
    example: '{ "site": { "product": "ConfigMgr 2007", "version": "SP1", "securityMode": "native" },\n  "siteSystems": [ { "server": "DP01", "roles": [ { "role": "pxeServicePoint" } ] } ],\n  "certificates": [ { "purpose": "rootCA" } ] }',
    fix: 'Import a client-authentication certificate for the PXE point (2007: PXE service point properties; current branch: the distribution point\'s PXE settings) and for boot media when you create them, configure the root CA certificates for OS deployment, and list each in `certificates`.',
    links: sourceLinks(['S-2007NM', 'S-2007CERT', 'S-PKI']),
    facts: ['OSD-PKI-001', 'OSD-PKI-002', 'OSD-PKI-004', 'OSD-MEDIA-002'],
  },
  sequence(ctx) {
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
  site(ctx) {
    const offered = ctx.sequences.filter((s) => offeredToMediaAndPxe(s.entry));
    for (const p of certificateProblems(ctx.site)) ctx.report(p, offered);
  },
};
