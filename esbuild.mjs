// Builds the three bundles: the VS Code client, the language server (one file any LSP client
// can start with --stdio or --node-ipc) and the cmts command line. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
// --release (packaging): no source maps, so the .vsix neither ships them nor points at maps it lacks.
const release = process.argv.includes('--release');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !release,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's default entry is a UMD build esbuild cannot follow; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  define: { CMTS_VERSION: JSON.stringify(pkg.version), CMTS_REPOSITORY: JSON.stringify(pkg.repository ?? null) },
};
const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/serverMain.ts'], outfile: 'dist/server.js' },
  // The command line in two bundles (issue 20): a tiny entry that answers --version alone, and the
  // rest, loaded by it on demand.
  { ...common, entryPoints: ['server/src/cliStart.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['./cliCore.js'] },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cliCore.js' },
];
const existing = [];
for (const b of builds) {
  const fs = await import('node:fs');
  if (fs.existsSync(b.entryPoints[0])) existing.push(b);
}
if (watch) {
  for (const b of existing) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(existing.map((b) => esbuild.build(b)));
  const fs = await import('node:fs');
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}
