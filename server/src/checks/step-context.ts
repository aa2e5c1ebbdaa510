// step-context: a step reached only in an environment where it cannot run (a Windows-PE-only step
// in the full OS, or the reverse), from the environment analysis in flow.ts. The message names the
// earlier step (or condition) that put the sequence there.
//
// Quick-fix data: insert-step (a Restart Computer to the environment the step needs before it, and
// one back after the following steps that still run there), or move-step for a full-OS step between
// Apply Operating System Image and Setup Windows and ConfigMgr (after Setup Windows: no restart can
// boot an OS whose setup has not run). None for a full-OS step with no OS to restart into (after
// Format and Partition Disk, Prepare Windows for Capture, or an Apply with no Setup Windows after it).

import type { Check, CheckContext, RelatedPlace } from './types';
import type { InsertStepFix, MoveStepFix } from '../edits/fixData';
import { insertSteps, moveStep } from '../edits/kinds';
import type { Item, Step } from '../model/types';
import { allowedEnvs, envsOf, flowOf, runInAttribute, startInFrom, type Cause, type Env, type EnvSet, type Flow } from '../semantics/flow';
import { isChildSequence, isType, label, labelSpan, noOsAt, orderOf, outermostBeside, relatedAt, stepsAfter, stepsBackFrom, T, textAt, title } from '../semantics/stepInfo';

const WORDS: Record<Env, string> = { WinPE: 'Windows PE', FullOS: 'the full OS' };

type Fix = InsertStepFix | MoveStepFix;

export const check: Check<Fix> = {
  id: 'step-context',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A step is reached only in an environment where it cannot run: a Windows-PE-only step in the full OS, or a full-OS-only step in Windows PE.',
    why: 'Every step class has an environment it requires, written as the step\'s `runIn` attribute (the SDK\'s SupportedEnvironment: WinPE, FullOS or WinPEandFullOS), and the engine does not run a step outside it: the step fails. Disk, image, driver and settings steps work only in Windows PE; software, BitLocker, domain-join, capture-preparation and user-state restore steps only in the full OS; Setup Windows and ConfigMgr must start in Windows PE. cmts follows the sequence from its start (both environments are possible unless the site description says how it is deployed: to clients it starts in the full OS, on media and PXE only in Windows PE; MDT Lite Touch may start in either), through Restart Computer (to the boot image or to the installed OS), Setup Windows and ConfigMgr (into the new OS), Prepare Windows for Capture (back into Windows PE) and conditions on `_SMSTSInWinPE`, skipping disabled steps and groups. It reports a step only when every environment the sequence can be in at that point is wrong, and names the step that led there; a step that continues on error is reported as a warning, since the sequence goes on without it. A runIn other than the class default is the mark of hand editing, and the engine honours it: the check reads it as written. Two options tie a step that can run anywhere to one context: Download Package Content into the client cache cannot run in Windows PE, and Capture User State in offline mode runs only in Windows PE (reported where the sequence can only be in the wrong one).',
    example: '<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr" runIn="WinPEandFullOS">…</step>\n<step type="SMS_TaskSequence_AutoApplyAction" name="Auto Apply Drivers" runIn="WinPE">…</step>',
    fix: 'Move the step to the part of the sequence that runs in the environment it needs (driver and settings steps before Setup Windows and ConfigMgr, software after it), or insert a Restart Computer to the boot image (Windows PE) or to the installed OS before it: the quick fix inserts that restart, and a restart back after the last of the following steps that still runs there when a later step needs the environment the sequence was in. A full-OS step between Apply Operating System Image and Setup Windows and ConfigMgr is different: the OS just applied has not been set up, so no restart can reach it and the sequence could not resume; the quick fix moves the step after Setup Windows and ConfigMgr instead. No quick fix is offered for a full-OS step that comes after Format and Partition Disk (the disk holds no OS until one is applied and set up), after Prepare Windows for Capture (Sysprep has generalized the OS: it starts Windows setup, and Prepare ConfigMgr Client has removed the client), or after Apply Operating System Image with no Setup Windows and ConfigMgr after it, with no Setup Windows and ConfigMgr in between: no restart reaches an OS the sequence could resume in, and where the step belongs is for the author to decide. Nor is a fix offered when the restarts it inserts would change where a later step runs (every fix is judged by the sequence it leaves): a Restart Computer to Windows PE that started in Windows PE and would start in the full OS needs a boot image there, for example. If a condition on `_SMSTSInWinPE` guards the step, check that it tests the value you meant.',
    links: [
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps',
      'https://learn.microsoft.com/en-us/mem/configmgr/develop/reference/osd/sms_tasksequence_action-server-wmi-class',
    ],
    facts: ['OSD-CTX-001', 'OSD-CTX-002', 'OSD-CTX-003', 'OSD-CTX-004', 'OSD-CTX-007', 'OSD-CTX-008'],
  },
  fixes: { 'insert-step': insertSteps, 'move-step': moveStep },
  sequence(ctx) {
    const flow = flowOf(ctx.model, startInFrom(ctx.extra));
    for (const step of ctx.model.steps) {
      const at = flow.steps.get(step);
      if (!at || at.runs.size === 0) continue;
      const allowed = allowedEnvs(step, ctx.catalog);
      const here = envsOf(at.runs);
      if (allowed.envs.length === 0 || here.some((e) => allowed.envs.includes(e))) continue;
      report(ctx, step, allowed.envs[0], allowed.byRunIn, at.runs, at.narrowedBy);
    }
    optionContexts(ctx, flow);
  },
};

