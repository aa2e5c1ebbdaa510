// xml-syntax: the file is not well-formed XML, or holds no task sequence. Its findings are the
// parser's problems (model/parse.ts), which the analysis reports; declared here for its docs and severity.

import type { Check } from './types';

export const check: Check = {
  id: 'xml-syntax',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'parser',
  suppressible: false,
  configurable: false,
  docs: {
    summary: 'The file is not well-formed XML, or it holds no task sequence.',
    why: 'The console and the task sequence engine load the sequence with a strict XML parser: a file that is not well-formed cannot be imported, and an edit that breaks it is lost on the next import. cmts still reads as much of a broken file as it can, so the other checks keep working while you repair it.',
    example: '<!-- exported by hand -->\n<?xml version="1.0"?>\n<sequence version="3.00"> … </sequence>',
    fix: 'Repair the XML at the reported position. A comment or blank text before the XML declaration is the usual culprit in hand-edited exports: the declaration must be the very first thing in the file, or be removed. Files with a DOCTYPE or with entities other than &amp; &lt; &gt; &quot; &apos; and numeric references are not exports: cmts never expands or fetches them.',
    links: ['https://www.w3.org/TR/xml/#sec-well-formed'],
    facts: ['FORMAT.md §1–2'],
  },
};
