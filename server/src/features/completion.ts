// Completion: what may be written where the cursor is. Step classes in `type="…"` of a step, whole
// console-shaped step snippets between the items of a group or the sequence, variable names valid
// for the place (a step's property variables, an expression's parameters, built-ins and the
// variables this sequence sets), content IDs from the site description of the kind the place
// takes, condition operators and expression classes, parameter values, runIn values. Pure: text +
// model + offset in, neutral items out (lsp/convert.ts builds CompletionItems).

import type { Catalog, ContentKind, StepProperty, StepType } from '../catalog/types';
import { BUILTIN_VARIABLES, propertyOf } from '../catalog';
import type { Span } from '../model/types';
import type { LoadedSite } from '../site/types';
import { fitsKind } from '../semantics/siteFacts';
import { entryMarkdown, kindName } from './contentDocs';
import { code, esc } from './markdown';
import { conditionClasses, stepTypeDocs } from './stepDocs';
import { stepSnippets, groupSnippet, conditionSnippets } from './snippets';
import { variablesInSequence } from './variableUsage';
import { xmlContextAt, type OpenElement, type XmlContext } from './xmlContext';
import type { CompletionInput, CompletionItem } from './completionTypes';

export type { CompletionInput, CompletionItem, CompletionKind } from './completionTypes';

const RUN_IN = [
  { value: 'WinPE', doc: 'Only in Windows PE (the boot image).' },
  { value: 'FullOS', doc: 'Only in the installed operating system.' },
  { value: 'WinPEandFullOS', doc: 'In either environment.' },
];

const OPERATORS = [
  { value: 'and', doc: 'True when **all** the conditions inside are true (the editor\'s "All conditions").' },
  { value: 'or', doc: 'True when **any** condition inside is true ("Any condition").' },
  { value: 'not', doc: 'True when **none** of the conditions inside is true ("None").' },
];

/** The completions at `offset`; [] where cmts has nothing to offer. */
export function completionsAt(input: CompletionInput): CompletionItem[] {
  const { text, offset } = input;
  const ctx = xmlContextAt(text, offset, input.resume);
  if (ctx.kind === 'none') return [];
  if (ctx.kind === 'attrValue' || ctx.kind === 'text') {
    const pct = percentPrefix(text, ctx.value.start, offset);
    if (pct) return variableItems(input, pct, true);
  }
  switch (ctx.kind) {
    case 'attrValue':
      return attrValueItems(input, ctx);
    case 'text':
      return textItems(input, ctx);
    case 'tagName':
      return tagItems(input, ctx);
  }
}

// ---- attribute values -----------------------------------------------------------------------

function attrValueItems(input: CompletionInput, ctx: Extract<XmlContext, { kind: 'attrValue' }>): CompletionItem[] {
  const el = ctx.element.name;
  const span = ctx.value;
  const parent = ctx.parents[ctx.parents.length - 1];
  if ((el === 'step' || el === 'subtasksequence') && ctx.attr === 'type') return stepTypeItems(input.catalog, span);
  if (el === 'step' && ctx.attr === 'runIn') {
    const type = ctx.element.attrs.type ? input.catalog.get(ctx.element.attrs.type) : undefined;
    return RUN_IN.map((r, i) => ({
      label: r.value, kind: 'value', insertText: r.value, replaceSpan: span, documentation: r.doc,
      ...(type?.runIn === r.value ? { detail: `what the console writes for ${type.displayName}`, preselect: true, sortText: '0' } : { sortText: String(i + 1) }),
    }));
  }
  if (el === 'operator' && ctx.attr === 'type') return OPERATORS.map((o) => ({ label: o.value, kind: 'keyword', insertText: o.value, replaceSpan: span, documentation: o.doc }));
  if (el === 'expression' && ctx.attr === 'type') {
    return conditionClasses(input.catalog).map((t) => ({ label: t.type, kind: 'class', detail: t.displayName, insertText: t.type, replaceSpan: span, documentation: stepTypeDocs(t), filterText: `${t.type} ${t.displayName}` }));
  }
  if (el === 'variable' && ctx.attr === 'name' && parent) return variableNameItems(input, ctx.parents, span);
  if (el === 'variable' && ctx.attr === 'property' && parent?.name === 'defaultVarList') {
    const type = stepTypeOf(input.catalog, ctx.parents);
    return (type?.properties ?? []).filter((p) => !p.name.includes('<N>') && !p.type.endsWith('[]')).map((p) => ({
      label: p.name, kind: 'property', detail: p.variable ? `variable ${p.variable}` : undefined, insertText: p.name, replaceSpan: span, documentation: propertyDoc(p),
    }));
  }
  if (el === 'reference' && (ctx.attr === 'package' || ctx.attr === 'application')) {
    const wanted: ContentKind[] = ctx.attr === 'application' ? ['application'] : ['package', 'driverPackage', 'osImage', 'osInstaller', 'bootImage'];
    return contentItems(input.site, wanted, span);
  }
  return [];
}

