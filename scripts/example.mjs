// `npm run example`: checks the bundled example workspace with the built CLI and explains the
// exit status (the examples contain deliberate mistakes, so exit status 1 is the expected result).
import { spawnSync } from 'node:child_process';

const args = ['dist/cli.js', 'check', 'examples', ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
const meaning = { 0: 'no errors', 1: 'errors found (the examples contain deliberate mistakes)', 2: 'usage or I/O problem' };
console.log(`\ncmts check examples exited with ${r.status}: ${meaning[r.status] ?? 'unexpected'}`);
process.exit(r.status === 2 || r.status === null ? 1 : 0);
