// deployment-kit: the site's WAIK or ADK must support its product and release. The site half
// reports it on deploymentKit in the site description (with the sequences that use a boot image);
// the sequence half once on each sequence with a boot image, pointing back at the site.

import type { Check, SiteProblem } from './types';
import type { LoadedSite } from '../site/types';
import { adkVerdict, kitBeforeCB, kitVersion, siteRelease, sourceLinks, supportedAdks } from '../versions';
import { factsOf, firstSpan, siteRelated } from '../semantics/siteFacts';

/** The deployment kit against the site's release (OSD-ADK-002, OSD-ADK-005). */
function kitProblem(site: LoadedSite): SiteProblem | undefined {
  const info = site.site.site;
  const release = siteRelease(info.product, info.version);
  const kit = info.deploymentKit;
  if (!release || !kit) return undefined;
  const span = firstSpan(site, ['site', 'deploymentKit', 'version'], ['site', 'deploymentKit']);
  const nameSpan = firstSpan(site, ['site', 'deploymentKit', 'name'], ['site', 'deploymentKit']);
  const kitText = `${kit.name} ${kit.version}`;
  if (release.product === 'ConfigMgr CB') {
    if (kit.name === 'WAIK') return { severity: 'error', message: `Current branch builds boot images with the Windows ADK; the WAIK is not supported (${release.label}).`, span: nameSpan };
    const verdict = adkVerdict(release.level, kit.version);
    if (!verdict || verdict.cell === 'Y') return undefined;
    const ok = supportedAdks(release.level).map((r) => `${r.name} (${r.build})`);
    const supported = ok.length ? ` Supported: ${ok.join(', ')}.` : '';
    const col = verdict.beyondMatrix ? ` (the ADK table cmts knows ends at ${verdict.column}; this is its verdict for that version)` : '';
    if (verdict.cell === 'B') {
      return { severity: 'info', message: `ADK ${verdict.row!.name} (${kit.version}) works with ${release.label} but is not tested with it ("backward compatible" in Microsoft's table)${col}.${supported}`, span };
    }
    const listed = verdict.cell === '-';
    return {
      severity: listed && !verdict.beyondMatrix ? 'error' : 'warning',
      message: `ADK ${verdict.row!.name} (${kit.version}) is ${listed ? 'not supported' : 'not listed as supported'} for ${release.label}${col}: boot images and OS deployment need a supported ADK (with the matching Windows PE add-on).${supported}`,
      span,
    };
  }
  const row = kitBeforeCB(release);
  if (!row) return undefined;
  const want = row.versions.map((v) => `${row.kit} ${v === '10' ? 'for Windows 10' : v}`).join(' or ');
  if (kit.name !== row.kit) {
    return { severity: 'error', message: `${release.label} builds boot images with ${want}, not the ${kit.name === 'ADK' ? 'Windows ADK' : 'WAIK'} (${kitText}).`, span: nameSpan };
  }
  const v = kitVersion(kit.name, kit.version);
  if (v && row.versions.includes(v)) return undefined;
  return { severity: row.inferred ? 'warning' : 'error', message: `${release.label} needs ${want}; ${kitText} is not the kit its OS deployment supports.`, span };
}

export const check: Check = {
  id: 'deployment-kit',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'The site\'s WAIK or ADK version does not support the site\'s product and release.',
    why: 'Boot images are built from the deployment kit installed for the site, and each release supports particular kits: ConfigMgr 2007 RTM WAIK 1.0, SP1 and R2 WAIK 1.1, SP2 WAIK 2.0; ConfigMgr 2012 RTM the WAIK for Windows 7, SP1 the Windows 8 ADK, R2 the Windows 8.1 ADK; current branch the ADKs Microsoft\'s support table lists per version (marked "backward compatible" when they work but were not tested, reported as info). With another kit, boot images cannot be created or updated and OS deployment is unsupported. Reported on `deploymentKit` in the site description and once on each sequence that uses a boot image.',
    example: '{ "site": { "product": "ConfigMgr 2007", "version": "SP1", "deploymentKit": { "name": "WAIK", "version": "1.0" } } }',
    fix: 'Install the kit the release supports (with current branch, the ADK and its matching Windows PE add-on) and update the boot images; then correct `deploymentKit` in the site description.',
    links: sourceLinks(['S-ADK-2022b', 'S-2007PREQ']),
    facts: ['OSD-ADK-002', 'OSD-ADK-005'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const problem = kitProblem(facts.site);
    // "Backward compatible" is worth a note on the site file, not on every sequence.
    if (!problem || problem.severity === 'info' || !facts.boot.id) return;
    ctx.report({
      severity: problem.severity,
      message: `This sequence's boot image is built with the site's deployment kit, which does not fit the site: ${problem.message}`,
      span: facts.boot.span,
      related: siteRelated(ctx, 'the deployment kit in the site description', problem.span),
    });
  },
  site(ctx) {
    const kit = kitProblem(ctx.site);
    if (kit) ctx.report(kit, ctx.sequences.filter((s) => s.bootId));
  },
};
