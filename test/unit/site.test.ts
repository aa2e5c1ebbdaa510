// Loading site descriptions: valid fixtures load clean, broken ones give problems at the exact
// place (marked in the fixture text with $0…$9, stripped before loading) and keep their valid parts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { loadSite } from '../../server/src/site';
import {
  ARCHITECTURES, AVAILABLE_TO_VALUES, CERTIFICATE_PURPOSES, DEPLOYMENT_KIT_NAMES, MULTICAST_VALUES, PACKAGE_KINDS, PRODUCTS,
  SECURITY_MODES, SITE_ROLES, type LoadedSite, type SiteProblem,
} from '../../server/src/site/types';
import schema from '../../schemas/configmgr-site.schema.json';

const FIXTURES = join(__dirname, '..', 'fixtures', 'site');

/** Text with $0…$9 markers removed, and the offset of each marker in the stripped text. */
function markers(raw: string): { text: string; at: Record<string, number> } {
  const at: Record<string, number> = {};
  let text = '';
  let last = 0;
  for (const m of raw.matchAll(/\$(\d)/g)) {
    text += raw.slice(last, m.index);
    at[m[1] ?? ''] = text.length;
    last = (m.index ?? 0) + m[0].length;
  }
  return { text: text + raw.slice(last), at };
}

function fixture(name: string): { text: string; at: Record<string, number>; site: LoadedSite } {
  const { text, at } = markers(readFileSync(join(FIXTURES, name), 'utf8'));
  return { text, at, site: loadSite(text) };
}

function mark(at: Record<string, number>, n: number): number {
  const v = at[String(n)];
  assert.ok(v !== undefined, `marker $${n} missing in fixture`);
  return v;
}

/** The one problem starting at marker $n. */
function problemAt(site: LoadedSite, at: Record<string, number>, n: number): SiteProblem {
  const start = mark(at, n);
  const found = site.problems.filter((p) => p.span.start === start);
  assert.equal(found.length, 1, `expected one problem at $${n} (${start}), got: ${JSON.stringify(site.problems, null, 1)}`);
  return found[0] as SiteProblem;
}

void test('the spec example (2007 SP1, native mode, completed) loads without problems', () => {
  const { site } = fixture('valid-2007-sp1-native.json');
  assert.deepEqual(site.problems, []);
  const s = site.site;
  assert.equal(s.site.code, 'CEN');
  assert.equal(s.site.product, 'ConfigMgr 2007');
  assert.equal(s.site.version, 'SP1');
  assert.equal(s.site.securityMode, 'native');
  assert.equal(s.site.deploymentKit?.name, 'WAIK');
  assert.equal(s.site.deploymentKit?.version, '1.1');
  assert.equal(s.bootImages.length, 2);
  assert.deepEqual(s.bootImages[0]?.optionalComponents, ['WinPE-Scripting', 'WinPE-WMI']);
  assert.equal(s.operatingSystemImages[0]?.multicast, 'allowed');
  assert.equal(s.operatingSystemInstallers[0]?.editionCount, 4);
  assert.equal(s.driverPackages[0]?.drivers?.[0]?.categories?.[0], 'Network');
  assert.equal(s.driverCategories[0]?.name, 'Network');
  assert.equal(s.packages[3]?.kind, 'software', 'kind defaults to software');
  assert.equal(s.taskSequences[0]?.availableTo, 'clientsMediaAndPxe');
  assert.deepEqual(s.siteSystems[0]?.roles.map((r) => r.role), ['distributionPoint', 'stateMigrationPoint', 'pxeServicePoint']);
  assert.equal(s.siteSystems[0]?.roles[1]?.restoreOnly, false);
  assert.deepEqual(s.certificates.map((c) => c.purpose), ['pxe', 'rootCA']);
  assert.equal(s.certificates[0]?.expires, '2010-06-30');
});

void test('a current-branch site with extra properties loads without problems', () => {
  const { site } = fixture('valid-cb.json');
  assert.deepEqual(site.problems, []);
  assert.equal(site.site.site.product, 'ConfigMgr CB');
  assert.equal(site.site.site.version, '2309');
  assert.equal(site.site.site.securityMode, 'https');
  assert.deepEqual(site.site.driverPackages[0]?.drivers, [], 'an empty drivers list stays empty, not unknown');
  assert.equal(site.site.operatingSystemImages[0]?.multicast, 'none', 'multicast defaults to none');
  assert.equal(site.site.siteSystems[1]?.roles[0]?.restoreOnly, true);
  assert.equal(site.site.certificates[0]?.expires, '2027-03-01T12:00:00Z');
});

