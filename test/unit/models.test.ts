// The parse cache the checks and the editor features share (workspace/models.ts, issue 8): one
// parse per text, and while a large document is edited, the last model with its positions mapped
// across the edit, so a hover or an outline never waits for the new text to be parsed.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { catalog } from '../../server/src/catalog';
import { hoverAt } from '../../server/src/features/hover';
import { outline } from '../../server/src/features/symbols';
import { LineIndex } from '../../server/src/model/positions';
import type { DocText } from '../../server/src/workspace/documents';
import { mapAcross, ModelCache, OPEN_PARSE_WAIT_MS, REPARSE_DELAY_MS, REPARSE_MAX_WAIT_MS, STALE_MAX_CHANGE, STALE_MIN_CHARS } from '../../server/src/workspace/models';

function step(n: number, type = 'SMS_TaskSequence_RunCommandLineAction'): string {
  return `  <step type="${type}" name="Step ${n}" description="" runIn="WinPEandFullOS" successCodeList="0">\n`
    + `    <action>cmd.exe /c echo ${n}</action>\n`
    + `    <defaultVarList><variable name="CommandLine" property="CommandLine">cmd.exe /c echo ${n}</variable></defaultVarList>\n  </step>\n`;
}

/** A sequence of `n` steps, the last one a Restart Computer. */
function sequence(n: number): string {
  let body = '';
  for (let i = 1; i < n; i++) body += step(i);
  return `<?xml version="1.0"?>\n<sequence version="3.00">\n${body}${step(n, 'SMS_TaskSequence_RebootAction')}</sequence>\n`;
}

const doc = (text: string, version: number): DocText => ({ uri: 'file:///big.xml', path: '/big.xml', text, version, key: `v${version}o1` });

const big = sequence(1200);

void test('the fixture is large enough to be served from the last model while it is edited', () => {
  assert.ok(big.length >= STALE_MIN_CHARS, `${big.length} characters`);
});

void test('one parse per text: the same key gives the same model', () => {
  const cache = new ModelCache();
  const a = cache.get(doc(big, 1));
  assert.equal(cache.get(doc(big, 1)), a);
  assert.equal(cache.view(doc(big, 1)).model, a.model);
  assert.equal(cache.get(doc(big, 2)).model, a.model, 'a new version with the same text (a file opened after the scan read it) is not parsed again');
  assert.notEqual(cache.get(doc(`${big} `, 3)).model, a.model, 'a new text is parsed');
});

void test('mapAcross: offsets before the edit stay, offsets after it shift, offsets inside go to its start', () => {
  const before = 'aaaa XXX bbbb\ncccc';
  const now = 'aaaa YYYYY bbbb\ncccc';
  const lines = mapAcross(before, now, new LineIndex(now))!;
  const nowLines = new LineIndex(now);
  // Positions are the current text's; offsets the earlier text's.
  assert.equal(lines.offsetAt(nowLines.positionAt(2)), 2);
  assert.equal(lines.offsetAt(nowLines.positionAt(now.indexOf('bbbb'))), before.indexOf('bbbb'));
  assert.equal(lines.offsetAt(nowLines.positionAt(now.indexOf('cccc'))), before.indexOf('cccc'));
  assert.equal(lines.offsetAt(nowLines.positionAt(now.indexOf('YYY') + 2)), before.indexOf('XXX'));
  assert.deepEqual(lines.positionAt(before.indexOf('cccc')), nowLines.positionAt(now.indexOf('cccc')));
  assert.deepEqual(lines.positionAt(before.indexOf('bbbb')), nowLines.positionAt(now.indexOf('bbbb')));
  assert.equal(lines.lineCount, 2);
});

void test('mapAcross gives up on an edit larger than the old model can speak for', () => {
  const before = 'x'.repeat(10);
  const now = `x${'y'.repeat(STALE_MAX_CHANGE + 1)}x`;
  assert.equal(mapAcross(before, now, new LineIndex(now)), undefined);
});