function report(ctx: CheckContext<Fix>, step: Step, needed: Env, byRunIn: boolean, runs: EnvSet, narrowedBy: readonly Item[]): void {
  const here = envsOf(runs);
  const runInNote = byRunIn ? ` (its runIn attribute is "${step.runIn ?? ''}")` : '';
  const limit = byRunIn && runInAttribute(step)?.length === 1 ? 'is set to run' : 'runs';
  const causes: Cause[] = [];
  for (const e of here) for (const c of runs.get(e) ?? []) if (!causes.includes(c)) causes.push(c);
  const steps = causes.filter((c): c is Step => c !== 'start');
  const reasons: string[] = [];
  const where: string[] = [];
  if (steps.length) where.push(`after ${steps.slice(0, 3).map(label).join(' or ')}`);
  if (causes.includes('start') && narrowedBy.length === 0) where.push(steps.length ? 'or from the start' : `the sequence starts in ${WORDS[here[0]]}`);
  if (where.length) reasons.push(where.join(', '));
  if (narrowedBy.length) reasons.push(`the condition on ${narrowedBy.map(label).join(' and ')} allows only ${WORDS[here[0]]}`);
  // A step that continues on error fails here every time, but the sequence goes on without it: a dead step, not a broken sequence.
  const tolerated = step.continueOnError;
  const consequence = tolerated ? ' It continues on error, so it fails here every time and the sequence goes on without it.' : '';
  const message = `${title(step, ctx.catalog)} ${limit} only in ${WORDS[needed]}${runInNote}, but the sequence can only be in ${WORDS[here[0]]} here: ${reasons.join('; ')}.${consequence}`;

  const related: RelatedPlace[] = [];
  for (const s of steps.slice(0, 5)) related.push(relatedAt(s, `The sequence is in ${WORDS[here[0]]} after this step.`));
  for (const it of narrowedBy) related.push({ message: `This condition on _SMSTSInWinPE keeps ${label(step)} out of ${WORDS[needed]}.`, span: it.condition ? it.condition.span : labelSpan(it) });

  const target = needed === 'WinPE' ? 'WinPE' : 'HD';
  const span = labelSpan(step);
  const setup = needed === 'FullOS' ? setupAfterApply(ctx, step) : undefined;
  if (setup) {
    // A restart to the installed OS here would boot an OS whose setup has not run: move the step instead.
    ctx.report({
      message,
      span,
      ...(tolerated ? { severity: 'warning' as const } : {}),
      related: [...related, relatedAt(setup, 'Setup Windows and ConfigMgr starts the new OS here; the step belongs after it.')],
      data: { kind: 'move-step', expect: textAt(ctx, span), item: { start: step.span.start, end: step.span.end }, position: 'after', anchor: { start: setup.span.start, end: setup.span.end } },
    });
    return;
  }
  if (needed === 'FullOS' && noOsAt(orderOf(ctx.model), step) !== undefined) {
    // No restart can reach a full OS from here (a wiped disk, a generalized OS, one not set up):
    // where the step belongs is the author's call, so no fix is offered.
    ctx.report({ message, span, ...(tolerated ? { severity: 'warning' as const } : {}), related });
    return;
  }
  const back = backAfter(ctx, step, needed);
  const other: Env = needed === 'WinPE' ? 'FullOS' : 'WinPE';
  ctx.report({
    message,
    span,
    ...(tolerated ? { severity: 'warning' as const } : {}),
    related,
    data: {
      kind: 'insert-step', step: 'SMS_TaskSequence_RebootAction', target, position: 'before', anchor: { start: step.span.start, end: step.span.end }, expect: textAt(ctx, span),
      ...(back ? { back: { target: other === 'WinPE' ? 'WinPE' : 'HD', position: 'after', anchor: { start: back.span.start, end: back.span.end } } } : {}),
    },
  });
}

