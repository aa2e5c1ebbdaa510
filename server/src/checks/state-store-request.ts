// state-store-request: Capture and Restore User State on a state migration point need an earlier
// Request State Store in the matching mode (execution order; a conditional step still counts; a
// Run Task Sequence may hold it). Local stores (hard links, an OSDStateStorePath set earlier)
// need none. MDT Lite Touch migrates with ZTIUserState.wsf (untyped steps), not looked at here.

import type { Check, RelatedPlace } from './types';
import type { InsertStepFix } from '../edits/fixData';
import { insertSteps } from '../edits/kinds';
import type { Step, TaskSequenceModel } from '../model/types';
import { conditionLeaves } from '../model/query';
import { CHILD, firstAfter, isChildSequence, isType, label, labelSpan, lastBefore, ofType, orderOf, relatedAt, requestMode, stepsBackFrom, type StepQuery, T, textAt, title, type Order } from '../semantics/stepInfo';
import { localStore, type StateMode } from '../semantics/userState';
import { REQUEST_STATE_LINK, USER_STATE_LINK } from './links';

const REQUEST = ofType(T.requestState);
const RELEASE = ofType(T.releaseState);
const ZTI_USER_STATE = /ztiuserstate\.wsf/i;
/** A step that leaves OSDStateStorePath set: a capture-mode request, or MDT's ZTIUserState.wsf. */
const STATE_PATH_SETTER: StepQuery = {
  key: 'state-path-setter',
  test: (r) => (isType(r, T.requestState) && requestMode(r) === 'capture') || ZTI_USER_STATE.test(r.action?.text ?? ''),
};
/** A Request State Store that serves a step of this mode (one whose mode a variable decides may). */
const REQUEST_FOR: Record<StateMode, StepQuery> = {
  capture: { key: 'request:capture', test: (r) => isType(r, T.requestState) && (requestMode(r) ?? 'capture') === 'capture' },
  restore: { key: 'request:restore', test: (r) => isType(r, T.requestState) && (requestMode(r) ?? 'restore') === 'restore' },
};

