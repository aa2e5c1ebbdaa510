// Quick fixes of a sequence checked in the worker (issue 20): the worker builds and judges them
// (judging re-checks the fixed text, hundreds of milliseconds at 2 MB), so the request thread is
// free meanwhile; the actions are those a check in place offers, fix-all included; fixes are
// offered only for the text the client has now.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver/node';
import { LspClient, uri } from './lspClient';

const REPO = join(__dirname, '..', '..');
const FIXES = join(REPO, 'test', 'fixtures', 'fixes');
const worker = { file: join(REPO, 'server/src/serverMain.ts'), minChars: 1 };

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'cmts-worker-fixes-'));
  cpSync(FIXES, root, { recursive: true });
});
after(() => rmSync(root, { recursive: true, force: true }));

interface Pulled {
  items: Diagnostic[];
}

const pull = (c: LspClient, u: string): Promise<Pulled> => c.request<Pulled>('textDocument/diagnostic', { textDocument: { uri: u } });
const actionsFor = (c: LspClient, u: string, d: Diagnostic, only?: string[]): Promise<CodeAction[]> =>
  c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d], ...(only ? { only } : {}) } });

void test('fixes judged in the worker are those judged in place, for every fix fixture (fix-all too)', async () => {
  const inPlace = await LspClient.startInProcess({ root, pull: true });
  const inWorker = await LspClient.startInProcess({ root, pull: true, checkWorker: worker });
  try {
    let compared = 0;
    for (const name of readdirSync(root).sort()) {
      const path = join(root, name, 'before.xml');
      const a = inPlace.open(path);
      const b = inWorker.open(path);
      const da = await pull(inPlace, a);
      const db = await pull(inWorker, b);
      assert.deepEqual(db.items, da.items, name);
      for (const d of da.items) {
        const x = await actionsFor(inPlace, a, d);
        const y = await actionsFor(inWorker, b, d);
        assert.deepEqual(y, x, `${name}: ${String(d.code)}`);
        compared += x.length;
      }
      if (da.items.length) {
        const all = ['quickfix', 'source.fixAll.cmts'];
        assert.deepEqual(await actionsFor(inWorker, b, da.items[0], all), await actionsFor(inPlace, a, da.items[0], all), `${name}: fix-all`);
      }
    }
    assert.ok(compared > 30, `only ${compared} actions compared`);
    assert.ok(inWorker.server!.checks!.stats.fixJobs > 30, 'the fixes were built in the worker');
  } finally {
    await inPlace.stop();
    await inWorker.stop();
  }
});

void test('a hover is answered while the worker judges a code action\'s fixes', async () => {
  const c = await LspClient.startInProcess({ root, pull: true, checkWorker: worker });
  try {
    const path = join(root, 'state-store-request', 'before.xml');
    const u = c.open(path);
    const d = (await pull(c, u)).items.find((x) => x.code === 'state-store-request');
    assert.ok(d, 'the fixture has the finding');
    let answered = false;
    const actions = actionsFor(c, u, d).then((a) => ((answered = true), a));
    const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: d.range.start });
    // The code action was asked first and handed to the worker; the hover's answer came back before its answer.
    const jobs = c.server!.checks!.stats.fixJobs;
    assert.ok(hover?.contents, 'the hover is answered');
    assert.equal(answered, false, 'the hover waited for the code action');
    assert.equal(jobs, 1, 'the fixes are judged in the worker');
    const list = await actions;
    assert.ok(list.some((a) => a.title.startsWith('Insert Request State Store')), list.map((a) => a.title).join(', '));
  } finally {
    await c.stop();
  }
});

void test('a code action for a version edited meanwhile offers nothing (its edits would miss), and fixes come back for the new one', async () => {
  const c = await LspClient.startInProcess({ root, pull: true, checkWorker: worker });
  try {
    const path = join(root, 'state-store-request', 'before.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    const d = (await pull(c, u)).items.find((x) => x.code === 'state-store-request');
    assert.ok(d);
    const stale = actionsFor(c, u, d);
    // An edit at the very start: every offset of the old text moves by one.
    c.change(u, ` ${text}`);
    assert.deepEqual(await stale, []);
    const d2 = (await pull(c, u)).items.find((x) => x.code === 'state-store-request');
    assert.ok(d2);
    const fresh = await actionsFor(c, u, d2);
    assert.ok(fresh.some((a) => a.title.startsWith('Insert Request State Store')), fresh.map((a) => a.title).join(', '));
  } finally {
    await c.stop();
  }
});

void test('the worker keeps what it found around a sequence between checks, and looks again when the files around it change', async () => {
  const c = await LspClient.startInProcess({ root, pull: true, checkWorker: worker });
  try {
    const dir = join(root, 'unknown-content-stub');
    const u = c.open(join(dir, 'before.xml'));
    // The fixture names CEN00099 and a mistyped ID; the site description lists neither.
    const unknown = async (): Promise<boolean> => (await pull(c, u)).items.some((d) => d.code === 'unknown-content' && String(d.message).includes('"CEN00099"'));
    assert.ok(await unknown());
    // An edit of the sequence: checked again with the same site.
    c.change(u, `${readFileSync(join(dir, 'before.xml'), 'utf8')}\n`);
    assert.ok(await unknown());
    // The site description, edited in the editor, now lists the ID.
    const siteUri = c.open(join(dir, 'configmgr-site.json'));
    c.change(siteUri, readFileSync(join(dir, 'after.configmgr-site.json'), 'utf8'));
    await c.waitFor('the finding to go', async () => !(await unknown()));
    // A .cmts.json created on disk beside it turns the check off.
    c.change(siteUri, readFileSync(join(dir, 'configmgr-site.json'), 'utf8'));
    await c.waitFor('the finding to come back', () => unknown());
    writeFileSync(join(dir, '.cmts.json'), '{ "rules": { "unknown-content": "off" } }\n');
    c.fileChanged(uri(join(dir, '.cmts.json')), 1);
    await c.waitFor('the check to be off', async () => !(await unknown()));
  } finally {
    await c.stop();
  }
});
