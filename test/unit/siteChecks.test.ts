// The site checks as a whole: the ConfigMgr 2007 SP1 textbook sequence (the Create Task Sequence
// wizard's "install an existing image package" with capture and restore) is clean against a
// complete site description; children are followed across files and loops found; the quick-fix
// data has the documented shapes; findings about the site land in the site file; the CLI wires it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis';
import { parseTaskSequence } from '../../server/src/model/parse';
import { loadSite, type LoadedSite } from '../../server/src/site';
import { analyzeSite } from '../../server/src/analysis';
import { createSequenceResolver } from '../../server/src/semantics/childSequences';
import { normalizePath, placesOf, relativePath, siteExtraFor, startInOf, tieSequence } from '../../server/src/semantics/siteFacts';
import { contentReferences, runTaskSequenceTargets } from '../../server/src/model/query';
import { catalog } from '../../server/src/catalog';
import type { Finding } from '../../server/src/model/findings';
import type { SetBootImageFix } from '../../server/src/edits/fixData';
import { main } from '../../server/src/cli';
import { fixTitles } from '../../server/src/features/fixes';

const FIXTURES = join(__dirname, '..', 'fixtures', 'siteChecks');
const TEXTBOOK = join(FIXTURES, 'textbook-2007-sp1.xml');
const TEXTBOOK_SITE = join(FIXTURES, 'configmgr-site.json');

/** Checks a sequence the way the front ends do: site, paths and the site's extra context. */
function check(text: string, site: LoadedSite | undefined, sitePath: string | undefined, path: string, read?: (p: string) => string | undefined): Finding[] {
  const { model, problems } = parseTaskSequence(text);
  const resolve = site && sitePath && read ? createSequenceResolver(site, sitePath, read) : undefined;
  const extra = siteExtraFor(site, sitePath, path, model, resolve);
  return analyze({ text, model, problems, site, sitePath, path, extra });
}