void test('an edited large document: hover and outline answer from the last model, at the current positions', () => {
  const cache = new ModelCache();
  const v1 = doc(big, 1);
  cache.get(v1);
  // Three lines inserted in the middle: everything after them moves down.
  const mid = big.indexOf('  <step', big.length >> 1);
  const inserted = '  <!-- a comment\n  that spans\n  three lines -->\n';
  const v2 = doc(big.slice(0, mid) + inserted + big.slice(mid), 2);
  const view = cache.view(v2);
  assert.equal(view.fresh, false, 'served from the version 1 model');
  assert.equal(cache.view(v2), view, 'mapped once per version, whatever number of requests ask');
  assert.equal(view.current.text, v2.text);
  const nowLines = new LineIndex(v2.text);

  // Hover on the last step's type, given as a position of the current text.
  const at = v2.text.lastIndexOf('SMS_TaskSequence_RebootAction') + 4;
  const h = hoverAt(view.model, view.lines.offsetAt(nowLines.positionAt(at)), undefined, catalog, view.text);
  assert.ok(h, 'a hover');
  assert.match(h.markdown, /Restart Computer/);
  // Its range is where the type is written now.
  const start = view.lines.positionAt(h.span.start);
  assert.equal(nowLines.offsetAt(start), v2.text.lastIndexOf('SMS_TaskSequence_RebootAction'));

  // The outline's last step, where it is now.
  const tree = outline(view.model, catalog);
  const top = tree.length === 1 && tree[0].kind === 'sequence' ? tree[0].children : tree;
  const last = top.at(-1)!;
  assert.equal(last.kind, 'step');
  const line = view.lines.positionAt(last.span.start).line;
  assert.match(v2.text.split('\n')[line], /SMS_TaskSequence_RebootAction/);

  // A fresh parse replaces it: after get(), the view is fresh and the model is version 2's.
  cache.get(v2);
  const fresh = cache.view(v2);
  assert.equal(fresh.fresh, true);
  assert.equal(fresh.model.comments.length, 1);
  cache.dispose();
});

void test('small documents are always parsed at once: the view is never stale', () => {
  const cache = new ModelCache();
  const small = sequence(5);
  cache.get(doc(small, 1));
  const v2 = doc(small.replace('Step 3', 'Step 33'), 2);
  const view = cache.view(v2);
  assert.equal(view.fresh, true);
  assert.ok(view.model.steps.some((s) => s.name === 'Step 33'));
});

void test('the deferred parse: once the edits pause, the current text is parsed without a request', async () => {
  let current = doc(big, 1);
  const cache = new ModelCache(() => current);
  cache.get(current);
  current = doc(big.replace('name="Step 7"', 'name="Step seven"'), 2);
  assert.equal(cache.view(current).fresh, false);
  await new Promise((r) => setTimeout(r, 600));
  const view = cache.view(current);
  assert.equal(view.fresh, true);
  assert.ok(view.model.steps.some((s) => s.name === 'Step seven'));
  cache.dispose();
});

void test('the deferred parse waits while requests are answered from the stale model, up to REPARSE_MAX_WAIT_MS after the edit', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  let current = doc(big, 1);
  const cache = new ModelCache(() => current);
  cache.get(current);
  current = doc(big.replace('name="Step 7"', 'name="Step seven"'), 2);
  cache.changed(current.uri);
  assert.equal(cache.view(current).fresh, false);
  // A request every 200 ms: each one postpones the parse, which would hold up the next.
  let waited = 0;
  while (waited + 200 < REPARSE_MAX_WAIT_MS) {
    t.mock.timers.tick(200);
    waited += 200;
    assert.equal(cache.view(current).fresh, false, `still the stale model after ${waited} ms of requests`);
  }
  // However busy the client, the new text is parsed REPARSE_MAX_WAIT_MS after the edit.
  t.mock.timers.tick(REPARSE_MAX_WAIT_MS - waited);
  const view = cache.view(current);
  assert.equal(view.fresh, true);
  assert.ok(view.model.steps.some((s) => s.name === 'Step seven'));
  // A quiet moment is enough: REPARSE_DELAY_MS without edits or requests.
  current = doc(big.replace('name="Step 8"', 'name="Step eight"'), 3);
  cache.changed(current.uri);
  assert.equal(cache.view(current).fresh, false);
  t.mock.timers.tick(REPARSE_DELAY_MS);
  assert.ok(cache.view(current).model.steps.some((s) => s.name === 'Step eight'));
  cache.dispose();
});

