// parseTaskSequence over hand-made fixtures (test/fixtures/model), one construct at a time, plus
// LineIndex, sniffTaskSequence and contentReferences. Every range is marked in the fixture text
// with ⟦name|…⟧ (helpers/markers.ts) and compared whole, never located by line numbers here.
// Longer than ~600 lines on purpose: it is the one place that pins the model's contract.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../server/src/catalog';
import { MAX_DEPTH, parseTaskSequence } from '../../server/src/model/parse';
import { LineIndex, lineEnding } from '../../server/src/model/positions';
import { contentReferences, type ContentReference } from '../../server/src/model/query';
import { sniffTaskSequence } from '../../server/src/model/sniff';
import type {
  Attr, ConditionExpression, ConditionNode, ConditionOperator, Group, Item, ParseResult, Span, Step, TaskSequenceModel, Variable,
} from '../../server/src/model/types';
import { markers, spanOf, type Marked } from './helpers/markers';

const FIXTURES = join(__dirname, '..', 'fixtures', 'model');

function fixture(name: string, crlf = false): Marked {
  const raw = readFileSync(join(FIXTURES, name), 'utf8');
  return markers(crlf ? raw.replace(/\r?\n/g, '\r\n') : raw);
}

function parse(m: Marked): ParseResult {
  return parseTaskSequence(m.text);
}

/** Compares only start/end, so an extra key on either side cannot hide a wrong range. */
function assertSpan(actual: Span | undefined, m: Marked, name: string): void {
  assert.ok(actual, `no span where marker "${name}" is`);
  const want = spanOf(m, name);
  assert.deepEqual({ start: actual.start, end: actual.end }, { start: want.start, end: want.end }, `span of "${name}": got ${JSON.stringify(m.text.slice(actual.start, actual.end))}, want ${JSON.stringify(m.text.slice(want.start, want.end))}`);
}

function step(model: TaskSequenceModel, name: string): Step {
  const s = model.steps.find((x) => x.name === name);
  assert.ok(s, `no step named ${name}; steps: ${model.steps.map((x) => x.name).join(', ')}`);
  return s;
}

function group(model: TaskSequenceModel, name: string): Group {
  const g = model.groups.find((x) => x.name === name);
  assert.ok(g, `no group named ${name}`);
  return g;
}

function variable(vars: Variable[], name: string): Variable {
  const v = vars.find((x) => x.name === name);
  assert.ok(v, `no variable ${name}; have ${vars.map((x) => x.name).join(', ')}`);
  return v;
}

function asOperator(n: ConditionNode | undefined): ConditionOperator {
  assert.ok(n && n.kind === 'operator', `expected an operator, got ${n?.kind}`);
  return n;
}

function asExpression(n: ConditionNode | undefined): ConditionExpression {
  assert.ok(n && n.kind === 'expression', `expected an expression, got ${n?.kind}`);
  return n;
}

/** The model as JSON without the parent back-links (which make it cyclic). */
function serialize(model: TaskSequenceModel): string {
  return JSON.stringify(model, (k, v: unknown) => (k === 'parent' ? undefined : v));
}

/** Problem spans must be real ranges inside the text, whatever the input. */
function assertSaneSpans(r: ParseResult, text: string): void {
  for (const p of r.problems) {
    assert.equal(p.code, 'xml-syntax');
    assert.ok(Number.isInteger(p.span.start) && Number.isInteger(p.span.end), `problem span ${JSON.stringify(p.span)} is not made of integers`);
    assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= text.length, `problem span ${JSON.stringify(p.span)} is outside the text`);
  }
}

describe('markers helper', () => {
  test('strips nested and empty markers and reports their offsets in the clean text', () => {
    const m = markers('a⟦outer|b⟦inner|c⟧d⟧e⟦empty|⟧f');
    assert.equal(m.text, 'abcdef');
    assert.deepEqual(m.spans, { inner: { start: 2, end: 3 }, outer: { start: 1, end: 4 }, empty: { start: 5, end: 5 } });
  });

  test('rejects fixture mistakes instead of giving wrong offsets', () => {
    assert.throws(() => markers('⟦a|x'), /never closed/);
    assert.throws(() => markers('x⟧'), /closes no marker/);
    assert.throws(() => markers('⟦a|x⟧⟦a|y⟧'), /used twice/);
    assert.throws(() => markers('⟦x⟧'), /no name/);
    assert.throws(() => spanOf(markers('plain'), 'missing'), /no marker "missing"/);
  });
});

describe('bare <sequence>', () => {
  test('MDT style: declaration, name and description on <sequence>, comments collected', () => {
    const m = fixture('mdt-ts.xml');
    const { model, problems } = parse(m);
    assert.deepEqual(problems, []);
    assert.equal(model.flavour, 'sequence');
    assert.equal(model.wrapper, undefined);
    assert.equal(model.length, m.text.length);
    const seq = model.sequence;
    assert.ok(seq);
    assert.equal(seq.version, '3.00');
    assertSpan(seq.attrs.version?.span, m, 'seqVersion');
    assert.equal(seq.name, 'Standard Client Task Sequence');
    assertSpan(seq.attrs.name?.span, m, 'seqName');
    assert.equal(seq.description, 'A complete task sequence for deploying a client operating system');
    assert.equal(model.mdt, true);
    assert.equal(model.comments.length, 1);
    assertSpan(model.comments[0].span, m, 'comment');
    assert.equal(model.comments[0].text, ' Deployment Workbench template, trimmed for the model tests ');
  });

  test('ConfigMgr 3.10 style: no declaration, no name, not MDT', () => {
    const m = fixture('cm-bare.xml');
    const { model, problems } = parse(m);
    assert.deepEqual(problems, []);
    assert.equal(model.flavour, 'sequence');
    assert.ok(model.sequence);
    assert.equal(model.sequence.version, '3.10');
    assert.equal(model.sequence.name, undefined);
    assert.equal(model.sequence.description, undefined);
    assert.equal(model.mdt, false);
    assert.equal(model.sequence.span.start, 0);
    assert.equal(model.sequence.span.end, m.text.trimEnd().length);
  });

  test('an empty self-closing <sequence /> is a sequence with nothing in it', () => {
    const m = markers('⟦seq|<⟦name|sequence⟧ version="3.10" />⟧');
    const { model, problems } = parse(m);
    assert.deepEqual(problems, []);
    assert.ok(model.sequence);
    assertSpan(model.sequence.span, m, 'seq');
    assertSpan(model.sequence.nameSpan, m, 'name');
    assert.equal(model.sequence.startTagEnd, model.sequence.span.end);
    assert.equal(model.sequence.endTagStart, model.sequence.span.end);
    assert.deepEqual(model.steps, []);
    assert.deepEqual(model.groups, []);
  });

  test('mdt is set by a name on <sequence>, an untyped step or a BDD_ step, and by nothing else', () => {
    const cases: [string, boolean][] = [
      ['<sequence version="3.00" name="X"/>', true],
      ['<sequence version="3.00"><step name="a"><action>x</action></step></sequence>', true],
      ['<sequence version="3.00"><step type="BDD_Gather" name="a"/></sequence>', true],
      ['<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="a"/></sequence>', false],
    ];
    for (const [text, mdt] of cases) assert.equal(parseTaskSequence(text).model.mdt, mdt, text);
  });
});