function stepTypeItems(catalog: Catalog, span: Span): CompletionItem[] {
  return catalog.actions().map((t, i) => ({
    label: t.type,
    kind: 'class',
    detail: `${t.displayName}${t.removed ? ` (removed in ${t.removed})` : ''}`,
    documentation: stepTypeDocs(t),
    insertText: t.type,
    replaceSpan: span,
    // Display-name order, removed classes last; the filter also matches on the display name.
    sortText: `${t.removed ? 'z' : 'a'}${String(i).padStart(3, '0')}`,
    filterText: `${t.type} ${t.displayName}`,
  }));
}

/** Variable names for `<variable name="…">`: the step's properties, the expression's parameters, or any variable in globalVarList. */
function variableNameItems(input: CompletionInput, parents: OpenElement[], span: Span): CompletionItem[] {
  const parent = parents[parents.length - 1];
  if (parent.name === 'defaultVarList') {
    const type = stepTypeOf(input.catalog, parents);
    if (!type) return [];
    return type.properties
      .filter((p) => p.variable && !p.variable.includes('<N>') && !p.type.endsWith('[]'))
      .map((p) => ({
        label: p.variable!, kind: 'property', detail: `${p.name} — ${p.required === true ? 'required' : typeof p.required === 'string' ? `required ${p.required}` : 'optional'}`,
        documentation: propertyDoc(p), insertText: p.variable!, replaceSpan: span, sortText: `${p.required === false ? 'b' : 'a'}${p.variable}`,
      }));
  }
  if (parent.name === 'expression') {
    const type = parent.attrs.type ? input.catalog.get(parent.attrs.type) : undefined;
    return (type?.properties ?? []).filter((p) => p.variable).map((p) => ({
      label: p.variable!, kind: 'property', detail: `parameter of ${type!.displayName}`, documentation: propertyDoc(p), insertText: p.variable!, replaceSpan: span,
    }));
  }
  if (parent.name === 'globalVarList') return variableItems(input, { span, closing: false }, false);
  return [];
}

// ---- text content ---------------------------------------------------------------------------

function textItems(input: CompletionInput, ctx: Extract<XmlContext, { kind: 'text' }>): CompletionItem[] {
  const { text, offset } = input;
  const parents = ctx.parents;
  const here = parents[parents.length - 1];
  if (!here) return [];
  const between = text.slice(ctx.value.start, ctx.value.end).trim() === '';
  if (here.name === 'group' || here.name === 'sequence') {
    if (!between) return [];
    return [...stepSnippets(input, { start: offset, end: offset }, false), groupSnippet(input, { start: offset, end: offset }, false)];
  }
  if (here.name === 'condition' || here.name === 'operator') return between ? conditionSnippets(input, { start: offset, end: offset }, false) : [];
  if (here.name === 'BootImageID' || (here.name === 'VALUE' && /^BootImageID$/i.test(parents[parents.length - 2]?.attrs.NAME ?? ''))) {
    return contentItems(input.site, ['bootImage'], tokenSpan(text, ctx.value, offset, false));
  }
  if (here.name !== 'variable') return [];
  const name = here.attrs.name ?? '';
  const owner = parents[parents.length - 2];
  if (owner?.name === 'defaultVarList') {
    const type = stepTypeOf(input.catalog, parents.slice(0, -1));
    const prop = type ? (propertyOf(type, name) ?? (here.attrs.property ? propertyOf(type, here.attrs.property) : undefined)) : undefined;
    if (!prop) return [];
    return propertyValueItems(input, prop, tokenSpan(text, ctx.value, offset, prop.list === true));
  }
  if (owner?.name === 'expression') {
    const type = owner.attrs.type ? input.catalog.get(owner.attrs.type) : undefined;
    const span = tokenSpan(text, ctx.value, offset, false);
    if (type?.type === 'SMS_TaskSequence_VariableConditionExpression' && name.toLowerCase() === 'variable') return variableItems(input, { span, closing: false }, false);
    const prop = type ? propertyOf(type, name) : undefined;
    return prop ? propertyValueItems(input, prop, span) : [];
  }
  return [];
}

/** Values for a step property or condition parameter: content IDs of the kinds it takes, its enumerated values, true/false. */
function propertyValueItems(input: CompletionInput, prop: StepProperty, span: Span): CompletionItem[] {
  if (prop.references) return contentItems(input.site, prop.kinds ?? [prop.references], span);
  const values = prop.values ?? (prop.type === 'Boolean' ? ['true', 'false'] : []);
  return values.map((v, i) => ({
    label: v, kind: 'value', insertText: v, replaceSpan: span, sortText: String(i).padStart(2, '0'),
    ...(prop.default !== undefined && prop.default.toLowerCase() === v.toLowerCase() ? { detail: 'default', preselect: true } : {}),
  }));
}

