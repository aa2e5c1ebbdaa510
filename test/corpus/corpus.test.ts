// Conformance over the real exports in ../shared/corpus/real (see its FORMAT.md): every file
// parses without throwing, step and group counts equal an independent tag count, spans slice
// back to what they claim, and the CLI reports the same. Runs only from .ci/run, where ../shared
// sits beside the clone; without it the suite fails and says so rather than passing empty.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import { parseTaskSequence } from '../../server/src/model/parse';
import type { ConditionNode, Flavour, ParseResult, Variable } from '../../server/src/model/types';

const REPO = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');
const BROKEN = 'windows-admins__ConfigMgr__BuildandCapture_Task_Sequence_Reference.xml';
const OBJECT = 'forevanyeung__tasksequences__RSC002A6_object.xml';
const EXTRACTED = 'forevanyeung__tasksequences__RSC002A6_extracted.xml';

function corpusFiles(): string[] {
  assert.ok(existsSync(CORPUS), `corpus folder ${CORPUS} is missing: this suite needs ../shared/corpus/real beside the repository (run it from .ci/run)`);
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort();
  assert.ok(files.length > 0, `no .xml files in ${CORPUS}`);
  return files;
}

function expectedFlavour(file: string): Flavour {
  if (/^keithga__DeployShared__MDT8456_SCCM_.*\.xml$/.test(file)) return 'package-export';
  if (file === OBJECT) return 'object-xml';
  return 'sequence';
}

/**
 * Counts start tags with a plain tokenizer, not the parser: comments, CDATA, processing
 * instructions and declarations are skipped. For object.xml the text counted is the CDATA of
 * the Sequence property, found by a regular expression.
 */
function independentCount(text: string, flavour: Flavour): { steps: number; groups: number } {
  let src = text;
  if (flavour === 'object-xml') {
    const m = /<PROPERTY NAME="Sequence"[\s\S]*?<!\[CDATA\[([\s\S]*?)\]\]>/.exec(text);
    assert.ok(m, 'object.xml without a CDATA Sequence');
    src = m[1];
  }
  let steps = 0;
  let groups = 0;
  let i = src.indexOf('<');
  while (i >= 0) {
    const close = src.startsWith('<!--', i) ? '-->' : src.startsWith('<![CDATA[', i) ? ']]>' : src.startsWith('<?', i) ? '?>' : '>';
    const end = src.indexOf(close, i + 1);
    if (end < 0) break;
    const name = /^<([A-Za-z_][\w.:-]*)/.exec(src.slice(i, i + 40))?.[1];
    if (name === 'step' || name === 'subtasksequence') steps++;
    else if (name === 'group') groups++;
    i = src.indexOf('<', end + close.length);
  }
  return { steps, groups };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decoding written independently of parse.ts: the five predefined entities and numeric references. */
function decodeXml(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? all;
  });
}

function conditionVariables(nodes: ConditionNode[]): Variable[] {
  return nodes.flatMap((n) => (n.kind === 'expression' ? n.parameters : conditionVariables(n.children)));
}

interface Parsed {
  file: string;
  text: string;
  result: ParseResult;
}

const parsed = new Map<string, Parsed>();

function load(file: string): Parsed {
  let p = parsed.get(file);
  if (!p) {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    p = { file, text, result: parseTaskSequence(text) };
    parsed.set(file, p);
  }
  return p;
}

