// Drivers against the site: a driver package that will stage nothing useful (no drivers, none
// enabled, or none for the architecture of the OS applied before it), and Auto Apply Drivers
// limited to driver categories the site does not have or whose drivers are all disabled.

import type { Span } from '../model/types';
import { isEnabled, stepVariable } from '../model/query';
import type { DriverPackage, LoadedSite } from '../site/types';
import type { Rule } from './types';
import { factsOf, osBefore, siteRelated, stepLabel, type AppliedOs } from './siteFacts';

const DRV_LINKS = ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-drivers'];

export const driverPackageContent: Rule = {
  id: 'driver-package-content',
  defaultSeverity: 'warning',
  needsSite: true,
  docs: {
    summary: 'A driver package holds no drivers, no enabled drivers, or only drivers of another architecture than the OS applied before it.',
    why: 'Only drivers imported into the driver catalogue and enabled are used; Apply Driver Package stages every driver of its package for Windows setup, so an empty package, one whose drivers are all disabled, or one with only x86 drivers before an x64 Windows installs nothing and the computer comes up without its network or storage drivers. cmts checks this when the site description lists the package\'s `drivers`.',
    example: '{ "driverPackages": [ { "packageId": "CEN00020", "drivers": [ { "name": "NIC", "enabled": false } ] } ] }',
    fix: 'Enable the drivers (driver catalogue, Properties) or import the drivers for the right architecture into the package, update its distribution points and the site description.',
    links: DRV_LINKS,
    facts: ['OSD-DRV-002'],
  },
  check(ctx) {
    const facts = factsOf(ctx);
    for (const p of facts.places) {
      if (!p.step || p.property?.references !== 'driverPackage') continue;
      const e = facts.site.lookup(p.id);
      if (e?.collection !== 'driverPackages' || !e.entry.drivers) continue;
      const problem = driverProblem(e.entry, osBefore(p.step, facts));
      if (!problem) continue;
      ctx.report({
        message: `Driver package ${e.id}${e.name !== undefined ? ` (${e.name})` : ''} ${problem}, so ${stepLabel(p.step)} installs no driver.`,
        span: p.span,
        related: siteRelated(ctx, 'the driver package\'s drivers', facts.site.spanOf(['driverPackages', e.index, 'drivers'])),
      });
    }
  },
};

function driverProblem(pkg: DriverPackage, os: AppliedOs | undefined): string | undefined {
  const drivers = pkg.drivers ?? [];
  if (drivers.length === 0) return 'holds no drivers';
  // A driver whose state the site description does not give counts as enabled.
  const enabled = drivers.filter((d) => d.enabled !== false);
  if (enabled.length === 0) return `has ${drivers.length === 1 ? 'its only driver' : `all ${drivers.length} of its drivers`} disabled`;
  const arch = os?.architecture;
  if (os && arch && enabled.every((d) => d.architecture !== undefined && d.architecture !== arch)) {
    return `holds only ${enabled[0].architecture} drivers while ${stepLabel(os.step)} applies the ${arch} image ${os.id}`;
  }
  return undefined;
}

/** Category IDs in an Auto Apply Drivers list, each with its span when the value is written plainly. */
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

export const driverCategories: Rule = {
  id: 'driver-categories',
  defaultSeverity: 'warning',
  needsSite: true,
  docs: {
    summary: 'Auto Apply Drivers is limited to driver categories the site does not have, or to categories with no enabled driver.',
    why: 'Auto Apply Drivers can be limited to driver categories ("Consider drivers only from selected categories"); the export writes their unique IDs, and the categories are or-ed. An ID the site does not have matches no driver: when none of the listed categories exists, or none holds an enabled driver, the step installs nothing and Windows comes up without drivers it needs.',
    example: '<variable name="OSDAutoApplyDriverCategoryList" property="DriverCategoryList">DriverCategories:0a6c5f3e-77d1-4b8e-9f4b-1e2d3c4b5a69</variable>',
    fix: 'Pick existing categories in the step (or clear the limit), or add the category to `driverCategories` in the site description if it exists and the description is behind.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_AutoApplyDrivers', ...DRV_LINKS],
    facts: ['OSD-DRV-003', 'OSD-DRV-002'],
  },
  check(ctx) {
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

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
