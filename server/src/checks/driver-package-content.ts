// driver-package-content: a driver package that will stage nothing useful: no drivers, none
// enabled, or none for the architecture of the OS applied before it.

import type { Check } from './types';
import type { DriverPackage } from '../site/types';
import { factsOf, osBefore, siteRelated, stepLabel, type AppliedOs } from '../semantics/siteFacts';

const DRIVER_LINKS = ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-drivers'];

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

export const check: Check = {
  id: 'driver-package-content',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A driver package holds no drivers, no enabled drivers, or only drivers of another architecture than the OS applied before it.',
    why: 'Only drivers imported into the driver catalogue and enabled are used; Apply Driver Package stages every driver of its package for Windows setup, so an empty package, one whose drivers are all disabled, or one with only x86 drivers before an x64 Windows installs nothing and the computer comes up without its network or storage drivers. cmts checks this when the site description lists the package\'s `drivers`. Microsoft also advises keeping a driver package used by task sequences under 500 drivers; a larger one is reported as well.',
    example: '{ "driverPackages": [ { "packageId": "CEN00020", "drivers": [ { "name": "NIC", "enabled": false } ] } ] }',
    fix: 'Enable the drivers (driver catalogue, Properties) or import the drivers for the right architecture into the package, update its distribution points and the site description.',
    links: DRIVER_LINKS,
    facts: ['OSD-DRV-002', 'OSD-DRV-005'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    for (const p of facts.places) {
      if (!p.step || p.property?.references !== 'driverPackage') continue;
      const e = facts.site.lookup(p.id);
      if (e?.collection !== 'driverPackages' || !e.entry.drivers) continue;
      const problem = driverProblem(e.entry, osBefore(p.step, facts));
      const large = !problem && e.entry.drivers.length >= 500;
      if (!problem && !large) continue;
      ctx.report({
        message: large
          ? `Driver package ${e.id}${e.name !== undefined ? ` (${e.name})` : ''} holds ${e.entry.drivers.length} drivers; Microsoft advises fewer than 500 in a driver package that ${stepLabel(p.step)} applies. Split it by model.`
          : `Driver package ${e.id}${e.name !== undefined ? ` (${e.name})` : ''} ${problem}, so ${stepLabel(p.step)} installs no driver.`,
        span: p.span,
        related: siteRelated(ctx, 'the driver package\'s drivers', facts.site.spanOf(['driverPackages', e.index, 'drivers'])),
      });
    }
  },
};
