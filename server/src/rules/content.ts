// Content the sequence names, against the site description: IDs the site does not have, IDs of
// the wrong kind for their place, and content on no distribution point. Each ID is reported at
// its most specific place (siteFacts.placesOf). The boot image belongs to boot-image, a Run Task
// Sequence target to child-task-sequence and a client package slot to client-package, so no ID
// is reported twice for one mistake.

import type { Rule } from './types';
import {
  candidatesFor, COLLECTION_OF, describeEntry, factsOf, fitsKind, kindNoun, siteRelated, stepLabel, wantedNoun, type Place,
} from './siteFacts';
import { replaceContent, replaceTitles, siteStub, stubTitle } from './fixData';

const CNT_LINKS = [
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/manage-task-sequences-to-automate-tasks#bkmk_DistributeTS',
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks',
];

/** Places another check owns: Run Task Sequence targets and client package slots. */
function ownedElsewhere(p: Place): boolean {
  const w = p.wanted;
  return !!w && w.every((k) => k === 'taskSequence' || k === 'clientPackage');
}

/** "step 4 "Capture User State" (UsmtPackageID)" or "the reference list". */
function where(p: Place): string {
  if (p.step) return `${stepLabel(p.step)}${p.property ? ` (${p.property.name})` : p.source === 'action' ? ' (command line)' : ''}`;
  return p.source === 'wrapperReference' ? 'the export\'s References' : 'the reference list';
}

export const unknownContent: Rule = {
  id: 'unknown-content',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'The sequence names a package, image, driver package or application ID that the site description does not list.',
    why: 'A task sequence refers to its content by ID only. When an ID does not exist at the site (a typo, content deleted since, an export from another site), the console will not let you close the editor or deploy the sequence until the reference is fixed, the step is disabled or removed; a sequence that reaches a step with missing content fails there. The boot image is checked by `boot-image`, Run Task Sequence targets by `child-task-sequence`.',
    example: '<variable name="_OSDMigrateUsmtPackageID" property="UsmtPackageID">CEN00099</variable>',
    fix: 'Correct the ID (the quick fix offers the closest IDs of the kind the place needs), or, when the content exists and the site description is behind, add it there (the other quick fix adds a stub entry to fill in).',
    links: CNT_LINKS,
    facts: ['OSD-CNT-001', 'OSD-CNT-006'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    for (const p of facts.places) {
      if (ownedElsewhere(p) || facts.site.lookup(p.id)) continue;
      const wanted = p.wanted;
      const candidates = candidatesFor(facts.site, p.id, wanted);
      const replace = replaceContent(p.id, candidates);
      // The stub takes the most specific kind any place of the ID asks for: a USMT package named by
      // Capture User State and by a Run Command Line (any package) is a USMT package.
      const asked = facts.places.filter((q) => q.wanted && q.id.toLowerCase() === p.id.toLowerCase()).map((q) => q.wanted!);
      const kinds = asked.find((k) => k[0] !== 'package') ?? wanted ?? asked[0];
      const stub = siteStub(p.id, kinds, ctx.sitePath, kinds ? COLLECTION_OF[kinds[0]] : 'packages');
      const what = wanted ? wantedNoun(wanted) : 'content';
      const near = candidates.length ? ` The closest ID ${wanted ? 'of that kind ' : ''}in the site description is ${candidates[0].id}${candidates[0].name !== undefined ? ` (${candidates[0].name})` : ''}.` : '';
      ctx.report({
        message: `"${p.id}" is not in the site description: ${where(p)} names ${what} the site does not have, so the sequence cannot be deployed as it is.${near}`,
        span: p.span,
        data: { ...replace, also: [stub] },
        fixes: [...replaceTitles(replace), stubTitle(stub)],
      });
    }
  },
};

export const wrongContentKind: Rule = {
  id: 'wrong-content-kind',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'An ID exists at the site but is the wrong kind of content for its place, such as a software package where a USMT package is needed.',
    why: 'Each property that names content accepts one kind: Capture and Restore User State need the USMT package, Apply Operating System Image an OS image (ImagePackageID) or an OS upgrade package (InstallPackageID), Apply Driver Package a driver package. A package of another kind passes the ID check but the step fails when it runs, because the content has not the layout the step expects. Setup Windows and ConfigMgr\'s client package is checked by `client-package`.',
    example: '<variable name="OSDApplyDriverDriverPackageID" property="DriverPackageID">CEN00005</variable>\n<!-- CEN00005 is the software package "Office 2007" in configmgr-site.json -->',
    fix: 'Name an item of the right kind; the quick fix offers the site\'s items of that kind, closest ID first. If the site description files the item under the wrong collection or `kind`, correct it there instead.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps'],
    facts: ['site-description.md'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    for (const p of facts.places) {
      const wanted = p.wanted;
      if (!wanted || ownedElsewhere(p)) continue;
      const entry = facts.site.lookup(p.id);
      if (!entry || fitsKind(entry.kind, wanted)) continue;
      const candidates = candidatesFor(facts.site, p.id, wanted);
      const replace = replaceContent(p.id, candidates);
      ctx.report({
        message: `${capital(where(p))} needs ${wantedNoun(wanted)}, but "${p.id}" is ${describeEntry(entry)}.${candidates.length ? '' : ` The site description lists no ${kindNoun(wanted[0])}.`}`,
        span: p.span,
        related: siteRelated(ctx, `${p.id} in the site description`, entry.idSpan),
        data: replace,
        fixes: replaceTitles(replace),
      });
    }
  },
};

export const contentNotDistributed: Rule = {
  id: 'content-not-distributed',
  defaultSeverity: 'warning',
  needsSite: true,
  docs: {
    summary: 'Content the sequence uses is on no distribution point.',
    why: 'Every package, image, driver package, boot image and application a task sequence references must be on a distribution point its clients can reach before it runs: a step whose content cannot be found stops the sequence (Available deployments fail at once, Required ones retry until the deadline), and drivers cannot be used until their package is distributed. In the site description, content counts as distributed when its `distributionPoints` names a server that has the `distributionPoint` role.',
    example: '{ "driverPackages": [ { "packageId": "CEN00020", "name": "Latitude D630", "distributionPoints": [] } ] }',
    fix: 'Distribute the content (in the console: Distribute Content), then list the distribution point in the entry\'s `distributionPoints`. Reported once per ID, at the first place that uses it.',
    links: CNT_LINKS,
    facts: ['OSD-CNT-001', 'OSD-IMG-002', 'OSD-DRV-001', 'OSD-BOOT-002'],
  },
  check(ctx) {
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

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