describe('ConfigMgr 2007 package export', () => {
  const m = fixture('package-export.xml');
  const { model, problems } = parse(m);

  test('wrapper properties keep their values and where they are written', () => {
    assert.deepEqual(problems, []);
    assert.equal(model.flavour, 'package-export');
    const w = model.wrapper;
    assert.ok(w);
    assert.equal(w.properties.BootImageID?.value, 'CEN00002');
    assertSpan(w.properties.BootImageID?.span, m, 'boot');
    assert.equal(w.properties.Description?.value, 'Deploys the client & restores state');
    assertSpan(w.properties.Description?.span, m, 'desc');
    assert.equal(w.properties.SourceDate?.value, '2007-07-17T18:21:22');
    assert.equal(w.properties.Name?.value, 'MDT Client Task Sequence');
    assert.equal(w.properties.ProgramFlags?.value, '152084496');
    assert.deepEqual(w.references, []);
    assert.equal('SequenceData' in w.properties, false, 'SequenceData is the sequence, not a property');
  });

  test('self-closing empty properties (<Category />) are empty with an empty span after the tag', () => {
    const cat = model.wrapper?.properties.Category;
    assert.ok(cat);
    assert.equal(cat.value, '');
    assertSpan(cat.span, m, 'category');
    assert.equal(model.wrapper?.properties.SupportedOperatingSystems?.value, '');
  });

  test('the sequence is read from SequenceData/sequence', () => {
    assert.ok(model.sequence);
    assertSpan(model.sequence.span, m, 'seq');
    assert.equal(model.sequence.version, '3.00');
    const s = step(model, 'Apply Operating System Image');
    assert.equal(s.type, 'SMS_TaskSequence_ApplyOperatingSystemAction');
    assertSpan(s.attrs.type?.span, m, 'applyType');
    assertSpan(variable(s.variables, 'ImagePackageID').valueSpan, m, 'imageId');
    assert.equal(s.parent?.name, 'Execute Task Sequence');
  });

  test('a package export without SequenceData reports it on the element and still gives the wrapper', () => {
    const bad = markers('<⟦root|SmsTaskSequencePackage⟧><BootImageID>CEN00002</BootImageID></SmsTaskSequencePackage>');
    const r = parse(bad);
    assert.equal(r.model.flavour, 'package-export');
    assert.equal(r.model.sequence, undefined);
    assert.equal(r.model.wrapper?.properties.BootImageID?.value, 'CEN00002');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].span.start, spanOf(bad, 'root').start - 1);
    assert.equal(r.problems[0].span.end, spanOf(bad, 'root').end);
    assert.match(r.problems[0].message, /SequenceData/);
  });
});

describe('console object.xml (CIM INSTANCE, CRLF, sequence in CDATA)', () => {
  const m = fixture('object.xml', true);
  const { model, problems } = parse(m);

  test('is read as object-xml with the wrapper properties', () => {
    assert.ok(m.text.includes('\r\n'), 'the fixture must be tested with CRLF line endings');
    assert.deepEqual(problems, []);
    assert.equal(model.flavour, 'object-xml');
    const w = model.wrapper;
    assert.ok(w);
    assert.equal(w.properties.BootImageID?.value, 'CEN00002');
    assertSpan(w.properties.BootImageID?.span, m, 'boot');
    assert.equal(w.properties.PackageID?.value, 'CEN00030');
    assertSpan(w.properties.PackageID?.span, m, 'packageId');
    assert.equal(w.properties.Description?.value, '');
    assertSpan(w.properties.Description?.span, m, 'desc');
    assert.equal(w.properties.Sequence?.value.startsWith('<sequence version="3.10">'), true);
  });

  test('offsets inside the CDATA map back to the outer file', () => {
    assert.ok(model.sequence);
    assertSpan(model.sequence.span, m, 'innerSeq');
    const s = step(model, 'Run & log');
    assertSpan(s.span, m, 'cdStep');
    assert.equal(s.type, 'SMS_TaskSequence_RunCommandLineAction');
    assertSpan(s.attrs.type?.span, m, 'cdType');
    const v = variable(s.variables, 'CommandLine');
    assert.equal(v.value, 'cmd.exe /c echo > x.log');
    assertSpan(v.valueSpan, m, 'cdValue');
    assert.equal(s.action?.text, 'smsswd.exe /run:CEN00010 cmd.exe /c echo > x.log');
    assertSpan(s.action?.span, m, 'cdAction');
    assert.equal(s.parent?.name, 'Main');
    assertSpan(model.sequence.references[0]?.package?.span, m, 'innerRef');
    // The CDATA sits on one line of a CRLF file: the step must be on that line, not on line 0.
    const lines = new LineIndex(m.text);
    const cdataLine = lines.positionAt(m.text.indexOf('<![CDATA[')).line;
    assert.ok(cdataLine > 0);
    assert.equal(lines.positionAt(s.attrs.type?.span.start ?? -1).line, cdataLine);
  });

  test('comments inside the CDATA are collected with outer offsets', () => {
    assert.equal(model.comments.length, 1);
    assertSpan(model.comments[0].span, m, 'innerComment');
    assert.equal(model.comments[0].text, ' inside the CDATA ');
  });

  test('References objects give Package, Program and Type', () => {
    const refs = model.wrapper?.references ?? [];
    assert.equal(refs.length, 2);
    assert.equal(refs[0].package.value, 'CEN00010');
    assertSpan(refs[0].package.span, m, 'ref1Package');
    assert.equal(refs[0].program?.value, '*');
    assertSpan(refs[0].program?.span, m, 'ref1Program');
    assert.equal(refs[0].type?.value, '0');
    assert.equal(refs[1].package.value, 'ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_00e2caa8-80d2-4ade-a3f8-ebfdb5bb3465');
    assertSpan(refs[1].package.span, m, 'ref2Package');
    assert.equal(refs[1].program, undefined);
    assertSpan(refs[1].type?.span, m, 'ref2Type');
  });

  test('errors inside the CDATA are reported at their outer offset', () => {
    const bad = markers('<INSTANCE CLASSNAME="SMS_TaskSequencePackage">\r\n  <PROPERTY NAME="Sequence" TYPE="string">\r\n    <VALUE><![CDATA[<sequence version="3.10"><step type="A" name="one"></step><group name="g">⟦bad|</step>⟧</group></sequence>]]></VALUE>\r\n  </PROPERTY>\r\n</INSTANCE>\r\n');
    const r = parse(bad);
    assert.equal(r.model.flavour, 'object-xml');
    assert.deepEqual(r.model.steps.map((s) => s.name), ['one']);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, bad, 'bad');
  });

  test('an INSTANCE without a Sequence property says so', () => {
    const r = parseTaskSequence('<INSTANCE CLASSNAME="SMS_TaskSequencePackage"><PROPERTY NAME="Name"><VALUE>x</VALUE></PROPERTY></INSTANCE>');
    assert.equal(r.model.flavour, 'object-xml');
    assert.equal(r.model.sequence, undefined);
    assert.equal(r.model.wrapper?.properties.Name?.value, 'x');
    assert.match(r.problems[0]?.message ?? '', /no Sequence property/);
  });
});

