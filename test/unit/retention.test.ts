// A checked text is not kept alive by the module-level caches the checks share (issue 20). A name
// read from a document is often a slice of its text; kept as a cache key past the document, it kept
// the whole text (variable-name-typo's memo of near names, propertyOf's names as written).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkText } from '../../server/src/analysis';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A sequence of `n` steps whose variable names are long, unknown and new to this text. */
function sequenceWith(tag: string, n: number): string {
  const steps: string[] = [];
  for (let i = 0; i < n; i++) {
    steps.push(`  <step type="SMS_TaskSequence_SetVariableAction" name="Set ${i}" description="">
    <action>tsenv.exe "%${tag}ReadName${i}%"</action>
    <defaultVarList>
      <variable name="VariableName" property="VariableName">${tag}OwnVariableName${i}</variable>
      <variable name="VariableValue" property="VariableValue">${'v'.repeat(200)}</variable>
    </defaultVarList>
  </step>`);
  }
  return `<sequence version="3.10">\n${steps.join('\n')}\n</sequence>\n`;
}

void test('checking texts one after another keeps none of them', () => {
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  checkText(sequenceWith('Warm', 2000));
  const before = heap();
  let size = 0;
  for (const tag of ['First', 'Second', 'Third']) {
    const text = sequenceWith(tag, 2000);
    size = text.length;
    checkText(text);
  }
  const grown = heap() - before;
  // Three texts of `size` characters each were checked and dropped; caches may keep small things.
  assert.ok(grown < size / 2, `the heap grew by ${grown} bytes after checking three texts of ${size} characters`);
});
