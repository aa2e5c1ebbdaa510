// User state on a state migration point: Capture/Restore User State need an earlier Request State
// Store in the matching mode, every Request a later Release, and the restore half comes after Setup
// Windows and ConfigMgr. Local stores (hard links, an OSDStateStorePath set earlier) need neither.
// Execution order; a conditional step still counts; a Run Task Sequence may hold the missing step.
// MDT Lite Touch migrates with ZTIUserState.wsf (untyped steps), which these checks do not look at.
//
// Quick-fix data (issue 6 builds the edit):
//   state-store-request:
//     { kind: 'insert-step', step: 'SMS_TaskSequence_RequestStateStoreAction', mode: 'capture' | 'restore',
//       position: 'before', anchor: Span /* the Capture/Restore User State <step> */, expect: string /* its name */,
//       release?: { position: 'after', anchor: Span } /* also insert Release State Store: none follows */ }
//   state-store-release:
//     { kind: 'insert-step', step: 'SMS_TaskSequence_ReleaseStateStoreAction', position: 'after',
//       anchor: Span /* the capture/restore the request serves, else the request */, expect: string /* the request's name */ }
//   user-state-restore-order (no quick fix; data says where the step belongs):
//     { kind: 'move-step', position: 'after', anchor: Span /* Setup Windows and ConfigMgr */, expect }

import type { Rule, RelatedPlace } from './types';
import type { Step, TaskSequenceModel } from '../model/types';
import { stepVariable } from '../model/query';
import { after, before, extraGuards, isChildSequence, isTrue, isType, label, labelSpan, orderOf, relatedAt, requestMode, T, textAt, title, value, type Order } from './stepInfo';

type Mode = 'capture' | 'restore';
const FACT_LINK = 'https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-user-state';
const STEPS_LINK = 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RequestStateStore';

export const stateStoreRequest: Rule = {
  id: 'state-store-request',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: 'Capture User State or Restore User State uses a state migration point, but no Request State Store in the matching mode (capture or restore) comes before it.',
    why: 'When user state goes to a state migration point, Request State Store is what finds the point, connects to it and sets `OSDStateStorePath` for the user-state steps: Capture User State needs one in capture mode before it, Restore User State one in restore mode. Without it the user-state step has no store to write to or read from and fails. A sequence that keeps user state on the computer (Capture User State with hard links, `_OSDMigrateUseHardlinks`, or its own `OSDStateStorePath` set earlier by Set Task Sequence Variable, Set Dynamic Variables, a step variable or the sequence variables) uses no state migration point and needs no request. A conditional request still counts: it may run.',
    example: '<step type="SMS_TaskSequence_CaptureUserStateAction" name="Capture User State" runIn="FullOS">\n  <action>osdmigrateuserstate.exe /collect /continueOnError:%OSDMigrateContinueOnLockedFiles%</action>\n  …\n</step>\n<!-- no Request State Store (capture) before it, no hard links, no OSDStateStorePath -->',
    fix: 'Insert Request State Store with the right mode just before the user-state step (and Release State Store after it); the quick fix inserts both. To keep the state on the computer instead, enable hard links on Capture User State or set `OSDStateStorePath` to a local folder before it.',
    links: [FACT_LINK, STEPS_LINK],
    facts: ['OSD-USMT-001', 'OSD-USMT-002'],
  },
  check(ctx) {
    const order = orderOf(ctx.model);
    for (const s of order.steps) {
      const mode: Mode | undefined = isType(s, T.captureState) ? 'capture' : isType(s, T.restoreState) ? 'restore' : undefined;
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
      ctx.report({
        message: `${title(s, ctx.catalog)} ${mode === 'capture' ? 'saves user state to' : 'reads user state from'} a state migration point (no hard links, no OSDStateStorePath set before it), but no Request State Store in ${mode} mode comes before it.${extra}`,
        span,
        related,
        data: {
          kind: 'insert-step', step: T.requestState, mode, position: 'before', anchor: { start: s.span.start, end: s.span.end }, expect: textAt(ctx, span),
          ...(needsRelease ? { release: { position: 'after', anchor: { start: s.span.start, end: s.span.end } } } : {}),
        },
        fixes: [needsRelease ? `Insert Request State Store (${mode}) before this step and Release State Store after it` : `Insert Request State Store (${mode}) before this step`],
      });
    }
  },
};

