// The contract between the analysis and each check: a rule declares its id, default severity
// and docs, and reports findings through the context it is given. Findings are plain data
// with offsets; only lsp/convert.ts and the CLI turn them into ranges.

import type { Span, TaskSequenceModel } from '../model/types';
import type { Catalog } from '../catalog/types';
import type { LoadedSite } from '../site/types';

export type Severity = 'error' | 'warning' | 'info';

/** A place another finding reasons from: in this document (no `file`), or in another file. */
export interface RelatedPlace {
  message: string;
  span: Span;
  /** Path of another file (the site description, a child sequence), as given to the analysis. */
  file?: string;
}

/**
 * What a quick fix needs, attached to a finding. `kind` names the fix; the rest is fix-specific
 * data. Fixes are built from this and the rule id, never from the message (GUIDE invariant 4).
 */
export interface FixData {
  kind: string;
  /** The exact text the fix expects under the finding's span (stale diagnostics give no action). */
  expect?: string;
  [key: string]: unknown;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: RelatedPlace[];
  data?: FixData;
  /** Titles of the fixes this finding offers (the CLI's json `fixes`). */
  fixes?: string[];
}

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

export interface RuleMeta {
  id: string;
  defaultSeverity: Severity;
  /** Needs the site description (skipped without one). */
  needsSite: boolean;
  docs: RuleDocs;
}

/** What a rule sees. */
export interface RuleContext {
  model: TaskSequenceModel;
  text: string;
  catalog: Catalog;
  /** Present only for site rules, and only when a site description applies. */
  site?: LoadedSite;
  /** Path of this document, as the front end names it (for related places in other files). */
  path?: string;
  /** Path of the site description, when one applies. */
  sitePath?: string;
  /** Severity this rule runs at (after .cmts.json); rules may downgrade, never upgrade. */
  severity: Severity;
  /**
   * Extra context from the front end; each rule narrows what it reads. Keys (typed in siteFacts.ts):
   * - `startIn`: 'WinPE' | 'FullOS' | 'both': where the deployment starts, from the taskSequences
   *   entry tied to this file (availableTo: clients → FullOS, mediaAndPxe(Hidden) → WinPE,
   *   clientsMediaAndPxe → both). Build it with siteExtraFor() so every front end agrees.
   * - `resolveSequence`: (packageId) => { path, model, text } | undefined: reads a child task
   *   sequence through the site's taskSequences[].file (createSequenceResolver in
   *   childSequences.ts builds one from a file reader). Without it, children are not followed.
   */
  extra: Record<string, unknown>;
  /** Report a finding; severity defaults to the rule's configured severity. */
  report(f: Omit<Finding, 'rule' | 'severity'> & { severity?: Severity }): void;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void;
}
