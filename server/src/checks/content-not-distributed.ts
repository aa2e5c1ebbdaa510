// content-not-distributed: content the sequence uses (its boot image included) that is on no
// distribution point. Reported once per ID, at the first place that names it, with the other
// places as related.

import type { Check } from './types';
import { capital } from '../semantics/stepInfo';
import { CONTENT_LINKS } from './links';
import { describeEntry, factsOf, siteRelated, type Place } from '../semantics/siteFacts';

export const check: Check = {
  id: 'content-not-distributed',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Content the sequence uses is on no distribution point.',
    why: 'Every package, image, driver package, boot image and application a task sequence references must be on a distribution point its clients can reach before it runs: a step whose content cannot be found stops the sequence (Available deployments fail at once, Required ones retry until the deadline), and drivers cannot be used until their package is distributed. In the site description, content counts as distributed when its `distributionPoints` names a server that has the `distributionPoint` role.',
    example: '{ "driverPackages": [ { "packageId": "CEN00020", "name": "Latitude D630", "distributionPoints": [] } ] }',
    fix: 'Distribute the content (in the console: Distribute Content), then list the distribution point in the entry\'s `distributionPoints`. Reported once per ID, at the first place that uses it.',
    links: CONTENT_LINKS,
    facts: ['OSD-CNT-001', 'OSD-IMG-002', 'OSD-DRV-001', 'OSD-BOOT-002'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const site = facts.site;
    const seen = new Set<string>();
    const report = (id: string, span: { start: number; end: number }, extraSpans: { start: number; end: number }[]): void => {
      const entry = site.lookup(id);
      if (!entry || entry.kind === 'taskSequence' || seen.has(entry.id.toLowerCase())) return;
      seen.add(entry.id.toLowerCase());
      if (site.isDistributed(entry)) return;
      const dps = entry.entry.distributionPoints;
      const why = dps.length === 0
        ? 'its entry lists none'
        : `${dps.join(', ')}, which its entry lists, ${dps.length === 1 ? 'has' : 'have'} no distributionPoint role in siteSystems`;
      ctx.report({
        message: `${capital(describeEntry(entry))} is on no distribution point: ${why}. The step that needs it fails when it runs; distribute it before deploying this sequence.`,
        span,
        related: [
          ...siteRelated(ctx, `${entry.id} in the site description`, site.spanOf([entry.collection, entry.index, 'distributionPoints']) ?? entry.idSpan),
          ...extraSpans.map((s) => ({ message: `${id} is also named here`, span: s })),
        ],
      });
    };
    if (facts.boot.id && facts.boot.inXml) report(facts.boot.id, facts.boot.span, []);
    const byId = new Map<string, Place[]>();
    for (const p of facts.places) {
      const k = p.id.toLowerCase();
      const list = byId.get(k);
      if (list) list.push(p);
      else byId.set(k, [p]);
    }
    for (const list of byId.values()) report(list[0].id, list[0].span, list.slice(1).map((p) => p.span));
    if (facts.boot.id && !facts.boot.inXml) report(facts.boot.id, facts.boot.span, []);
  },
};
