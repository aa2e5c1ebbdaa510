// Conditions the engine cannot evaluate: an operator other than and/or/not, an unknown expression
// class, a missing parameter (also conditional ones: a date operator once a date is given, a product
// code for "this version"), a value outside a parameter's list, a WQL query over the editor's limit.
// Case differences are accepted by the engine (Microsoft's templates write "Equals", the console
// itself "notequals") and no documentation calls them wrong, so they are not reported.

import type { Check, CheckContext } from './types';
import type { ConditionExpression, ConditionNode, Span, Variable } from '../model/types';
import type { StepProperty, StepType } from '../catalog/types';
import { editDistance, isRequired } from '../catalog';

const OPERATORS = ['and', 'or', 'not'];
/** The editor's limit on a WMI query (SMS_TaskSequence_WMIConditionExpression.Query). */
const MAX_QUERY = 16384;

export const check: Check = {
  id: 'invalid-condition',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A condition uses an unknown operator, expression type or parameter value, or misses a parameter its class needs.',
    why: 'Conditions are stored as a tree of `operator` elements (and, or, not: the editor\'s "All", "Any", "None") over `expression` elements of a known class (task sequence variable, WMI query, file, folder, registry, installed software, OS version). The engine rejects a class it does not know, and an expression without its parameters, such as a variable test with no operator or a registry test with no key, fails when the step is reached. Some parameters are needed only with others: a file or folder date needs its date operator, a file version its version operator, an installed-software test its product code ("this version") or upgrade code ("any version"), a comparison its value. Operators come from a fixed list per class (variable tests: exists, notExists, equals, notEquals, less, lessEqual, greater, greaterEqual), registry types from the REG_ types, and a WMI query may be at most 16,384 characters long.',
    example: '<condition>\n  <expression type="SMS_TaskSequence_VariableConditionExpression">\n    <variable name="Variable">_SMSTSInWinPE</variable>\n    <variable name="Operator">same</variable>\n    <variable name="Value">true</variable>\n  </expression>\n</condition>',
    fix: 'Use one of the listed operators, classes and values, and give every parameter the class needs; the easiest way is to rebuild the condition in the task sequence editor and export again. Operators and values written in another case (Equals, notequals) work and are not reported.',
    links: [
      'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-editor#bkmk_conditions',
      'https://learn.microsoft.com/en-us/mem/configmgr/develop/reference/osd/sms_tasksequence_variableconditionexpression-server-wmi-class',
    ],
    facts: ['OSD-TS-005'],
  },
  sequence(ctx) {
    for (const item of [...ctx.model.groups, ...ctx.model.steps]) {
      if (item.condition) visit(ctx, item.condition.children);
    }
  },
};

function visit(ctx: CheckContext, nodes: ConditionNode[]): void {
  const stack = [...nodes];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'operator') {
      stack.push(...n.children);
      const t = n.attrs.type;
      const canonical = OPERATORS.find((o) => o === n.type.toLowerCase());
      if (!t) ctx.report({ message: 'This condition operator has no type; it must be and, or, or not.', span: n.nameSpan });
      else if (!canonical) ctx.report({ message: `Unknown condition operator "${n.type}": use and (all of), or (any of), or not (none of).`, span: t.span });
      // An operator with nothing under it is not reported: the console writes them (Microsoft's
      // own BitLocker sample has two) and the engine accepts them.
      continue;
    }
    expression(ctx, n);
  }
}

const LOWER = new Map<string, string>();
/** A property name in lower case (the catalogue's names, a few dozen: kept). */
function lowerName(name: string): string {
  let l = LOWER.get(name);
  if (l === undefined) LOWER.set(name, (l = name.toLowerCase()));
  return l;
}

const KNOWN = new WeakMap<StepType, ReadonlySet<string>>();
/** A condition class's parameter names in lower case, once per class. */
function knownNames(cls: StepType): ReadonlySet<string> {
  let k = KNOWN.get(cls);
  if (!k) KNOWN.set(cls, (k = new Set(cls.properties.map((p) => lowerName(p.name)))));
  return k;
}

function expression(ctx: CheckContext, ex: ConditionExpression): void {
  const t = ex.attrs.type;
  if (!t || ex.type === '') {
    ctx.report({ message: 'This condition expression has no type.', span: ex.nameSpan });
    return;
  }
  const cls = ctx.catalog.get(ex.type);
  if (!cls || cls.kind !== 'condition') {
    const near = ctx.catalog.find(ex.type);
    const hint = near && near.kind === 'condition' ? ` Class names are case-sensitive: did you mean "${near.type}"?` : '';
    ctx.report({ message: `Unknown condition expression type "${ex.type}".${hint}`, span: t.span });
    return;
  }
  // The parameters by name without regard to case, the first of each name (asked several times per
  // property: one map per expression, the class's names lowered once).
  const byName = new Map<string, Variable>();
  for (const v of ex.parameters) {
    const k = v.name.toLowerCase();
    if (!byName.has(k)) byName.set(k, v);
  }
  const param = (name: string): Variable | undefined => byName.get(lowerName(name));
  const read = { valueOf: (name: string) => param(name)?.value.trim() ?? '' };
  const known = knownNames(cls);
  const strangers = ex.parameters.filter((v) => !known.has(v.name.toLowerCase()));
  for (const p of cls.properties) {
    if (isRequired(p, read) !== true) continue;
    const v = param(p.name);
    if (!v) {
      const typo = strangers.find((s) => editDistance(s.name.toLowerCase(), p.name.toLowerCase()) <= 2);
      const hint = typo ? `; is "${typo.name}" a misspelling of it?` : '';
      ctx.report({ message: `${cls.displayName} condition has no ${p.name} parameter${p.description ? ` (${lower(p.description)})` : ''}${hint}.`, span: typo ? typo.nameSpan : ex.nameSpan });
    } else if (v.value.trim() === '' && (p.required === true || p.values)) {
      // A comparison value may legitimately be empty ("equals nothing"); a name, path or operator may not.
      ctx.report({ message: `${cls.displayName} condition has an empty ${p.name}.`, span: v.nameSpan });
    }
  }
  for (const p of cls.properties) {
    const v = param(p.name);
    if (v) checkValue(ctx, cls.displayName, p, v);
  }
  const query = cls.type === 'SMS_TaskSequence_WMIConditionExpression' ? param('Query') : undefined;
  if (query && query.value.length > MAX_QUERY) {
    ctx.report({ message: `This WMI query is ${query.value.length} characters long; the editor accepts at most ${MAX_QUERY}.`, span: query.nameSpan });
  }
}

/** A value outside the parameter's list is an error; the same value in another case is accepted. */
function checkValue(ctx: CheckContext, cls: string, p: StepProperty, v: Variable): void {
  const written = v.value.trim();
  if (!p.values || written === '') return;
  const canonical = p.values.find((x) => x.toLowerCase() === written.toLowerCase());
  const span: Span = v.valueSpan.end > v.valueSpan.start ? v.valueSpan : v.nameSpan;
  if (!canonical) {
    const what = p.name === 'Operator' ? 'operator' : `${p.name} value`;
    ctx.report({ message: `Unknown ${what} "${written}" for a ${cls} condition: use one of ${p.values.join(', ')}.`, span });
  }
}

function lower(s: string): string {
  const t = s.replace(/\.$/, '');
  return /^[A-Z][A-Z]/.test(t) ? t : t.charAt(0).toLowerCase() + t.slice(1);
}
