// User state against the site: the USMT package's version must suit the site's release and the
// Windows it restores to, and its architecture the OS it works on; Request State Store needs a
// state migration point, and one that still accepts new data for a capture. (The order of the
// user-state steps is checked from the XML alone, in userState.ts.)

import { isEnabled } from '../model/query';
import type { Step } from '../model/types';
import type { Package } from '../site/types';
import { compareVersions, usmtMajor, usmtSupport, usmtTarget, versionPrefix } from '../versions';
import type { Rule } from './types';
import { factsOf, osBefore, siteRelated, stepLabel, type SequenceFacts } from './siteFacts';
import { labelSpan, requestMode } from './stepInfo';

const USMT_LINKS = [
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-user-state',
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/plan-design/infrastructure-requirements-for-operating-system-deployment#bkmk_usmt',
];

/** Why a USMT package's version does not suit the site's release, or undefined. Shared with analyzeSite. */
export function usmtVersionProblem(pkg: Package, facts: Pick<SequenceFacts, 'release'>): string | undefined {
  const major = pkg.usmtVersion ? usmtMajor(pkg.usmtVersion) : undefined;
  const row = facts.release && usmtSupport(facts.release);
  if (major === undefined || !row || row.majors.includes(major)) return undefined;
  const list = row.majors.map((m) => `USMT ${m}`);
  return `USMT ${pkg.usmtVersion} is not a version ${facts.release!.label} works with (${list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`})`;
}

export const usmtPackage: Rule = {
  id: 'usmt-package',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'The USMT package\'s version does not fit the site\'s release or the Windows it restores to, or its architecture is not the OS\'s.',
    why: 'Capture and Restore User State run the User State Migration Tool from the package they name. Each release works with the USMT of its kit (ConfigMgr 2007 up to R2: USMT 3.0.1; 2007 SP2: USMT 4; 2012: USMT 5.0 for Windows 7/8, 4.0 for Vista, 3.0.1 for XP; current branch: USMT 10), an older USMT cannot restore onto a newer Windows, and the package must be of the architecture of the OS it captures from or restores to: a 32-bit USMT cannot restore onto 64-bit Windows. Version problems are warnings; an architecture mismatch the site description shows is an error. The version is also reported on the package in the site description.',
    example: '{ "packages": [ { "packageId": "CEN00003", "kind": "usmt", "usmtVersion": "3.0.1", "architecture": "x86" } ],\n  "operatingSystemImages": [ { "packageId": "CEN00010", "architecture": "x64" } ] }',
    fix: 'Name the site\'s USMT package for the OS\'s architecture and the release\'s kit (current branch and 2012 SP1+ create it when the site is installed or the kit is updated; ConfigMgr 2007 needs one made from the downloaded USMT).',
    links: USMT_LINKS,
    facts: ['OSD-USMT-006', 'OSD-USMT-007'],
  },
  check(ctx) {
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
};

export const stateMigrationPoint: Rule = {
  id: 'state-migration-point',
  defaultSeverity: 'error',
  needsSite: true,
  docs: {
    summary: 'Request State Store is used but the site has no state migration point, or, for a capture, only restore-only ones.',
    why: 'Request State Store asks the management point for a state migration point to store user state on (capture) or to read it from (restore). With no state migration point at the site the step fails; a state migration point set to respond only to restore requests does not take new data, so a capture fails when every one is restore-only. (Local and hard-link stores need neither the role nor these steps.)',
    example: '<!-- configmgr-site.json: the only state migration point has "restoreOnly": true -->\n<step type="SMS_TaskSequence_RequestStateStoreAction" name="Request State Store">\n  ... <variable name="OSDStateRequestType" property="RequestType">capture</variable>',
    fix: 'Add a state migration point to the site (and to `siteSystems`), or clear "Enable restore-only mode" on one; or keep user state locally (hard links) and drop Request/Release State Store.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-user-state#BKMK_StateMigrationPoint', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RequestStateStore'],
    facts: ['OSD-SMP-001', 'OSD-SMP-002'],
  },
  check(ctx) {
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

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
