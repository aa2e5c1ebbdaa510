// The server as a function (startServer) over a pair of streams in this process: protocol
// behaviour without spawning, and proof that the state lives in the server's own object (two
// servers in one process do not see each other's documents).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hover, InitializeResult } from 'vscode-languageserver/node';
import { LspClient, uri } from './lspClient';

const FIXTURE = readFileSync(join(__dirname, '..', 'fixtures', 'cli', 'deploy.xml'), 'utf8');

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'cmts-inproc-'));
  writeFileSync(join(root, 'deploy.xml'), FIXTURE);
  return root;
}

void test('initialize answers with the capabilities and the version the runtime gives', async () => {
  const root = workspace();
  const c = await LspClient.startInProcess({ root, pull: true, version: '9.8.7' });
  try {
    const r: InitializeResult = c.initializeResult;
    assert.deepEqual(r.serverInfo, { name: 'cmts', version: '9.8.7' });
    assert.equal(r.capabilities.hoverProvider, true);
    assert.ok(r.capabilities.diagnosticProvider, 'pull diagnostics for a client that supports them');
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a document opened in one server is unknown to another server in the same process', async () => {
  const a = workspace();
  const b = workspace();
  const one = await LspClient.startInProcess({ root: a, pull: true });
  const two = await LspClient.startInProcess({ root: b, pull: true });
  try {
    const u = one.open(join(a, 'deploy.xml'));
    const at = { line: 20, character: 25 }; // the type of the first step
    const hover = await one.waitFor('a hover in the first server', async () => (await one.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: at })) ?? undefined);
    assert.ok(hover.contents, 'the first server hovers its own document');
    assert.equal(one.server!.docs.get(u)?.version, 1);
    // The second server never received didOpen for this URI and has its own state.
    assert.equal(two.server!.docs.get(uri(join(b, 'nothing.xml'))), undefined);
    assert.notEqual(one.server!.ws, two.server!.ws);
    assert.equal(two.server!.docs.openUris().includes(u), false);
  } finally {
    await one.stop();
    await two.stop();
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

void test('diagnostics are pulled through the project façade in process', async () => {
  const root = workspace();
  const c = await LspClient.startInProcess({ root, pull: true });
  try {
    const u = c.open(join(root, 'deploy.xml'));
    const report = await c.request<{ kind: string; items: { code?: string }[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
    assert.equal(report.kind, 'full');
    // No site description in the workspace: the one note says the site checks were skipped.
    assert.ok(report.items.some((d) => d.code === 'no-site-description'), JSON.stringify(report.items.map((d) => d.code)));
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a failing request answers empty and the next request works (test hook, in process)', async () => {
  const root = workspace();
  const c = await LspClient.startInProcess({ root, pull: true, testHooks: true });
  try {
    assert.equal(await c.request('cmts/test/throw', {}), null);
    const u = c.open(join(root, 'deploy.xml'));
    const symbols = await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.ok(symbols.length > 0);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('cmts/siteImport: what an import would make of the site description, and nothing written', async () => {
  const root = workspace();
  const fixtures = join(__dirname, '..', 'fixtures', 'siteImport');
  const c = await LspClient.startInProcess({ root, pull: true });
  try {
    const target = join(root, 'configmgr-site.json');
    const r = await c.request<{ text: string; existed: boolean; changed: boolean; added: string[]; conflicts: string[]; problems: unknown[] }>('cmts/siteImport', {
      targetUri: uri(target),
      sourceUris: [uri(join(fixtures, 'export'))],
    });
    assert.deepEqual(r.problems, []);
    assert.equal(r.existed, false);
    assert.equal(r.changed, true);
    assert.ok(r.added.length > 0, 'the export adds entries');
    assert.ok(JSON.parse(r.text), 'the result is a JSON site description');
    assert.equal(existsSync(target), false, 'the server writes nothing');

    const bad = await c.request<{ changed: boolean; problems: { file: string; message: string }[] }>('cmts/siteImport', {
      targetUri: uri(target),
      sourceUris: [uri(join(root, 'no-such-export.zip'))],
    });
    assert.equal(bad.changed, false);
    assert.match(bad.problems[0]?.message ?? '', /no-such-export\.zip/);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
