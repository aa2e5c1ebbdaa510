// Formatting over the real exports in ../shared/corpus/real: every file formatted twice gives the
// same text the second time and the same model as the original; the exports written by the
// console or the Workbench (not edited by hand since) get no edit at all. Runs from .ci/run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyFormatEdits, formatEdits } from '../../server/src/features/format';
import { parseTaskSequence } from '../../server/src/model/parse';
import { modelShape } from '../unit/helpers/modelShape';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');

void test('every corpus file formatted twice: the same text and the same model', () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.xml'));
  assert.ok(files.length >= 50);
  let unchanged = 0;
  for (const f of files) {
    const text = readFileSync(path.join(CORPUS, f), 'utf8');
    const r = formatEdits(text);
    assert.equal(r.refused, undefined, `${f}: ${r.refused}`);
    if (r.edits.length === 0) unchanged++;
    const once = applyFormatEdits(text, r.edits);
    assert.equal(applyFormatEdits(once, formatEdits(once).edits), once, `${f}: second pass`);
    assert.equal(modelShape(parseTaskSequence(once).model), modelShape(parseTaskSequence(text).model), `${f}: same model`);
  }
  // Measured: 47 of 55 are already in the layout; the others were re-indented by hand (tabs, odd depths).
  assert.ok(unchanged >= 45, `${unchanged} of ${files.length} unchanged`);
});
