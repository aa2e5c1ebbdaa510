// smsts.log attached to a sequence through the in-process server (issue 18): cmts/attachLog reads
// the file from disk, the failure becomes a diagnostic (source smsts.log) beside the sequence's
// own, pulled and pushed; durations join the step hints; a log of another version of the sequence
// is said once and lays nothing on the steps; the log's lines link to their steps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, DocumentLink, InlayHint } from 'vscode-languageserver/node';
import { LspClient, uri } from './lspClient';
import { lineOf, logWorkspace } from './logWorkspace';
import type { AttachLogResult } from '../../server/src/lsp/logProtocol';

const FIXTURES = join(__dirname, '..', 'fixtures', 'log');
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

function withLogs(...logs: string[]): string {
  const root = logWorkspace();
  for (const l of logs) copyFileSync(join(FIXTURES, l), join(root, l));
  return root;
}

async function pulled(c: LspClient, u: string): Promise<Diagnostic[]> {
  const r = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
  return r.items.filter((d) => d.source === 'smsts.log');
}

void test('a failed run: the failed step gets an error with the exit code, its meaning and the log line (pull)', async () => {
  const root = withLogs('failed.log');
  const c = await LspClient.startInProcess({ root, pull: true, capabilities: { textDocument: { inlayHint: {} }, workspace: { inlayHint: { refreshSupport: true } } } });
  try {
    const path = join(root, 'deploy.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    assert.deepEqual(await pulled(c, u), [], 'nothing from smsts.log before a log is attached');
    const before = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range: WHOLE });
    assert.equal(before.find((h) => h.position.line === lineOf(text, 'Partition Disk'))?.label, '#6 · Windows PE');

    const r = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'failed.log'))] });
    assert.equal(r.attached, true);
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failures, 1);
    assert.equal(r.notice, undefined);

    const diags = await pulled(c, u);
    assert.equal(diags.length, 1, JSON.stringify(diags));
    const d = diags[0];
    assert.equal(d.severity, 1, 'an error: the run stopped there');
    assert.equal(d.range.start.line, lineOf(text, 'Install Required App'));
    assert.equal(text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character), 'Install Required App', 'on the step\'s name');
    assert.equal(d.code, '1603');
    assert.match(String(d.message), /Step 11 failed in this run \(failed\.log:21\) with exit code 1603 \(ERROR_INSTALL_FAILURE/);
    assert.equal(d.relatedInformation?.[0].location.uri, uri(join(root, 'failed.log')));
    assert.equal(d.relatedInformation?.[0].location.range.start.line, 20);
    // The checks' own diagnostics are still there.
    const all = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
    assert.ok(all.items.some((x) => x.source !== 'smsts.log'), 'the sequence\'s own diagnostics are kept');

    const hints = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range: WHOLE });
    const label = (name: string): unknown => hints.find((h) => h.position.line === lineOf(text, name))?.label;
    assert.equal(label('Partition Disk'), '#6 · Windows PE · 30s', 'the duration from the log (started 09:00:07, completed 09:00:37)');
    assert.equal(label('Install Required App'), '#11 · full OS · failed 2m 00s');
    assert.equal(label('Disabled Step'), '#3 · never runs · skipped (disabled)');
    assert.equal(label('Final Step'), '#20 · either', 'a step the run never reached has no run facts');

    assert.equal(await c.request('cmts/detachLog', { sequenceUri: u }), true);
    assert.deepEqual(await pulled(c, u), [], 'detached: the log\'s diagnostics are gone');
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a log of another version of the sequence is said once and marks no step (push)', async () => {
  const root = withLogs('renamed.log');
  const c = await LspClient.startInProcess({ root, pull: false });
  try {
    const path = join(root, 'deploy.xml');
    const u = c.open(path);
    const r = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'renamed.log'))] });
    assert.equal(r.attached, true);
    assert.match(r.notice ?? '', /^This log does not match the sequence\. .*"Apply Windows Image".*"Apply Operating System"/);
    const diags = await c.waitFor('the notice pushed', () => {
      const got = (c.pushed.get(u) ?? []).filter((d) => d.source === 'smsts.log');
      return got.length ? got : undefined;
    });
    assert.equal(diags.length, 1, 'said once');
    assert.equal(diags[0].severity, 3);
    assert.equal(diags[0].message, r.notice);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('log lines link to the steps they start and end; files that are not logs are refused', async () => {
  const root = withLogs('failed.log', 'other-tool.log');
  const c = await LspClient.startInProcess({ root, pull: true });
  try {
    const path = join(root, 'deploy.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    const refused = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'other-tool.log'))] });
    assert.equal(refused.attached, false);
    assert.ok(refused.problems.length > 0, 'the reason is given');
    await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'failed.log'))] });
    const logUri = c.open(join(root, 'failed.log'), 'log');
    const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: logUri } });
    const from = (line: number): string | undefined => links.find((l) => l.range.start.line === line - 1)?.target;
    assert.equal(from(10), `${u}#L${lineOf(text, 'Partition Disk') + 1},${text.split('\n')[lineOf(text, 'Partition Disk')].indexOf('<') + 1}`);
    assert.ok(from(21)?.startsWith(`${u}#L${lineOf(text, 'Install Required App') + 1},`), 'the failure line links to the failed step');
    assert.equal(links.find((l) => l.range.start.line === 9)?.range.end.character, readFileSync(join(root, 'failed.log'), 'utf8').split(/\r?\n/)[9].length);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a run rolled over into two files with restarts: one run, a continued failure is a warning, durations across the restart', async () => {
  const root = withLogs('smsts-20240815-144500.log', 'smsts.log');
  const c = await LspClient.startInProcess({ root, pull: true, capabilities: { textDocument: { inlayHint: {} } } });
  try {
    const path = join(root, 'deploy.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    // Given newest first: the server reads the rolled-over file first (the time in its name).
    const r = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'smsts.log')), uri(join(root, 'smsts-20240815-144500.log'))] });
    assert.equal(r.attached, true);
    assert.equal(r.outcome, 'succeeded');
    assert.equal(r.failures, 1);
    assert.deepEqual(r.problems, []);

    const diags = await pulled(c, u);
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.equal(diags[0].severity, 2, 'a warning: the sequence went on (continue on error)');
    assert.equal(diags[0].range.start.line, lineOf(text, 'Install Optional App'));
    assert.equal(diags[0].code, '0x80070002');
    assert.match(String(diags[0].message), /ERROR_FILE_NOT_FOUND/);
    assert.equal(diags[0].relatedInformation?.[0].location.uri, uri(join(root, 'smsts.log')));
    assert.equal(diags[0].relatedInformation?.[0].location.range.start.line, 6, 'the failure line, smsts.log:7');

    const hints = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range: WHOLE });
    const label = (name: string): unknown => hints.find((h) => h.position.line === lineOf(text, name))?.label;
    // Started in Windows PE (bias +000, rolled-over file) and completed in the full OS (+300, smsts.log).
    assert.equal(label('Setup Windows and ConfigMgr'), '#8 · Windows PE · 14m 25s');
    assert.equal(label('Install Optional App'), '#10 · full OS · failed, continued 30s');
    assert.equal(label('Run Child'), '#13 · full OS · 7s');
    assert.equal(label('Final Step'), '#20 · either · 1s');

    // Both files link their lines to the steps.
    const first = c.open(join(root, 'smsts-20240815-144500.log'), 'log');
    const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: first } });
    assert.ok(links.find((l) => l.range.start.line === 21)?.target?.startsWith(`${u}#L${lineOf(text, 'Apply Operating System') + 1},`), 'line 22 starts Apply Operating System');
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('bad input: a binary file is refused with the reason; a truncated log is attached and said to be cut', async () => {
  const root = withLogs('truncated.log');
  writeFileSync(join(root, 'binary.log'), Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]));
  const c = await LspClient.startInProcess({ root, pull: true });
  try {
    const u = c.open(join(root, 'deploy.xml'));
    const binary = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'binary.log'))] });
    assert.equal(binary.attached, false);
    assert.match(binary.problems.join('\n'), /binary/i);
    const missing = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'nowhere.log'))] });
    assert.equal(missing.attached, false);
    assert.match(missing.problems.join('\n'), /Cannot read .*nowhere\.log/);
    assert.deepEqual(await pulled(c, u), [], 'nothing attached, nothing shown');

    const cut = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'truncated.log'))] });
    assert.equal(cut.attached, true);
    assert.equal(cut.failures, 1, 'the failure the cut entry begins is still shown');
    assert.deepEqual(cut.problems, ['truncated.log:4: the file ends inside the log entry that starts on line 4 (a truncated log)']);
    const d = await pulled(c, u);
    assert.equal(d.length, 1);
    assert.match(String(d[0].message), /Step 2 failed/);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a failure inside a child sequence shows in the child\'s file, on the step that failed', async () => {
  const root = withLogs('child-failed.log');
  const c = await LspClient.startInProcess({ root, pull: true });
  try {
    const u = c.open(join(root, 'deploy.xml'));
    const childPath = join(root, 'child.xml');
    const childText = readFileSync(childPath, 'utf8');
    const child = c.open(childPath);
    assert.deepEqual(await pulled(c, child), []);
    const r = await c.request<AttachLogResult>('cmts/attachLog', { sequenceUri: u, logUris: [uri(join(root, 'child-failed.log'))] });
    assert.equal(r.attached, true);
    assert.equal(r.outcome, 'failed');
    const d = await pulled(c, child);
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(d[0].range.start.line, lineOf(childText, 'Child Step Two'));
    assert.equal(d[0].severity, 1);
    assert.equal(d[0].code, '1603');
    assert.match(String(d[0].message), /^Step 16 failed .*It ran as part of deploy\.xml\.$/s);
    assert.equal(d[0].relatedInformation?.[0].location.range.start.line, 27, 'child-failed.log:28, the failure line');
    // The parent marks its own Run Task Sequence step, not the child's steps.
    const parent = await pulled(c, u);
    assert.deepEqual(parent.map((x) => [x.range.start.line, x.message]), [[lineOf(readFileSync(join(root, 'deploy.xml'), 'utf8'), 'Run Child'), 'Step 13 failed in this run (child-failed.log:32).']]);
    // An edit that renames the failed step drops the mark instead of moving it.
    c.change(child, childText.replace('name="Child Step Two"', 'name="Renamed Step"'));
    const after = await c.waitFor('the mark dropped', async () => {
      const x = await pulled(c, child);
      return x.length === 0 ? x : undefined;
    });
    assert.deepEqual(after, []);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
