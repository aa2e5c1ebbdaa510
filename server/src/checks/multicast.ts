// multicast: an OS image that may only come by multicast needs a multicast-enabled distribution
// point holding it, and ConfigMgr 2007 has multicast only from R2. The site half reports on the
// image (or the distribution point) in the site description; the sequence half on the steps that
// apply the image.

import type { Check, SiteProblem } from './types';
import type { LoadedSite } from '../site/types';
import { meetsText, multicastRow, siteRelease, sourceLinks } from '../versions';
import { factsOf, firstSpan, siteRelated, stepLabel } from '../semantics/siteFacts';
import { capital } from '../semantics/stepInfo';

/** Whether the site can multicast at all (2007 needs R2). */
function multicastAvailable(site: LoadedSite): { ok: boolean; since?: string } {
  const info = site.site.site;
  const release = siteRelease(info.product, info.version);
  const row = info.product ? multicastRow(info.product) : undefined;
  if (!release || !row) return { ok: true };
  return { ok: meetsText(release, row.since) !== false, since: row.since.replace(/^CB$/, 'current branch') };
}

/** Why an OS image's multicast setting cannot work at this site, or undefined. */
function imageMulticastProblem(site: LoadedSite, id: string): string | undefined {
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
function multicastProblems(site: LoadedSite): SiteProblem[] {
  const out: SiteProblem[] = [];
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
    if (why) out.push({ severity: 'warning', message: `${why}.`, span: firstSpan(site, ['operatingSystemImages', i, 'multicast'], ['operatingSystemImages', i]) });
  });
  return out;
}

export const check: Check = {
  id: 'multicast',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'An OS image that must come by multicast with no multicast-enabled distribution point holding it, or multicast on a ConfigMgr 2007 site older than R2.',
    why: 'An OS image set to "Transfer this package only via multicast" can only reach Windows PE from a distribution point with multicast enabled (WDS installed, address range and ports configured); without one the Apply Operating System Image step never gets its content. ConfigMgr 2007 has multicast only from R2 (on SP1 or later, with WDS on Windows Server 2008). Reported on the image in the site description and on the steps that apply it.',
    example: '{ "operatingSystemImages": [ { "packageId": "CEN00010", "multicast": "required", "distributionPoints": ["DP01"] } ],\n  "siteSystems": [ { "server": "DP01", "roles": [ { "role": "distributionPoint", "multicast": false } ] } ] }',
    fix: 'Enable multicast on a distribution point that holds the image (and deploy with "Download content locally when needed by the running task sequence"), or allow the image to be transferred without multicast.',
    links: sourceLinks(['S-MC-IMG', 'S-MC', 'S-2007MC']),
    facts: ['OSD-MC-001', 'OSD-MC-002', 'OSD-CNT-005'],
  },
  sequence(ctx) {
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
  site(ctx) {
    const site = ctx.site;
    for (const p of multicastProblems(site)) {
      const img = site.site.operatingSystemImages.find((o) => o.span.start <= p.span.start && p.span.end <= o.span.end);
      ctx.report(p, img ? ctx.sequences.filter((s) => s.ids.has(img.packageId.toLowerCase())) : []);
    }
  },
};