function serious(findings: Finding[]): string[] {
  return findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}: ${f.message}`);
}

describe('the ConfigMgr 2007 SP1 textbook sequence', () => {
  const text = readFileSync(TEXTBOOK, 'utf8');
  const siteText = readFileSync(TEXTBOOK_SITE, 'utf8');
  const site = loadSite(siteText);

  test('is the wizard\'s sequence, as a 2007 package export', () => {
    const { model, problems } = parseTaskSequence(text);
    assert.deepEqual(problems, []);
    assert.equal(model.flavour, 'package-export');
    assert.deepEqual(model.steps.map((s) => s.type?.replace('SMS_TaskSequence_', '')), [
      'RequestStateStoreAction', 'CaptureUserStateAction', 'CaptureWindowsSettingsAction', 'CaptureNetworkSettingsAction', 'ReleaseStateStoreAction',
      'RebootAction', 'PartitionDiskAction', 'ApplyOperatingSystemAction', 'ApplyWindowsSettingsAction', 'ApplyNetworkSettingsAction',
      'AutoApplyAction', 'ApplyDriverPackageAction', 'SetupWindowsAndSMSAction', 'InstallSoftwareAction',
      'RequestStateStoreAction', 'RestoreUserStateAction', 'ReleaseStateStoreAction',
    ]);
  });

  test('the site description is complete and valid', () => {
    assert.deepEqual(site.problems, []);
    assert.equal(site.site.site.product, 'ConfigMgr 2007');
    assert.equal(site.site.site.version, 'SP1');
  });

  test('gives no errors or warnings from any check', () => {
    assert.deepEqual(serious(check(text, site, TEXTBOOK_SITE, TEXTBOOK)), []);
  });

  test('and none on the site description either', () => {
    assert.deepEqual(analyzeSite(site, [{ path: TEXTBOOK, model: parseTaskSequence(text).model, text }], { sitePath: TEXTBOOK_SITE }), []);
  });

  test('the same sequence on a ConfigMgr 2007 RTM site with WAIK 1.0 and a Windows PE 2.1 boot image is not clean', () => {
    const older = loadSite(siteText.replace('"version": "SP1"', '"version": "RTM"'));
    const rules = check(text, older, TEXTBOOK_SITE, TEXTBOOK).map((f) => f.rule);
    assert.ok(rules.includes('deployment-kit'), 'RTM used WAIK 1.0, the site says 1.1');
    assert.ok(rules.includes('boot-image-version'), 'Windows PE 2.1 came with SP1');
  });
});

describe('content places', () => {
  test('an ID in a property, the command line and the reference list is one place: the property', () => {
    const text = '<sequence version="3.10"><referenceList><reference package="PS100099" /></referenceList>' +
      '<step type="SMS_TaskSequence_RunCommandLineAction" name="Run"><action>smsswd.exe /run:PS100099 cmd</action><defaultVarList>' +
      '<variable name="CommandLine" property="CommandLine">cmd</variable><variable name="PackageID" property="PackageID">PS100099</variable>' +
      '</defaultVarList></step></sequence>';
    const { model } = parseTaskSequence(text);
    const places = placesOf(contentReferences(model, catalog, text));
    assert.equal(places.length, 1);
    assert.equal(places[0].source, 'property');
    assert.equal(text.slice(places[0].span.start, places[0].span.end), 'PS100099');
    assert.equal(places[0].also.length, 2);
  });
});

describe('ties between exports and the site description', () => {
  const site = loadSite(JSON.stringify({
    site: { code: 'PS1', product: 'ConfigMgr CB', version: '2309' },
    taskSequences: [
      { packageId: 'PS100050', file: 'Sequences\\Deploy.XML', availableTo: 'mediaAndPxe' },
      { packageId: 'RSC002A6', availableTo: 'clients' },
    ],
  }));
  const bare = parseTaskSequence('<sequence version="3.10" />').model;

  test('a bare export by its file: relative to the site folder, any case, either slash', () => {
    assert.equal(tieSequence(site, '/work/site/configmgr-site.json', '/work/site/sequences/deploy.xml', bare)?.entry.packageId, 'PS100050');
    assert.equal(tieSequence(site, 'C:\\Site\\configmgr-site.json', 'c:/site/./sequences/x/../DEPLOY.xml', bare)?.entry.packageId, 'PS100050');
    assert.equal(tieSequence(site, '/work/site/configmgr-site.json', 'file:///work/site/sequences/deploy.xml', bare)?.entry.packageId, 'PS100050');
    assert.equal(tieSequence(site, '/work/site/configmgr-site.json', '/work/other/deploy.xml', bare), undefined);
  });

  test('an object.xml export by its PackageID', () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'siteChecks', 'textbook-2007-sp1.xml'), 'utf8');
    const withId = parseTaskSequence(text.replace('<Category />', '<PackageID>rsc002a6</PackageID><Category />')).model;
    assert.equal(tieSequence(site, undefined, undefined, withId)?.by, 'packageId');
  });

  test('where a deployment starts, from availableTo', () => {
    assert.equal(startInOf({ packageId: 'A', availableTo: 'clients', distributionPoints: [], span: { start: 0, end: 0 }, idSpan: { start: 0, end: 0 } }), 'FullOS');
    assert.equal(startInOf({ packageId: 'A', availableTo: 'mediaAndPxeHidden', distributionPoints: [], span: { start: 0, end: 0 }, idSpan: { start: 0, end: 0 } }), 'WinPE');
    assert.equal(startInOf(undefined), 'both');
    assert.deepEqual(siteExtraFor(site, '/work/site/configmgr-site.json', '/work/site/sequences/deploy.xml', bare), { startIn: 'WinPE' });
  });

  test('path helpers', () => {
    assert.equal(normalizePath('C:\\A\\.\\b\\..\\C.xml'), 'c:/a/c.xml');
    assert.equal(relativePath('/work/site', '/work/site/sequences/Deploy.xml'), 'sequences/Deploy.xml');
    assert.equal(relativePath('/work/site', '/work/other/Deploy.xml'), '../other/Deploy.xml');
  });
});

describe('child task sequences across files', () => {
  const SITE = '/ws/configmgr-site.json';
  const site = loadSite(JSON.stringify({
    site: { code: 'PS1', product: 'ConfigMgr CB', version: '1710' },
    bootImages: [{ packageId: 'PS100004', architecture: 'x64', distributionPoints: ['DP'] }],
    taskSequences: [
      { packageId: 'PS100050', file: 'parent.xml', availableTo: 'clients' },
      { packageId: 'PS100051', file: 'child/a.xml' },
      { packageId: 'PS100052', file: 'child/b.xml' },
      { packageId: 'PS100053', file: 'child/with-boot.xml' },
      { packageId: 'PS100054', file: 'child/missing.xml' },
    ],
    siteSystems: [{ server: 'DP', roles: [{ role: 'distributionPoint' }] }],
  }));
  const runTs = (id: string) => `<subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run ${id}"><action>SubTasksequence.exe</action><defaultVarList><variable name="OSDSubTasksequencePackageID" property="TsPackageID">${id}</variable></defaultVarList></subtasksequence>`;
  const seq = (...ids: string[]) => `<sequence version="3.10">${ids.map(runTs).join('')}</sequence>`;
  const files: Record<string, string> = {
    '/ws/child/a.xml': seq('PS100052'),
    '/ws/child/b.xml': seq('PS100050'),
    '/ws/child/with-boot.xml': `<SmsTaskSequencePackage><BootImageID>PS100004</BootImageID><SequenceData>${seq()}</SequenceData></SmsTaskSequencePackage>`,
  };
  const reads = new Map<string, number>();
  const read = (p: string): string | undefined => {
    reads.set(p, (reads.get(p) ?? 0) + 1);
    return files[p];
  };

  test('a loop through two other files is found, and each file is read once', () => {
    reads.clear();
    const found = check(seq('PS100051'), site, SITE, '/ws/parent.xml', read).filter((f) => f.rule === 'child-task-sequence');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /PS100050 → PS100051 → PS100052 → PS100050/);
    // The loop's two files, and the site's other sequences once each (looking for this one's callers).
    assert.deepEqual([...reads.values()].filter((n) => n > 1), []);
    assert.ok(reads.has('/ws/child/a.xml') && reads.has('/ws/child/b.xml'), [...reads.keys()].join(', '));
  });

  test('a child whose export carries a boot image is reported, with the place in the child file', () => {
    const found = check(seq('PS100053'), site, SITE, '/ws/parent.xml', read).filter((f) => f.rule === 'child-task-sequence');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /own boot image \(PS100004\)/);
    assert.equal(found[0].related?.[0].file, '/ws/child/with-boot.xml');
  });

  test('a child that runs children needs 1802', () => {
    const found = check(seq('PS100051'), loadSite(site.text.replace('"1710"', '"1802"')), SITE, '/ws/other.xml', read).filter((f) => f.rule === 'child-task-sequence');
    assert.deepEqual(found.map((f) => f.severity), [], 'no loop from here, and 1802 allows nesting');
    const old = check(seq('PS100051'), site, SITE, '/ws/other.xml', (p) => (p === '/ws/child/b.xml' ? seq() : files[p]));
    assert.ok(old.some((f) => f.rule === 'child-task-sequence' && /1802 or later/.test(f.message)));
  });

  test('a child file that cannot be read is said once, as information', () => {
    const found = check(seq('PS100054'), site, SITE, '/ws/parent.xml', read).filter((f) => f.rule === 'child-task-sequence');
    assert.deepEqual(found.map((f) => f.severity), ['info']);
  });

  test('the resolver never throws, and the front ends can list a parent\'s children', () => {
    const resolve = createSequenceResolver(site, SITE, () => {
      throw new Error('disk on fire');
    });
    assert.equal(resolve('PS100051'), undefined);
    assert.equal(resolve('PS199999'), undefined);
    assert.deepEqual(runTaskSequenceTargets(parseTaskSequence(seq('PS100051', 'PS100052')).model, catalog).map((t) => t.id), ['PS100051', 'PS100052']);
  });
});

