// property-newer-than-site: a step property the site's release does not have yet (the catalogue's
// `since`): the site cannot import the sequence, or ignores the option.

import type { Check } from './types';
import { propertyOf } from '../catalog';
import { meetsText, siteRelease } from '../versions';
import { label } from '../semantics/stepInfo';

export const check: Check = {
  id: 'property-newer-than-site',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A step property or option that arrived in a later release than the site\'s (site.product and site.version): the site cannot import it.',
    why: 'Step options are properties of the step\'s WMI class, and each release adds some: Run As for Run Command Line in 2007 R2, "Access content directly from the distribution point" in 2012 SP1, Run PowerShell Script\'s inline script, output variable and run-as in 1902, the Run Command Line output variable in 1910, the Disable BitLocker restart count in 1906, the BitLocker encryption method and "skip when no valid TPM" and the Format and Partition Disk disk-number variable in 2006, the extra Check Readiness checks in 2002 and 2111, among others (steps.json `since`). A sequence exported from a newer console carries them, and an older site\'s provider does not know the property, so the import fails. The same holds for the sequence itself: the schema version on <sequence> is 3.00 for ConfigMgr 2007 and 3.10 from 2012, and a client refuses a version it does not expect; and Install Application takes at most 9 applications per step before current branch 1702, 99 from then on.',
    example: '<!-- site: ConfigMgr CB 1810 -->\n<variable name="OSDRunPowerShellScriptSourceScript" property="SourceScript">…</variable>',
    fix: 'Upgrade the site, or rebuild the step in the site\'s own console.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps', 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/changes/whats-new-incremental-versions'],
    facts: ['OSD-VER-002', 'OSD-BL-001', 'OSD-BL-008', 'OSD-DISK-003', 'OSD-TS-009', 'OSD-SW-003', 'OSD-TS-007'],
  },
  sequence(ctx) {
    const info = ctx.site?.site.site;
    const release = info && siteRelease(info.product, info.version);
    if (!release) return;
    const seq = ctx.model.sequence;
    const version = seq?.version?.trim();
    if (seq && version && release.product === 'ConfigMgr 2007' && version !== '3.00' && /^\d+\.\d+$/.test(version) && Number(version) > 3) {
      ctx.report({ message: `The sequence has schema version ${version}, written by ConfigMgr 2012 or later; ${release.label} expects 3.00 and cannot import it.`, span: seq.attrs.version?.span ?? seq.nameSpan });
    }
    const apps = release.product === 'ConfigMgr CB' && release.level >= 1702 ? 99 : 9;
    for (const s of ctx.model.steps) {
      if (s.type !== 'SMS_TaskSequence_InstallApplicationAction') continue;
      const names = new Set(s.variables.filter((v) => /^OSDApp\d+Name$/i.test(v.name) && v.value.trim() !== '').map((v) => v.name.toLowerCase()));
      if (names.size > apps) ctx.report({ message: `${label(s)} installs ${names.size} applications; ${release.label} allows at most ${apps} in one Install Application step.`, span: s.attrs.name?.span ?? s.nameSpan });
    }
    for (const s of ctx.model.steps) {
      const type = s.type ? ctx.catalog.get(s.type) : undefined;
      if (!type || type.kind !== 'action') continue;
      // One finding per step, naming every newer property it carries.
      const newer: { name: string; since: string; span: { start: number; end: number } }[] = [];
      for (const v of s.variables) {
        const p = propertyOf(type, v.property ?? v.name) ?? propertyOf(type, v.name);
        if (p?.since && meetsText(release, p.since) === false && !newer.some((n) => n.name === p.name)) newer.push({ name: p.name, since: p.since, span: v.nameSpan });
      }
      if (newer.length === 0) continue;
      const list = newer.map((n) => `${n.name} (${n.since.replace(/^CB /, 'current branch ')})`).join(', ');
      ctx.report({ message: `${label(s)} carries ${newer.length === 1 ? 'a property' : 'properties'} newer than ${release.label}: ${list}; the site does not have ${newer.length === 1 ? 'it' : 'them'}, so the sequence cannot be imported there.`, span: newer[0].span });
    }
  },
};
