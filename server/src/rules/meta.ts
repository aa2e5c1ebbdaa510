// Checks whose findings the analysis façade makes itself (they are about the analysis, not the
// sequence): suppression comments that silence nothing, and the note that site checks were
// skipped. Declared here so they have docs, severities and .cmts.json keys like every other.

import type { Rule } from './types';

export const unusedSuppression: Rule = {
  id: 'unused-suppression',
  defaultSeverity: 'info',
  needsSite: false,
  docs: {
    summary: 'A `cmts-disable-next-line` or `cmts-disable` comment names a check that reports nothing there.',
    why: 'Suppressions outlive the problems they hid: once the sequence is fixed, a stale comment would silently hide the next real problem of that kind. An id that is not a cmts check at all is a typo that suppresses nothing.',
    example: '<!-- cmts-disable-next-line state-store-request -->\n<step type="SMS_TaskSequence_RunCommandLineAction" name="Echo">',
    fix: 'Remove the id from the comment (the quick fix does it), or the whole comment when it names nothing else.',
    links: [],
    facts: [],
  },
  check() {
    // Reported by analysis.ts after suppressions are applied.
  },
};

export const noSiteDescription: Rule = {
  id: 'no-site-description',
  defaultSeverity: 'info',
  needsSite: false,
  docs: {
    summary: 'No site description applies to this task sequence, so the site checks were skipped.',
    why: 'A task sequence names its content by ID only. Whether a boot image, OS image, driver package or USMT package exists, is distributed, and suits the site\'s version can only be checked against a description of the site (`configmgr-site.json`). Without one, cmts runs only the checks that need the XML alone.',
    example: 'sequences/deploy.xml with no configmgr-site.json in its folder or any parent folder of the workspace',
    fix: 'Run `cmts site init` (or the "cmts: Create Site Description" command) to write a starting configmgr-site.json listing every ID your sequences reference, then fill in what is true of your site. A `.cmts.json` can point at a site description elsewhere with `"site"`.',
    links: [],
    facts: ['site-description.md'],
  },
  check() {
    // Reported by analysis.ts when a site rule was skipped.
  },
};

export const invalidSiteDescription: Rule = {
  id: 'invalid-site-description',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: 'The site description is not valid JSON or does not match its schema.',
    why: 'Checks can only be as right as the site description. A property with the wrong name or value is reported where it is written, in the site file; the valid parts are still used, so one broken entry does not switch the site checks off.',
    example: '{ "bootImages": [ { "packageId": "CEN00002", "architecture": "x32" } ] }',
    fix: 'Correct the property as the message says. In VS Code the site file gets completion and hover from the schema (`schemas/configmgr-site.schema.json`).',
    links: [],
    facts: ['site-description.md'],
  },
  check() {
    // Reported by the front ends on the site file itself.
  },
};

export const invalidConfig: Rule = {
  id: 'invalid-config',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: '`.cmts.json` is not valid JSON, names an unknown check or severity, or points at a site description that does not exist.',
    why: 'A typo in a check id would otherwise silently leave the check at its default severity, and a wrong `"site"` path would silently switch the site checks off.',
    example: '{ "rules": { "state-store-requests": "off" } }',
    fix: 'Use a check id from this page and one of off, info, warning, error; make `"site"` a path relative to the `.cmts.json` folder.',
    links: [],
    facts: ['rules.md'],
  },
  check() {
    // Reported by the front ends on .cmts.json itself.
  },
};