export const check: Check<InsertStepFix> = {
  id: 'state-store-request',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Capture User State or Restore User State uses a state migration point, but no Request State Store in the matching mode (capture or restore) comes before it.',
    why: 'When user state goes to a state migration point, Request State Store is what finds the point, connects to it and sets `OSDStateStorePath` for the user-state steps: Capture User State needs one in capture mode before it, Restore User State one in restore mode. Without it the user-state step has no store to write to or read from and fails. A sequence that keeps user state on the computer (Capture User State with hard links, `_OSDMigrateUseHardlinks`, or its own `OSDStateStorePath` set earlier by Set Task Sequence Variable, Set Dynamic Variables, a step variable or the sequence variables) uses no state migration point and needs no request. A conditional request still counts: it may run. When the state path can come from a local store (MDT\'s ZTIUserState.wsf, or a path set by a capture-mode request before a restore), only the restore from a state migration point fails: that is reported as a warning, naming the path.',
    example: '<step type="SMS_TaskSequence_CaptureUserStateAction" name="Capture User State" runIn="FullOS">\n  <action>osdmigrateuserstate.exe /collect /continueOnError:%OSDMigrateContinueOnLockedFiles%</action>\n  …\n</step>\n<!-- no Request State Store (capture) before it, no hard links, no OSDStateStorePath -->',
    fix: 'Insert Request State Store with the right mode before the user-state step (and Release State Store after it); the quick fix inserts both. It puts the request before the first step since the last Setup Windows and ConfigMgr that uses `OSDStateStorePath` (MDT\'s "Connect to State Store" reads it), since the request is what sets it. In a sequence that uses the MDT toolkit it writes both steps as Microsoft\'s MDT templates for ConfigMgr do: skipped when `USMTLOCAL` is `True` or `USMTOfflineMigration` is `TRUE`, and continuing on error, so a new-computer run or a local store still goes on (the MDT 8456 "Client Task Sequence" template in the corpus). To keep the state on the computer instead, enable hard links on Capture User State or set `OSDStateStorePath` to a local folder before it.',
    links: [USER_STATE_LINK, REQUEST_STATE_LINK],
    facts: ['OSD-USMT-001', 'OSD-USMT-002'],
  },
  fixes: { 'insert-step': insertSteps },
  sequence(ctx) {
    const order = orderOf(ctx.model);
    let mdt: boolean | undefined;
    for (const s of order.steps) {
      const mode: StateMode | undefined = isType(s, T.captureState) ? 'capture' : isType(s, T.restoreState) ? 'restore' : undefined;
      if (!mode) continue;
      if (localStore(ctx.model, order, s, mode) || lastBefore(order, s, CHILD)) continue;
      if (lastBefore(order, s, REQUEST_FOR[mode])) continue;
      const wrong = lastBefore(order, s, REQUEST);
      const later = firstAfter(order, s, REQUEST_FOR[mode]);
      const related: RelatedPlace[] = [];
      let extra = '';
      if (wrong) {
        extra += ` The Request State Store before it, ${label(wrong)}, asks for a store to ${requestMode(wrong) === 'capture' ? 'capture into' : 'restore from'}.`;
        related.push(relatedAt(wrong, `This Request State Store is in ${requestMode(wrong)} mode, not ${mode}.`));
      }
      if (later) {
        extra += ` ${label(later)} requests one only after it.`;
        related.push(relatedAt(later, `This Request State Store (${mode}) comes too late: it must run before ${label(s)}.`));
      }
      const needsRelease = !firstAfter(order, s, RELEASE);
      const span = labelSpan(s);
      const at = firstStorePathReader(order, s) ?? s;
      mdt ??= usesMdt(ctx.model); // once per sequence, not once per finding
      // A restore whose OSDStateStorePath was set earlier (a capture-mode request, MDT's ZTIUserState.wsf
      // keeping a local store): the local path works; only a restore from a state migration point fails.
      const setter = mode === 'restore' ? lastBefore(order, s, STATE_PATH_SETTER) : undefined;
      const local = setter !== undefined && ZTI_USER_STATE.test(setter.action?.text ?? '');
      ctx.report({
        ...(setter ? { severity: 'warning' as const } : {}),
        message: setter
          ? `${title(s, ctx.catalog)} reads user state from OSDStateStorePath, which ${label(setter)} set before it${local ? ' (MDT keeps the state in a local store there, and that path works)' : ''}; but no Request State Store in restore mode comes before it, so a restore from a state migration point (the path a capture-mode request returns) fails.${extra}`
          : `${title(s, ctx.catalog)} ${mode === 'capture' ? 'saves user state to' : 'reads user state from'} a state migration point (no hard links, no OSDStateStorePath set before it), but no Request State Store in ${mode} mode comes before it.${extra}`,
        span,
        related,
        data: {
          kind: 'insert-step', step: T.requestState, mode, position: 'before', anchor: { start: at.span.start, end: at.span.end }, expect: textAt(ctx, span),
          ...(mdt ? { shape: 'mdt' as const } : {}),
          ...(needsRelease ? { release: { position: 'after', anchor: { start: s.span.start, end: s.span.end } } } : {}),
        },
      });
    }
  },
};

/** Whether a step reads OSDStateStorePath: %OSDStateStorePath% in a value or command line, or a condition on it. */
function readsStorePath(s: Step): boolean {
  const re = /%OSDStateStorePath%/i;
  if (re.test(s.action?.text ?? '') || s.variables.some((v) => re.test(v.value))) return true;
  return conditionLeaves(s.condition?.children ?? []).some((node) => node.parameters.some((p) => re.test(p.value) || (p.name.toLowerCase() === 'variable' && p.value.trim().toLowerCase() === 'osdstatestorepath')));
}

/**
 * The first step before `s` that uses OSDStateStorePath, since the last Setup Windows and ConfigMgr,
 * restart, child sequence or Request State Store: the request sets that variable, so it must come
 * before the step that reads it (MDT's "Connect to State Store"), as in Microsoft's templates.
 */
function firstStorePathReader(order: Order, s: Step): Step | undefined {
  let first: Step | undefined;
  for (const x of stepsBackFrom(order, s)) {
    if (isType(x, T.setupWindows) || isType(x, T.requestState) || isType(x, T.reboot) || isChildSequence(x) || isType(x, T.captureState) || isType(x, T.restoreState)) break;
    if (readsStorePath(x)) first = x;
  }
  // Only a sibling of the user-state step (or of a group around it) keeps the new step in the same group.
  return first && first.parent === s.parent ? first : undefined;
}

/** The sequence uses the MDT toolkit (MDT steps, or its scripts run from %DeployRoot% / %ScriptRoot%). */
function usesMdt(model: TaskSequenceModel): boolean {
  return model.steps.some((x) => x.type?.startsWith('BDD_') || /%(deployroot|scriptroot)%|\\ZTI\w+\.wsf/i.test(x.action?.text ?? ''));
}
