// What a step or group says, as comparable and printable facts, shared by `cmts diff` and
// `cmts doc` so that both name a step type, a property, a secret and a piece of content the same
// way: display names from the catalog, values with layout taken out, secrets hidden as hover hides
// them, content IDs with the name and kind the site description gives them.

import type { Catalog, ContentKind, StepProperty } from '../catalog/types';
import { propertyOf } from '../catalog';
import type { Item, Step, Variable } from '../model/types';
import type { LoadedSite } from '../site/types';
import { kindName } from './contentDocs';
import { code, esc, shorten } from './markdown';
import { isSecret } from './stepDocs';

/**
 * A value with its layout taken out: line breaks as XML reads them (CRLF and CR are LF), blanks
 * around line breaks and at both ends dropped. Re-indenting a file or saving it with other line
 * endings changes none of these; anything else the engine would see does.
 */
export function normalizeValue(v: string): string {
  return v.replace(/\r\n?/g, '\n').replace(/[ \t]*\n[ \t]*/g, '\n').trim();
}

/** The step's class as an engineer knows it: the console's display name, or what it is. */
export function stepTypeName(step: Step, catalog: Catalog): string {
  if (step.element === 'subtasksequence' && !step.type) return 'Run Task Sequence';
  if (!step.type) return 'Command line (MDT)';
  return catalog.get(step.type)?.displayName ?? step.type;
}

/** One `<variable>` of a step, named by the catalog property it carries. */
export interface PropertyFact {
  /** Lower-cased variable name: the key two versions of a step are compared by. */
  key: string;
  /** The catalog's property name, or the variable's own name when the class does not list it. */
  label: string;
  variable: string;
  /** The value with its layout taken out (normalizeValue). */
  value: string;
  /** A secret (password, PIN) or a value the step is told not to show: never printed. */
  secret: boolean;
  /** The kind of content the value names, when the property names content. */
  content?: ContentKind;
  property?: StepProperty;
}

/** The step's properties in the order written. */
export function propertyFacts(step: Step, catalog: Catalog): PropertyFact[] {
  const type = step.type ? catalog.get(step.type) : undefined;
  const hideValue = type && step.variables.some((v) => type.properties.find((p) => p.name === 'DoNotShowVariableValue' && propertyOf(type, v.name) === p) && v.value.trim().toLowerCase() === 'true');
  return step.variables.map((v: Variable) => {
    const prop = type ? propertyOf(type, v.name) : undefined;
    const secret = isSecret(prop) || (!!hideValue && prop?.name === 'VariableValue');
    // An indexed family (Partitions<N>Size) is named by the variable, which says which one.
    const label = prop && !prop.name.includes('<N>') ? prop.name : v.name;
    return { key: v.name.toLowerCase(), label, variable: v.name, value: normalizeValue(v.value), secret, ...(prop?.references ? { content: prop.references } : {}), ...(prop ? { property: prop } : {}) };
  });
}

/** A property value in words (inline markdown): a code span, "(empty)", or "(hidden)" for secrets. */
export function valueWords(f: Pick<PropertyFact, 'value' | 'secret'>, max = 120): string {
  if (f.value === '') return '(empty)';
  return f.secret ? '(hidden)' : code(shorten(f.value, max));
}

/** IDs in a content property value: one ID or a list (commas, semicolons, blanks); none when it holds a %variable%. */
export function contentIds(value: string, kind: ContentKind): string[] {
  if (value.includes('%')) return [];
  return value.split(kind === 'application' ? /[\s,;]+/ : /[\s,;:]+/).filter((x) => x !== '');
}

/** A content ID in words: `` `CEN00006` Office 2016 (package) ``, with what the site description says. */
export function contentWords(id: string, kind: ContentKind | undefined, site: LoadedSite | undefined): string {
  const entry = site?.lookup(id);
  if (entry) return `${code(id)} ${entry.name ? `${esc(entry.name)} ` : ''}(${kindName(entry.kind)})`;
  const what = kind ? kindName(kind) : undefined;
  if (!site) return what ? `${code(id)} (${what})` : code(id);
  return `${code(id)} (${what ? `${what}, ` : ''}not in the site description)`;
}

/** The groups around an item, from the outside in. */
export function groupPath(item: Item): string[] {
  const out: string[] = [];
  for (let g = item.parent; g; g = g.parent) out.push(g.name);
  return out.reverse();
}

/**
 * Attributes of a step or group other than those the model reads into fields (name, type,
 * description, disable, continueOnError): runIn, timeout, retry and MDT's own settings, as written.
 * MDT's `expand` on groups is left out: by its name it keeps whether the Deployment Workbench
 * editor shows the group open (the documentation is silent), which no deployment reads.
 */
export function optionFacts(item: Item): { name: string; value: string }[] {
  const skip = new Set(['name', 'type', 'description', 'disable', 'continueOnError', 'expand']);
  return Object.entries(item.attrs)
    .filter(([n]) => !skip.has(n))
    .map(([name, a]) => ({ name, value: normalizeValue(a.value) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
