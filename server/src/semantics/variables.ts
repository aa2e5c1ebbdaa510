// Variable flow: for every step, which task sequence variables can have been set on some path
// reaching it, and where each variable is read. One pass over the execution order: each name keeps
// the position of its first setter, so "set before step i" is one comparison (no per-step copies).
// Names compare without regard to case, as the engine does. Facts: the ConfigMgr task sequence
// variable reference, the MDT toolkit reference (Gather), OSD-ORD-008 in the knowledge base.

import type { Catalog, StepProperty } from '../catalog/types';
import { BUILTIN_VARIABLES, builtinVariable, propertyOf } from '../catalog';
import type { Item, Span, Step, TaskSequenceModel } from '../model/types';
import { conditionLeaves } from '../model/query';
import { orderOf, type Order } from './stepInfo';

/**
 * Properties whose value is the name of a variable the step fills, by property name. Download Package
 * Content's DestinationVariable is a base name: the step sets <name>01, <name>02 … (suffix digits).
 */
const WRITES: Record<string, 'exact' | 'base'> = {
  'SMS_TaskSequence_SetVariableAction/VariableName': 'exact',
  'SMS_TaskSequence_RunCommandLineAction/OutputVariableName': 'exact',
  'SMS_TaskSequence_RunPowerShellScriptAction/OutputVariableName': 'exact',
  'SMS_TaskSequence_PartitionDiskAction/Partitions<N>VolumeLetterVariable': 'exact',
  'SMS_TaskSequence_DownloadPackageContentAction/DestinationVariable': 'base',
  'SMS_TaskSequence_VirtualHardDiskAction/VHDOutputVariable': 'exact',
};

/** Properties whose value names a variable the step reads (the target drive and the like). */
const READS = new Set<string>([
  'SMS_TaskSequence_ApplyOperatingSystemAction/DestinationVariable',
  'SMS_TaskSequence_ApplyDataImageAction/DestinationVariable',
  'SMS_TaskSequence_OfflineEnableBitLockerAction/DestinationVariable',
  'SMS_TaskSequence_PartitionDiskAction/DiskIndexVariable',
  'SMS_TaskSequence_VirtualHardDiskAction/VHDInputVariable',
  'BDD_InstallOS/DestinationOSVariable',
]);

/** How a step property treats its value: the name of a variable it fills or reads, or neither. */
export function variableRole(stepType: string, prop: StepProperty): 'writes' | 'writesBase' | 'reads' | undefined {
  // Asked once per variable of every step: the answer is kept per step type and property (issue 20).
  let byProp = ROLES.get(stepType);
  if (!byProp) ROLES.set(stepType, (byProp = new Map()));
  let role = byProp.get(prop);
  if (role === undefined) {
    const key = `${stepType}/${prop.name}`;
    const w = WRITES[key];
    role = w ? (w === 'base' ? 'writesBase' : 'writes') : READS.has(key) ? 'reads' : null;
    byProp.set(prop, role);
  }
  return role ?? undefined;
}
const ROLES = new Map<string, Map<StepProperty, 'writes' | 'writesBase' | 'reads' | null>>();