describe('MDT ts.xml constructs', () => {
  const m = fixture('mdt-ts.xml');
  const { model } = parse(m);

  test('globalVarList variables with values and spans', () => {
    const seq = model.sequence;
    assert.ok(seq?.globalVarList);
    assert.deepEqual(seq.globalVariables.map((v) => [v.name, v.property, v.value]), [
      ['OSGUID', 'OSGUID', '{5a1f3e9c-1d2b-4d6b-9c11-0123456789ab}'],
      ['DestinationDisk', 'DestinationDisk', '0'],
    ]);
    assertSpan(seq.globalVariables[0].valueSpan, m, 'osguid');
  });

  test('a group with expand and an empty <action /> holds only its steps', () => {
    const g = group(model, 'Initialization');
    assertSpan(g.span, m, 'init');
    assert.equal(g.attrs.expand?.value, 'true');
    assertSpan(g.attrs.expand?.span, m, 'initExpand');
    assert.deepEqual(g.children.map((c) => `${c.kind}:${c.name}`), ['step:Gather local only']);
    const a = spanOf(m, 'initAction');
    assert.ok(!model.steps.some((s) => s.span.start === a.start), '<action /> of a group is not a step');
  });

  test('untyped step: no type, startIn kept as an attribute, action and condition after it', () => {
    const s = step(model, 'Validate');
    assert.equal(s.type, undefined);
    assert.equal(s.attrs.type, undefined);
    assert.equal(s.element, 'step');
    assertSpan(s.attrs.name?.span, m, 'untypedName');
    assert.equal(s.attrs.startIn?.value, '');
    assertSpan(s.attrs.startIn?.span, m, 'startIn');
    assert.equal(s.action?.text, 'cscript.exe "%SCRIPTROOT%\\ZTIValidate.wsf"');
    assert.ok(s.condition);
    assert.equal(s.condition.implicit, false);
    assertSpan(s.condition.span, m, 'afterAction');
    const ex = asExpression(s.condition.children[0]);
    assertSpan(variable(ex.parameters, 'Operator').valueSpan, m, 'equalsOp');
    assert.equal(variable(ex.parameters, 'Operator').value, 'Equals');
  });

  test('BDD step with defaultVarList before action; empty and self-closing variables', () => {
    const gather = step(model, 'Gather local only');
    assertSpan(gather.attrs.type?.span, m, 'gatherType');
    assertSpan(gather.action?.span, m, 'gatherAction');
    const rules = variable(gather.variables, 'RulesFile');
    assert.equal(rules.value, '');
    assertSpan(rules.valueSpan, m, 'rulesFile');
    const reboot = step(model, 'Restart computer');
    const msg = variable(reboot.variables, 'Message');
    assert.equal(msg.value, '');
    assert.equal(msg.valueSpan.start, msg.startTagEnd);
    assert.equal(msg.valueSpan.end, msg.startTagEnd);
    assert.equal(msg.endTagStart, msg.startTagEnd);
    const target = variable(reboot.variables, 'Target');
    assert.equal(target.value, '');
    assert.equal(target.startTagEnd, target.span.end, 'a self-closing element ends at its />');
    assert.deepEqual(target.valueSpan, { start: target.span.end, end: target.span.end });
  });

  test('an <expression> directly under <step> is an implicit condition', () => {
    const s = step(model, 'Capture User State');
    assert.ok(s.condition);
    assert.equal(s.condition.implicit, true);
    assertSpan(s.condition.span, m, 'implicit');
    assert.equal(s.condition.children.length, 1);
    const ex = asExpression(s.condition.children[0]);
    assert.equal(ex.type, 'SMS_TaskSequence_VariableConditionExpression');
    assert.deepEqual(ex.parameters.map((p) => [p.name, p.value]), [['Variable', 'USMTLocal'], ['Operator', 'notEquals'], ['Value', 'True']]);
    assertSpan(ex.parameters[2].valueSpan, m, 'implicitValue');
    assert.equal(s.attrs.startIn?.value, 'X:\\');
  });

  test('groups nest with parent and depth; disabled and continueOnError read from attributes', () => {
    const pre = group(model, 'Preinstall');
    const nested = group(model, 'Nested');
    const restart = step(model, 'Restart computer');
    assert.equal(pre.parent, undefined);
    assert.equal(pre.depth, 0);
    assert.equal(pre.disabled, true);
    assert.equal(pre.continueOnError, true);
    assert.equal(nested.parent, pre);
    assert.equal(nested.depth, 1);
    assertSpan(nested.attrs.name?.span, m, 'nestedName');
    assert.equal(nested.disabled, false);
    assert.equal(restart.parent, nested);
    assert.equal(restart.depth, 2);
    assert.deepEqual(pre.children.map((c: Item) => c.name), ['Validate', 'Nested']);
    assert.equal(step(model, 'Capture User State').parent, undefined);
    assert.equal(step(model, 'Capture User State').depth, 0);
  });

  test('steps are numbered in document order across groups', () => {
    assert.deepEqual(model.steps.map((s) => [s.number, s.name]), [
      [1, 'Gather local only'], [2, 'Validate'], [3, 'Restart computer'], [4, 'Capture User State'],
    ]);
    assert.deepEqual(model.groups.map((g) => g.name), ['Initialization', 'Preinstall', 'Nested']);
    assert.deepEqual(model.sequence?.children.map((c) => c.name), ['Initialization', 'Preinstall', 'Capture User State']);
  });
});

