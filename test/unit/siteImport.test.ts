// `cmts site import` and the noise-free `site init`: the readers (CIM-XML of a console export, the
// AdminService's and PowerShell's JSON) on hand-made instances of every class the import maps, in
// both forms; the kind evidence; bad input (malformed, other shapes, zip slip, zip bomb, a zip that
// is no export); the merge into a hand-edited description (hand edits kept byte for byte, a second
// run changes nothing); and the CLI command on temporary folders.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { catalog } from '../../server/src/catalog';
import { main } from '../../server/src/cli';
import { loadSite } from '../../server/src/site';
import { importSite, type ImportSource } from '../../server/src/site/import';
import { decideKind } from '../../server/src/site/import/evidence';
import { readZip, safeEntryName } from '../../server/src/workspace/importFiles';
import { appendToCollection } from '../../server/src/site/jsonEdit';

const DIR = join(__dirname, '..', 'fixtures', 'siteImport');
const base = mkdtempSync(join(tmpdir(), 'cmts-import-'));
after(() => rmSync(base, { recursive: true, force: true }));

function sources(folder: string): ImportSource[] {
  return readdirSync(join(DIR, folder)).sort().map((n) => ({ name: `${folder}/${n}`, text: readFileSync(join(DIR, folder, n), 'utf8') }));
}

/** What the hand-made instances say, written out by hand from the fixtures (one per class). */
const EXPECTED = {
  site: { code: 'CEN' },
  bootImages: [{ packageId: 'CEN00002', name: 'Boot image (x64)', architecture: 'x64', windowsPEVersion: '10.0.22621.1', distributionPoints: ['DP01.contoso.com'] }],
  // ImageOSVersion is in the instances but not on these classes' SDK pages, so it is not read.
  operatingSystemImages: [{ packageId: 'CEN00010', name: 'Windows 11 23H2', distributionPoints: ['DP01.contoso.com'] }],
  operatingSystemInstallers: [{ packageId: 'CEN00011', name: 'Windows 11 source' }],
  driverPackages: [{
    packageId: 'CEN00020', name: 'Latitude 7440',
    // DP02 is left out: its summarizer row says INSTALL_FAILED (3).
    drivers: [{ name: 'Intel Ethernet', enabled: true, categories: ['Network'] }, { name: 'Realtek Audio', enabled: false, categories: [] }],
  }],
  packages: [
    // A plain SMS_Package: the sequence names it as the USMT package (and in a Run Command Line).
    { packageId: 'CEN00003', name: 'User State Migration Tool for Windows', kind: 'usmt' },
    { packageId: 'CEN00005', name: 'Office 365', programs: ['Install', 'Uninstall'] },
  ],
  applications: [{ id: 'ScopeId_AAAA/Application_1111', name: '7-Zip', distributionPoints: ['DP01.contoso.com'] }],
  taskSequences: [{ packageId: 'CEN00040', name: 'Deploy Windows 11', bootImageId: 'CEN00002' }],
  siteSystems: [
    { server: 'DP01.contoso.com', roles: [{ role: 'distributionPoint' }, { role: 'managementPoint' }] },
    { server: 'DP03.contoso.com', roles: [{ role: 'distributionPoint' }] },
    { server: 'SMP01.contoso.com', roles: [{ role: 'stateMigrationPoint' }] },
  ],
};

void test('CIM-XML instances of every supported class map onto the site description', () => {
  const r = importSite(sources('cim'), catalog);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(JSON.parse(r.text), EXPECTED);
  assert.equal(r.changed, true);
  assert.deepEqual(loadSite(r.text).problems, [], 'the written file is valid');
});

void test('the same instances as AdminService and ConvertTo-Json JSON give the same file', () => {
  const json = sources('json');
  // Both JSON forms are in the fixtures: {"value": […]} with @odata.context, and PowerShell's objects.
  assert.ok(json.some((s) => s.text.includes('"@odata.context"')) && json.some((s) => s.text.includes('"CimSystemProperties"')));
  const r = importSite(json, catalog);
  assert.deepEqual(r.problems, []);
  assert.equal(r.text, importSite(sources('cim'), catalog).text);
});

