// Measures `cmts log` on a large generated smsts.log (issue 18: "a log of 200 MB: bounded time and
// memory"): writes a log of the size asked (default 200 MB) to a temporary folder, runs the built
// CLI on it and prints the wall time and the peak resident memory of that process. Then the same
// log through the language server (dist/server.js over stdio): cmts/attachLog timed from request
// to answer, the server's peak resident memory, and how long a hover waits while the log is read.
// Usage: npm run build && node scripts/measureLog.mjs [megabytes]. Not part of `npm test` (slow).
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
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
await throughServer(dir);
rmSync(dir, { recursive: true, force: true });

/** The same log attached through the language server: request to answer, peak RSS, a hover meanwhile. */
async function throughServer(ws) {
  const p = spawn('/usr/bin/time', ['-f', '%M KB peak RSS', process.execPath, join(process.cwd(), 'dist', 'server.js'), '--stdio'], { cwd: ws, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  let buf = Buffer.alloc(0);
  const waiting = new Map();
  p.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const h = buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString())[1]);
      if (buf.length < h + 4 + len) return;
      const msg = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString());
      buf = buf.subarray(h + 4 + len);
      if (msg.id !== undefined && waiting.has(msg.id) && msg.method === undefined) { waiting.get(msg.id)(msg); waiting.delete(msg.id); }
      else if (msg.id !== undefined && msg.method) send({ jsonrpc: '2.0', id: msg.id, result: null });
    }
  });
  const send = (m) => { const b = JSON.stringify(m); p.stdin.write(`Content-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`); };
  let next = 1;
  const request = (method, params) => new Promise((res) => { const id = next++; waiting.set(id, res); send({ jsonrpc: '2.0', id, method, params }); });
  const root = pathToFileURL(ws).href;
  await request('initialize', { processId: null, rootUri: root, workspaceFolders: [{ uri: root, name: 'ws' }], capabilities: { textDocument: { inlayHint: {} } } });
  send({ jsonrpc: '2.0', method: 'initialized', params: {} });
  const seq = pathToFileURL(join(ws, 'deploy.xml')).href;
  send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: seq, languageId: 'xml', version: 1, text: readFileSync(join(ws, 'deploy.xml'), 'utf8') } } });
  await request('textDocument/hover', { textDocument: { uri: seq }, position: { line: 1, character: 5 } });
  const t0 = performance.now();
  const attached = request('cmts/attachLog', { sequenceUri: seq, logUris: [pathToFileURL(join(ws, 'smsts.log')).href] }).then((m) => ({ m, ms: performance.now() - t0 }));
  await new Promise((r) => setTimeout(r, 500));
  const h0 = performance.now();
  await request('textDocument/hover', { textDocument: { uri: seq }, position: { line: 1, character: 5 } });
  const hoverMs = performance.now() - h0;
  const { m, ms } = await attached;
  const r = m.result;
  console.log(`server: cmts/attachLog answered in ${(ms / 1000).toFixed(1)} s (attached ${r.attached}, ${r.steps} steps, ${r.failures} failed, ${r.outcome}); a hover sent meanwhile answered in ${hoverMs.toFixed(0)} ms`);
  await request('shutdown', null);
  send({ jsonrpc: '2.0', method: 'exit' });
  await new Promise((r) => p.on('close', r));
  console.log(`server: ${err.trim().split('\n').pop()}`);
}
