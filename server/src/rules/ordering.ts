// OS-deployment ordering: an applied OS must be followed by Setup Windows and ConfigMgr, and driver
// steps belong between the two. Order is execution order (document order of enabled steps); a Run
// Task Sequence step may hold any step, so it stops a finding rather than guess. MDT Lite Touch
// installs Windows its own way (LTIApply, BDD_InjectDrivers) and is not checked.
//
// Quick-fix data (issue 6 builds the edit):
//   setup-windows-after-apply-os:
//     { kind: 'insert-step', step: 'SMS_TaskSequence_SetupWindowsAndSMSAction', position: 'after',
//       anchor: Span /* the last apply/driver/settings step (or the group holding it) */,
//       property: 'ClientPackageID', variable: '_SMSClientPackageID', contentKind: 'clientPackage',
//       expect: string /* the Apply OS step's name as written */ }
//   driver-step-order (no quick fix; data says where the step belongs):
//     { kind: 'move-step', position: 'after' | 'before', anchor: Span /* Apply OS, or Setup Windows */, expect }

import type { Rule, RuleContext } from './types';
import type { Step } from '../model/types';
import { after, before, isChildSequence, isLiteTouch, isType, label, labelSpan, orderOf, outermostBeside, relatedAt, T, textAt, title } from './stepInfo';

/** Steps that prepare the applied OS for Windows setup; Setup Windows and ConfigMgr goes after the last of them. */
const PREPARES = new Set<string>([T.applyOs, T.applyData, T.applyWindowsSettings, T.applyNetworkSettings, T.applyDriverPackage, T.autoApplyDrivers]);
const DRIVERS = new Set<string>([T.applyDriverPackage, T.autoApplyDrivers]);
/** Steps after which the sequence is no longer in the Windows PE segment that follows Apply OS. */
const LEAVES = new Set<string>([T.reboot, T.setupWindows, T.prepareOs]);

export const setupWindowsAfterApplyOs: Rule = {
  id: 'setup-windows-after-apply-os',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: 'An Apply Operating System Image step is not followed by Setup Windows and ConfigMgr.',
    why: 'Apply Operating System Image only lays the image (or the setup files) onto the disk and prepares the answer file; Windows setup itself, the restart into the new OS and the installation of the ConfigMgr client happen in Setup Windows and ConfigMgr, which Microsoft describes as a required part of every OS deployment. Without it the computer is left with an OS that never finished setup, and the sequence cannot continue in the new OS. A Run Task Sequence step after the image is assumed to hold it.',
    example: '<step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="Apply Operating System" runIn="WinPE">…</step>\n<step type="SMS_TaskSequence_ApplyWindowsSettingsAction" name="Apply Windows Settings" runIn="WinPE">…</step>\n<!-- no Setup Windows and ConfigMgr anywhere after it -->',
    fix: 'Add Setup Windows and ConfigMgr after the last apply, driver and settings step, with the site\'s client package. The quick fix inserts it there with the site description\'s client package (one fix per client package when the site lists several; the package is left empty without a site description).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetupWindowsandConfigMgr'],
    facts: ['OSD-ORD-001', 'OSD-CLI-001'],
  },
  check(ctx) {
    if (isLiteTouch(ctx.model)) return;
    const order = orderOf(ctx.model);
    for (const apply of order.steps) {
      if (!isType(apply, T.applyOs)) continue;
      const rest = after(order, apply);
      if (rest.some((s) => isType(s, T.setupWindows) || isChildSequence(s))) continue;
      // Insert after the last step that still prepares this OS, before the sequence leaves Windows PE.
      let last: Step = apply;
      for (const s of rest) {
        if (s.type && LEAVES.has(s.type)) break;
        if (s.type && PREPARES.has(s.type)) last = s;
      }
      const anchorItem = last === apply ? apply : outermostBeside(last, apply);
      // One fix per client package the site has (the quick fix fills it in), else one with it empty.
      const clients = ctx.site?.entries('clientPackage') ?? [];
      const withClient = clients.length ? clients.map((c) => ` with client package ${c.id}`) : [''];
      const span = labelSpan(apply);
      ctx.report({
        message: `${title(apply, ctx.catalog)} applies an operating system, but no Setup Windows and ConfigMgr follows it: Windows setup never runs, the computer never starts the new OS and no ConfigMgr client is installed.`,
        span,
        related: last === apply ? [] : [relatedAt(last, 'Setup Windows and ConfigMgr belongs after this step, the last one that prepares the new OS.')],
        data: { kind: 'insert-step', step: T.setupWindows, position: 'after', anchor: { start: anchorItem.span.start, end: anchorItem.span.end }, property: 'ClientPackageID', variable: '_SMSClientPackageID', contentKind: 'clientPackage', expect: textAt(ctx, span) },
        fixes: withClient.map((client) => `Insert Setup Windows and ConfigMgr${client} after ${label(anchorItem)}`),
      });
    }
  },
};

