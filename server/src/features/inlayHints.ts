// Inlay hints: what a reader of the XML has to look up elsewhere. After a content ID, the name of its
// entry in the site description; before a step's name, its number in the order the engine runs the
// steps and smsts.log counts them. Pure.

import type { Catalog } from '../catalog/types';
import { contentReferences } from '../model/query';
import { instructionNumbers } from '../semantics/numbering';
import type { Span, TaskSequenceModel } from '../model/types';
import type { LoadedSite } from '../site/types';

export interface InlayHint {
  offset: number;
  label: string;
  kind: 'type' | 'parameter';
  tooltip: string;
  paddingLeft?: boolean;
  paddingRight?: boolean;
}

export function inlayHints(model: TaskSequenceModel, text: string, catalog: Catalog, site: LoadedSite | undefined, range: Span): InlayHint[] {
  const out: InlayHint[] = [];
  const inRange = (o: number): boolean => o >= range.start && o <= range.end;
  // The engine's instruction numbers (semantics/numbering.ts): groups count too, from 0. Past a
  // Run Task Sequence step whose child is not known here, no number is guessed.
  const numbers = instructionNumbers(model);
  for (const s of model.steps) {
    const name = s.attrs.name;
    const n = numbers.get(s);
    if (name && n !== undefined && inRange(name.span.start)) out.push({ offset: name.span.start, label: `#${n}`, kind: 'parameter', tooltip: `Instruction ${n} in smsts.log ("Instruction pointer"); the engine numbers groups too, from 0.`, paddingRight: true });
  }
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
