// Hover: what the thing under the cursor is, as markdown with a short first line. A step or group
// (element name, type or name) gives the class's docs plus where this one runs here, what it needs,
// its properties and values; a variable gives its meaning and who sets or reads it in this sequence;
// a content ID gives its site description entry; a condition reads out in plain words. Pure: model +
// offset in, markdown + the span it describes out (lsp/convert.ts makes the range). Works with no site.

import type { Catalog, ContentKind, StepProperty, StepType } from '../catalog/types';
import { builtinVariable, isRequired, propertyOf } from '../catalog';
import { ancestors, contains, contentReferences, isEnabled, itemAt, stepProperty, type ContentReference } from '../model/query';
import type { Condition, ConditionExpression, ConditionNode, ConditionOperator, Group, Item, Span, Step, TaskSequenceModel, Variable } from '../model/types';
import type { LoadedSite } from '../site/types';
import { allowedEnvs, envsOf, flowOf, union, type Env, type EnvSet, type StartIn } from '../semantics/flow';
import { fitsKind, wantedNoun } from '../semantics/siteFacts';
import { isLiteTouch } from '../semantics/stepInfo';
import { variableFlow, type VariableSet } from '../semantics/variables';
import { conditionWords, nodeWords } from './conditionWords';
import { entryMarkdown, kindName } from './contentDocs';
import { code, esc, listWords, shorten } from './markdown';
import { docsLine, isSecret, mdtOrigin, needsOf } from './stepDocs';
import { percentRefs, variableRole, variableUses, type VariableUse } from './variableUsage';

export interface HoverResult {
  markdown: string;
  span: Span;
}

export interface HoverOptions {
  /** Where the sequence starts (from its site taskSequences entry); 'both' when unknown. */
  startIn?: StartIn;
}

/**
 * The hover at `offset`. `text` (the document) lets IDs and %variables% inside command lines and
 * values be found at their exact offsets; without it those are skipped.
 */
export function hoverAt(model: TaskSequenceModel, offset: number, site: LoadedSite | undefined, catalog: Catalog, text?: string, options: HoverOptions = {}): HoverResult | undefined {
  const ctx: Ctx = { model, site, catalog, text, startIn: options.startIn ?? 'both' };
  const refs = contentReferences(model, catalog, text);
  const ref = refs.find((r) => contains(r.span, offset));
  if (ref) return { markdown: contentMarkdown(ref, refs, site), span: ref.span };
  const pct = percentAt(ctx, offset);
  if (pct) return { markdown: variableMarkdown(ctx, pct.name, undefined, pct.item ? { read: pct.item } : undefined), span: pct.span };
  for (const v of model.sequence?.globalVariables ?? []) {
    if (contains(v.nameSpan, offset) || contains(v.attrs.name?.span ?? v.nameSpan, offset)) return { markdown: variableMarkdown(ctx, v.name), span: v.attrs.name?.span ?? v.nameSpan };
  }
  const item = itemAt(model, offset);
  if (!item) return undefined;
  const head = headSpanAt(item, offset);
  if (head) return { markdown: item.kind === 'step' ? stepMarkdown(ctx, item) : groupMarkdown(ctx, item), span: head };
  if (item.condition && contains(item.condition.span, offset)) return conditionHover(ctx, item, item.condition, offset);
  if (item.kind === 'step') return stepVariableHover(ctx, item, offset);
  return undefined;
}

interface Ctx {
  model: TaskSequenceModel;
  site: LoadedSite | undefined;
  catalog: Catalog;
  text: string | undefined;
  startIn: StartIn;
}

/** The part of an item's start tag under `offset` that names it: element name, type or name. */
function headSpanAt(item: Item, offset: number): Span | undefined {
  if (offset > item.startTagEnd) return undefined;
  if (contains(item.nameSpan, offset)) return item.nameSpan;
  for (const key of ['type', 'name']) {
    const a = item.attrs[key];
    if (!a) continue;
    if (contains(a.span, offset)) return a.span;
    if (contains(a.nameSpan, offset)) return a.nameSpan;
  }
  return undefined;
}