void test('the deferred parse waits while the document\'s check is on its way (its diagnostics would wait for the parse)', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  let current = doc(big, 1);
  let busy = true;
  const cache = new ModelCache(() => current, undefined, undefined, () => busy);
  cache.get(current);
  current = doc(big.replace('name="Step 7"', 'name="Step seven"'), 2);
  cache.changed(current.uri);
  t.mock.timers.tick(REPARSE_DELAY_MS * 3);
  assert.equal(cache.view(current).fresh, false, 'not parsed while the check runs');
  busy = false;
  t.mock.timers.tick(REPARSE_DELAY_MS);
  assert.ok(cache.view(current).model.steps.some((s) => s.name === 'Step seven'), 'parsed once it is back');
  cache.dispose();
});

void test('a large document just opened is parsed once its check is under way, not when the first request or edit comes', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const current = doc(big, 1);
  let busy = false;
  const parsed: string[] = [];
  const cache = new ModelCache(() => current, (_uri, text) => parsed.push(text), undefined, () => busy);
  cache.opened(current.uri);
  t.mock.timers.tick(100);
  assert.equal(cache.peek(current.uri, current.text), undefined, 'not before its check is under way');
  busy = true;
  t.mock.timers.tick(20);
  assert.ok(cache.peek(current.uri, current.text), 'parsed while the check runs');
  assert.equal(parsed.length, 1);
  assert.equal(cache.view(current).fresh, true);
  // No check at all (a client that never asks for diagnostics): parsed after OPEN_PARSE_WAIT_MS.
  const other = new ModelCache(() => current);
  other.opened(current.uri);
  t.mock.timers.tick(OPEN_PARSE_WAIT_MS + 20);
  assert.ok(other.peek(current.uri, current.text));
  cache.dispose();
  other.dispose();
});

/**
 * A cache whose deferred parses wait for their `ready`, as the server's warm-up makes them;
 * `edit` changes the document's text, lets the edits pause and returns that parse's `ready`.
 */
function preparingCache(t: TestContext, first: DocText) {
  const state: { current: DocText; ready?: () => void } = { current: first };
  const cache = new ModelCache(() => state.current, (_uri, _text, _parsed, ready) => {
    state.ready = ready;
  });
  cache.get(first);
  const edit = (next: DocText): (() => void) | undefined => {
    state.ready = undefined;
    state.current = next;
    cache.changed(next.uri);
    t.mock.timers.tick(REPARSE_DELAY_MS);
    return state.ready;
  };
  return { cache, state, edit };
}

void test('the deferred parse: the features keep the last model until what they need from the new one is ready', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const { cache, state, edit } = preparingCache(t, doc(big, 1));
  const ready = edit(doc(big.replace('name="Step 7"', 'name="Step seven"'), 2));
  assert.ok(ready, 'the new text was parsed');
  assert.ok(cache.peek(state.current.uri, state.current.text), 'and is there for whoever asks for this text');
  assert.equal(cache.view(state.current).fresh, false, 'the features still answer from the last model');
  ready();
  const view = cache.view(state.current);
  assert.equal(view.fresh, true);
  assert.ok(view.model.steps.some((s) => s.name === 'Step seven'));
  // Asked for before it is ready (a check, a fix): the new parse is installed at once, not parsed again.
  const ready3 = edit(doc(big.replace('name="Step 8"', 'name="Step eight"'), 3));
  const pending = cache.peek(state.current.uri, state.current.text);
  assert.ok(pending && ready3);
  assert.equal(cache.get(state.current), pending);
  assert.equal(cache.view(state.current).fresh, true);
  cache.dispose();
});

void test('an undo while a deferred parse is being prepared: the parse of the text left behind is never shown', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const { cache, state, edit } = preparingCache(t, doc(big, 1));
  const pending = edit(doc(big.replace('name="Step 7"', 'name="Step seven"'), 2));
  assert.ok(pending, 'the edited text is being prepared');
  // Undo, and a request, before it is ready.
  state.current = doc(big, 3);
  cache.changed(state.current.uri);
  assert.equal(cache.view(state.current).fresh, true);
  pending();
  const view = cache.view(state.current);
  assert.equal(view.fresh, true, 'still the model of the text the document has now');
  assert.ok(!view.model.steps.some((s) => s.name === 'Step seven'));
  // The same undo with no request in between: the prepared parse is not installed either.
  const pending2 = edit(doc(big.replace('name="Step 9"', 'name="Step nine"'), 4));
  assert.ok(pending2);
  state.current = doc(big, 5);
  pending2();
  const after = cache.view(state.current);
  assert.ok(!after.model.steps.some((s) => s.name === 'Step nine'));
  assert.equal(after.fresh, true);
  cache.dispose();
});
