// driver-categories: Auto Apply Drivers limited to driver categories the site does not have, or
// whose drivers are all disabled.

import type { Check } from './types';
import type { Span } from '../model/types';
import { isEnabled, stepVariable } from '../model/query';
import type { LoadedSite } from '../site/types';
import { siteRelated, stepLabel } from '../semantics/siteFacts';
import { capital } from '../semantics/stepInfo';

const DRIVER_LINKS = ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-drivers'];

function categoryTokens(value: string, valueSpan: Span): { id: string; span: Span }[] {
  const exact = value.length === valueSpan.end - valueSpan.start;
  const out: { id: string; span: Span }[] = [];
  const re = /[^,;\s]+/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    out.push({ id: m[0], span: exact ? { start: valueSpan.start + m.index, end: valueSpan.start + m.index + m[0].length } : valueSpan });
  }
  return out;
}

/** "DriverCategories:7d2b…" and the bare GUID name the same category. */
function categoryKey(id: string): string {
  return id.trim().toLowerCase().replace(/^drivercategories:/, '');
}

function enabledDriverCategories(site: LoadedSite): Set<string> | undefined {
  const packages = site.site.driverPackages;
  if (packages.length === 0 || packages.some((p) => p.drivers === undefined)) return undefined;
  const out = new Set<string>();
  for (const p of packages) for (const d of p.drivers ?? []) if (d.enabled !== false) for (const c of d.categories ?? []) out.add(c.toLowerCase());
  return out;
}

export const check: Check = {
  id: 'driver-categories',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Auto Apply Drivers is limited to driver categories the site does not have, or to categories with no enabled driver.',
    why: 'Auto Apply Drivers can be limited to driver categories ("Consider drivers only from selected categories"); the export writes their unique IDs, and the categories are or-ed. An ID the site does not have matches no driver: when none of the listed categories exists, or none holds an enabled driver, the step installs nothing and Windows comes up without drivers it needs.',
    example: '<variable name="OSDAutoApplyDriverCategoryList" property="DriverCategoryList">DriverCategories:0a6c5f3e-77d1-4b8e-9f4b-1e2d3c4b5a69</variable>',
    fix: 'Pick existing categories in the step (or clear the limit), or add the category to `driverCategories` in the site description if it exists and the description is behind.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_AutoApplyDrivers', ...DRIVER_LINKS],
    facts: ['OSD-DRV-003', 'OSD-DRV-002'],
  },
  sequence(ctx) {
    const site = ctx.site!;
    const known = new Map(site.site.driverCategories.map((c) => [categoryKey(c.id), c]));
    const withDrivers = enabledDriverCategories(site);
    for (const step of ctx.model.steps) {
      if (step.type !== 'SMS_TaskSequence_AutoApplyAction' || !isEnabled(step)) continue;
      const v = stepVariable(step, 'OSDAutoApplyDriverCategoryList', 'DriverCategoryList', 'CategoryList');
      if (!v || v.value.includes('%')) continue;
      const tokens = categoryTokens(v.value, v.valueSpan);
      const found: string[] = [];
      for (const t of tokens) {
        const c = known.get(categoryKey(t.id));
        if (c) {
          found.push(c.name);
          continue;
        }
        ctx.report({
          message: `${capital(stepLabel(step))} is limited to driver category "${t.id}", which is not in the site description's driverCategories${tokens.length === 1 ? '; no driver matches it, so the step installs nothing' : ''}.`,
          span: t.span,
          related: siteRelated(ctx, 'the site\'s driver categories', site.spanOf(['driverCategories'])),
        });
      }
      if (withDrivers && found.length > 0 && found.length === tokens.length && !found.some((n) => withDrivers.has(n.toLowerCase()))) {
        ctx.report({
          message: `No enabled driver in the site's driver packages belongs to ${found.length === 1 ? `the category "${found[0]}"` : `any of the categories ${found.map((n) => `"${n}"`).join(', ')}`}, so ${stepLabel(step)} installs nothing.`,
          span: v.valueSpan,
        });
      }
    }
  },
};
