// Console-shaped XML for the steps quick fixes insert. Names, command lines, variables (with their
// `property` and `hidden`) and values are those of real exports (../shared/corpus/real): the
// ConfigMgr 2007-era MDT8456_SCCM_* package exports for sequence version 3.00, and the current-branch
// console exports (RSC002A6, Microsoft's configmgr-hub) for 3.10. Everything about how it is written
// (attribute set, quotes, child order, empty-element style, indentation) is copied from the document.

import type { Step, TaskSequenceModel } from '../model/types';
import { T } from '../semantics/stepInfo';
import { escapeXml } from './text';

export interface TemplateVariable {
  name: string;
  property: string;
  hidden?: boolean;
  value: string;
}

/** A step as the console writes it, before layout. */
export interface StepTemplate {
  type: string;
  name: string;
  runIn: 'WinPE' | 'FullOS' | 'WinPEandFullOS';
  action: string;
  variables: TemplateVariable[];
  /** Package IDs the step names, for the reference list. */
  packages: string[];
  /** Written as continueOnError="true" (the attribute is written whatever the document's habit). */
  continueOnError?: boolean;
  /** Variable conditions, and-ed, as <condition><expression type="SMS_TaskSequence_VariableConditionExpression">. */
  conditions?: VariableCondition[];
}

export interface VariableCondition {
  variable: string;
  operator: string;
  value: string;
}

/**
 * How Microsoft's MDT templates for ConfigMgr guard the state store steps (MDT 8443/8456
 * SCCM_Client: Request State Store in restore mode and Release State Store): skipped when user state
 * stays on the computer (USMTLOCAL) or was migrated offline (USMTOfflineMigration), and continuing on
 * error, so a new-computer run without a stored state goes on.
 */
export const MDT_STATE_STORE_CONDITIONS: readonly VariableCondition[] = [
  { variable: 'USMTLOCAL', operator: 'notEquals', value: 'True' },
  { variable: 'USMTOfflineMigration', operator: 'notEquals', value: 'TRUE' },
];

/** How the document writes its steps; inserted steps follow it. */
export interface DocStyle {
  /** Current-branch generation (sequence version 3.10, or steps written with runFromNet). */
  currentBranch: boolean;
  quote: '"' | "'";
  /** Optional attributes most of the document's steps write, in the console's order. */
  optional: { description: boolean; disable: boolean; continueOnError: boolean; successCodeList: boolean; retryCount: boolean; runFromNet: boolean };
  /** `<defaultVarList/>`, `<defaultVarList />` or `<defaultVarList></defaultVarList>`. */
  emptyVarList: string;
  /** MDT Lite Touch writes <defaultVarList> before <action>. */
  varListFirst: boolean;
}

const styles = new WeakMap<TaskSequenceModel, { text: string; style: DocStyle }>();

/** The sequence's generation and the way its steps are written, read from the document (once per model). */
export function docStyle(text: string, model: TaskSequenceModel): DocStyle {
  const hit = styles.get(model);
  if (hit && hit.text === text) return hit.style;
  const style = readStyle(text, model);
  styles.set(model, { text, style });
  return style;
}

function readStyle(text: string, model: TaskSequenceModel): DocStyle {
  const typed = model.steps.filter((s) => s.element === 'step' && s.type !== undefined && s.attrs.type !== undefined);
  const version = Number.parseFloat(model.sequence?.version ?? '');
  const currentBranch = (Number.isFinite(version) && version >= 3.1) || typed.some((s) => s.attrs.runFromNet !== undefined);
  const most = (attr: string): boolean => typed.filter((s) => s.attrs[attr] !== undefined).length * 2 > typed.length;
  const optional = typed.length === 0
    ? { description: true, disable: false, continueOnError: false, successCodeList: true, retryCount: currentBranch, runFromNet: currentBranch }
    : { description: most('description'), disable: most('disable'), continueOnError: most('continueOnError'), successCodeList: most('successCodeList'), retryCount: most('retryCount'), runFromNet: most('runFromNet') };
  const first = typed[0];
  const quote = first && text[first.attrs.type!.span.start - 1] === "'" ? "'" : '"';
  return { currentBranch, quote, optional, emptyVarList: emptyVarListStyle(text, model.steps), varListFirst: varListFirst(typed) };
}

