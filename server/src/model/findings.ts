// What every check and front end exchanges: a finding is plain data with offsets (a rule id, a
// severity, a message, a span, related places, fix data). It sits beside the model at the bottom
// of the layers so that the semantic layer, the edit primitives, the checks, the features and the
// front ends all speak it without importing each other. Only lsp/convert.ts and the CLI's report
// turn offsets into ranges.

import type { Span } from './types';

export type Severity = 'error' | 'warning' | 'info';

/** A place another finding reasons from: in this document (no `file`), or in another file. */
export interface RelatedPlace {
  message: string;
  span: Span;
  /** Path of another file (the site description, a child sequence), as given to the analysis. */
  file?: string;
}

/**
 * What a quick fix needs, attached to a finding. `kind` names the fix; each check module declares
 * the exact shapes it attaches (a discriminated union on `kind`). Fixes are built from this and
 * the rule id, never from the message. Data travels through the editor and back, so fix builders
 * still validate what they read.
 */
export interface FixData {
  kind: string;
  /** The exact text the fix expects under the finding's span (stale diagnostics give no action). */
  expect?: string;
  /** Further, independent fixes offered with this one (each its own code action). */
  also?: FixData[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: RelatedPlace[];
  data?: FixData;
  /** Titles of the fixes this finding offers (the CLI's json `fixes`), from the check's own titles. */
  fixes?: string[];
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function severityRank(s: Severity): number {
  return RANK[s];
}