void test('a console export: references under their kinds with their names, kinds from the sequence, code from the namespace', () => {
  const r = importSite(sources('export'), catalog);
  assert.deepEqual(r.problems, []);
  const site = JSON.parse(r.text) as Record<string, { packageId?: string; id?: string; name?: string; kind?: string }[]>;
  assert.deepEqual(site.site, { code: 'CEN' });
  assert.deepEqual(site.bootImages, [{ packageId: 'CEN00002', name: 'Boot image (x64)' }]);
  assert.deepEqual(site.driverPackages, [{ packageId: 'CEN00020', name: 'Latitude 7440 & 7450' }], 'entities in the escaped instance are decoded once');
  assert.deepEqual(site.packages, [{ packageId: 'CEN00003', name: 'User State Migration Tool for Windows', kind: 'usmt' }]);
  assert.deepEqual(site.applications, [{ id: 'ScopeId_AAAA/Application_1111' }]);
  assert.deepEqual(site.taskSequences?.map((t) => t.packageId), ['CEN00040', 'CEN00041']);
  assert.equal(site.siteSystems, undefined, 'nothing is said about site systems, so nothing is written');
});

void test('task sequence files beside the export: their references placed as site init places them, a 2007 export\'s own entry', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'cli', 'deploy.xml'), 'utf8');
  const r = importSite([{ name: 'deploy.xml', text }, ...sources('json').filter((s) => s.name.endsWith('SMS_Site.json'))], catalog);
  assert.deepEqual(r.problems, []);
  const site = JSON.parse(r.text) as Record<string, unknown>;
  assert.deepEqual(site.packages, [{ packageId: 'PS100002', kind: 'client' }, { packageId: 'PS100008', kind: 'usmt' }, { packageId: 'PS100041' }]);
  assert.deepEqual(site.taskSequences, [{ packageId: 'PS100050', name: 'Windows 11 refresh', bootImageId: 'PS100004' }]);
  assert.deepEqual(site.site, { code: 'CEN' }, 'from SMS_Site');
});

void test('kinds: the one every place accepts; conflicting or missing evidence leaves the kind out', () => {
  assert.deepEqual(decideKind([['usmtPackage'], ['package']]), { kind: 'usmtPackage' }, 'a Run Command Line naming it first does not make it software');
  assert.deepEqual(decideKind([['package'], ['usmtPackage']]), { kind: 'usmtPackage' });
  assert.deepEqual(decideKind([['package']]), { kind: 'package' });
  assert.deepEqual(decideKind([['package', 'driverPackage', 'osImage'], ['driverPackage']]), { kind: 'driverPackage' });
  assert.deepEqual(decideKind([['usmtPackage'], ['clientPackage']]), { kind: undefined, why: 'conflict' });
  assert.deepEqual(decideKind([undefined]), { kind: undefined, why: 'unknown' });
});

