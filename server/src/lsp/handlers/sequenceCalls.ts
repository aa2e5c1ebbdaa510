// Code lens and call hierarchy over the Run Task Sequence chains of the workspace
// (features/sequenceCalls.ts): on a sequence, the sequences that run it; on a Run Task Sequence
// step, the sequence it runs; incoming and outgoing "calls" between sequences. A lens's command is
// `cmts.showLocations` (uri, position, locations): the VS Code client shows them in the peek view;
// other editors show the title. For a client without inlay hints, the step labels the inlay hints
// would show (number, run context, an attached log's outcome; features/stepHints.ts) come as
// lenses too, with an empty command: a label that does nothing when clicked.

import {
  SymbolKind,
  type CallHierarchyIncomingCall,
  type CallHierarchyItem,
  type CallHierarchyOutgoingCall,
  type CodeLens,
  type Connection,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { catalog } from '../../catalog';
import { hierarchyItemAt, sequenceLenses, SequenceGraph, type SequenceNode } from '../../features/sequenceCalls';
import { stepHints } from '../../features/stepHints';
import type { LineIndex } from '../../model/positions';
import { labelSpan } from '../../semantics/stepInfo';
import { toRange } from '../convert';
import { runSafe, type Log } from '../runSafe';
import { clientShowsInlayHints, sequenceDoc, sequenceNodes, stepHintOptions, type HandlerState } from './context';

export const SHOW_LOCATIONS = 'cmts.showLocations';

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  /** The graph of the workspace's sequences, with each one's line index. */
  function graph(): { graph: SequenceGraph; lines: (key: string) => LineIndex | undefined } {
    const nodes = sequenceNodes(state);
    return { graph: new SequenceGraph(nodes, catalog), lines: (key) => sequenceDoc(state, key)?.lines };
  }

  connection.onCodeLens((p, token) =>
    runSafe(log, 'codeLens', [] as CodeLens[], () => {
      const s = sequenceDoc(state, p.textDocument.uri);
      if (!s) return [];
      const g = graph();
      const calls = sequenceLenses(g.graph, s.uri).map((l): CodeLens => {
        const range = toRange(s.lines, l.span);
        const locations = l.targets.flatMap((t) => {
          const lines = g.lines(t.key);
          return lines ? [{ uri: t.key, range: toRange(lines, t.span) }] : [];
        });
        return { range, command: { title: l.title, command: locations.length ? SHOW_LOCATIONS : '', arguments: locations.length ? [s.uri, range.start, locations] : [] } };
      });
      if (clientShowsInlayHints(state)) return calls;
      const steps = stepHints(s.model, stepHintOptions(state, s)).map((h): CodeLens => {
        const at = s.lines.positionAt(h.offset);
        return { range: { start: at, end: at }, command: { title: h.label, command: '' } };
      });
      const line = (l: CodeLens): number => l.range.start.line;
      return [...calls, ...steps].sort((a, b) => line(a) - line(b));
    }, token),
  );

  function item(n: SequenceNode, lines: LineIndex): CallHierarchyItem {
    const seq = n.model.sequence;
    const span = seq?.span ?? { start: 0, end: 0 };
    return { name: n.name, kind: SymbolKind.Module, uri: n.key, range: toRange(lines, span), selectionRange: toRange(lines, seq?.nameSpan ?? span), ...(n.packageId ? { detail: n.packageId } : {}), data: { key: n.key } };
  }

  connection.languages.callHierarchy.onPrepare((p, token) =>
    runSafe(log, 'prepareCallHierarchy', null as CallHierarchyItem[] | null, () => {
      const s = sequenceDoc(state, p.textDocument.uri);
      if (!s) return null;
      const g = graph();
      const n = hierarchyItemAt(g.graph, s.uri, s.lines.offsetAt(p.position));
      const lines = n ? g.lines(n.key) : undefined;
      return n && lines ? [item(n, lines)] : null;
    }, token),
  );

  connection.languages.callHierarchy.onIncomingCalls((p, token) =>
    runSafe(log, 'incomingCalls', [] as CallHierarchyIncomingCall[], () => {
      const g = graph();
      const byCaller = new Map<string, CallHierarchyIncomingCall>();
      for (const c of g.graph.callsInto(p.item.uri)) {
        const lines = g.lines(c.from.key);
        if (!lines) continue;
        const call = byCaller.get(c.from.key) ?? { from: item(c.from, lines), fromRanges: [] };
        call.fromRanges.push(toRange(lines, labelSpan(c.step)));
        byCaller.set(c.from.key, call);
      }
      return [...byCaller.values()];
    }, token),
  );

  connection.languages.callHierarchy.onOutgoingCalls((p, token) =>
    runSafe(log, 'outgoingCalls', [] as CallHierarchyOutgoingCall[], () => {
      const g = graph();
      const here = g.lines(p.item.uri);
      if (!here) return [];
      const byCallee = new Map<string, CallHierarchyOutgoingCall>();
      for (const c of g.graph.callsFrom(p.item.uri)) {
        const lines = c.to ? g.lines(c.to.key) : undefined;
        if (!c.to || !lines) continue;
        const call = byCallee.get(c.to.key) ?? { to: item(c.to, lines), fromRanges: [] };
        call.fromRanges.push(toRange(here, labelSpan(c.step)));
        byCallee.set(c.to.key, call);
      }
      return [...byCallee.values()];
    }, token),
  );

  return { codeLensProvider: { resolveProvider: false }, callHierarchyProvider: true };
}
