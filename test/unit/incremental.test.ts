// The incremental re-parse (model/incremental.ts, issue 20) against the whole parse, differentially:
// random edits (typing, deleting, pasting and removing steps, changing attribute values) over
// every fixture and example and over a sequence of real steps in groups; after each one, whenever
// `reparse` answers, its model and problems must equal those of a parse of the whole new text,
// spans and step numbers included, and so must the findings of every check. Edits are chained as
// in an editor: the next edit starts from the incremental model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseTaskSequence } from '../../server/src/model/parse';
import { reparse, sharedEnds } from '../../server/src/model/incremental';
import type { Group, Item, ParseResult, TaskSequenceModel } from '../../server/src/model/types';
import { Project } from '../../server/src/project';
import { nodeHost } from '../../server/src/workspace/host';
import { benchSequence, realSteps, rng } from '../../scripts/benchData';

const REPO = join(__dirname, '..', '..');

interface Edit {
  start: number;
  end: number;
  text: string;
}

const CHARS = ['a', 'Z', '0', ' ', '\n', '"', "'", '<', '>', '&', '/', '=', ';', '-', '!', '&amp;', '&lt;', 'é', '%OSDComputerName%'];

/** A random edit of `text`, most of them inside a step or group of `parsed`. */
function randomEdit(text: string, parsed: ParseResult, r: () => number): Edit {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const m = parsed.model;
  const items = [...m.steps, ...m.groups];
  const it = items.length && r() < 0.9 ? pick(items) : undefined;
  const lo = it ? it.span.start : 0;
  const hi = it ? it.span.end : text.length;
  const at = lo + Math.floor(r() * (hi - lo + 1));
  const kind = r();
  if (kind < 0.3) return { start: at, end: at, text: pick(CHARS) };
  if (kind < 0.5) return { start: at, end: Math.min(hi, at + 1 + Math.floor(r() * 8)), text: '' };
  if (kind < 0.7 && it) {
    // A new value for one of its attributes (a step type, a name, disable …).
    const attrs = Object.values(it.attrs);
    const a = attrs.length ? pick(attrs) : undefined;
    if (a) return { start: a.span.start, end: a.span.end, text: pick(['true', 'false', 'SMS_TaskSequence_RebootAction', 'SMS_TaskSequence_RunCommandLineAction', 'BDD_Gather', 'Renamed step', 'x&amp;y', '']) };
  }
  if (kind < 0.8 && it) return { start: it.span.end, end: it.span.end, text: `\n${text.slice(it.span.start, it.span.end)}` };
  if (kind < 0.9 && it) return { start: it.span.start, end: it.span.end, text: '' };
  if (it && it.kind === 'step' && it.varList) {
    const v = `<variable name="OSDVar${Math.floor(r() * 100)}" property="X">v</variable>`;
    return { start: it.varList.startTagEnd, end: it.varList.startTagEnd, text: v };
  }
  return { start: at, end: at, text: pick(CHARS) };
}

function apply(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

function xmlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) xmlFiles(p, out);
    else if (e.name.endsWith('.xml')) out.push(p);
  }
  return out;
}

const project = new Project(nodeHost((p) => (existsSync(p) ? { text: readFileSync(p, 'utf8'), key: p } : undefined)));

/**
 * The model as text, every own key (undefined ones too) in a fixed order; a parent is written as
 * where it starts. node's deepStrictEqual gives the same verdict but takes minutes on the parent
 * cycles of a few hundred steps.
 */
function canon(v: unknown): string {
  if (v === undefined) return 'u';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  // The parser's compact objects (attributes, elements, variables) compare as the shape they stand for.
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return canon((v as { toJSON(): unknown }).toJSON());
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${k}:${k === 'parent' ? (o[k] ? `G@${(o[k] as Group).span.start}` : 'u') : canon(o[k])}`).join(',')}}`;
}