void test('content kinds follow the collections and the package kind', () => {
  const { site } = fixture('valid-2007-sp1-native.json');
  const kinds = Object.fromEntries(site.entries().map((e) => [e.id, e.kind]));
  assert.deepEqual(kinds, {
    CEN00002: 'bootImage', CEN00001: 'bootImage', CEN00010: 'osImage', CEN00011: 'osInstaller', CEN00020: 'driverPackage',
    CEN00003: 'usmtPackage', CEN00004: 'clientPackage', CEN00005: 'package', CEN00006: 'package', CEN00040: 'taskSequence',
  });
  assert.deepEqual(site.entries('usmtPackage').map((e) => e.id), ['CEN00003']);
  assert.deepEqual(site.entries('bootImage').map((e) => e.id), ['CEN00002', 'CEN00001']);
  const cb = fixture('valid-cb.json').site;
  const app = cb.entries('application')[0];
  assert.equal(app?.collection, 'applications');
  assert.equal(app?.name, '7-Zip');
});

void test('lookup ignores case and gives the entry with its id span inside the quotes', () => {
  const { text, site } = fixture('valid-2007-sp1-native.json');
  for (const id of ['CEN00003', 'cen00003', 'Cen00003']) {
    const e = site.lookup(id);
    assert.equal(e?.id, 'CEN00003');
    assert.equal(e?.collection, 'packages');
    assert.equal(e?.kind, 'usmtPackage');
    assert.equal(e?.index, 0);
    assert.equal(text.slice(e.idSpan.start, e.idSpan.end), 'CEN00003');
    assert.ok(text.slice(e.span.start, e.span.end).startsWith('{ "packageId": "CEN00003"'));
    assert.ok(text.slice(e.span.start, e.span.end).endsWith('}'));
  }
  assert.equal(site.lookup('CEN99999'), undefined);
  const cb = fixture('valid-cb.json').site;
  const app = cb.lookup('scopeid_1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9/application_0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0');
  assert.equal(app?.kind, 'application');
  assert.equal(cb.text.slice(app.idSpan.start, app.idSpan.end), app.id);
});

void test('isDistributed: needs a listed server that has the distributionPoint role', () => {
  const { site } = fixture('valid-2007-sp1-native.json');
  const entry = (id: string) => {
    const e = site.lookup(id);
    assert.ok(e, id);
    return e;
  };
  assert.equal(site.isDistributed(entry('CEN00002')), true, 'on DP01, a distribution point');
  assert.equal(site.isDistributed(entry('CEN00001')), false, 'empty list');
  assert.equal(site.isDistributed(entry('CEN00006')), false, 'MP01 is only a management point');
  const cb = fixture('valid-cb.json').site;
  const client = cb.lookup('PS100004');
  assert.ok(client);
  assert.equal(cb.isDistributed(client), true, 'server names compare without regard to case');
  const missing = loadSite('{ "site": { "code": "CEN", "product": "ConfigMgr 2007", "version": "SP1" }, "packages": [ { "packageId": "CEN00009" } ], "siteSystems": [] }');
  const m = missing.lookup('CEN00009');
  assert.ok(m);
  // Site description version 2: a missing fact is unknown, never false, so the check stays silent.
  assert.equal(missing.isDistributed(m), true, 'no distributionPoints at all: unknown');
  assert.equal(m.entry.distributionUnknown, true);
  const noSystems = loadSite('{ "site": {}, "packages": [ { "packageId": "CEN00009", "distributionPoints": ["DP01"] } ] }');
  assert.equal(noSystems.isDistributed(noSystems.lookup('CEN00009')!), true, 'no siteSystems: which servers are distribution points is unknown');
  const empty = loadSite('{ "site": {}, "packages": [ { "packageId": "CEN00009", "distributionPoints": [] } ], "siteSystems": [] }');
  assert.equal(empty.isDistributed(empty.lookup('CEN00009')!), false, 'an empty list says: on none');
  const unknownServer = loadSite('{ "site": { "code": "CEN", "product": "ConfigMgr 2007", "version": "SP1" }, "packages": [ { "packageId": "CEN00009", "distributionPoints": ["DP99"] } ], "siteSystems": [ { "server": "DP01", "roles": [ { "role": "distributionPoint" } ] } ] }');
  const u = unknownServer.lookup('CEN00009');
  assert.ok(u);
  assert.equal(unknownServer.isDistributed(u), false, 'a server not in siteSystems');
});

