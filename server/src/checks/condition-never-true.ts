// condition-never-true: a condition that cannot be true where its step stands: _SMSTSInWinPE against
// the only possible context, contradictory AND terms on one variable, a WMI query that is not a WQL
// SELECT, a folder, file, registry or software test with nothing to test. invalid-condition owns
// unknown classes, operators and missing parameters; this check only speaks where those are fine.

import type { Check } from './types';
import type { ConditionNode, Item } from '../model/types';
import { flowOf, startInFrom } from '../semantics/flow';
import { label, labelSpan } from '../semantics/stepInfo';

const VAR = 'SMS_TaskSequence_VariableConditionExpression';

function param(n: ConditionNode, name: string): string | undefined {
  if (n.kind !== 'expression') return undefined;
  const p = n.parameters.find((x) => x.name.toLowerCase() === name.toLowerCase());
  return p?.value.trim();
}

/** Two top-level (and-ed) `equals` tests of one variable with different values: both cannot hold. */
function contradiction(nodes: readonly ConditionNode[]): [ConditionNode, ConditionNode] | undefined {
  const seen = new Map<string, { value: string; node: ConditionNode }>();
  for (const n of nodes) {
    const list = n.kind === 'operator' && n.type.toLowerCase() === 'and' ? n.children : [n];
    for (const c of list) {
      if (c.kind !== 'expression' || c.type !== VAR || param(c, 'Operator')?.toLowerCase() !== 'equals') continue;
      const name = param(c, 'Variable')?.toLowerCase() ?? '';
      const value = param(c, 'Value') ?? '';
      if (name === '' || /%/.test(value)) continue;
      const before = seen.get(name);
      if (before && before.value.toLowerCase() !== value.toLowerCase()) return [before.node, c];
      if (!before) seen.set(name, { value, node: c });
    }
  }
  return undefined;
}

export const check: Check = {
  id: 'condition-never-true',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A condition that cannot be true where its step or group stands, so the step never runs.',
    why: 'The engine evaluates a step\'s conditions (and those of its groups, and-ed) before running it. _SMSTSInWinPE is "true" only in Windows PE, so a test for the other context after a step that fixed the context (Setup Windows and ConfigMgr, a restart) is never true; two `equals` tests of one variable with different values, joined by AND, cannot both hold; a WMI condition runs a WQL query, which must be a SELECT statement; file, folder and registry tests with an empty path, and software tests with neither product code nor upgrade code, test nothing. The step is skipped every time, which is rarely what its author meant.',
    example: '<!-- after Setup Windows and ConfigMgr (full OS) -->\n<step name="Only in WinPE"><condition><expression type="SMS_TaskSequence_VariableConditionExpression">\n  <variable name="Operator">equals</variable><variable name="Value">true</variable><variable name="Variable">_SMSTSInWinPE</variable>\n</expression></condition></step>',
    fix: 'Correct the condition (the other value, an OR instead of AND, a SELECT query, the missing path), or remove the step.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_GroupConditions', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-variables#SMSTSInWinPE'],
    facts: ['OSD-TS-005', 'OSD-CTX-001/002'],
  },
  sequence(ctx) {
    const flow = flowOf(ctx.model, startInFrom(ctx.extra));
    const done = new Set<Item>();
    // _SMSTSInWinPE: the flow's narrowing ruled out every context the item could be in.
    for (const env of flow.steps.values()) {
      if (env.runs.size > 0 || env.narrowedBy.length === 0) continue;
      const item = env.narrowedBy[env.narrowedBy.length - 1];
      if (done.has(item)) continue;
      done.add(item);
      ctx.report({ message: `The condition of ${label(item)} tests _SMSTSInWinPE for a context the sequence cannot be in here, so it is never true and ${item.kind === 'group' ? 'the group is' : 'the step is'} always skipped.`, span: labelSpan(item) });
    }
    const items: Item[] = [...ctx.model.groups, ...ctx.model.steps];
    for (const item of items) {
      const nodes = item.condition?.children ?? [];
      if (nodes.length === 0 || done.has(item)) continue;
      const pair = contradiction(nodes);
      if (pair) {
        const [a, b] = pair;
        ctx.report({ message: `The condition of ${label(item)} requires ${param(a, 'Variable')} to equal both "${param(a, 'Value')}" and "${param(b, 'Value')}" (AND): it is never true.`, span: b.nameSpan });
      }
      const leaves: ConditionNode[] = [];
      const visit = (ns: readonly ConditionNode[]): void => { for (const n of ns) { if (n.kind === 'operator') visit(n.children); else leaves.push(n); } };
      visit(nodes);
      for (const n of leaves) {
        if (n.kind !== 'expression') continue;
        const has = (p: string): boolean => n.parameters.some((x) => x.name.toLowerCase() === p.toLowerCase());
        if (n.type === 'SMS_TaskSequence_WMIConditionExpression') {
          const q = param(n, 'Query');
          if (q && !/^\s*select\b/i.test(q)) ctx.report({ message: `The WMI condition of ${label(item)} is not a WQL SELECT query ("${q.slice(0, 60)}"); the engine cannot evaluate it as true.`, span: n.parameters.find((x) => x.name.toLowerCase() === 'query')!.valueSpan });
        } else if (n.type === 'SMS_TaskSequence_SoftwareConditionExpression' && has('Operator')) {
          if ((param(n, 'ProductCode') ?? '') === '' && (param(n, 'UpgradeCode') ?? '') === '' && has('ProductCode') && has('UpgradeCode')) {
            ctx.report({ message: `The software condition of ${label(item)} names neither a product code nor an upgrade code: there is nothing installed it can match.`, span: n.nameSpan });
          }
        }
      }
    }
  },
};
