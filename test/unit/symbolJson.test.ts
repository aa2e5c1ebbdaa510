// The outline's JSON kept per model and redone only where an edit moved it (lsp/symbolJson.ts,
// issue 20), against the DocumentSymbols built from scratch for the same view: after random edits
// of a large sequence in groups (typing, new lines, deletions, pasted steps), with \n, \r\n and \r
// line ends, and for a wrapped sequence; and the raw answer's encoding (lsp/rawJson.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalog } from '../../server/src/catalog';
import { outline } from '../../server/src/features/symbols';
import { toDocumentSymbols } from '../../server/src/lsp/convert';
import { messageJson, rawJson } from '../../server/src/lsp/rawJson';
import { OutlineJson } from '../../server/src/lsp/symbolJson';
import type { DocText } from '../../server/src/workspace/documents';
import { ModelCache, STALE_MIN_CHARS } from '../../server/src/workspace/models';
import { rng } from '../../scripts/benchData';

function step(n: number, nl: string): string {
  return `    <step type="SMS_TaskSequence_RunCommandLineAction" name="Step ${n}" description="" runIn="WinPEandFullOS" successCodeList="0"${n % 7 === 0 ? ' disable="true"' : ''}>${nl}`
    + `      <action>cmd.exe /c echo ${n}</action>${nl}`
    + `      <defaultVarList><variable name="CommandLine" property="CommandLine">cmd.exe /c echo ${n}</variable></defaultVarList>${nl}    </step>${nl}`;
}

/** About 300 KB: groups of ten steps, each group's name on the line of its start tag. */
function sequence(nl: string, wrapped = false): string {
  let body = '';
  for (let g = 0; g < 120; g++) {
    body += `  <group name="Group ${g}" description="">${nl}`;
    for (let i = 0; i < 10; i++) body += step(g * 10 + i + 1, nl);
    body += `  </group>${nl}`;
  }
  const seq = `<sequence version="3.10">${nl}${body}</sequence>${nl}`;
  return wrapped
    ? `<?xml version="1.0"?>${nl}<SmsTaskSequencePackage><Name>Wrapped</Name><SequenceData>${seq}</SequenceData></SmsTaskSequencePackage>${nl}`
    : `<?xml version="1.0"?>${nl}${seq}`;
}

const doc = (text: string, version: number): DocText => ({ uri: 'file:///big.xml', path: '/big.xml', text, version, key: `v${version}` });

function check(nl: string, seed: number, wrapped = false): void {
  const r = rng(seed);
  const v1 = sequence(nl, wrapped);
  assert.ok(v1.length >= STALE_MIN_CHARS);
  const cache = new ModelCache();
  const first = cache.get(doc(v1, 1));
  let items = outline(first.model, catalog);
  assert.ok(items.length > 0);
  let json = new OutlineJson(items, first.lines);
  assert.deepEqual(JSON.parse(json.render(cache.view(doc(v1, 1)))), toDocumentSymbols(items, first.lines), 'unedited');
  let model = first.model;
  let base = json.render(cache.view(doc(v1, 1)));
  let text = v1;
  let stale = 0;
  let moved = 0;
  for (let v = 2; v < 60; v++) {
    // Edits build on each other as typing does: one region changed since the model's text, growing.
    const at = Math.floor(r() * text.length);
    const kind = r();
    const insert = kind < 0.3 ? 'x' : kind < 0.5 ? nl : kind < 0.6 ? step(9000 + v, nl) : kind < 0.7 ? `${nl}${nl}` : '';
    const removed = kind >= 0.7 ? 1 + Math.floor(r() * 6) : 0;
    // Near the previous edit mostly, so the changed region stays small enough to be mapped.
    const near = v > 2 && r() < 0.8 ? Math.min(text.length - 1, Math.max(0, Math.floor(text.length / 2) + Math.floor((r() - 0.5) * 4000))) : at;
    text = text.slice(0, near) + insert + text.slice(near + removed);
    const view = cache.view(doc(text, v));
    if (view.model !== model) {
      // The change grew past what the old model can speak for: a new parse, a new outline.
      model = view.model;
      items = outline(model, catalog);
      json = new OutlineJson(items, view.textLines);
      base = json.render({ ...view, lines: view.textLines, edit: undefined });
    }
    if (view.fresh) continue;
    stale++;
    const expected = toDocumentSymbols(items, view.lines);
    const got = JSON.parse(json.render(view)) as unknown;
    assert.deepEqual(got, expected, `version ${v} (${JSON.stringify(insert)} at ${near}, ${removed} removed)`);
    if (JSON.stringify(expected) !== base) moved++;
  }
  assert.ok(stale > 20, `${stale} versions served from the first model`);
  assert.ok(moved > 10, `${moved} versions moved some positions`);
  cache.dispose();
}

void test('the outline JSON of an edited large document equals the symbols built anew (\\n)', () => check('\n', 1));
void test('the outline JSON of an edited large document equals the symbols built anew (\\r\\n)', () => check('\r\n', 2));
void test('the outline JSON of an edited large document equals the symbols built anew (\\r)', () => check('\r', 3));
void test('the outline JSON of an edited wrapped sequence (one root) equals the symbols built anew', () => check('\n', 4, true));

void test('the outline JSON refuses a view of another text', () => {
  const cache = new ModelCache();
  const a = cache.get(doc(sequence('\n'), 1));
  const json = new OutlineJson(outline(a.model, catalog), a.lines);
  const other = new ModelCache().view(doc(sequence('\r\n'), 1));
  assert.throws(() => json.render(other), /another text/);
});

void test('a raw answer goes out as its text over stdio, and as its value through any other writer', () => {
  const value = [{ name: 'a "quoted" name', children: [] }];
  const text = JSON.stringify(value);
  const raw = rawJson<unknown>(text);
  const msg = { jsonrpc: '2.0', id: 7, result: raw };
  const out = messageJson(msg);
  assert.equal(out, `{"jsonrpc":"2.0","id":7,"result":${text}}`);
  assert.deepEqual(JSON.parse(out), { jsonrpc: '2.0', id: 7, result: value });
  // Any other writer (JSON.stringify of the message) gets the same message.
  assert.deepEqual(JSON.parse(JSON.stringify(msg)), JSON.parse(out));
  // Messages without a raw result are written as JSON.stringify writes them.
  const plain = { jsonrpc: '2.0', id: 'x', result: { a: 1 } };
  assert.equal(messageJson(plain), JSON.stringify(plain));
});
