// setup-windows-after-apply-os: an applied OS must be followed by Setup Windows and ConfigMgr (in
// execution order; a Run Task Sequence may hold it, so it stops a finding rather than guess). MDT
// Lite Touch installs Windows its own way (LTIApply) and is not checked.

import type { Check } from './types';
import type { Step } from '../model/types';
import type { InsertStepFix } from '../edits/fixData';
import { insertSteps } from '../edits/kinds';
import { firstAfter, isChildSequence, isLiteTouch, isType, labelSpan, orderOf, outermostBeside, relatedAt, type StepQuery, T, textAt, title } from '../semantics/stepInfo';

const SETUP_OR_CHILD: StepQuery = { key: 'setupOrChild', test: (s) => isType(s, T.setupWindows) || isChildSequence(s) };

/** Steps that prepare the applied OS for Windows setup; Setup Windows and ConfigMgr goes after the last of them. */
const PREPARES = new Set<string>([T.applyOs, T.applyData, T.applyWindowsSettings, T.applyNetworkSettings, T.applyDriverPackage, T.autoApplyDrivers]);
/** Steps after which the sequence is no longer in the Windows PE segment that follows Apply OS. */
const LEAVES = new Set<string>([T.reboot, T.setupWindows, T.prepareOs]);

export const check: Check<InsertStepFix> = {
  id: 'setup-windows-after-apply-os',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'An Apply Operating System Image step is not followed by Setup Windows and ConfigMgr.',
    why: 'Apply Operating System Image only lays the image (or the setup files) onto the disk and prepares the answer file; Windows setup itself, the restart into the new OS and the installation of the ConfigMgr client happen in Setup Windows and ConfigMgr, which Microsoft describes as a required part of every OS deployment. Without it the computer is left with an OS that never finished setup, and the sequence cannot continue in the new OS. A Run Task Sequence step after the image is assumed to hold it.',
    example: '<step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="Apply Operating System" runIn="WinPE">…</step>\n<step type="SMS_TaskSequence_ApplyWindowsSettingsAction" name="Apply Windows Settings" runIn="WinPE">…</step>\n<!-- no Setup Windows and ConfigMgr anywhere after it -->',
    fix: 'Add Setup Windows and ConfigMgr after the last apply, driver and settings step, with the site\'s client package. The quick fix inserts it there with the site description\'s client package (one fix per client package when the site lists several; the package is left empty without a site description).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr'],
    facts: ['OSD-ORD-001', 'OSD-CLI-001'],
  },
  fixes: { 'insert-step': insertSteps },
  sequence(ctx) {
    if (isLiteTouch(ctx.model) || ctx.cutShort) return;
    const order = orderOf(ctx.model);
    for (const apply of order.steps) {
      if (!isType(apply, T.applyOs)) continue;
      if (firstAfter(order, apply, SETUP_OR_CHILD)) continue;
      // Insert after the last step that still prepares this OS, before the sequence leaves Windows PE.
      let last: Step = apply;
      for (let i = (order.index.get(apply) ?? 0) + 1; i < order.steps.length; i++) {
        const s = order.steps[i];
        if (s.type && LEAVES.has(s.type)) break;
        if (s.type && PREPARES.has(s.type)) last = s;
      }
      const anchorItem = last === apply ? apply : outermostBeside(last, apply);
      const span = labelSpan(apply);
      ctx.report({
        message: `${title(apply, ctx.catalog)} applies an operating system, but no Setup Windows and ConfigMgr follows it: Windows setup never runs, the computer never starts the new OS and no ConfigMgr client is installed.`,
        span,
        related: last === apply ? [] : [relatedAt(last, 'Setup Windows and ConfigMgr belongs after this step, the last one that prepares the new OS.')],
        data: { kind: 'insert-step', step: T.setupWindows, position: 'after', anchor: { start: anchorItem.span.start, end: anchorItem.span.end }, expect: textAt(ctx, span) },
      });
    }
  },
};