/** The word under the cursor inside a text run: for lists, only the entry between separators. */
function tokenSpan(text: string, run: Span, offset: number, list: boolean): Span {
  const sep = list ? /[\s,;]/ : /\s/;
  let a = offset;
  while (a > run.start && !sep.test(text[a - 1])) a--;
  let b = offset;
  while (b < run.end && !sep.test(text[b])) b++;
  return { start: a, end: b };
}

// ---- after `<` ------------------------------------------------------------------------------

function tagItems(input: CompletionInput, ctx: Extract<XmlContext, { kind: 'tagName' }>): CompletionItem[] {
  const here = ctx.parents[ctx.parents.length - 1];
  if (!here) return [];
  if (here.name === 'group' || here.name === 'sequence') return [...stepSnippets(input, ctx.span, true), groupSnippet(input, ctx.span, true)];
  if (here.name === 'condition' || here.name === 'operator') return conditionSnippets(input, ctx.span, true);
  return [];
}

// ---- shared ---------------------------------------------------------------------------------

/** The step class of the step around a defaultVarList (the last step or subtasksequence in `parents`). */
function stepTypeOf(catalog: Catalog, parents: OpenElement[]): StepType | undefined {
  for (let i = parents.length - 1; i >= 0; i--) {
    const p = parents[i];
    if (p.name === 'step' || p.name === 'subtasksequence') return p.attrs.type ? catalog.get(p.attrs.type) : undefined;
  }
  return undefined;
}

function propertyDoc(p: StepProperty): string {
  const lines = [`**${esc(p.name)}**${p.variable ? ` — ${code(p.variable)}` : ''} (${esc(p.type)})`];
  if (p.description) lines.push('', esc(p.description));
  if (p.values) lines.push('', `*Values:* ${p.values.map(code).join(', ')}`);
  if (p.default !== undefined) lines.push('', `*Default:* ${code(p.default)}`);
  if (p.references) lines.push('', `*Names:* ${esc(kindName(p.references))}${p.list ? ' (a comma-separated list)' : ''}`);
  if (p.hidden) lines.push('', 'The console writes it with hidden="true".');
  return lines.join('\n');
}

/** Above this many IDs the items go without documentation, so a large site's list stays small on the wire. */
const DOCUMENTED_IDS = 300;

/** Content IDs of the site description that fit `wanted`, with their names as label details. */
function contentItems(site: LoadedSite | undefined, wanted: readonly ContentKind[], span: Span): CompletionItem[] {
  if (!site) return [];
  const entries = site.entries().filter((e) => fitsKind(e.kind, wanted));
  const documented = entries.length <= DOCUMENTED_IDS;
  return entries
    .map((e) => ({
      label: e.id,
      kind: 'reference' as const,
      ...(e.name !== undefined ? { labelDetail: ` ${e.name}` } : {}),
      detail: `${kindName(e.kind)}${e.collection !== 'taskSequences' && !site.isDistributed(e) ? ', not distributed' : ''}`,
      ...(documented ? { documentation: entryMarkdown(e, site) } : {}),
      insertText: e.id,
      replaceSpan: span,
      filterText: `${e.id} ${e.name ?? ''}`,
      sortText: (e.name ?? e.id).toLowerCase(),
    }));
}

interface PercentPrefix {
  /** From just after the opening `%` to the end of the name (and its closing `%`, when written). */
  span: Span;
  /** A closing `%` is already there: insert the name alone. */
  closing: boolean;
}

/** Inside `%Name…` (an odd number of `%` between the start of the value and the cursor). */
function percentPrefix(text: string, start: number, offset: number): PercentPrefix | undefined {
  const before = text.slice(start, offset);
  const count = (before.match(/%/g) ?? []).length;
  if (count % 2 === 0) return undefined;
  const open = start + before.lastIndexOf('%');
  if (/[\s"<>]/.test(text.slice(open + 1, offset))) return undefined;
  let end = offset;
  while (end < text.length && /[\w.-]/.test(text[end])) end++;
  return { span: { start: open + 1, end }, closing: text[end] === '%' };
}

/** Variable names: built-ins (read-only ones marked) and the variables this sequence sets or carries. */
function variableItems(input: CompletionInput, at: PercentPrefix, percent: boolean): CompletionItem[] {
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  const close = percent && !at.closing ? '%' : '';
  for (const v of variablesInSequence(input.model, input.catalog)) {
    seen.add(v.name.toLowerCase());
    out.push({ label: v.name, kind: 'variable', detail: `in this sequence: ${v.how}`, insertText: v.name + close, replaceSpan: at.span, sortText: `a${v.name.toLowerCase()}` });
  }
  for (const b of BUILTIN_VARIABLES) {
    if (seen.has(b.name.toLowerCase())) continue;
    out.push({
      label: b.name, kind: 'variable', detail: b.readOnly ? 'read-only built-in' : 'built-in',
      documentation: esc(b.description), insertText: b.name + close, replaceSpan: at.span, sortText: `b${b.name.toLowerCase()}`,
    });
  }
  return out;
}
