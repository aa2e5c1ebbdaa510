// capture-image-prerequisites: Capture Operating System Image needs Prepare Windows for Capture
// (Sysprep, then the restart into Windows PE) earlier in the sequence, and Prepare ConfigMgr Client
// for Capture before that (warning only when just the client step is missing). A Run Task Sequence
// step before the capture may hold them; MDT Lite Touch captures with its own scripts.
//
// Quick-fix data (issue 6 builds the edit):
//   { kind: 'insert-steps', steps: ['SMS_TaskSequence_PrepareSMSClientAction'?, 'SMS_TaskSequence_PrepareOSAction'?] /* in this order */,
//     position: 'before', anchor: Span /* Prepare Windows for Capture when present, else the Restart Computer
//       to Windows PE just before the capture (the prepare steps run in the full OS), else the capture step */,
//     expect: string /* the capture step's name as written */ }

import type { Check } from './types';
import type { InsertStepsFix } from '../edits/fixData';
import { insertSteps } from '../edits/kinds';
import type { Item, Step } from '../model/types';
import { restartTarget } from '../semantics/flow';
import { CHILD, isLiteTouch, isType, label, labelSpan, lastBefore, ofType, orderOf, outermostBeside, relatedAt, T, textAt, title, type Order } from '../semantics/stepInfo';

export const check: Check<InsertStepsFix> = {
  id: 'capture-image-prerequisites',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Capture Operating System Image has no Prepare Windows for Capture before it (a warning when only Prepare ConfigMgr Client for Capture is missing).',
    why: 'Capture Operating System Image runs in Windows PE and captures a reference computer that has been generalised. In a task sequence that work is done by Prepare Windows for Capture, which runs Sysprep in the full OS and then restarts into the boot image; without it the capture step is not reached in Windows PE, or captures a machine that was never generalised. Prepare ConfigMgr Client for Capture, run before it, removes the client\'s identity (from CB 1610 the whole client in build-and-capture sequences) so that computers deployed from the image register as new clients. Capture without Prepare Windows is only valid from capture media on a computer sysprepped by hand, which uses no task sequence XML.',
    example: '<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr">…</step>\n<step type="SMS_TaskSequence_CaptureSystemImageAction" name="Capture the Reference Machine" runIn="WinPE">…</step>',
    fix: 'Insert Prepare ConfigMgr Client for Capture and then Prepare Windows for Capture before the capture step (the quick fix inserts the missing ones), and keep the reference computer out of the domain.',
    links: [
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/create-a-task-sequence-to-capture-an-operating-system',
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_PrepareWindowsforCapture',
    ],
    facts: ['OSD-ORD-006', 'OSD-CAP-005'],
  },
  fixes: { 'insert-steps': insertSteps },
  sequence(ctx) {
    if (isLiteTouch(ctx.model)) return;
    const order = orderOf(ctx.model);
    for (const c of order.steps) {
      if (!isType(c, T.captureImage)) continue;
      if (lastBefore(order, c, CHILD)) continue;
      const prepareOs = lastBefore(order, c, ofType(T.prepareOs));
      const prepareClient = lastBefore(order, prepareOs ?? c, ofType(T.prepareClient)) !== undefined;
      if (prepareOs && prepareClient) continue;
      const steps = [...(prepareClient ? [] : [T.prepareClient]), ...(prepareOs ? [] : [T.prepareOs])];
      const anchor = prepareOs ?? restartsBefore(order, c) ?? c;
      const span = labelSpan(c);
      const data: InsertStepsFix = { kind: 'insert-steps', steps, position: 'before', anchor: { start: anchor.span.start, end: anchor.span.end }, expect: textAt(ctx, span) };
      if (!prepareOs) {
        ctx.report({
          message: `${title(c, ctx.catalog)} has no Prepare Windows for Capture${prepareClient ? '' : ' (nor Prepare ConfigMgr Client for Capture)'} before it: the reference computer is never generalised with Sysprep nor restarted into Windows PE for the capture.`,
          span,
          data,
        });
      } else {
        ctx.report({
          message: `${title(c, ctx.catalog)} has no Prepare ConfigMgr Client for Capture before ${label(prepareOs)}: computers deployed from the image would keep this reference computer's ConfigMgr client identity.`,
          span,
          severity: 'warning',
          related: [relatedAt(prepareOs, 'Prepare ConfigMgr Client for Capture belongs just before this step.')],
          data,
        });
      }
    }
  },
};

/**
 * The first of the Restart Computer (to Windows PE) steps right before the capture, as the item to
 * insert before: the prepare steps need the full OS, and Prepare Windows for Capture restarts into
 * Windows PE itself (Microsoft's build-and-capture template has no restart between it and the capture).
 */
function restartsBefore(order: Order, capture: Step): Item | undefined {
  let first: Step | undefined;
  const steps = order.steps;
  for (let i = (order.index.get(capture) ?? 0) - 1; i >= 0 && isType(steps[i], T.reboot) && restartTarget(steps[i]) === 'WinPE'; i--) first = steps[i];
  return first ? outermostBeside(first, capture) : undefined;
}
