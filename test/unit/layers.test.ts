// The layers of server/src (ARCHITECTURE.md): each folder (or top-level file) imports only from
// layers below it, and no file imports, directly or through others, a file that imports it back.
// Type-only imports count too: they couple the code as much as value imports do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const SRC = join(__dirname, '..', '..', 'server', 'src');

/** Bottom first. A layer may import from any layer before it in this list, and from itself. */
const LAYERS: readonly (readonly string[])[] = [
  ['catalog'],
  ['model'],
  ['site'],
  ['versions'],
  ['semantics'],
  ['edits'],
  ['checks'],
  ['analysis'],
  ['log'],
  ['features'],
  ['project.ts'],
  ['report'],
  ['workspace'],
  ['lsp'],
  ['server.ts'],
  ['cliIo.ts'],
  ['cliDoc.ts', 'cliFix.ts'],
  ['cliLog.ts', 'cliDiffDoc.ts', 'cliSiteImport.ts'],
  ['cli.ts', 'serverMain.ts'],
  ['cliStart.ts'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const files = sourceFiles(SRC);
const known = new Set(files);

function resolveImport(from: string, spec: string): string | undefined {
  const base = join(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c));
}

/** Relative imports and re-exports of a file (comments and strings elsewhere do not count). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const target = resolveImport(file, m[1]);
    if (target && target !== file) out.push(target);
  }
  return out;
}

/** The layer unit of a file: its top folder under server/src, or the file itself at the top. */
function unitOf(file: string): string {
  return relative(SRC, file).split(sep)[0];
}

function layerOf(unit: string): number {
  const i = LAYERS.findIndex((l) => l.includes(unit));
  assert.ok(i >= 0, `server/src/${unit} is in no layer: add it to LAYERS here and to ARCHITECTURE.md`);
  return i;
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

void test('every folder and top-level file of server/src has a layer', () => {
  for (const f of files) layerOf(unitOf(f));
});

void test('imports go down the layers only (or stay inside one folder)', () => {
  const upward: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const a = unitOf(from);
      const b = unitOf(to);
      if (a === b) continue;
      if (layerOf(b) >= layerOf(a)) upward.push(`${relative(SRC, from)} -> ${relative(SRC, to)}`);
    }
  }
  assert.deepEqual(upward, []);
});

void test('no import cycle between files', () => {
  // Tarjan's strongly connected components; any component with more than one file is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(SRC, w));
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

void test('the layer test sees the imports it is meant to see', () => {
  // Guards the regular expression above: a known downward import must be found.
  const project = join(SRC, 'project.ts');
  assert.ok(graph.get(project)!.includes(join(SRC, 'analysis', 'index.ts')), 'project.ts imports ./analysis');
  assert.ok(graph.get(join(SRC, 'checks', 'index.ts'))!.length >= 34, 'the registry imports every check module');
});
