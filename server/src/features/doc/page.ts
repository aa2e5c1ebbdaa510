// `cmts doc` as data: one page per sequence, built once and then written as Markdown (markdown.ts)
// or HTML (html.ts), so both say the same. Each step and group as an engineer reads it: its number
// in the engine's log (numberOf), its type by display name, condition in hover's words, command
// line, properties (secrets hidden), content with names and kinds from the site description, child
// sequences linked, variables it sets and reads, disabled marks, and the findings at it. Pure.

import type { Catalog } from '../../catalog/types';
import { itemAt } from '../../model/query';
import type { Group, Item, Span, Step, TaskSequenceModel } from '../../model/types';
import type { LoadedSite } from '../../site/types';
import { conditionWords } from '../conditionWords';
import type { NumberOf } from '../diff';
import { contentIds, contentWords, normalizeValue, propertyFacts, stepTypeName, valueWords } from '../itemFacts';
import { code, shorten } from '../markdown';
import { stepVariables, type ItemVariables } from './variables';

export interface DocFinding {
  rule: string;
  severity: string;
  message: string;
  span: Span;
}

export interface DocInput {
  /** The file as the reader should see it named (a path relative to where cmts ran). */
  file: string;
  model: TaskSequenceModel;
  catalog: Catalog;
  site?: LoadedSite;
  numberOf?: NumberOf;
  /** Findings of the checks on this file; each is shown at the innermost step or group holding its span. */
  findings?: readonly DocFinding[];
  /** Variables set and read per step or group; by default what variableUsage's tables say (stepVariables). */
  variables?: ReadonlyMap<Item, ItemVariables>;
  /** Link to the page of a child sequence by its package ID, when it is documented too. */
  childHref?: (packageId: string) => string | undefined;
}

export interface DocContent {
  id: string;
  /** The ID with its name and kind, in inline Markdown. */
  words: string;
  /** The property that names it. */
  via: string;
  href?: string;
}

export interface DocEntry {
  kind: 'step' | 'group';
  /** Anchor in the page: `step-12`, `group-3`. */
  anchor: string;
  number?: number;
  name: string;
  /** Steps: the class by display name. */
  typeName?: string;
  description: string;
  disabled: boolean;
  /** Enabled itself, but a group around it is disabled: the engine skips it all the same. */
  inDisabledGroup: boolean;
  continueOnError: boolean;
  /** "`X` equals `1`" (inline Markdown), undefined without a condition. */
  condition?: string;
  commandLine?: string;
  /** Properties with a value (an empty one says nothing to a reader; the command line is said once), content ones in `content`. */
  properties: { label: string; variable: string; value: string }[];
  content: DocContent[];
  variables: ItemVariables;
  findings: DocFinding[];
  children: DocEntry[];
}

export interface DocPage {
  title: string;
  file: string;
  flavour: TaskSequenceModel['flavour'];
  description?: string;
  /** Boot image in words, when the export names one. */
  bootImage?: string;
  globals: { name: string; value: string }[];
  /** Findings that belong to no step or group (the sequence, the wrapper). */
  findings: DocFinding[];
  entries: DocEntry[];
  steps: number;
  groups: number;
  counts: { errors: number; warnings: number; infos: number };
}

/** The page of one sequence. */
export function docPage(input: DocInput): DocPage {
  const { model, catalog, site } = input;
  const vars = input.variables ?? stepVariables(model, catalog);
  const atItem = new Map<Item, DocFinding[]>();
  const loose: DocFinding[] = [];
  for (const f of input.findings ?? []) {
    const item = itemAt(model, f.span.start);
    if (!item) loose.push(f);
    else atItem.set(item, [...(atItem.get(item) ?? []), f]);
  }
  const groupIndex = new Map<Group, number>(model.groups.map((g, i) => [g, i + 1]));
  const entry = (item: Item): DocEntry => {
    const n = input.numberOf?.(item);
    const base = {
      kind: item.kind,
      anchor: item.kind === 'step' ? `step-${n ?? `at-${item.number}`}` : `group-${groupIndex.get(item)}`,
      ...(n !== undefined ? { number: n } : {}),
      name: item.name,
      description: normalizeValue(item.description),
      disabled: item.disabled,
      inDisabledGroup: !item.disabled && disabledAbove(item),
      continueOnError: item.continueOnError,
      ...(item.condition ? { condition: conditionWords(item.condition.children) ?? 'always (the condition is empty)' } : {}),
      variables: vars.get(item) ?? { sets: [], reads: [] },
      findings: atItem.get(item) ?? [],
    };
    if (item.kind === 'group') return { ...base, properties: [], content: [], children: item.children.map(entry) };
    return { ...base, typeName: stepTypeName(item, catalog), ...stepDetails(item, input), children: [] };
  };
  const w = model.wrapper?.properties;
  const title = normalizeValue(w?.Name?.value ?? model.sequence?.name ?? '') || input.file.replace(/^.*[\\/]/, '');
  const boot = normalizeValue(w?.BootImageID?.value ?? '');
  const description = normalizeValue(w?.Description?.value ?? model.sequence?.description ?? '');
  const all = input.findings ?? [];
  return {
    title,
    file: input.file,
    flavour: model.flavour,
    ...(description ? { description } : {}),
    ...(boot ? { bootImage: contentWords(boot, 'bootImage', site) } : {}),
    globals: (model.sequence?.globalVariables ?? []).map((v) => ({ name: v.name, value: valueWords({ value: normalizeValue(v.value), secret: v.hidden }) })),
    findings: loose,
    entries: (model.sequence?.children ?? []).map(entry),
    steps: model.steps.length,
    groups: model.groups.length,
    counts: {
      errors: all.filter((f) => f.severity === 'error').length,
      warnings: all.filter((f) => f.severity === 'warning').length,
      infos: all.filter((f) => f.severity !== 'error' && f.severity !== 'warning').length,
    },
  };
}

function disabledAbove(item: Item): boolean {
  for (let g = item.parent; g; g = g.parent) if (g.disabled) return true;
  return false;
}

function stepDetails(step: Step, input: DocInput): Pick<DocEntry, 'commandLine' | 'properties' | 'content'> {
  const properties: DocEntry['properties'] = [];
  const content: DocContent[] = [];
  const action = step.action ? normalizeValue(step.action.text) : '';
  for (const p of propertyFacts(step, input.catalog)) {
    const ids = p.content && !p.secret ? contentIds(p.value, p.content) : [];
    if (ids.length) {
      for (const id of ids) {
        const href = p.content === 'taskSequence' ? input.childHref?.(id) : undefined;
        content.push({ id, words: contentWords(id, p.content, input.site), via: p.label, ...(href ? { href } : {}) });
      }
    } else if (p.value !== '' && p.value !== action) properties.push({ label: p.label, variable: p.variable, value: valueWords(p, 200) });
  }
  return { ...(action ? { commandLine: code(shorten(action, 400)) } : {}), properties, content };
}
