// User state kept on the computer (hard links, or an OSDStateStorePath the sequence sets itself):
// such a store needs no state migration point, so no Request or Release State Store.

import { stepVariable } from '../model/query';
import type { Step, TaskSequenceModel } from '../model/types';
import { isTrue, isType, lastBefore, T, value, type Order, type StepQuery } from './stepInfo';

export type StateMode = 'capture' | 'restore';

/**
 * Whether the sequence keeps user state on the computer for this step (so no state migration point):
 * hard links on the capture (or on an earlier capture, for a restore), or an OSDStateStorePath it sets
 * itself: a sequence variable, a variable of this or an earlier step, Set Task Sequence Variable or
 * Set Dynamic Variables before it.
 */
export function localStore(model: TaskSequenceModel, order: Order, s: Step, mode: StateMode): boolean {
  if (mode === 'capture' ? hardLinks(s) : lastBefore(order, s, CAPTURE_WITH_HARD_LINKS) !== undefined) return true;
  if (model.sequence?.globalVariables.some((v) => named(v.name) && v.value.trim() !== '')) return true;
  return setsStorePath(s) || lastBefore(order, s, SETS_STORE_PATH) !== undefined;
}

const hardLinks = (c: Step): boolean => isTrue(stepVariable(c, '_OSDMigrateUseHardlinks', 'UseHardlinks'));
const named = (name: string): boolean => name.trim().toLowerCase() === 'osdstatestorepath';

/** The step sets OSDStateStorePath: a variable of its own, Set Task Sequence Variable or Set Dynamic Variables. */
function setsStorePath(x: Step): boolean {
  if (x.variables.some((v) => named(v.name) && v.value.trim() !== '')) return true;
  if (isType(x, T.setVariable) && named(value(stepVariable(x, 'VariableName'))) && value(stepVariable(x, 'VariableValue')) !== '') return true;
  return isType(x, T.setDynamicVariables) && /osdstatestorepath/i.test(value(stepVariable(x, 'OSDSetDynamicVariablesRules', 'Rules')));
}

// Asked once per user-state step: answered from tables over the order, not by a scan of the steps before.
const CAPTURE_WITH_HARD_LINKS: StepQuery = { key: 'userState:captureHardLinks', test: (c) => isType(c, T.captureState) && hardLinks(c) };
const SETS_STORE_PATH: StepQuery = { key: 'userState:setsStorePath', test: setsStorePath };