void test('a JSON syntax error is reported where it is, in words, and the rest still loads', () => {
  const { at, site } = fixture('invalid-syntax.json');
  const p = problemAt(site, at, 0);
  assert.equal(p.severity, 'error');
  assert.equal(p.code, 'invalid-site-description');
  assert.equal(p.message, 'Expected a comma.');
  assert.equal(site.lookup('CEN00002')?.kind, 'bootImage');
  assert.equal(site.site.site.version, 'SP1');
});

void test('other syntax errors are located and named', () => {
  const cases: [string, string][] = [
    ['{ "site": { "code": "CEN" $0', 'Expected a closing brace "}".'],
    ['{ "site": { "code": $0"CEN } }', 'This text is not closed: the closing double quote is missing.'],
    ['{ "site" $0"x" }', 'Expected a colon ":" after the property name.'],
    ['{ $0site: 1 }', 'Text must be in double quotes: write "site".'],
    ['{ "site": { "pxe": $0True } }', 'Write true in lower case.'],
    ['{ "a": 1,\n"b": 2\n$0"c": 3 }', 'Expected a comma.'],
    ['{ "bootImages": [ { "packageId": "A" } $0}', 'Expected a closing bracket "]" for the list (or a comma).'],
    ['{ "bootImages": [ { "packageId": "A" $0]', 'Expected a closing brace "}" for the object (or a comma).'],
    ['{ "bootImages": [ 1 $0', 'Expected a closing bracket "]".'],
  ];
  for (const [raw, message] of cases) {
    const { text, at } = markers(raw);
    const site = loadSite(text);
    const first = site.problems.find((p) => p.span.start === at['0']);
    assert.equal(first?.message, message, `${raw}: ${JSON.stringify(site.problems)}`);
  }
  // Independent errors are all reported; an error caused by the one just before it is not.
  const { text, at } = markers('{ "a": 1\n$0"b": 2\n$1"c": $2tru, "d": 4 }');
  const syntax = loadSite(text).problems.filter((p) => !p.message.includes('"site"'));
  assert.deepEqual(syntax.map((p) => p.span.start), [mark(at, 0), mark(at, 1), mark(at, 2)], JSON.stringify(syntax));
});

void test('a wrong enum value is reported at the value, naming the allowed values', () => {
  const { text, at, site } = fixture('invalid-enum.json');
  const arch = problemAt(site, at, 0);
  assert.equal(arch.span.end, mark(at, 1));
  assert.equal(text.slice(arch.span.start, arch.span.end), '"amd64"');
  assert.ok(arch.message.startsWith('"architecture" must be one of x86, x64'), arch.message);
  assert.match(arch.message, /did you mean "x64"\?/);
  const version = problemAt(site, at, 2);
  assert.equal(version.span.end, mark(at, 3));
  assert.ok(version.message.startsWith('"version" must be one of RTM, SP1, SP2, R2, R3, SP1 R2, SP2 R3 for ConfigMgr 2007'), version.message);
  const role = problemAt(site, at, 4);
  assert.equal(role.span.end, mark(at, 5));
  assert.match(role.message, /did you mean "distributionPoint"\?/);
  assert.equal(site.problems.length, 3, JSON.stringify(site.problems));
  // The bad field is left out; the entry stays.
  const boot = site.lookup('CEN00002');
  assert.ok(boot && boot.collection === 'bootImages');
  assert.equal(boot.entry.architecture, undefined);
  assert.equal(site.site.site.version, undefined);
  assert.equal(site.site.site.securityMode, 'native');
  assert.deepEqual(site.site.siteSystems[0]?.roles, []);
});

