// workspace/symbol: the steps and groups of every sequence of the workspace by name
// (features/workspaceSymbols.ts), each with the sequence it belongs to as its container.

import { SymbolKind, type Connection, type ServerCapabilities, type SymbolInformation } from 'vscode-languageserver/node';
import { basename } from 'node:path';
import { catalog } from '../../catalog';
import { workspaceSymbols } from '../../features/workspaceSymbols';
import { uriToPath } from '../../workspace/documents';
import { toRange } from '../convert';
import { runSafe, type Log } from '../runSafe';
import { sequenceDoc, workspaceSequenceUris, type HandlerState } from './context';

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  connection.onWorkspaceSymbol((p, token) =>
    runSafe(log, 'workspaceSymbol', [] as SymbolInformation[], () => {
      const files = [];
      const lines = new Map<string, ReturnType<typeof sequenceDoc>>();
      for (const uri of workspaceSequenceUris(state)) {
        if (token.isCancellationRequested) return [];
        const s = sequenceDoc(state, uri);
        if (!s) continue;
        lines.set(s.uri, s);
        const path = uriToPath(s.uri);
        files.push({ key: s.uri, model: s.model, container: s.model.sequence?.name?.trim() || (path ? basename(path) : s.uri) });
      }
      return workspaceSymbols(files, p.query, catalog).map((w) => ({
        name: w.name,
        kind: w.kind === 'group' ? SymbolKind.Namespace : SymbolKind.Function,
        containerName: `${w.container} · ${w.detail}`,
        location: { uri: w.key, range: toRange(lines.get(w.key)!.lines, w.selection) },
      }));
    }, token),
  );
  return { workspaceSymbolProvider: true };
}
