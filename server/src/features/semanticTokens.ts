// Semantic tokens for what the TextMate grammar cannot see: variable names inside command lines,
// condition values and the properties that name a variable; content IDs wherever the sequence
// names one; each step's type, known, MDT's (BDD_*), removed from ConfigMgr, or unknown. Pure:
// spans and token names out; lsp/handlers/semanticTokens.ts encodes them against the legend.

import type { Catalog } from '../catalog/types';
import { contentReferences } from '../model/query';
import type { Span, TaskSequenceModel } from '../model/types';
import { variableNamePlaces } from './variableNames';

/** The legend: custom types are contributed in package.json with a standard super type. */
export const TOKEN_TYPES = ['variable', 'stepType', 'contentId'] as const;
export const TOKEN_MODIFIERS = ['modification', 'mdt', 'unknown', 'deprecated'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  span: Span;
  type: TokenType;
  modifiers: TokenModifier[];
}

/** Tokens in document order, none overlapping (a content ID inside a command line wins over nothing). */
export function semanticTokens(model: TaskSequenceModel, text: string, catalog: Catalog): SemanticToken[] {
  const out: SemanticToken[] = [];
  for (const p of variableNamePlaces(model, text, catalog)) out.push({ span: p.span, type: 'variable', modifiers: p.access === 'write' ? ['modification'] : [] });
  for (const r of contentReferences(model, catalog, text)) {
    // Only an ID written exactly there (no entity in between) is a token.
    if (text.slice(r.span.start, r.span.end).toLowerCase() === r.id.toLowerCase()) out.push({ span: r.span, type: 'contentId', modifiers: [] });
  }
  for (const s of model.steps) {
    const a = s.attrs.type;
    if (!a || a.span.end <= a.span.start) continue;
    const t = catalog.get(s.type ?? '');
    const modifiers: TokenModifier[] = !t ? ['unknown'] : t.mdt ? ['mdt'] : t.removed ? ['deprecated'] : [];
    out.push({ span: a.span, type: 'stepType', modifiers });
  }
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  // Tokens may not overlap: keep the first of any two that do.
  const kept: SemanticToken[] = [];
  for (const t of out) if (!kept.length || t.span.start >= kept[kept.length - 1].span.end) kept.push(t);
  return kept;
}
