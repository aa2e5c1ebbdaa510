// The editing features over LSP, in process, on a copy of test/fixtures/editing: formatting,
// rename (a variable into the child sequence; a content ID into the site description), document
// highlight, semantic tokens, workspace symbols, code lens, call hierarchy, inlay hints, and the
// diagnostic tags the check modules ask for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallHierarchyIncomingCall, CallHierarchyItem, CodeLens, Diagnostic, DocumentHighlight, InlayHint, SemanticTokens, SymbolInformation, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { LineIndex } from '../../server/src/model/positions';
import { applyFormatEdits } from '../../server/src/features/format';
import { LspClient, uri } from './lspClient';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'cmts-editing-'));
  cpSync(join(__dirname, '..', 'fixtures', 'editing'), root, { recursive: true });
  return root;
}

function pos(text: string, needle: string, delta = 1): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return new LineIndex(text).positionAt(i + delta);
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyFormatEdits(text, edits.map((e) => ({ span: { start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end) }, newText: e.newText })));
}

void test('the editing features over LSP', async () => {
  const root = workspace();
  // A client with inlay hints, as VS Code: the step numbers are hints, the code lens only the calls.
  const c = await LspClient.startInProcess({ root, pull: true, capabilities: { textDocument: { inlayHint: {} } } });
  try {
    const caps = c.initializeResult.capabilities;
    for (const k of ['documentFormattingProvider', 'documentRangeFormattingProvider', 'renameProvider', 'documentHighlightProvider', 'semanticTokensProvider', 'workspaceSymbolProvider', 'codeLensProvider', 'callHierarchyProvider', 'inlayHintProvider'] as const) {
      assert.ok(caps[k], k);
    }
    const parentPath = join(root, 'sequences', 'parent.xml');
    const messy = readFileSync(parentPath, 'utf8').replace('  <group name="Prepare"', '\t\t<group name="Prepare"');
    writeFileSync(parentPath, messy);
    const p = c.open(parentPath);
    const doc = { textDocument: { uri: p } };

    // Formatting: the tab indentation goes, nothing else changes.
    const fmt = await c.waitFor('format edits', async () => {
      const e = await c.request<TextEdit[]>('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } });
      return e.length ? e : undefined;
    });
    assert.equal(applyEdits(messy, fmt), messy.replace('\t\t<group', '  <group'));

    // Rename AppRing from the Set Task Sequence Variable step: the parent and the child sequence.
    const at = pos(messy, '>AppRing</variable>', 3);
    const prep = await c.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { ...doc, position: at });
    assert.equal(prep.placeholder, 'AppRing');
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', { ...doc, position: at, newName: 'DeployRing' });
    const files = Object.keys(edit.changes ?? {}).map((u) => u.slice(u.lastIndexOf('/') + 1)).sort();
    assert.deepEqual(files, ['child.xml', 'parent.xml']);
    const childText = readFileSync(join(root, 'sequences', 'child.xml'), 'utf8');
    assert.equal(applyEdits(childText, edit.changes![uri(join(root, 'sequences', 'child.xml'))]), childText.replace(/%apprING%/g, '%DeployRing%').replace('%AppRing%', '%DeployRing%'));
    // A built-in variable is refused with a message.
    await assert.rejects(c.request('textDocument/prepareRename', { ...doc, position: pos(messy, '%OSDComputerName%', 3) }), /built-in/);

    // Rename a content ID: the sequences under the site description and the site description.
    const idEdit = await c.request<WorkspaceEdit>('textDocument/rename', { ...doc, position: pos(messy, '>EDT00060</variable>', 3), newName: 'EDT00061' });
    assert.deepEqual(Object.keys(idEdit.changes ?? {}).map((u) => u.slice(u.lastIndexOf('/') + 1)).sort(), ['configmgr-site.json', 'other.xml', 'parent.xml']);

    const hs = await c.request<DocumentHighlight[]>('textDocument/documentHighlight', { ...doc, position: pos(messy, '%AppRing%', 2) });
    assert.equal(hs.length, 6);

    const tokens = await c.request<SemanticTokens>('textDocument/semanticTokens/full', doc);
    assert.equal(tokens.data.length % 5, 0);
    assert.ok(tokens.data.length / 5 >= 10, `${tokens.data.length / 5} tokens`);

    const syms = await c.request<SymbolInformation[]>('workspace/symbol', { query: 'ring' });
    assert.deepEqual(syms.map((s) => s.name).sort(), ['1. Install for ring', '1. Set ring', '2. Log ring']);

    const childUri = c.open(join(root, 'sequences', 'child.xml'));
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: childUri } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['EDT00060: run by 2 sequences ("Deploy", "Refresh")']);
    assert.equal(lenses[0].command?.command, 'cmts.showLocations');
    assert.equal((lenses[0].command?.arguments?.[2] as unknown[]).length, 2);

    const items = await c.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', { textDocument: { uri: childUri }, position: { line: 0, character: 2 } });
    assert.equal(items[0].name, 'Install tools');
    const incoming = await c.request<CallHierarchyIncomingCall[]>('callHierarchy/incomingCalls', { item: items[0] });
    assert.deepEqual(incoming.map((i) => i.from.name).sort(), ['Deploy', 'Refresh']);

    const hints = await c.request<InlayHint[]>('textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } } });
    assert.ok(hints.some((h) => h.label === 'Install tools'));
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('diagnostic tags: an unused suppression is unnecessary', async () => {
  const root = workspace();
  const path = join(root, 'sequences', 'other.xml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('<sequence version="3.10">', '<sequence version="3.10">\n  <!-- cmts-disable-next-line unknown-step-type -->'));
  const c = await LspClient.startInProcess({ root, pull: true });
  try {
    const u = c.open(path);
    const d = await c.waitFor('the unused suppression', async () => {
      const r = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
      return r.items.find((x) => x.code === 'unused-suppression');
    });
    assert.deepEqual(d.tags, [1]);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('"Disable … in .cmts.json" creates the file beside the site description, not at the workspace root', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cmts-config-place-'));
  cpSync(join(__dirname, '..', 'fixtures', 'editing'), join(root, 'siteA'), { recursive: true });
  const path = join(root, 'siteA', 'sequences', 'parent.xml');
  const c = await LspClient.startInProcess({ root, pull: true });
  try {
    // The test client announces no file creation; the server's own flag stands for a client that does.
    c.server!.canCreateFiles = true;
    const u = c.open(path);
    const d = await c.waitFor('the unknown step type', async () => {
      const r = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
      return r.items.find((x) => x.code === 'unknown-step-type');
    });
    const actions = await c.request<{ title: string; edit?: { documentChanges?: { kind?: string; uri?: string }[] } }[]>('textDocument/codeAction', { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } });
    const disable = actions.find((a) => a.title.startsWith('Disable unknown-step-type'));
    assert.ok(disable, actions.map((a) => a.title).join(', '));
    const created = disable.edit?.documentChanges?.find((x) => x.kind === 'create');
    assert.equal(created?.uri, uri(join(root, 'siteA', '.cmts.json')));
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('formatting is registered for the selector the client gives, so JSON files get no formatter; announced otherwise', async () => {
  const root = workspace();
  const selector = [{ scheme: 'file', language: 'tasksequence' }];
  const dynamic = { formatting: { dynamicRegistration: true }, rangeFormatting: { dynamicRegistration: true } };
  const narrowed = await LspClient.startInProcess({ root, pull: true, capabilities: { textDocument: dynamic }, initializationOptions: { formattingSelector: selector } });
  try {
    await narrowed.waitFor('the formatting registrations', () => (narrowed.registrations as { method: string }[]).some((r) => r.method === 'textDocument/rangeFormatting'));
    const caps = narrowed.initializeResult.capabilities;
    assert.equal(caps.documentFormattingProvider, false);
    assert.equal(caps.documentRangeFormattingProvider, false);
    const regs = narrowed.registrations as { method: string; registerOptions: { documentSelector: unknown } }[];
    for (const method of ['textDocument/formatting', 'textDocument/rangeFormatting']) {
      assert.deepEqual(regs.find((r) => r.method === method)?.registerOptions.documentSelector, selector, method);
    }
  } finally {
    await narrowed.stop();
  }
  // A client that cannot register dynamically keeps the static announcement (and the selector is ignored).
  const plain = await LspClient.startInProcess({ root, pull: true, initializationOptions: { formattingSelector: selector } });
  try {
    await plain.waitFor('the file watcher registration', () => plain.registrations.length > 0);
    assert.equal(plain.initializeResult.capabilities.documentFormattingProvider, true);
    assert.equal((plain.registrations as { method: string }[]).some((r) => r.method === 'textDocument/formatting'), false);
  } finally {
    await plain.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