void test('version and security mode are checked per product', () => {
  const load = (product: string, version: string, securityMode: string) =>
    loadSite(JSON.stringify({ site: { code: 'ABC', product, version, securityMode } })).problems.map((p) => p.message);
  assert.deepEqual(load('ConfigMgr 2007', 'SP2 R3', 'mixed'), []);
  assert.deepEqual(load('ConfigMgr 2012', 'R2 SP1', 'https'), []);
  assert.deepEqual(load('ConfigMgr CB', '2309', 'ehttp'), []);
  assert.equal(load('ConfigMgr 2012', 'R3', 'http').length, 1);
  assert.equal(load('ConfigMgr 2007', 'SP1', 'https').length, 1);
  const cb = load('ConfigMgr CB', '23H2', 'http');
  assert.equal(cb.length, 1);
  assert.match(cb[0] ?? '', /^"version" cannot be "23H2" for ConfigMgr CB: for current branch the version is the four-digit build/);
  assert.equal(load('ConfigMgr 2016', 'SP1', 'http').length, 1);
  const spaced = loadSite('{ "site": { "code": "CEN", "product": "ConfigMgr 2007", "version": "SP1" }, "packages": [ { "packageId": "CEN00002 " } ] }');
  assert.deepEqual(spaced.problems.map((p) => p.message), ['"packageId" cannot be "CEN00002 ": a package ID has no spaces, e.g. "CEN00002".']);
  assert.equal(spaced.entries().length, 0);
  const wrongType = loadSite('{ "site": { "code": "CEN", "product": "ConfigMgr 2007", "version": 1 } }').problems;
  assert.deepEqual(wrongType.map((p) => p.message), ['"version" must be text in double quotes, not 1.'], 'one problem per value');
});

void test('a missing required property is reported at the key, or at the entry\'s opening brace', () => {
  const { text, at, site } = fixture('invalid-required.json');
  const boot = problemAt(site, at, 0);
  assert.equal(boot.span.end, boot.span.start + 1);
  assert.equal(text.charAt(boot.span.start), '{');
  assert.equal(boot.message, 'This boot image needs a "packageId"; it is ignored until it has one.');
  const cert = problemAt(site, at, 1);
  assert.equal(cert.message, 'This certificate needs a "purpose"; it is ignored until it has one.');
  // Site description version 2: a missing fact (here the version) is unknown, not a problem.
  assert.equal(site.problems.filter((p) => p.span.start === mark(at, 2)).length, 0, JSON.stringify(site.problems));
  assert.equal(site.site.site.version, undefined);
  assert.equal(site.site.bootImages.length, 1);
  assert.equal(site.site.certificates.length, 0);
  assert.equal(site.site.site.product, 'ConfigMgr CB');
  assert.equal(site.lookup('CEN00003')?.kind, 'usmtPackage');
  const noSite = loadSite('{ "bootImages": [] }');
  assert.equal(noSite.problems[0]?.message, 'The site description needs a "site" section.');
  assert.deepEqual(noSite.problems[0]?.span, { start: 0, end: 1 });
});

void test('a wrong type is reported at the value and only that field is dropped', () => {
  const { at, site } = fixture('invalid-type.json');
  assert.equal(problemAt(site, at, 0).message, '"pxeEnabled" must be true or false, not "yes".');
  assert.equal(problemAt(site, at, 1).message, '"imageCount" must be a whole number, not "1".');
  assert.equal(problemAt(site, at, 2).message, '"version" must be text in double quotes, not null.');
  assert.equal(problemAt(site, at, 3).message, 'Each entry of "distributionPoints" must be text in double quotes, not null.');
  assert.equal(problemAt(site, at, 4).message, '"packages" must be a list in square brackets [ ... ], not an object.');
  assert.equal(site.problems.length, 5, JSON.stringify(site.problems));
  const boot = site.lookup('CEN00002');
  assert.ok(boot && boot.collection === 'bootImages');
  assert.equal(boot.entry.pxeEnabled, undefined);
  assert.equal(boot.entry.architecture, 'x86');
  assert.deepEqual(boot.entry.distributionPoints, ['DP01']);
  assert.equal(site.isDistributed(boot), true);
  const image = site.lookup('CEN00010');
  assert.ok(image && image.collection === 'operatingSystemImages');
  assert.equal(image.entry.imageCount, undefined);
  assert.equal(image.entry.multicast, 'required');
  assert.equal(site.site.site.deploymentKit, undefined, 'a kit without a usable version is left out');
  assert.equal(site.lookup('CEN00003'), undefined, 'packages was not a list');
});