describe('quick-fix data', () => {
  const SITE = '/ws/configmgr-site.json';
  const site = loadSite(JSON.stringify({
    site: { code: 'PS1', product: 'ConfigMgr CB', version: '2309' },
    bootImages: [
      { packageId: 'PS100003', name: 'x86', architecture: 'x86', distributionPoints: ['DP'] },
      { packageId: 'PS100004', name: 'x64', architecture: 'x64', distributionPoints: ['DP'] },
    ],
    packages: [{ packageId: 'PS100008', name: 'USMT', kind: 'usmt', distributionPoints: ['DP'] }],
    taskSequences: [{ packageId: 'PS100050', file: 'tied.xml' }],
    siteSystems: [{ server: 'DP', roles: [{ role: 'distributionPoint' }] }],
  }));
  const capture = (id: string) => `<step type="SMS_TaskSequence_CaptureUserStateAction" name="Capture"><action>osdmigrateuserstate.exe /collect</action><defaultVarList><variable name="_OSDMigrateUsmtPackageID" property="UsmtPackageID">${id}</variable></defaultVarList></step>`;
  const restart = '<step type="SMS_TaskSequence_RebootAction" name="Restart"><action>smsboot.exe /target:WinPE</action><defaultVarList><variable name="SMSRebootTarget" property="Target">WinPE</variable></defaultVarList></step>';

  test('unknown-content: replace with the closest IDs of the kind, or add a stub to the site description', () => {
    const text = `<sequence version="3.10">${capture('PS100009')}</sequence>`;
    const f = check(text, site, SITE, '/ws/x.xml').find((x) => x.rule === 'unknown-content')!;
    assert.equal(text.slice(f.span.start, f.span.end), 'PS100009');
    assert.deepEqual(f.data, {
      kind: 'replace-content', expect: 'PS100009', candidates: [{ id: 'PS100008', name: 'USMT', collection: 'packages' }],
      also: [{ kind: 'add-site-stub', id: 'PS100009', collection: 'packages', stub: { packageId: 'PS100009', kind: 'usmt' }, sitePath: SITE }],
    });
    const fixCtx = { text, model: parseTaskSequence(text).model, catalog, site, sitePath: SITE };
    assert.deepEqual(fixTitles(f, fixCtx), ['Replace with PS100008 (USMT)', 'Add PS100009 to the site description (packages)']);
  });

  test('boot-image: in an export, the BootImageID element; in a bare export, its taskSequences entry; untied, no made-up entry', () => {
    const exp = `<SmsTaskSequencePackage><BootImageID /><SequenceData><sequence version="3.00">${restart}</sequence></SequenceData></SmsTaskSequencePackage>`;
    const a = check(exp, site, SITE, '/ws/export.xml').find((x) => x.rule === 'boot-image')!;
    assert.equal(exp.slice(a.span.start, a.span.end), 'BootImageID');
    assert.equal(a.data?.kind, 'set-boot-image');
    const ad = a.data as SetBootImageFix;
    assert.equal(ad.target, 'xml');
    assert.equal(ad.expect, '');
    const el = ad.element!;
    assert.equal(exp.slice(el.start, el.end), '<BootImageID />');

    const bare = `<sequence version="3.10">${restart}</sequence>`;
    const b = check(bare, site, SITE, '/ws/tied.xml').find((x) => x.rule === 'boot-image')!;
    const bd = b.data as SetBootImageFix;
    assert.deepEqual({ target: bd.target, entryIndex: bd.entryIndex, sitePath: bd.sitePath }, { target: 'site', entryIndex: 0, sitePath: SITE });
    const c = check(bare, site, SITE, '/ws/sub/untied.xml').find((x) => x.rule === 'boot-image')!;
    assert.equal(c.severity, 'info');
    // The entry a fix would add needs the sequence's package ID, which nothing holds: no fix.
    assert.equal(c.data, undefined);
    assert.match(c.message, /no taskSequences entry/);
  });
});

