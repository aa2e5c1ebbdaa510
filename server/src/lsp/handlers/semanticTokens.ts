// textDocument/semanticTokens/full: variables, content IDs and step types (features/semanticTokens.ts)
// encoded against the legend, relative line and character as LSP wants them. A token over a line
// break (a value written across lines) is left out: LSP tokens are one line each.

import type { Connection, SemanticTokens, ServerCapabilities } from 'vscode-languageserver/node';
import { catalog } from '../../catalog';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../features/semanticTokens';
import { runSafe, type Log } from '../runSafe';
import { sequenceDoc, type HandlerState } from './context';

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  connection.languages.semanticTokens.on((p, token) =>
    runSafe<SemanticTokens>(log, 'semanticTokens', { data: [] }, () => {
      const s = sequenceDoc(state, p.textDocument.uri);
      if (!s) return { data: [] };
      const data: number[] = [];
      let line = 0;
      let char = 0;
      for (const t of semanticTokens(s.model, s.text, catalog)) {
        const a = s.lines.positionAt(t.span.start);
        const b = s.lines.positionAt(t.span.end);
        if (a.line !== b.line || b.character <= a.character) continue;
        const mods = t.modifiers.reduce((m, x) => m | (1 << TOKEN_MODIFIERS.indexOf(x)), 0);
        data.push(a.line - line, a.line === line ? a.character - char : a.character, b.character - a.character, TOKEN_TYPES.indexOf(t.type), mods);
        line = a.line;
        char = a.character;
      }
      return { data };
    }, token),
  );
  return { semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true } };
}
