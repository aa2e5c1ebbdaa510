// Figures for issue 21: the built server (dist/server.js) over stdio with a large task sequence
// open: how long its check takes, how long a hover on another open file waits meanwhile, and the
// server's memory (RSS) before opening it, after its check and after it is closed.
//   tsx scripts/serverLarge.ts <large.xml> [small.xml]

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const REPO = join(__dirname, '..');

async function main(): Promise<void> {
  const big = resolve(process.argv[2]);
  const small = resolve(process.argv[3] ?? join(REPO, 'test/fixtures/cli/deploy.xml'));
  const proc = spawn(process.execPath, ['--expose-gc', join(REPO, 'dist/server.js'), '--stdio'], { env: { ...process.env, CMTS_TEST_HOOKS: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.onRequest(() => null);
  conn.onNotification(() => undefined);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } });
  await conn.sendNotification('initialized', {});
  const mem = async (): Promise<string> => {
    const m = await conn.sendRequest<{ rss: number; heapUsed: number }>('cmts/test/memory', {});
    return `RSS ${(m.rss / 1e6).toFixed(0)} MB, heap ${(m.heapUsed / 1e6).toFixed(0)} MB`;
  };
  const open = (path: string): string => {
    const uri = pathToFileURL(path).href;
    void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text: readFileSync(path, 'utf8') } });
    return uri;
  };
  const smallUri = open(small);
  await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: smallUri } });
  console.log(`before: ${await mem()}`);
  const t0 = performance.now();
  const bigUri = open(big);
  let done = false;
  const pull = conn.sendRequest<{ items: unknown[] }>('textDocument/diagnostic', { textDocument: { uri: bigUri } }).then((r) => {
    done = true;
    return r;
  });
  const hovers: number[] = [];
  while (!done) {
    const t = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri: smallUri }, position: { line: 20, character: 25 } });
    hovers.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 100));
  }
  const r = await pull;
  const checkMs = performance.now() - t0;
  hovers.sort((a, b) => a - b);
  console.log(`large file: ${r.items.length} diagnostics in ${(checkMs / 1000).toFixed(1)} s (open to diagnostics)`);
  console.log(`hover on the other file meanwhile: ${hovers.length} hovers, median ${hovers[hovers.length >> 1].toFixed(0)} ms, max ${hovers[hovers.length - 1].toFixed(0)} ms`);
  console.log(`after the check: ${await mem()}`);
  void conn.sendNotification('textDocument/didClose', { textDocument: { uri: bigUri } });
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`after close: ${await mem()}`);
  await conn.sendRequest('shutdown');
  void conn.sendNotification('exit');
  proc.kill();
}

void main();
