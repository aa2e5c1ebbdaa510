// The outline: groups and steps nested as the editor shows them, each step numbered in document
// order as the messages name steps ("step 12"; smsts.log numbers differently: semantics/numbering.ts),
// disabled items marked. Pure: model in, a neutral tree out; lsp/convert.ts turns it into DocumentSymbols.

import type { Catalog } from '../catalog/types';
import type { Item, Span, TaskSequenceModel } from '../model/types';
import { isEnabled } from '../model/query';

export interface OutlineItem {
  kind: 'sequence' | 'group' | 'step';
  name: string;
  /** Display name of the step class, "disabled", step number … */
  detail: string;
  span: Span;
  /** The part the editor selects: the name attribute value, or the element name. */
  selection: Span;
  disabled: boolean;
  /** 1-based document-order number, steps only. */
  number?: number;
  children: OutlineItem[];
}

export function outline(model: TaskSequenceModel, catalog: Catalog): OutlineItem[] {
  const seq = model.sequence;
  if (!seq) return [];
  const convert = (it: Item): OutlineItem => {
    const selection = it.attrs.name && it.attrs.name.span.end > it.attrs.name.span.start ? it.attrs.name.span : it.nameSpan;
    const off = !isEnabled(it);
    if (it.kind === 'group') {
      return {
        kind: 'group',
        name: it.name || '(unnamed group)',
        detail: off ? 'group, disabled' : 'group',
        span: it.span,
        selection,
        disabled: off,
        children: it.children.map(convert),
      };
    }
    const type = it.type ? catalog.get(it.type) : undefined;
    const what = it.type === undefined ? 'Run Command Line (MDT)' : type?.displayName ?? it.type;
    return {
      kind: 'step',
      name: `${it.number}. ${it.name || '(unnamed step)'}`,
      detail: off ? `${what}, disabled` : what,
      span: it.span,
      selection,
      disabled: off,
      number: it.number,
      children: [],
    };
  };
  const items = seq.children.map(convert);
  // A wrapped sequence (package export, object.xml) shows one root so the outline says what it is.
  if (model.wrapper) {
    const name = model.wrapper.properties.Name?.value.trim() || 'Task sequence';
    return [{ kind: 'sequence', name, detail: model.flavour === 'object-xml' ? 'object.xml' : 'package export', span: seq.span, selection: seq.nameSpan, disabled: false, children: items }];
  }
  return items;
}
