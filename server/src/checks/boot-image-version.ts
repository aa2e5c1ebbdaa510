// boot-image-version: the boot image's Windows PE version must be one the site's product and
// release support. Reported on each sequence that uses the boot image, and by the site half on
// the boot image's windowsPEVersion in the site description.

import type { Check } from './types';
import { versionParts } from '../versions/release';
import { winPESupport, winPEVersion, type WinPESupportRow } from '../versions';
import { siteRelease } from '../versions/release';
import { bootImageEntry, factsOf, siteRelated, type SequenceFacts } from '../semantics/siteFacts';
import { BOOT_LINKS } from './links';

function supportedText(row: WinPESupportRow): string {
  const names = row.supported.map((v) => `Windows PE ${v}`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Why a boot image's Windows PE does not suit a release, or undefined when it does (or cmts cannot tell). */
function winPEProblem(written: string | undefined, facts: { release?: SequenceFacts['release'] }): string | undefined {
  if (!written || !facts.release) return undefined;
  const pe = winPEVersion(written);
  const row = winPESupport(facts.release);
  if (!pe || !row || row.supported.includes(pe)) return undefined;
  const older = Number(pe) < Math.min(...row.supported.map(Number));
  return `Windows PE ${pe}${written !== pe ? ` (${written})` : ''} is ${older ? 'older than anything' : 'not a version'} ${facts.release.label} supports: it works with ${supportedText(row)} (its own kit builds ${row.kit}).`;
}

export const check: Check = {
  id: 'boot-image-version',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'The boot image\'s Windows PE version is not one the site\'s product and release support.',
    why: 'Each release builds its boot images from one kit and supports a short list of Windows PE versions: ConfigMgr 2007 nothing earlier than Windows PE 2.0 (SP1 and R2: 2.1 from WAIK 1.1; SP2: 3.0), ConfigMgr 2012 RTM 3.0, SP1 4.0, R2 5.0, current branch Windows PE 10 (with 3.1 and 5.0 still usable but not customizable in the console). A boot image of another version fails to import, to update distribution points, or to talk to the site. Also reported on the boot image in the site description. After the site\'s Windows ADK is upgraded, Microsoft regenerates the default boot images but not custom ones; a boot image whose Windows PE build is older than the site\'s ADK build should be reloaded with the current Windows PE version (a warning).',
    example: '{ "site": { "product": "ConfigMgr 2007", "version": "SP1" },\n  "bootImages": [ { "packageId": "CEN00002", "windowsPEVersion": "3.0" } ] }',
    fix: 'Use a boot image built with the site\'s kit (the default boot images are), or bring the site to the release that supports the Windows PE you need.',
    links: BOOT_LINKS,
    facts: ['OSD-BOOT-005', 'OSD-BOOT-006'],
  },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const entry = bootImageEntry(facts);
    const problem = entry && winPEProblem(entry.entry.windowsPEVersion, facts);
    if (entry && !problem) {
      const kit = facts.site.site.site.deploymentKit;
      const pe = versionParts(entry.entry.windowsPEVersion ?? '');
      const adk = kit?.name === 'ADK' ? versionParts(kit.version) : undefined;
      // Windows 10/11 era: WinPE 10.0.<build> against ADK 10.1.<build>; compare the builds.
      if (pe && adk && pe[0] === 10 && adk[0] === 10 && pe[2] !== undefined && adk[2] !== undefined && pe[2] < adk[2]) {
        ctx.report({
          severity: 'warning',
          message: `Boot image ${entry.id}${entry.name !== undefined ? ` (${entry.name})` : ''} has Windows PE build ${pe[2]}, older than the site's ADK (build ${adk[2]}); reload it with the current Windows PE version, as custom boot images are not updated with the kit.`,
          span: facts.boot.span,
          related: siteRelated(ctx, 'the boot image\'s windowsPEVersion', facts.site.spanOf(['bootImages', entry.index, 'windowsPEVersion'])),
        });
      }
    }
    if (!entry || !problem) return;
    ctx.report({
      message: `Boot image ${entry.id}${entry.name !== undefined ? ` (${entry.name})` : ''}: ${problem}`,
      span: facts.boot.span,
      related: siteRelated(ctx, 'the boot image\'s windowsPEVersion', facts.site.spanOf(['bootImages', entry.index, 'windowsPEVersion'])),
    });
  },
  site(ctx) {
    const site = ctx.site;
    const release = siteRelease(site.site.site.product, site.site.site.version);
    site.site.bootImages.forEach((b, i) => {
      const why = winPEProblem(b.windowsPEVersion, { release });
      if (!why) return;
      const span = site.spanOf(['bootImages', i, 'windowsPEVersion']) ?? b.span;
      ctx.report({ severity: 'error', message: `Boot image ${b.packageId}: ${why}`, span }, ctx.sequences.filter((s) => s.bootId === b.packageId.toLowerCase()));
    });
  },
};