/** The lists and the tree hold the same objects, and each item points to the group that holds it. */
function assertLinked(m: TaskSequenceModel, where: string): void {
  const steps: Item[] = [];
  const groups: Item[] = [];
  const walk = (items: Item[], parent: Group | undefined): void => {
    for (const it of items) {
      assert.equal(it.parent, parent, `${where}: parent of ${it.name}`);
      if (it.kind === 'step') steps.push(it);
      else {
        groups.push(it);
        walk(it.children, it);
      }
    }
  };
  walk(m.sequence?.children ?? [], undefined);
  assert.ok(steps.length === m.steps.length && steps.every((x, i) => x === m.steps[i]), `${where}: model.steps are the tree's steps`);
  assert.ok(groups.length === m.groups.length && groups.every((x, i) => x === m.groups[i]), `${where}: model.groups are the tree's groups`);
}

function assertSameModel(a: TaskSequenceModel, b: TaskSequenceModel, where: string): void {
  const x = canon(a);
  const y = canon(b);
  if (x !== y) {
    let i = 0;
    while (x[i] === y[i]) i++;
    assert.fail(`${where}: models differ at …${x.slice(Math.max(0, i - 300), i + 100)}\n  whole parse: …${y.slice(Math.max(0, i - 300), i + 100)}`);
  }
  assertLinked(a, where);
}

interface Tally {
  edits: number;
  incremental: number;
  findingsCompared: number;
}

/** `rounds` chained random edits of `text`, each incremental answer compared with the whole parse. */
function differential(name: string, path: string | undefined, text: string, rounds: number, seed: number, tally: Tally, findingsEvery: number): void {
  const r = rng(seed);
  const context = path ? project.contextFor(path, dirname(path)) : undefined;
  let current = text;
  let parsed = parseTaskSequence(current);
  // A text that starts with a problem keeps it (a misplaced declaration): edits after it go on.
  const allowedProblems = parsed.problems.length;
  for (let i = 0; i < rounds; i++) {
    const edit = randomEdit(current, parsed, r);
    const next = apply(current, edit);
    const whole = parseTaskSequence(next);
    const inc = reparse(current, parsed, next);
    tally.edits++;
    if (inc) {
      tally.incremental++;
      const where = `${name}, edit ${i} (${JSON.stringify(edit).slice(0, 200)})`;
      assert.deepStrictEqual(inc.problems, whole.problems, where);
      assertSameModel(inc.model, whole.model, where);
      if (i % findingsEvery === 0) {
        tally.findingsCompared++;
        const a = project.checkSequence(next, path, context, { parsed: inc }).findings;
        const b = project.checkSequence(next, path, context).findings;
        assert.deepStrictEqual(a, b, `${where}: findings`);
      }
    }
    // A broken text is undone, so the edits after it start from a text the incremental path takes
    // (from a broken one it always parses the whole text: the small test above holds that).
    if (whole.problems.length > allowedProblems) continue;
    current = next;
    parsed = inc ?? whole;
  }
}

test('sharedEnds: the prefix and suffix never overlap', () => {
  assert.deepEqual(sharedEnds('abcabc', 'abcXabc'), { prefix: 3, suffix: 3 });
  assert.deepEqual(sharedEnds('aaa', 'aaaa'), { prefix: 3, suffix: 0 });
  assert.deepEqual(sharedEnds('same', 'same'), { prefix: 4, suffix: 0 });
});

test('an edit inside a step is spliced; the model equals a whole parse, later spans and numbers moved', () => {
  const text = '<sequence version="3.00">\n'
    + '  <group name="G">\n    <step type="SMS_TaskSequence_RunCommandLineAction" name="A"><action>a</action></step>\n'
    + '    <step type="SMS_TaskSequence_RunCommandLineAction" name="B"><action>b</action></step>\n  </group>\n'
    + '  <step type="SMS_TaskSequence_RebootAction" name="C"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">X</variable></expression></condition></step>\n'
    + '</sequence>\n';
  const before = parseTaskSequence(text);
  const now = text.replace('name="A"', 'name="A longer name"');
  const inc = reparse(text, before, now);
  assert.ok(inc, 'an attribute value typed inside a step is re-parsed alone');
  assert.deepStrictEqual(inc.model, parseTaskSequence(now).model);
  assert.equal(inc.model.steps[2].name, 'C');
  assert.equal(inc.model.steps[2].span.start, before.model.steps[2].span.start + 12);
  assert.equal(inc.model.steps[0].parent, inc.model.groups[0], 'the step points to the new group');
  assert.notEqual(inc.model.groups[0], before.model.groups[0], 'the group around the edit is new (its end moved)');
  assert.equal(before.model.steps[2].span.start, text.indexOf('<step type="SMS_TaskSequence_RebootAction"'), 'the previous model is untouched');
  // A whole step pasted into the group: one more step, the later one renumbered.
  const pasted = now.replace('    <step type="SMS_TaskSequence_RunCommandLineAction" name="B">', '    <step name="New"/>\n    <step type="SMS_TaskSequence_RunCommandLineAction" name="B">');
  const inc2 = reparse(now, inc, pasted);
  assert.ok(inc2);
  assert.deepStrictEqual(inc2.model, parseTaskSequence(pasted).model);
  assert.equal(inc2.model.steps[3].number, 4);
});

