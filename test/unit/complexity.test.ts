// Linear in every shape (issue 21): for each structure generator (scripts/shapes.ts), checking a
// sequence of 4n steps costs at most 8× a sequence of n (a quadratic check costs 16×; at these CI
// sizes garbage collection alone puts linear checks at 4–6×, so 5× is held by `--large`), through the project façade with fix
// titles (what the CLI's JSON report does). Best of three runs each, after a warm-up, so a loaded
// machine does not make a linear check look quadratic; a quadratic one costs 16×. Larger sizes:
// `npm run fuzz -- --large`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHAPES, shapeSequence } from '../../scripts/shapes';
import { Project } from '../../server/src/project';
import type { ProjectHost } from '../../server/src/project';
import { nodeHost } from '../../server/src/workspace/host';

const N = 2000;
const host: ProjectHost = nodeHost(() => undefined);

function best(text: string): number {
  const project = new Project(host);
  let ms = Infinity;
  for (let k = 0; k < 3; k++) {
    // CPU time of this process, not wall time: other processes on a shared machine do not count.
    const t = process.cpuUsage();
    const r = project.checkSequence(text, undefined, undefined, { fixTitles: true });
    const d = process.cpuUsage(t);
    ms = Math.min(ms, (d.user + d.system) / 1000);
    assert.ok(r.model.steps.length > 0);
  }
  return ms;
}

for (const shape of SHAPES) {
  void test(`${shape}: 4n steps cost at most 8× n (quadratic: 16×)`, () => {
    const small = shapeSequence(shape, N);
    const large = shapeSequence(shape, 4 * N);
    best(small); // warm-up: the first run pays for compiling the checks
    const a = best(small);
    const b = best(large);
    assert.ok(b <= 8 * Math.max(a, 2), `${shape}: ${N} steps ${a.toFixed(1)} ms, ${4 * N} steps ${b.toFixed(1)} ms (${(b / a).toFixed(1)}×)`);
  });
}