describe('ConfigMgr constructs', () => {
  const m = fixture('cm-bare.xml');
  const { model } = parse(m);

  test('referenceList: package, package with program, application', () => {
    const seq = model.sequence;
    assert.ok(seq);
    assertSpan(seq.referenceList?.span, m, 'refList');
    assert.equal(seq.references.length, 3);
    const [pkg, prog, app] = seq.references;
    assert.equal(pkg.package?.value, 'CEN00010');
    assertSpan(pkg.package?.span, m, 'refPkg');
    assert.equal(pkg.program, undefined);
    assertSpan(prog.package?.span, m, 'refPkg2');
    assert.equal(prog.program?.value, '*');
    assertSpan(prog.program?.span, m, 'refProgram');
    assert.equal(app.package, undefined);
    assertSpan(app.application?.span, m, 'refApp');
    assert.deepEqual(seq.globalVariables.map((v) => [v.name, v.property, v.value]), [['OSDStateSMPRetryCount', 'StateSMPRetryCount', '2']]);
  });

  test('a condition is a tree of and/or/not operators over typed expressions with their parameters', () => {
    const g = group(model, 'Install');
    assertSpan(g.span, m, 'install');
    const c = g.condition;
    assert.ok(c);
    assert.equal(c.implicit, false);
    assertSpan(c.span, m, 'condition');
    assert.equal(c.children.length, 1);
    const and = asOperator(c.children[0]);
    assertSpan(and.span, m, 'and');
    assert.equal(and.type, 'and');
    assert.deepEqual(and.children.map((n) => n.type), [
      'SMS_TaskSequence_VariableConditionExpression', 'or', 'SMS_TaskSequence_FileConditionExpression',
      'SMS_TaskSequence_RegistryConditionExpression', 'SMS_TaskSequence_OSConditionExpression',
    ]);
    const v = asExpression(and.children[0]);
    assert.deepEqual(v.parameters.map((p) => [p.name, p.value, p.property]), [['Operator', 'equals', undefined], ['Value', 'True', undefined], ['Variable', '_SMSTSInWinPE', undefined]]);
    assertSpan(v.parameters[1].valueSpan, m, 'condValue');
    const or = asOperator(and.children[1]);
    const wmi = asExpression(or.children[0]);
    assert.equal(wmi.type, 'SMS_TaskSequence_WMIConditionExpression');
    assert.deepEqual(wmi.parameters.map((p) => p.name), ['Namespace', 'Query']);
    assert.equal(wmi.parameters[1].value, "SELECT * FROM Win32_LogicalDisk WHERE FileSystem <> 'NTFS'");
    assertSpan(wmi.parameters[1].valueSpan, m, 'wmiQuery');
    const not = asOperator(or.children[1]);
    assert.equal(not.type, 'not');
    const folder = asExpression(not.children[0]);
    assert.equal(folder.type, 'SMS_TaskSequence_FolderConditionExpression');
    assert.deepEqual(folder.parameters.map((p) => [p.name, p.value]), [['Path', 'C:\\Temp']]);
    assert.deepEqual(asExpression(and.children[2]).parameters.map((p) => [p.name, p.value]), [['Path', 'C:\\a.txt']]);
    assert.deepEqual(asExpression(and.children[3]).parameters.map((p) => p.name), ['KeyPath', 'Value', 'Type', 'Data', 'Operator']);
    assert.deepEqual(asExpression(and.children[4]).parameters.map((p) => [p.name, p.value]), [['Architecture', 'x64'], ['Version', '10.0'], ['Operator', 'greaterEqual']]);
  });

  test('step flags and engine attributes are available as written', () => {
    const s = step(model, 'Say "hi" & bye');
    assertSpan(s.span, m, 'cmdStep');
    assert.equal(s.disabled, true);
    assert.equal(s.continueOnError, true);
    assert.equal(s.runIn, 'WinPEandFullOS');
    assert.equal(s.attrs.runIn?.value, 'WinPEandFullOS');
    assert.equal(s.attrs.successCodeList?.value, '0 3010');
    assert.equal(s.attrs.timeout?.value, '900');
    assert.equal(s.attrs.retryCount?.value, '2');
    assert.equal(s.attrs.runFromNet?.value, 'false');
    const other = step(model, 'Set OSDComputerName');
    assert.equal(other.disabled, false);
    assert.equal(other.continueOnError, false);
    assert.equal(other.attrs.timeout, undefined);
  });

  test('single-quoted attribute with entities: decoded value, span of the raw text inside the quotes', () => {
    const s = step(model, 'Say "hi" & bye');
    assertSpan(s.attrs.name?.span, m, 'quotedName');
    const nameSpan = s.attrs.name?.nameSpan;
    assert.ok(nameSpan);
    assert.equal(m.text.slice(nameSpan.start, nameSpan.end), 'name');
  });

  test('action text is decoded (&lt; &gt; &amp; &quot; &#xA;) and its span covers the raw text', () => {
    const s = step(model, 'Say "hi" & bye');
    assert.equal(s.action?.text, 'cmd.exe /c echo <a> & "b"\nnext');
    assertSpan(s.action?.span, m, 'cmdAction');
    assert.equal(s.action?.element.span.end, s.action?.element.endTagStart + '</action>'.length);
  });

  test('defaultVarList variables: name, property, hidden, value, valueSpan (empty and self-closing)', () => {
    const s = step(model, 'Say "hi" & bye');
    assert.ok(s.varList);
    const cmd = variable(s.variables, 'CommandLine');
    assert.equal(cmd.property, 'CommandLine');
    assert.equal(cmd.hidden, true);
    assert.equal(cmd.value, 'cmd.exe /c echo <a>');
    assertSpan(cmd.valueSpan, m, 'cmdLine');
    const empty = variable(s.variables, 'SMSTSDisableWow64Redirection');
    assert.equal(empty.hidden, false);
    assert.equal(empty.value, '');
    assertSpan(empty.valueSpan, m, 'emptyVal');
    const self = variable(s.variables, 'PackageID');
    assert.equal(self.hidden, true);
    assert.equal(self.value, '');
    assertSpan(self.valueSpan, m, 'selfVal');
    const restart = step(model, 'Restart');
    assert.ok(restart.varList, '<defaultVarList/> is kept so fixes can insert into it');
    assert.deepEqual(restart.variables, []);
  });

  test('<subtasksequence> is a step of its own element, numbered in document order', () => {
    const sub = step(model, 'Run child');
    assert.equal(sub.element, 'subtasksequence');
    assert.equal(sub.type, 'SMS_TaskSequence_SubTasksequence');
    assertSpan(sub.span, m, 'sub');
    assertSpan(sub.nameSpan, m, 'subName');
    assert.equal(sub.depth, 0);
    assert.deepEqual(model.steps.map((s) => [s.number, s.element, s.name]), [
      [1, 'step', 'Say "hi" & bye'], [2, 'step', 'Set OSDComputerName'], [3, 'subtasksequence', 'Run child'], [4, 'step', 'Restart'],
    ]);
    assert.equal(group(model, 'Inner').parent, group(model, 'Install'));
  });

  test('comments between elements are collected with their spans', () => {
    assert.equal(model.comments.length, 1);
    assertSpan(model.comments[0].span, m, 'comment');
  });
});

