// unknown-content: the sequence names a package, image, driver package or application ID the site
// description does not list. Each ID is reported once, at its most specific place
// (siteFacts.placesOf); the boot image belongs to boot-image, Run Task Sequence targets to
// child-task-sequence and client package slots to client-package, so no ID is reported twice.

import type { Check } from './types';
import type { AddSiteStubFix, ReplaceContentFix } from '../edits/fixData';
import { replaceContent, siteStub } from '../edits/fixData';
import { addSiteStub, replaceContentId } from '../edits/kinds';
import { candidatesFor, COLLECTION_OF, factsOf, isChildOrClientSlot, placeLabel, wantedNoun } from '../semantics/siteFacts';
import { CONTENT_LINKS } from './links';

export const check: Check<ReplaceContentFix | AddSiteStubFix> = {
  id: 'unknown-content',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'The sequence names a package, image, driver package or application ID that the site description does not list.',
    why: 'A task sequence refers to its content by ID only. When an ID does not exist at the site (a typo, content deleted since, an export from another site), the console will not let you close the editor or deploy the sequence until the reference is fixed, the step is disabled or removed; a sequence that reaches a step with missing content fails there. The boot image is checked by `boot-image`, Run Task Sequence targets by `child-task-sequence`.',
    example: '<variable name="_OSDMigrateUsmtPackageID" property="UsmtPackageID">CEN00099</variable>',
    fix: 'Correct the ID (the quick fix offers the closest IDs of the kind the place needs), or, when the content exists and the site description is behind, add it there (the other quick fix adds a stub entry to fill in).',
    links: CONTENT_LINKS,
    facts: ['OSD-CNT-001', 'OSD-CNT-006'],
  },
  fixes: { 'replace-content': replaceContentId, 'add-site-stub': addSiteStub },
  sequence(ctx) {
    const facts = factsOf(ctx);
    for (const p of facts.places) {
      if (isChildOrClientSlot(p) || facts.site.lookup(p.id)) continue;
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
        message: `"${p.id}" is not in the site description: ${placeLabel(p)} names ${what} the site does not have, so the sequence cannot be deployed as it is.${near}`,
        span: p.span,
        data: { ...replace, also: [stub] },
      });
    }
  },
};
