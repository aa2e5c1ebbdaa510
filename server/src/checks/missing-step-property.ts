// missing-step-property: a property the step class requires is absent or empty (Apply Operating
// System Image with neither an image nor an upgrade package, a user-state step without its USMT
// package, Setup Windows and ConfigMgr without the client package, ...). Requirements come from
// the catalogue, conditional ones read through isRequired; MDT Lite Touch omissions are allowed.
//
// Quick-fix data (issue 6 builds the edit; the site description supplies the value):
//   { kind: 'fill-property', step: '<class>', property: 'ClientPackageID', variable: '_SMSClientPackageID',
//     contentKind?: 'clientPackage', hidden?: true,
//     alternatives: [{ property, variable, contentKind?, hidden? }] /* other properties that would also satisfy it */,
//     anchor: Span, anchorKind: 'value' /* replace the empty value of the existing <variable> */
//       | 'varList' /* insert a <variable> into this <defaultVarList> */ | 'step' /* no <defaultVarList> yet: this <step> */,
//     candidates: [{ property, id, name?, collection }] /* fitting site items, when a site description is loaded */,
//     expect: string /* the step name as written */ }
// `fixes` lists "Set <property> to <id> (<name>)" for each candidate.

import type { Check, CheckContext } from './types';
import type { FillPropertyFix, PropertySpec } from '../edits/fixData';
import { fillProperty } from '../edits/kinds';
import type { Step } from '../model/types';
import type { StepProperty, StepType } from '../catalog/types';
import { isRequired } from '../catalog';
import { isEnabled, stepProperty, stepVariable } from '../model/query';
import { isLiteTouch, labelSpan, textAt, title, value } from '../semantics/stepInfo';

export const check: Check<FillPropertyFix> = {
  id: 'missing-step-property',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A step lacks a property its class requires, or has it empty: Apply Operating System Image with neither an OS image nor an upgrade package, Capture or Restore User State without a USMT package, Setup Windows and ConfigMgr without the client package, Apply Driver Package without a driver package, Run Task Sequence without a target, and the other required properties of each step class.',
    why: 'The SDK marks these properties as required (Not_Null, or required when another property is empty or set), and the task sequence editor marks a step without them as incomplete. A hand-edited or generated export that leaves one empty cannot be imported, or fails when the step runs because the engine has no content or value to work with. MDT Lite Touch sequences legitimately omit a few properties that ConfigMgr requires (a Restart Computer target, the Run Command Line property that repeats its command); those are not reported there. Disabled steps are not checked: the engine never runs them. Apply Driver Package\'s boot-critical fields come together: once BootCriticalDriverID is set, the other BootCritical* properties are required. Its additional DISM options (OSDInstallDriversAdditionalOptions) apply only with the recurse option; without it they are ignored (a warning).',
    example: '<step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr" runIn="WinPEandFullOS">\n  <action>OSDSetupWindows.exe</action>\n  <defaultVarList>\n    <variable name="_SMSClientPackageID" property="ClientPackageID"></variable>\n  </defaultVarList>\n</step>',
    fix: 'Fill in the property, in the console (then export again) or in the XML. With a site description, the quick fix offers each item of the right kind the site has (the client package, the USMT package, OS images, driver packages).',
    links: [
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps',
      'https://learn.microsoft.com/en-us/mem/configmgr/develop/reference/osd/sms_tasksequence_setupwindowsandsmsaction-server-wmi-class',
    ],
    facts: ['OSD-IMG-001', 'OSD-USMT-005', 'OSD-CLI-001', 'OSD-DRV-001', 'OSD-DRV-006', 'OSD-DRV-007'],
  },
  fixes: { 'fill-property': fillProperty },
  sequence(ctx) {
    const liteTouch = isLiteTouch(ctx.model);
    for (const step of ctx.model.steps) {
      if (!step.type || !isEnabled(step)) continue;
      const type = ctx.catalog.get(step.type);
      if (!type || type.kind !== 'action') continue;
      checkStep(ctx, step, type, liteTouch);
      ineffective(ctx, step);
    }
  },
};

/**
 * Properties the console repeats in the step's command line, where the engine reads them: a Run Command
 * Line whose <action> holds the command is not missing it (MDT and hand-written steps keep it only there).
 */
const IN_ACTION: Record<string, Record<string, (action: string) => string>> = {
  SMS_TaskSequence_RunCommandLineAction: { CommandLine: (a) => a.replace(/^\s*smsswd\.exe\s+\/run:\S*\s*/i, '').trim() },
};

/** Properties MDT Lite Touch names its own way: its Run Task Sequence points at the child by ID or GUID. */
const LITE_TOUCH_NAMES: Record<string, Record<string, string[]>> = {
  SMS_TaskSequence_SubTasksequence: { TsPackageID: ['SubTaskSequenceID', 'SubTaskSequenceGUID'] },
};

/** A property's value on the step ('' when absent or empty). */
function valueOf(step: Step, type: StepType, name: string, liteTouch: boolean): string {
  const prop = type.properties.find((p) => p.name === name);
  const own = prop ? value(stepProperty(step, prop)) : '';
  if (own !== '') return own;
  const fromAction = IN_ACTION[type.type]?.[name];
  if (fromAction && step.action) return fromAction(step.action.text);
  const other = liteTouch ? LITE_TOUCH_NAMES[type.type]?.[name] : undefined;
  return other ? other.map((n) => value(stepVariable(step, n))).find((v) => v !== '') ?? '' : '';
}

/**
 * One fact, one finding: properties another check owns with a sharper message (capture-settings:
 * the capture destination; upgrade-os-source: the upgrade's source).
 */
