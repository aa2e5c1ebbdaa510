// Folding ranges for task sequences: every group, step, condition and variable list that spans
// more than one line, and the reference list. Pure: offsets out; the LSP layer maps to lines.

import type { ElementSpans, TaskSequenceModel } from '../model/types';

export interface Fold {
  start: number;
  end: number;
  kind?: 'region' | 'comment';
}

export function foldingRanges(model: TaskSequenceModel): Fold[] {
  const out: Fold[] = [];
  const add = (e: ElementSpans | undefined): void => {
    if (e && e.endTagStart > e.startTagEnd) out.push({ start: e.span.start, end: e.endTagStart, kind: 'region' });
  };
  const seq = model.sequence;
  if (seq) {
    add(seq.referenceList);
    add(seq.globalVarList);
  }
  for (const g of model.groups) {
    add(g);
    add(g.condition);
  }
  for (const s of model.steps) {
    add(s);
    add(s.condition);
    add(s.varList);
  }
  for (const c of model.comments) out.push({ start: c.span.start, end: c.span.end, kind: 'comment' });
  return out.sort((a, b) => a.start - b.start);
}
