// invalid-config: .cmts.json is not valid JSON, names an unknown check or severity, or points at a
// site description that does not exist. Reported on .cmts.json itself by the front ends.

import type { Check } from './types';

export const check: Check = {
  id: 'invalid-config',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'config-file',
  suppressible: false,
  configurable: false,
  docs: {
    summary: '`.cmts.json` is not valid JSON, names an unknown check or severity, or points at a site description that does not exist.',
    why: 'A typo in a check id would otherwise silently leave the check at its default severity, and a wrong `"site"` path would silently switch the site checks off.',
    example: '{ "rules": { "state-store-requests": "off" } }',
    fix: 'Use a check id from this page and one of off, info, warning, error; make `"site"` a path relative to the `.cmts.json` folder.',
    links: [],
    facts: ['rules.md'],
  },
};
