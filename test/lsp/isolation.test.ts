// One file never stalls the others (issue 21): large task sequences are checked in a worker
// (the server's own script in worker mode, here through tsx), with the same findings as a check
// in place, a time budget that ends in one clear diagnostic, and requests on other files
// answered while a large file is checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hover } from 'vscode-languageserver/node';
import { LspClient } from './lspClient';

const REPO = join(__dirname, '..', '..');
const FIXTURE = readFileSync(join(REPO, 'test', 'fixtures', 'cli', 'deploy.xml'), 'utf8');
const worker = (o: { minChars: number; budgetMs?: number }) => ({ file: join(REPO, 'server/src/serverMain.ts'), ...o });

interface Pulled {
  kind: string;
  items: { code?: string; message: string; range: unknown }[];
}

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'cmts-iso-'));
  writeFileSync(join(root, 'deploy.xml'), FIXTURE);
  return root;
}

const restart = (i: number): string =>
  `<step type="SMS_TaskSequence_RebootAction" name="R${i}" runIn="WinPEandFullOS" successCodeList="0 3010"><action>smsboot.exe /target:WinPE</action><defaultVarList><variable name="SMSRebootTarget" property="Target">WinPE</variable></defaultVarList></step>\n`;

async function pull(c: LspClient, u: string): Promise<Pulled> {
  return c.request<Pulled>('textDocument/diagnostic', { textDocument: { uri: u } });
}

void test('a sequence checked in the worker gets the same diagnostics as one checked in place', async () => {
  const root = workspace();
  const inPlace = await LspClient.startInProcess({ root, pull: true });
  const inWorker = await LspClient.startInProcess({ root, pull: true, checkWorker: worker({ minChars: 1 }) });
  try {
    const a = await pull(inPlace, inPlace.open(join(root, 'deploy.xml')));
    const b = await pull(inWorker, inWorker.open(join(root, 'deploy.xml')));
    assert.ok(a.items.length > 1);
    assert.deepEqual(b.items, a.items);
  } finally {
    await inPlace.stop();
    await inWorker.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a check past its time budget is stopped and the file gets one diagnostic saying so', async () => {
  const root = workspace();
  const c = await LspClient.startInProcess({ root, pull: true, checkWorker: worker({ minChars: 1, budgetMs: 1 }) });
  try {
    const r = await pull(c, c.open(join(root, 'deploy.xml')));
    assert.equal(r.items.length, 1, JSON.stringify(r.items));
    assert.match(r.items[0].message, /stopped checking this file after \d+ s/);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a hover on another file is answered while a large file is checked', async () => {
  const root = workspace();
  let big = '';
  for (let i = 0; i < 8000; i++) big += restart(i);
  writeFileSync(join(root, 'big.xml'), `<?xml version="1.0"?>\n<sequence version="3.10">\n${big}</sequence>\n`);
  const c = await LspClient.startInProcess({ root, pull: true, checkWorker: worker({ minChars: 256 * 1024 }) });
  try {
    const small = c.open(join(root, 'deploy.xml'));
    await pull(c, small);
    const bigUri = c.open(join(root, 'big.xml'));
    let bigDone = false;
    const bigPull = pull(c, bigUri).then((r) => ((bigDone = true), r));
    const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 20, character: 25 } });
    assert.ok(hover?.contents, 'the hover is answered');
    assert.equal(bigDone, false, 'the hover waited for the large file');
    const r = await bigPull;
    assert.ok(r.items.some((d) => d.code === 'no-site-description'), JSON.stringify(r.items.map((d) => d.message)).slice(0, 500));
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('closing a file while it is checked cancels the check and the server goes on', async () => {
  const root = workspace();
  let big = '';
  for (let i = 0; i < 8000; i++) big += restart(i);
  writeFileSync(join(root, 'outside.xml'), `<?xml version="1.0"?>\n<sequence version="3.10">\n${big}</sequence>\n`);
  const c = await LspClient.startInProcess({ root: join(root, 'nowhere'), pull: true, checkWorker: worker({ minChars: 256 * 1024 }) });
  try {
    const bigUri = c.open(join(root, 'outside.xml'));
    const bigPull = pull(c, bigUri);
    await c.waitFor('the check to start', () => c.server!.checks!.busyWith === bigUri);
    c.close(bigUri);
    await bigPull;
    assert.equal(c.server!.checks!.stats.cancelled, 1, 'the running check was cancelled');
    // The next check (the file as it is on disk) starts a new worker and works.
    const again = await pull(c, c.open(join(root, 'outside.xml')));
    assert.ok(again.items.some((d) => d.code === 'no-site-description'), JSON.stringify(again.items));
    assert.ok(c.server!.checks!.stats.done >= 1);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('edits of a file checked in the worker: one worker lives through them, and the diagnostics are those of the last text, as checked in place', async () => {
  const root = workspace();
  const inPlace = await LspClient.startInProcess({ root, pull: true });
  const inWorker = await LspClient.startInProcess({ root, pull: true, checkWorker: worker({ minChars: 1 }) });
  try {
    const path = join(root, 'deploy.xml');
    const a = inPlace.open(path);
    const b = inWorker.open(path);
    await pull(inPlace, a);
    await pull(inWorker, b);
    // Edits inside steps (the worker re-reads only the edited step), one of them while the
    // previous version is still being checked, then a pull of the last version.
    // From the end backwards, so each offset is still the one found in the fixture.
    const names = [...FIXTURE.matchAll(/<step [^>]*name="/g)].map((m) => m.index! + m[0].length);
    const type = FIXTURE.indexOf('type="SMS_TaskSequence_', names[1] - 200) + 'type="'.length;
    assert.ok(names.length >= 3 && type > names[0] && type < names[2]);
    const edits: [number, string][] = [[names[2], 'Edited '], [type, 'X'], [names[0], 'Edited ']];
    let text = FIXTURE;
    for (const [k, [at, insert]] of edits.entries()) {
      text = text.slice(0, at) + insert + text.slice(at);
      inPlace.change(a, text);
      inWorker.change(b, text);
      if (k === 1) void pull(inWorker, b);
    }
    const x = await pull(inPlace, a);
    const y = await pull(inWorker, b);
    assert.deepEqual(y.items, x.items);
    assert.ok(x.items.some((d) => d.code === 'unknown-step-type'), 'the misspelled step type of the last text is reported');
    assert.equal(inWorker.server!.checks!.stats.workers, 1, 'no edit ended the worker');
    assert.ok(inWorker.server!.checks!.stats.done >= 2);
  } finally {
    await inPlace.stop();
    await inWorker.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a document opened in a push client is checked once in the worker (the content event after the opening does not cancel its check)', async () => {
  const root = workspace();
  const c = await LspClient.startInProcess({ root, pull: false, checkWorker: worker({ minChars: 1 }) });
  try {
    const u = c.open(join(root, 'deploy.xml'));
    await c.waitFor('diagnostics of the opened file', () => (c.pushed.get(u)?.length ?? 0) > 0 && true);
    // Whatever else the opening starts (the workspace scan, the site description's report) has settled.
    await new Promise((r) => setTimeout(r, 500));
    // (The workspace scan finding the folder's sequences may check it again: other sequences can change its findings.)
    const stats = c.server!.checks!.stats;
    assert.equal(stats.cancelled, 0, JSON.stringify(stats));
    assert.ok(stats.done >= 1, JSON.stringify(stats));
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
