// upgrade-os-source: Upgrade Operating System with no source (no upgrade package, source path,
// staged content or feature update), or an edition index beyond the upgrade package's editions.

import type { Check } from './types';
import { label, labelSpan, orderOf } from '../semantics/stepInfo';
import { prop, propVar, T2 } from '../semantics/stepFacts';

export const check: Check = {
  id: 'upgrade-os-source',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Upgrade Operating System with neither an OS upgrade package nor a source path (nor staged content or a feature update), or an edition index greater than the upgrade package\'s edition count.',
    why: 'Upgrade Operating System runs Windows Setup from an OS upgrade package, a source path, content staged by an earlier step, or (current branch) a feature update; with none of them there is no setup to run. The edition index picks the edition inside the package\'s install.wim, and an index the package does not have stops setup (the site description\'s operatingSystemInstallers[].editionCount gives how many there are).',
    example: '<step type="SMS_TaskSequence_UpgradeOperatingSystemAction" name="Upgrade the Operating System">\n  <variable name="OSDUpgradeInstallPackageID" property="InstallPackageID"></variable> …\n</step>',
    fix: 'Choose the OS upgrade package (or give the source path); choose an edition the package has.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_UpgradeOS', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/create-a-task-sequence-to-upgrade-an-operating-system'],
    facts: ['OSD-IMG-006'],
  },
  sequence(ctx) {
    for (const s of orderOf(ctx.model).steps) {
      if (s.type !== T2.upgradeOs) continue;
      const pkg = prop(s, 'InstallPackageID', 'OSDUpgradeInstallPackageID');
      const sources = [pkg, prop(s, 'InstallPath', 'OSDUpgradeInstallPath'), prop(s, 'StagedContent', 'OSDUpgradeStagedContent'), prop(s, 'FeatureUpdateName', 'OSDUpgradeFeatureUpdateName'), prop(s, 'FeatureUpdateAssignmentId', 'OSDFeatureUpdateAssignmentID')];
      if (sources.every((v) => v === '')) {
        ctx.report({ message: `${label(s)} names no OS upgrade package, source path, staged content or feature update: there is no Windows Setup to run.`, span: labelSpan(s) });
        continue;
      }
      const entry = pkg && ctx.site?.lookup(pkg);
      const index = Number(prop(s, 'InstallEditionIndex', 'OSDUpgradeInstallEditionIndex'));
      if (entry && entry.collection === 'operatingSystemInstallers' && entry.entry.editionCount !== undefined && Number.isInteger(index) && index > entry.entry.editionCount) {
        const v = propVar(s, 'InstallEditionIndex', 'OSDUpgradeInstallEditionIndex');
        ctx.report({ message: `${label(s)} upgrades to edition ${index} of ${pkg}, which has ${entry.entry.editionCount} edition${entry.entry.editionCount === 1 ? '' : 's'} (site description); setup stops.`, span: v ? v.valueSpan : labelSpan(s) });
      }
    }
  },
};