// ---- steps and groups -------------------------------------------------------------------------

function stepMarkdown(ctx: Ctx, step: Step): string {
  const type = step.type ? ctx.catalog.get(step.type) : undefined;
  if (!step.type) {
    return [
      `**${esc(step.name || 'Command line')}** (MDT command line step)`,
      '',
      'A step without a `type`: MDT Lite Touch runs its `<action>` command line, usually a ZTI script from the deployment share. It comes from MDT\'s Deployment Workbench templates and has no class documentation of its own.',
      ...(step.action ? ['', `*Command line:* ${code(shorten(step.action.text, 120))}`] : []),
      '', hereLine(ctx, step),
      ...conditionLines(step),
    ].join('\n');
  }
  if (!type || type.kind !== 'action') {
    const near = ctx.catalog.find(step.type);
    const hint = near && near.kind === 'action' ? ` Class names are case-sensitive: did you mean ${code(near.type)} (${esc(near.displayName)})?` : '';
    return [`**Unknown step type** ${code(step.type)}`, '', `This class is not in the cmts step catalogue.${hint}`].join('\n');
  }
  const lines = [`**${esc(type.displayName)}** — ${code(type.type)}`, '', esc(type.description), ''];
  lines.push(`${whereItIs(step)}${flags(step)}`, '');
  const runIn = step.runIn && step.runIn !== type.runIn ? ` (this step says runIn="${esc(step.runIn)}")` : '';
  lines.push(`*Runs in:* ${esc(type.context)}${runIn}`, '', hereLine(ctx, step));
  if (type.mdt) lines.push('', `*From:* ${mdtOrigin(type)}`);
  // MDT Lite Touch runs its own script for this class, not the ConfigMgr step (MDT toolkit reference).
  if (step.type === 'SMS_TaskSequence_EnableBitLockerAction' && isLiteTouch(ctx.model)) lines.push('', '*In MDT Lite Touch:* this step runs MDT\'s ZTIBde.wsf, not the ConfigMgr Enable BitLocker step.');
  lines.push(...conditionLines(step));
  const needs = needsOf(type);
  if (needs.length) lines.push('', '*Needs before it:*', ...needs.map((n) => `- ${n}`));
  const props = propertyLines(ctx, step, type);
  if (props.length) lines.push('', '*Properties:*', ...props);
  if (type.introduced) lines.push('', `*Since:* ${esc(type.introduced)}${type.removed ? `; removed in ${esc(type.removed)}` : ''}`);
  lines.push('', docsLine(type));
  return lines.join('\n');
}

function groupMarkdown(ctx: Ctx, group: Group): string {
  const steps = ctx.model.steps.filter((s) => ancestors(s).includes(group));
  const lines = [`**Group** "${esc(group.name || '(unnamed)')}"`, ''];
  if (group.description.trim()) lines.push(esc(group.description.trim()), '');
  const range = steps.length === 0 ? 'no steps' : steps.length === 1 ? `step ${steps[0].number}` : `steps ${steps[0].number}–${steps[steps.length - 1].number}`;
  const inGroup = group.parent ? `In group "${esc(group.parent.name)}"; holds` : 'Holds';
  lines.push(`${inGroup} ${range}${flags(group)}.`);
  const type = ctx.catalog.get('SMS_TaskSequence_Group');
  if (type) lines.push('', esc(type.description));
  if (steps.length) {
    const flow = flowOf(ctx.model, ctx.startIn);
    let runs: EnvSet = new Map();
    for (const s of steps) runs = union(runs, flow.steps.get(s)?.runs ?? new Map());
    const envs = envsOf(runs);
    lines.push('', envs.length === 0 ? '*Here:* none of its steps runs.' : `*Here:* its steps run in ${listWords(envs.map(envName), 'or')}.`);
  }
  lines.push(...conditionLines(group));
  if (type?.docsUrl) lines.push('', `[Documentation](${type.docsUrl})`);
  return lines.join('\n');
}

