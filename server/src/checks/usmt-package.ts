// usmt-package: the USMT package's version must suit the site's release and the Windows it restores
// to, and its architecture the OS it works on. The site half reports the version on the package in
// the site description.

import type { Check } from './types';
import type { Package } from '../site/types';
import { compareVersions, usmtMajor, usmtSupport, usmtTarget, versionPrefix } from '../versions';
import { siteRelease } from '../versions/release';
import { factsOf, osBefore, siteRelated, stepLabel, type SequenceFacts } from '../semantics/siteFacts';

/** Where user state migration is documented. */
const USMT_LINKS = [
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-user-state',
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/plan-design/infrastructure-requirements-for-operating-system-deployment#bkmk_usmt',
];

/** Why a USMT package's version does not suit the site's release, or undefined. */
function usmtVersionProblem(pkg: Package, facts: Pick<SequenceFacts, 'release'>): string | undefined {
  const major = pkg.usmtVersion ? usmtMajor(pkg.usmtVersion) : undefined;
  const row = facts.release && usmtSupport(facts.release);
  if (major === undefined || !row || row.majors.includes(major)) return undefined;
  const list = row.majors.map((m) => `USMT ${m}`);
  return `USMT ${pkg.usmtVersion} is not a version ${facts.release!.label} works with (${list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`})`;
}

export const check: Check = {
  id: 'usmt-package',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'The USMT package\'s version does not fit the site\'s release or the Windows it restores to, or its architecture is not the OS\'s.',
    why: 'Capture and Restore User State run the User State Migration Tool from the package they name. Each release works with the USMT of its kit (ConfigMgr 2007 up to R2: USMT 3.0.1; 2007 SP2: USMT 4; 2012: USMT 5.0 for Windows 7/8, 4.0 for Vista, 3.0.1 for XP; current branch: USMT 10), an older USMT cannot restore onto a newer Windows, and the package must be of the architecture of the OS it captures from or restores to: a 32-bit USMT cannot restore onto 64-bit Windows. Version problems are warnings; an architecture mismatch the site description shows is an error. The version is also reported on the package in the site description.',
    example: '{ "packages": [ { "packageId": "CEN00003", "kind": "usmt", "usmtVersion": "3.0.1", "architecture": "x86" } ],\n  "operatingSystemImages": [ { "packageId": "CEN00010", "architecture": "x64" } ] }',
    fix: 'Name the site\'s USMT package for the OS\'s architecture and the release\'s kit (current branch and 2012 SP1+ create it when the site is installed or the kit is updated; ConfigMgr 2007 needs one made from the downloaded USMT).',
    links: USMT_LINKS,
    facts: ['OSD-USMT-006', 'OSD-USMT-007'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const versionSaid = new Set<string>();
    for (const p of facts.places) {
      if (!p.step || p.property?.references !== 'usmtPackage') continue;
      const e = facts.site.lookup(p.id);
      if (e?.collection !== 'packages' || e.entry.kind !== 'usmt') continue;
      const pkg = e.entry;
      const related = (what: string, key: string) => siteRelated(ctx, what, facts.site.spanOf(['packages', e.index, key]) ?? e.idSpan);
      const version = versionSaid.has(e.id.toLowerCase()) ? undefined : usmtVersionProblem(pkg, facts);
      versionSaid.add(e.id.toLowerCase());
      if (version) ctx.report({ severity: 'warning', message: `USMT package ${e.id}: ${version}.`, span: p.span, related: related('the package\'s usmtVersion', 'usmtVersion') });
      const os = osBefore(p.step, facts);
      if (!os) continue;
      const restore = p.step.type === 'SMS_TaskSequence_RestoreUserStateAction';
      if (pkg.architecture && os.architecture && pkg.architecture !== os.architecture) {
        ctx.report({
          message: `USMT package ${e.id} is ${pkg.architecture}, but ${stepLabel(p.step)} ${restore ? 'restores onto' : 'captures from'} the ${os.architecture} OS that ${stepLabel(os.step)} applies; USMT must match the OS's architecture.`,
          span: p.span,
          related: [{ message: `the ${os.architecture} OS`, span: os.span }, ...related('the package\'s architecture', 'architecture')],
        });
      }
      const major = pkg.usmtVersion ? usmtMajor(pkg.usmtVersion) : undefined;
      const target = major !== undefined ? usmtTarget(major) : undefined;
      const osVer = os.osVersion && versionPrefix(os.osVersion, 2);
      if (restore && target && osVer && compareVersions(osVer, target.newestOs) > 0) {
        ctx.report({
          severity: 'warning',
          message: `USMT ${pkg.usmtVersion} restores onto ${target.osName} at the newest, but ${stepLabel(os.step)} applies Windows ${os.osVersion}; use the USMT of a newer kit.`,
          span: p.span,
          related: [{ message: 'the OS restored onto', span: os.span }, ...related('the package\'s usmtVersion', 'usmtVersion')],
        });
      }
    }
  },
  site(ctx) {
    const site = ctx.site;
    const release = siteRelease(site.site.site.product, site.site.site.version);
    site.site.packages.forEach((pkg, i) => {
      if (pkg.kind !== 'usmt') return;
      const why = usmtVersionProblem(pkg, { release });
      if (!why) return;
      const span = site.spanOf(['packages', i, 'usmtVersion']) ?? pkg.span;
      ctx.report({ severity: 'warning', message: `${why}.`, span }, ctx.sequences.filter((s) => s.ids.has(pkg.packageId.toLowerCase())));
    });
  },
};
