// Conditions the engine cannot evaluate: an operator other than and/or/not, an expression class
// it does not know, a missing parameter, or a comparison operator outside the class's list.
// Case differences in operators are accepted by the engine (Microsoft's own templates write
// "Equals"), so they are only noted, with a fix that writes them as the console does.

import type { Rule, RuleContext } from './types';
import type { ConditionExpression, ConditionNode } from '../model/types';
import type { StepProperty } from '../catalog/types';

const OPERATORS = ['and', 'or', 'not'];

export const invalidCondition: Rule = {
  id: 'invalid-condition',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: 'A condition uses an unknown operator or expression type, or misses a parameter.',
    why: 'Conditions are stored as a tree of `operator` elements (and, or, not: the editor\'s "All", "Any", "None") over `expression` elements of a known class (task sequence variable, WMI query, file, folder, registry, installed software, OS version). The engine rejects a class it does not know, and an expression without its parameters, such as a variable test with no operator or a registry test with no key, fails when the step is reached. Variable tests accept exists, notExists, equals, notEquals, less, lessEqual, greater and greaterEqual.',
    example: '<condition>\n  <expression type="SMS_TaskSequence_VariableConditionExpression">\n    <variable name="Variable">_SMSTSInWinPE</variable>\n    <variable name="Operator">same</variable>\n    <variable name="Value">true</variable>\n  </expression>\n</condition>',
    fix: 'Use one of the listed operators and expression classes and give every parameter the class needs; the easiest way is to rebuild the condition in the task sequence editor and export again. Operators written in another case (Equals) work; the info-level note offers to write them as the console does.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-editor#bkmk_conditions'],
    facts: ['OSD-TS-005'],
  },
  check(ctx) {
    for (const item of [...ctx.model.groups, ...ctx.model.steps]) {
      if (item.condition) visit(ctx, item.condition.children);
    }
  },
};

function visit(ctx: RuleContext, nodes: ConditionNode[]): void {
  const stack = [...nodes];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'operator') {
      stack.push(...n.children);
      const t = n.attrs.type;
      const canonical = OPERATORS.find((o) => o === n.type.toLowerCase());
      if (!t) ctx.report({ message: 'This condition operator has no type; it must be and, or, or not.', span: n.nameSpan });
      else if (!canonical) ctx.report({ message: `Unknown condition operator "${n.type}": use and (all of), or (any of), or not (none of).`, span: t.span });
      else if (canonical !== n.type) note(ctx, n.type, canonical, t.span);
      // An operator with nothing under it is not reported: the console writes them (Microsoft's
      // own BitLocker sample has two) and the engine accepts them.
      continue;
    }
    expression(ctx, n);
  }
}

function expression(ctx: RuleContext, ex: ConditionExpression): void {
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
  const param = (p: StepProperty) => ex.parameters.find((v) => v.name.toLowerCase() === p.name.toLowerCase());
  const opProp = cls.properties.find((p) => p.name === 'Operator');
  const opVar = opProp ? param(opProp) : undefined;
  const op = opVar?.value.trim() ?? '';
  for (const p of cls.properties) {
    const v = param(p);
    const needed = p.required === true || (typeof p.required === 'string' && requiredUnless(p.required, op));
    if (!needed) continue;
    if (!v) {
      ctx.report({ message: `${cls.displayName} condition has no ${p.name} parameter${p.description ? ` (${lower(p.description)})` : ''}.`, span: ex.nameSpan });
    } else if (p.required === true && v.value.trim() === '') {
      ctx.report({ message: `${cls.displayName} condition has an empty ${p.name}.`, span: v.nameSpan });
    }
  }
  if (opProp?.values && opVar && op !== '') {
    const canonical = opProp.values.find((x) => x.toLowerCase() === op.toLowerCase());
    if (!canonical) {
      ctx.report({ message: `Unknown operator "${op}" for a ${cls.displayName} condition: use one of ${opProp.values.join(', ')}.`, span: opVar.valueSpan.end > opVar.valueSpan.start ? opVar.valueSpan : opVar.nameSpan });
    } else if (canonical !== op) {
      note(ctx, op, canonical, opVar.valueSpan);
    }
  }
}

function note(ctx: RuleContext, written: string, canonical: string, span: { start: number; end: number }): void {
  ctx.report({
    message: `"${written}" works, but the console writes "${canonical}".`,
    span,
    severity: 'info',
    data: { kind: 'replace-text', expect: written, replacement: canonical },
    fixes: [`Write "${canonical}"`],
  });
}

/** "unless Operator is exists or notExists" → required when the operator is none of those. */
function requiredUnless(rule: string, op: string): boolean {
  const m = /^unless Operator is (.+)$/i.exec(rule);
  if (!m) return false;
  const except = m[1].split(/\s*(?:,|\bor\b)\s*/i).map((s) => s.trim().toLowerCase()).filter(Boolean);
  return !except.includes(op.toLowerCase());
}

function lower(s: string): string {
  const t = s.replace(/\.$/, '');
  return t.charAt(0).toLowerCase() + t.slice(1);
}