/** `Step 4 "Apply", in group "Install"` */
function whereItIs(item: Item): string {
  const what = item.kind === 'step' ? `Step ${item.number} "${esc(item.name)}"` : `Group "${esc(item.name)}"`;
  return item.parent ? `${what}, in group "${esc(item.parent.name)}"` : what;
}

function flags(item: Item): string {
  const out: string[] = [];
  if (item.disabled) out.push('disabled');
  else if (!isEnabled(item)) out.push('inside a disabled group');
  if (item.continueOnError) out.push('continues on error');
  return out.length ? ` (${out.join(', ')})` : '';
}

function envName(e: Env): string {
  return e === 'WinPE' ? 'Windows PE' : 'the full OS';
}

/** Where this step will run in this sequence, from the execution-environment walk. */
function hereLine(ctx: Ctx, step: Step): string {
  if (!isEnabled(step)) return `*Here:* never runs: ${step.disabled ? 'it is disabled' : 'a group around it is disabled'}.`;
  const flow = flowOf(ctx.model, ctx.startIn);
  const env = flow.steps.get(step);
  const envs = env ? envsOf(env.runs) : [];
  if (envs.length === 0) return '*Here:* never runs: its conditions are false wherever it is reached.';
  const allowed = allowedEnvs(step, ctx.catalog).envs;
  const wrong = envs.filter((e) => !allowed.includes(e));
  // step-context reports only where every context is wrong; name its finding only then (hover never
  // mentions a finding that does not exist).
  const warn = wrong.length === 0 ? '' : wrong.length === envs.length
    ? ` It cannot run in ${listWords(wrong.map(envName), 'or')}: see the step-context finding.`
    : ` It cannot run in ${listWords(wrong.map(envName), 'or')}, which the XML leaves possible here.`;
  if (envs.length === 2) {
    return `*Here:* may run in Windows PE or in the full OS: the XML alone does not say which (how the sequence starts, a restart whose target is a variable, or a condition cmts cannot evaluate).${warn}`;
  }
  const causes = env!.runs.get(envs[0]) ?? [];
  const why = causes.slice(0, 2).map((c) => (c === 'start' ? startWords(ctx.startIn, envs[0]) : `after step ${c.number} "${esc(c.name)}"`));
  return `*Here:* runs in ${envName(envs[0])}${why.length ? ` (${listWords(why, 'or')})` : ''}.${warn}`;
}

function startWords(startIn: StartIn, env: Env): string {
  if (startIn === 'both') return env === 'WinPE' ? 'when started from PXE or media' : 'when started from Software Center';
  return startIn === 'WinPE' ? 'the deployment starts from PXE or media' : 'the deployment starts from Software Center';
}

/** "Runs only when …", its own condition and those of the groups around it. */
function conditionLines(item: Item): string[] {
  const out: string[] = [];
  const own = conditionWords(item.condition?.children);
  if (own) out.push('', `*Runs only when* ${own}.`);
  for (const g of ancestors(item)) {
    const w = conditionWords(g.condition?.children);
    if (w) out.push('', `*Its group "${esc(g.name)}" runs only when* ${w}.`);
  }
  return out;
}

/** This step's properties with their variables and values; secrets masked; required ones missing flagged. */
function propertyLines(ctx: Ctx, step: Step, type: StepType): string[] {
  const out: string[] = [];
  const masked = maskedProperties(step, type);
  for (const v of step.variables) {
    const prop = propertyOf(type, v.name);
    out.push(`- ${prop ? esc(prop.name) : '(not a property of this class)'} ${code(v.name)}: ${valueWords(v, prop ? masked.has(prop.name) : false)}${v.hidden ? ' *(hidden)*' : ''}`);
    if (out.length >= 30) {
      out.push(`- … and ${step.variables.length - 30} more`);
      break;
    }
  }
  const req = { valueOf: (name: string) => { const p = type.properties.find((x) => x.name === name); return p ? stepProperty(step, p)?.value : undefined; }, mdtLiteTouch: isLiteTouch(ctx.model) };
  for (const p of type.properties) {
    if (p.name.includes('<N>') || !p.variable || stepProperty(step, p)) continue;
    if (isRequired(p, req) === true) out.push(`- ${esc(p.name)} ${code(p.variable)}: **not set** (required)`);
  }
  return out;
}

