// Where a task sequence variable is written and read in one sequence, for hover and completion:
// Set Task Sequence Variable, properties that name a variable to fill (output variables, volume
// letters, download paths), the global variable list, a step's own property variables, conditions
// that test it, %Name% references in values and command lines, and the steps the built-in variable
// table says set or read it by design. Names compare without regard to case, as the engine does.

import type { Catalog } from '../catalog/types';
import { percentRefs, variableRole } from '../semantics/variables';
import { builtinVariable, propertyOf } from '../catalog';
import type { ConditionNode, Item, Span, Step, TaskSequenceModel } from '../model/types';
import { conditionLeaves } from '../model/query';

export type UseKind = 'sets' | 'reads' | 'tests' | 'carries' | 'global';

export interface VariableUse {
  kind: UseKind;
  /** The step or group concerned; undefined for the global variable list. */
  item?: Item;
  /** Where it is written. */
  span: Span;
  /** How, in a few words ("VariableName", "%OSDisk% in the command line", "by design"). */
  how: string;
}

// Which properties name a variable, and %Name% references: one definition, in the semantic layer.
export { percentRefs, variableRole } from '../semantics/variables';

/**
 * Variable names match without regard to case or surrounding blanks. Lengths first: lower-casing
 * both sides of every comparison made a hover on a 300 KB "name" take seconds (fuzzer, issue 9).
 */
function sameName(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  return x.length === y.length && (x === y || x.toLowerCase() === y.toLowerCase());
}

function mentions(value: string, name: string): boolean {
  return percentRefs(value).some((r) => sameName(r.name, name));
}

/** Every place the sequence sets, reads or tests the variable `name`, in document order. */
export function variableUses(model: TaskSequenceModel, catalog: Catalog, name: string): VariableUse[] {
  const out: VariableUse[] = [];
  const builtin = builtinVariable(name);
  for (const v of model.sequence?.globalVariables ?? []) {
    if (sameName(v.name, name)) out.push({ kind: 'global', span: v.span, how: `the global variable list (${v.hidden ? 'hidden value' : v.value.trim() === '' ? 'empty' : 'value given'})` });
  }
  const items: Item[] = [...model.groups, ...model.steps].sort((a, b) => a.span.start - b.span.start);
  for (const item of items) {
    if (item.condition) conditionUses(item, item.condition.children, name, out);
    if (item.kind === 'step') stepUses(item, catalog, name, builtin?.setBy, builtin?.readBy, out);
  }
  return out;
}

function stepUses(step: Step, catalog: Catalog, name: string, setBy: string[] | undefined, readBy: string[] | undefined, out: VariableUse[]): void {
  const type = step.type ? catalog.get(step.type) : undefined;
  const anchor = step.attrs.name?.span ?? step.nameSpan;
  let set = false;
  let read = false;
  for (const v of step.variables) {
    const prop = type ? propertyOf(type, v.name) : undefined;
    const role = type && prop ? variableRole(type.type, prop) : undefined;
    const value = v.value.trim();
    if ((role === 'writes' && sameName(value, name)) || (role === 'writesBase' && value !== '' && new RegExp(`^${escapeRe(value)}\\d+$`, 'i').test(name.trim()))) {
      out.push({ kind: 'sets', item: step, span: v.valueSpan, how: prop!.name });
      set = true;
    } else if (role === 'reads' && sameName(value, name)) {
      out.push({ kind: 'reads', item: step, span: v.valueSpan, how: prop!.name });
      read = true;
    }
    if (sameName(v.name, name)) out.push({ kind: 'carries', item: step, span: v.span, how: prop ? `its ${prop.name} property` : 'its variable list' });
    if (mentions(v.value, name)) {
      out.push({ kind: 'reads', item: step, span: v.valueSpan, how: `%${name}% in ${v.name}` });
      read = true;
    }
  }
  if (step.action && mentions(step.action.text, name)) {
    out.push({ kind: 'reads', item: step, span: step.action.span, how: `%${name}% in the command line` });
    read = true;
  }
  if (step.type && !set && setBy?.includes(step.type)) out.push({ kind: 'sets', item: step, span: anchor, how: 'by design' });
  if (step.type && !read && readBy?.includes(step.type)) out.push({ kind: 'reads', item: step, span: anchor, how: 'by design' });
}

function conditionUses(item: Item, nodes: ConditionNode[], name: string, out: VariableUse[]): void {
  for (const node of conditionLeaves(nodes)) {
    if (node.kind !== 'expression') continue;
    for (const p of node.parameters) {
      const tested = node.type === 'SMS_TaskSequence_VariableConditionExpression' && p.name.toLowerCase() === 'variable' && sameName(p.value, name);
      if (tested) out.push({ kind: 'tests', item, span: p.valueSpan, how: 'its condition' });
      else if (mentions(p.value, name)) out.push({ kind: 'reads', item, span: p.valueSpan, how: `%${name}% in its condition` });
    }
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Names of the variables this sequence gives a value to (global list, Set Task Sequence Variable,
 * output and volume-letter variables) and of every step property variable it writes, for completion.
 */
export function variablesInSequence(model: TaskSequenceModel, catalog: Catalog): { name: string; how: string }[] {
  const seen = new Map<string, { name: string; how: string }>();
  const add = (n: string, how: string): void => {
    const k = n.trim().toLowerCase();
    if (k !== '' && !seen.has(k) && !/[%\s<>"]/.test(n.trim())) seen.set(k, { name: n.trim(), how });
  };
  for (const v of model.sequence?.globalVariables ?? []) add(v.name, 'global variable list');
  for (const step of model.steps) {
    const type = step.type ? catalog.get(step.type) : undefined;
    for (const v of step.variables) {
      const prop = type ? propertyOf(type, v.name) : undefined;
      const role = type && prop ? variableRole(type.type, prop) : undefined;
      if (role === 'writes') add(v.value, `set by step ${step.number}`);
    }
  }
  for (const step of model.steps) for (const v of step.variables) add(v.name, `property of step ${step.number}`);
  return [...seen.values()];
}

