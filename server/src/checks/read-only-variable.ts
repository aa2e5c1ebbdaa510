// read-only-variable: a step, variable list or collection variable that writes a read-only variable
// (a name starting with an underscore): the engine refuses, or ignores, the value.

import type { Check } from './types';
import { variableFlow } from '../semantics/variables';
import { T2 } from '../semantics/stepFacts';
import { label } from '../semantics/stepInfo';

export const check: Check = {
  id: 'read-only-variable',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Set Task Sequence Variable, Set Dynamic Variables, an output variable, the global variable list or a site collection variable writes a read-only variable (a name starting with "_").',
    why: 'Variables whose names start with an underscore are read-only: the engine sets them and a sequence cannot (Set Task Sequence Variable refuses them, and collection or device variables with such names are ignored). A step that means to change one has no effect, and the steps after it run with the engine\'s value.',
    example: '<step type="SMS_TaskSequence_SetVariableAction" name="Pretend WinPE">\n  <variable name="VariableName" property="VariableName">_SMSTSInWinPE</variable> …\n</step>',
    fix: 'Use a variable of your own (without the underscore) and test that instead.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetTaskSequenceVariable', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/using-task-sequence-variables'],
    facts: ['OSD-TS-004'],
  },
  sequence(ctx) {
    const flow = variableFlow(ctx.model, ctx.catalog);
    for (const s of flow.sets) {
      if (!s.name.startsWith('_')) continue;
      const writer = !s.step ? 'The global variable list' : s.step.type === T2.setVariable ? label(s.step) : s.how === 'by design' ? undefined : `${label(s.step)} (${s.how})`;
      if (!writer) continue;
      ctx.report({ message: `${writer} writes ${s.name}, a read-only variable (names starting with "_" belong to the engine); the value is refused or ignored.`, span: s.span });
    }
  },
  site(ctx) {
    (ctx.site.site.collectionVariables ?? []).forEach((name, i) => {
      const span = ctx.site.spanOf(['collectionVariables', i]);
      if (!name.startsWith('_') || !span) return;
      ctx.report({ severity: 'error', message: `collectionVariables lists ${name}, a read-only variable (names starting with "_" belong to the engine); a collection or device cannot set it.`, span }, ctx.sequences);
    });
  },
};