const OWNED_ELSEWHERE: Record<string, readonly string[]> = {
  SMS_TaskSequence_CaptureSystemImageAction: ['CaptureDestination'],
  SMS_TaskSequence_UpgradeOperatingSystemAction: ['InstallPackageID', 'InstallPath'],
};

function checkStep(ctx: CheckContext<FillPropertyFix>, step: Step, type: StepType, liteTouch: boolean): void {
  const read = { valueOf: (name: string) => valueOf(step, type, name, liteTouch), mdtLiteTouch: liteTouch };
  const owned = OWNED_ELSEWHERE[type.type] ?? [];
  const missing = candidatesOf(type).filter((p) => !owned.includes(p.name) && isRequired(p, read) === true && read.valueOf(p.name) === '');
  if (missing.length === 0) return;
  const done = new Set<StepProperty>();
  for (const prop of missing) {
    if (done.has(prop)) continue;
    // "Set either this or that": two properties each required when the other is empty are one finding.
    const partners = missing.filter((q) => q !== prop && !done.has(q) && mentions(q, prop.name) && mentions(prop, q.name));
    for (const q of [prop, ...partners]) done.add(q);
    report(ctx, step, type, prop, partners);
  }
}

const CANDIDATES = new WeakMap<StepType, StepProperty[]>();

/** The properties of a class that can be required (not indexed, not `required: false`): worked out once per class, not per step. */
function candidatesOf(type: StepType): StepProperty[] {
  let c = CANDIDATES.get(type);
  if (!c) CANDIDATES.set(type, (c = type.properties.filter((p) => !p.name.includes('<N>') && p.required !== false)));
  return c;
}

function mentions(p: StepProperty, other: string): boolean {
  return typeof p.required === 'string' && new RegExp(`\\b${other}\\b`).test(p.required);
}

const DESCRIBED = new WeakMap<StepProperty, string>();

/** Worked out once per property, not per finding (200,000 findings spent half a second here). */
function describe(p: StepProperty): string {
  let d = DESCRIBED.get(p);
  if (d === undefined) {
    // The first sentence of the catalogue's description, without its asides.
    const what = p.description ? p.description.replace(/\s*\([^)]*\)/g, '').split(/[.;](?:\s|$)/)[0].trim() : '';
    DESCRIBED.set(p, (d = what ? `${p.name} (${lowerFirst(what)})` : p.name));
  }
  return d;
}

function report(ctx: CheckContext<FillPropertyFix>, step: Step, type: StepType, prop: StepProperty, partners: StepProperty[]): void {
  const existing = stepProperty(step, prop);
  const names = [prop, ...partners].map(describe);
  const message = partners.length
    ? `${title(step, ctx.catalog)} needs one of ${names.join(' or ')}; none is set.`
    : `${title(step, ctx.catalog)} needs ${names[0]}, but it is ${existing ? 'empty' : 'missing'}.`;
  const anchor = existing
    ? { anchor: existing.valueSpan, anchorKind: 'value' as const }
    : step.varList
      ? { anchor: { start: step.varList.span.start, end: step.varList.span.end }, anchorKind: 'varList' as const }
      : { anchor: { start: step.span.start, end: step.span.end }, anchorKind: 'step' as const };
  const span = labelSpan(step);
  // With a site description, each item of the right kind is a candidate (the fix fills the only one, or offers each).
  const candidates: FillPropertyFix['candidates'] = [];
  for (const p of [prop, ...partners]) {
    if (!p.references || !ctx.site) continue;
    for (const e of ctx.site.entries(p.references)) candidates.push(e.name !== undefined ? { property: p.name, id: e.id, name: e.name, collection: e.collection } : { property: p.name, id: e.id, collection: e.collection });
  }
  // Member by member, without spreads: one of these per finding, and a sequence can have 200,000 (issue 21).
  const data: FillPropertyFix = { kind: 'fill-property', step: type.type, property: prop.name, variable: prop.variable ?? prop.name, alternatives: partners.map(entry), anchor: anchor.anchor, anchorKind: anchor.anchorKind, candidates, expect: textAt(ctx, span) };
  if (prop.references) data.contentKind = prop.references;
  if (prop.hidden) data.hidden = true;
  ctx.report({ message, span, data });
}

function entry(p: StepProperty): PropertySpec {
  const e: PropertySpec = { property: p.name, variable: p.variable ?? p.name };
  if (p.references) e.contentKind = p.references;
  if (p.hidden) e.hidden = true;
  return e;
}

/** Lower-cases a leading word, not an acronym ("OS image" stays). */
function lowerFirst(s: string): string {
  return /^[A-Z][A-Z]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * A property that only works with another one: Apply Driver Package's additional DISM options apply only
 * with "Install driver package via running DISM with recurse option" (Recurse). A warning: the value is ignored.
 */
function ineffective(ctx: CheckContext<FillPropertyFix>, step: Step): void {
  if (step.type !== 'SMS_TaskSequence_ApplyDriverPackageAction') return;
  const extra = step.variables.find((v) => /InstallDriversAdditionalOptions$/i.test(v.name) && v.value.trim() !== '');
  const recurse = step.variables.find((v) => /^(OSDRecurse|Recurse)$/i.test(v.property ?? v.name));
  if (!extra || recurse?.value.trim().toLowerCase() === 'true') return;
  ctx.report({ severity: 'warning', message: `${title(step, ctx.catalog)} gives additional DISM options (${extra.name}), which apply only with "Install driver package via running DISM with recurse option" (Recurse); it is off, so they are ignored.`, span: extra.nameSpan });
}