const PERCENT = /%([^%\s<>"]+)%/g;

/** Every %Name% in a string, with offsets relative to the string. */
export function percentRefs(s: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  if (s.indexOf('%') < 0) return out; // most values name no variable: no regular expression run
  PERCENT.lastIndex = 0;
  for (let m = PERCENT.exec(s); m; m = PERCENT.exec(s)) out.push({ name: m[1], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Variables MDT's ZTIGather.wsf sets from the computer itself (MDT toolkit reference, "Properties"),
 * the ones sequences most often test. After a Gather that also processes rules (CustomSettings.ini),
 * any name can be set: the flow then treats every later read as possibly set.
 */
export const GATHER_VARIABLES: readonly string[] = [
  'Architecture', 'AssetTag', 'CapableArchitecture', 'DefaultGateway', 'DeployRoot', 'DeploymentMethod', 'DeploymentType',
  'HALName', 'HostName', 'ImageBuild', 'ImageFlags', 'IPAddress', 'IsDesktop', 'IsLaptop', 'IsServer', 'IsServerCoreOS',
  'IsServerOS', 'IsUEFI', 'IsVM', 'IsOnBattery', 'MacAddress', 'Make', 'Memory', 'Model', 'OSCurrentBuild', 'OSCurrentVersion',
  'OSDComputerName', 'OSVersion', 'OSSKU', 'Phase', 'ProcessorSpeed', 'Product', 'ScriptRoot', 'SerialNumber', 'SupportsHyperVRole',
  'SupportsNX', 'SupportsVT', 'SupportsX64', 'ToolRoot', 'UUID', 'VMPlatform', 'Vendor', 'OriginalArchitecture', 'OriginalPartitionIdentifier',
];
const GATHER = new Set(GATHER_VARIABLES.map((n) => n.toLowerCase()));

/**
 * Windows environment variables: the engine expands %Name% from task sequence variables first, then the
 * process environment, so these are never "unset".
 */
const ENVIRONMENT = new Set([
  'windir', 'systemroot', 'systemdrive', 'programfiles', 'programfiles(x86)', 'programw6432', 'programdata', 'temp', 'tmp',
  'computername', 'username', 'userprofile', 'userdomain', 'processor_architecture', 'os', 'path', 'appdata', 'localappdata',
  'allusersprofile', 'commonprogramfiles', 'commonprogramfiles(x86)', 'public', 'homedrive', 'homepath', 'comspec', 'date', 'time',
  'random', 'cd', 'errorlevel', 'number_of_processors', 'pathext', 'psmodulepath', 'x', 'deployroot', 'scriptroot', 'toolroot',
]);

export type ReadHow = 'condition' | 'command line' | 'property' | 'consumed';

export interface VariableRead {
  /** As written. */
  name: string;
  item: Item;
  span: Span;
  how: ReadHow;
  /** A condition that only asks whether the variable exists (reading an unset one is the point). */
  existence?: boolean;
}

export interface VariableSet {
  name: string;
  /** The setting step; undefined for the global list and the site's collection variables. */
  step?: Step;
  span: Span;
  how: string;
}

export interface VariableFlow {
  /** Every read, in execution order of the items (conditions of groups before their steps). */
  reads: VariableRead[];
  /** Every place a name is given a value in this file (global list, steps). */
  sets: VariableSet[];
  /**
   * Can `name` have a value when `item` runs, on some path? 'set', 'unset' (nothing can have set it),
   * or 'unknown' (a script or a Gather with rules may set anything, or the name is an environment one).
   */
  at(name: string, item: Item): 'set' | 'unset' | 'unknown';
  /**
   * What can give `name` a value before `item` runs: the global list and earlier steps that set it
   * (in execution order), MDT's Gather when it sets such a name, and the first script or Gather with
   * rules before it (which may set any name). For hover; O(setters of the name).
   */
  setBefore(name: string, item: Item): { setters: VariableSet[]; gather?: Step; script?: Step };
}

const FLOWS = new WeakMap<TaskSequenceModel, VariableFlow>();

/** Names a step sets on its own (its property variables and the variables its properties name). */
function setsOf(step: Step, catalog: Catalog, add: (name: string, span: Span | undefined, how: string, base?: boolean) => void): void {
  const type = step.type ? catalog.get(step.type) : undefined;
  for (const v of step.variables) {
    // Its own property variables count from this step on, but are not listed as places that set them.
    add(v.name, undefined, 'its own property');
    const prop = type ? propertyOf(type, v.name) : undefined;
    const role = type && prop ? variableRole(type.type, prop) : undefined;
    if ((role === 'writes' || role === 'writesBase') && v.value.trim() !== '') add(v.value.trim(), v.valueSpan, prop!.name, role === 'writesBase');
    if (step.type === 'SMS_TaskSequence_SetDynamicVariablesAction' && /rules$/i.test(v.name)) {
      for (const m of v.value.matchAll(/<Variable\s+Name="([^"]+)"/gi)) add(m[1], v.valueSpan, 'a Set Dynamic Variables rule');
    }
  }
  if (step.type) for (const b of catalogSetters.get(step.type) ?? []) add(b, step.nameSpan, 'by design');
}

/** Built-in variables the table says a step class sets. */
const catalogSetters = new Map<string, string[]>();
function indexSetters(): void {
  if (catalogSetters.size > 0) return;
  // catalog/variables.ts: setBy lists the step classes that set each built-in variable
  for (const v of BUILTIN_VARIABLES) {
    for (const type of v.setBy ?? []) catalogSetters.set(type, [...(catalogSetters.get(type) ?? []), v.name]);
  }
}

/** A step whose command runs a script or ZTIGather with rules: it may set any variable (TSEnvironment COM object). */
function setsAnything(step: Step): boolean {
  if (step.type === 'SMS_TaskSequence_RunPowerShellScriptAction') return true;
  if (step.type === 'BDD_Gather') return !/^true$/i.test(step.variables.find((v) => /GatherLocalOnly$/i.test(v.name))?.value.trim() ?? '');
  const cmd = step.action?.text ?? '';
  if (step.type && !/RunCommandLine/i.test(step.type) && step.type.startsWith('SMS_')) return false;
  return /cscript|wscript|powershell|\.ps1\b|\.vbs\b|\.wsf\b|\.js\b|\.cmd\b|\.bat\b|tsenv|\.exe\b/i.test(cmd) && !/^\s*(smsboot|osd[a-z]*\.exe|tsenv\.exe\s+")/i.test(cmd);
}

/** The variable flow of a model; computed once per model. */
export function variableFlow(model: TaskSequenceModel, catalog: Catalog): VariableFlow {
  const cached = FLOWS.get(model);
  if (cached) return cached;
  indexSetters();
  const order = orderOf(model);
  const first = new Map<string, number>();
  // Base names of variables a step fills with a number appended (<base>01, <base>02 …): first position.
  const bases = new Map<string, number>();
  const sets: VariableSet[] = [];
  let anythingFrom = Infinity;
  let gatherFrom = Infinity;
  for (const v of model.sequence?.globalVariables ?? []) {
    first.set(v.name.trim().toLowerCase(), -1);
    sets.push({ name: v.name.trim(), span: v.span, how: 'the global variable list' });
  }
  order.steps.forEach((step, i) => {
    setsOf(step, catalog, (name, span, how, base) => {
      const k = name.toLowerCase();
      if (base) {
        if (!bases.has(k)) bases.set(k, i);
      }
      else if (!first.has(k)) first.set(k, i);
      if (span) sets.push({ name, step, span, how });
    });
    if (anythingFrom === Infinity && setsAnything(step)) anythingFrom = i;
    if (gatherFrom === Infinity && (step.type === 'BDD_Gather' || /ztigather\.wsf/i.test(step.action?.text ?? ''))) gatherFrom = i;
  });
  const reads = collectReads(model, catalog);
  const position = positionsOf(model, order);
  let byName: Map<string, VariableSet[]> | undefined;
  const setsNamed = (k: string): readonly VariableSet[] => {
    if (!byName) {
      byName = new Map();
      for (const x of sets) {
        const key = x.name.toLowerCase();
        const list = byName.get(key);
        if (list) list.push(x);
        else byName.set(key, [x]);
      }
    }
    return byName.get(k) ?? [];
  };
  const flow: VariableFlow = {
    reads,
    sets,
    at(name, item) {
      const k = name.trim().toLowerCase();
      if (k === '' || k.startsWith('_') || builtinVariable(k)?.readOnly || ENVIRONMENT.has(k)) return 'unknown';
      const here = position(item);
      // A step's own property variables are set when its command line runs; a condition runs before.
      const f = first.get(k);
      if (f !== undefined && (f < here || (f === here && item.kind === 'step'))) return 'set';
      if (numbered(bases, k, here)) return 'set';
      if (gatherFrom < here && GATHER.has(k.replace(/\d+$/, ''))) return 'set';
      if (anythingFrom < here) return 'unknown';
      return 'unset';
    },
    setBefore(name, item) {
      const k = name.trim().toLowerCase();
      const here = position(item);
      const setters = setsNamed(k).filter((x) => {
        const at = x.step ? order.index.get(x.step) ?? Infinity : -1;
        return at < here || (at === here && item.kind === 'step');
      });
      return {
        setters,
        ...(gatherFrom < here && GATHER.has(k.replace(/\d+$/, '')) ? { gather: order.steps[gatherFrom] } : {}),
        ...(anythingFrom < here ? { script: order.steps[anythingFrom] } : {}),
      };
    },
  };
  FLOWS.set(model, flow);
  return flow;
}

/** Whether `k` is <base><digits> for a base some step before position `here` fills. O(length of k). */
function numbered(bases: ReadonlyMap<string, number>, k: string, here: number): boolean {
  for (let j = k.length; j > 0 && k.charCodeAt(j - 1) >= 48 && k.charCodeAt(j - 1) <= 57; j--) {
    const at = bases.get(k.slice(0, j - 1));
    if (at !== undefined && at < here) return true;
  }
  return false;
}

/**
 * Position of an item in the execution order: a step's own index; a group's, the index of the first
 * enabled step at or after its start in the document (its condition runs just before that step).
 * Disabled items get -1 for steps (nothing is known to run before them). One sorted pass over the
 * groups and enabled steps, then constant time per item.
 */
function positionsOf(model: TaskSequenceModel, order: Order): (item: Item) => number {
  const groups = new Map<Item, number>();
  const sorted = [...model.groups].sort((a, b) => a.span.start - b.span.start);
  let j = 0;
  for (const g of sorted) {
    while (j < order.steps.length && order.steps[j].span.start < g.span.start) j++;
    groups.set(g, j);
  }
  return (item) => (item.kind === 'step' ? order.index.get(item) ?? -1 : groups.get(item) ?? -1);
}

function collectReads(model: TaskSequenceModel, catalog: Catalog): VariableRead[] {
  const out: VariableRead[] = [];
  const items = inDocumentOrder(model.groups, model.steps);
  for (const item of items) {
    for (const node of conditionLeaves(item.condition?.children ?? [])) {
      if (node.kind !== 'expression') continue;
      const isVar = node.type === 'SMS_TaskSequence_VariableConditionExpression';
      const op = node.parameters.find((p) => p.name.toLowerCase() === 'operator')?.value.trim().toLowerCase() ?? '';
      for (const p of node.parameters) {
        if (isVar && p.name.toLowerCase() === 'variable' && p.value.trim() !== '') {
          out.push({ name: p.value.trim(), item, span: p.valueSpan, how: 'condition', existence: op === 'exists' || op === 'notexists' });
        } else {
          for (const r of percentRefs(p.value)) out.push({ name: r.name, item, span: { start: p.valueSpan.start + r.start, end: p.valueSpan.start + r.end }, how: 'condition' });
        }
      }
    }
    if (item.kind !== 'step') continue;
    const type = item.type ? catalog.get(item.type) : undefined;
    for (const v of item.variables) {
      const prop = type ? propertyOf(type, v.name) : undefined;
      if (type && prop && variableRole(type.type, prop) === 'reads' && v.value.trim() !== '') out.push({ name: v.value.trim(), item, span: v.valueSpan, how: 'consumed' });
      if (v.value.length > 4096) continue; // scripts and rules embedded as values: their %…% are not the engine's
      for (const r of percentRefs(v.value)) out.push({ name: r.name, item, span: { start: v.valueSpan.start + r.start, end: v.valueSpan.start + r.end }, how: 'property' });
    }
    if (item.action) {
      for (const r of percentRefs(item.action.text)) out.push({ name: r.name, item, span: { start: item.action.span.start + r.start, end: item.action.span.start + r.end }, how: 'command line' });
    }
  }
  return out;
}

/** Groups and steps merged by where they start (each list is in document order as the parser builds it). */
function inDocumentOrder(groups: readonly Item[], steps: readonly Item[]): Item[] {
  const out: Item[] = [];
  let g = 0;
  let s = 0;
  while (g < groups.length || s < steps.length) {
    if (s >= steps.length || (g < groups.length && groups[g].span.start < steps[s].span.start)) out.push(groups[g++]);
    else out.push(steps[s++]);
  }
  // A model built some other way (a test's) still reads in document order.
  for (let i = 1; i < out.length; i++) if (out[i - 1].span.start > out[i].span.start) return out.sort((a, b) => a.span.start - b.span.start);
  return out;
}

/** Where the sequence sets and reads a name, for hover. */
export function usesOf(flow: VariableFlow, name: string): { sets: VariableSet[]; reads: VariableRead[] } {
  const k = name.trim().toLowerCase();
  return { sets: flow.sets.filter((s) => s.name.toLowerCase() === k), reads: flow.reads.filter((r) => r.name.toLowerCase() === k) };
}
