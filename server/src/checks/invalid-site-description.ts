// invalid-site-description: the site description is not valid JSON or does not match its schema.
// Its findings are the loader's problems (site/load.ts), reported on the site file by the front ends.

import type { Check } from './types';

export const check: Check = {
  id: 'invalid-site-description',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'site-file',
  suppressible: false,
  configurable: false,
  docs: {
    summary: 'The site description is not valid JSON or does not match its schema.',
    why: 'Checks can only be as right as the site description. A property with the wrong name or value is reported where it is written, in the site file; the valid parts are still used, so one broken entry does not switch the site checks off.',
    example: '{ "bootImages": [ { "packageId": "CEN00002", "architecture": "x32" } ] }',
    fix: 'Correct the property as the message says. In VS Code the site file gets completion and hover from the schema (`schemas/configmgr-site.schema.json`).',
    links: [],
    facts: ['site-description.md'],
  },
};
