// User state kept on the computer (hard links, or an OSDStateStorePath the sequence sets itself):
// such a store needs no state migration point, so no Request or Release State Store.

import { stepVariable } from '../model/query';
import type { Step, TaskSequenceModel } from '../model/types';
import { before, isTrue, isType, T, value, type Order } from './stepInfo';

export type StateMode = 'capture' | 'restore';

/**
 * Whether the sequence keeps user state on the computer for this step (so no state migration point):
 * hard links on the capture (or on an earlier capture, for a restore), or an OSDStateStorePath it sets
 * itself: a sequence variable, a variable of this or an earlier step, Set Task Sequence Variable or
 * Set Dynamic Variables before it.
 */
export function localStore(model: TaskSequenceModel, order: Order, s: Step, mode: StateMode): boolean {
  const earlier = before(order, s);
  const hardLinks = (c: Step): boolean => isTrue(stepVariable(c, '_OSDMigrateUseHardlinks', 'UseHardlinks'));
  if (mode === 'capture' ? hardLinks(s) : earlier.some((c) => isType(c, T.captureState) && hardLinks(c))) return true;
  const named = (name: string): boolean => name.trim().toLowerCase() === 'osdstatestorepath';
  if (model.sequence?.globalVariables.some((v) => named(v.name) && v.value.trim() !== '')) return true;
  for (const x of [...earlier, s]) {
    if (x.variables.some((v) => named(v.name) && v.value.trim() !== '')) return true;
    if (isType(x, T.setVariable) && named(value(stepVariable(x, 'VariableName'))) && value(stepVariable(x, 'VariableValue')) !== '') return true;
    if (isType(x, T.setDynamicVariables) && /osdstatestorepath/i.test(value(stepVariable(x, 'OSDSetDynamicVariablesRules', 'Rules')))) return true;
  }
  return false;
}