/**
 * The Setup Windows and ConfigMgr that follows `step` when the step stands between Apply Operating
 * System Image and it (no Setup Windows, restart or child sequence in between): the applied OS is not
 * set up there, so a full-OS step can only run after Setup Windows and ConfigMgr.
 */
function setupAfterApply(ctx: CheckContext<Fix>, step: Step): Step | undefined {
  const order = orderOf(ctx.model);
  let applied = false;
  for (const s of stepsBackFrom(order, step)) {
    if (isType(s, T.setupWindows) || isChildSequence(s) || s.type === T.reboot) return undefined;
    if (isType(s, T.applyOs)) {
      applied = true;
      break;
    }
  }
  if (!applied) return undefined;
  for (const s of stepsAfter(order, step)) {
    if (isType(s, T.setupWindows)) return s;
    if (isChildSequence(s) || s.type === T.reboot || isType(s, T.applyOs)) return undefined;
  }
  return undefined;
}

/**
 * Where to restart back into the environment the sequence was in, when a later step needs it and
 * nothing else takes the sequence there first: after the last of the following steps that still
 * run where the inserted restart leads (outside any group the later step is not in). Undefined
 * when no later step needs it, or a restart, Setup Windows, Prepare Windows or a child sequence
 * (where they can run) decides the environment first.
 */
function backAfter(ctx: CheckContext<Fix>, step: Step, needed: Env): Item | undefined {
  let last: Step = step;
  const order = orderOf(ctx.model);
  // By index, not over a copy of the steps after it: a finding per step made that n².
  for (let i = (order.index.get(step) ?? order.steps.length) + 1; i < order.steps.length; i++) {
    const s = order.steps[i];
    if (isChildSequence(s) || s.type === T.reboot) return undefined;
    const allowed = allowedEnvs(s, ctx.catalog).envs;
    if (allowed.length > 0 && !allowed.includes(needed)) return outermostBeside(last, s);
    // Setup Windows and Prepare Windows take the sequence elsewhere themselves.
    if (s.type === T.setupWindows || s.type === T.prepareOs) return undefined;
    last = s;
  }
  return undefined;
}

/**
 * Options that tie a step to one context although the step itself can run in either: Download Package
 * Content into the client cache (not in Windows PE), Capture User State offline (Windows PE only) or
 * online (the full OS). Reported where every context the sequence can be in is wrong, like the steps.
 */
function optionContexts(ctx: CheckContext<Fix>, flow: Flow): void {
  for (const [step, at] of flow.steps) {
    const here = envsOf(at.runs);
    if (here.length !== 1) continue;
    let problem: string | undefined;
    const v = (name: string): string => (step.variables.find((x) => x.property?.toLowerCase() === name.toLowerCase() || x.name.toLowerCase() === name.toLowerCase())?.value ?? '').trim().toLowerCase();
    if (step.type === 'SMS_TaskSequence_DownloadPackageContentAction' && here[0] === 'WinPE' && v('DestinationLocationType') === 'ccmcache') {
      problem = 'downloads into the ConfigMgr client cache, which Windows PE does not have, and the sequence can only be in Windows PE here';
    } else if (step.type === 'SMS_TaskSequence_CaptureUserStateAction') {
      const offline = v('OfflineUserState') === 'true';
      if (offline && here[0] === 'FullOS') problem = 'captures offline ("Capture in off-line mode (Windows PE only)"), but the sequence can only be in the full OS here';
    }
    if (problem) ctx.report({ message: `${title(step, ctx.catalog)} ${problem}.`, span: labelSpan(step) });
  }
}
