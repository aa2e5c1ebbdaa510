// textDocument/inlayHint: step numbers before step names and the site description's name after
// content IDs (features/inlayHints.ts), for the visible range only.

import { InlayHintKind, type Connection, type InlayHint, type ServerCapabilities } from 'vscode-languageserver/node';
import { catalog } from '../../catalog';
import { inlayHints } from '../../features/inlayHints';
import { toSpan } from '../convert';
import { runSafe, type Log } from '../runSafe';
import { sequenceDoc, type HandlerState } from './context';

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  connection.languages.inlayHint.on((p, token) =>
    runSafe(log, 'inlayHint', [] as InlayHint[], () => {
      const s = sequenceDoc(state, p.textDocument.uri);
      if (!s) return [];
      return inlayHints(s.model, s.text, catalog, s.site, toSpan(s.lines, p.range)).map((h) => ({
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