describe('problems', () => {
  test('mismatched close tag: reported on the close tag, steps before it kept', () => {
    const m = markers('<sequence version="3.10">\n  <step name="a" type="X"><action>x</action></step>\n  <group name="g"><step name="b">⟦bad|</stepp>⟧</group>\n</sequence>\n');
    const r = parse(m);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, m, 'bad');
    assert.match(r.problems[0].message, /stepp/);
    assert.deepEqual(r.model.steps.map((s) => s.name).slice(0, 1), ['a']);
  });

  test('element never closed before the end: reported on its start tag', () => {
    const m = markers('<sequence version="3.10">\n  <step name="a" type="X"><action>x</action></step>\n  ⟦open|<step⟧ name="b" type="Y">\n');
    const r = parse(m);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, m, 'open');
    assert.match(r.problems[0].message, /<step> is never closed/);
    assert.deepEqual(r.model.steps.map((s) => s.name), ['a', 'b']);
  });

  test('file ending inside a start tag: reported on that tag, steps before it kept', () => {
    const m = markers('<sequence version="3.10">\n  <step name="a" type="X"><action>x</action></step>\n  ⟦tag|<step name="b" type="Y"⟧');
    const r = parse(m);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, m, 'tag');
    assert.deepEqual(r.model.steps.map((s) => s.name), ['a']);
  });

  test('file ending inside a comment: reported on the comment, steps before it kept', () => {
    const m = markers('<sequence version="3.10"><step name="a" type="X"/>⟦c|<!-- never closed </sequence>⟧');
    const r = parse(m);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].span.start, spanOf(m, 'c').start);
    assert.match(r.problems[0].message, /comment is never closed/);
    assert.deepEqual(r.model.steps.map((s) => s.name), ['a']);
  });

  test('comment before the XML declaration: reported on the declaration, the model is still built', () => {
    const m = markers('<!-- THIS IS FOR REFERENCE ONLY. -->\n⟦decl|<?xml version="1.0"?>⟧\n<sequence version="3.00"><step name="a"><action>x</action></step></sequence>\n');
    const r = parse(m);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, m, 'decl');
    assert.match(r.problems[0].message, /declaration/);
    assert.deepEqual(r.model.steps.map((s) => s.name), ['a']);
    assert.equal(r.model.comments.length, 1);
  });

  test('unknown entity: reported where it is written and left undecoded', () => {
    const m = markers('<sequence version="3.10"><step type="X" name="a ⟦foo|&foo;⟧ b"><action>run ⟦bar|&bar;⟧ &amp; go</action></step></sequence>');
    const r = parse(m);
    assert.equal(r.problems.length, 2);
    assertSpan(r.problems[0].span, m, 'foo');
    assertSpan(r.problems[1].span, m, 'bar');
    assert.equal(r.model.steps[0].name, 'a &foo; b');
    assert.equal(r.model.steps[0].action?.text, 'run &bar; & go');
  });

  test('an entity problem is reported once even where an element is read twice', () => {
    const m = markers('<sequence version="3.10"><step name="a"><expression type="E" note="⟦foo|&foo;⟧"><variable name="Variable">V</variable></expression></step></sequence>');
    const r = parse(m);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, m, 'foo');
    assert.equal(r.model.steps[0].condition?.implicit, true);
  });

  test('DOCTYPE with internal entities (billion laughs): one problem, nothing expanded', () => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const m = markers(`<?xml version="1.0"?>\n⟦doctype|<!DOCTYPE sequence [\n ${levels.join('\n ')}\n]>⟧\n<sequence version="3.10"><step type="X" name="⟦ref|&lol9;⟧"/></sequence>\n`);
    const r = parse(m);
    assert.equal(r.problems.length, 2);
    assertSpan(r.problems[0].span, m, 'doctype');
    assert.match(r.problems[0].message, /DOCTYPE/);
    assertSpan(r.problems[1].span, m, 'ref');
    assert.equal(r.model.steps[0].name, '&lol9;');
    assert.ok(serialize(r.model).length < 10 * m.text.length, 'the model must not hold expanded text');
  });

  test('DOCTYPE naming a SYSTEM file: nothing is read, the sequence is still there', () => {
    const external = markers('<?xml version="1.0"?>\n⟦doctype|<!DOCTYPE sequence SYSTEM "file:///etc/passwd">⟧\n<sequence version="3.10"><step type="X" name="a"/></sequence>');
    const r1 = parse(external);
    assert.equal(r1.problems.length, 1);
    assertSpan(r1.problems[0].span, external, 'doctype');
    assert.deepEqual(r1.model.steps.map((s) => s.name), ['a']);
    const entity = markers('<?xml version="1.0"?>\n⟦doctype|<!DOCTYPE sequence [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>⟧\n<sequence version="3.10"><step type="X" name="⟦ref|&xxe;⟧"/></sequence>');
    const r2 = parse(entity);
    assertSpan(r2.problems[0]?.span, entity, 'doctype');
    assertSpan(r2.problems[1]?.span, entity, 'ref');
    assert.equal(r2.problems.length, 2);
    assert.deepEqual(r2.model.steps.map((s) => s.name), ['&xxe;']);
    for (const r of [r1, r2]) assert.doesNotMatch(serialize(r.model), /root:|nologin|\/bin\/(ba)?sh/);
  });

  test(`nesting deeper than MAX_DEPTH (${MAX_DEPTH}): problem at the first too-deep element, model of what came before`, () => {
    // <sequence> is level 1, so the (MAX_DEPTH)th nested group is the first one too deep.
    const open = '<group name="g">';
    const text = `<sequence version="3.10"><step type="X" name="first"/>${open.repeat(MAX_DEPTH - 1)}⟦deep|${open}⟧${open.repeat(5)}<step type="X" name="inner"/>${'</group>'.repeat(MAX_DEPTH + 5)}</sequence>`;
    const m = markers(text);
    let r: ParseResult | undefined;
    assert.doesNotThrow(() => { r = parse(m); });
    assert.ok(r);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, m, 'deep');
    assert.match(r.problems[0].message, /nested more than/);
    assert.deepEqual(r.model.steps.map((s) => s.name), ['first']);
    assert.equal(r.model.groups.length, MAX_DEPTH - 1);
    assert.equal(r.model.groups[r.model.groups.length - 1].depth, MAX_DEPTH - 2);
  });

  test('100,000 nested groups complete with a problem and a partial model', () => {
    const n = 100_000;
    const text = `<sequence version="3.10"><step type="X" name="first"/>${'<group name="g">'.repeat(n)}${'</group>'.repeat(n)}</sequence>`;
    const r = parseTaskSequence(text);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /nested more than/);
    assert.deepEqual(r.model.steps.map((s) => s.name), ['first']);
    assert.equal(r.model.groups.length, MAX_DEPTH - 1);
  });

  test('empty text: a problem with a real range, no sequence', () => {
    const r = parseTaskSequence('');
    assert.ok(r.problems.length >= 1);
    assertSaneSpans(r, '');
    assert.equal(r.model.sequence, undefined);
    assert.equal(r.model.length, 0);
    assert.deepEqual(r.model.steps, []);
  });

  test('binary junk: problems with real ranges, no sequence, no throw', () => {
    const junk = '\u0000\u0001\u0089PNG\r\n\u001a\n\u0000\u0000\u00ff\ufffd<\u0000>&\u0007';
    const r = parseTaskSequence(junk);
    assert.ok(r.problems.length >= 1);
    assertSaneSpans(r, junk);
    assert.equal(r.model.sequence, undefined);
    assert.deepEqual(r.model.steps, []);
  });

  test('a root element that is not a task sequence is named in the problem', () => {
    const m = markers('<?xml version="1.0"?>\n⟦root|<project⟧ name="x"><step name="a"/></project>\n');
    const r = parse(m);
    assert.equal(r.problems.length, 1);
    assertSpan(r.problems[0].span, m, 'root');
    assert.match(r.problems[0].message, /<project>/);
    assert.equal(r.model.sequence, undefined);
    assert.deepEqual(r.model.steps, []);
    const other = parseTaskSequence('<INSTANCE CLASSNAME="SMS_Package"><PROPERTY NAME="Sequence"><VALUE/></PROPERTY></INSTANCE>');
    assert.match(other.problems[0]?.message ?? '', /<INSTANCE> is not a task sequence/);
  });
});

