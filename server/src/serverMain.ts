// The language server process: one bundle (dist/server.js) any LSP client starts with --stdio or
// --node-ipc. A stray exception is logged, never fatal; a broken frame on the input is (the
// client restarts the server, which beats a server alive and deaf). The server is startServer
// (server.ts); the protocol guard is lsp/guardedReader.ts. The same
// bundle runs the check worker (workspace/checkWorker.ts) off the main thread.

import { isMainThread } from 'node:worker_threads';
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';
import { GuardedReader } from './lsp/guardedReader';
import { rawJsonEncoder } from './lsp/rawJson';
import { startServer } from './server';
import { runCheckWorker } from './workspace/checkWorker';

declare const CMTS_VERSION: string | undefined;

function main(): void {
  const argv = process.argv.slice(2);
  const ipc = argv.includes('--node-ipc');
  const stdio = argv.includes('--stdio');
  let guard: GuardedReader | undefined;
  let connection;
  if (ipc || stdio) {
    const inner: MessageReader = ipc ? new IPCMessageReader(process) : new StreamMessageReader(process.stdin);
    // Over stdio, answers already written as JSON (the outline of a large sequence) go out as they are.
    const writer: MessageWriter = ipc ? new IPCMessageWriter(process) : new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: rawJsonEncoder });
    guard = new GuardedReader(inner, writer, (e) => {
      process.stderr.write(`cmts: the LSP input is broken (${e.message.split('\n')[0]}); exiting so the client restarts the server.\n`);
      process.exit(1);
    });
    connection = createConnection(ProposedFeatures.all, guard, writer);
    if (stdio) {
      // stdout carries the protocol: anything printed goes to stderr instead.
      for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const) console[k] = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);
      // What createConnection does itself when it opens stdin: the input ends, the server ends.
      const end = (): never => process.exit(guard?.shutdownReceived ? 0 : 1);
      process.stdin.on('end', end);
      process.stdin.on('close', end);
    }
  } else connection = createConnection(ProposedFeatures.all);
  const log = (message: string): void => connection.console.log(message);
  process.on('uncaughtException', (e) => log(`cmts: uncaught ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => log(`cmts: unhandled rejection ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  startServer(connection, {
    version: typeof CMTS_VERSION === 'string' ? CMTS_VERSION : '0.0.0-dev',
    testHooks: process.env.CMTS_TEST_HOOKS === '1',
    // This same script is the worker (see the end of the file); CMTS_CHECK_WORKER=0 checks in place.
    ...(process.env.CMTS_CHECK_WORKER === '0' ? {} : { checkWorker: { file: __filename, ...budget() } }),
  });
  connection.listen();
}

/** CMTS_CHECK_BUDGET_MS: the time budget per file (tests and measurements set it). */
function budget(): { budgetMs?: number } {
  const n = Number(process.env.CMTS_CHECK_BUDGET_MS);
  return Number.isFinite(n) && n > 0 ? { budgetMs: n } : {};
}

// One bundle, two roles: the server, and off the main thread the check worker it starts.
if (isMainThread) main();
else runCheckWorker();
