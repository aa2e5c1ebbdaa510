// variable-not-set: a variable read (a condition, %VAR% in a command line or property, a variable a
// step consumes) that nothing can have set by then. Speaks only where the flow is fully known: a
// site description that lists its collection variables and a deployment offered to clients only.

import type { Check } from './types';
import { startOf } from '../semantics/stepFacts';
import type { AddCollectionVariableFix } from '../edits/fixData';
import { addCollectionVariable } from '../edits/kinds';
import { variableFlow } from '../semantics/variables';
import { isLiteTouch, label } from '../semantics/stepInfo';

export const check: Check<AddCollectionVariableFix> = {
  id: 'variable-not-set',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A variable is read where nothing can have set it: not built in, not set by the engine or an earlier step, not in the global variable list, not a collection variable the site description lists.',
    why: 'The engine replaces %Name% with the variable\'s value and evaluates conditions against it; an unset variable expands to nothing (a command line loses an argument) or makes a condition false, and the step silently does something else. A variable must be set before the step that consumes it: by Set Task Sequence Variable, Set Dynamic Variables, a step\'s output variable, MDT Gather, the global variable list or a collection/device variable. When the sequence can be started from media or PXE, or the site description does not list its collection variables, a variable may come from where this file cannot see, so the check says nothing.',
    example: '<condition><expression type="SMS_TaskSequence_VariableConditionExpression">\n  <variable name="Operator">equals</variable><variable name="Value">true</variable>\n  <variable name="Variable">DeployOffice</variable>\n</expression></condition>\n<!-- nothing sets DeployOffice; the site\'s collectionVariables do not list it -->',
    fix: 'Set the variable earlier (Set Task Sequence Variable), or, when a collection or device sets it, add it to the site description\'s `collectionVariables` (the quick fix).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/using-task-sequence-variables', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-variables'],
    facts: ['OSD-ORD-008', 'OSD-SW-002', 'OSD-SW-004'],
  },
  fixes: { 'add-collection-variable': addCollectionVariable },
  sequence(ctx) {
    const listed = ctx.site?.site.collectionVariables;
    // Unknown, not unset: a collection may set anything, or the sequence may start from media/PXE.
    if (!listed || startOf(ctx) !== 'FullOS' || isLiteTouch(ctx.model)) return;
    const known = new Set(listed.map((v) => v.toLowerCase()));
    const flow = variableFlow(ctx.model, ctx.catalog);
    const seen = new Set<string>();
    for (const r of flow.reads) {
      const k = r.name.toLowerCase();
      if (r.existence || known.has(k) || seen.has(k) || !/^[A-Za-z_][\w.]*$/.test(r.name)) continue;
      if (flow.at(r.name, r.item) !== 'unset') continue;
      seen.add(k);
      const where = r.how === 'condition' ? 'its condition tests' : r.how === 'consumed' ? 'it consumes' : `its ${r.how} uses`;
      ctx.report({
        message: `${label(r.item)}: ${where} the variable ${r.name}, which nothing sets before it (no earlier step, global variable or listed collection variable); it is empty when the step runs.`,
        span: r.span,
        data: { kind: 'add-collection-variable', name: r.name, ...(ctx.sitePath ? { sitePath: ctx.sitePath } : {}) },
      });
    }
  },
};
