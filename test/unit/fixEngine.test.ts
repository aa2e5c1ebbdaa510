// The fix engine's edge cases beyond the before/after fixtures: JSON edits in the file's own
// style (one-line, tabs, CRLF, empty or missing arrays), fix-all with and without re-checking,
// stale anchors, several client packages, an empty <referenceList/>, and the order of actions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, checkText } from '../../server/src/analysis';
import { parseTaskSequence } from '../../server/src/model/parse';
import type { ParseProblem, ParseResult } from '../../server/src/model/types';
import { catalog } from '../../server/src/catalog';
import { applyEdits, dataFixesFor, fixAll, fixesFor, type FixContext } from '../../server/src/features/fixes';
import { appendToCollection, setProperty } from '../../server/src/site/jsonEdit';
import type { InsertStepFix } from '../../server/src/edits/fixData';
import { loadSite } from '../../server/src/site';
import { sameParse } from './helpers/fixJudge';

function edit(text: string, e: { span: { start: number; end: number }; newText: string } | undefined): string {
  assert.ok(e, 'an edit');
  return applyEdits(text, [e]);
}

void test('JSON: a rule level in a one-line .cmts.json stays on one line', () => {
  const t = '{ "site": "../site/configmgr-site.json" }';
  assert.equal(edit(t, setProperty(t, [], 'rules', { 'step-context': 'off' })), '{ "site": "../site/configmgr-site.json", "rules": { "step-context": "off" } }');
  const r = '{ "rules": {} }';
  assert.equal(edit(r, setProperty(r, ['rules'], 'step-context', 'off')), '{ "rules": { "step-context": "off" } }');
  const level = '{\n  "rules": {\n    "step-context": "warning"\n  }\n}\n';
  assert.equal(edit(level, setProperty(level, ['rules'], 'step-context', 'off')), level.replace('"warning"', '"off"'));
});

void test('JSON: entries follow their siblings (tabs, CRLF, one per line or spread out)', () => {
  const tabs = '{\r\n\t"packages": [\r\n\t\t{\r\n\t\t\t"packageId": "CEN00001"\r\n\t\t}\r\n\t]\r\n}\r\n';
  assert.equal(
    edit(tabs, appendToCollection(tabs, 'packages', { packageId: 'CEN00099', name: 'TODO', distributionPoints: [] })),
    '{\r\n\t"packages": [\r\n\t\t{\r\n\t\t\t"packageId": "CEN00001"\r\n\t\t},\r\n\t\t{\r\n\t\t\t"packageId": "CEN00099",\r\n\t\t\t"name": "TODO",\r\n\t\t\t"distributionPoints": []\r\n\t\t}\r\n\t]\r\n}\r\n',
  );
  const empty = '{\n  "bootImages": [\n    { "packageId": "CEN00002" }\n  ],\n  "packages": []\n}\n';
  assert.equal(
    edit(empty, appendToCollection(empty, 'packages', { packageId: 'CEN00099', name: 'TODO', kind: 'usmt', distributionPoints: [] })),
    '{\n  "bootImages": [\n    { "packageId": "CEN00002" }\n  ],\n  "packages": [\n    { "packageId": "CEN00099", "name": "TODO", "kind": "usmt", "distributionPoints": [] }\n  ]\n}\n',
  );
  const missing = '{\n  "site": { "code": "CEN" }\n}\n';
  assert.equal(
    edit(missing, appendToCollection(missing, 'applications', { id: 'ScopeId_X/Application_Y', name: 'TODO', distributionPoints: [] })),
    '{\n  "site": { "code": "CEN" },\n  "applications": [\n    {\n      "id": "ScopeId_X/Application_Y",\n      "name": "TODO",\n      "distributionPoints": []\n    }\n  ]\n}\n',
  );
  assert.equal(appendToCollection('[]', 'packages', {}), undefined, 'not a site description object');
});

