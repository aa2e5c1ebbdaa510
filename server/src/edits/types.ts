// The fix engine's contract: a finding's rule, span and fix data in, code fixes out. A fix is a
// title and a list of edits; an edit names another file (the site description, .cmts.json) when
// it is not in the document itself, and may create that file. Plain data: lsp/convert.ts turns it
// into a CodeAction, tests apply it as text.

import type { Catalog } from '../catalog/types';
import type { ParseProblem, ParseResult, Span, TaskSequenceModel } from '../model/types';
import type { Finding, FixData } from '../model/findings';
import type { LoadedSite } from '../site/types';

export interface FixEdit {
  /** Path of another file (as the context names it); absent for the document itself. */
  file?: string;
  /** Create `file` first (it does not exist yet); `span` is then { 0, 0 } and `newText` its whole text. */
  create?: boolean;
  /** Offsets into the text of the file the edit is for. */
  span: Span;
  newText: string;
}

export interface CodeFix {
  title: string;
  kind: 'quickfix';
  isPreferred?: boolean;
  edits: FixEdit[];
  /** Which fix made it: the data kind ('insert-step', 'replace-content' …), 'suppress-comment' or 'disable-in-config' (for counts and tests). */
  fixKind?: string;
}

/** What a fix is built from: the finding's rule id, span and data; the message is never read (invariant 4). */
export interface FixInput {
  rule: string;
  span: Span;
  data?: FixData;
  /** Accepted so a Finding can be passed as it is; no fix reads it. */
  message?: string;
}

export interface FixContext {
  /** The document's current text and its model (parsed from that text). */
  text: string;
  model: TaskSequenceModel;
  catalog: Catalog;
  /** The site description that applies, with its path; site edits need both. */
  site?: LoadedSite;
  sitePath?: string;
  /** The nearest .cmts.json, when there is one: its path and text. */
  configPath?: string;
  configText?: string;
  /** Where "Disable … in .cmts.json" creates a .cmts.json when none applies (the front end decides). */
  newConfigPath?: string;
  /**
   * With it, a fix that edits the document is offered only when the sequence it leaves still runs
   * (features/fixSafety.ts): the document is checked again with the fix applied, once per candidate.
   */
  safety?: FixSafety;
}

/**
 * Re-analyses a text with the document's site and config (the front end's checkText). `parsed`,
 * when given, is the parse of `text` (read again only where it changed: model/incremental.ts); a front end
 * may use it instead of parsing.
 */
export type Recheck = (text: string, parsed?: ParseResult) => { model: TaskSequenceModel; findings: readonly Finding[]; problems?: readonly ParseProblem[] };

/** What the fix engine needs to judge a fix by the sequence it leaves. */
export interface FixSafety {
  /** The findings of the document's current text (ctx.text). */
  findings: readonly Finding[];
  /**
   * The parse problems of ctx.text, when the front end has them: then a fix inside one step or group
   * is re-checked on ctx.model's parse read again only there (model/incremental.ts), not a new one.
   */
  problems?: readonly ParseProblem[];
  recheck: Recheck;
  /** Where the deployment starts (semantics/siteFacts: startIn), for the environment flow. */
  startIn?: 'WinPE' | 'FullOS' | 'both';
  /**
   * At most this many characters of fixed text are re-checked with this context; a fix past the
   * budget is not judged and so not offered. Each judgement re-checks the whole document, so judging
   * every finding's fixes (the CLI's fix titles) cost findings × document (issue 21). Unset: no bound.
   */
  maxRecheckChars?: number;
  /**
   * Re-check work shared by several safety contexts (fix-all's rounds): when given, the characters
   * re-checked are counted here, against its `limit`, instead of per context.
   */
  work?: RecheckWork;
}

/**
 * Re-check work done so far, and how much may be: characters parsed plus characters analysed (a
 * whole re-check of a text costs twice its length, one on an incremental parse once).
 */
export interface RecheckWork {
  used: number;
  limit: number;
}

/** Builds one kind of fix from its data; a check module maps each kind it attaches to one of these. */
export interface FixBuilder<D extends FixData> {
  build(input: FixInput, data: D, ctx: FixContext): CodeFix[];
  /**
   * Whether the finding still stands in `ctx.text` (else nothing is offered). Without it: the text
   * under the finding's span is still `data.expect`, when the data has one.
   */
  isCurrent?(input: FixInput, data: D, ctx: FixContext): boolean;
}
