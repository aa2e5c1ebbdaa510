// textDocument/documentHighlight: the occurrences of the variable or content ID under the cursor
// in the current sequence (features/highlight.ts), the places that set a variable as writes.

import { DocumentHighlightKind, type Connection, type DocumentHighlight, type ServerCapabilities } from 'vscode-languageserver/node';
import { catalog } from '../../catalog';
import { highlightsAt } from '../../features/highlight';
import { toRange } from '../convert';
import { runSafe, type Log } from '../runSafe';
import { sequenceDoc, type HandlerState } from './context';

const KIND = { read: DocumentHighlightKind.Read, write: DocumentHighlightKind.Write, text: DocumentHighlightKind.Text } as const;

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  connection.onDocumentHighlight((p, token) =>
    runSafe(log, 'documentHighlight', [] as DocumentHighlight[], () => {
      const s = sequenceDoc(state, p.textDocument.uri);
      if (!s) return [];
      return highlightsAt(s.model, s.text, s.lines.offsetAt(p.position), catalog).map((h) => ({ range: toRange(s.lines, h.span), kind: KIND[h.kind] }));
    }, token),
  );
  return { documentHighlightProvider: true };
}
