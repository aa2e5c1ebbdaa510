// The requests behind "Compare With…" and "Preview Documentation" (cmts/diff, cmts/docPage), in
// process: the pages are the CLI's, made from the editor's text (unsaved edits included), each
// change linked to its element (the new file's, or the old one's for a removal) through the
// command the client names; a side that is no task sequence gets a message, not a crash.
// Workspaces: copies of test/fixtures/diff and test/fixtures/doc.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIFF, DOC_PAGE, type DiffParams, type DiffResultPayload, type DocPageResult } from '../../server/src/lsp/diffDocProtocol';
import { LineIndex } from '../../server/src/model/positions';
import { LspClient, uri } from './lspClient';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** The hrefs of the page's links, decoded back to [uri, line, character]. */
function commandLinks(html: string, command: string): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (const m of html.matchAll(/href="command:([^?"]+)\?([^"]+)"/g)) {
    assert.equal(m[1], command);
    out.push(JSON.parse(decodeURIComponent(m[2].replace(/&amp;/g, '&'))) as [string, number, number]);
  }
  return out;
}

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `"${needle}" is in the text`);
  return new LineIndex(text).positionAt(i).line;
}

describe('cmts/diff', () => {
  let c: LspClient;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'cmts-diffreq-'));
    cpSync(join(FIXTURES, 'diff'), root, { recursive: true });
    c = await LspClient.startInProcess({ root, pull: true });
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('two files: the page lists the changes and links each to its step, removals to the old file', async () => {
    const oldPath = join(root, 'base.xml');
    const newPath = join(root, 'added-removed.xml');
    const r = await c.request<DiffResultPayload>(DIFF, { oldUri: uri(oldPath), newUri: uri(newPath), linkCommand: 'cmts.revealStep' } satisfies DiffParams);
    assert.equal(r.problem, undefined);
    assert.equal(r.equal, false);
    assert.ok(r.html?.startsWith('<!DOCTYPE html>'));
    assert.match(r.html!, /<code>base\.xml<\/code> → <code>added-removed\.xml<\/code>/);
    assert.match(r.html!, /Apply hotfix/);
    assert.match(r.html!, /Set target/);
    const links = commandLinks(r.html!, 'cmts.revealStep');
    assert.equal(links.length, r.links!.length, 'one link in the page per located change');
    const oldText = readFileSync(oldPath, 'utf8');
    const newText = readFileSync(newPath, 'utf8');
    assert.ok(links.some(([u, line]) => u === uri(newPath) && line === lineOf(newText, 'name="Apply hotfix"')), 'the added step, in the new file');
    assert.ok(links.some(([u, line]) => u === uri(oldPath) && line === lineOf(oldText, 'name="Set target"')), 'the removed step, in the old file');
  });

  test('the old side as text (git HEAD): its label is shown; a removal has no file to link to', async () => {
    const newPath = join(root, 'added-removed.xml');
    const oldText = readFileSync(join(root, 'base.xml'), 'utf8');
    const r = await c.request<DiffResultPayload>(DIFF, { oldText, oldLabel: 'added-removed.xml (HEAD)', newUri: uri(newPath), linkCommand: 'cmts.revealStep' } satisfies DiffParams);
    assert.match(r.html!, /<code>added-removed\.xml \(HEAD\)<\/code>/);
    const links = commandLinks(r.html!, 'cmts.revealStep');
    assert.ok(links.length > 0);
    assert.ok(links.every(([u]) => u === uri(newPath)), 'every link goes to the file on disk');
    assert.ok(r.links!.length < r.changes!, 'the removal is listed without a link');
  });

  test('the new side as the editor has it: an unsaved rename shows; without linkCommand no links', async () => {
    const path = join(root, 'base.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path, 'tasksequence');
    try {
      c.change(u, text.replace('name="Install Office"', 'name="Install Office 365"'));
      const r = await c.request<DiffResultPayload>(DIFF, { oldText: text, oldLabel: 'saved', newUri: u } satisfies DiffParams);
      assert.equal(r.equal, false);
      assert.equal(r.changes, 1);
      assert.match(r.html!, /Install Office 365/);
      assert.match(r.html!, /renamed/);
      assert.doesNotMatch(r.html!, /href="command:/);
      assert.equal(r.links!.length, 1);
      assert.equal(r.links![0].line, lineOf(text, 'name="Install Office"'));
      const same = await c.request<DiffResultPayload>(DIFF, { oldText: text.replace('name="Install Office"', 'name="Install Office 365"'), newUri: u } satisfies DiffParams);
      assert.equal(same.equal, true);
      assert.equal(same.changes, 0);
    } finally {
      c.close(u);
    }
  });

  test('a side that is no task sequence, or missing, gets a message naming it', async () => {
    const newUri = uri(join(root, 'base.xml'));
    const bad = await c.request<DiffResultPayload>(DIFF, { oldText: '<notes><a/></notes>', oldLabel: 'notes.xml', newUri } satisfies DiffParams);
    assert.equal(bad.html, undefined);
    assert.match(bad.problem!, /"notes\.xml" holds no task sequence/);
    const missing = await c.request<DiffResultPayload>(DIFF, { oldUri: uri(join(root, 'gone.xml')), newUri } satisfies DiffParams);
    assert.match(missing.problem!, /cannot read "gone\.xml"/);
    const none = await c.request<DiffResultPayload>(DIFF, { newUri } satisfies DiffParams);
    assert.match(none.problem!, /no old version/);
  });
});

describe('cmts/docPage', () => {
  let c: LspClient;
  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'cmts-docreq-'));
    cpSync(join(FIXTURES, 'doc'), root, { recursive: true });
    c = await LspClient.startInProcess({ root, pull: true });
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test("the page of a sequence names its content from the site description and follows the editor's text", async () => {
    const path = join(root, 'parent.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path, 'tasksequence');
    try {
      const r = await c.request<DocPageResult>(DOC_PAGE, { uri: u });
      assert.equal(r.problem, undefined);
      assert.ok(r.html?.startsWith('<!DOCTYPE html>'));
      assert.match(r.html!, /Office 2016 &amp; Visio/, 'the package named from configmgr-site.json');
      assert.match(r.html!, /<code>parent\.xml<\/code>/);
      assert.doesNotMatch(r.html!, /<script>/, 'names are escaped');
      c.change(u, text.replace('name="Install Office"', 'name="Install Office and Visio"'));
      const after = await c.request<DocPageResult>(DOC_PAGE, { uri: u });
      assert.match(after.html!, /Install Office and Visio/);
    } finally {
      c.close(u);
    }
  });

  test('a file that is no task sequence gets a message', async () => {
    const r = await c.request<DocPageResult>(DOC_PAGE, { uri: uri(join(root, 'configmgr-site.json')) });
    assert.equal(r.html, undefined);
    assert.match(r.problem!, /"configmgr-site\.json" holds no task sequence/);
  });
});
