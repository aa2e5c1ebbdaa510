// The engine's instruction numbers over the real exports in ../shared/corpus/real: the table from
// semantics/numbering.ts against an independent tag scanner that counts, in document order, a
// number for each <group> start tag, each </group> end tag and each <step>/<subtasksequence>, and
// stops after the first Run Task Sequence step (its child is not read here). Runs from .ci/run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTaskSequence } from '../../server/src/model/parse';
import { instructionTable } from '../../server/src/semantics/numbering';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');

function decode(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1))));
}

/** `start Name` / `end Name` rows from the tags alone (comments removed first). */
function scan(text: string): string[] {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const rows: string[] = [];
  const open: string[] = [];
  const re = /<(\/?)(group|step|subtasksequence)\b([^>]*?)(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const [, close, tag, attrs, selfClose] = m;
    const name = decode(/\sname\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attrs)?.slice(1).find((x) => x !== undefined) ?? '');
    if (tag === 'group') {
      if (close) rows.push(`end ${open.pop()}`);
      else {
        rows.push(`start ${name}`);
        if (selfClose) rows.push(`end ${name}`);
        else open.push(name);
      }
    } else if (!close) {
      rows.push(`start ${name}`);
      if (tag === 'subtasksequence' || /\stype\s*=\s*"SMS_TaskSequence_SubTasksequence"/.test(attrs)) return rows;
    }
  }
  return rows;
}

const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.toLowerCase().endsWith('.xml')).sort() : [];

test('the corpus is there', () => assert.ok(files.length > 0, `no exports in ${CORPUS}`));

for (const file of files) {
  test(`instruction numbers: ${file}`, () => {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    const { model } = parseTaskSequence(text);
    if (!model.sequence) return;
    const table = instructionTable(model);
    const got = table.rows.map((r) => `${r.kind} ${r.item.name}`);
    assert.deepEqual(got, scan(text));
    table.rows.forEach((r, i) => assert.equal(r.pointer, i));
    if (!table.unresolved) assert.equal(table.rows.length, model.steps.length + 2 * model.groups.length);
  });
}
