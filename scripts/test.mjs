// Runs the unit and LSP tests with node's own test runner (TypeScript through tsx).
// `--corpus` runs the conformance tests over ../shared/corpus/real instead: a user's clone has
// no ../shared, so those live in test/corpus/ and only .ci/run calls them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const corpus = process.argv.includes('--corpus');
const roots = corpus ? ['test/corpus'] : ['test/unit', 'test/lsp'];
const files = roots.flatMap((r) => { try { return find(r); } catch { return []; } });
const extra = process.argv.slice(2).filter((a) => a !== '--corpus');
const selected = extra.length ? files.filter((f) => extra.some((e) => f.includes(e))) : files;
if (selected.length === 0) { console.error('no test files found'); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(r.status ?? 1);
