// user-state-restore-order: in a sequence that applies an OS, the restore half (Request State Store
// for restore, Restore User State, its Release) must come after Setup Windows and ConfigMgr.

import type { Check } from './types';
import type { Step } from '../model/types';
import { after, before, isType, label, labelSpan, orderOf, relatedAt, requestMode, T, title, type Order } from '../semantics/stepInfo';
import { USER_STATE_LINK } from './links';

/** How a step takes part in restoring user state, in words; undefined when it does not. */
function restoreRole(order: Order, s: Step): string | undefined {
  if (isType(s, T.restoreState)) return 'restores user state';
  if (isType(s, T.requestState) && requestMode(s) === 'restore') return 'requests the state store for restore';
  if (!isType(s, T.releaseState)) return undefined;
  const prev = [...before(order, s)].reverse().find((x) => isType(x, T.requestState) || isType(x, T.captureState) || isType(x, T.restoreState));
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
    fix: 'Move the restore steps (or their group) below Setup Windows and ConfigMgr. In a sequence that deploys no OS (a plain migration), put Restart Computer right after Restore User State, as the step reference advises (reported as a warning).',
    links: [USER_STATE_LINK, 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RestoreUserState'],
    facts: ['OSD-ORD-007', 'OSD-ORD-009'],
  },
  sequence(ctx) {
    const order = orderOf(ctx.model);
    if (!order.steps.some((s) => isType(s, T.applyOs))) {
      // Outside an OS deployment the step reference says to follow Restore User State with Restart Computer.
      order.steps.forEach((s, i) => {
        if (!isType(s, T.restoreState)) return;
        // Release State Store may come between: it hands the store back and does not change the user state.
        let j = i + 1;
        while (order.steps[j] && isType(order.steps[j], T.releaseState)) j++;
        const next = order.steps[j];
        if (next && isType(next, T.reboot)) return;
        ctx.report({ severity: 'warning', message: `${title(s, ctx.catalog)} restores user state in a sequence that deploys no OS, and ${next ? `${label(next)} follows it instead of Restart Computer` : 'nothing follows it'}: restart right after the restore so the restored settings take effect.`, span: labelSpan(s) });
      });
      return;
    }
    for (const s of order.steps) {
      const what = restoreRole(order, s);
      if (!what) continue;
      const earlier = before(order, s);
      if (earlier.some((x) => isType(x, T.setupWindows))) continue;
      const setup = after(order, s).find((x) => isType(x, T.setupWindows));
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
