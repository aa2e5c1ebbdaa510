// Quick fixes over a real stdio connection: a step inserted through a code action clears its
// diagnostic, source.fixAll.cmts applies every single-candidate fix at once, a site stub comes as an
// edit of the site description, and (pure) a fix that creates .cmts.json becomes CreateFile + insert
// for clients that can create files, and is left out for those that cannot.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit } from 'vscode-languageserver/node';
import { LineIndex } from '../../server/src/model/positions';
import { FIX_ALL_KIND, toFixCodeAction } from '../../server/src/lsp/convert';
import { applyEdits, LspClient, uri } from './lspClient';

const REPO = join(__dirname, '..', '..');
let root: string;
let c: LspClient;

function codes(ds: Diagnostic[] | undefined): string[] {
  return (ds ?? []).map((d) => String(d.code));
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cmts-lsp-fixes-'));
  cpSync(join(REPO, 'examples'), root, { recursive: true });
  mkdirSync(join(root, 'stub'));
  cpSync(join(REPO, 'test/fixtures/fixes/unknown-content-stub/configmgr-site.json'), join(root, 'stub/configmgr-site.json'));
  cpSync(join(REPO, 'test/fixtures/fixes/unknown-content-stub/before.xml'), join(root, 'stub/deploy.xml'));
  c = await LspClient.start({ root, pull: false });
});
after(async () => {
  await c.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('quick fixes over LSP', () => {
  test('the server offers source.fixAll.cmts besides quick fixes', () => {
    const provider = c.initializeResult.capabilities.codeActionProvider;
    assert.ok(typeof provider === 'object' && provider.codeActionKinds?.includes(FIX_ALL_KIND), JSON.stringify(provider));
    assert.equal(FIX_ALL_KIND, 'source.fixAll.cmts');
  });

  test('Insert Request State Store: applied through the code action, the diagnostic clears', async () => {
    const path = join(root, 'cm2007-sp1/sequences/vista-refresh.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    const diag = await c.waitFor('state-store-request', () => c.pushed.get(u)?.find((d) => d.code === 'state-store-request'));
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: diag.range, context: { diagnostics: [diag] } });
    const insert = actions.find((a) => a.title === 'Insert Request State Store (capture) before this step');
    assert.ok(insert, actions.map((a) => a.title).join(', '));
    assert.equal(insert.isPreferred, true);
    const fixed = applyEdits(text, insert.edit!.changes![u]);
    assert.match(fixed, /<step type="SMS_TaskSequence_RequestStateStoreAction" name="Request State Store" description="" runIn="FullOS" successCodeList="0">\n {10}<action>osdsmpclient\.exe \/capture<\/action>/);
    c.change(u, fixed);
    await c.waitFor('the diagnostic to clear', () => c.pushed.get(u) !== undefined && !codes(c.pushed.get(u)).includes('state-store-request'));
    c.close(u);
  });

  test('source.fixAll.cmts: one action with every single-candidate fix', async () => {
    const path = join(root, 'current-branch/sequences/build-and-capture.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    await c.waitFor('capture-image-prerequisites', () => c.pushed.get(u)?.find((d) => d.code === 'capture-image-prerequisites'));
    const whole = { start: { line: 0, character: 0 }, end: new LineIndex(text).positionAt(text.length) };
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.deepEqual(actions.map((a) => a.kind), [FIX_ALL_KIND]);
    const fixed = applyEdits(text, actions[0].edit!.changes![u]);
    c.change(u, fixed);
    await c.waitFor('the fixed checks to clear', () => {
      const now = codes(c.pushed.get(u));
      return c.pushed.get(u) !== undefined && !now.includes('capture-image-prerequisites') && !now.includes('step-context');
    });
    // Not in the lightbulb: quick fixes only when no kind is asked for.
    const plain = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: whole, context: { diagnostics: [] } });
    assert.ok(plain.every((a) => a.kind === 'quickfix'));
    c.close(u);
  });

  test('a stub for an unknown ID is an edit of the site description', async () => {
    const path = join(root, 'stub/deploy.xml');
    const u = c.open(path);
    const diag = await c.waitFor('unknown-content', () => c.pushed.get(u)?.find((d) => d.code === 'unknown-content'));
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: diag.range, context: { diagnostics: [diag] } });
    const stub = actions.find((a) => a.title === 'Add CEN00099 to the site description (packages)');
    assert.ok(stub, actions.map((a) => a.title).join(', '));
    const siteUri = uri(join(root, 'stub/configmgr-site.json'));
    const siteText = readFileSync(join(root, 'stub/configmgr-site.json'), 'utf8');
    assert.deepEqual(Object.keys(stub.edit!.changes!), [siteUri]);
    assert.equal(applyEdits(siteText, stub.edit!.changes![siteUri]), readFileSync(join(REPO, 'test/fixtures/fixes/unknown-content-stub/after.configmgr-site.json'), 'utf8'));
    // The client cannot create files: no "Disable … in .cmts.json" that would need one.
    assert.ok(!actions.some((a) => a.title.startsWith('Disable ')), actions.map((a) => a.title).join(', '));
    c.close(u);
  });
});

describe('fix edits in other files, as LSP (pure)', () => {
  const lines = new LineIndex('<sequence/>');
  const resolve = (file: string): { uri: string; lines: LineIndex } => ({ uri: uri(file), lines: new LineIndex('') });
  const create = { title: 'Disable step-context in .cmts.json', kind: 'quickfix' as const, edits: [{ file: '/ws/.cmts.json', create: true, span: { start: 0, end: 0 }, newText: '{}\n' }] };

  test('creating a file: CreateFile, then the text inserted into it', () => {
    const a = toFixCodeAction(create, 'file:///ws/a.xml', lines, undefined, resolve, true);
    const changes = a?.edit?.documentChanges as (CreateFile | TextDocumentEdit)[];
    assert.deepEqual(changes[0], { kind: 'create', uri: uri('/ws/.cmts.json'), options: { ignoreIfExists: true } });
    assert.deepEqual((changes[1] as TextDocumentEdit).edits, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '{}\n' }]);
  });

  test('a client that cannot create files does not get the action', () => {
    assert.equal(toFixCodeAction(create, 'file:///ws/a.xml', lines, undefined, resolve, false), undefined);
  });
});
