// The site description's own findings: each check module's site half (deployment kit,
// certificates, PXE boot images, boot images' Windows PE, multicast, USMT versions, taskSequences
// entries naming a boot image the site lacks) runs on the site description, with the sequences
// that use it listed as related places; the sequence halves report the same problems once per
// affected file. Pure: the front ends pass the parsed sequences that use this site.

import type { Catalog } from '../catalog/types';
import { catalog as defaultCatalog } from '../catalog';
import { severityRank, type Finding, type RelatedPlace, type Severity } from '../model/findings';
import type { TaskSequenceModel } from '../model/types';
import { contentReferences } from '../model/query';
import { CHECKS } from '../checks';
import type { Check, SiteCheckContext, SiteSequenceSummary } from '../checks/types';
import { tieSequence } from '../semantics/siteFacts';
import type { CmtsConfig } from '../site/config';
import type { LoadedSite } from '../site/types';

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
  /** The checks to run instead of the registry (tests only). */
  checks?: readonly Check[];
}

/** At most this many affected sequences are listed with one finding. */
const MAX_RELATED = 20;

export function analyzeSite(site: LoadedSite, sequences: readonly SiteSequence[] = [], options: AnalyzeSiteOptions = {}): Finding[] {
  const cat = options.catalog ?? defaultCatalog;
  const summaries = sequences.map((s) => summarize(site, s, options.sitePath, cat));
  const out: Finding[] = [];
  for (const check of options.checks ?? CHECKS) {
    if (!check.site) continue;
    const ctx: SiteCheckContext = {
      site,
      ...(options.sitePath !== undefined ? { sitePath: options.sitePath } : {}),
      catalog: cat,
      sequences: summaries,
      report(p, affected) {
        const sev = severity(check, p.severity, options.config);
        if (!sev) return;
        const related: RelatedPlace[] = affected.slice(0, MAX_RELATED).map((s) => ({ message: 'a task sequence this affects', span: s.rootSpan, file: s.path }));
        out.push({ rule: check.id, severity: sev, message: p.message, span: p.span, ...(related.length ? { related } : {}) });
      },
    };
    try {
      check.site(ctx);
    } catch (e) {
      // Like the boundary per sequence check: one broken check must not hide the others.
      out.push({ rule: 'internal-error', severity: 'info', message: `cmts check "${check.id}" failed on this site description (${e instanceof Error ? e.message : String(e)}); please report it.`, span: site.site.site.span });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
}

function summarize(site: LoadedSite, s: SiteSequence, sitePath: string | undefined, cat: Catalog): SiteSequenceSummary {
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
    model: s.model,
  };
}

/**
 * The severity a site-file finding gets: the configured one, except that a problem the check
 * itself rates below its default stays that much lower (as a sequence check's report does);
 * undefined when off.
 */
function severity(check: Check, own: Severity, config: CmtsConfig | undefined): Severity | undefined {
  const configured = config?.rules[check.id];
  if (configured === 'off') return undefined;
  if (configured === undefined) return own;
  if (severityRank(own) < severityRank(check.defaultSeverity)) return severityRank(own) < severityRank(configured) ? own : configured;
  return configured;
}
