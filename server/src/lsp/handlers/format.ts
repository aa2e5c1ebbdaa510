// textDocument/formatting and rangeFormatting: the console's layout (features/format.ts) on the
// editor's current text. A file the formatter cannot lay out safely gets no edit; the reason is logged.

import type { Connection, ServerCapabilities, TextEdit } from 'vscode-languageserver/node';
import { MAX_CHECK_CHARS } from '../../analysis';
import { formatEdits } from '../../features/format';
import { LineIndex } from '../../model/positions';
import { toRange, toSpan } from '../convert';
import { runSafe, type Log } from '../runSafe';
import type { HandlerState } from './context';

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  const edits = (uri: string, range?: Parameters<typeof toSpan>[1]): TextEdit[] => {
    const doc = state.docs.get(uri);
    if (!doc || state.ws.kindOf(doc.uri, doc) !== 'taskSequence' || doc.text.length > MAX_CHECK_CHARS) return [];
    const lines = new LineIndex(doc.text);
    const r = formatEdits(doc.text, range ? toSpan(lines, range) : undefined);
    if (r.refused) log(`cmts: ${uri} is not formatted: ${r.refused}.`);
    return r.edits.map((e) => ({ range: toRange(lines, e.span), newText: e.newText }));
  };
  connection.onDocumentFormatting((p, token) => runSafe(log, 'formatting', [] as TextEdit[], () => edits(p.textDocument.uri), token));
  connection.onDocumentRangeFormatting((p, token) => runSafe(log, 'rangeFormatting', [] as TextEdit[], () => edits(p.textDocument.uri, p.range), token));
  return { documentFormattingProvider: true, documentRangeFormattingProvider: true };
}
