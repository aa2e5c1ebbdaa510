// smsts.log attached to a sequence in the editor (issue 18). `cmts/attachLog` streams the files
// from disk through the log reader (workspace/logFiles.ts) and keeps the run per sequence; the
// failures become diagnostics with source smsts.log, delivered with the sequence's own (push or
// pull); the durations go to the step labels of the inlay hints or code lens (inlayHints.ts,
// sequenceCalls.ts, through `state.stepRun`); the log lines that start or end a step link to it
// (document links in the log file). The run is laid on the text being edited by number and name
// (features/stepHints.ts overlayRun): never guessed.

import { DiagnosticSeverity, type Connection, type Diagnostic, type DocumentLink } from 'vscode-languageserver/node';
import { basename } from 'node:path';
import { overlayChildRun, overlayRun, type RunOverlay } from '../../features/stepHints';
import { logAnnotations, LOG_SOURCE, type LogAnnotations, type StepAnnotation } from '../../log/annotations';
import { LineIndex } from '../../model/positions';
import type { Item, TaskSequenceModel } from '../../model/types';
import type { ChildResolver } from '../../semantics/numbering';
import { pathToUri, uriToPath } from '../../workspace/documents';
import { readLogFiles } from '../../workspace/logFiles';
import { toRange } from '../convert';
import { ATTACH_LOG, DETACH_LOG, type AttachLogParams, type AttachLogResult, type DetachLogParams } from '../logProtocol';
import { runSafe, type Log } from '../runSafe';
import { clientShowsInlayHints, numberingOf, sequenceDoc, type HandlerState, type SequenceDoc } from './context';

interface Attached {
  gen: number;
  annotations: LogAnnotations;
  /** Failed steps of child sequences, by the child's path (shown in the child's file). */
  childFailures: Map<string, StepAnnotation[]>;
  /** Log label (as in the run's places) → path on disk. */
  files: Map<string, string>;
}

export interface SmstsLogHandle {
  /** Links from the lines of an attached log file to the steps they start or end; [] for other files. */
  documentLinks(uri: string): DocumentLink[];
}

