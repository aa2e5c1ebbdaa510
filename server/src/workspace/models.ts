// Parsed models for the editor features (hover, completion, navigation), cached by the document's
// text key: parsing only, never the checks, so a hover or a completion answers from the current
// text at once even while the debounced re-check of diagnostics is still pending. Files over the
// check size guard get an empty model, as the checks do.

import { MAX_CHECK_CHARS } from '../analysis';
import { parseTaskSequence } from '../model/parse';
import { LineIndex } from '../model/positions';
import type { TaskSequenceModel } from '../model/types';
import type { DocText } from './documents';

export interface ParsedDoc {
  model: TaskSequenceModel;
  lines: LineIndex;
}

export class ModelCache {
  private readonly parsed = new Map<string, { key: string; value: ParsedDoc }>();

  /** The model and line index of `doc`'s current text. */
  get(doc: DocText): ParsedDoc {
    const hit = this.parsed.get(doc.uri);
    if (hit && hit.key === doc.key) return hit.value;
    const model: TaskSequenceModel = doc.text.length > MAX_CHECK_CHARS
      ? { flavour: 'sequence', mdt: false, comments: [], steps: [], groups: [], length: doc.text.length }
      : parseTaskSequence(doc.text).model;
    const value = { model, lines: new LineIndex(doc.text) };
    this.parsed.set(doc.uri, { key: doc.key, value });
    return value;
  }

  /** A document closed: its entry goes (the key would miss anyway; this frees the memory). */
  drop(uri: string): void {
    this.parsed.delete(uri);
  }
}