/** Properties whose value the hover hides: secrets, and a Set Task Sequence Variable value marked do-not-show. */
function maskedProperties(step: Step, type: StepType): Set<string> {
  const out = new Set(type.properties.filter(isSecret).map((p) => p.name));
  const dontShow = type.properties.find((p) => p.name === 'DoNotShowVariableValue');
  if (dontShow && stepProperty(step, dontShow)?.value.trim().toLowerCase() === 'true') out.add('VariableValue');
  return out;
}

function valueWords(v: Variable, masked: boolean): string {
  if (v.value.trim() === '') return '(empty)';
  return masked ? '•••••• (hidden by cmts)' : code(shorten(v.value.trim()));
}

// ---- variables ----------------------------------------------------------------------------

/** A %Name% reference under the cursor in a step value, command line, condition value or global variable. */
function percentAt(ctx: Ctx, offset: number): { name: string; span: Span; item?: Item } | undefined {
  if (ctx.text === undefined) return undefined;
  // Each place with the item that reads it (none for the global list): only those of the item under
  // the offset (values sit inside their own step or group, never in a step of a group), not every
  // value of the sequence (issue 20: on 2 MB that list cost most of a hover).
  const spans: { span: Span; item?: Item }[] = [];
  const it = itemAt(ctx.model, offset);
  if (!it) for (const v of ctx.model.sequence?.globalVariables ?? []) spans.push({ span: v.valueSpan });
  else {
    if (it.kind === 'step') {
      if (it.action) spans.push({ span: it.action.span, item: it });
      for (const v of it.variables) spans.push({ span: v.valueSpan, item: it });
    }
    for (const n of leaves(it.condition?.children ?? [])) for (const p of n.parameters) spans.push({ span: p.valueSpan, item: it });
  }
  for (const { span: sp, item } of spans) {
    if (!contains(sp, offset)) continue;
    for (const r of percentRefs(ctx.text.slice(sp.start, sp.end))) {
      const span = { start: sp.start + r.start, end: sp.start + r.end };
      // The engine takes names of up to 256 characters; anything longer is not a variable reference.
      if (contains(span, offset)) return r.name.length <= 256 ? { name: r.name, span, ...(item ? { item } : {}) } : undefined;
    }
  }
  return undefined;
}

function leaves(nodes: readonly ConditionNode[]): ConditionExpression[] {
  return nodes.flatMap((n) => (n.kind === 'expression' ? [n] : leaves(n.children)));
}

const USE_WORDS: Record<VariableUse['kind'], string> = { sets: 'set by', reads: 'read by', tests: 'tested by', carries: 'a property of', global: 'set in' };

function itemLabel(item: Item): string {
  return item.kind === 'step' ? `step ${item.number} "${esc(item.name)}"` : `group "${esc(item.name)}"`;
}

/**
 * Where the hovered name stands: a place that reads it (a condition, %Name%, a property naming a
 * variable the step reads), or the step that sets it (Set Task Sequence Variable's name, an output variable).
 */
type VariablePlace = { read: Item } | { set: Step };

