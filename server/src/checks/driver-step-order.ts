// driver-step-order: Apply Driver Package and Auto Apply Drivers belong between Apply Operating
// System Image and Setup Windows and ConfigMgr, in the Windows PE segment that follows Apply OS.
// MDT Lite Touch (BDD_InjectDrivers) is not checked.

import type { Check, CheckContext } from './types';
import type { MoveStepFix } from '../edits/fixData';
import { moveStep } from '../edits/kinds';
import type { Step } from '../model/types';
import { CHILD, firstAfter, firstIndexAfter, isChildSequence, isLiteTouch, isType, label, labelSpan, lastIndexBefore, ofType, orderOf, relatedAt, stepsAfter, T, textAt, title, type Order } from '../semantics/stepInfo';

const APPLY_OS = ofType(T.applyOs);
const SETUP = ofType(T.setupWindows);

const DRIVERS = new Set<string>([T.applyDriverPackage, T.autoApplyDrivers]);

export const check: Check<MoveStepFix> = {
  id: 'driver-step-order',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Apply Driver Package or Auto Apply Drivers is not between Apply Operating System Image and Setup Windows and ConfigMgr.',
    why: 'Both driver steps stage drivers into the OS that was just applied, for Windows setup to install when Setup Windows and ConfigMgr runs it. Before Apply Operating System Image there is no OS to stage into (applying the image wipes the volume); after Setup Windows and ConfigMgr, setup has already run and the sequence is in the full OS, where these Windows-PE-only steps cannot run. Sequences with neither an Apply OS nor a Setup Windows step (a driver module run as a child sequence) are not checked.',
    example: '<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr">…</step>\n<step type="SMS_TaskSequence_AutoApplyAction" name="Auto Apply Drivers" runIn="WinPE">…</step>',
    fix: 'Move the driver step directly below Apply Operating System Image (Microsoft places Apply Driver Package after Auto Apply Drivers when both are used). The quick fix moves it there, after the driver steps already in place (Auto Apply Drivers before any Apply Driver Package), with the comments written above it.',
    links: [
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_ApplyDriverPackage',
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_AutoApplyDrivers',
    ],
    facts: ['OSD-ORD-002'],
  },
  fixes: { 'move-step': moveStep },
  sequence(ctx) {
    if (isLiteTouch(ctx.model)) return;
    const order = orderOf(ctx.model);
    if (!order.steps.some((s) => isType(s, T.applyOs) || isType(s, T.setupWindows))) return;
    for (const d of order.steps) {
      if (!d.type || !DRIVERS.has(d.type)) continue;
      // The steps since the last Apply OS before the driver step (from the start when there is none).
      const at = order.index.get(d) ?? 0;
      const from = lastIndexBefore(order, APPLY_OS, at);
      const within = (j: number): boolean => j >= 0 && j < at;
      if (within(firstIndexAfter(order, CHILD, from))) continue;
      const s = firstIndexAfter(order, SETUP, from);
      const lastApply = from >= 0 ? order.steps[from] : undefined;
      const setup = within(s) ? order.steps[s] : undefined;
      if (setup) {
        misplaced(ctx, d, `comes after ${label(setup)}: Windows setup has already run and the sequence is in the new OS, so the drivers are never staged for it`, setup, 'Windows setup runs here, before the driver step.', destination(order, d, lastApply));
        continue;
      }
      if (lastApply) continue;
      const nextApply = firstAfter(order, d, APPLY_OS);
      if (nextApply) misplaced(ctx, d, `comes before ${label(nextApply)}: applying the image wipes the volume the drivers are staged to`, nextApply, 'The OS is applied here, after the driver step.', destination(order, d, nextApply));
    }
  },
};

/**
 * Where the driver step goes: right after the Apply Operating System Image it serves, behind the
 * driver steps already placed after it (Auto Apply Drivers ahead of Apply Driver Package, as
 * Microsoft's templates order them). None without an Apply OS to serve.
 */
function destination(order: Order, d: Step, apply: Step | undefined): { position: 'before' | 'after'; anchor: Step } | undefined {
  if (!apply) return undefined;
  const segment: Step[] = [];
  for (const s of stepsAfter(order, apply)) {
    if (isType(s, T.setupWindows) || isType(s, T.applyOs) || isChildSequence(s)) break;
    if (s !== d && s.type && DRIVERS.has(s.type)) segment.push(s);
  }
  if (isType(d, T.autoApplyDrivers)) {
    const pkg = segment.find((s) => isType(s, T.applyDriverPackage));
    if (pkg) return { position: 'before', anchor: pkg };
  }
  return { position: 'after', anchor: segment[segment.length - 1] ?? apply };
}

function misplaced(ctx: CheckContext<MoveStepFix>, d: Step, why: string, other: Step, note: string, to: { position: 'before' | 'after'; anchor: Step } | undefined): void {
  const span = labelSpan(d);
  ctx.report({
    message: `${title(d, ctx.catalog)} ${why}. It belongs between Apply Operating System Image and Setup Windows and ConfigMgr.`,
    span,
    related: [relatedAt(other, note)],
    ...(to ? { data: { kind: 'move-step' as const, expect: textAt(ctx, span), item: { start: d.span.start, end: d.span.end }, position: to.position, anchor: { start: to.anchor.span.start, end: to.anchor.span.end } } } : {}),
  });
}