void test('a partly broken site keeps its valid entries usable', () => {
  const { site } = fixture('partial.json');
  assert.deepEqual(site.site.bootImages.map((b) => b.packageId), ['CEN00001', 'CEN00003']);
  assert.equal(site.lookup('cen00001')?.kind, 'bootImage');
  const arm = site.lookup('CEN00003');
  assert.ok(arm && arm.collection === 'bootImages');
  assert.equal(arm.index, 2, 'index is the position in the file, counting dropped entries');
  assert.equal(arm.entry.architecture, undefined);
  assert.deepEqual(arm.entry.optionalComponents, ['WinPE-WMI', 'WinPE-Scripting']);
  assert.equal(site.lookup('CEN00004'), undefined);
  assert.equal(site.lookup('CEN00010')?.kind, 'package', 'an invalid kind falls back to a plain package');
  const drivers = site.lookup('CEN00020');
  assert.ok(drivers && drivers.collection === 'driverPackages');
  assert.deepEqual(drivers.entry.drivers?.map((d) => [d.name, d.enabled, d.architecture]), [['NIC', undefined, 'x86'], ['Audio', undefined, undefined]]);
  assert.equal(site.site.site.securityMode, undefined, '"mixed" is a 2007 mode');
  const messages = site.problems.map((p) => p.message);
  assert.ok(messages.includes('"packageId" must be text in double quotes, not 42.'), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('"architecture" must be one of x86, x64, not "arm64"')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('"kind" must be one of software, usmt, client, sysprep, settings, script, mdtToolkit, not "USMT"; did you mean "usmt"?')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('"securityMode" must be one of http, https, ehttp for ConfigMgr 2012')), messages.join('\n'));
  assert.ok(messages.includes('Each entry of "bootImages" must be an object in braces { ... }, not "CEN00004".'), messages.join('\n'));
  // Schema problems are warnings, as a JSON editor holding the schema shows them (one severity, open or closed).
  assert.ok(site.problems.every((p) => p.severity === 'warning'));
});

void test('a duplicate ID is a warning at the second one; lookup keeps the first', () => {
  const { at, site } = fixture('duplicate-id.json');
  const p = problemAt(site, at, 0);
  assert.equal(p.severity, 'warning');
  assert.equal(p.span.end, mark(at, 1));
  assert.match(p.message, /^The ID "cen00002" is already used by the boot image "Boot image \(x86\)" in "bootImages"/);
  const same = problemAt(site, at, 2);
  assert.equal(same.span.end, mark(at, 3));
  assert.equal(site.problems.length, 2);
  assert.equal(site.lookup('CEN00002')?.kind, 'bootImage');
  assert.equal(site.entries('taskSequence').length, 2);
});

void test('spanOf gives the range of a property value', () => {
  const { text, at } = markers(`{
  "site": { "code": "CEN", "product": "ConfigMgr CB", "version": "2309",
    "deploymentKit": $2{ "name": "ADK", "version": $0"10.1.22621.1"$1 }$3 },
  "bootImages": [ { "packageId": "PS100001" }, { "packageId": "PS100002", "distributionPoints": $4["DP01"]$5 } ]
}`);
  const site = loadSite(text);
  assert.deepEqual(site.spanOf(['site', 'deploymentKit', 'version']), { start: mark(at, 0), end: mark(at, 1) });
  assert.deepEqual(site.spanOf(['site', 'deploymentKit']), { start: mark(at, 2), end: mark(at, 3) });
  assert.deepEqual(site.spanOf(['bootImages', 1, 'distributionPoints']), { start: mark(at, 4), end: mark(at, 5) });
  assert.equal(site.spanOf(['bootImages', 5]), undefined);
  assert.equal(site.spanOf(['site', 'securityMode']), undefined);
  assert.deepEqual(site.spanOf([]), { start: 0, end: text.length });
  assert.deepEqual(site.site.site.deploymentKit?.span, { start: mark(at, 2), end: mark(at, 3) });
});

void test('a root that is not an object gives one problem and an empty site', () => {
  for (const text of ['[]', '"configmgr"', '42', 'null']) {
    const site = loadSite(text);
    assert.equal(site.problems.length, 1, text);
    assert.equal(site.problems[0]?.message, 'The site description must be a JSON object { ... } at the top level.');
    assert.deepEqual(site.entries(), []);
    assert.deepEqual(site.site.bootImages, []);
  }
  const empty = loadSite('  \n');
  assert.equal(empty.problems.length, 1);
  assert.match(empty.problems[0]?.message ?? '', /empty/);
});

