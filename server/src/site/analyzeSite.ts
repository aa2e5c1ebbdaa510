// Site-level checks reported on the site description itself, where the engineer can act: the
// deployment kit, certificates, PXE boot images, boot images' Windows PE, multicast, USMT
// versions, and taskSequences entries naming a boot image the site lacks. Each finding lists the
// sequences it affects as related places; the sequence-side rules report the same problems once
// per affected file. Pure: the front ends pass the parsed sequences that use this site.

import type { Catalog } from '../catalog/types';
import { catalog as defaultCatalog } from '../catalog';
import type { Span, TaskSequenceModel } from '../model/types';
import { contentReferences } from '../model/query';
import type { Finding, RelatedPlace, Rule, Severity } from '../rules/types';
import { bootImage, bootImageVersion, winPEProblem } from '../rules/bootImage';
import { usmtPackage, usmtVersionProblem } from '../rules/siteUserState';
import {
  certificateProblems, deploymentKit, kitProblem, multicast, multicastProblems, nativeModeCertificates, pxeBootImageProblems, pxeBootImages,
  type SiteLevelProblem,
} from '../rules/siteLevel';
import { offeredToMediaAndPxe, tieSequence } from '../rules/siteFacts';
import { siteRelease } from '../versions/release';
import type { CmtsConfig } from './config';
import type { LoadedSite, TaskSequenceEntry } from './types';

/** A sequence checked against this site, as the front end read it. */
export interface SiteSequence {
  path: string;
  model: TaskSequenceModel;
  text?: string;
}

export interface AnalyzeSiteOptions {
  /** Path of the site description, to tie sequences by taskSequences[].file. */
  sitePath?: string;
  /** The .cmts.json that applies to the site file (severities, "off"). */
  config?: CmtsConfig;
  catalog?: Catalog;
}

/** At most this many affected sequences are listed with one finding. */
const MAX_RELATED = 20;

interface Summary {
  path: string;
  rootSpan: Span;
  entry?: TaskSequenceEntry;
  bootId?: string;
  ids: Set<string>;
}

export function analyzeSite(site: LoadedSite, sequences: readonly SiteSequence[] = [], options: AnalyzeSiteOptions = {}): Finding[] {
  try {
    return siteFindings(site, sequences, options);
  } catch (e) {
    // Like the façade's boundary per check: a bug here must not cost the sequences their findings.
    return [{ rule: 'internal-error', severity: 'info', message: `cmts could not check this site description (${e instanceof Error ? e.message : String(e)}); please report it.`, span: site.site.site.span }];
  }
}

function siteFindings(site: LoadedSite, sequences: readonly SiteSequence[], options: AnalyzeSiteOptions): Finding[] {
  const cat = options.catalog ?? defaultCatalog;
  const seqs = sequences.map((s) => summarize(site, s, options.sitePath, cat));
  const out: Finding[] = [];
  const add = (rule: Rule, p: SiteLevelProblem, affected: Summary[]): void => {
    const sev = severity(rule, p.severity, options.config);
    if (!sev) return;
    const related: RelatedPlace[] = affected.slice(0, MAX_RELATED).map((s) => ({ message: 'a task sequence this affects', span: s.rootSpan, file: s.path }));
    out.push({ rule: rule.id, severity: sev, message: p.message, span: p.span, ...(related.length ? { related } : {}) });
  };

  const withBootImage = seqs.filter((s) => s.bootId);
  const offered = seqs.filter((s) => offeredToMediaAndPxe(s.entry));

  const kit = kitProblem(site);
  if (kit) add(deploymentKit, kit, withBootImage);
  for (const p of certificateProblems(site)) add(nativeModeCertificates, p, offered);
  for (const p of pxeBootImageProblems(site)) add(pxeBootImages, p, offered);

  const release = siteRelease(site.site.site.product, site.site.site.version);
  site.site.bootImages.forEach((b, i) => {
    const why = winPEProblem(b.windowsPEVersion, { release });
    if (!why) return;
    const span = site.spanOf(['bootImages', i, 'windowsPEVersion']) ?? b.span;
    add(bootImageVersion, { severity: 'error', message: `Boot image ${b.packageId}: ${why}`, span }, seqs.filter((s) => s.bootId === b.packageId.toLowerCase()));
  });

  site.site.taskSequences.forEach((t, i) => {
    const id = t.bootImageId?.trim();
    if (!id || site.lookup(id)?.collection === 'bootImages') return;
    const other = site.lookup(id);
    const span = site.spanOf(['taskSequences', i, 'bootImageId']) ?? t.span;
    add(bootImage, { severity: 'error', message: other ? `The boot image of ${t.packageId} is ${id}, which is not a boot image in this file (it is in "${other.collection}").` : `The boot image of ${t.packageId} is ${id}, which is not in "bootImages".`, span }, seqs.filter((s) => s.entry === t));
  });

  for (const p of multicastProblems(site)) {
    const img = site.site.operatingSystemImages.find((o) => o.span.start <= p.span.start && p.span.end <= o.span.end);
    add(multicast, p, img ? seqs.filter((s) => s.ids.has(img.packageId.toLowerCase())) : []);
  }

  site.site.packages.forEach((pkg, i) => {
    if (pkg.kind !== 'usmt') return;
    const why = usmtVersionProblem(pkg, { release });
    if (!why) return;
    const span = site.spanOf(['packages', i, 'usmtVersion']) ?? pkg.span;
    add(usmtPackage, { severity: 'warning', message: `${why}.`, span }, seqs.filter((s) => s.ids.has(pkg.packageId.toLowerCase())));
  });

  return out.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

function summarize(site: LoadedSite, s: SiteSequence, sitePath: string | undefined, cat: Catalog): Summary {
  const tie = tieSequence(site, sitePath, s.path, s.model);
  const ids = new Set<string>();
  for (const r of contentReferences(s.model, cat, s.text)) ids.add(r.id.toLowerCase());
  const wrapperBoot = s.model.wrapper?.properties.BootImageID;
  const bootId = (wrapperBoot ? wrapperBoot.value.trim() : tie?.entry.bootImageId?.trim()) || undefined;
  return {
    path: s.path,
    rootSpan: (s.model.sequence ?? s.model.wrapper)?.nameSpan ?? { start: 0, end: 0 },
    ...(tie ? { entry: tie.entry } : {}),
    ...(bootId ? { bootId: bootId.toLowerCase() } : {}),
    ids,
  };
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * The severity a site-file finding gets: the configured one, except that a problem the check
 * itself rates below its default stays that much lower (as ctx.report does); undefined when off.
 */
function severity(rule: Rule, own: Severity, config: CmtsConfig | undefined): Severity | undefined {
  const configured = config?.rules[rule.id];
  if (configured === 'off') return undefined;
  if (configured === undefined) return own;
  if (RANK[own] < RANK[rule.defaultSeverity]) return RANK[own] < RANK[configured] ? own : configured;
  return configured;
}