/** What a variable means and where this sequence sets, reads or tests it. */
function variableMarkdown(ctx: Ctx, name: string, prop?: { prop: StepProperty; type: StepType }, place?: VariablePlace): string {
  const builtin = builtinVariable(name);
  const what = builtin?.readOnly ? 'read-only built-in variable' : builtin ? 'built-in variable' : prop ? 'step property variable' : 'task sequence variable';
  const lines = [`**${esc(name)}** — ${what}`, ''];
  if (prop) lines.push(`The ${esc(prop.prop.name)} property of ${esc(prop.type.displayName)}${prop.prop.description ? `: ${esc(prop.prop.description)}` : '.'}`, '');
  if (builtin) lines.push(esc(builtin.description), '');
  if (!prop && !builtin) {
    const carriers = carriersOf(ctx, name);
    if (carriers.length) lines.push(...carriers, '');
    else lines.push('A custom variable: the engine keeps it for the rest of the sequence once a step, a collection or the global variable list sets it.', '');
  }
  if (builtin?.readOnly) lines.push('*Read-only:* the engine sets it; Set Task Sequence Variable and the global variable list cannot change it.', '');
  const byDesign = (types: string[] | undefined): string => listWords((types ?? []).map((t) => esc(ctx.catalog.get(t)?.displayName ?? t)));
  if (builtin?.setBy?.length) lines.push(`*Set by:* ${byDesign(builtin.setBy)}`, '');
  if (builtin?.readBy?.length) lines.push(`*Read by:* ${byDesign(builtin.readBy)}`, '');
  const uses = variableUses(ctx.model, ctx.catalog, name);
  if (uses.length === 0) lines.push('*In this sequence:* no step sets, reads or tests it.');
  else {
    lines.push('*In this sequence:*');
    for (const u of uses.slice(0, 12)) lines.push(`- ${USE_WORDS[u.kind]} ${u.item ? itemLabel(u.item) : 'the global variable list'}${u.kind === 'global' || u.kind === 'tests' ? '' : ` (${esc(u.how)})`}`);
    if (uses.length > 12) lines.push(`- … and ${uses.length - 12} more`);
  }
  if (builtin?.readOnly && uses.some((u) => u.kind === 'sets' && u.how !== 'by design')) lines.push('', '**Warning:** this sequence tries to set a read-only variable; the engine ignores it.');
  if (place) lines.push('', ...flowLines(ctx, name, place));
  return lines.join('\n').trimEnd();
}

/**
 * From the variable flow (semantics/variables.ts): at a read, what can have set the name on a path
 * reaching it; at a setter, the reads that come after it. Nothing for names the engine owns.
 */
function flowLines(ctx: Ctx, name: string, place: VariablePlace): string[] {
  const k = name.trim().toLowerCase();
  const builtin = builtinVariable(k);
  if (k.startsWith('_') || builtin?.readOnly) return [];
  const flow = variableFlow(ctx.model, ctx.catalog);
  const setter = (x: VariableSet): string => (x.step ? `${itemLabel(x.step)} (${esc(x.how)})` : esc(x.how));
  if ('set' in place) {
    const later = flow.reads.filter((r) => r.item !== place.set && r.item.span.start > place.set.span.start && r.name.trim().toLowerCase() === k);
    if (later.length === 0) return ['*Read after it:* by no later step or condition in this sequence.'];
    const shown = uniqueItems(later.map((r) => r.item)).map(itemLabel);
    return [`*Read after it:* ${listWords(shown.slice(0, 5))}${shown.length > 5 ? ` and ${shown.length - 5} more` : ''}.`];
  }
  const at = place.read;
  const where = at.kind === 'step' ? 'this step' : 'this group';
  const state = flow.at(k, at);
  const { setters, gather, script } = flow.setBefore(k, at);
  if (state === 'set') {
    const named = setters.slice(-3).map(setter);
    if (gather && named.length === 0) named.push(`MDT's Gather, ${itemLabel(gather)}`);
    return [`*Before ${where}:* can have a value: set by ${listWords(named)}${setters.length > 3 ? ` (the last 3 of ${setters.length} places)` : ''}.`];
  }
  if (state === 'unset') return [`*Before ${where}:* nothing in this sequence sets it; it is empty here unless a collection or device variable (or the media) gives it a value.`];
  if (script) return [`*Before ${where}:* ${itemLabel(script)} runs a program or script (or MDT's Gather with rules), which may set any variable through the task sequence environment: whether it has a value here is not known.`];
  return [];
}

