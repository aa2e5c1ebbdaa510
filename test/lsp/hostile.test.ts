// Hostile input through the language server over a real stdio connection (issue 9): a 50 MB
// document while another document is hovered, deep nesting, entity expansion and external
// entities (nothing read: a FIFO would block the server, an HTTP listener counts connections),
// megabyte values, junk, invalid UTF-8 and BOM-less UTF-16 on disk, Run Task Sequence cycles;
// every request answers within its bound. The error boundary (one request throws, the next
// works) through the server's test hook (CMTS_TEST_HOOKS=1). And "nothing lost": a whole
// editing session, quick fixes taken, leaves every file of the workspace as it was.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, Hover, WorkspaceDiagnosticReport } from 'vscode-languageserver/node';
import { LineIndex } from '../../server/src/model/positions';
import { applyEdits, LspClient, uri } from './lspClient';

const REPO = join(__dirname, '..', '..');
const FIXTURE = join(REPO, 'test', 'fixtures', 'e2e', 'ws');
const posix = process.platform !== 'win32';
const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function freshWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'cmts-lsp-hostile-'));
  cpSync(FIXTURE, root, { recursive: true });
  roots.push(root);
  return root;
}

const RUN_COMMAND = '<step type="SMS_TaskSequence_RunCommandLineAction" name="Run" description="" runIn="WinPEandFullOS" successCodeList="0">'
  + '<action>cmd.exe /c echo ok</action><defaultVarList><variable name="CommandLine" property="CommandLine">cmd.exe /c echo ok</variable></defaultVarList></step>';

