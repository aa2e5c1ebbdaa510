// `cmts site import` on the real console export in ../shared/corpus/exports (read by path, never
// copied) and `cmts site init` on the real corpus: every package and application the export's
// reference lists name lands under its kind with its name, and checking the sequences against the
// written files gives no unknown-content or wrong-content-kind and no finding in the generated file.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { catalog } from '../../server/src/catalog';
import { main } from '../../server/src/cli';
import { parseTaskSequence } from '../../server/src/model/parse';
import { importSite } from '../../server/src/site/import';
import { readExportXml } from '../../server/src/site/import/cimXml';
import { int, str } from '../../server/src/site/import/instance';
import { initSite } from '../../server/src/site/init';
import { readImportSources } from '../../server/src/workspace/importFiles';

const SHARED = path.resolve(__dirname, '../../../shared/corpus');
const EXPORT = path.join(SHARED, 'exports/forevanyeung__tasksequences__tasksequence1');
const REAL = path.join(SHARED, 'real');
const tmp = mkdtempSync(path.join(tmpdir(), 'cmts-corpus-import-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface JsonReport { files: { path: string; diagnostics: { rule: string; severity: string; message: string }[] }[] }

function check(paths: string[], site: string): JsonReport {
  let out = '';
  let err = '';
  const code = main(['check', ...paths, '--site', site, '--format', 'json'], { out: (s) => (out += s), err: (s) => (err += s), cwd: tmp });
  assert.ok(code === 0 || code === 1, `cmts check exited ${code}: ${err}`);
  return JSON.parse(out) as JsonReport;
}

const KINDS: Record<number, string> = { 0: 'packages', 3: 'driverPackages', 4: 'taskSequences', 257: 'operatingSystemImages', 258: 'bootImages', 259: 'operatingSystemInstallers' };

void test('corpus export: every reference under its kind with its name; no unknown-content or wrong-content-kind after import', () => {
  assert.ok(existsSync(EXPORT), `${EXPORT} is missing: this suite needs ../shared beside the repository (run it from .ci/run)`);
  const read = readImportSources([EXPORT], tmp);
  assert.deepEqual(read.problems, []);
  const r = importSite(read.sources, catalog);
  assert.deepEqual(r.problems, []);
  const site = JSON.parse(r.text) as Record<string, { packageId?: string; id?: string; name?: string; kind?: string }[]>;

  const refsFile = path.join(EXPORT, 'SMS_TaskSequencePackage/RSC002A6/ReferencesInfo.xml');
  const refs = readExportXml(readFileSync(refsFile, 'utf8'), refsFile);
  assert.equal(refs.kind, 'instances');
  let total = 0;
  for (const inst of refs.kind === 'instances' ? refs.instances : []) {
    total++;
    const id = str(inst, 'ReferencePackageID')!;
    const list = site[KINDS[int(inst, 'ReferencePackageType')!]!] ?? [];
    const entry = list.find((e) => e.packageId?.toUpperCase() === id.toUpperCase());
    assert.ok(entry, `${id} under ${KINDS[int(inst, 'ReferencePackageType')!]}`);
    assert.equal(entry.name, str(inst, 'ReferenceName'));
  }
  const apps = readExportXml(readFileSync(refsFile.replace('ReferencesInfo', 'AppReferencesInfo'), 'utf8'), 'AppReferencesInfo.xml');
  for (const inst of apps.kind === 'instances' ? apps.instances : []) {
    total++;
    assert.ok(site.applications?.some((a) => a.id === str(inst, 'RefAppModelName')), str(inst, 'RefAppModelName'));
  }
  assert.equal(total, 26);

  const sitePath = path.join(tmp, 'export-site.json');
  writeFileSync(sitePath, r.text);
  const report = check([EXPORT], sitePath);
  const bad = report.files.flatMap((f) => f.diagnostics).filter((d) => d.rule === 'unknown-content' || d.rule === 'wrong-content-kind');
  assert.deepEqual(bad.map((d) => d.message), []);
  // Importing again changes nothing.
  assert.equal(importSite(read.sources, catalog, { text: r.text }).changed, false);
});

void test('corpus: site init writes a file that draws no finding and labels no content wrongly', () => {
  assert.ok(existsSync(REAL), `${REAL} is missing: run this suite from .ci/run`);
  const files = readdirSync(REAL).filter((f) => f.endsWith('.xml')).sort();
  const inputs = files.map((f) => {
    const text = readFileSync(path.join(REAL, f), 'utf8');
    return { file: path.relative(tmp, path.join(REAL, f)).split(path.sep).join('/'), model: parseTaskSequence(text).model, text };
  });
  const text = initSite(inputs, catalog);
  assert.doesNotMatch(text, /TODO/);
  const sitePath = path.join(tmp, 'init-site.json');
  writeFileSync(sitePath, text);
  const report = check([REAL], sitePath);
  const own = report.files.filter((f) => f.path.endsWith('init-site.json')).flatMap((f) => f.diagnostics).filter((d) => d.severity !== 'info');
  assert.deepEqual(own.map((d) => d.message), []);
  const kinds = report.files.flatMap((f) => f.diagnostics).filter((d) => d.rule === 'wrong-content-kind');
  assert.deepEqual(kinds.map((d) => d.message), []);
});
