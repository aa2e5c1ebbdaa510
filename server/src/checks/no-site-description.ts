// no-site-description: the note, once per sequence, that the site checks were skipped because no
// site description applies. The analysis makes it when a check that needs the site was skipped.

import type { Check, Finding, Severity } from './types';
import type { Span } from '../model/types';

export const check: Check = {
  id: 'no-site-description',
  defaultSeverity: 'info',
  needsSite: false,
  reportedBy: 'analysis',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'No site description applies to this task sequence, so the site checks were skipped.',
    why: 'A task sequence names its content by ID only. Whether a boot image, OS image, driver package or USMT package exists, is distributed, and suits the site\'s version can only be checked against a description of the site (`configmgr-site.json`). Without one, cmts runs only the checks that need the XML alone.',
    example: 'sequences/deploy.xml with no configmgr-site.json in its folder or any parent folder of the workspace',
    fix: 'Run `cmts site init` (or the "cmts: Create Site Description" command) to write a starting configmgr-site.json listing every ID your sequences reference, then fill in what is true of your site. A `.cmts.json` can point at a site description elsewhere with `"site"`.',
    links: [],
    facts: ['site-description.md'],
  },
};

/** The note on a sequence whose site checks were skipped, at its root element. */
export function noSiteFinding(span: Span, severity: Severity): Finding {
  return {
    rule: 'no-site-description',
    severity,
    message: 'No site description (configmgr-site.json) applies to this file, so content, boot image, USMT, driver and site checks were skipped. Run "cmts site init" to create one.',
    span,
  };
}
