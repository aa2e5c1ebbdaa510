// Formatting in the console's layout: hand-made fixtures in test/fixtures/format (a file already in
// that layout, a CRLF file indented with tabs, a one-line file, mixed content), and every XML
// fixture of the project formatted twice: the second pass changes nothing and the model is the same.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyFormatEdits, formatEdits } from '../../server/src/features/format';
import { parseTaskSequence } from '../../server/src/model/parse';
import { modelShape } from './helpers/modelShape';

const DIR = join(__dirname, '..', 'fixtures', 'format');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const format = (text: string): string => applyFormatEdits(text, formatEdits(text).edits);

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...xmlFiles(p));
    else if (name.endsWith('.xml')) out.push(p);
  }
  return out;
}

void test('a file in the console layout gets no edit at all', () => {
  const r = formatEdits(read('console.xml'));
  assert.deepEqual(r, { edits: [] });
});

void test('tabs, stray spaces and wrong indentation become the console layout; CRLF and values kept', () => {
  const out = format(read('messy-crlf.xml'));
  assert.equal(out, read('messy-crlf.expected.xml'));
  // The value with its own spaces and line break is content: kept byte for byte.
  assert.ok(out.includes('>  one\r\n two  </variable>'));
});

void test('a one-line file stays on one line', () => {
  const out = format(read('one-line.xml'));
  assert.equal(out, read('one-line.expected.xml'));
  assert.equal(out.split('\n').length, 2, 'only the line break inside the command line');
});

void test('text beside elements is refused, with the reason, and nothing is edited', () => {
  const r = formatEdits(read('mixed.xml'));
  assert.deepEqual(r.edits, []);
  assert.match(r.refused ?? '', /mixed content/);
  for (const broken of ['<sequence><group></sequence>', '<a/><b/>', '<!DOCTYPE x><sequence/>', '<sequence><step name="a"</sequence>']) {
    const b = formatEdits(broken);
    assert.deepEqual(b.edits, [], broken);
    assert.ok(b.refused, broken);
  }
});

void test('range formatting edits only what lies in the range', () => {
  const text = read('messy-crlf.xml');
  const at = text.indexOf('<group');
  const r = formatEdits(text, { start: at, end: at + 10 });
  assert.ok(r.edits.length > 0);
  for (const e of r.edits) assert.ok(e.span.start <= at + 10 && e.span.end >= at, JSON.stringify(e));
  const all = formatEdits(text).edits;
  assert.ok(r.edits.length < all.length);
  // The edits outside the range are not made: the globalVarList keeps its tab.
  assert.ok(applyFormatEdits(text, r.edits).includes('\t<globalVarList>'));
});

void test('every XML fixture formatted twice: same text the second time, and the same model', () => {
  const files = xmlFiles(join(__dirname, '..', 'fixtures'));
  assert.ok(files.length > 100, `${files.length} fixtures`);
  let formatted = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const r = formatEdits(text);
    if (r.refused) continue;
    formatted++;
    const once = applyFormatEdits(text, r.edits);
    assert.equal(format(once), once, `${file}: a second pass changes nothing`);
    assert.equal(modelShape(parseTaskSequence(once).model), modelShape(parseTaskSequence(text).model), `${file}: same model`);
  }
  assert.ok(formatted > files.length * 0.8, `${formatted} of ${files.length} formatted`);
});
