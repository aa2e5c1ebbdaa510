// Measures `cmts log` on a large generated smsts.log (issue 18: "a log of 200 MB: bounded time and
// memory"): writes a log of the size asked (default 200 MB) to a temporary folder, runs the built
// CLI on it and prints the wall time and the peak resident memory of that process.
// Usage: npm run build && node scripts/measureLog.mjs [megabytes]. Not part of `npm test` (slow).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mb = Number(process.argv[2] ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'cmts-measure-'));
const F = 'test/fixtures/log';
const log = join(dir, 'smsts.log');
const fd = openSync(log, 'w');
// The fixture run, with the engine's chatter between steps repeated until the file has the size.
const run = readFileSync(join(F, 'smsts-20240815-144500.log'), 'utf8') + readFileSync(join(F, 'smsts.log'), 'utf8');
const noise = Array.from({ length: 1000 }, (_, i) => `<![LOG[Set a local default variable OSDApp${i}Description]LOG]!><time="14:31:41.${String(i % 1000).padStart(3, '0')}+300" date="08-15-2024" component="TSManager" context="" type="1" thread="1208" file="executionenv.cxx:782">\r\n`).join('');
const lines = run.split('\r\n');
const cut = lines.findIndex((l) => l.includes('Pointer: 7.'));
const head = lines.slice(0, cut).join('\r\n') + '\r\n';
const tail = lines.slice(cut).join('\r\n');
let written = writeSync(fd, head);
while (written < mb * 1024 * 1024) written += writeSync(fd, noise);
written += writeSync(fd, tail);
closeSync(fd);
console.log(`log: ${(written / 1024 / 1024).toFixed(0)} MB`);
for (const f of ['deploy.xml', 'child.xml', 'configmgr-site.json']) writeSync(openSync(join(dir, f), 'w'), readFileSync(join(F, f)));
const cli = join(process.cwd(), 'dist', 'cli.js');
const r = spawnSync('/usr/bin/time', ['-f', '%e s wall, %M KB peak RSS', process.execPath, cli, 'log', 'smsts.log', '--sequence', 'deploy.xml'], { cwd: dir, encoding: 'utf8' });
console.log(r.stdout.split('\n').slice(0, 2).join('\n'));
console.log(`exit ${r.status}; ${r.stderr.trim().split('\n').pop()}`);
rmSync(dir, { recursive: true, force: true });
