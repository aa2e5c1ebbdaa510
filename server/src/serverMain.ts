// The language server process: one bundle (dist/server.js) any LSP client starts with --stdio or
// --node-ipc (createConnection reads which from the command line). A stray exception is logged,
// never fatal; the server itself is startServer (server.ts).

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

declare const CMTS_VERSION: string | undefined;

const connection = createConnection(ProposedFeatures.all);
const log = (message: string): void => connection.console.log(message);
process.on('uncaughtException', (e) => log(`cmts: uncaught ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => log(`cmts: unhandled rejection ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
startServer(connection, { version: typeof CMTS_VERSION === 'string' ? CMTS_VERSION : '0.0.0-dev', testHooks: process.env.CMTS_TEST_HOOKS === '1' });
connection.listen();
