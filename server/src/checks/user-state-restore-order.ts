// user-state-restore-order: in a sequence that applies an OS, the restore half (Request State Store
// for restore, Restore User State, its Release) must come after Setup Windows and ConfigMgr.

import type { Check } from './types';
import type { MoveStepFix } from '../edits/fixData';
import { moveStep } from '../edits/kinds';
import type { Item, Step, TaskSequenceModel } from '../model/types';
import { firstAfter, isType, label, labelSpan, lastBefore, ofType, orderOf, relatedAt, requestMode, stepsAfter, T, textAt, title, type Order, type StepQuery } from '../semantics/stepInfo';
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

/** Request (restore), Restore User State, Release: the order the restore half runs in. */
function rank(s: Step): number {
  return isType(s, T.requestState) ? 0 : isType(s, T.restoreState) ? 1 : 2;
}

/**
 * Where the restore step goes: after Setup Windows and ConfigMgr, behind the restore steps already
 * moved there that come before it in the restore half (so moving them one by one keeps their order).
 */
function destination(order: Order, s: Step, setup: Step): Step {
  let anchor = setup;
  for (const x of stepsAfter(order, setup)) {
    if (!restoreRole(order, x) || rank(x) > rank(s)) break;
    anchor = x;
  }
  return anchor;
}

export const check: Check<MoveStepFix> = {
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
    fix: 'Move the restore steps (or their group) below Setup Windows and ConfigMgr. The quick fix moves the step just after Setup Windows and ConfigMgr (behind the restore steps already there that run before it), with the comments written above it. In a sequence that deploys no OS (a plain migration), put Restart Computer right after Restore User State, as the step reference advises (reported as a warning).',
    links: [USER_STATE_LINK, 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RestoreUserState'],
    facts: ['OSD-ORD-007', 'OSD-ORD-009'],
  },
  fixes: { 'move-step': moveStep },
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
      if (lastBefore(order, s, SETUP)) continue;
      const setup = firstAfter(order, s, SETUP);
      if (!setup) continue;
      const span = labelSpan(s);
      ctx.report({
        message: `${title(s, ctx.catalog)} ${what} before ${label(setup)}: the new OS does not exist yet, so its user state cannot be restored into it. Restore steps belong after Setup Windows and ConfigMgr.`,
        span,
        related: [relatedAt(setup, 'Setup Windows and ConfigMgr starts the new OS here; restore user state after it.')],
        data: { kind: 'move-step', expect: textAt(ctx, span), item: spanOf(s), ...throughOf(ctx.model, order, s, setup), position: 'after', anchor: spanOf(destination(order, s, setup)) },
      });
    }
  },
};

/**
 * The restore steps written right after `s` in its group, before Setup Windows and ConfigMgr: they
 * move with it, so the restore half keeps its order (and a Release is not left behind).
 */
function throughOf(model: TaskSequenceModel, order: Order, s: Step, setup: Step): { through?: { start: number; end: number } } {
  const siblings: readonly Item[] = s.parent ? s.parent.children : (model.sequence?.children ?? []);
  let last: Step | undefined;
  for (const x of siblings.slice(siblings.indexOf(s) + 1)) {
    if (x.kind !== 'step' || x === setup || !restoreRole(order, x) || rank(x) < rank(s)) break;
    last = x;
  }
  return last ? { through: spanOf(last) } : {};
}

function spanOf(s: Step): { start: number; end: number } {
  return { start: s.span.start, end: s.span.end };
}
