// state-migration-point: Request State Store needs a state migration point at the site, and for a
// capture one that is not restore-only. (The order of the user-state steps is checked from the XML
// alone, by state-store-request, state-store-release and user-state-restore-order.)

import type { Check } from './types';
import { isEnabled } from '../model/query';
import type { Step } from '../model/types';
import { siteRelated, stepLabel } from '../semantics/siteFacts';
import { capital, labelSpan, requestMode } from '../semantics/stepInfo';

export const check: Check = {
  id: 'state-migration-point',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Request State Store is used but the site has no state migration point, or, for a capture, only restore-only ones.',
    why: 'Request State Store asks the management point for a state migration point to store user state on (capture) or to read it from (restore). With no state migration point at the site the step fails; a state migration point set to respond only to restore requests does not take new data, so a capture fails when every one is restore-only. (Local and hard-link stores need neither the role nor these steps.)',
    example: '<!-- configmgr-site.json: the only state migration point has "restoreOnly": true -->\n<step type="SMS_TaskSequence_RequestStateStoreAction" name="Request State Store">\n  ... <variable name="OSDStateRequestType" property="RequestType">capture</variable>',
    fix: 'Add a state migration point to the site (and to `siteSystems`), or clear "Enable restore-only mode" on one; or keep user state locally (hard links) and drop Request/Release State Store.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-user-state#BKMK_StateMigrationPoint', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RequestStateStore'],
    facts: ['OSD-SMP-001', 'OSD-SMP-002'],
  },
  sequence(ctx) {
    const site = ctx.site!;
    const smps = site.site.siteSystems.flatMap((s) => s.roles.filter((r) => r.role === 'stateMigrationPoint').map((r) => ({ server: s.server, role: r })));
    const requests: Step[] = ctx.model.steps.filter((s) => s.type === 'SMS_TaskSequence_RequestStateStoreAction' && isEnabled(s));
    for (const step of requests) {
      if (smps.length === 0) {
        ctx.report({
          message: `${capital(stepLabel(step))} needs a state migration point, and the site description lists none in siteSystems; the step fails.`,
          span: labelSpan(step),
          related: siteRelated(ctx, 'the site systems', site.spanOf(['siteSystems'])),
        });
        continue;
      }
      if (requestMode(step) === 'capture' && smps.every((s) => s.role.restoreOnly === true)) {
        ctx.report({
          message: `${capital(stepLabel(step))} stores user state, but every state migration point (${smps.map((s) => s.server).join(', ')}) is in restore-only mode and takes no new data.`,
          span: labelSpan(step),
          related: smps.map((s) => siteRelated(ctx, `${s.server}: restore-only`, s.role.span)).flat(),
        });
      }
    }
  },
};