function uniqueItems(items: readonly Item[]): Item[] {
  return [...new Set(items)];
}

/** Catalogue properties carried by a variable of this name (for a name used outside its step). */
function carriersOf(ctx: Ctx, name: string): string[] {
  const out: string[] = [];
  const l = name.toLowerCase();
  for (const t of ctx.catalog.actions()) {
    const p = t.properties.find((x) => x.variable?.toLowerCase() === l || x.aliases?.some((a) => a.toLowerCase() === l));
    if (p) out.push(`Carries the ${esc(p.name)} property of ${esc(t.displayName)}${p.description ? `: ${esc(p.description)}` : '.'}`);
    if (out.length >= 3) break;
  }
  return out;
}

/** A `<variable>` of a step: its name gives the property and variable docs; a value naming a variable gives that variable. */
function stepVariableHover(ctx: Ctx, step: Step, offset: number): HoverResult | undefined {
  const v = step.variables.find((x) => contains(x.span, offset));
  if (!v) return undefined;
  const type = step.type ? ctx.catalog.get(step.type) : undefined;
  const prop = type ? propertyOf(type, v.name) : undefined;
  const nameSpan = v.attrs.name?.span;
  if (contains(v.nameSpan, offset) || (nameSpan && contains(nameSpan, offset))) {
    return { markdown: variableMarkdown(ctx, v.name, type && prop ? { prop, type } : undefined), span: nameSpan ?? v.nameSpan };
  }
  if (type && prop && contains(v.valueSpan, offset)) {
    const role = variableRole(type.type, prop);
    if ((role === 'writes' || role === 'reads') && v.value.trim() !== '' && v.value.length <= 256 && !v.value.includes('%')) {
      return { markdown: variableMarkdown(ctx, v.value.trim(), undefined, role === 'writes' ? { set: step } : { read: step }), span: v.valueSpan };
    }
  }
  return undefined;
}

// ---- conditions ---------------------------------------------------------------------------

/** The innermost operator or expression whose element holds `offset`. */
function nodeAt(nodes: readonly ConditionNode[], offset: number): ConditionNode | undefined {
  for (const n of nodes) {
    if (!contains(n.span, offset)) continue;
    if (n.kind === 'operator') return nodeAt(n.children, offset) ?? n;
    return n;
  }
  return undefined;
}

function conditionHover(ctx: Ctx, item: Item, cond: Condition, offset: number): HoverResult | undefined {
  const whole = conditionWords(cond.children) ?? 'always (the condition is empty)';
  const owner = item.kind === 'step' ? `step ${item.number} "${esc(item.name)}"` : `group "${esc(item.name)}"`;
  const node = nodeAt(cond.children, offset);
  if (!node) {
    if (!cond.implicit && offset <= cond.startTagEnd && contains(cond.nameSpan, offset)) {
      return { markdown: [`**Condition** of ${owner}`, '', `Runs only when ${whole}.`, '', 'The operands directly inside the condition are joined by and.'].join('\n'), span: cond.nameSpan };
    }
    return undefined;
  }
  const head = offset <= node.startTagEnd && (contains(node.nameSpan, offset) || (node.attrs.type && (contains(node.attrs.type.span, offset) || contains(node.attrs.type.nameSpan, offset))));
  if (head) return { markdown: nodeMarkdown(ctx, node, owner, whole), span: node.attrs.type && contains(node.attrs.type.span, offset) ? node.attrs.type.span : node.nameSpan };
  if (node.kind === 'expression') return parameterHover(ctx, node, offset, item);
  return undefined;
}

