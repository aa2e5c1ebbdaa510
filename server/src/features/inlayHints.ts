// Inlay hints: what a reader of the XML has to look up elsewhere. Before each step and group, the
// number smsts.log gives it, where it runs and, with a log attached, how the run went there
// (features/stepHints.ts); after a content ID, the name of its entry in the site description. Pure.

import type { Catalog } from '../catalog/types';
import { contentReferences } from '../model/query';
import type { Span, TaskSequenceModel } from '../model/types';
import type { LoadedSite } from '../site/types';
import { stepHints, type StepHintOptions } from './stepHints';

export interface InlayHint {
  offset: number;
  label: string;
  kind: 'type' | 'parameter';
  tooltip: string;
  paddingLeft?: boolean;
  paddingRight?: boolean;
}

export function inlayHints(model: TaskSequenceModel, text: string, catalog: Catalog, site: LoadedSite | undefined, range: Span, steps: StepHintOptions = {}): InlayHint[] {
  const inRange = (o: number): boolean => o >= range.start && o <= range.end;
  // The engine's instruction numbers (semantics/numbering.ts): groups count too, from 0, and a
  // child sequence the site description names is counted in. Past a Run Task Sequence step whose
  // child is not known here, no number is guessed; the run context is still given.
  const out: InlayHint[] = stepHints(model, { ...steps, range }).map((h) => ({ offset: h.offset, label: h.label, kind: 'parameter', tooltip: h.tooltip, paddingRight: true }));
  if (site) {
    const seen = new Set<number>();
    for (const r of contentReferences(model, catalog, text)) {
      if (!inRange(r.span.end) || seen.has(r.span.end)) continue;
      const e = site.lookup(r.id);
      if (!e?.name) continue;
      seen.add(r.span.end);
      out.push({ offset: r.span.end, label: e.name, kind: 'type', tooltip: `${e.id} in the site description (${e.collection})`, paddingLeft: true });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
