// Step numbers in the editor (issue 18): an inlay hint on every step and group with the engine's
// instruction number and run context (and the run's outcome once a log is attached); code lens
// instead for a client without inlay hints, decided by its capabilities. The data comes from
// features/stepHints.ts; this module converts it and answers the requests.

import type { ClientCapabilities, CodeLens, Connection, InlayHint, ServerCapabilities } from 'vscode-languageserver/node';
import { InlayHintKind } from 'vscode-languageserver/node';
import { stepHints, type RunOverlay } from '../../features/stepHints';
import type { TaskSequenceModel } from '../../model/types';
import type { ChildResolver } from '../../semantics/numbering';
import { runSafe, type Log } from '../runSafe';
import { sequenceDoc, type HandlerState } from './sequenceDoc';

export interface StepHintsDeps {
  log: Log;
  /** The attached run laid on this model (lsp/handlers/smstsLog.ts), if any. */
  runFor?: (uri: string, model: TaskSequenceModel, resolve?: ChildResolver) => RunOverlay | undefined;
}

export interface StepHintsHandle {
  /** What to announce in `initialize`: inlay hints when the client has them, else code lens. */
  capabilities(caps: ClientCapabilities): Partial<ServerCapabilities>;
  /** Asks the client to fetch hints (or lenses) again: a log was attached or detached. */
  refresh(): void;
}

export function registerStepHints(connection: Connection, state: HandlerState, deps: StepHintsDeps): StepHintsHandle {
  let mode: 'inlay' | 'lens' = 'inlay';
  let canRefresh = false;

  const hintsOf = (uri: string, range?: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
    const e = sequenceDoc(state, uri);
    if (!e) return undefined;
    const span = range ? { start: e.lines.offsetAt(range.start), end: e.lines.offsetAt(range.end) } : undefined;
    const run = deps.runFor?.(e.uri, e.model, e.resolve);
    return { e, hints: stepHints(e.model, { startIn: e.startIn, ...(e.resolve ? { resolve: e.resolve } : {}), ...(run ? { run } : {}), ...(span ? { range: span } : {}) }) };
  };

  connection.languages.inlayHint.on((p, token) =>
    runSafe(deps.log, 'inlayHint', [] as InlayHint[], () => {
      const r = hintsOf(p.textDocument.uri, p.range);
      if (!r) return [];
      return r.hints.map((h): InlayHint => ({ position: r.e.lines.positionAt(h.offset), label: h.label, kind: InlayHintKind.Type, tooltip: h.tooltip, paddingRight: true }));
    }, token),
  );

  connection.onCodeLens((p, token) =>
    runSafe(deps.log, 'codeLens', [] as CodeLens[], () => {
      const r = hintsOf(p.textDocument.uri);
      if (!r) return [];
      return r.hints.map((h): CodeLens => {
        const at = r.e.lines.positionAt(h.offset);
        // A lens with an empty command is a label: clicking it does nothing.
        return { range: { start: at, end: at }, command: { title: h.label, command: '' } };
      });
    }, token),
  );

  return {
    capabilities(caps) {
      mode = caps.textDocument?.inlayHint !== undefined ? 'inlay' : 'lens';
      canRefresh = mode === 'inlay' ? caps.workspace?.inlayHint?.refreshSupport === true : caps.workspace?.codeLens?.refreshSupport === true;
      return mode === 'inlay' ? { inlayHintProvider: { resolveProvider: false } } : { codeLensProvider: { resolveProvider: false } };
    },
    refresh() {
      if (!canRefresh || state.shutDown) return;
      const sent = mode === 'inlay' ? connection.languages.inlayHint.refresh() : connection.sendRequest('workspace/codeLens/refresh');
      sent.catch((e: unknown) => deps.log(`cmts: refreshing ${mode === 'inlay' ? 'inlay hints' : 'code lens'}: ${String(e)}`));
    },
  };
}