describe('LineIndex', () => {
  const texts: [string, string][] = [['LF', 'ab\ncd\n\nef'], ['CRLF', 'ab\r\ncd\r\n\r\nef'], ['CR', 'ab\rcd\r\ref'], ['mixed', 'ab\r\ncd\ref\ngh']];

  test('line starts for LF, CRLF, CR and mixed line endings', () => {
    const want: Record<string, [number, number][]> = {
      LF: [[0, 0], [3, 1], [6, 2], [7, 3]],
      CRLF: [[0, 0], [4, 1], [8, 2], [10, 3]],
      CR: [[0, 0], [3, 1], [6, 2], [7, 3]],
      mixed: [[0, 0], [4, 1], [7, 2], [10, 3]],
    };
    for (const [label, text] of texts) {
      const idx = new LineIndex(text);
      assert.equal(idx.lineCount, 4, label);
      for (const [offset, line] of want[label]) {
        assert.deepEqual(idx.positionAt(offset), { line, character: 0 }, `${label} offset ${offset}`);
        assert.equal(idx.offsetAt({ line, character: 0 }), offset, `${label} line ${line}`);
        assert.equal(idx.lineStart(offset), offset, `${label} lineStart`);
      }
      assert.equal(idx.lineStart(text.length - 1), want[label][3][0], `${label} lineStart inside the last line`);
    }
  });

  test('positionAt and offsetAt round-trip for every offset', () => {
    for (const [label, text] of texts) {
      const idx = new LineIndex(text);
      for (let o = 0; o <= text.length; o++) assert.equal(idx.offsetAt(idx.positionAt(o)), o, `${label} offset ${o}`);
    }
  });

  test('out-of-range positions and offsets are clamped', () => {
    const idx = new LineIndex('ab\r\ncd');
    assert.deepEqual(idx.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(idx.positionAt(99), { line: 1, character: 2 });
    assert.equal(idx.offsetAt({ line: -1, character: 3 }), 0);
    assert.equal(idx.offsetAt({ line: 7, character: 0 }), 6);
    assert.equal(idx.offsetAt({ line: 1, character: 99 }), 6);
    assert.deepEqual(new LineIndex('').positionAt(0), { line: 0, character: 0 });
  });

  test('lineEnding picks what the document uses', () => {
    assert.equal(lineEnding('a\r\nb\r\n'), '\r\n');
    assert.equal(lineEnding('a\nb\n'), '\n');
    assert.equal(lineEnding('one line'), '\n');
    assert.equal(lineEnding('a\rb\r'), '\r');
    assert.equal(lineEnding('a\rb\r\nc'), '\r');
  });
});

describe('sniffTaskSequence', () => {
  test('recognises the three flavours from the fixtures', () => {
    assert.equal(sniffTaskSequence(fixture('mdt-ts.xml').text), 'sequence');
    assert.equal(sniffTaskSequence(fixture('cm-bare.xml').text), 'sequence');
    assert.equal(sniffTaskSequence(fixture('package-export.xml').text), 'package-export');
    assert.equal(sniffTaskSequence(fixture('object.xml', true).text), 'object-xml');
  });

  test('looks past comments (even before the declaration), a BOM and a DOCTYPE with an internal subset', () => {
    assert.equal(sniffTaskSequence('<!-- THIS WILL NOT IMPORT -->\n<!-- > -->\n<?xml version="1.0"?>\n<sequence version="3.00"/>'), 'sequence');
    assert.equal(sniffTaskSequence('\ufeff<?xml version="1.0"?><SmsTaskSequencePackage/>'), 'package-export');
    assert.equal(sniffTaskSequence('<!DOCTYPE s [<!ENTITY a "x>y"> <!-- ] > --> ]>\n<sequence version="3.10"/>'), 'sequence');
  });

  test('anything else is not a task sequence', () => {
    assert.equal(sniffTaskSequence('<?xml version="1.0"?><project/>'), undefined);
    assert.equal(sniffTaskSequence('<INSTANCE CLASSNAME="SMS_Package"><PROPERTY/></INSTANCE>'), undefined);
    assert.equal(sniffTaskSequence('<sequences/>'), undefined);
    assert.equal(sniffTaskSequence(''), undefined);
    assert.equal(sniffTaskSequence('<!-- never closed <sequence/>'), undefined);
    assert.equal(sniffTaskSequence('{"sequence": true}'), undefined);
  });
});

describe('contentReferences', () => {
  function marked(m: Marked, refs: ContentReference[]): string[] {
    // Each reference as "source kind id @marker", the marker found by its exact span.
    const names = new Map(Object.entries(m.spans).map(([k, s]) => [`${s.start}:${s.end}`, k]));
    return refs.map((r) => `${r.source} ${r.kind ?? '-'} ${r.id} @${names.get(`${r.span.start}:${r.span.end}`) ?? JSON.stringify(r.span)}`);
  }

  test('reference list, step properties by catalogue, IDs in <action>; %Var% values skipped', () => {
    const m = fixture('references.xml');
    const { model } = parse(m);
    assert.deepEqual(marked(m, contentReferences(model, catalog, m.text)), [
      'referenceList - CEN00006 @listPkg',
      'referenceList - CEN00005 @listPkg2',
      'referenceList application ScopeId_AAAA/Application_1111 @listApp',
      'property osImage CEN00006 @propImage',
      'action osImage CEN00006 @actImage',
      'property package CEN00005 @propPkg',
      'action - CEN00005 @actRun',
      'property application ScopeId_AAAA/Application_1111 @appN',
      'property application ScopeId_AAAA/Application_1111 @app1',
      'property application ScopeId_AAAA/Application_2222 @app2',
    ]);
    const prop = contentReferences(model, catalog, m.text).find((r) => r.source === 'property' && r.id === 'CEN00005');
    assert.equal(prop?.step?.name, 'Run from package');
    assert.equal(prop?.variable?.name, 'PackageID');
    assert.equal(prop?.property?.name, 'PackageID');
  });

  test('without the text, IDs in <action> are not looked for', () => {
    const m = fixture('references.xml');
    const refs = contentReferences(parse(m).model, catalog);
    assert.equal(refs.filter((r) => r.source === 'action').length, 0);
    assert.equal(refs.length, 8);
  });

  test('package export: the wrapper BootImageID is a boot image reference', () => {
    const m = fixture('package-export.xml');
    const refs = contentReferences(parse(m).model, catalog, m.text);
    const boot = refs.filter((r) => r.source === 'bootImage');
    assert.deepEqual(marked(m, boot), ['bootImage bootImage CEN00002 @boot']);
    assert.ok(marked(m, refs).includes('property osImage CEN00006 @imageId'));
  });

  test('object.xml: BootImageID, References objects (Type 1 = application), and IDs inside the CDATA', () => {
    const m = fixture('object.xml', true);
    assert.deepEqual(marked(m, contentReferences(parse(m).model, catalog, m.text)), [
      'bootImage bootImage CEN00002 @boot',
      'wrapperReference - CEN00010 @ref1Package',
      'wrapperReference application ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED/Application_00e2caa8-80d2-4ade-a3f8-ebfdb5bb3465 @ref2Package',
      'referenceList - CEN00010 @innerRef',
      'property package CEN00010 @cdPackage',
      'action - CEN00010 @cdRun',
    ]);
  });

  test('an empty BootImageID names nothing', () => {
    const refs = contentReferences(parseTaskSequence('<SmsTaskSequencePackage><BootImageID /><SequenceData><sequence version="3.00"/></SequenceData></SmsTaskSequencePackage>').model, catalog);
    assert.deepEqual(refs, []);
  });
});

describe('compact model objects (issue 20)', () => {
  /** Every attribute's spans point at its name and value as written, and JSON keeps the model's shape. */
  function assertAttrs(text: string, attrs: Record<string, Attr>, names: string[]): void {
    assert.deepEqual(Object.keys(attrs), names, 'attributes in the order they are written');
    for (const [name, a] of Object.entries(attrs)) {
      assert.equal(text.slice(a.nameSpan.start, a.nameSpan.end), name);
      assert.equal(text.slice(a.span.start, a.span.end), a.value.replace(/&/g, '&amp;'));
      assert.deepEqual(JSON.parse(JSON.stringify(a)), { value: a.value, span: a.span, nameSpan: a.nameSpan });
    }
  }
  const long = 'V'.repeat(40_000);
  const text = `<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="${'N'.repeat(3000)}">`
    + '<defaultVarList>'
    + '<variable name="CommandLine" property="CommandLine">cmd.exe</variable>'
    + '<variable property="SuccessCodes"   name = "SuccessCodes"/>'
    + '<variable name="Secret" property="Secret" hidden="true">x</variable>'
    + `<variable property="P" name="${long}">y</variable>`
    + '<variable name="A&amp;B">z</variable>'
    + '</defaultVarList></step></sequence>';
  const { model, problems } = parseTaskSequence(text);
  const step = model.steps[0];
  const [plain, reversed, hidden, wide, entity] = step.variables;

  test('a variable\'s attributes, spans and value read as written, whatever their order, length or number', () => {
    assert.deepEqual(problems, []);
    assertAttrs(text, plain.attrs, ['name', 'property']);
    assertAttrs(text, reversed.attrs, ['property', 'name']);
    assertAttrs(text, hidden.attrs, ['name', 'property', 'hidden']);
    assertAttrs(text, wide.attrs, ['property', 'name']);
    assertAttrs(text, entity.attrs, ['name']);
    assert.equal(entity.name, 'A&B');
    assert.equal(hidden.hidden, true);
    assert.equal(wide.name, long);
    for (const v of step.variables) {
      assert.equal(text.slice(v.nameSpan.start, v.nameSpan.end), 'variable');
      assert.equal(text.slice(v.span.start, v.span.start + 9), '<variable');
      assert.equal(text.slice(v.valueSpan.start, v.valueSpan.end), v.value);
    }
    assert.deepEqual(reversed.valueSpan, { start: reversed.startTagEnd, end: reversed.startTagEnd });
  });

  test('an attribute longer than the packing allows keeps its exact offsets', () => {
    assertAttrs(text, step.attrs, ['type', 'name']);
    assert.equal(step.name.length, 3000);
  });

  test('as JSON, a variable and an action have the shape model/types.ts describes', () => {
    const v = JSON.parse(JSON.stringify(plain)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['span', 'nameSpan', 'startTagEnd', 'endTagStart', 'attrs', 'name', 'property', 'hidden', 'value', 'valueSpan']);
    const withAction = parseTaskSequence('<sequence><step name="s" type="SMS_TaskSequence_RunCommandLineAction"><action>cmd /c &quot;x&quot;</action></step></sequence>');
    const action = withAction.model.steps[0].action!;
    assert.equal(action.text, 'cmd /c "x"');
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(action)) as object), ['text', 'span', 'element']);
    assert.deepEqual(action.span, { start: action.element.startTagEnd, end: action.element.endTagStart });
  });
});