export const driverStepOrder: Rule = {
  id: 'driver-step-order',
  defaultSeverity: 'warning',
  needsSite: false,
  docs: {
    summary: 'Apply Driver Package or Auto Apply Drivers is not between Apply Operating System Image and Setup Windows and ConfigMgr.',
    why: 'Both driver steps stage drivers into the OS that was just applied, for Windows setup to install when Setup Windows and ConfigMgr runs it. Before Apply Operating System Image there is no OS to stage into (applying the image wipes the volume); after Setup Windows and ConfigMgr, setup has already run and the sequence is in the full OS, where these Windows-PE-only steps cannot run. Sequences with neither an Apply OS nor a Setup Windows step (a driver module run as a child sequence) are not checked.',
    example: '<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr">…</step>\n<step type="SMS_TaskSequence_AutoApplyAction" name="Auto Apply Drivers" runIn="WinPE">…</step>',
    fix: 'Move the driver step directly below Apply Operating System Image (Microsoft places Apply Driver Package after Auto Apply Drivers when both are used).',
    links: [
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_ApplyDriverPackage',
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_AutoApplyDrivers',
    ],
    facts: ['OSD-ORD-002'],
  },
  check(ctx) {
    if (isLiteTouch(ctx.model)) return;
    const order = orderOf(ctx.model);
    if (!order.steps.some((s) => isType(s, T.applyOs) || isType(s, T.setupWindows))) return;
    for (const d of order.steps) {
      if (!d.type || !DRIVERS.has(d.type)) continue;
      const earlier = before(order, d);
      const lastApply = [...earlier].reverse().find((s) => isType(s, T.applyOs));
      const since = lastApply ? earlier.slice(earlier.indexOf(lastApply) + 1) : earlier;
      if (since.some(isChildSequence)) continue;
      const setup = since.find((s) => isType(s, T.setupWindows));
      if (setup) {
        misplaced(ctx, d, `comes after ${label(setup)}: Windows setup has already run and the sequence is in the new OS, so the drivers are never staged for it`, setup, 'Windows setup runs here, before the driver step.', lastApply ? { position: 'after', item: lastApply } : { position: 'before', item: setup });
        continue;
      }
      if (lastApply) continue;
      const nextApply = after(order, d).find((s) => isType(s, T.applyOs));
      if (nextApply) misplaced(ctx, d, `comes before ${label(nextApply)}: applying the image wipes the volume the drivers are staged to`, nextApply, 'The OS is applied here, after the driver step.', { position: 'after', item: nextApply });
    }
  },
};

function misplaced(ctx: RuleContext, d: Step, why: string, other: Step, note: string, to: { position: 'after' | 'before'; item: Step }): void {
  const span = labelSpan(d);
  ctx.report({
    message: `${title(d, ctx.catalog)} ${why}. It belongs between Apply Operating System Image and Setup Windows and ConfigMgr.`,
    span,
    related: [relatedAt(other, note)],
    data: { kind: 'move-step', position: to.position, anchor: { start: to.item.span.start, end: to.item.span.end }, expect: textAt(ctx, span) },
    fixes: [],
  });
}
