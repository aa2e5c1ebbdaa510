// sequence-size: the site refuses to save a sequence whose XML is over 2 MB (current branch 2010
// and later). Files over the 16 MB check limit are not parsed at all: the analysis says so under this id.

import type { Check } from './types';

const LIMIT = 2 * 1024 * 1024;

export const check: Check = {
  id: 'sequence-size',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'The sequence XML is larger than 2 MB.',
    why: 'From current branch 2010 the site refuses to save a task sequence whose XML exceeds 2 MB; earlier versions accepted larger ones but they slowed the console and the policy download. Large embedded scripts (Run PowerShell Script with the script stored in the step) are the usual cause. The SDK also bounds each step and group: a name of 1 to 100 characters and a description of at most 255; longer ones are refused when the sequence is saved or imported (the console editor stops at 50 and 256).',
    example: '<step type="SMS_TaskSequence_RunPowerShellScriptAction" …>\n  <variable name="OSDRunPowerShellScriptSourceScript" …>//4…(megabytes of base64)…</variable>',
    fix: 'Move embedded scripts into a package and reference it, split the sequence into child sequences with Run Task Sequence, or remove disabled steps you no longer need.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/reduce-task-sequence-policy-size'],
    facts: ['OSD-TS-002', 'OSD-TS-003'],
  },
  sequence(ctx) {
    const seq = ctx.model.sequence;
    if (!seq) return;
    for (const item of [...ctx.model.steps, ...ctx.model.groups]) {
      const name = item.attrs.name;
      const desc = item.attrs.description;
      if (name && name.value.length > 100) ctx.report({ message: `The name of this ${item.kind} is ${name.value.length} characters; the SDK allows at most 100, so the site refuses the sequence.`, span: name.span });
      if (desc && desc.value.length > 255) ctx.report({ message: `The description of this ${item.kind} is ${desc.value.length} characters; the SDK allows at most 255, so the site refuses the sequence.`, span: desc.span });
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8: most files cannot be over, and need no count.
    if ((seq.span.end - seq.span.start) * 3 <= LIMIT) return;
    const bytes = utf8Length(ctx.text, seq.span.start, seq.span.end);
    if (bytes > LIMIT) {
      ctx.report({
        message: `This sequence is ${(bytes / 1024 / 1024).toFixed(2)} MB of XML; the site refuses to save sequences over 2 MB (current branch 2010 and later).`,
        span: seq.nameSpan,
      });
    }
  },
};
function utf8Length(text: string, start: number, end: number): number {
  // One byte per unit, plus what the non-ASCII ones add; the regex skips ASCII far faster than a loop.
  let n = end - start;
  NON_ASCII.lastIndex = start;
  for (let m = NON_ASCII.exec(text); m && m.index < end; m = NON_ASCII.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A lead surrogate: 4 bytes with whatever unit follows it (skipped), as the engine counts a pair.
      if (m.index + 1 < end) {
        n += 2;
        NON_ASCII.lastIndex = m.index + 2;
      } else n += 3;
    } else n += 2;
  }
  return n;
}

// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: everything outside ASCII
const NON_ASCII = /[^\x00-\x7f]/g;
