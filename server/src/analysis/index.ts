// The analysis layer: runs the check modules' sequence halves on a task sequence (sequence.ts,
// with suppressions.ts) and their site halves on a site description (site.ts).

export { analyze, checkText, rootElementSpan, severityOf, MAX_CHECK_CHARS, MAX_DATA_CHARS, MAX_MESSAGE_CHARS, type AnalysisInput, type CheckResult } from './sequence';
export { analyzeSite, type AnalyzeSiteOptions, type SiteSequence } from './site';