function emptyVarListStyle(text: string, steps: readonly Step[]): string {
  for (const s of steps) {
    if (!s.varList || s.variables.length > 0) continue;
    const written = text.slice(s.varList.span.start, s.varList.span.end);
    if (/^<defaultVarList\s*\/>$/.test(written) || written === '<defaultVarList></defaultVarList>') return written;
  }
  // No empty list to copy: the document's own self-closing style (from its first 64 KB), else the console's.
  const head = text.slice(0, 65_536);
  const spaced = (head.match(/\s\/>/g) ?? []).length;
  const tight = (head.match(/[^\s]\/>/g) ?? []).length;
  return spaced > tight ? '<defaultVarList />' : '<defaultVarList/>';
}

function varListFirst(steps: readonly Step[]): boolean {
  let first = 0;
  let second = 0;
  for (const s of steps) {
    if (!s.varList || !s.action) continue;
    if (s.varList.span.start < s.action.element.span.start) first++;
    else second++;
  }
  return first > second;
}

// ---- the steps -------------------------------------------------------------------------------

/** Request State Store in capture or restore mode (osdsmpclient.exe; RequestType hidden, as exported). */
export function requestStateStore(mode: 'capture' | 'restore', style: DocStyle): StepTemplate {
  return {
    type: T.requestState,
    name: 'Request State Store',
    // Current-branch consoles write WinPEandFullOS for the state store steps (RSC002A6); 2007 wrote FullOS.
    runIn: style.currentBranch ? 'WinPEandFullOS' : 'FullOS',
    action: `osdsmpclient.exe /${mode}`,
    variables: [
      { name: 'OSDStateFallbackToNAA', property: 'FallbackToNAA', value: 'false' },
      { name: 'OSDStateRequestType', property: 'RequestType', hidden: true, value: mode },
      { name: 'OSDStateSMPRetryCount', property: 'SMPRetryCount', hidden: true, value: '3' },
      { name: 'OSDStateSMPRetryTime', property: 'SMPRetryTime', hidden: true, value: '10' },
    ],
    packages: [],
  };
}

export function releaseStateStore(style: DocStyle): StepTemplate {
  return { type: T.releaseState, name: 'Release State Store', runIn: style.currentBranch ? 'WinPEandFullOS' : 'FullOS', action: 'osdsmpclient.exe /release', variables: [], packages: [] };
}

/**
 * Restart Computer: to the boot image with the console's default notice (60 seconds), or to the
 * installed OS without one (exports write an empty message and a timeout of 1 then).
 */
export function restartComputer(target: 'WinPE' | 'HD'): StepTemplate {
  const winpe = target === 'WinPE';
  return {
    type: T.reboot,
    name: winpe ? 'Restart in Windows PE' : 'Restart Computer',
    runIn: 'WinPEandFullOS',
    action: `smsboot.exe /target:${target}`,
    variables: [
      { name: 'SMSRebootMessage', property: 'Message', value: winpe ? 'A new Microsoft Windows operating system is being installed. The computer must restart to continue.' : '' },
      { name: 'SMSRebootTimeout', property: 'MessageTimeout', value: winpe ? '60' : '1' },
      { name: 'SMSRebootTarget', property: 'Target', hidden: true, value: target },
    ],
    packages: [],
  };
}

/** Setup Windows and ConfigMgr with the site's client package ('' when the site offers none). */
export function setupWindows(clientPackageId: string): StepTemplate {
  return {
    type: T.setupWindows,
    name: 'Setup Windows and ConfigMgr',
    runIn: 'WinPEandFullOS',
    action: 'OSDSetupWindows.exe',
    variables: [
      { name: 'SMSClientInstallProperties', property: 'ClientInstallProperties', value: '' },
      { name: '_SMSClientPackageID', property: 'ClientPackageID', value: clientPackageId },
    ],
    packages: clientPackageId ? [clientPackageId] : [],
  };
}

/** MDT's Use Toolkit Package, as the MDT ConfigMgr templates write it (keithga MDT8456_SCCM_*, RSC002A6). */
export function useToolkitPackage(packageId: string): StepTemplate {
  return {
    type: 'BDD_UsePackage',
    name: 'Use Toolkit Package',
    runIn: 'WinPEandFullOS',
    action: `smsswd.exe /run:${packageId} cscript.exe Scripts\\ZTISCCM.wsf`,
    variables: [{ name: 'BDDPackageID', property: 'PackageID', hidden: true, value: packageId }],
    packages: packageId ? [packageId] : [],
  };
}

export function prepareClient(): StepTemplate {
  return { type: T.prepareClient, name: 'Prepare ConfigMgr Client for Capture', runIn: 'FullOS', action: 'osdpreparesmsclient.exe', variables: [], packages: [] };
}

