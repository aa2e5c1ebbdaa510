// Code actions for the front ends: the fix engine in fixes.ts (built from a finding's rule id and
// data, never its message; stale findings offer nothing) behind the small API the server and the
// tests call. An action is a title and edits; an edit may name another file (the site
// description, .cmts.json) and may create it. Pure: text, model and site in, edits out.

import type { Span, TaskSequenceModel } from '../model/types';
import { parseTaskSequence } from '../model/parse';
import { catalog as defaultCatalog } from '../catalog';
import type { Finding, FixData } from '../model/findings';
import { dataFixesFor, fixAll, fixesFor as engineFixes, suppressionIfAllowed, type CodeFix, type FixAllResult, type FixContext, type FixEdit, type Recheck } from './fixes';

export type { CodeFix, FixEdit, FixContext, FixAllResult, Recheck };
export type TextEdit = FixEdit;
export type FixAction = CodeFix;

/** What a fix is built from: a diagnostic's code, range (as offsets) and data. */
export interface FixTarget {
  rule: string;
  span: Span;
  data?: FixData;
}

/** What the front end knows besides the document: the site, the config and where a new .cmts.json would go. */
export type FixEnvironment = Omit<FixContext, 'text' | 'model' | 'catalog'> & { catalog?: FixContext['catalog'] };

function contextOf(text: string, model: TaskSequenceModel | undefined, env: FixEnvironment = {}): FixContext {
  return { ...env, text, model: model ?? parseTaskSequence(text).model, catalog: env.catalog ?? defaultCatalog };
}

/** Every action for one finding: its fixes first, then the suppressions. */
export function codeActionsFor(text: string, model: TaskSequenceModel | undefined, target: FixTarget, env?: FixEnvironment): CodeFix[] {
  return engineFixes(target, contextOf(text, model, env));
}

/** The fixes the finding's data describes (no suppressions); [] when the text under it changed since. */
export function fixesFor(text: string, target: FixTarget, env?: FixEnvironment, model?: TaskSequenceModel): CodeFix[] {
  return dataFixesFor(target, contextOf(text, model, env));
}

/** `<!-- cmts-disable-next-line <rule> -->` before the innermost element holding the finding, where its check allows it. */
export function suppressionFor(text: string, model: TaskSequenceModel, target: FixTarget): CodeFix | undefined {
  return suppressionIfAllowed(target, { text, model });
}

/** source.fixAll.cmts: every fix that is its finding's only one, in one edit list of the document. */
export function fixAllFor(text: string, model: TaskSequenceModel, findings: readonly Finding[], env?: FixEnvironment, recheck?: Recheck): FixAllResult {
  return fixAll(findings, contextOf(text, model, env), recheck);
}