describe('site-level findings on the site description', () => {
  const dir = join(__dirname, '..', '..', 'examples', 'cm2007-sp1');
  const sitePath = join(dir, 'configmgr-site.json');
  const siteText = readFileSync(sitePath, 'utf8');
  const site = loadSite(siteText);
  const seqPath = join(dir, 'sequences', 'vista-bare-metal.xml');
  const seqText = readFileSync(seqPath, 'utf8');
  const seqs = [{ path: seqPath, model: parseTaskSequence(seqText).model, text: seqText }];

  test('native mode without PXE and media certificates: said at the PXE role and at "certificates", listing the sequences affected', () => {
    const found = analyzeSite(site, seqs, { sitePath });
    assert.deepEqual(found.map((f) => f.rule), ['native-mode-certificates', 'native-mode-certificates']);
    assert.match(siteText.slice(found[0].span.start, found[0].span.end), /pxeServicePoint/);
    assert.deepEqual(found[1].related?.map((r) => r.file), [seqPath]);
  });

  test('.cmts.json severities apply to the site file too', () => {
    const off = analyzeSite(site, seqs, { sitePath, config: { rules: { 'native-mode-certificates': 'off' }, ruleSpans: {} } });
    assert.deepEqual(off, []);
    const warn = analyzeSite(site, seqs, { sitePath, config: { rules: { 'native-mode-certificates': 'warning' }, ruleSpans: {} } });
    assert.deepEqual(warn.map((f) => f.severity), ['warning', 'warning']);
  });

  test('the CLI puts them on the site description\'s entry', () => {
    let out = '';
    const code = main(['check', 'examples/cm2007-sp1', '--format', 'json'], { out: (s) => (out += s), err: () => undefined, cwd: join(__dirname, '..', '..') });
    assert.equal(code, 1);
    const report = JSON.parse(out) as { files: { path: string; flavour: string; diagnostics: { rule: string }[] }[] };
    const siteFile = report.files.find((f) => f.flavour === 'site-description');
    assert.equal(siteFile?.path, 'examples/cm2007-sp1/configmgr-site.json');
    assert.ok(siteFile.diagnostics.every((d) => d.rule === 'native-mode-certificates'));
    const bare = report.files.find((f) => f.path.endsWith('vista-bare-metal.xml'))!;
    assert.deepEqual(bare.diagnostics.filter((d) => d.rule === 'native-mode-certificates').length, 1, 'once on the sequence');
  });
});