export const stateStoreRelease: Rule = {
  id: 'state-store-release',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: 'A Request State Store has no Release State Store after it, or none before a request in the other mode (and, as information, a Release that may be skipped when its Request ran).',
    why: 'Release State Store tells the state migration point that the capture or restore is finished: captured data becomes available for restore, restored data starts its retention period, and the store is no longer held. Microsoft\'s step reference asks for a Release after every Request; in a refresh, the capture\'s store has to be released before the restore requests one. A Release under a condition still counts, since it may run; when it is guarded by a condition the Request does not have, cmts adds an information note, because whenever that condition is false the store stays reserved.',
    example: '<step type="SMS_TaskSequence_RequestStateStoreAction" name="Request State Store" runIn="FullOS">…</step>\n<step type="SMS_TaskSequence_CaptureUserStateAction" name="Capture User State" runIn="FullOS">…</step>\n<!-- no Release State Store after the capture -->',
    fix: 'Insert Release State Store right after the Capture or Restore User State step the request serves; the quick fix does it. Steps between the request and the release should continue on error so that the release still runs.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_ReleaseStateStore', FACT_LINK],
    facts: ['OSD-USMT-003'],
  },
  check(ctx) {
    const order = orderOf(ctx.model);
    for (const r of order.steps) {
      if (!isType(r, T.requestState)) continue;
      const later = after(order, r);
      const mode = requestMode(r);
      // Walk on to the first Release. A request in the other mode before it means this store was never
      // released (capture, then restore, in one refresh); one in the same mode may be an alternative
      // branch (a condition picks one), so the walk goes past it.
      let found: Step | undefined;
      let blocker: Step | undefined;
      for (const s of later) {
        if (isType(s, T.releaseState)) {
          found = s;
          break;
        }
        const other = isType(s, T.requestState) ? requestMode(s) : undefined;
        if (mode && other && other !== mode) {
          blocker = s;
          break;
        }
        if (isChildSequence(s)) break;
      }
      if (!found) {
        const upTo = blocker ? later.slice(0, later.indexOf(blocker)) : later;
        if (upTo.some(isChildSequence)) continue;
        const served = upTo.find((s) => (mode !== 'restore' && isType(s, T.captureState)) || (mode !== 'capture' && isType(s, T.restoreState)));
        const anchor = served ?? r;
        const span = labelSpan(r);
        const where = blocker ? ` before ${label(blocker)} requests a store for ${requestMode(blocker)}` : ' after it';
        ctx.report({
          message: `${title(r, ctx.catalog)} reserves a store on the state migration point, but no Release State Store comes${where}: ${mode === 'restore' ? 'the restored data never starts its retention period' : 'the captured data is never released for restore'} and the store stays reserved.`,
          span,
          related: [
            ...(served ? [relatedAt(served, `Release State Store belongs after this step, the ${mode === 'restore' ? 'restore' : 'capture'} the request serves.`)] : []),
            ...(blocker ? [relatedAt(blocker, 'The next request, in the other mode, comes before any release.')] : []),
          ],
          data: { kind: 'insert-step', step: T.releaseState, position: 'after', anchor: { start: anchor.span.start, end: anchor.span.end }, expect: textAt(ctx, span) },
          fixes: [`Insert Release State Store after ${label(anchor)}`],
        });
        continue;
      }
      const releases = later.filter((s) => isType(s, T.releaseState));
      // The release that serves this request: those before the next request (conditions aside).
      const next = later.find((s) => isType(s, T.requestState));
      const serving = releases.filter((l) => next === undefined || order.index.get(l)! < order.index.get(next)!);
      if (serving.length !== 1) continue;
      const release = serving[0];
      const guards = extraGuards(r, release);
      if (guards.length === 0) continue;
      ctx.report({
        message: `${label(release)} releases the store requested by ${label(r)}, but it runs only under a condition the request does not have (on ${guards.map(label).join(' and ')}): whenever that condition is false, the state migration point keeps the store reserved.`,
        span: labelSpan(release),
        severity: 'info',
        related: [relatedAt(r, 'The Request State Store this release serves.'), ...guards.map((g) => ({ message: 'This condition can skip the release.', span: g.condition ? g.condition.span : labelSpan(g) }))],
        fixes: [],
      });
    }
  },
};

export const userStateRestoreOrder: Rule = {
  id: 'user-state-restore-order',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: 'In a sequence that applies an OS, Request State Store (restore), Restore User State or the Release after a restore comes before Setup Windows and ConfigMgr.',
    why: 'User state is restored into the new operating system, so the restore half (request in restore mode, Restore User State, Release State Store) has to run after Setup Windows and ConfigMgr has started that OS; Restore and Release State Store run only in the full OS, and before Setup Windows the sequence is in Windows PE or still in the old OS. Microsoft\'s wizard-made sequences put the "Restore User Files and Settings" group after "Setup Operating System".',
    example: '<step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="Apply Operating System">…</step>\n<step type="SMS_TaskSequence_RestoreUserStateAction" name="Restore User State">…</step>\n<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr">…</step>',
    fix: 'Move the restore steps (or their group) below Setup Windows and ConfigMgr.',
    links: [FACT_LINK, 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RestoreUserState'],
    facts: ['OSD-ORD-007'],
  },
  check(ctx) {
    const order = orderOf(ctx.model);
    if (!order.steps.some((s) => isType(s, T.applyOs))) return;
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
        data: { kind: 'move-step', position: 'after', anchor: { start: setup.span.start, end: setup.span.end }, expect: textAt(ctx, span) },
        fixes: [],
      });
    }
  },
};

/** How a step takes part in restoring user state, in words; undefined when it does not. */
function restoreRole(order: Order, s: Step): string | undefined {
  if (isType(s, T.restoreState)) return 'restores user state';
  if (isType(s, T.requestState) && requestMode(s) === 'restore') return 'requests the state store for restore';
  if (!isType(s, T.releaseState)) return undefined;
  const prev = [...before(order, s)].reverse().find((x) => isType(x, T.requestState) || isType(x, T.captureState) || isType(x, T.restoreState));
  const restoring = prev && (isType(prev, T.restoreState) || (isType(prev, T.requestState) && requestMode(prev) === 'restore'));
  return restoring ? 'releases the restored state store' : undefined;
}

/**
 * Whether the sequence keeps user state on the computer for this step (so no state migration point):
 * hard links on the capture (or on an earlier capture, for a restore), or an OSDStateStorePath it sets
 * itself: a sequence variable, a variable of this or an earlier step, Set Task Sequence Variable or
 * Set Dynamic Variables before it.
 */
export function localStore(model: TaskSequenceModel, order: Order, s: Step, mode: Mode): boolean {
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
