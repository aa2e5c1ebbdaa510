// The server's check reports (workspace/workspace.ts), through a fake set of open documents over a
// real folder: a file the workspace scan checked from disk is not checked again when the editor
// opens it with the same text (issue 8), and is when the text differs or the disk copy was not
// valid in its encoding.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore, pathToUri, type OpenDocuments } from '../../server/src/workspace/documents';
import { Project } from '../../server/src/project';
import { nodeHost } from '../../server/src/workspace/host';
import { Workspace } from '../../server/src/workspace/workspace';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'cmts-ws-'));
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'cli', 'deploy.xml'), 'utf8');
  writeFileSync(join(root, 'deploy.xml'), text);
  const open = new Map<string, { uri: string; version: number; languageId: string; getText(): string }>();
  const editor: OpenDocuments = { get: (u) => open.get(u), keys: () => [...open.keys()] };
  const docs = new DocumentStore(editor);
  const ws = new Workspace(docs, new Project(nodeHost((p) => docs.getPath(p))), { editorValidatesJson: false });
  const uri = pathToUri(join(root, 'deploy.xml'));
  const openAs = (t: string, version: number) => open.set(uri, { uri, version, languageId: 'xml', getText: () => t });
  return { root, text, ws, uri, openAs };
}

void test('opening a file with the text the scan checked reuses its findings; another text is checked', async () => {
  const { root, text, ws, uri, openAs } = setup();
  try {
    await ws.setFolders([root]);
    const disk = ws.report(uri)!;
    assert.equal(disk.version, null);
    assert.ok(disk.findings.length > 0, 'the fixture has findings');
    openAs(text, 1);
    const opened = ws.report(uri)!;
    assert.equal(opened.version, 1, 'the report carries the editor version');
    assert.notEqual(opened.key, disk.key);
    assert.equal(opened.findings, disk.findings, 'the same findings, not computed again');
    openAs(text.replace('</sequence>', '<!-- edited --></sequence>'), 2);
    const edited = ws.report(uri)!;
    assert.notEqual(edited.findings, disk.findings, 'a different text is checked');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a disk copy that was not valid UTF-8 is checked again when opened (its findings said so)', async () => {
  const { root, text, ws, uri, openAs } = setup();
  try {
    // An invalid byte in a comment: the decoded text has U+FFFD there, the finding says why.
    const bytes = Buffer.concat([Buffer.from(text.replace('</sequence>', '<!-- ')), Buffer.from([0xff]), Buffer.from(' --></sequence>\n')]);
    writeFileSync(join(root, 'deploy.xml'), bytes);
    await ws.setFolders([root]);
    const disk = ws.report(uri)!;
    assert.ok(disk.findings.some((f) => /not valid UTF-8/.test(f.message)));
    openAs(disk.text, 1);
    const opened = ws.report(uri)!;
    assert.ok(!opened.findings.some((f) => /not valid UTF-8/.test(f.message)), 'the editor copy is valid text');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
