// client-package: Setup Windows and ConfigMgr must install the site's ConfigMgr client package. An
// ID that exists but is another kind of content (often a software package picked by mistake) is
// reported here, with the site's client package as the replacement. Unknown IDs are unknown-content's.

import type { Check } from './types';
import { replaceContent, type ReplaceContentFix } from '../edits/fixData';
import { replaceContentId } from '../edits/kinds';
import { capital } from '../semantics/stepInfo';
import { describeEntry, factsOf, siteRelated, stepLabel } from '../semantics/siteFacts';

export const check: Check<ReplaceContentFix> = {
  id: 'client-package',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Setup Windows and ConfigMgr names a package that is not the site\'s ConfigMgr client package.',
    why: 'Setup Windows and ConfigMgr installs the ConfigMgr client from the package in its "Package" field (ClientPackageID, exported as _SMSClientPackageID); it must be the site\'s client installation package (the one setup creates, kind "client" in the site description). Another package has no ccmsetup in it, so the client install fails and the new computer never reports to the site.',
    example: '<variable name="_SMSClientPackageID" property="ClientPackageID">CEN00005</variable>\n<!-- CEN00005 is the software package "Office 2007" -->',
    fix: 'Choose the site\'s "Configuration Manager Client Package"; the quick fix writes its ID. If the named package really is the client package, set `"kind": "client"` on it in the site description.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr'],
    facts: ['OSD-CLI-001'],
  },
  fixes: { 'replace-content': replaceContentId },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const clients = facts.site.entries('clientPackage');
    for (const p of facts.places) {
      if (!p.step || p.property?.references !== 'clientPackage') continue;
      const e = facts.site.lookup(p.id);
      if (!e || e.kind === 'clientPackage') continue;
      const fix = replaceContent(p.id, clients);
      const offer = clients.length === 1
        ? ` The site's client package is ${clients[0].id}${clients[0].name !== undefined ? ` (${clients[0].name})` : ''}.`
        : clients.length === 0 ? ' The site description lists no package of kind "client".' : '';
      ctx.report({
        message: `${capital(stepLabel(p.step))} installs the ConfigMgr client from "${p.id}", which is ${describeEntry(e)}, not the site's client package; the client install fails.${offer}`,
        span: p.span,
        related: siteRelated(ctx, `${p.id} in the site description`, e.idSpan),
        data: fix,
      });
    }
  },
};
