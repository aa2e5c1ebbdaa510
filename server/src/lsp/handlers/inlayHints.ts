// textDocument/inlayHint (features/inlayHints.ts), for the visible range only: before each step and
// group its smsts.log instruction number, its run context and, with a log attached
// (lsp/handlers/smstsLog.ts), how the run went there; after content IDs the site description's
// name. A client without inlay hints gets the step labels as code lens (sequenceCalls.ts).

import { InlayHintKind, type Connection, type InlayHint, type ServerCapabilities } from 'vscode-languageserver/node';
import { catalog } from '../../catalog';
import { inlayHints } from '../../features/inlayHints';
import { toSpan } from '../convert';
import { runSafe, type Log } from '../runSafe';
import { sequenceDoc, stepHintOptions, type HandlerState } from './context';

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  connection.languages.inlayHint.on((p, token) =>
    runSafe(log, 'inlayHint', [] as InlayHint[], () => {
      const s = sequenceDoc(state, p.textDocument.uri);
      if (!s) return [];
      return inlayHints(s.model, s.text, catalog, s.site, toSpan(s.lines, p.range), stepHintOptions(state, s)).map((h) => ({
        position: s.lines.positionAt(h.offset),
        label: h.label,
        kind: h.kind === 'type' ? InlayHintKind.Type : InlayHintKind.Parameter,
        tooltip: h.tooltip,
        ...(h.paddingLeft ? { paddingLeft: true } : {}),
        ...(h.paddingRight ? { paddingRight: true } : {}),
      }));
    }, token),
  );
  return { inlayHintProvider: true };
}