void test('comments, trailing commas and repeated keys are read, with a warning each', () => {
  const { text, at } = markers(`{
  $0// generated by hand
  "site": { "code": "CEN", "product": "ConfigMgr 2007", "version": "SP1"$1, },
  "bootImages": [ { $2"packageId": "CEN00001", "packageId": "CEN00002" } ]
}`);
  const site = loadSite(text);
  assert.deepEqual(site.problems.map((p) => [p.severity, p.span.start]), [['warning', mark(at, 0)], ['warning', mark(at, 1)], ['warning', mark(at, 2)]]);
  assert.equal(site.site.site.version, 'SP1');
  assert.equal(site.lookup('CEN00002')?.kind, 'bootImage', 'the last of a repeated key wins');
  assert.equal(site.lookup('CEN00001'), undefined);
});

void test('loading never throws and does not hang on huge or hostile input', () => {
  const many = {
    site: { code: 'CEN', product: 'ConfigMgr CB', version: '2309' },
    packages: Array.from({ length: 20000 }, (_, i) => ({ packageId: `CEN${i.toString(16).padStart(5, '0')}`, name: `Package ${i}`, distributionPoints: ['DP01'] })),
  };
  const started = Date.now();
  const big = loadSite(JSON.stringify(many));
  assert.ok(Date.now() - started < 10000, 'a 20,000-package site loads in seconds');
  assert.equal(big.problems.length, 0);
  assert.equal(big.lookup('cen04e1f')?.name, 'Package 19999');
  for (const text of ['['.repeat(200000), '{"a":'.repeat(100000), '\u0000\uFFFF{', '{"site": "\\u12"}', '{"__proto__": {"site": 1}}']) {
    const site = loadSite(text);
    assert.ok(site.problems.length > 0);
  }
});

void test('the run-time value lists match the schema\'s enums, and the schema is valid draft-07', () => {
  const ajv = new Ajv({ strict: false });
  assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
  const props = schema.properties;
  const item = (p: { items: { properties: Record<string, unknown> } }) => p.items.properties;
  const enumOf = (s: unknown): unknown => (s as { enum?: unknown }).enum;
  assert.deepEqual(enumOf(props.site.properties.product), PRODUCTS);
  assert.deepEqual(enumOf(props.site.properties.securityMode), SECURITY_MODES);
  assert.deepEqual(enumOf(props.site.properties.deploymentKit.properties.name), DEPLOYMENT_KIT_NAMES);
  assert.deepEqual(enumOf(schema.definitions.architecture), ARCHITECTURES);
  assert.deepEqual(enumOf(item(props.operatingSystemImages).multicast), MULTICAST_VALUES);
  assert.deepEqual(enumOf(item(props.packages).kind), PACKAGE_KINDS);
  assert.deepEqual(enumOf(item(props.taskSequences).availableTo), AVAILABLE_TO_VALUES);
  assert.deepEqual(enumOf(props.siteSystems.items.properties.roles.items.properties.role), SITE_ROLES);
  assert.deepEqual(enumOf(item(props.certificates).purpose), CERTIFICATE_PURPOSES);
});

void test('every property the schema declares has a description', () => {
  const missing: string[] = [];
  const walk = (s: unknown, where: string): void => {
    if (typeof s !== 'object' || s === null) return;
    const o = s as Record<string, unknown>;
    const props = o.properties;
    if (typeof props === 'object' && props !== null && !where.includes('/then') && !where.includes('/if')) {
      for (const [k, v] of Object.entries(props)) {
        const prop = v as Record<string, unknown>;
        const ref = typeof prop.$ref === 'string' ? (schema.definitions as Record<string, Record<string, unknown>>)[prop.$ref.replace('#/definitions/', '')] : undefined;
        if (typeof prop.description !== 'string' && typeof ref?.description !== 'string') missing.push(`${where}/${k}`);
      }
    }
    for (const [k, v] of Object.entries(o)) if (typeof v === 'object') walk(v, `${where}/${k}`);
  };
  walk(schema, '#');
  assert.deepEqual(missing, []);
});
