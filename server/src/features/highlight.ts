// Document highlight: every place in the sequence that names the variable or the content ID under
// the cursor, the places that give a variable its value marked as writes. Pure.

import type { Catalog } from '../catalog/types';
import type { Span, TaskSequenceModel } from '../model/types';
import { contentIdAt, referencesIn } from './navigation';
import { placesOf, variableNameAt } from './variableNames';

export interface Highlight {
  span: Span;
  kind: 'read' | 'write' | 'text';
}

export function highlightsAt(model: TaskSequenceModel, text: string, offset: number, catalog: Catalog): Highlight[] {
  const id = contentIdAt(model, offset, catalog, text);
  if (id) return referencesIn(model, text, id, catalog).map((span) => ({ span, kind: 'text' }));
  const v = variableNameAt(model, text, catalog, offset);
  if (!v) return [];
  return placesOf(model, text, catalog, v.name).map((p) => ({ span: p.span, kind: p.access }));
}
