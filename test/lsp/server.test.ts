// The language server over a real stdio connection, as an editor drives it: push and pull
// diagnostics, closed files of the workspace, re-checks on edits and on file events for the site
// description and .cmts.json, hover, a code action round trip, the custom requests of the VS Code
// client, and the error boundary (a request that throws is answered and the next one works).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, DocumentSymbol, FoldingRange, Hover, WorkspaceDiagnosticReport } from 'vscode-languageserver/node';
import { LineIndex } from '../../server/src/model/positions';
import { main as cli } from '../../server/src/cli';
import type { Report } from '../../server/src/report/model';
import { applyEdits, LspClient, uri } from './lspClient';

function hoverText(h: Hover | null): string {
  const c = h?.contents;
  return typeof c === 'object' && c !== null && 'value' in c ? c.value : '';
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'e2e', 'ws');
const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function freshWorkspace(withExamples = false): string {
  const root = mkdtempSync(join(tmpdir(), 'cmts-lsp-'));
  const examples = join(__dirname, '..', '..', 'examples');
  if (withExamples && existsSync(examples)) cpSync(examples, root, { recursive: true });
  cpSync(FIXTURE, root, { recursive: true });
  roots.push(root);
  return root;
}

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `"${needle}" is in the text`);
  return new LineIndex(text).positionAt(at + delta);
}

function codes(ds: Diagnostic[] | undefined): string[] {
  return (ds ?? []).map((d) => String(d.code)).sort();
}

function fullItems(r: DocumentDiagnosticReport): Diagnostic[] {
  assert.equal(r.kind, 'full');
  return r.kind === 'full' ? r.items : [];
}

describe('push diagnostics (clients without pull: Neovim, Emacs, Vim)', () => {
  let c: LspClient;
  let root: string;
  before(async () => {
    root = freshWorkspace();
    c = await LspClient.start({ root, pull: false });
  });
  after(() => c.stop());

  test('announces push: no diagnosticProvider, and registers file watchers', async () => {
    assert.equal(c.initializeResult.capabilities.diagnosticProvider, undefined);
    const reg = await c.waitFor('watcher registration', () => c.registrations.find((r) => (r as { method: string }).method === 'workspace/didChangeWatchedFiles'));
    const globs = (reg as { registerOptions: { watchers: { globPattern: string }[] } }).registerOptions.watchers.map((w) => w.globPattern);
    assert.deepEqual(globs.sort(), ['**/*.xml', '**/.cmts.json', '**/configmgr-site.json']);
  });

  test('a closed task sequence in the workspace gets its diagnostics', async () => {
    const u = uri(join(root, 'lab/sequences/restart.xml'));
    const d = await c.waitFor('diagnostics of the closed restart.xml', () => c.pushed.get(u)?.find((x) => x.code === 'unknown-step-type'));
    assert.equal(d.source, 'cmts');
    assert.match(d.codeDescription?.href ?? '', /^file:\/\/.*\/docs\/rules\.md#unknown-step-type$/);
    assert.equal((d.data as { rule: string }).rule, 'unknown-step-type');
    assert.equal((d.data as { kind: string }).kind, 'replace-step-type');
    const text = readFileSync(join(root, 'lab/sequences/restart.xml'), 'utf8');
    assert.deepEqual(d.range.start, positionOf(text, 'SMS_TaskSequence_RebootActon'));
  });

  test('open document: diagnostics, hover, code action round trip, re-check on change', async () => {
    const path = join(root, 'lab/sequences/restart.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    const diag = await c.waitFor('unknown-step-type', () => c.pushed.get(u)?.find((x) => x.code === 'unknown-step-type'));

    const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: positionOf(text, 'SMS_TaskSequence_RunCommandLineAction', 5) });
    const md = hoverText(hover);
    assert.match(md, /^\*\*Run Command Line\*\*/, md);
    assert.match(md, /\[Documentation\]\(https:/);

    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.deepEqual(symbols.map((g) => [g.name, g.children?.map((x) => `${x.name} (${x.detail})`)]), [['Maintenance', ['1. Write marker (Run Command Line)', '2. Restart Computer (SMS_TaskSequence_RebootActon)']]]);
    const folds = await c.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: u } });
    assert.ok(folds.some((f) => f.startLine === positionOf(text, '<group').line), 'the group folds');

    const idHover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: positionOf(text, 'LAB00003', 2) });
    assert.match(hoverText(idHover), /Build scripts/);

    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: diag.range, context: { diagnostics: [diag], only: ['quickfix'] } });
    const titles = actions.map((a) => a.title);
    assert.equal(titles[0], 'Change to SMS_TaskSequence_RebootAction', titles.join(', '));
    assert.equal(actions[0].isPreferred, true);
    assert.ok(titles.includes('Suppress unknown-step-type for this step'), titles.join(', '));
    const fixed = applyEdits(text, actions[0].edit!.changes![u]);
    assert.ok(fixed.includes('type="SMS_TaskSequence_RebootAction"'));
    c.change(u, fixed);
    await c.waitFor('the diagnostic to clear', () => c.pushed.get(u) !== undefined && !codes(c.pushed.get(u)).includes('unknown-step-type'));

    // A stale diagnostic (the text under it changed) offers no fix, only the suppression.
    const stale = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: diag.range, context: { diagnostics: [diag] } });
    assert.ok(!stale.some((a) => a.title.startsWith('Change to')), stale.map((a) => a.title).join(', '));
    c.change(u, text);
    await c.waitFor('the diagnostic to come back', () => codes(c.pushed.get(u)).includes('unknown-step-type'));
  });

  test('editing .cmts.json on disk re-checks open and closed sequences', async () => {
    const open = uri(join(root, 'lab/sequences/restart.xml'));
    const closed = uri(join(root, 'lab/sequences/scripts.xml'));
    await c.waitFor('scripts.xml diagnostics', () => codes(c.pushed.get(closed)).includes('unused-suppression'));
    const config = join(root, '.cmts.json');
    writeFileSync(config, JSON.stringify({ rules: { 'unknown-step-type': 'off', 'unused-suppression': 'off' } }));
    c.fileChanged(uri(config), 1);
    await c.waitFor('unknown-step-type off', () => c.pushed.get(open) !== undefined && !codes(c.pushed.get(open)).includes('unknown-step-type'));
    await c.waitFor('unused-suppression off', () => !codes(c.pushed.get(closed)).includes('unused-suppression'));
    unlinkSync(config);
    c.fileChanged(uri(config), 3);
    await c.waitFor('unknown-step-type back', () => codes(c.pushed.get(open)).includes('unknown-step-type'));
  });

  test('the site description gets its own problems; editing it reloads it for the open sequences', async () => {
    const site = join(root, 'lab/configmgr-site.json');
    const original = readFileSync(site, 'utf8');
    const path = join(root, 'lab/sequences/restart.xml');
    const u = uri(path);
    const pos = positionOf(readFileSync(path, 'utf8'), 'LAB00003', 2);
    writeFileSync(site, original.replace('"Build scripts"', '"Renamed scripts"').replace('"ConfigMgr CB"', '"ConfigMgr 2099"'));
    c.fileChanged(uri(site), 2);
    const problem = await c.waitFor('invalid-site-description', () => c.pushed.get(uri(site))?.find((d) => d.code === 'invalid-site-description'));
    assert.match(String(problem.message), /ConfigMgr 2099|product/);
    const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: pos });
    assert.match(hoverText(hover), /Renamed scripts/);
    writeFileSync(site, original);
    c.fileChanged(uri(site), 2);
    await c.waitFor('site problems cleared', () => c.pushed.get(uri(site))?.length === 0);
  });
});