const TWO_DRIVER_STEPS = [
  '<sequence version="3.10">',
  '  <step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup Windows and ConfigMgr" description="" runIn="WinPEandFullOS" successCodeList="0">',
  '    <action>OSDSetupWindows.exe</action>',
  '    <defaultVarList>',
  '      <variable name="_SMSClientPackageID" property="ClientPackageID">CEN00004</variable>',
  '    </defaultVarList>',
  '  </step>',
  '  <step type="SMS_TaskSequence_PartitionDiskAction" name="One" description="" runIn="WinPE" successCodeList="0">',
  '    <action>osddiskpart.exe</action>',
  '  </step>',
  '  <step type="SMS_TaskSequence_PartitionDiskAction" name="Two" description="" runIn="WinPE" successCodeList="0">',
  '    <action>osddiskpart.exe</action>',
  '  </step>',
  '</sequence>',
  '',
].join('\n');

function contextOf(text: string, extra: Partial<FixContext> = {}): { ctx: FixContext; findings: ReturnType<typeof checkText>['findings'] } {
  const r = checkText(text, extra.site ? { site: extra.site, sitePath: extra.sitePath } : {});
  return { ctx: { text, model: r.model, catalog, ...extra }, findings: r.findings };
}

void test('fix-all: without a re-check each single fix applies; with one, a restart already made is not repeated', () => {
  const { ctx, findings } = contextOf(TWO_DRIVER_STEPS);
  assert.equal(findings.filter((f) => f.rule === 'step-context').length, 2);
  const once = fixAll(findings, ctx);
  const blind = applyEdits(TWO_DRIVER_STEPS, once.edits);
  assert.equal((blind.match(/name="Restart in Windows PE"/g) ?? []).length, 2, 'two findings, two fixes, no overlap');

  const recheck = (t: string): { model: ReturnType<typeof checkText>['model']; findings: ReturnType<typeof checkText>['findings'] } => checkText(t);
  const rounds = fixAll(findings, ctx, recheck);
  const fixed = applyEdits(TWO_DRIVER_STEPS, rounds.edits);
  assert.equal((fixed.match(/name="Restart in Windows PE"/g) ?? []).length, 1);
  assert.ok(!checkText(fixed).findings.some((f) => f.rule === 'step-context'), fixed);
  assert.deepEqual(rounds.applied.map((a) => a.rule), ['step-context']);
});

void test('an anchor that is no longer a step or group gives no fix', () => {
  const { ctx, findings } = contextOf(TWO_DRIVER_STEPS);
  const f = findings.find((x) => x.rule === 'step-context')!;
  const anchor = (f.data as InsertStepFix).anchor;
  const moved = { ...f, data: { ...f.data!, anchor: { start: anchor.start + 1, end: anchor.end } } };
  assert.deepEqual(dataFixesFor(moved, ctx), []);
});

void test('Setup Windows and ConfigMgr: one fix per client package, the first preferred; none known: the package left empty', () => {
  const apply = '<sequence version="3.10">\n  <step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="Apply" description="" runIn="WinPE" successCodeList="0">\n    <action>OSDApplyOS.exe</action>\n    <defaultVarList>\n      <variable name="ImagePackageID" property="ImagePackageID" hidden="true">CEN00010</variable>\n    </defaultVarList>\n  </step>\n</sequence>\n';
  const site = loadSite(JSON.stringify({ site: { code: 'CEN', product: 'ConfigMgr CB', version: '2309' }, packages: [{ packageId: 'CEN00004', name: 'Client', kind: 'client' }, { packageId: 'CEN00006', name: 'Client (pilot)', kind: 'client' }] }));
  const { ctx, findings } = contextOf(apply, { site, sitePath: '/site/configmgr-site.json' });
  const f = findings.find((x) => x.rule === 'setup-windows-after-apply-os')!;
  const fixes = dataFixesFor(f, ctx);
  assert.deepEqual(fixes.map((x) => x.title), ['Insert Setup Windows and ConfigMgr with client package CEN00004 after "Apply" (step 1)', 'Insert Setup Windows and ConfigMgr with client package CEN00006 after "Apply" (step 1)']);
  assert.deepEqual(fixes.map((x) => x.isPreferred === true), [true, false]);
  assert.match(applyEdits(apply, fixes[1].edits), /<variable name="_SMSClientPackageID" property="ClientPackageID">CEN00006<\/variable>/);

  const bare = contextOf(apply);
  const g = bare.findings.find((x) => x.rule === 'setup-windows-after-apply-os')!;
  const [only] = dataFixesFor(g, bare.ctx);
  assert.equal(only.title, 'Insert Setup Windows and ConfigMgr after "Apply" (step 1)');
  assert.match(applyEdits(apply, only.edits), /property="ClientPackageID"><\/variable>/);
});

