// Whole-element snippets for completion, shaped like console exports: a step with its attributes in
// the console's order (copied from how this document writes its steps, see fixes/templates.ts
// docStyle), its command line and the catalogue's variables with their `property` and `hidden`
// flags; a group; condition operators and expressions with their parameters. Tab stops: the name
// first, then each value; the content ID in the command line mirrors the property's tab stop.

import type { StepProperty, StepType } from '../catalog/types';
import { isRequired } from '../catalog';
import { fitsKind } from '../semantics/siteFacts';
import { isLiteTouch } from '../semantics/stepInfo';
import type { Span } from '../model/types';
import { docStyle, type DocStyle } from '../edits/templates';
import { escapeXml, indentUnit } from '../edits/text';
import type { CompletionInput, CompletionItem } from './completionTypes';
import { conditionClasses, isSecret, stepTypeDocs } from './stepDocs';

/** Escapes literal snippet text ($, } and \ are syntax). */
export function snippetText(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function choiceText(s: string): string {
  return s.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}

/** A snippet with its syntax removed, for clients without snippet support: placeholders keep their default text, choices their first option. */
export function snippetToPlain(s: string): string {
  let i = 0;
  const read = (inPlaceholder: boolean): string => {
    let out = '';
    while (i < s.length) {
      const c = s[i];
      if (c === '\\' && i + 1 < s.length) {
        out += s[i + 1];
        i += 2;
      } else if (inPlaceholder && c === '}') {
        i++;
        return out;
      } else if (c === '$' && /^\$\d/.test(s.slice(i, i + 2))) {
        i++;
        while (/\d/.test(s[i] ?? '')) i++;
      } else if (c === '$' && /^\$\{\d+[:|}]/.test(s.slice(i, i + 16))) {
        i += 2;
        while (/\d/.test(s[i])) i++;
        const kind = s[i++];
        if (kind === ':') out += read(true);
        else if (kind === '|') out += readChoice();
      } else {
        out += c;
        i++;
      }
    }
    return out;
  };
  const readChoice = (): string => {
    const options: string[] = [];
    let cur = '';
    while (i < s.length) {
      const d = s[i];
      if (d === '\\' && i + 1 < s.length) {
        cur += s[i + 1];
        i += 2;
      } else if (d === ',') {
        options.push(cur);
        cur = '';
        i++;
      } else if (d === '|' && s[i + 1] === '}') {
        i += 2;
        break;
      } else {
        cur += d;
        i++;
      }
    }
    options.push(cur);
    return options[0];
  };
  return read(false);
}

/**
 * Properties a new step carries, as the console writes them: required ones (conditions read against
 * what is already chosen, so Apply OS gets an image and not also an upgrade package) and optional
 * ones with a default. Secrets, indexed families and arrays are left for the user.
 */
function snippetProperties(type: StepType, liteTouch: boolean): StepProperty[] {
  const chosen = new Set<string>();
  const ctx = { valueOf: (name: string) => (chosen.has(name) ? 'x' : undefined), mdtLiteTouch: liteTouch };
  const candidates = type.properties.filter((p) =>
    p.variable !== undefined && !p.variable.includes('<N>') && !p.type.endsWith('[]') && !isSecret(p) &&
    (liteTouch || type.mdt || !/^MDT Lite Touch only/.test(p.description ?? '')));
  // Conditions name other properties in any order: settle them in a few passes, then keep catalogue order.
  for (let pass = 0; pass < 3; pass++) {
    for (const p of candidates) {
      if (chosen.has(p.name)) continue;
      const required = isRequired(p, ctx);
      const keep = p.required === false ? p.default !== undefined : required === true || (required === undefined && p.default !== undefined);
      if (keep && !(typeof p.required === 'string' && /is not set$/.test(p.required) && pass === 0 && p !== firstAlternative(candidates, p))) chosen.add(p.name);
    }
  }
  return candidates.filter((p) => chosen.has(p.name));
}

/** Of properties required "when the other is not set" (an image or an upgrade package), the first one written. */
function firstAlternative(candidates: readonly StepProperty[], p: StepProperty): StepProperty {
  return candidates.find((c) => typeof c.required === 'string' && /is not set$/.test(c.required)) ?? p;
}

const WIDE_SUCCESS = new Set(['SMS_TaskSequence_RunCommandLineAction', 'SMS_TaskSequence_RunPowerShellScriptAction']);
const RETRIES = new Set(['SMS_TaskSequence_InstallApplicationAction', 'SMS_TaskSequence_InstallUpdateAction']);

function stepSnippet(type: StepType, style: DocStyle, unit: string, input: CompletionInput, liteTouch: boolean): string {
  let tab = 1;
  const q = style.quote;
  const attr = (name: string, value: string): string => ` ${name}=${q}${snippetText(escapeXml(value))}${q}`;
  const element = type.type === 'SMS_TaskSequence_SubTasksequence' ? 'subtasksequence' : 'step';
  let open = `<${element}${attr('type', type.type)} name=${q}\${${tab++}:${snippetText(escapeXml(type.displayName))}}${q}`;
  if (style.optional.description) open += attr('description', '');
  if (style.optional.disable) open += attr('disable', 'false');
  if (style.optional.continueOnError) open += attr('continueOnError', 'false');
  if (element === 'step') open += attr('runIn', type.runIn);
  if (style.optional.successCodeList) open += attr('successCodeList', liteTouch || WIDE_SUCCESS.has(type.type) ? '0 3010' : '0');
  if (style.optional.retryCount) open += attr('retryCount', RETRIES.has(type.type) ? '2' : '0');
  if (style.optional.runFromNet) open += attr('runFromNet', 'false');
  open += '>';

  const stops = new Map<string, number>();
  const vars: string[] = [];
  for (const p of snippetProperties(type, liteTouch)) {
    const n = tab++;
    stops.set(p.name, n);
    vars.push(`${unit}${unit}<variable${attr('name', p.variable!)}${attr('property', p.name)}${p.hidden ? attr('hidden', 'true') : ''}>${valueStop(n, p, input)}</variable>`);
  }
  const firstRef = type.properties.find((p) => p.references && stops.has(p.name));
  const alias: Record<string, string | undefined> = { id: firstRef?.name, name: 'VariableName', value: 'VariableValue', command: 'CommandLine' };
  const actionText = (type.action ?? '').replace(/<ID>(?:,<ID>\.\.\.)?|<(\w+)>|([^<]+)/g, (m: string, token: string | undefined, plain: string | undefined) => {
    if (plain !== undefined) return snippetText(escapeXml(plain));
    const prop = alias[(token ?? 'id').toLowerCase()];
    const n = prop ? stops.get(prop) : undefined;
    return n !== undefined ? `\${${n}}` : `\${${tab++}:${snippetText(token ?? m)}}`;
  });
  const action = `${unit}<action>${actionText}</action>`;
  const list = vars.length ? [`${unit}<defaultVarList>`, ...vars, `${unit}</defaultVarList>`].join('\n') : `${unit}${style.emptyVarList}`;
  const body = style.varListFirst ? [list, action] : [action, list];
  return [open, ...body, `</${element}>$0`].join('\n');
}

/** A value's tab stop: a choice of the allowed values, the default, or the site's only candidate for a content slot. */
function valueStop(n: number, p: StepProperty, input: CompletionInput): string {
  if (p.values?.length) {
    const first = p.default !== undefined ? p.values.find((v) => v.toLowerCase() === p.default!.toLowerCase()) : undefined;
    const ordered = first ? [first, ...p.values.filter((v) => v !== first)] : p.values;
    return `\${${n}|${ordered.map(choiceText).join(',')}|}`;
  }
  if (p.references && input.site) {
    const fits = input.site.entries().filter((e) => fitsKind(e.kind, p.kinds ?? [p.references!]));
    if (fits.length === 1) return `\${${n}:${snippetText(fits[0].id)}}`;
  }
  return p.default !== undefined ? `\${${n}:${snippetText(escapeXml(p.default))}}` : `\${${n}}`;
}

function layout(input: CompletionInput): { style: DocStyle; unit: string; liteTouch: boolean } {
  return { style: docStyle(input.text, input.model), unit: indentUnit(input.text, input.offset), liteTouch: isLiteTouch(input.model) };
}

/** One snippet per step class, in display-name order; `afterLt`: the `<` is already typed and inside `span`. */
export function stepSnippets(input: CompletionInput, span: Span, afterLt: boolean): CompletionItem[] {
  const { style, unit, liteTouch } = layout(input);
  return input.catalog.actions().filter((t) => !t.removed).map((t, i) => {
    const element = t.type === 'SMS_TaskSequence_SubTasksequence' ? 'subtasksequence' : 'step';
    return {
      label: t.displayName,
      labelDetail: ` ${t.category}`,
      kind: 'snippet' as const,
      detail: `${element} ${t.type}`,
      documentation: stepTypeDocs(t),
      insertText: stepSnippet(t, style, unit, input, liteTouch),
      isSnippet: true,
      replaceSpan: span,
      sortText: `b${String(i).padStart(3, '0')}`,
      filterText: afterLt ? `<${element} ${t.displayName}` : t.displayName,
    };
  });
}

export function groupSnippet(input: CompletionInput, span: Span, afterLt: boolean): CompletionItem {
  const { style, unit } = layout(input);
  const q = style.quote;
  return {
    label: 'Group',
    kind: 'snippet',
    detail: 'group',
    documentation: 'A new group: its condition and options cover the steps inside.',
    insertText: `<group name=${q}\${1:New Group}${q}${style.optional.description ? ` description=${q}${q}` : ''}>\n${unit}$0\n</group>`,
    isSnippet: true,
    replaceSpan: span,
    sortText: 'a',
    filterText: afterLt ? '<group' : 'Group',
  };
}

/** Operators and one expression per condition class, with the class's parameters. */
export function conditionSnippets(input: CompletionInput, span: Span, afterLt: boolean): CompletionItem[] {
  const { style, unit } = layout(input);
  const q = style.quote;
  const out: CompletionItem[] = [{
    label: 'operator', kind: 'snippet', detail: 'and / or / not', documentation: 'Combines the conditions inside it: and (all), or (any), not (none).',
    insertText: `<operator type=${q}\${1|and,or,not|}${q}>\n${unit}$0\n</operator>`, isSnippet: true, replaceSpan: span, sortText: 'a', filterText: afterLt ? '<operator' : 'operator',
  }];
  for (const t of conditionClasses(input.catalog)) {
    let tab = 1;
    const params = t.properties.filter((p) => p.variable).map((p) => `${unit}<variable name=${q}${p.variable}${q}>${valueStop(tab++, p, input)}</variable>`);
    out.push({
      label: `${t.displayName} condition`, kind: 'snippet', detail: `expression ${t.type}`, documentation: stepTypeDocs(t),
      insertText: [`<expression type=${q}${t.type}${q}>`, ...params, '</expression>$0'].join('\n'),
      isSnippet: true, replaceSpan: span, sortText: `b${t.displayName}`, filterText: afterLt ? `<expression ${t.displayName}` : t.displayName,
    });
  }
  return out;
}
