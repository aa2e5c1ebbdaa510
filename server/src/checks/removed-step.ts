// Steps the site's release does not have: removed ones (Convert Disk to Dynamic and Install
// Deployment Tools from current branch 1710), ones newer than the site (Run PowerShell Script
// before 2012 R2, Run Task Sequence before 1710 …), and MDT classes that only MDT's own Lite
// Touch engine runs, in a sequence meant for ConfigMgr. Availability is data (versions/steps.ts).

import { liteTouchOnly, meetsText, parseRelease, sourceLinks, stepAvailability } from '../versions';
import { capital } from '../semantics/stepInfo';
import type { Check } from './types';
import { factsOf, releaseName, stepAnchor, stepLabel } from '../semantics/siteFacts';
import { isLiteTouch } from '../semantics/stepInfo';

export const check: Check = {
  id: 'removed-step',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  tags: ['deprecated'],
  docs: {
    summary: 'A step the site\'s product and release no longer have (or do not have yet), or an MDT Lite Touch step in a ConfigMgr sequence.',
    why: 'Step classes come and go with releases. Convert Disk to Dynamic and Install Deployment Tools were deprecated in 2016 and removed in current branch 1710; Install Application arrived in ConfigMgr 2012, Pre-provision BitLocker in 2012 SP1, Run PowerShell Script, Check Readiness and Set Dynamic Variables in 2012 R2, Download Package Content and Upgrade Operating System with current branch, Run Task Sequence in 1710 (a pre-release feature until 1910). On a release that removed a step, the step does nothing (the documentation says only that it was removed); a step newer than the site is one the site does not know. MDT\'s Install Operating System, Inject Drivers, Install Application, Recover From Domain and Upgrade Windows steps exist only in MDT\'s Lite Touch task sequences; ConfigMgr with MDT integration has other steps for these.',
    example: '<!-- configmgr-site.json: "product": "ConfigMgr CB", "version": "2309" -->\n<step type="SMS_TaskSequence_ConvertDiskAction" name="Convert Disk to Dynamic">',
    fix: 'Remove the step or replace it with what the release offers (the message says what): for Convert Disk to Dynamic a Run Command Line with diskpart, for Install Deployment Tools nothing on supported Windows. For a step newer than the site, upgrade the site or leave the step out.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/changes/deprecated/removed-and-deprecated-cmfeatures', ...sourceLinks(['S-2012TSS', 'S-WN1710', 'MDT-TOOLKIT'])],
    facts: ['OSD-DISK-002', 'OSD-VER-001', 'OSD-CAP-006', 'OSD-TS-001'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const release = facts.release;
    const liteTouch = isLiteTouch(ctx.model);
    for (const step of ctx.model.steps) {
      if (!step.type) continue;
      const type = ctx.catalog.get(step.type);
      const name = type?.displayName ?? step.type;
      const lti = liteTouchOnly(step.type);
      if (lti && !liteTouch) {
        ctx.report({
          message: `${capital(stepLabel(step))} is MDT's ${name} step, which only MDT's Lite Touch engine runs; ConfigMgr (with or without MDT integration) has no such step. Use ${lti.instead} instead.`,
          span: stepAnchor(step),
        });
        continue;
      }
      const avail = stepAvailability(step.type);
      if (!avail || !release) continue;
      if (avail.removed && meetsText(release, avail.removed)) {
        ctx.report({
          message: `${capital(stepLabel(step))}: ${name} was removed in ${readable(avail.removed)}; ${releaseName(facts)} no longer has it, and the step does nothing there. Remove it.`,
          span: stepAnchor(step),
        });
        continue;
      }
      if (meetsText(release, avail.introduced) === false) {
        ctx.report({
          message: `${capital(stepLabel(step))}: ${name} first appeared in ${readable(avail.introduced)}; ${releaseName(facts)} does not have it yet.`,
          span: stepAnchor(step),
        });
        continue;
      }
      if (avail.onByDefault && meetsText(release, avail.onByDefault) === false) {
        ctx.report({
          severity: 'info',
          message: `${capital(stepLabel(step))}: ${name} is a pre-release feature before ${readable(avail.onByDefault)}; on ${releaseName(facts)} it works only once the feature is turned on (Administration, Updates and Servicing, Features).`,
          span: stepAnchor(step),
        });
      }
    }
  },
};

/** "CB 1710" → "current branch 1710"; other names as written. */
function readable(release: string): string {
  const r = parseRelease(release);
  return r?.product === 'ConfigMgr CB' ? `current branch ${r.level}` : release;
}
