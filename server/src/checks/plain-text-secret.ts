// plain-text-secret: a password written in plain text in a command line or a variable value, where
// anyone who can read the sequence (or its logs) can read it.

import type { Check } from './types';
import type { Span } from '../model/types';
import { label, labelSpan, orderOf } from '../semantics/stepInfo';
import { prop, T2 } from '../semantics/stepFacts';

/** Plain-text password patterns in a command line; group 1 is the secret. */
const PATTERNS: RegExp[] = [
  /\/(?:password|pass):("[^"%$]+"|[^\s"%$][^\s"]*)/i,
  /-(?:Password|Pwd|Pass)\s+("[^"%$]+"|'[^'%$]+'|[^\s"'%$(-][^\s"']*)/i,
  /\bnet\s+use\b[^\n]*?\/user:\S+\s+([^\s/%"][^\s"]*)/i,
  /\bnet\s+use\s+(?:[a-z*]:\s+)?\\\\\S+\s+([^\s/%"][^\s"]*)\s+\/user:/i,
];
const SECRET_NAME = /pass(word|wd)?\b|pwd|secret/i;

export const check: Check = {
  id: 'plain-text-secret',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A password in plain text in a command line or a variable value (/password:, -Password, net use … /user: with a password, a Set Task Sequence Variable of a password that is not hidden).',
    why: 'The task sequence is stored in the site database and exported as plain XML, and smsts.log records command lines and variable values unless they are hidden. Microsoft\'s guidance is to keep secrets in hidden values (the "Do not display this value" option, secret collection variables) or in the steps\' own account fields, which the console stores encrypted and does not export.',
    example: '<action>net use Z: \\\\server\\share P@ssw0rd /user:CONTOSO\\svc</action>',
    fix: 'Move the secret to a hidden task sequence variable (or a secret collection variable) and refer to it as %Name%, or use the step\'s own run-as/Connect to Network Folder account.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_SetTaskSequenceVariable', 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/security/plan-for-security#task-sequence-security'],
    facts: ['OSD-TS-008'],
  },
  sequence(ctx) {
    const found = (text: string, base: number): Span | undefined => {
      for (const re of PATTERNS) {
        const m = re.exec(text);
        if (!m) continue;
        const at = m.index + m[0].lastIndexOf(m[1]);
        return { start: base + at, end: base + at + m[1].length };
      }
      return undefined;
    };
    for (const s of orderOf(ctx.model).steps) {
      if (s.action) {
        const span = found(s.action.text, s.action.span.start);
        if (span && ctx.text.slice(span.start, span.end) !== '') {
          ctx.report({ message: `${label(s)} has a password in plain text in its command line; it is stored in the sequence and logged in smsts.log.`, span });
          continue;
        }
      }
      if (s.type === T2.setVariable) {
        const name = prop(s, 'VariableName');
        const value = prop(s, 'VariableValue');
        const hidden = prop(s, 'DoNotShowVariableValue').toLowerCase() === 'true';
        if (SECRET_NAME.test(name) && value !== '' && !/^%[^%]+%$/.test(value) && !hidden) {
          ctx.report({ message: `${label(s)} sets ${name} to a plain-text value that is not hidden ("Do not display this value" is off); it is stored in the sequence and logged.`, span: labelSpan(s) });
        }
      }
    }
    for (const v of ctx.model.sequence?.globalVariables ?? []) {
      if (SECRET_NAME.test(v.name) && v.value.trim() !== '' && !v.hidden && !/^%[^%]+%$/.test(v.value.trim())) {
        ctx.report({ message: `The global variable ${v.name} holds a plain-text value that is not hidden; it is stored in the sequence and logged.`, span: v.valueSpan });
      }
    }
  },
};
