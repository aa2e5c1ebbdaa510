// Variables each step sets and reads, for `cmts doc`, from the tables hover already uses
// (variableUsage.ts: which properties name a variable the step fills or reads, %Name% references;
// the built-in variable table: steps that set or read a variable by design) and the variables a
// condition tests. A plain per-item list, so a richer variable flow can replace it later.

import { BUILTIN_VARIABLES, propertyOf } from '../../catalog';
import type { Catalog } from '../../catalog/types';
import { conditionLeaves } from '../../model/query';
import type { Item, TaskSequenceModel } from '../../model/types';
import { percentRefs, variableRole } from '../variableUsage';

export interface ItemVariables {
  /** Names the item gives a value to, in the order found, each once. */
  sets: string[];
  /** Names it reads: %Name% in values and command lines, names its condition tests, by design. */
  reads: string[];
}

/** Per step and group; items that touch no variable are left out. */
export function stepVariables(model: TaskSequenceModel, catalog: Catalog): Map<Item, ItemVariables> {
  const setBy = new Map<string, string[]>();
  const readBy = new Map<string, string[]>();
  for (const b of BUILTIN_VARIABLES) {
    for (const t of b.setBy ?? []) setBy.set(t, [...(setBy.get(t) ?? []), b.name]);
    for (const t of b.readBy ?? []) readBy.set(t, [...(readBy.get(t) ?? []), b.name]);
  }
  const out = new Map<Item, ItemVariables>();
  for (const item of [...model.groups, ...model.steps]) {
    const sets = new Names();
    const reads = new Names();
    for (const node of conditionLeaves(item.condition?.children ?? [])) {
      if (node.kind !== 'expression') continue;
      for (const p of node.parameters) {
        if (node.type === 'SMS_TaskSequence_VariableConditionExpression' && p.name.toLowerCase() === 'variable') reads.add(p.value);
        else for (const r of percentRefs(p.value)) reads.add(r.name);
      }
    }
    if (item.kind === 'step') {
      const type = item.type ? catalog.get(item.type) : undefined;
      for (const v of item.variables) {
        const prop = type ? propertyOf(type, v.name) : undefined;
        const role = type && prop ? variableRole(type.type, prop) : undefined;
        if (role === 'writes') sets.add(v.value);
        else if (role === 'writesBase' && v.value.trim() !== '') sets.add(`${v.value.trim()}01`); // then 02, 03 … one per package
        else if (role === 'reads') reads.add(v.value);
        for (const r of percentRefs(v.value)) reads.add(r.name);
      }
      if (item.action) for (const r of percentRefs(item.action.text)) reads.add(r.name);
      if (item.type) {
        for (const n of setBy.get(item.type) ?? []) sets.add(n);
        for (const n of readBy.get(item.type) ?? []) reads.add(n);
      }
    }
    if (sets.list.length || reads.list.length) out.set(item, { sets: sets.list, reads: reads.list });
  }
  return out;
}

/** Names kept once each without regard to case (as the engine compares them), as first written. */
class Names {
  readonly list: string[] = [];
  private readonly seen = new Set<string>();
  add(name: string): void {
    const n = name.trim();
    // A value with blanks or markup is no variable name (an empty or malformed property).
    if (n === '' || n.length > 256 || /[\s%<>"]/.test(n)) return;
    const k = n.toLowerCase();
    if (this.seen.has(k)) return;
    this.list.push(n);
    this.seen.add(k);
  }
}
