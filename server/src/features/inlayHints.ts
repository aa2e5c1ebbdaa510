// Inlay hints: what a reader of the XML has to look up elsewhere. After a content ID, the name of its
// entry in the site description; before a step's name, its number in the order the engine runs the
// steps and smsts.log counts them. Pure.

import type { Catalog } from '../catalog/types';
import { contentReferences } from '../model/query';
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
  for (const s of model.steps) {
    const name = s.attrs.name;
    if (name && inRange(name.span.start)) out.push({ offset: name.span.start, label: `${s.number}.`, kind: 'parameter', tooltip: `Step ${s.number} in the order the engine runs the steps (and smsts.log counts them).`, paddingRight: true });
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
