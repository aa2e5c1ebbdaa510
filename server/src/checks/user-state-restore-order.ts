// user-state-restore-order: in a sequence that applies an OS, the restore half (Request State Store
// for restore, Restore User State, its Release) must come after Setup Windows and ConfigMgr.

import type { Check } from './types';
import type { Step } from '../model/types';
import { firstAfter, isType, label, labelSpan, lastBefore, ofType, orderOf, relatedAt, requestMode, T, title, type Order, type StepQuery } from '../semantics/stepInfo';
import { USER_STATE_LINK } from './links';

const SETUP = ofType(T.setupWindows);
const STATE_STEP: StepQuery = { key: 'userState:stateStep', test: (x) => isType(x, T.requestState) || isType(x, T.captureState) || isType(x, T.restoreState) };

/** How a step takes part in restoring user state, in words; undefined when it does not. */
function restoreRole(order: Order, s: Step): string | undefined {
  if (isType(s, T.restoreState)) return 'restores user state';
  if (isType(s, T.requestState) && requestMode(s) === 'restore') return 'requests the state store for restore';
  if (!isType(s, T.releaseState)) return undefined;
  const prev = lastBefore(order, s, STATE_STEP);
  const restoring = prev && (isType(prev, T.restoreState) || (isType(prev, T.requestState) && requestMode(prev) === 'restore'));
  return restoring ? 'releases the restored state store' : undefined;
}

export const check: Check = {
  id: 'user-state-restore-order',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'In a sequence that applies an OS, Request State Store (restore), Restore User State or the Release after a restore comes before Setup Windows and ConfigMgr.',
    why: 'User state is restored into the new operating system, so the restore half (request in restore mode, Restore User State, Release State Store) has to run after Setup Windows and ConfigMgr has started that OS; Restore and Release State Store run only in the full OS, and before Setup Windows the sequence is in Windows PE or still in the old OS. Microsoft\'s wizard-made sequences put the "Restore User Files and Settings" group after "Setup Operating System".',
    example: '<step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="Apply Operating System">…</step>\n<step type="SMS_TaskSequence_RestoreUserStateAction" name="Restore User State">…</step>\n<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr">…</step>',
    fix: 'Move the restore steps (or their group) below Setup Windows and ConfigMgr.',
    links: [USER_STATE_LINK, 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RestoreUserState'],
    facts: ['OSD-ORD-007'],
  },
  sequence(ctx) {
    const order = orderOf(ctx.model);
    if (!order.steps.some((s) => isType(s, T.applyOs))) return;
    for (const s of order.steps) {
      const what = restoreRole(order, s);
      if (!what) continue;
      if (lastBefore(order, s, SETUP)) continue;
      const setup = firstAfter(order, s, SETUP);
      if (!setup) continue;
      const span = labelSpan(s);
      ctx.report({
        message: `${title(s, ctx.catalog)} ${what} before ${label(setup)}: the new OS does not exist yet, so its user state cannot be restored into it. Restore steps belong after Setup Windows and ConfigMgr.`,
        span,
        related: [relatedAt(setup, 'Setup Windows and ConfigMgr starts the new OS here; restore user state after it.')],
      });
    }
  },
};