void test('bad input: a clear message naming the file, and nothing changes', () => {
  const existing = { text: '{ "site": { "code": "CEN" } }\n' };
  const cases: [string, RegExp][] = [
    ['malformed.xml', /^bad\/malformed\.xml:6:18: not well-formed XML/],
    ['unattend.xml', /^bad\/unattend\.xml: this is not a file of a ConfigMgr console export \(its root element is <unattend>/],
    ['doctype.xml', /^bad\/doctype\.xml:2: a DOCTYPE declaration/],
    ['settings.json', /^bad\/settings\.json: cannot tell which WMI class item 1 is/],
    ['SMS_Collection.json', /^bad\/SMS_Collection\.json: holds SMS_Collection instances/],
    ['not-a-list.json', /^bad\/not-a-list\.json: expected WMI instances/],
  ];
  for (const [file, message] of cases) {
    const good = sources('cim');
    const r = importSite([...good, { name: `bad/${file}`, text: readFileSync(join(DIR, 'bad', file), 'utf8') }], catalog, existing);
    assert.equal(r.problems.length, 1, `${file}: ${JSON.stringify(r.problems)}`);
    assert.equal(r.problems[0]?.file, `bad/${file}`);
    assert.match(r.problems[0]?.message ?? '', message);
    assert.equal(r.text, existing.text, `${file}: the existing text is returned unchanged`);
    assert.equal(r.changed, false);
  }
  const broken = importSite([{ name: 'x.json', text: '{ "value": [' }], catalog);
  assert.match(broken.problems[0]?.message ?? '', /^x\.json: not valid JSON/);
});

void test('merge: every hand edit is kept byte for byte, conflicts are reported, a second run changes nothing', () => {
  const hand = readFileSync(join(DIR, 'hand-edited.json'), 'utf8');
  const r = importSite([...sources('cim'), ...sources('export')], catalog, { text: hand });
  assert.deepEqual(r.problems, []);
  // Only insertions, apart from the one placeholder an old `site init` wrote ("TODO"), which the import fills.
  assert.ok(isSubsequence(hand.replace('"name": "TODO"', '"name": '), r.text), r.text);
  assert.match(r.text, /\/\/ Our lab site; the names below are the ones the team uses\./);
  assert.match(r.text, /\/\* kept short on purpose \*\//);
  assert.match(r.text, /"name": "WinPE x64 \(lab\)"/, 'the person\'s name wins');
  assert.match(r.text, /"packageId": "cen00003", "name": "User State Migration Tool for Windows", "kind": "usmt", "usmtVersion": "10.0"/);
  assert.deepEqual(r.conflicts, [
    'would change "name" of boot image CEN00002 from "WinPE x64 (lab)" to "Boot image (x64)"',
    'would change "name" of package CEN00005 from "Office" to "Office 365"',
    'would change "programs" of package CEN00005 from ["Install"] to ["Install","Uninstall"]',
    'would add the managementPoint role to site system DP01.contoso.com',
  ]);
  assert.ok(r.added.includes('boot image CEN00002: architecture "x64"'), r.added.join('\n'));
  assert.ok(r.added.includes('site system SMP01.contoso.com (stateMigrationPoint)'));
  const site = loadSite(r.text);
  assert.deepEqual(site.problems.filter((p) => p.severity === 'error'), []);
  assert.equal(site.lookup('CEN00041')?.collection, 'taskSequences');
  assert.equal(site.site.site.product, 'ConfigMgr CB');

  const again = importSite([...sources('cim'), ...sources('export')], catalog, { text: r.text });
  assert.equal(again.changed, false);
  assert.equal(again.text, r.text);
  assert.deepEqual(again.added, []);
  assert.deepEqual(again.conflicts, r.conflicts, 'the same conflicts, reported again, nothing written');
});

void test('merge: an entry filed under another collection is not moved; an existing file that is no object is refused', () => {
  const r = importSite(sources('export'), catalog, { text: '{\n  "site": {},\n  "packages": [ { "packageId": "CEN00020" } ]\n}\n' });
  assert.ok(r.conflicts.includes('would move driver package CEN00020 from "packages", where the file lists it, to "driverPackages"'), r.conflicts.join('\n'));
  assert.match(r.text, /"packages": \[ \{ "packageId": "CEN00020" \}, /, 'left where the person filed it');
  assert.doesNotMatch(r.text, /"driverPackages"/);
  const refused = importSite(sources('export'), catalog, { text: '[1, 2]' });
  assert.equal(refused.text, '[1, 2]');
  assert.match(refused.problems[0]?.message ?? '', /not a JSON object/);
});

void test('merge: many new entries are written as one edit each would have written them, in the file\'s layout', () => {
  const layouts = [
    '{\n  "site": { "code": "CEN" },\n  "packages": [\n    { "packageId": "CEN00001" }\n  ]\n}\n',
    '{\r\n\t"site": {},\r\n\t"packages": [\r\n\t\t{\r\n\t\t\t"packageId": "CEN00001"\r\n\t\t}\r\n\t]\r\n}\r\n',
    '{ "site": {}, "packages": [] }',
    '{\n  "site": {}\n}\n',
  ];
  const json = { value: Array.from({ length: 5 }, (_, i) => ({ PackageID: `CEN0010${i}`, Name: `Package ${i}` })) };
  for (const text of layouts) {
    const r = importSite([{ name: 'SMS_Package.json', text: JSON.stringify(json) }], catalog, { text });
    let expected = text;
    for (const p of json.value) {
      const e = appendToCollection(expected, 'packages', { packageId: p.PackageID, name: p.Name })!;
      expected = expected.slice(0, e.span.start) + e.newText + expected.slice(e.span.end);
    }
    assert.equal(r.text, expected, JSON.stringify(text));
    assert.equal(importSite([{ name: 'SMS_Package.json', text: JSON.stringify(json) }], catalog, { text: r.text }).changed, false);
  }
});

function isSubsequence(small: string, big: string): boolean {
  let j = 0;
  for (let i = 0; i < small.length; i++) {
    j = big.indexOf(small[i], j);
    if (j < 0) return false;
    j++;
  }
  return true;
}

// ---- zip ----------------------------------------------------------------------------------------

function exportZip(extra: Record<string, Uint8Array> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const s of sources('export')) files[s.name.replace(/^export\//, s.name.endsWith('object.xml') ? 'SMS_TaskSequencePackage/CEN00040/' : '')] = strToU8(s.text);
  return zipSync({ ...files, ...extra });
}

void test('zip: a console export zip reads like its folder', () => {
  const r = readZip(exportZip(), 'export.zip');
  assert.deepEqual(r.problems, []);
  assert.ok(r.sources.some((s) => s.name === 'export.zip/Manifest.xml'));
  const fromZip = importSite(r.sources, catalog);
  assert.equal(fromZip.text, importSite(sources('export'), catalog).text);
});

void test('zip: entries outside the archive, a zip bomb, a zip that is no export, not a zip: refused with the file named', () => {
  assert.equal(safeEntryName('SMS_TaskSequencePackage/CEN00040/object.xml'), true);
  for (const bad of ['../evil.xml', 'a/../../evil.xml', '/etc/passwd', 'C:/x.xml', '\\\\server\\x.xml', 'a\\..\\..\\x.xml']) assert.equal(safeEntryName(bad), false, bad);

  const slip = readZip(exportZip({ '../../outside.xml': strToU8('<x/>') }), 'slip.zip');
  assert.deepEqual(slip.sources, []);
  assert.match(slip.problems[0]?.message ?? '', /^slip\.zip: the entry "\.\.\/\.\.\/outside\.xml" points outside the archive/);

  // 2 MB of zeros compress to a few KB; with a 1 MB bound per entry it is a bomb, found while inflating.
  const zeros = new Uint8Array(2 * 1024 * 1024);
  const bomb = zipSync({ 'Manifest.xml': strToU8('<LibraryDocument/>'), 'object.xml': zeros });
  assert.ok(bomb.length < 64 * 1024);
  const limits = { entries: 100, entryBytes: 1024 * 1024, totalBytes: 8 * 1024 * 1024 };
  const r = readZip(bomb, 'bomb.zip', limits);
  assert.deepEqual(r.sources, []);
  assert.match(r.problems[0]?.message ?? '', /^bomb\.zip: the entry "object\.xml" inflates to more than 1 MB for one entry \(a zip bomb/);
  // The same, with the sizes in the headers rewritten to claim 10 bytes: the count, not the header, decides.
  const lying = lieAboutSizes(bomb, 'object.xml', 10);
  assert.match(readZip(lying, 'lying.zip', limits).problems[0]?.message ?? '', /inflates to more than 1 MB/);
  const many = zipSync(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}.xml`, strToU8('<x/>')])));
  assert.match(readZip(many, 'many.zip', limits).problems[0]?.message ?? '', /more than 100 entries/);

  const notExport = readZip(zipSync({ 'readme.txt': strToU8('hello'), 'data/a.json': strToU8('{}') }), 'photos.zip');
  assert.match(notExport.problems[0]?.message ?? '', /^photos\.zip: not a ConfigMgr console export: it has no Manifest\.xml/);
  assert.match(readZip(strToU8('this is not a zip'), 'text.zip').problems[0]?.message ?? '', /^text\.zip: not a zip archive/);
});

/** Rewrites the uncompressed size of `name` in its local header and central directory entry. */
function lieAboutSizes(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const enc = new TextEncoder().encode(name);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    const nameAt = sig === 0x04034b50 ? i + 30 : sig === 0x02014b50 ? i + 46 : -1;
    if (nameAt < 0 || nameAt + enc.length > out.length || !enc.every((b, k) => out[nameAt + k] === b)) continue;
    view.setUint32(sig === 0x04034b50 ? i + 22 : i + 24, size, true);
  }
  return out;
}

// ---- CLI ----------------------------------------------------------------------------------------

function run(cwd: string, ...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

function folderWithExport(): string {
  const root = join(base, `ws${readdirSync(base).length + 1}`);
  mkdirSync(join(root, 'export'), { recursive: true });
  for (const s of sources('export')) writeFileSync(join(root, s.name), s.text);
  writeFileSync(join(root, 'export.zip'), exportZip());
  mkdirSync(join(root, 'wmi'));
  for (const s of sources('json')) writeFileSync(join(root, s.name.replace(/^json\//, 'wmi/')), s.text);
  return root;
}

void test('cmts site import: writes configmgr-site.json in the current folder, then finds nothing to add', () => {
  const root = folderWithExport();
  const first = run(root, 'site', 'import', 'export.zip', 'wmi');
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^added /m);
  assert.match(first.out, /Wrote configmgr-site\.json: \d+ added\.\n$/);
  const written = readFileSync(join(root, 'configmgr-site.json'), 'utf8');
  assert.deepEqual(loadSite(written).problems, []);
  const second = run(root, 'site', 'import', 'export.zip', 'wmi');
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /configmgr-site\.json is up to date: the import adds nothing\.\n$/);
  assert.equal(readFileSync(join(root, 'configmgr-site.json'), 'utf8'), written);
  const other = run(root, 'site', 'import', 'export', '--site', 'sites/lab.json');
  assert.equal(other.code, 2, 'the folder of --site must exist');
  mkdirSync(join(root, 'sites'));
  assert.equal(run(root, 'site', 'import', 'export', '--site', 'sites/lab.json').code, 0);
  assert.ok(existsSync(join(root, 'sites', 'lab.json')));
});

void test('cmts site import: bad input or usage exits 2 and writes nothing', () => {
  const root = folderWithExport();
  writeFileSync(join(root, 'broken.xml'), readFileSync(join(DIR, 'bad', 'malformed.xml')));
  const bad = run(root, 'site', 'import', 'export', 'broken.xml');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /broken\.xml:6:18: not well-formed XML/);
  assert.match(bad.err, /nothing was written/);
  assert.equal(existsSync(join(root, 'configmgr-site.json')), false);
  assert.equal(run(root, 'site', 'import').code, 2);
  assert.equal(run(root, 'site', 'import', 'export', '--format', 'json').code, 2);
  assert.match(run(root, 'site', 'import', 'missing.zip').err, /missing\.zip: no such file or folder/);
  assert.equal(existsSync(join(root, 'configmgr-site.json')), false);
});

// ---- schema, version 2 ----------------------------------------------------------------------------

void test('schema version 2: collectionVariables, networkAccessAccount, standaloneMedia and mdtToolkit load without problems', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'configmgr-site.schema.json'), 'utf8')) as { $id?: string; properties: Record<string, { description?: string }> };
  assert.equal(schema.$id, 'urn:cmts:schema:configmgr-site');
  assert.ok(schema.properties.collectionVariables?.description);
  const site = loadSite(JSON.stringify({
    site: { code: 'CEN', networkAccessAccount: false },
    collectionVariables: ['OSDComputerName'],
    packages: [{ packageId: 'CEN00050', kind: 'mdtToolkit' }],
    taskSequences: [{ packageId: 'CEN00040', standaloneMedia: true }],
  }));
  assert.deepEqual(site.problems, []);
  assert.equal(site.site.site.networkAccessAccount, false);
  assert.deepEqual(site.site.collectionVariables, ['OSDComputerName']);
  assert.equal(site.site.packages[0]?.kind, 'mdtToolkit');
  assert.equal(site.lookup('CEN00050')?.kind, 'package', 'the toolkit package is a package wherever a package is asked for');
  assert.equal(site.site.taskSequences[0]?.standaloneMedia, true);
  const wrong = loadSite('{ "site": {}, "collectionVariables": "OSDComputerName" }');
  assert.deepEqual(wrong.problems.map((p) => [p.severity, p.message]), [['warning', '"collectionVariables" must be a list in square brackets [ ... ], not "OSDComputerName".']]);
});
