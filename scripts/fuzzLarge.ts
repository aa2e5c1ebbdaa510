// `npm run fuzz -- --large`: every structure generator (scripts/shapes.ts) at 10,000 and 40,000
// steps, checked through the project façade with fix titles (the CLI's JSON report), best of two.
// Prints the complexity table; fails when 4n costs over 5× n or a file takes over 20 s.

import { SHAPES, shapeSequence } from './shapes';
import { Project } from '../server/src/project';
import { nodeHost } from '../server/src/workspace/host';

const SIZES = [10_000, 40_000];
const LIMIT_MS = 20_000;

export function largeRun(sizes = SIZES): number {
  const project = new Project(nodeHost(() => undefined));
  const rows: string[] = [`shape           ${sizes.map((n) => `${n} steps`.padStart(14)).join('')}   ratio`];
  let failing = 0;
  project.checkSequence(shapeSequence('mixed', 200), undefined, undefined, { fixTitles: true });
  for (const shape of SHAPES) {
    const ms = sizes.map((n) => {
      const text = shapeSequence(shape, n);
      let best = Infinity;
      for (let k = 0; k < 2; k++) {
        const t = performance.now();
        project.checkSequence(text, undefined, undefined, { fixTitles: true });
        best = Math.min(best, performance.now() - t);
      }
      return best;
    });
    const ratio = ms[ms.length - 1] / Math.max(ms[0], 1);
    const bad = ratio > 5 || ms.some((m) => m > LIMIT_MS);
    if (bad) failing++;
    rows.push(`${shape.padEnd(16)}${ms.map((m) => `${m.toFixed(0)} ms`.padStart(14)).join('')}   ${ratio.toFixed(1)}×${bad ? '  FAIL' : ''}`);
  }
  process.stdout.write(`fuzz --large: time to check, best of two\n${rows.join('\n')}\n${failing ? `${failing} shapes over the bound` : 'every shape linear (4n within 5× of n)'}\n`);
  return failing ? 1 : 0;
}