function msg(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function items(r: DocumentDiagnosticReport): Diagnostic[] {
  return r.kind === 'full' ? r.items : [];
}

/** A request with a deadline: fails the test when it takes longer than `ms` or answers an error. */
async function timedRequest<T>(c: LspClient, method: string, params: unknown, ms: number): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const value = await Promise.race([
    c.request<T>(method, params),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} did not answer within ${ms} ms\n${c.logs.join('\n')}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
  return { value, ms: performance.now() - t0 };
}

/** Everything under `root`: path → mtime, size and content hash. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.set(p, `${st.mtimeMs} ${st.size} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(root);
  return out;
}

describe('hostile documents through the server', () => {
  let c: LspClient;
  let root: string;
  let http: Server;
  let connections = 0;
  let port = 0;
  const secret = `cmts-secret-${process.pid}`;

  before(async () => {
    root = freshWorkspace();
    http = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    port = (http.address() as { port: number }).port;
    writeFileSync(join(root, 'secret.txt'), secret);
    if (posix) spawnSync('mkfifo', [join(root, 'fifo')]);
    const text = readFileSync(join(root, 'lab/sequences/restart.xml'), 'utf8');
    const at = text.indexOf('SMS_TaskSequence_RunCommandLineAction');
    writeFileSync(join(root, 'lab/sequences/bad8.xml'), Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at))]));
    writeFileSync(join(root, 'lab/sequences/utf16.xml'), Buffer.from(text, 'utf16le'));
    // A Run Task Sequence loop: LAB00010 (restart.xml) runs LAB00011, which runs LAB00010.
    const runTs = (id: string): string => `<subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run ${id}" description="" successCodeList="0"><action>SubTasksequence.exe</action><defaultVarList><variable name="OSDSubTasksequencePackageID" property="TsPackageID">${id}</variable></defaultVarList></subtasksequence>`;
    mkdirSync(join(root, 'cycle'));
    writeFileSync(join(root, 'cycle/configmgr-site.json'), JSON.stringify({
      site: { code: 'LAB', product: 'ConfigMgr CB', version: '2309' },
      taskSequences: [{ packageId: 'LAB00A10', name: 'A', file: 'a.xml' }, { packageId: 'LAB00B10', name: 'B', file: 'b.xml' }, { packageId: 'LAB00C10', name: 'C', file: '/dev/zero' }, { packageId: 'LAB00D10', name: 'D', file: '../fifo' }],
    }));
    writeFileSync(join(root, 'cycle/a.xml'), `<sequence version="3.10">${RUN_COMMAND}${runTs('LAB00B10')}${runTs('LAB00C10')}${runTs('LAB00D10')}</sequence>`);
    writeFileSync(join(root, 'cycle/b.xml'), `<sequence version="3.10">${RUN_COMMAND}${runTs('LAB00A10')}</sequence>`);
    c = await LspClient.start({ root, pull: true, env: { CMTS_TEST_HOOKS: '1' } });
  });
  after(async () => {
    await c.stop();
    http.close();
  });

  test('a 50 MB document: "too large to check"; hover on another document answers meanwhile', async (t) => {
    const small = c.open(join(root, 'lab/sequences/restart.xml'), 'tasksequence');
    const text = readFileSync(join(root, 'lab/sequences/restart.xml'), 'utf8');
    const position = new LineIndex(text).positionAt(text.indexOf('SMS_TaskSequence_RunCommandLineAction') + 3);
    await timedRequest(c, 'textDocument/hover', { textDocument: { uri: small }, position }, 10_000);
    const big = `<sequence version="3.10">${RUN_COMMAND.repeat(Math.ceil((50 * 1024 * 1024) / RUN_COMMAND.length))}</sequence>`;
    // The hover goes out right behind the 50 MB didOpen: it waits for that message to arrive and be
    // decoded (a few seconds, in vscode-jsonrpc), not for any check of it.
    const bigUri = c.open(join(root, 'big.xml'), 'tasksequence', big);
    const hover = await timedRequest<Hover | null>(c, 'textDocument/hover', { textDocument: { uri: small }, position }, 30_000);
    assert.match(JSON.stringify(hover.value?.contents), /Run Command Line/);
    const diagnostics = await timedRequest<DocumentDiagnosticReport>(c, 'textDocument/diagnostic', { textDocument: { uri: bigUri } }, 10_000);
    const d = items(diagnostics.value);
    assert.deepEqual(d.map((x) => x.code), ['sequence-size']);
    assert.match(msg(d[0]), /too large to check \(5\d\.\d MB/);
    // The server still answers quickly once the big document is there.
    const again = await timedRequest<Hover | null>(c, 'textDocument/hover', { textDocument: { uri: small }, position }, 2000);
    assert.ok(again.value);
    t.diagnostic(`hover behind the 50 MB document ${hover.ms.toFixed(0)} ms, its diagnostics ${diagnostics.ms.toFixed(0)} ms, next hover ${again.ms.toFixed(0)} ms`);
    c.close(bigUri);
  });

  test('deep nesting, entity expansion, external entities, megabyte values, junk: every request answers, nothing is read', async (t) => {
    const mb = 'A'.repeat(2 * 1024 * 1024);
    const docs: Record<string, string> = {
      'nested.xml': `<sequence version="3.10">${'<group name="g">'.repeat(100_000)}${RUN_COMMAND}${'</group>'.repeat(100_000)}</sequence>`,
      'laughs.xml': `<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i || ''};`.repeat(10)}">`).join('')}]><sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="&a9;"/></sequence>`,
      'entities.xml': `<!DOCTYPE s [<!ENTITY file SYSTEM "${join(root, 'secret.txt')}"><!ENTITY fifo SYSTEM "${join(root, 'fifo')}"><!ENTITY net SYSTEM "http://127.0.0.1:${port}/x"><!ENTITY % dtd SYSTEM "http://127.0.0.1:${port}/d.dtd"> %dtd;]><sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="&file;&fifo;&net;"><action>&file;</action></step></sequence>`,
      'dtd.xml': `<!DOCTYPE sequence SYSTEM "http://127.0.0.1:${port}/evil.dtd"><sequence version="3.10"/>`,
      'values.xml': `<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="${mb}"><action>${mb}</action><defaultVarList><variable name="CommandLine" property="CommandLine">${mb}</variable></defaultVarList></step><step type="${mb}"/></sequence>`,
      'junk.xml': `<sequence>${Array.from({ length: 200_000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('')}`,
      'amps.xml': `<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="${'&'.repeat(1024 * 1024)}"/></sequence>`,
    };
    for (const [name, text] of Object.entries(docs)) {
      const u = c.open(join(root, name), 'tasksequence', text);
      const checked = await timedRequest<DocumentDiagnosticReport>(c, 'textDocument/diagnostic', { textDocument: { uri: u } }, 20_000);
      t.diagnostic(`${name} (${(text.length / 1024 / 1024).toFixed(1)} MB): diagnostics in ${checked.ms.toFixed(0)} ms`);
      const d = items(checked.value);
      assert.ok(d.length > 0, `${name}: diagnostics`);
      assert.ok(d.every((x) => x.code !== 'internal-error'), `${name}: no check crashed`);
      assert.ok(!JSON.stringify(d).includes(secret), `${name}: the secret is not in the diagnostics`);
      const lines = new LineIndex(text);
      for (const offset of [0, 30, Math.floor(text.length / 2), text.length - 5, text.length]) {
        const h = await timedRequest<Hover | null>(c, 'textDocument/hover', { textDocument: { uri: u }, position: lines.positionAt(offset) }, 2000);
        assert.ok(!JSON.stringify(h.value).includes(secret));
        assert.ok(JSON.stringify(h.value).length < 100_000, `${name}: hover at ${offset} is not megabytes`);
      }
      const whole = { start: { line: 0, character: 0 }, end: lines.positionAt(text.length) };
      const actions = await timedRequest<CodeAction[]>(c, 'textDocument/codeAction', { textDocument: { uri: u }, range: whole, context: { diagnostics: d.slice(0, 50) } }, 5000);
      assert.ok(Array.isArray(actions.value));
      const symbols = await timedRequest(c, 'textDocument/documentSymbol', { textDocument: { uri: u } }, 5000);
      assert.ok(JSON.stringify(symbols.value).length < 1_000_000, `${name}: the outline is not megabytes`);
      await timedRequest(c, 'textDocument/completion', { textDocument: { uri: u }, position: lines.positionAt(Math.min(40, text.length)) }, 5000);
      c.close(u);
    }
    assert.equal(connections, 0, 'no connection to the URLs of the entities');
    assert.deepEqual(c.logs.filter((l) => / failed:|uncaught|unhandled/.test(l)), [], 'no handler failed');
  });

  test('files on disk: invalid UTF-8 reported at the bad byte, BOM-less UTF-16 read and checked', async () => {
    const r = (await timedRequest<WorkspaceDiagnosticReport>(c, 'workspace/diagnostic', { previousResultIds: [] }, 10_000)).value;
    const byUri = new Map(r.items.map((i) => [i.uri, i.kind === 'full' ? i.items : []]));
    const text = readFileSync(join(root, 'lab/sequences/restart.xml'), 'utf8');
    const bad = byUri.get(uri(join(root, 'lab/sequences/bad8.xml')));
    const invalid = bad?.find((d) => /not valid UTF-8/.test(msg(d)));
    assert.ok(invalid, 'bad8.xml: the invalid byte is reported');
    assert.deepEqual(invalid.range.start, new LineIndex(text).positionAt(text.indexOf('SMS_TaskSequence_RunCommandLineAction')));
    const utf16 = byUri.get(uri(join(root, 'lab/sequences/utf16.xml')));
    const plain = byUri.get(uri(join(root, 'lab/sequences/restart.xml')));
    assert.ok(utf16 && plain);
    const shape = (ds: Diagnostic[], shift: number): string[] => ds.map((d) => `${d.code} ${d.range.start.line - shift}:${d.range.start.character}`).sort();
    assert.deepEqual(shape(utf16, 0), shape(plain, 0), 'the UTF-16 copy gets the same diagnostics');
  });

  test('Run Task Sequence loops and children that are devices or pipes: diagnostics answer', async () => {
    const u = c.open(join(root, 'cycle/a.xml'), 'tasksequence');
    const d = items((await timedRequest<DocumentDiagnosticReport>(c, 'textDocument/diagnostic', { textDocument: { uri: u } }, 15_000)).value);
    assert.ok(d.every((x) => x.code !== 'internal-error'));
    const loop = d.find((x) => x.code === 'child-task-sequence' && /loop/.test(msg(x)));
    assert.ok(loop, `the loop is reported: ${JSON.stringify(d.map(msg))}`);
    // And the server still answers.
    await timedRequest(c, 'textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 3 } }, 2000);
  });

  test('fixtures found by the fuzzer: a document closed and opened again at version 1 gets the new text\'s diagnostics', async () => {
    const path = join(root, 'lab/sequences/reopened.xml');
    const first = readFileSync(join(REPO, 'test/fixtures/hostile/reopen-first.xml'), 'utf8');
    const second = readFileSync(join(REPO, 'test/fixtures/hostile/reopen-second.xml'), 'utf8');
    const codes = async (u: string): Promise<string[]> => items((await timedRequest<DocumentDiagnosticReport>(c, 'textDocument/diagnostic', { textDocument: { uri: u } }, 5000)).value).map((d) => String(d.code));
    let u = c.open(path, 'tasksequence', first);
    assert.ok(!(await codes(u)).includes('unknown-step-type'));
    c.close(u);
    // VS Code starts a reopened document at version 1 again; the cache was keyed by the version alone.
    u = c.open(path, 'tasksequence', second);
    assert.ok((await codes(u)).includes('unknown-step-type'), 'the second text is checked, not the first one\'s cached result');
    c.close(u);
  });

  test('fixtures found by the fuzzer: a site description with thousands of syntax errors answers at once, 1,001 diagnostics', async () => {
    const text = readFileSync(join(REPO, 'test/fixtures/hostile/site-many-problems.json'), 'utf8');
    const u = c.open(join(root, 'lab/configmgr-site.json'), 'json', text);
    const r = await timedRequest<DocumentDiagnosticReport>(c, 'textDocument/diagnostic', { textDocument: { uri: u } }, 2000);
    assert.equal(items(r.value).length, 1001);
    const seq = c.open(join(root, 'lab/sequences/scripts.xml'), 'tasksequence');
    await timedRequest(c, 'textDocument/diagnostic', { textDocument: { uri: seq } }, 2000);
    c.close(u);
    c.close(seq);
  });

  test('an exception in one request is logged and answered empty; the next requests work', async () => {
    const u = c.open(join(root, 'lab/sequences/scripts.xml'), 'tasksequence');
    assert.equal((await timedRequest(c, 'cmts/test/throw', {}, 2000)).value, null);
    assert.ok(await c.waitFor('the failure in the log', () => c.logs.some((l) => /cmts\/test\/throw failed: Error: failure injected/.test(l))));
    const d = items((await timedRequest<DocumentDiagnosticReport>(c, 'textDocument/diagnostic', { textDocument: { uri: u } }, 5000)).value);
    const text = readFileSync(join(root, 'lab/sequences/scripts.xml'), 'utf8');
    const h = await timedRequest<Hover | null>(c, 'textDocument/hover', { textDocument: { uri: u }, position: new LineIndex(text).positionAt(text.indexOf('<step') + 2) }, 2000);
    assert.ok(h.value, 'hover still answers');
    const a = await timedRequest<CodeAction[]>(c, 'textDocument/codeAction', { textDocument: { uri: u }, range: d[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: d.slice(0, 1) } }, 2000);
    assert.ok(Array.isArray(a.value));
    // Twice in a row, and interleaved with real requests: still nothing escapes.
    const [x, y] = await Promise.all([c.request('cmts/test/throw', {}), c.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 1 } })]);
    assert.equal(x, null);
    assert.ok(y === null || typeof y === 'object');
  });
});

describe('nothing lost: a whole editing session leaves the workspace as it was', () => {
  test('open, edit, take quick fixes, save, file events, commands, site init, close: no file changed or created', async () => {
    const root = freshWorkspace();
    writeFileSync(join(root, 'lab/.cmts.json'), '{ "rules": { "unknown-step-type": "error" } }\n');
    writeFileSync(join(root, 'lab/sequences/typo.xml'), `<sequence version="3.10">\r\n  <!-- cmts-disable-next-line not-a-rule -->\r\n  <step type="SMS_TaskSequence_RunCommandLinAction" name="Typo" description="" runIn="WinPEandFullOS" successCodeList="0">\r\n    <action>cmd.exe</action>\r\n  </step>\r\n  <step type="SMS_TaskSequence_RebootAction" name="r"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">Equals</variable><variable name="Variable">A</variable><variable name="Value">1</variable></expression></condition></step>\r\n</sequence>\r\n`);
    const before = snapshot(root);
    for (const pull of [true, false]) {
      const c = await LspClient.start({ root, pull });
      let applyEditRequests = 0;
      c.conn.onRequest('workspace/applyEdit', () => {
        applyEditRequests++;
        return { applied: false };
      });
      try {
        const files = ['lab/sequences/typo.xml', 'lab/sequences/restart.xml', 'lab/sequences/scripts.xml', 'nosite/orphan.xml', 'lab/configmgr-site.json', 'lab/.cmts.json'];
        for (const f of files) {
          const path = join(root, f);
          let text = readFileSync(path, 'utf8');
          const u = c.open(path, f.endsWith('.json') ? 'json' : 'tasksequence', text);
          const diagnostics = async (): Promise<Diagnostic[]> => pull
            ? items(await c.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: u } }))
            : c.waitFor(`diagnostics of ${f}`, () => c.pushed.get(u));
          // Take every quick fix offered, one after the other, as the user would.
          for (let round = 0; round < 5; round++) {
            const ds = await diagnostics();
            if (!ds.length) break;
            const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: ds[0].range, context: { diagnostics: ds } });
            const edits = actions.flatMap((a) => Object.entries(a.edit?.changes ?? {})).filter(([target]) => target === u);
            if (!edits.length) break;
            text = applyEdits(text, edits[0][1]);
            c.pushed.delete(u);
            c.change(u, text);
          }
          void c.conn.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
          c.fileChanged(u, 2);
          for (const command of (c.initializeResult.capabilities.executeCommandProvider?.commands ?? [])) {
            await c.request('workspace/executeCommand', { command, arguments: [u] }).catch(() => undefined);
          }
          await c.request('cmts/siteFor', { uri: u });
          c.close(u);
        }
        const init = await c.request<{ text: string } | null>('cmts/siteInit', { targetUri: uri(join(root, 'nosite/configmgr-site.json')), folderUri: uri(join(root, 'nosite')) });
        assert.ok(init?.text.includes('"taskSequences"') || init?.text.includes('"site"'), 'site init answers with text for the client to write');
        assert.equal(applyEditRequests, 0, 'the server never asks the editor to apply an edit by itself');
      } finally {
        await c.stop();
      }
    }
    assert.deepEqual(snapshot(root), before, 'every file as it was, none added or removed');
  });
});