/** Registers cmts/attachLog and cmts/detachLog, the log's diagnostics and `state.stepRun`. */
export function registerSmstsLog(connection: Connection, state: HandlerState, log: Log): SmstsLogHandle {
  const attached = new Map<string, Attached>();
  let gen = 0;
  // One overlay per (model, attachment): models are immutable and replaced on every parse.
  const overlays = new WeakMap<TaskSequenceModel, { gen: number; overlay: RunOverlay }>();
  const modelIds = new WeakMap<TaskSequenceModel, number>();
  let nextModelId = 1;

  const keyOf = (uri: string): string => uriToPath(uri) ?? uri;
  /** The sequence as the editor has it, with how its children are read (numbers run through them). */
  const seqDoc = (uri: string): (SequenceDoc & { resolve?: ChildResolver }) | undefined => {
    const e = sequenceDoc(state, uri);
    return e && { ...e, ...numberingOf(state, e) };
  };

  const runFor = (uri: string, model: TaskSequenceModel, resolve?: ChildResolver): RunOverlay | undefined => {
    const a = attached.get(keyOf(uri));
    if (!a) return undefined;
    const hit = overlays.get(model);
    if (hit && hit.gen === a.gen) return hit.overlay;
    const overlay = overlayRun(a.annotations, model, resolve);
    overlays.set(model, { gen: a.gen, overlay });
    return overlay;
  };

  state.stepRun = runFor;

  /** A log was attached or detached: diagnostics, and the step labels (inlay hints or code lens), again. */
  const changed = (): void => {
    state.diagnostics?.invalidated();
    if (state.shutDown) return;
    const caps = state.clientCapabilities.workspace;
    const inlay = clientShowsInlayHints(state);
    if (inlay ? caps?.inlayHint?.refreshSupport !== true : caps?.codeLens?.refreshSupport !== true) return;
    const sent = inlay ? connection.languages.inlayHint.refresh() : connection.sendRequest('workspace/codeLens/refresh');
    sent.catch((e: unknown) => log(`cmts: refreshing ${inlay ? 'inlay hints' : 'code lens'}: ${String(e)}`));
  };

  /** A failed step's diagnostic: on its name, with the exit code and the log line. */
  const failureDiagnostic = (a: Attached, item: Item, s: StepAnnotation, lines: LineIndex, suffix = ''): Diagnostic | undefined => {
    if (!s.failure) return undefined;
    const d: Diagnostic = {
      range: toRange(lines, nameSpan(item)),
      severity: s.failure.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: LOG_SOURCE,
      message: s.failure.message + suffix,
    };
    if (s.failure.exitCode) d.code = s.failure.exitCode;
    const logPath = a.files.get(s.failure.at.file);
    if (logPath) {
      const line = s.failure.at.line - 1;
      d.relatedInformation = [{ location: { uri: pathToUri(logPath), range: { start: { line, character: 0 }, end: { line, character: 0 } } }, message: 'The log line' }];
    }
    return d;
  };

  const modelId = (m: TaskSequenceModel): number => {
    let id = modelIds.get(m);
    if (id === undefined) modelIds.set(m, (id = nextModelId++));
    return id;
  };

  /** The failures and the one notice of the log attached to this sequence. */
  const ownDiagnostics = (uri: string): { key: string; items: Diagnostic[] } | undefined => {
    const a = attached.get(keyOf(uri));
    if (!a) return undefined;
    const e = seqDoc(uri);
    if (!e) return undefined;
    const overlay = runFor(uri, e.model, e.resolve) ?? new Map<Item, StepAnnotation>();
    const items: Diagnostic[] = [];
    for (const [item, s] of overlay) {
      const d = failureDiagnostic(a, item, s, e.lines);
      if (d) items.push(d);
    }
    if (a.annotations.notice && e.model.sequence) {
      items.push({ range: toRange(e.lines, e.model.sequence.nameSpan), severity: DiagnosticSeverity.Information, source: LOG_SOURCE, message: a.annotations.notice });
    }
    return { key: `log${a.gen}m${modelId(e.model)}`, items };
  };

  /** Failures of a child sequence's steps, in the child's file, from the logs attached to the sequences that ran it. */
  const childDiagnostics = (uri: string): { key: string; items: Diagnostic[] } | undefined => {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const from = [...attached].filter(([, a]) => a.childFailures.has(path));
    if (from.length === 0) return undefined;
    const e = sequenceDoc(state, uri);
    if (!e) return undefined;
    const items: Diagnostic[] = [];
    for (const [parent, a] of from) {
      for (const [item, s] of overlayChildRun(a.childFailures.get(path)!, e.model)) {
        const d = failureDiagnostic(a, item, s, e.lines, ` It ran as part of ${basename(parent)}.`);
        if (d) items.push(d);
      }
    }
    return { key: `child${from.map(([, a]) => a.gen).join(',')}m${modelId(e.model)}`, items };
  };

  // With the file's own diagnostics (lsp/diagnostics.ts): a sequence's log, and failures in a child's file.
  state.diagnosticSources.push((uri) => {
    const parts = [ownDiagnostics(uri), childDiagnostics(uri)].filter((x) => x !== undefined);
    if (parts.length === 0) return undefined;
    return { key: parts.map((p) => p.key).join('+'), items: parts.flatMap((p) => p.items) };
  });

  connection.onRequest(ATTACH_LOG, (p: AttachLogParams, token) =>
    runSafe<AttachLogResult>(log, ATTACH_LOG, { attached: false, steps: 0, failures: 0, problems: [] }, async () => {
      const e = seqDoc(p.sequenceUri);
      if (!e?.model.sequence) return { attached: false, steps: 0, failures: 0, problems: ['The file is not a task sequence cmts can read, so no log can be laid on it.'] };
      const paths = p.logUris.map((u) => uriToPath(u)).filter((x): x is string => x !== undefined);
      const r = await readLogFiles(e.model, paths, { ...(e.resolve ? { resolve: e.resolve } : {}), cancelled: () => token.isCancellationRequested || state.shutDown });
      // Cancelled (or shut down) part way: a partial run is not kept.
      if (token.isCancellationRequested || state.shutDown) return { attached: false, steps: 0, failures: 0, problems: ['Reading the log was cancelled.'] };
      const problems = [
        ...r.unreadable.map((u) => `Cannot read ${u.path}: ${u.reason}`),
        ...r.run.problems.map((q) => `${q.file}${q.line ? `:${q.line}` : ''}: ${q.message}`),
      ];
      const fatal = new Set(r.run.problems.filter((q) => q.fatal).map((q) => q.file));
      if (paths.length === 0 || r.unreadable.length + fatal.size >= paths.length) return { attached: false, steps: 0, failures: 0, problems };
      const annotations = logAnnotations(r.run);
      const key = keyOf(e.uri);
      const childFailures = new Map<string, StepAnnotation[]>();
      for (const s of annotations.steps) if (s.path !== undefined && s.failure) childFailures.set(s.path, [...(childFailures.get(s.path) ?? []), s]);
      attached.set(key, { gen: ++gen, annotations, files: r.files, childFailures });
      changed();
      const overlay = runFor(e.uri, e.model, e.resolve) ?? new Map();
      const out: AttachLogResult = { attached: true, steps: overlay.size, failures: [...overlay.values()].filter((s) => s.failure).length, outcome: r.run.outcome, problems };
      if (annotations.notice) out.notice = annotations.notice;
      return out;
    }, token),
  );

  connection.onRequest(DETACH_LOG, (p: DetachLogParams, token) =>
    runSafe(log, DETACH_LOG, false, () => {
      const had = attached.delete(keyOf(p.sequenceUri));
      if (had) changed();
      return had;
    }, token),
  );

  return {
    documentLinks(uri) {
      const path = uriToPath(uri);
      if (!path) return [];
      const doc = state.docs.get(uri);
      const logLines = doc ? new LineIndex(doc.text) : undefined;
      const lengthOf = (line: number): number | undefined => {
        if (!doc || !logLines) return undefined;
        const start = logLines.offsetAt({ line, character: 0 });
        const nl = doc.text.indexOf('\n', start);
        return (nl < 0 ? doc.text.length : nl) - start - (doc.text[nl - 1] === '\r' ? 1 : 0);
      };
      const out: DocumentLink[] = [];
      for (const [seqKey, a] of attached) {
        const label = [...a.files].find(([, p]) => p === path)?.[0];
        if (label === undefined) continue;
        const seqUri = pathToUri(seqKey);
        const e = seqDoc(seqUri);
        // The run's items laid on the current text: an edited sequence links to where the step is now.
        const now = new Map<Item, Item>();
        if (e) for (const [item, s] of runFor(seqUri, e.model, e.resolve) ?? []) now.set(s.item, item);
        for (const l of a.annotations.links) {
          if (l.at.file !== label) continue;
          let target: string | undefined;
          if (l.path === undefined) {
            const item = now.get(l.item);
            if (e && item) target = lineTarget(seqUri, e.lines.positionAt(item.span.start));
          } else {
            const child = state.docs.getPath(l.path);
            if (child) target = lineTarget(child.uri, new LineIndex(child.text).positionAt(l.item.span.start));
          }
          if (!target) continue;
          const line = l.at.line - 1;
          const end = lengthOf(line);
          out.push({ range: { start: { line, character: 0 }, end: end !== undefined ? { line, character: end } : { line: line + 1, character: 0 } }, target, tooltip: `Go to step ${l.item.name}` });
        }
      }
      return out;
    },
  };
}

/** The `name` attribute's value, where people look for a step; the element name when it has none. */
function nameSpan(item: Item): { start: number; end: number } {
  return item.attrs.name?.span ?? item.nameSpan;
}

/** A file URI with VS Code's `#L<line>,<column>` fragment (1-based), which its document links follow. */
function lineTarget(uri: string, at: { line: number; character: number }): string {
  return `${uri}#L${at.line + 1},${at.character + 1}`;
}
