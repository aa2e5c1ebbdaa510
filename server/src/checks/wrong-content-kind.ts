// wrong-content-kind: an ID the site has, but of the wrong kind for its place (a software package
// where a USMT package is needed). Client package slots belong to client-package, Run Task
// Sequence targets to child-task-sequence.

import type { Check } from './types';
import { replaceContent, type ReplaceContentFix } from '../edits/fixData';
import { replaceContentId } from '../edits/kinds';
import { capital } from '../semantics/stepInfo';
import { candidatesFor, describeEntry, factsOf, fitsKind, isChildOrClientSlot, kindNoun, placeLabel, siteRelated, wantedNoun } from '../semantics/siteFacts';

export const check: Check<ReplaceContentFix> = {
  id: 'wrong-content-kind',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'An ID exists at the site but is the wrong kind of content for its place, such as a software package where a USMT package is needed.',
    why: 'Each property that names content accepts one kind: Capture and Restore User State need the USMT package, Apply Operating System Image an OS image (ImagePackageID) or an OS upgrade package (InstallPackageID), Apply Driver Package a driver package. A package of another kind passes the ID check but the step fails when it runs, because the content has not the layout the step expects. Setup Windows and ConfigMgr\'s client package is checked by `client-package`.',
    example: '<variable name="OSDApplyDriverDriverPackageID" property="DriverPackageID">CEN00005</variable>\n<!-- CEN00005 is the software package "Office 2007" in configmgr-site.json -->',
    fix: 'Name an item of the right kind; the quick fix offers the site\'s items of that kind, closest ID first. If the site description files the item under the wrong collection or `kind`, correct it there instead.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps'],
    facts: ['site-description.md'],
  },
  fixes: { 'replace-content': replaceContentId },
  sequence(ctx) {
    const facts = factsOf(ctx);
    for (const p of facts.places) {
      const wanted = p.wanted;
      if (!wanted || isChildOrClientSlot(p)) continue;
      const entry = facts.site.lookup(p.id);
      if (!entry || fitsKind(entry.kind, wanted)) continue;
      const candidates = candidatesFor(facts.site, p.id, wanted);
      const replace = replaceContent(p.id, candidates);
      ctx.report({
        message: `${capital(placeLabel(p))} needs ${wantedNoun(wanted)}, but "${p.id}" is ${describeEntry(entry)}.${candidates.length ? '' : ` The site description lists no ${kindNoun(wanted[0])}.`}`,
        span: p.span,
        related: siteRelated(ctx, `${p.id} in the site description`, entry.idSpan),
        data: replace,
      });
    }
  },
};
