// A minimal LSP client for the server tests: spawns the server (TypeScript through tsx, so no
// build is needed) over a real stdio connection, or starts it in this process over a pair of
// streams (startServer), answers the server's own requests, records pushed diagnostics and
// refresh requests, and waits for conditions with a deadline.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import { PassThrough } from 'node:stream';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Diagnostic, type InitializeResult, type PublishDiagnosticsParams, type TextEdit } from 'vscode-languageserver/node';
import { LineIndex } from '../../server/src/model/positions';
import { startServer, type ServerRuntime, type ServerState } from '../../server/src/server';

const REPO = join(__dirname, '..', '..');

export interface StartOptions {
  root: string;
  pull: boolean;
  env?: Record<string, string>;
  initializationOptions?: unknown;
  /** Client capabilities added to the default ones (inlay hints, refresh support …). */
  capabilities?: { textDocument?: Record<string, unknown>; workspace?: Record<string, unknown> };
}

export class LspClient {
  readonly pushed = new Map<string, Diagnostic[]>();
  refreshes = 0;
  registrations: unknown[] = [];
  readonly logs: string[] = [];
  private versions = new Map<string, number>();
  initializeResult!: InitializeResult;

  /** The server's state, when it runs in this process. */
  server?: ServerState;

  private constructor(
    readonly conn: MessageConnection,
    private readonly end: () => Promise<void>,
  ) {}

  /** The server as its own process, over stdio. */
  static async start(o: StartOptions): Promise<LspClient> {
    const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server/src/serverMain.ts'), '--stdio'], {
      cwd: REPO,
      env: { ...process.env, ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new LspClient(conn, () => endProcess(proc));
    proc.stderr!.on('data', (b: Buffer) => c.logs.push(b.toString()));
    return c.initialize(o);
  }

  /** The server in this process (startServer over a pair of streams): no spawn, no `exit` (it would end the test runner). */
  static async startInProcess(o: StartOptions & { version?: string; testHooks?: boolean; checkWorker?: ServerRuntime['checkWorker'] }): Promise<LspClient> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverConn = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const state = startServer(serverConn, { version: o.version ?? 'in-process', testHooks: o.testHooks, ...(o.checkWorker ? { checkWorker: o.checkWorker } : {}) });
    serverConn.listen();
    const conn = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const c = new LspClient(conn, async () => {
      serverConn.dispose();
      toServer.end();
      toClient.end();
    });
    c.server = state;
    return c.initialize(o);
  }

  private async initialize(o: StartOptions): Promise<LspClient> {
    const conn = this.conn;
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.pushed.set(p.uri, p.diagnostics);
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    conn.onNotification(() => undefined);
    conn.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    conn.onRequest(() => null);
    conn.listen();
    const rootUri = uri(o.root);
    this.initializeResult = await conn.sendRequest('initialize', {
      // In process, no pid: the server would poll it for the client's exit and keep the test runner alive.
      processId: this.server ? null : process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      initializationOptions: o.initializationOptions,
      capabilities: {
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          ...(o.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
          ...o.capabilities?.textDocument,
        },
        workspace: {
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          ...(o.pull ? { diagnostics: { refreshSupport: true } } : {}),
          ...o.capabilities?.workspace,
        },
      },
    });
    await conn.sendNotification('initialized', {});
    return this;
  }

  open(path: string, languageId = 'xml', text = readFileSync(path, 'utf8')): string {
    const u = uri(path);
    this.versions.set(u, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId, version: 1, text } });
    return u;
  }

  change(u: string, text: string): void {
    const v = (this.versions.get(u) ?? 1) + 1;
    this.versions.set(u, v);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: v }, contentChanges: [{ text }] });
  }

  close(u: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
  }

  fileChanged(u: string, type: 1 | 2 | 3): void {
    void this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: u, type }] });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  /** Polls `pred` until it returns a value other than undefined/false, or fails after `ms`. */
  async waitFor<T>(what: string, pred: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await pred();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${this.logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      if (!this.server) void this.conn.sendNotification('exit');
    } catch {
      // the process may be gone already
    }
    await this.end();
    this.conn.dispose();
  }
}

/** Waits for the server process to exit after `exit`, and kills it when it does not. */
function endProcess(proc: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, 3000);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    if (proc.exitCode !== null) {
      clearTimeout(t);
      resolve();
    }
  });
}

export function uri(path: string): string {
  return pathToFileURL(path).href;
}

/** The text after a client applies `edits` (LSP ranges of `text`), last first. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}
