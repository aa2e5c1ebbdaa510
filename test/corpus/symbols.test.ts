// The outline over the real exports in ../shared/corpus/real: every group and step appears, nested
// as written, each step numbered in execution order the way smsts.log and the console count them,
// disabled items (and everything inside a disabled group) marked. The expected outline comes from
// an independent tag scanner, not the parser. Runs from .ci/run (npm run test:corpus).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { catalog } from '../../server/src/catalog';
import { parseTaskSequence } from '../../server/src/model/parse';
import { outline, type OutlineItem } from '../../server/src/features/symbols';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');

interface Expected {
  kind: 'group' | 'step';
  name: string;
  depth: number;
  disabled: boolean;
  number?: number;
}

function decode(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10));
  });
}

/**
 * Groups and steps in document order from a plain tag scan: comments blanked out, object.xml's
 * sequence taken from its CDATA, `disable="true"` inherited from enclosing groups.
 */
function independentOutline(raw: string): Expected[] {
  let text = raw.replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length));
  const cdata = /<PROPERTY NAME="Sequence"[\s\S]*?<!\[CDATA\[([\s\S]*?)\]\]>/.exec(text);
  if (cdata) text = cdata[1];
  const out: Expected[] = [];
  const groups: boolean[] = [];
  let n = 0;
  const tag = /<(\/?)(step|group|subtasksequence)((?:\s(?:[^>"'/]|\/(?!>)|"[^"]*"|'[^']*')*)?)(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const [, close, name, attrs, self] = m;
    if (close) {
      if (name === 'group') groups.pop();
      continue;
    }
    const attr = (a: string): string | undefined => {
      const r = new RegExp(`\\s${a}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
      return r ? decode(r[2] ?? r[3]) : undefined;
    };
    const own = (attr('disable') ?? '').trim().toLowerCase() === 'true';
    const disabled = own || groups.some((g) => g);
    if (name === 'group') {
      out.push({ kind: 'group', name: attr('name') || '(unnamed group)', depth: groups.length, disabled });
      if (!self) groups.push(own);
    } else {
      n++;
      out.push({ kind: 'step', name: `${n}. ${attr('name') || '(unnamed step)'}`, depth: groups.length, disabled, number: n });
    }
  }
  return out;
}

function flatten(items: OutlineItem[], depth = 0): Expected[] {
  return items.flatMap((i) => {
    if (i.kind === 'sequence') return flatten(i.children, depth);
    const here: Expected = { kind: i.kind, name: i.name, depth, disabled: i.disabled, ...(i.number !== undefined ? { number: i.number } : {}) };
    return [here, ...flatten(i.children, depth + 1)];
  });
}

test('the outline of every corpus file matches an independent scan: nesting, step numbers, disabled items', () => {
  assert.ok(existsSync(CORPUS), `corpus folder ${CORPUS} is missing: this suite needs ../shared/corpus/real beside the repository (run it from .ci/run)`);
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort();
  let checked = 0;
  let steps = 0;
  for (const file of files) {
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    const { model, problems } = parseTaskSequence(text);
    // A file that is not well-formed XML is read as far as the parser can: nothing to compare with.
    if (problems.length) continue;
    const actual = flatten(outline(model, catalog));
    const expected = independentOutline(text);
    assert.deepEqual(actual, expected, file);
    checked++;
    steps += expected.filter((e) => e.kind === 'step').length;
  }
  assert.ok(checked >= files.length - 2, `${checked} of ${files.length} files checked`);
  assert.ok(steps > 500, `${steps} steps compared`);
});

test('a wrapped export shows one root named after its package, holding the sequence', () => {
  const file = readdirSync(CORPUS).find((f) => /MDT8456_SCCM_.*\.xml$/.test(f));
  assert.ok(file, 'a CM2007 package export is in the corpus');
  const tree = outline(parseTaskSequence(readFileSync(path.join(CORPUS, file), 'utf8')).model, catalog);
  assert.equal(tree.length, 1);
  assert.equal(tree[0].kind, 'sequence');
  assert.ok(tree[0].children.length > 0);
});