test('what only a whole parse can tell is left to it', () => {
  const text = '<sequence version="3.00">\n  <step type="SMS_TaskSequence_RebootAction" name="C"></step>\n  <step name="D"/>\n</sequence>\n';
  const before = parseTaskSequence(text);
  const bad = text.replace('name="C"', 'name="C & D"');
  assert.ok(parseTaskSequence(bad).problems.length > 0);
  assert.equal(reparse(text, before, bad), undefined, 'a problem in the new text');
  assert.equal(reparse(text, before, text.replace('</step>\n  <step', '</step>\n  <stepx')), undefined, 'an edit in no step (the first item ends before it)');
  assert.equal(reparse(text, before, text.replace('<sequence version="3.00">', '<sequence version="3.01">')), undefined, 'the sequence start tag');
  assert.equal(reparse(text, before, text.replace('name="C">', 'name="C"><!-- note -->')), undefined, 'a comment');
  assert.equal(reparse(text, before, text.replace('</step>', '</step><step/>')), undefined, 'two elements where one was');
  const broken = text.replace('</sequence>', '</sequenc>');
  assert.equal(reparse(broken, parseTaskSequence(broken), broken.replace('name="D"', 'name="E"')), undefined, 'a document with a problem');
});

test('random edits over every fixture and example: the incremental model and findings equal a whole parse', () => {
  const files = [...xmlFiles(join(REPO, 'test', 'fixtures')), ...xmlFiles(join(REPO, 'examples'))];
  const tally: Tally = { edits: 0, incremental: 0, findingsCompared: 0 };
  files.forEach((f, i) => differential(f, f, readFileSync(f, 'utf8'), 8, 1000 + i, tally, 4));
  // Not vacuous: most edits inside steps of well-formed files take the incremental path.
  assert.ok(tally.incremental > tally.edits / 4, `${tally.incremental} of ${tally.edits} edits were incremental`);
  assert.ok(tally.findingsCompared > 60, `${tally.findingsCompared} findings compared`);
});

test('random edits over a sequence of real steps in groups: the incremental model and findings equal a whole parse', () => {
  const text = benchSequence(realSteps(REPO, join(REPO, '..', 'no-corpus-here')), { steps: 120 });
  const site = join(REPO, 'test', 'fixtures', 'rules', 'missing-content', 'configmgr-site.json');
  const path = existsSync(site) ? join(dirname(site), 'real-steps.xml') : undefined;
  const tally: Tally = { edits: 0, incremental: 0, findingsCompared: 0 };
  differential('real steps', path, text, 80, 7, tally, 8);
  assert.ok(tally.incremental > tally.edits / 3, `${tally.incremental} of ${tally.edits} edits were incremental`);
});

test('a problem before the edit stays as it is: the incremental model and problems equal a whole parse', () => {
  // The corpus has such a file: a line before its XML declaration (a problem at the very start).
  const text = '\n' + benchSequence(realSteps(REPO, join(REPO, '..', 'no-corpus-here')), { steps: 60 });
  assert.equal(parseTaskSequence(text).problems.length, 1);
  const tally: Tally = { edits: 0, incremental: 0, findingsCompared: 0 };
  differential('real steps after a misplaced declaration', undefined, text, 60, 11, tally, 6);
  assert.ok(tally.incremental > tally.edits / 3, `${tally.incremental} of ${tally.edits} edits were incremental`);
});
