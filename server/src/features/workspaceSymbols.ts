// Workspace symbols: the steps and groups of every sequence of the workspace, found by name. A query
// matches when its characters appear in the name in order, case ignored (what editors expect from
// "go to symbol in workspace"); an empty query lists everything up to the limit. Pure.

import type { Catalog } from '../catalog/types';
import type { Span, TaskSequenceModel } from '../model/types';
import { labelSpan } from '../semantics/stepInfo';

export interface WorkspaceSymbol {
  key: string;
  name: string;
  kind: 'group' | 'step';
  /** The step class's display name, or "group". */
  detail: string;
  /** The sequence (its name, or the file's key). */
  container: string;
  span: Span;
  selection: Span;
}

export const MAX_WORKSPACE_SYMBOLS = 1000;

export function matchesQuery(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    if (c === ' ') continue;
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

export function workspaceSymbols(files: readonly { key: string; model: TaskSequenceModel; container: string }[], query: string, catalog: Catalog): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  for (const f of files) {
    const items = [...f.model.groups, ...f.model.steps].sort((a, b) => a.span.start - b.span.start);
    for (const it of items) {
      if (!matchesQuery(it.name, query)) continue;
      const detail = it.kind === 'group' ? 'group' : it.type === undefined ? 'Run Command Line (MDT)' : catalog.get(it.type)?.displayName ?? it.type;
      out.push({ key: f.key, name: it.kind === 'step' ? `${it.number}. ${it.name || '(unnamed step)'}` : it.name || '(unnamed group)', kind: it.kind, detail, container: f.container, span: it.span, selection: labelSpan(it) });
      if (out.length >= MAX_WORKSPACE_SYMBOLS) return out;
    }
  }
  return out;
}
