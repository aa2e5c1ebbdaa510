// The raw-protocol cases of `npm run fuzz` (issue 21): the built server (dist/server.js) over
// stdio, written to by hand: a body that is not JSON, messages that are not requests, an object
// id, a request before initialize, a second initialize, random bytes as a body, a broken
// Content-Length. Each must get the reply JSON-RPC and LSP ask for, or end the process.

import { spawn } from 'node:child_process';
import { Rng } from './fuzzMutate';

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const init = (id: number): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

interface Case {
  name: string;
  writes: string[];
  /** What must hold on the replies (by id) and the exit. */
  check: (replies: Record<string, unknown>[], exited: boolean) => string | undefined;
}

const code = (replies: Record<string, unknown>[], id: unknown): number | undefined =>
  (replies.find((r) => r.id === id && r.error)?.error as { code?: number } | undefined)?.code;

function cases(rng: Rng): Case[] {
  const junk = Array.from({ length: 1 + rng.int(40) }, () => String.fromCharCode(33 + rng.int(90))).join('');
  const want = (id: unknown, c: number) => (r: Record<string, unknown>[]) => (code(r, id) === c ? undefined : `expected ${c} for id ${String(id)}, got ${JSON.stringify(r).slice(0, 300)}`);
  return [
    { name: 'body not JSON', writes: [frame(init(1)), frame('{"jsonrpc":"2.0","id":2,"method":')], check: want(null, -32700) },
    { name: 'random body', writes: [frame(init(1)), frame(`{${junk}`)], check: want(null, -32700) },
    { name: 'array', writes: [frame(init(1)), frame('[]')], check: want(null, -32600) },
    { name: 'number', writes: [frame(init(1)), frame(String(rng.int(1000)))], check: want(null, -32600) },
    { name: 'object id', writes: [frame(init(1)), frame('{"jsonrpc":"2.0","id":{},"method":"shutdown"}')], check: want(null, -32600) },
    { name: 'no method', writes: [frame(init(1)), frame('{"jsonrpc":"2.0","id":5}')], check: want(5, -32600) },
    { name: 'before initialize', writes: [frame('{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}')], check: want(7, -32002) },
    { name: 'second initialize', writes: [frame(init(1)), frame(init(2))], check: want(2, -32600) },
    { name: 'broken Content-Length', writes: [frame(init(1)), `Content-Length: ${junk.replace(/\d/g, 'x')}\r\n\r\n{}`], check: (_r, exited) => (exited ? undefined : 'still running after a broken frame') },
  ];
}

function runCase(server: string, c: Case): Promise<string | undefined> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = Buffer.alloc(0);
    let exited = false;
    let finished = false;
    const replies = (): Record<string, unknown>[] => {
      const r: Record<string, unknown>[] = [];
      for (const m of out.toString('utf8').split(/Content-Length: \d+\r\n\r\n/).filter(Boolean)) {
        try {
          r.push(JSON.parse(m) as Record<string, unknown>);
        } catch {
          // a reply split across reads: looked at again with the next data
        }
      }
      return r;
    };
    // Done as soon as the case holds; a loaded machine gets until the deadline.
    const finish = (force: boolean): void => {
      if (finished) return;
      const problem = c.check(replies(), exited);
      if (problem && !force) return;
      finished = true;
      clearTimeout(deadline);
      if (!exited) p.kill('SIGKILL');
      resolve(problem);
    };
    p.stdout.on('data', (d: Buffer) => {
      out = Buffer.concat([out, d]);
      finish(false);
    });
    p.on('exit', () => {
      exited = true;
      finish(false);
    });
    p.stdin.on('error', () => undefined);
    // Each write after the server answered the one before (or 1 s), so a slow start does not reorder them.
    let i = 0;
    const write = (): void => {
      if (i >= c.writes.length || finished) return;
      p.stdin.write(c.writes[i++]);
      setTimeout(write, 300);
    };
    write();
    const deadline = setTimeout(() => finish(true), 15_000);
  });
}

/** Runs every raw-protocol case; returns the problems found (empty: all held). */
export async function protocolCases(server: string, seed: number): Promise<string[]> {
  const problems: string[] = [];
  for (const c of cases(new Rng(seed, 0, 7))) {
    const p = await runCase(server, c);
    if (p) problems.push(`protocol ${c.name}: ${p}`);
  }
  return problems;
}
