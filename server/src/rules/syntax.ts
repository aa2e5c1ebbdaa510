// Checks about the file as a whole: well-formedness (reported by the parser, declared here so
// it has docs and a severity) and the size limit the site enforces when a sequence is saved.

import type { Rule } from './types';

export const xmlSyntax: Rule = {
  id: 'xml-syntax',
  defaultSeverity: 'error',
  needsSite: false,
  docs: {
    summary: 'The file is not well-formed XML, or it holds no task sequence.',
    why: 'The console and the task sequence engine load the sequence with a strict XML parser: a file that is not well-formed cannot be imported, and an edit that breaks it is lost on the next import. cmts still reads as much of a broken file as it can, so the other checks keep working while you repair it.',
    example: '<!-- exported by hand -->\n<?xml version="1.0"?>\n<sequence version="3.00"> … </sequence>',
    fix: 'Repair the XML at the reported position. A comment or blank text before the XML declaration is the usual culprit in hand-edited exports: the declaration must be the very first thing in the file, or be removed. Files with a DOCTYPE or with entities other than &amp; &lt; &gt; &quot; &apos; and numeric references are not exports: cmts never expands or fetches them.',
    links: ['https://www.w3.org/TR/xml/#sec-well-formed'],
    facts: ['FORMAT.md §1–2'],
  },
  check() {
    // Findings come from the parser's problems (see analysis.ts).
  },
};

const LIMIT = 2 * 1024 * 1024;

export const sequenceSize: Rule = {
  id: 'sequence-size',
  defaultSeverity: 'warning',
  needsSite: false,
  docs: {
    summary: 'The sequence XML is larger than 2 MB.',
    why: 'From current branch 2010 the site refuses to save a task sequence whose XML exceeds 2 MB; earlier versions accepted larger ones but they slowed the console and the policy download. Large embedded scripts (Run PowerShell Script with the script stored in the step) are the usual cause.',
    example: '<step type="SMS_TaskSequence_RunPowerShellScriptAction" …>\n  <variable name="OSDRunPowerShellScriptSourceScript" …>//4…(megabytes of base64)…</variable>',
    fix: 'Move embedded scripts into a package and reference it, split the sequence into child sequences with Run Task Sequence, or remove disabled steps you no longer need.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/reduce-task-sequence-policy-size'],
    facts: ['OSD-TS-002'],
  },
  check(ctx) {
    const seq = ctx.model.sequence;
    if (!seq) return;
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
