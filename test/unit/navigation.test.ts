// Go to definition, find references and document links as pure functions over the multi-file
// fixture workspace in test/fixtures/navigation: two sequences that both run a child sequence, the
// child, and a site description naming all three (the child's `file` written with a backslash).
// Reference counts are checked against an independent count of the ID in each file's text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { catalog } from '../../server/src/catalog';
import { parseTaskSequence } from '../../server/src/model/parse';
import { loadSite } from '../../server/src/site';
import { contentIdAt, definitionAt, documentLinks, referencesIn, siteIdAt, siteReferences } from '../../server/src/features/navigation';

const ROOT = join(__dirname, '..', 'fixtures', 'navigation');
const SITE_PATH = join(ROOT, 'configmgr-site.json');
const site = loadSite(readFileSync(SITE_PATH, 'utf8'));
const FILES = ['sequences/deploy.xml', 'sequences/refresh.xml', 'sequences/child-tools.xml'];

function open(file: string) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return { text, model: parseTaskSequence(text).model };
}

/** Offset inside the `nth` occurrence of `needle` (0-based), `delta` characters in. */
function at(text: string, needle: string, nth = 0, delta = 2): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `"${needle}" #${nth} is in the text`);
  return i + delta;
}

void test('the fixture site loads without problems', () => {
  assert.deepEqual(site.problems, []);
});

void test('definition of a content ID: its entry in the site description', () => {
  const { text, model } = open('sequences/deploy.xml');
  for (const [needle, nth] of [['NAV00010', 0], ['NAV00010', 1], ['NAV00010', 2], ['NAV00004', 1]] as const) {
    const d = definitionAt(model, at(text, needle, nth), site, catalog, text);
    assert.ok(d, `${needle} #${nth}`);
    assert.equal(text.slice(d.origin.start, d.origin.end), needle);
    assert.equal(d.targets.length, 1);
    const t = d.targets[0];
    assert.equal(t.kind, 'siteEntry');
    if (t.kind === 'siteEntry') assert.equal(site.text.slice(t.span.start, t.span.end), needle);
  }
  assert.equal(definitionAt(model, at(text, 'NAV00010'), undefined, catalog, text), undefined, 'no site, no definition');
  assert.equal(definitionAt(model, at(text, 'osddiskpart'), site, catalog, text), undefined);
});

void test('definition from a Run Task Sequence step: the child sequence\'s file, then its site entry', () => {
  const { text, model } = open('sequences/deploy.xml');
  // On the target ID: the child's file first, the site entry second.
  const onId = definitionAt(model, at(text, '>NAV00060<', 0, 3), site, catalog, text)!;
  assert.deepEqual(onId.targets.map((t) => t.kind), ['sequenceFile', 'siteEntry']);
  const file = onId.targets[0].kind === 'sequenceFile' ? onId.targets[0].file : '';
  assert.equal(file, 'sequences\\child-tools.xml');
  assert.ok(existsSync(join(dirname(SITE_PATH), file.replace(/\\/g, '/'))), 'the file resolves relative to the site description');
  // On the step's element name, type or name: the child's file.
  for (const needle of ['<subtasksequence', 'SMS_TaskSequence_SubTasksequence', 'Run Task Sequence"']) {
    const d = definitionAt(model, at(text, needle), site, catalog, text);
    assert.ok(d, needle);
    assert.deepEqual(d.targets.map((t) => t.kind), ['sequenceFile'], needle);
  }
});

void test('references of a content ID across every sequence and the site file, against an independent count', () => {
  let total = 0;
  for (const file of FILES) {
    const { text, model } = open(file);
    const spans = referencesIn(model, text, 'nav00004', catalog);
    for (const s of spans) assert.equal(text.slice(s.start, s.end), 'NAV00004');
    // Independent count: every occurrence of the ID in the file's text names it (the fixtures use it nowhere else).
    assert.equal(spans.length, text.split('NAV00004').length - 1, file);
    total += spans.length;
  }
  assert.equal(total, 4);
  const inSite = siteReferences(site, 'NAV00004');
  assert.deepEqual(inSite.map((s) => site.text.slice(s.start, s.end)), ['NAV00004']);
  // The boot image: its entry and the two sequences that use it.
  const boot = siteReferences(site, 'NAV00002');
  assert.equal(boot.length, 3);
  for (const s of boot) assert.equal(site.text.slice(s.start, s.end), 'NAV00002');
  // The child sequence: named by both parents.
  const child = FILES.flatMap((f) => { const o = open(f); return referencesIn(o.model, o.text, 'NAV00060', catalog); });
  // TsPackageID in each parent; the TsName "NAV00060, Install …" of deploy.xml is a display name, not a reference.
  assert.equal(child.length, 2);
});

void test('the ID under the cursor, in a sequence and in the site file', () => {
  const { text, model } = open('sequences/child-tools.xml');
  assert.equal(contentIdAt(model, at(text, 'NAV00030', 1), catalog, text), 'NAV00030');
  assert.equal(contentIdAt(model, at(text, 'Install tools'), catalog, text), undefined);
  assert.equal(siteIdAt(site, at(site.text, '"NAV00030"', 0, 3)), 'NAV00030');
  assert.equal(siteIdAt(site, at(site.text, 'Line-of-business')), undefined);
});

void test('document links from each step type to its public documentation', () => {
  const { text, model } = open('sequences/deploy.xml');
  const links = documentLinks(model, catalog);
  assert.equal(links.length, model.steps.length);
  for (const l of links) assert.match(l.target, /^https:\/\/learn\.microsoft\.com\//);
  assert.equal(text.slice(links[0].span.start, links[0].span.end), 'SMS_TaskSequence_PartitionDiskAction');
  assert.match(links[0].target, /#BKMK_FormatandPartitionDisk$/i);
});