/** Prepare Windows for Capture; current branch adds the shutdown option (command line and variable). */
export function prepareWindows(style: DocStyle): StepTemplate {
  const variables: TemplateVariable[] = [
    { name: 'OSDBuildStorageDriverList', property: 'BuildStorageDriverList', value: 'false' },
    { name: 'OSDKeepActivation', property: 'KeepActivation', value: 'false' },
  ];
  if (style.currentBranch) variables.push({ name: 'OSDShutdownPreparedOs', property: 'ShutdownPreparedOs', value: 'false' });
  return {
    type: T.prepareOs,
    name: 'Prepare Windows for Capture',
    runIn: 'FullOS',
    action: `osdprepareos.exe /activate:%OSDKeepActivation% /bmsd:%OSDBuildStorageDriverList%${style.currentBranch ? ' /shutdown:%OSDShutdownPreparedOs%' : ''}`,
    variables,
    packages: [],
  };
}

/** The template for a step class the fixes insert; undefined for any other class. */
export function templateFor(type: string, style: DocStyle, opts: { mode?: 'capture' | 'restore'; target?: 'WinPE' | 'HD'; clientPackageId?: string; toolkitPackageId?: string }): StepTemplate | undefined {
  switch (type) {
    case T.requestState: return opts.mode ? requestStateStore(opts.mode, style) : undefined;
    case T.releaseState: return releaseStateStore(style);
    case T.reboot: return opts.target ? restartComputer(opts.target) : undefined;
    case T.setupWindows: return setupWindows(opts.clientPackageId ?? '');
    case T.prepareClient: return prepareClient();
    case T.prepareOs: return prepareWindows(style);
    case 'BDD_UsePackage': return opts.toolkitPackageId ? useToolkitPackage(opts.toolkitPackageId) : undefined;
    default: return undefined;
  }
}

// ---- layout ------------------------------------------------------------------------------------

/** Where the step goes: its own indentation, the unit for its children, the line ending; `eol` '' writes it on one line. */
export interface Layout {
  indent: string;
  unit: string;
  eol: string;
}

/** The step element as text; its first line carries no indentation (the insertion point has it). */
export function renderStep(t: StepTemplate, style: DocStyle, layout: Layout): string {
  const q = style.quote;
  const attr = (name: string, value: string): string => ` ${name}=${q}${escapeXml(value)}${q}`;
  let open = `<step${attr('type', t.type)}${attr('name', t.name)}`;
  if (style.optional.description) open += attr('description', '');
  if (style.optional.disable) open += attr('disable', 'false');
  if (t.continueOnError) open += attr('continueOnError', 'true');
  else if (style.optional.continueOnError) open += attr('continueOnError', 'false');
  open += attr('runIn', t.runIn);
  if (style.optional.successCodeList) open += attr('successCodeList', '0');
  if (style.optional.retryCount) open += attr('retryCount', '0');
  if (style.optional.runFromNet) open += attr('runFromNet', 'false');
  open += '>';

  const { eol, indent, unit } = layout;
  const child = eol ? indent + unit : '';
  const grand = eol ? indent + unit + unit : '';
  const action = `${child}<action>${escapeXml(t.action)}</action>`;
  let varList: string;
  if (t.variables.length === 0) {
    varList = `${child}${style.emptyVarList}`;
  } else {
    const vars = t.variables.map((v) => `${grand}<variable${attr('name', v.name)}${attr('property', v.property)}${v.hidden ? attr('hidden', 'true') : ''}>${escapeXml(v.value)}</variable>`);
    varList = [`${child}<defaultVarList>`, ...vars, `${child}</defaultVarList>`].join(eol);
  }
  const body = style.varListFirst ? [varList, action] : [action, varList];
  if (t.conditions?.length) {
    const great = eol ? grand + unit : '';
    const expressions = t.conditions.map((c) => [
      `${grand}<expression${attr('type', 'SMS_TaskSequence_VariableConditionExpression')}>`,
      `${great}<variable${attr('name', 'Operator')}>${escapeXml(c.operator)}</variable>`,
      `${great}<variable${attr('name', 'Value')}>${escapeXml(c.value)}</variable>`,
      `${great}<variable${attr('name', 'Variable')}>${escapeXml(c.variable)}</variable>`,
      `${grand}</expression>`,
    ].join(eol));
    body.unshift([`${child}<condition>`, ...expressions, `${child}</condition>`].join(eol));
  }
  return [open, ...body, `${eol ? indent : ''}</step>`].join(eol);
}
