// Protocol hygiene (issue 21): the server over stdio, spoken to by a raw client that writes
// frames by hand, answers every malformed message as JSON-RPC and LSP ask, and exits with a
// message on stderr when the framing itself is broken (so the client restarts it).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const init = (id: number): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

interface Session {
  replies: Record<string, unknown>[];
  stderr: string;
  exitCode: number | null;
}

/** Writes `writes` one after the other, waits until `done` holds on the replies (or 8 s), then ends the server. */
function session(writes: string[], done: (s: Session) => boolean): Promise<Session> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server/src/serverMain.ts'), '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    const s: Session = { replies: [], stderr: '', exitCode: null };
    let buf = Buffer.alloc(0);
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(poll);
      if (s.exitCode === null) p.kill('SIGKILL');
      resolve(s);
    };
    p.stdout.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString())?.[1]);
        if (buf.length < head + 4 + len) break;
        s.replies.push(JSON.parse(buf.subarray(head + 4, head + 4 + len).toString()) as Record<string, unknown>);
        buf = buf.subarray(head + 4 + len);
      }
    });
    p.stderr.on('data', (d: Buffer) => (s.stderr += d.toString()));
    p.on('exit', (code) => {
      s.exitCode = code ?? -1;
      finish();
    });
    p.stdin.on('error', () => undefined);
    let i = 0;
    const poll = setInterval(() => {
      if (i < writes.length) p.stdin.write(writes[i++]);
      else if (done(s)) finish();
    }, 150);
    const timer = setTimeout(finish, 8000);
  });
}

const errorOf = (s: Session, id: unknown): { code: number; message: string } | undefined =>
  s.replies.find((r) => r.id === id && r.error)?.error as { code: number; message: string } | undefined;

describe('protocol hygiene', () => {
  test('a body that is not JSON gets -32700 with id null, and the server goes on answering', async () => {
    const s = await session([frame(init(1)), frame('{"jsonrpc":"2.0","id":2,"method":'), frame(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'shutdown' }))], (x) => x.replies.some((r) => r.id === 3));
    assert.equal(errorOf(s, null)?.code, -32700);
    assert.ok(s.replies.some((r) => r.id === 3 && 'result' in r), 'no answer after the parse error');
  });

  test('non-object messages, object ids and a missing method get -32600', async () => {
    const s = await session(
      [frame(init(1)), frame('[1,2]'), frame('42'), frame('{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}'), frame('{"jsonrpc":"2.0","id":9}')],
      (x) => x.replies.filter((r) => r.error).length >= 4,
    );
    const invalid = s.replies.filter((r) => (r.error as { code?: number } | undefined)?.code === -32600);
    assert.equal(invalid.length, 4, JSON.stringify(s.replies));
    assert.deepEqual(invalid.map((r) => r.id), [null, null, null, 9]);
  });

  test('"params": null is a request without parameters (Emacs writes shutdown so); a number as params is -32600', async () => {
    const s = await session(
      [frame(init(1)), frame('{"jsonrpc":"2.0","id":4,"method":"textDocument/documentSymbol","params":5}'), frame('{"jsonrpc":"2.0","id":5,"method":"shutdown","params":null}')],
      (x) => x.replies.some((r) => r.id === 5),
    );
    assert.equal(errorOf(s, 4)?.code, -32600);
    assert.ok(s.replies.some((r) => r.id === 5 && 'result' in r), JSON.stringify(s.replies));
  });

  test('a request before initialize gets -32002; a second initialize gets -32600', async () => {
    const hover = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.xml' }, position: { line: 0, character: 0 } } });
    // Both answers are awaited: the second initialize is refused at once, while the first one's
    // result may come after it on a loaded machine.
    const s = await session([frame(hover), frame(init(1)), frame(init(2))], (x) => x.replies.some((r) => r.id === 2) && x.replies.some((r) => r.id === 1));
    assert.equal(errorOf(s, 7)?.code, -32002);
    assert.ok(s.replies.some((r) => r.id === 1 && 'result' in r));
    assert.equal(errorOf(s, 2)?.code, -32600);
  });

  test('a broken Content-Length ends the process with a message on stderr', async () => {
    const s = await session([frame(init(1)), 'Content-Length: abc\r\n\r\n{}'], () => false);
    assert.equal(s.exitCode, 1);
    assert.match(s.stderr, /LSP input is broken.*Content-Length/);
  });
});
