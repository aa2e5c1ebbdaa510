// Where a sequence writes a task sequence variable's NAME, character for character: the global
// variable list, the properties that name a variable to fill or read (Set Task Sequence Variable's
// VariableName, output variables …), the Variable of a condition, and %Name% inside values,
// command lines and condition values. Rename, highlight and semantic tokens all work from this list.

import type { Catalog } from '../catalog/types';
import { builtinVariable, propertyOf } from '../catalog';
import { conditionLeaves } from '../model/query';
import type { ConditionNode, Span, TaskSequenceModel } from '../model/types';
import { percentRefs, variableRole } from './variableUsage';

export interface NamePlace {
  name: string;
  /** Exactly the name's characters in the text (no quotes, no percent signs). */
  span: Span;
  /** The place gives the variable a value ('write') or uses it ('read'). */
  access: 'write' | 'read';
  /** Where: a reference inside a longer text (%Name%), or a value that is the name itself. */
  form: 'percent' | 'value';
}

/** Every variable name written in the sequence, in document order. */
export function variableNamePlaces(model: TaskSequenceModel, text: string, catalog: Catalog): NamePlace[] {
  const out: NamePlace[] = [];
  const whole = (span: Span, access: NamePlace['access']): void => {
    const raw = text.slice(span.start, span.end);
    const name = raw.trim();
    // Only a value written without entities or odd characters is a name we can point at exactly.
    if (name === '' || /[%\s<>"'&]/.test(name)) return;
    const start = span.start + raw.indexOf(name);
    out.push({ name, span: { start, end: start + name.length }, access, form: 'value' });
  };
  const inside = (span: Span): void => {
    const raw = text.slice(span.start, span.end);
    for (const r of percentRefs(raw)) {
      if (/[&]/.test(r.name)) continue;
      out.push({ name: r.name, span: { start: span.start + r.start + 1, end: span.start + r.end - 1 }, access: 'read', form: 'percent' });
    }
  };
  for (const v of model.sequence?.globalVariables ?? []) {
    const a = v.attrs.name;
    if (a) whole(a.span, 'write');
    // The console writes the name again as the global variable's `property`: it goes with the name.
    const prop = v.attrs.property;
    if (a && prop && sameVariable(prop.value.trim(), a.value.trim())) whole(prop.span, 'write');
    inside(v.valueSpan);
  }
  const items = [...model.groups, ...model.steps].sort((a, b) => a.span.start - b.span.start);
  for (const item of items) {
    if (item.condition) conditionPlaces(item.condition.children, whole, inside);
    if (item.kind !== 'step') continue;
    const type = item.type ? catalog.get(item.type) : undefined;
    for (const v of item.variables) {
      const prop = type ? propertyOf(type, v.name) : undefined;
      const role = type && prop ? variableRole(type.type, prop) : undefined;
      if (role === 'writes') whole(v.valueSpan, 'write');
      else if (role === 'reads') whole(v.valueSpan, 'read');
      else inside(v.valueSpan);
    }
    // The command line is written twice (action and CommandLine): each copy is a place.
    if (item.action) inside(item.action.span);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

function conditionPlaces(nodes: ConditionNode[], whole: (s: Span, a: NamePlace['access']) => void, inside: (s: Span) => void): void {
  for (const node of conditionLeaves(nodes)) {
    if (node.kind !== 'expression') continue;
    for (const p of node.parameters) {
      if (node.type === 'SMS_TaskSequence_VariableConditionExpression' && p.name.toLowerCase() === 'variable') whole(p.valueSpan, 'read');
      else inside(p.valueSpan);
    }
  }
}

/** Names compare without regard to case, as the engine does. */
export function sameVariable(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** The variable name under `offset` (a place's span, its ends included). */
export function variableNameAt(model: TaskSequenceModel, text: string, catalog: Catalog, offset: number): NamePlace | undefined {
  return variableNamePlaces(model, text, catalog).find((p) => p.span.start <= offset && offset <= p.span.end);
}

/** The places of `name` in the sequence. */
export function placesOf(model: TaskSequenceModel, text: string, catalog: Catalog, name: string): NamePlace[] {
  return variableNamePlaces(model, text, catalog).filter((p) => sameVariable(p.name, name));
}

/** Why a variable cannot be renamed (a built-in one: the engine and its steps know it by that name). */
export function renameRefusal(name: string): string | undefined {
  const b = builtinVariable(name);
  return b ? `${b.name} is a built-in task sequence variable: the engine and its steps know it by this name, so it cannot be renamed.` : undefined;
}

/**
 * Whether `name` can be a variable's new name. The docs give no grammar for names; we refuse what
 * would break the XML or a %Name% reference: blanks, %, <, >, quotes and &.
 */
export function badVariableName(name: string): string | undefined {
  if (name.trim() === '') return 'A variable needs a name.';
  if (/[%\s<>"'&]/.test(name)) return `"${name}" cannot be a variable name here: blanks, %, <, >, quotes and & would break the references or the XML.`;
  return undefined;
}