describe('corpus: parseTaskSequence on every real export', () => {
  const files = corpusFiles();

  test('the corpus holds the files FORMAT.md describes', () => {
    assert.ok(files.includes(BROKEN) && files.includes(OBJECT) && files.includes(EXTRACTED));
    assert.equal(files.filter((f) => expectedFlavour(f) === 'package-export').length, 5);
  });

  for (const file of files) {
    test(file, () => {
      let p: Parsed | undefined;
      assert.doesNotThrow(() => { p = load(file); });
      assert.ok(p);
      const { text, result } = p;
      const { model, problems } = result;
      const flavour = expectedFlavour(file);

      assert.equal(model.flavour, flavour);
      assert.ok(model.sequence, 'no <sequence> found');
      const count = independentCount(text, flavour);
      assert.equal(model.steps.length, count.steps, 'step count');
      assert.equal(model.groups.length, count.groups, 'group count');
      assert.deepEqual(model.steps.map((s) => s.number), model.steps.map((_, i) => i + 1));

      if (file === BROKEN) {
        assert.ok(problems.length > 0, 'the comments before the XML declaration must be reported');
        for (const pr of problems) assert.equal(pr.code, 'xml-syntax');
        assert.ok(text.startsWith('<?xml', problems[0].span.start), `problem at ${JSON.stringify(text.slice(problems[0].span.start, problems[0].span.start + 20))}, not at the declaration`);
      } else {
        assert.deepEqual(problems, []);
      }

      for (const s of model.steps) {
        const typeAttr = s.attrs.type;
        if (s.type === undefined) {
          assert.doesNotMatch(text.slice(s.span.start, s.startTagEnd), /\stype\s*=/, `step "${s.name}" has a type attribute the model missed`);
        } else {
          assert.ok(typeAttr);
          assert.equal(text.slice(typeAttr.span.start, typeAttr.span.end), s.type, `type span of step ${s.number}`);
        }
        assert.ok(text.startsWith(`<${s.element}`, s.span.start), `step ${s.number} span does not start at <${s.element}`);
      }
      for (const g of model.groups) assert.ok(text.startsWith('<group', g.span.start), `group "${g.name}" span`);

      const vars: Variable[] = [
        ...model.sequence.globalVariables,
        ...model.steps.flatMap((s) => [...s.variables, ...conditionVariables(s.condition?.children ?? [])]),
        ...model.groups.flatMap((g) => conditionVariables(g.condition?.children ?? [])),
      ];
      for (const v of vars) {
        assert.equal(decodeXml(text.slice(v.valueSpan.start, v.valueSpan.end)), v.value, `value of variable ${v.name}`);
      }
    });
  }

  test('object.xml and the extracted sequence give the same steps in the same order', () => {
    const a = load(OBJECT).result.model;
    const b = load(EXTRACTED).result.model;
    assert.ok(a.steps.length > 0);
    assert.deepEqual(a.steps.map((s) => s.type), b.steps.map((s) => s.type));
    assert.deepEqual(a.steps.map((s) => s.name), b.steps.map((s) => s.name));
    assert.deepEqual(a.groups.map((g) => g.name), b.groups.map((g) => g.name));
  });
});

interface JsonReport {
  files: { path: string; flavour: string; steps: number; groups: number; diagnostics: { rule: string; severity: string }[] }[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}

describe('corpus: cmts check --format json', () => {
  test('lists every file with the independent counts and exits 1 for the one broken file', () => {
    const files = corpusFiles();
    let out = '';
    let err = '';
    const code = main(['check', CORPUS, '--format', 'json'], { out: (s) => { out += s; }, err: (s) => { err += s; }, cwd: REPO });
    assert.equal(err, '');
    assert.equal(code, 1, 'exit code: 1 for findings, 2 would mean a usage or I/O problem');
    const report = JSON.parse(out) as JsonReport;
    const byFile = new Map(report.files.map((f) => [path.basename(path.resolve(REPO, f.path)), f]));
    assert.equal(report.files.length, files.length);
    for (const file of files) {
      const entry = byFile.get(file);
      assert.ok(entry, `${file} is missing from the report`);
      assert.equal(path.resolve(REPO, entry.path), path.join(CORPUS, file));
      const flavour = expectedFlavour(file);
      assert.equal(entry.flavour, flavour, file);
      const count = independentCount(readFileSync(path.join(CORPUS, file), 'utf8'), flavour);
      assert.deepEqual({ steps: entry.steps, groups: entry.groups }, count, file);
    }
    // Errors only where the review found true problems: the file that is not well-formed, the
    // kitchen-sink export listing every step type (RSC002A6, not a working sequence), and the
    // Citrix in-place upgrade that installs an application after restarting into Windows PE.
    const withErrors = report.files.filter((f) => f.diagnostics.some((d) => d.severity === 'error')).map((f) => path.basename(f.path)).sort();
    assert.deepEqual(withErrors, [
      'forevanyeung__tasksequences__RSC002A6_extracted.xml',
      'forevanyeung__tasksequences__RSC002A6_object.xml',
      'microsoft__configmgr-hub__IPU_-_Citrix_VDA_and_Windows_10.xml',
      BROKEN,
    ].sort());
    const syntax = report.files.filter((f) => f.diagnostics.some((d) => d.rule === 'xml-syntax')).map((f) => path.basename(f.path));
    assert.deepEqual(syntax, [BROKEN]);
  });
});