describe('pull diagnostics (VS Code)', () => {
  let c: LspClient;
  let root: string;
  before(async () => {
    root = freshWorkspace();
    c = await LspClient.start({ root, pull: true, env: { CMTS_TEST_HOOKS: '1' }, initializationOptions: { jsonSchemaValidation: true } });
  });
  after(() => c.stop());

  test('announces pull with workspace diagnostics and pushes nothing', async () => {
    assert.deepEqual(c.initializeResult.capabilities.diagnosticProvider, { identifier: 'cmts', interFileDependencies: true, workspaceDiagnostics: true });
    await c.waitFor('the initial refresh', () => c.refreshes > 0);
    assert.equal(c.pushed.size, 0);
  });

  test('textDocument/diagnostic for an open document, unchanged when asked again', async () => {
    const path = join(root, 'lab/sequences/restart.xml');
    const u = c.open(path);
    const r = await c.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: u } });
    // "Equals" in its condition is accepted as the engine accepts it: no invalid-condition.
    assert.deepEqual(codes(fullItems(r)), ['unknown-step-type']);
    const again = await c.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: u }, previousResultId: (r as { resultId: string }).resultId });
    assert.equal(again.kind, 'unchanged');
    c.change(u, readFileSync(path, 'utf8').replace('RebootActon', 'RebootAction'));
    const changed = await c.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: u }, previousResultId: (r as { resultId: string }).resultId });
    assert.deepEqual(codes(fullItems(changed)), []);
    c.close(u);
  });

  test('workspace/diagnostic reports every task sequence, closed ones included', async () => {
    const report = await c.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
    for (const rel of ['lab/sequences/restart.xml', 'lab/sequences/scripts.xml', 'nosite/orphan.xml']) {
      const item = report.items.find((i) => i.uri === uri(join(root, rel)));
      assert.ok(item && item.kind === 'full', `${rel} is in the workspace report`);
      assert.equal(item.version, null);
    }
    const again = await c.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: report.items.map((i) => ({ uri: i.uri, value: (i as { resultId: string }).resultId })) });
    assert.ok(again.items.every((i) => i.kind === 'unchanged'), 'nothing changed: all unchanged');
  });

  test('a change to .cmts.json or the site description ends in one refresh and new results', async () => {
    const restart = uri(join(root, 'lab/sequences/restart.xml'));
    const before = c.refreshes;
    const config = join(root, 'lab/.cmts.json');
    writeFileSync(config, '{ "rules": { "unknown-step-type": "off" } }');
    c.fileChanged(uri(config), 1);
    await c.waitFor('a refresh', () => c.refreshes > before);
    const r = await c.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
    const item = r.items.find((i) => i.uri === restart);
    assert.ok(item && item.kind === 'full' && !codes(item.items).includes('unknown-step-type'));
    unlinkSync(config);
    c.fileChanged(uri(config), 3);
    await c.waitFor('another refresh', () => c.refreshes > before + 1);
  });

  test('site file problems: all of them while closed, only what the schema cannot say while the editor validates it', async () => {
    const site = join(root, 'lab/configmgr-site.json');
    const original = readFileSync(site, 'utf8');
    // A schema problem (unknown product) and one only cmts knows (a duplicate ID).
    const broken = original.replace('"ConfigMgr CB"', '"ConfigMgr 2099"').replace('"LAB00003"', '"LAB00002"');
    writeFileSync(site, broken);
    c.fileChanged(uri(site), 2);
    const closed = await c.waitFor('closed site report', async () => {
      const r = await c.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
      const item = r.items.find((i) => i.uri === uri(site));
      return item?.kind === 'full' && item.items.length >= 2 ? item.items : undefined;
    });
    assert.ok(closed.every((d) => d.code === 'invalid-site-description'));
    const u = c.open(site, 'json', broken);
    const open = fullItems(await c.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: u } }));
    assert.equal(open.length, 1, JSON.stringify(open));
    assert.match(String(open[0].message), /LAB00002/);
    c.close(u);
    writeFileSync(site, original);
    c.fileChanged(uri(site), 2);
  });

  test('cmts/siteFor and creating a site description', async () => {
    const orphan = uri(join(root, 'nosite/orphan.xml'));
    const none = await c.request<{ taskSequence: boolean; siteUri?: string }>('cmts/siteFor', { uri: orphan });
    assert.deepEqual(none, { taskSequence: true });
    const lab = await c.request<{ siteUri?: string; siteLabel?: string }>('cmts/siteFor', { uri: uri(join(root, 'lab/sequences/restart.xml')) });
    assert.equal(lab.siteLabel, 'lab/configmgr-site.json');
    const target = join(root, 'nosite/configmgr-site.json');
    const init = await c.request<{ text: string; sequences: number }>('cmts/siteInit', { targetUri: uri(target), folderUri: uri(join(root, 'nosite')) });
    assert.equal(init.sequences, 1);
    // A bare <sequence> carries no package ID and orphan.xml names no content: nothing is known,
    // so nothing is written (no placeholder the checks would read).
    assert.deepEqual(JSON.parse(init.text), { site: {} });
    const before = c.refreshes;
    writeFileSync(target, init.text);
    c.fileChanged(uri(target), 1);
    await c.waitFor('refresh after the new site description', () => c.refreshes > before);
    const now = await c.request<{ siteUri?: string }>('cmts/siteFor', { uri: orphan });
    assert.equal(now.siteUri, uri(target));
  });

  test('a request that throws is answered empty, and the server goes on', async () => {
    assert.equal(await c.request('cmts/test/throw', {}), null);
    const text = readFileSync(join(root, 'lab/sequences/restart.xml'), 'utf8');
    const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(join(root, 'lab/sequences/restart.xml')) }, position: positionOf(text, 'SMS_TaskSequence_RunCommandLineAction', 3) });
    assert.match(hoverText(hover), /Run Command Line/);
    assert.ok(c.logs.some((l) => l.includes('failure injected by the test hook')), 'the failure is logged');
  });

  test('garbage input gets answers, not a crash', async () => {
    const u = c.open(join(root, 'broken.xml'), 'tasksequence', '<sequence><step type="x" name="\u0000');
    const r = await c.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: u } });
    assert.ok(codes(fullItems(r)).includes('xml-syntax'));
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 99, character: 99 } }), null);
    assert.deepEqual(await c.request('textDocument/codeAction', { textDocument: { uri: 'file:///nowhere.xml' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
  });
});

describe('the server and the CLI agree', () => {
  test('every file of the example workspace: same checks, places and messages', async () => {
    const root = freshWorkspace(true);
    let json = '';
    cli(['check', '--format', 'json', '.'], { out: (x) => (json += x), err: () => undefined, cwd: root });
    const expected = (JSON.parse(json) as Report).files;
    const c = await LspClient.start({ root, pull: true });
    try {
      await c.waitFor('the initial refresh', () => c.refreshes > 0);
      const report = await c.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
      const got = new Map(report.items.map((i) => [i.uri, i.kind === 'full' ? i.items : []]));
      assert.ok(expected.length >= 3, 'the CLI checked the workspace');
      for (const f of expected) {
        const items = got.get(uri(join(root, f.path)));
        assert.ok(items, `${f.path} is in the workspace report`);
        const key = (rule: unknown, r: { start: { line: number; character: number } }, m: unknown) => `${String(rule)} ${r.start.line}:${r.start.character} ${String(m)}`;
        assert.deepEqual(items.map((d) => key(d.code, d.range, d.message)).sort(), f.diagnostics.map((d) => key(d.rule, d.range, d.message)).sort(), f.path);
      }
    } finally {
      await c.stop();
    }
  });
});
