// state-store-release: every Request State Store needs a later Release State Store (before the next
// request in the same mode), or the state migration point keeps the store locked.

import type { Check } from './types';
import type { Step } from '../model/types';
import type { InsertStepFix } from '../edits/fixData';
import { insertSteps } from '../edits/kinds';
import { after, extraGuards, isChildSequence, isType, label, labelSpan, orderOf, relatedAt, requestMode, T, textAt, title } from '../semantics/stepInfo';
import { USER_STATE_LINK } from './links';

export const check: Check<InsertStepFix> = {
  id: 'state-store-release',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A Request State Store has no Release State Store after it, or none before a request in the other mode (and, as information, a Release that may be skipped when its Request ran).',
    why: 'Release State Store tells the state migration point that the capture or restore is finished: captured data becomes available for restore, restored data starts its retention period, and the store is no longer held. Microsoft\'s step reference asks for a Release after every Request; in a refresh, the capture\'s store has to be released before the restore requests one. A Release under a condition still counts, since it may run; when it is guarded by a condition the Request does not have, cmts adds an information note, because whenever that condition is false the store stays reserved.',
    example: '<step type="SMS_TaskSequence_RequestStateStoreAction" name="Request State Store" runIn="FullOS">…</step>\n<step type="SMS_TaskSequence_CaptureUserStateAction" name="Capture User State" runIn="FullOS">…</step>\n<!-- no Release State Store after the capture -->',
    fix: 'Insert Release State Store right after the Capture or Restore User State step the request serves; the quick fix does it. Steps between the request and the release should continue on error so that the release still runs.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_ReleaseStateStore', USER_STATE_LINK],
    facts: ['OSD-USMT-003'],
  },
  fixes: { 'insert-step': insertSteps },
  sequence(ctx) {
    if (ctx.cutShort) return; // the Release may be in the part that was cut off
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
      });
    }
  },
};
