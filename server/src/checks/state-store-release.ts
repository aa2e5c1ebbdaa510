// state-store-release: every Request State Store needs a later Release State Store (before the next
// request in the same mode), or the state migration point keeps the store locked.

import type { Check } from './types';
import type { Step } from '../model/types';
import type { InsertStepFix } from '../edits/fixData';
import { insertSteps } from '../edits/kinds';
import { CHILD, extraGuards, firstIndexAfter, isType, label, labelSpan, ofType, orderOf, relatedAt, requestMode, type StepQuery, T, textAt, title } from '../semantics/stepInfo';
import { USER_STATE_LINK } from './links';

const REQUEST = ofType(T.requestState);
const RELEASE = ofType(T.releaseState);
const CAPTURE = ofType(T.captureState);
const RESTORE = ofType(T.restoreState);
const NONE: StepQuery = { key: 'none', test: () => false };
const CAPTURE_REQUEST: StepQuery = { key: 'request:mode-capture', test: (s) => isType(s, T.requestState) && requestMode(s) === 'capture' };
const RESTORE_REQUEST: StepQuery = { key: 'request:mode-restore', test: (s) => isType(s, T.requestState) && requestMode(s) === 'restore' };

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
      const i = order.index.get(r) ?? 0;
      const mode = requestMode(r);
      // The first Release after it. A request in the other mode before it means this store was never
      // released (capture, then restore, in one refresh); one in the same mode may be an alternative
      // branch (a condition picks one), so it does not count. A child sequence first may hold it.
      const rel = firstIndexAfter(order, RELEASE, i);
      const blk = mode ? firstIndexAfter(order, mode === 'capture' ? RESTORE_REQUEST : CAPTURE_REQUEST, i) : -1;
      const child = firstIndexAfter(order, CHILD, i);
      const first = Math.min(...[rel, blk, child].map((j) => (j < 0 ? Infinity : j)));
      const found: Step | undefined = first === rel && rel >= 0 ? order.steps[rel] : undefined;
      const blocker: Step | undefined = first === blk && blk >= 0 ? order.steps[blk] : undefined;
      if (!found) {
        // Up to the blocker (or the end): a child sequence there may release it.
        const end = blocker ? blk : order.steps.length;
        if (child >= 0 && child < end) continue;
        const servedAt = [firstIndexAfter(order, mode !== 'restore' ? CAPTURE : NONE, i), firstIndexAfter(order, mode !== 'capture' ? RESTORE : NONE, i)].filter((j) => j >= 0 && j < end);
        const served = servedAt.length ? order.steps[Math.min(...servedAt)] : undefined;
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
      // The release that serves this request: the only one before the next request (conditions aside).
      const next = firstIndexAfter(order, REQUEST, i);
      const second = firstIndexAfter(order, RELEASE, rel);
      if (next >= 0 && rel > next) continue;
      if (second >= 0 && (next < 0 || second < next)) continue;
      const release = order.steps[rel];
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
