// unused-suppression: a cmts-disable comment that names a check reporting nothing there, or no
// check at all. The analysis makes its findings after applying suppressions; the fix removes the id.

import type { Check, Finding, Severity } from './types';
import type { Span } from '../model/types';
import type { RemoveSuppressionFix } from '../edits/fixData';
import { removeSuppression } from '../edits/kinds';

export const check: Check<RemoveSuppressionFix> = {
  id: 'unused-suppression',
  defaultSeverity: 'info',
  needsSite: false,
  reportedBy: 'analysis',
  suppressible: false,
  configurable: true,
  tags: ['unnecessary'],
  docs: {
    summary: 'A `cmts-disable-next-line` or `cmts-disable` comment names a check that reports nothing there.',
    why: 'Suppressions outlive the problems they hid: once the sequence is fixed, a stale comment would silently hide the next real problem of that kind. An id that is not a cmts check at all is a typo that suppresses nothing.',
    example: '<!-- cmts-disable-next-line state-store-request -->\n<step type="SMS_TaskSequence_RunCommandLineAction" name="Echo">',
    fix: 'Remove the id from the comment (the quick fix does it), or the whole comment when it names nothing else.',
    links: [],
    facts: [],
  },
  fixes: { 'remove-suppression': removeSuppression },
};

/** The finding for one id of a suppression comment that silences nothing (`known`: it is a check id). */
export function unusedSuppressionFinding(id: string, span: Span, known: boolean, severity: Severity): Finding {
  return {
    rule: 'unused-suppression',
    severity,
    message: known ? `"${id}" is suppressed here but reports nothing; remove it from the comment.` : `"${id}" is not a cmts check id; nothing is suppressed.`,
    span,
    data: { kind: 'remove-suppression', expect: id } satisfies RemoveSuppressionFix,
  };
}