function nodeMarkdown(ctx: Ctx, node: ConditionNode, owner: string, whole: string): string {
  if (node.kind === 'operator') return operatorMarkdown(node, owner, whole);
  const type = ctx.catalog.get(node.type);
  const lines = [`**${esc(type?.displayName ?? 'Unknown condition')}** condition — ${code(node.type || '(no type)')}`, '', `True when ${nodeWords(node)}.`, ''];
  if (type) lines.push(esc(type.description), '');
  else lines.push('This expression class is not in the cmts catalogue (MDT and older consoles wrote a few more).', '');
  lines.push(`The whole condition of ${owner}: runs only when ${whole}.`);
  if (type) lines.push('', docsLine(type));
  return lines.join('\n');
}

function operatorMarkdown(node: ConditionOperator, owner: string, whole: string): string {
  const t = node.type.trim().toLowerCase();
  const what = t === 'and' ? 'all of the conditions inside' : t === 'or' ? 'any of the conditions inside' : t === 'not' ? 'none of the conditions inside' : 'unknown operator';
  return [`**If statement** ${code(node.type)} — ${what}`, '', `True when ${nodeWords(node)}.`, '', `The whole condition of ${owner}: runs only when ${whole}.`].join('\n');
}

/** A parameter of an expression: its name gives the parameter's docs; the tested variable's name gives the variable. */
function parameterHover(ctx: Ctx, e: ConditionExpression, offset: number, item: Item): HoverResult | undefined {
  const p = e.parameters.find((x) => contains(x.span, offset));
  if (!p) return undefined;
  if (e.type === 'SMS_TaskSequence_VariableConditionExpression' && p.name.toLowerCase() === 'variable' && contains(p.valueSpan, offset) && p.value.trim() !== '' && p.value.length <= 256) {
    return { markdown: variableMarkdown(ctx, p.value.trim(), undefined, { read: item }), span: p.valueSpan };
  }
  const nameSpan = p.attrs.name?.span ?? p.nameSpan;
  const onValue = contains(p.valueSpan, offset);
  if (!onValue && !contains(nameSpan, offset) && !contains(p.nameSpan, offset)) return undefined;
  const type = ctx.catalog.get(e.type);
  const prop = type ? propertyOf(type, p.name) : undefined;
  const lines = [`**${esc(p.name)}** — parameter of the ${esc(type?.displayName ?? e.type)} condition`];
  if (prop?.description) lines.push('', esc(prop.description));
  if (prop?.values) lines.push('', `*Values:* ${prop.values.map(code).join(', ')}`);
  if (!prop) lines.push('', type ? 'This class has no such parameter.' : 'cmts does not know this condition class.');
  lines.push('', `The expression is true when ${nodeWords(e)}.`);
  return { markdown: lines.join('\n'), span: onValue ? p.valueSpan : nameSpan };
}

// ---- content --------------------------------------------------------------------------------

function contentMarkdown(ref: ContentReference, all: readonly ContentReference[], site: LoadedSite | undefined): string {
  const wanted: ContentKind[] | undefined = ref.property?.kinds ?? (ref.kind ? [ref.kind] : undefined);
  const expect = ref.kind ? ` (expected here: ${kindName(ref.kind)})` : '';
  const uses = all.filter((r) => r.id.toLowerCase() === ref.id.toLowerCase() && r.source !== 'action').length;
  const used = uses > 1 ? `\n\nNamed ${uses} times in this sequence.` : '';
  if (!site) return `${code(ref.id)}${expect}\n\nNo site description applies to this file, so cmts cannot say what this is.${used}`;
  const entry = site.lookup(ref.id);
  if (!entry) return `${code(ref.id)}${expect}\n\n**Not in the site description.**${used}`;
  const mismatch = wanted && !fitsKind(entry.kind, wanted) ? `\n\n**Warning:** this place takes ${wantedNoun(wanted)}, not ${wantedNoun([entry.kind])}.` : '';
  return entryMarkdown(entry, site) + mismatch + used;
}