test('a broken closing tag of a variable keeps the steps before it (the raw reading of variables is for well-formed text only)', () => {
  const text = '<sequence version="3.10">\n'
    + '  <step type="SMS_TaskSequence_RunCommandLineAction" name="First"><action>cmd /c one</action><defaultVarList><variable name="CommandLine" property="CommandLine">cmd /c one</variable></defaultVarList></step>\n'
    + '  <step type="SMS_TaskSequence_RunCommandLineAction" name="Second"><defaultVarList><variable name="CommandLine" property="CommandLine">cmd /c two</vari&le></defaultVarList></step>\n'
    + '</sequence>\n';
  const r = parseTaskSequence(text);
  assert.ok(r.problems.length > 0);
  assert.deepEqual(r.model.steps.map((s) => s.name).slice(0, 1), ['First']);
  assert.equal(r.model.steps[0].variables[0].value, 'cmd /c one');
});

test('variable lists read raw in well-formed text: comments, CDATA, quoted ">" and elements inside a variable are passed over as the parser would', () => {
  const list = [
    '<!-- <variable name="Commented">no</variable> -->',
    '<variable name="A" property="A" note="x > y /> z">one</variable>',
    '<variable name="B" property="B"><![CDATA[two </variable> <variable name="Fake">]]></variable>',
    '<variable name="C" property="C"/>',
    '<other><variable name="Nested">no</variable></other>',
    '<variable name="D" property="D">four<x><variable name="Inner">no</variable></x></variable>',
    '<variable name="E" property="E" >five</variable >',
  ].join('\n        ');
  const text = `<sequence version="3.10">\n  <step type="SMS_TaskSequence_RunCommandLineAction" name="S">\n    <defaultVarList>\n        ${list}\n    </defaultVarList>\n  </step>\n</sequence>\n`;
  const r = parseTaskSequence(text);
  assert.deepEqual(r.problems, []);
  const vars = r.model.steps[0].variables;
  assert.deepEqual(vars.map((v) => v.name), ['A', 'B', 'C', 'D', 'E']);
  assert.deepEqual(vars.map((v) => v.value), ['one', 'two </variable> <variable name="Fake">', '', 'four<x><variable name="Inner">no</variable></x>', 'five']);
  for (const v of vars) {
    assert.equal(text.slice(v.span.start, v.span.start + 9), '<variable');
    assert.ok(/(<\/variable\s*>|\/>)$/.test(text.slice(v.span.start, v.span.end)), text.slice(v.span.start, v.span.end));
  }
  assert.equal(text.slice(vars[4].span.start, vars[4].span.end), '<variable name="E" property="E" >five</variable >');
  assert.equal(text.slice(vars[1].valueSpan.start, vars[1].valueSpan.end), '<![CDATA[two </variable> <variable name="Fake">]]>');
});