void test('an empty <referenceList/> is written out with the new reference', () => {
  const text = '<sequence version="3.00">\n  <referenceList/>\n  <step type="SMS_TaskSequence_SetupWindowsAndSMSAction" name="Setup" description="" runIn="WinPEandFullOS" successCodeList="0">\n    <action>OSDSetupWindows.exe</action>\n    <defaultVarList>\n      <variable name="_SMSClientPackageID" property="ClientPackageID"></variable>\n    </defaultVarList>\n  </step>\n</sequence>\n';
  const site = loadSite(JSON.stringify({ site: { code: 'CEN', product: 'ConfigMgr 2007', version: 'SP1' }, packages: [{ packageId: 'CEN00004', name: 'Client', kind: 'client' }] }));
  const { ctx, findings } = contextOf(text, { site, sitePath: '/site/configmgr-site.json' });
  const f = findings.find((x) => x.rule === 'missing-step-property')!;
  const [fix] = dataFixesFor(f, ctx);
  assert.match(applyEdits(text, fix.edits), /<referenceList>\n {4}<reference package="CEN00004"\/>\n {2}<\/referenceList>/);
});

void test('every finding: its fixes, then "suppress here", then "disable in .cmts.json"', () => {
  const { ctx, findings } = contextOf(TWO_DRIVER_STEPS, { newConfigPath: '/ws/.cmts.json' });
  const f = findings.find((x) => x.rule === 'step-context')!;
  const kinds = fixesFor(f, ctx).map((x) => x.fixKind);
  assert.deepEqual(kinds, ['insert-step', 'suppress-comment', 'disable-in-config']);
  const created = fixesFor(f, ctx)[2].edits[0];
  assert.deepEqual({ file: created.file, create: created.create }, { file: '/ws/.cmts.json', create: true });
});

// ---- fix-all's bound (issue 21) ------------------------------------------------------------------

/** A sequence of `n` Set Task Sequence Variable steps, each setting a misspelled OSDComputerName: n findings with one fix each. */
function typoSteps(n: number): string {
  const steps = Array.from({ length: n }, (_, i) =>
    [
      `  <step type="SMS_TaskSequence_SetVariableAction" name="Set ${i}" description="" runIn="WinPEandFullOS" successCodeList="0">`,
      '    <action>tsenv.exe</action>',
      '    <defaultVarList>',
      '      <variable name="VariableName" property="VariableName">OSDComputerNmae</variable>',
      `      <variable name="VariableValue" property="VariableValue">PC${i}</variable>`,
      '    </defaultVarList>',
      '  </step>',
    ].join('\n'),
  );
  return ['<sequence version="3.10">', ...steps, '</sequence>', ''].join('\n');
}

/** checkText, counting the work it does: characters parsed (none when given the parse) plus characters analysed. */
function countingRecheck(): { recheck: (t: string, parsed?: ParseResult) => ReturnType<typeof checkText>; chars: () => number; patched: () => number } {
  let chars = 0;
  let patched = 0;
  return {
    recheck: (t, parsed) => {
      chars += parsed ? t.length : 2 * t.length;
      if (!parsed) return checkText(t);
      patched++;
      assert.ok(sameParse(parsed, parseTaskSequence(t)), 'the incremental parse is the parse');
      return { ...parsed, findings: analyze({ text: t, ...parsed }) };
    },
    chars: () => chars,
    patched: () => patched,
  };
}

