// state-store-request: Capture and Restore User State on a state migration point need an earlier
// Request State Store in the matching mode (execution order; a conditional step still counts; a
// Run Task Sequence may hold it). Local stores (hard links, an OSDStateStorePath set earlier)
// need none. MDT Lite Touch migrates with ZTIUserState.wsf (untyped steps), not looked at here.

import type { Check, RelatedPlace } from './types';
import type { InsertStepFix } from '../edits/fixData';
import { insertSteps } from '../edits/kinds';
import { after, before, isChildSequence, isType, label, labelSpan, orderOf, relatedAt, requestMode, T, textAt, title } from '../semantics/stepInfo';
import { localStore, type StateMode } from '../semantics/userState';
import { REQUEST_STATE_LINK, USER_STATE_LINK } from './links';

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
    fix: 'Insert Request State Store with the right mode just before the user-state step (and Release State Store after it); the quick fix inserts both. To keep the state on the computer instead, enable hard links on Capture User State or set `OSDStateStorePath` to a local folder before it.',
    links: [USER_STATE_LINK, REQUEST_STATE_LINK],
    facts: ['OSD-USMT-001', 'OSD-USMT-002'],
  },
  fixes: { 'insert-step': insertSteps },
  sequence(ctx) {
    const order = orderOf(ctx.model);
    for (const s of order.steps) {
      const mode: StateMode | undefined = isType(s, T.captureState) ? 'capture' : isType(s, T.restoreState) ? 'restore' : undefined;
      if (!mode) continue;
      const earlier = before(order, s);
      if (localStore(ctx.model, order, s, mode) || earlier.some(isChildSequence)) continue;
      const requests = earlier.filter((r) => isType(r, T.requestState));
      if (requests.some((r) => (requestMode(r) ?? mode) === mode)) continue;
      const wrong = requests[requests.length - 1];
      const later = after(order, s).find((r) => isType(r, T.requestState) && (requestMode(r) ?? mode) === mode);
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
      const needsRelease = !after(order, s).some((r) => isType(r, T.releaseState));
      const span = labelSpan(s);
      // A restore whose OSDStateStorePath was set earlier (a capture-mode request, MDT's ZTIUserState.wsf
      // keeping a local store): the local path works; only a restore from a state migration point fails.
      const setter = mode === 'restore' ? [...earlier].reverse().find((r) => (isType(r, T.requestState) && requestMode(r) === 'capture') || /ztiuserstate\.wsf/i.test(r.action?.text ?? '')) : undefined;
      const local = setter !== undefined && /ztiuserstate\.wsf/i.test(setter.action?.text ?? '');
      ctx.report({
        ...(setter ? { severity: 'warning' as const } : {}),
        message: setter
          ? `${title(s, ctx.catalog)} reads user state from OSDStateStorePath, which ${label(setter)} set before it${local ? ' (MDT keeps the state in a local store there, and that path works)' : ''}; but no Request State Store in restore mode comes before it, so a restore from a state migration point (the path a capture-mode request returns) fails.${extra}`
          : `${title(s, ctx.catalog)} ${mode === 'capture' ? 'saves user state to' : 'reads user state from'} a state migration point (no hard links, no OSDStateStorePath set before it), but no Request State Store in ${mode} mode comes before it.${extra}`,
        span,
        related,
        data: {
          kind: 'insert-step', step: T.requestState, mode, position: 'before', anchor: { start: s.span.start, end: s.span.end }, expect: textAt(ctx, span),
          ...(needsRelease ? { release: { position: 'after', anchor: { start: s.span.start, end: s.span.end } } } : {}),
        },
      });
    }
  },
};
