// What completion takes and gives: shared by the completion feature and its snippets, so that
// neither imports the other.

import type { Catalog } from '../catalog/types';
import type { Span, TaskSequenceModel } from '../model/types';
import type { LoadedSite } from '../site/types';
import type { Resume } from './xmlContext';

export type CompletionKind = 'class' | 'value' | 'variable' | 'snippet' | 'keyword' | 'reference' | 'property';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line shown beside the item (a class's display name, a content kind). */
  detail?: string;
  /** Shown right after the label, dimmed (a content ID's name). */
  labelDetail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** insertText uses snippet syntax ($1, ${1:x}, ${1|a,b|}); convert.ts flattens it for clients without snippets. */
  isSnippet?: boolean;
  /** The text the item replaces (the word typed so far and what follows it in the same value). */
  replaceSpan: Span;
  sortText?: string;
  filterText?: string;
  preselect?: boolean;
}

export interface CompletionInput {
  model: TaskSequenceModel;
  text: string;
  offset: number;
  site?: LoadedSite;
  catalog: Catalog;
  /** Where the scan of `text` may start instead of the top (xmlContext.ts `resumeAt`). */
  resume?: Resume;
}