void test('fix-all: all its re-checking counts against one bound; past it, it stops with whole fixes and says so', () => {
  const text = typoSteps(40);
  const { ctx, findings } = contextOf(text);
  assert.equal(findings.filter((f) => f.rule === 'variable-name-typo').length, 40);
  const c = countingRecheck();
  const limit = 10 * text.length;
  const r = fixAll(findings, { ...ctx, safety: { findings, problems: [], recheck: c.recheck, startIn: 'both', maxRecheckChars: limit } }, c.recheck);
  // The bound: `limit` characters of whole re-checks (a parse and an analysis each).
  assert.ok(c.chars() <= 2 * limit, `parsed and analysed ${c.chars()} characters, bound ${2 * limit}`);
  assert.ok(c.patched() > 0, 'a name fix is re-checked on an incremental parse');
  assert.ok(r.stopped, 'says it stopped');
  assert.ok(r.applied.length > 0 && r.applied.length < 40, `${r.applied.length} applied`);
  // Every fix it reports is in the edits, whole: one name corrected per fix, nothing half-written.
  const fixed = applyEdits(text, r.edits);
  assert.equal((fixed.match(/>OSDComputerName</g) ?? []).length, r.applied.length);
  assert.equal((fixed.match(/>OSDComputerNmae</g) ?? []).length, 40 - r.applied.length);
  assert.equal(checkText(fixed).findings.filter((f) => f.rule === 'variable-name-typo').length, 40 - r.applied.length);

  // With room for everything, everything is fixed and nothing is said.
  const all = fixAll(findings, { ...ctx, safety: { findings, recheck: (t) => checkText(t), startIn: 'both' } }, (t) => checkText(t));
  assert.equal(all.stopped, undefined);
  assert.equal(all.applied.length, 40);
});

void test('fix-all: a finding whose second candidate could not be judged is not taken as having one fix', () => {
  const apply = '<sequence version="3.10">\n  <step type="SMS_TaskSequence_ApplyOperatingSystemAction" name="Apply" description="" runIn="WinPE" successCodeList="0">\n    <action>OSDApplyOS.exe</action>\n    <defaultVarList>\n      <variable name="ImagePackageID" property="ImagePackageID" hidden="true">CEN00010</variable>\n    </defaultVarList>\n  </step>\n</sequence>\n';
  const site = loadSite(JSON.stringify({ site: { code: 'CEN', product: 'ConfigMgr CB', version: '2309' }, packages: [{ packageId: 'CEN00004', name: 'Client', kind: 'client' }, { packageId: 'CEN00006', name: 'Client (pilot)', kind: 'client' }] }));
  const { ctx, findings } = contextOf(apply, { site, sitePath: '/site/configmgr-site.json' });
  const recheck = (t: string): ReturnType<typeof checkText> => checkText(t, { site, sitePath: '/site/configmgr-site.json' });
  const f = findings.find((x) => x.rule === 'setup-windows-after-apply-os')!;
  const [first] = dataFixesFor(f, ctx);
  // Room for judging the first candidate only.
  const limit = applyEdits(apply, first.edits).length;
  const judged = dataFixesFor(f, { ...ctx, safety: { findings, recheck, startIn: 'both', maxRecheckChars: 100 * limit } });
  assert.equal(judged.length, 2, 'both candidates pass the judge when there is room');
  const r = fixAll([f], { ...ctx, safety: { findings, recheck, startIn: 'both', maxRecheckChars: limit } }, recheck);
  assert.deepEqual(r.applied, []);
  assert.deepEqual(r.edits, []);
  assert.ok(r.stopped);
});

void test('a fix past the re-check budget is not read again: it is left unjudged before any re-parse', () => {
  const text = typoSteps(5);
  const { ctx, findings } = contextOf(text);
  const f = findings.find((x) => x.rule === 'variable-name-typo')!;
  // The document's parse problems, as a front end gives them: the incremental re-parse of a fix
  // reads them, so counting the reads counts the re-parses.
  let reads = 0;
  const problems = {
    [Symbol.iterator]() {
      reads++;
      return [][Symbol.iterator]();
    },
  } as unknown as ParseProblem[];
  const recheck = (t: string, parsed?: ParseResult): ReturnType<typeof checkText> => (parsed ? { ...parsed, findings: analyze({ text: t, ...parsed }) } : checkText(t));
  // No room for any re-check: nothing is offered, and the fix is not parsed again to find that out.
  assert.deepEqual(dataFixesFor(f, { ...ctx, safety: { findings, problems, recheck, startIn: 'both', maxRecheckChars: 1 } }), []);
  assert.equal(reads, 0);
  // With room, the same fix is re-parsed once (its problems read) and offered.
  assert.equal(dataFixesFor(f, { ...ctx, safety: { findings, problems, recheck, startIn: 'both' } }).length, 1);
  assert.equal(reads, 1);
});
