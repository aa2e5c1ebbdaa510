// The contract of a check module: everything that is one check, under its id. Its metadata and
// docs, its flags (who reports it, whether a comment can suppress it, whether .cmts.json can set
// it), its sequence half (run on each task sequence), its site half (run on the site description,
// with the sequences that use it), the fix data it attaches (a union on `kind`) and a builder for
// each kind (the builders write the titles). The registry (index.ts) lists the modules; nothing else lists ids.

import type { Catalog } from '../catalog/types';
import type { FixBuilder } from '../edits/types';
import type { Finding, FixData, Severity } from '../model/findings';
import type { Span, TaskSequenceModel } from '../model/types';
import type { SequenceDocument } from '../semantics/document';
import type { LoadedSite, TaskSequenceEntry } from '../site/types';

export type { Finding, FixData, RelatedPlace, Severity } from '../model/findings';

/** The docs of a check, rendered into docs/rules.md. Written by us, in our words. */
export interface RuleDocs {
  /** One sentence: what it reports. */
  summary: string;
  /** Why it matters: the fact, with the public documentation it comes from. */
  why: string;
  /** A short XML (or JSON) excerpt that triggers it. */
  example: string;
  /** How to fix it (and the quick fix, if any). */
  fix: string;
  /** Public documentation links. */
  links: string[];
  /** Fact ids in ../shared/knowledge/prerequisites.md (OSD-…) or other sources. */
  facts: string[];
}

/**
 * Who makes a check's findings: its own `sequence`/`site` halves ('check'), the parser
 * ('parser': xml-syntax), the analysis itself ('analysis': suppressions, the skipped-site note),
 * or the loader of the site description or .cmts.json ('site-file', 'config-file').
 */
export type ReportedBy = 'check' | 'parser' | 'analysis' | 'site-file' | 'config-file';

export interface CheckMeta {
  id: string;
  defaultSeverity: Severity;
  /** Needs the site description (skipped without one). */
  needsSite: boolean;
  docs: RuleDocs;
  reportedBy: ReportedBy;
  /** A cmts-disable comment can silence it: false for findings not about an element of the sequence. */
  suppressible: boolean;
  /** The "Disable in .cmts.json" fix is offered: false where a broken file must stay visible. */
  configurable: boolean;
  /**
   * How an editor may show its findings besides the severity: 'unnecessary' (faded: the text
   * does nothing) and 'deprecated' (struck through: the step is gone from the release).
   */
  tags?: ('unnecessary' | 'deprecated')[];
}

/** What a check's sequence half sees: the document in its context, plus where to report. */
export interface CheckContext<F extends FixData = FixData> extends SequenceDocument {
  /** Severity this check runs at (after .cmts.json); a check may downgrade, never upgrade. */
  severity: Severity;
  /** Report a finding; severity defaults to the configured one. Fix titles come from the builders, not from here. */
  report(f: Omit<Finding, 'rule' | 'severity' | 'fixes' | 'data'> & { severity?: Severity; data?: F }): void;
}

/** A task sequence checked against a site, as the site half sees it. */
export interface SiteSequenceSummary {
  path: string;
  rootSpan: Span;
  /** The taskSequences entry tied to it. */
  entry?: TaskSequenceEntry;
  /** Its boot image ID, lower-cased. */
  bootId?: string;
  /** Every content ID it references, lower-cased. */
  ids: ReadonlySet<string>;
  model: TaskSequenceModel;
}

/** A problem the site half finds in the site description, with the sequences it affects. */
export interface SiteProblem {
  severity: Severity;
  message: string;
  span: Span;
  /** The same problem as a clause for a message on an affected sequence (none: said in the site file only). */
  short?: string;
}

export interface SiteCheckContext {
  site: LoadedSite;
  sitePath?: string;
  catalog: Catalog;
  sequences: readonly SiteSequenceSummary[];
  /** Report on the site description; `affected` become related places. */
  report(p: SiteProblem, affected: readonly SiteSequenceSummary[]): void;
}

/** A builder for each kind of fix data the check attaches (edits/kinds.ts holds them, with their titles). */
export type FixBuilders<F extends FixData> = { [K in F['kind']]: FixBuilder<F & { kind: K }> };

export interface Check<F extends FixData = FixData> extends CheckMeta {
  sequence?(ctx: CheckContext<F>): void;
  site?(ctx: SiteCheckContext): void;
  fixes?: FixBuilders<F>;
}

