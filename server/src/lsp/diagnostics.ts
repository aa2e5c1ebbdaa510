// Diagnostics delivery. Pull (textDocument/diagnostic + workspace/diagnostic) when the client
// supports it: open documents are pulled by the client, every other file of the workspace comes
// with the workspace report, and a change elsewhere (site description, .cmts.json, a sequence on
// disk) ends in one workspace/diagnostic/refresh. Push otherwise: an edited document is re-checked
// after a short debounce; any other change re-checks every file and publishes what changed,
// closed files included.

import type { CancellationToken, Connection, Diagnostic, DocumentDiagnosticReport, WorkspaceDiagnosticReport, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver';
import type { FileReport, Workspace } from '../workspace/workspace';
import { LineIndex } from '../model/positions';
import { fullReport, toDiagnostic, unchangedReport, workspaceItem, type RelatedResolver } from './convert';
import { runSafe, type Log } from './runSafe';

export type DiagnosticMode = 'pull' | 'push';

/**
 * Diagnostics of a file from elsewhere than the checks (an attached smsts.log, issue 18), delivered
 * with the file's own; `key` changes whenever `items` do.
 */
export type DiagnosticSource = (uri: string) => { key: string; items: Diagnostic[] } | undefined;

interface Converted {
  key: string;
  items: Diagnostic[];
  hash: string;
  resultId: string;
}

/**
 * Milliseconds an edited document checked on the request thread (under 256 KB) waits before it is
 * checked (push and pull), so a burst of typing holds requests up once. The fuzzer sets
 * CMTS_EDIT_DEBOUNCE_MS=0: it sends one edit at a time and waits for each answer anyway.
 */
export const EDIT_DEBOUNCE_MS = debounceFromEnv(process.env.CMTS_EDIT_DEBOUNCE_MS, 150);
/**
 * The same for a document checked in the worker (issue 20): none, unless CMTS_EDIT_DEBOUNCE_MS
 * says otherwise. Requests are not held up by that check, a newer version drops the result of the
 * one running, and the worker re-reads only the edited step (model/incremental.ts).
 */
export const WORKER_EDIT_DEBOUNCE_MS = debounceFromEnv(process.env.CMTS_EDIT_DEBOUNCE_MS, 0);

function debounceFromEnv(value: string | undefined, fallback: number): number {
  const n = value === undefined || value.trim() === '' ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 10_000 ? n : fallback;
}
/** Milliseconds between an invalidation and the refresh, so a burst of file events makes one. */
export const REFRESH_DEBOUNCE_MS = 100;
/** A loop over many files gives the event loop back after this many milliseconds, so requests get in. */
export const SLICE_MS = 20;

/** Returns a function that yields to the event loop once `SLICE_MS` have passed since the last yield. */
function timeSlicer(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

export class DiagnosticsManager {
  private readonly converted = new Map<string, Converted>();
  private readonly published = new Map<string, string>();
  private readonly editTimers = new Map<string, NodeJS.Timeout>();
  /** When each open document last changed (pull requests are debounced like pushes). */
  private readonly changedAt = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private nextResultId = 1;
  /** Resolves when the pending refresh has been sent (tests and shutdown wait on it). */
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    private readonly ws: Workspace,
    readonly mode: DiagnosticMode,
    private readonly refreshSupported: boolean,
    private readonly log: Log,
    /** Read at each report, so sources added after construction count (the server's list). */
    private readonly sources: readonly DiagnosticSource[] = [],
  ) {}

  /** The diagnostics of one file (cached by its report key), with a result id that changes only when they do. */
  private diagnosticsFor(uri: string): { report: FileReport | undefined; conv: Converted } {
    const report = this.ws.report(uri);
    const extra = report ? this.sources.map((s) => s(report.uri)).filter((x) => x !== undefined) : [];
    const key = (report ? report.key : 'none') + extra.map((x) => `|${x.key}`).join('');
    const hit = this.converted.get(uri);
    if (hit && hit.key === key) return { report, conv: hit };
    const items = report ? [...report.findings.map((f) => toDiagnostic(f, report.lines, report.uri, this.resolver)), ...extra.flatMap((x) => x.items)] : [];
    const hash = JSON.stringify(items);
    const resultId = hit && hit.hash === hash ? hit.resultId : `r${this.nextResultId++}`;
    const conv = { key, items, hash, resultId };
    this.converted.set(uri, conv);
    return { report, conv };
  }

  private readonly resolver: RelatedResolver = (file) => {
    const doc = this.ws.docs.getPath(file);
    return doc ? { uri: doc.uri, lines: new LineIndex(doc.text) } : undefined;
  };

  // ---- pull ----------------------------------------------------------------------------------

  /**
   * A document's report. Right after an edit it waits out the debounce first: a client pulls on
   * every keystroke and cancels the pull before, so a burst of typing costs one check, and
   * requests such as hover are answered meanwhile. Undefined when cancelled while waiting.
   */
  async document(uri: string, previousResultId: string | undefined, token?: CancellationToken): Promise<DocumentDiagnosticReport | undefined> {
    const wait = this.debounceFor(uri) - (Date.now() - (this.changedAt.get(uri) ?? 0));
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (token?.isCancellationRequested) return undefined;
    }
    await this.ws.prepare(uri);
    if (token?.isCancellationRequested) return undefined;
    const { conv } = this.diagnosticsFor(uri);
    return previousResultId === conv.resultId ? unchangedReport(conv.resultId) : fullReport(conv.items, conv.resultId);
  }

  /** Every file's report, giving the event loop back between files so that requests are not held up. */
  async workspace(previous: { uri: string; value: string }[], token?: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    const prev = new Map(previous.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const seen = new Set<string>();
    const slice = timeSlicer();
    for (const uri of this.ws.allUris()) {
      await slice();
      if (token?.isCancellationRequested) return { items: [] };
      seen.add(uri);
      await this.ws.prepare(uri);
      const { report, conv } = this.diagnosticsFor(uri);
      const r = prev.get(uri) === conv.resultId ? unchangedReport(conv.resultId) : fullReport(conv.items, conv.resultId);
      items.push(workspaceItem(uri, report?.version ?? null, r));
    }
    // Files the client still has results for but that are gone or no longer checked: clear them.
    for (const [uri, value] of prev) {
      if (seen.has(uri) || this.ws.docs.isOpen(uri)) continue;
      if (this.ws.report(uri)) continue;
      const cleared = this.diagnosticsFor(uri).conv;
      if (value !== cleared.resultId) items.push(workspaceItem(uri, null, fullReport([], cleared.resultId)));
    }
    return { items };
  }

  // ---- push and refresh ----------------------------------------------------------------------

  private debounceFor(uri: string): number {
    return this.ws.checkedInWorker(uri) ? WORKER_EDIT_DEBOUNCE_MS : EDIT_DEBOUNCE_MS;
  }

  /** An open document changed: push its diagnostics after the debounce (pull clients ask themselves). */
  documentChanged(uri: string): void {
    this.changedAt.set(uri, Date.now());
    if (this.mode === 'pull') return;
    clearTimeout(this.editTimers.get(uri));
    this.editTimers.set(uri, setTimeout(() => {
      this.editTimers.delete(uri);
      void runSafe(this.log, 'publishing diagnostics', undefined, () => this.publish(uri));
    }, this.debounceFor(uri)));
  }

  /**
   * A document was opened or closed: report it now (push), even when nothing changed, since some
   * clients (eglot) drop what they were sent for a file before they opened it.
   */
  documentOpenedOrClosed(uri: string): void {
    if (this.mode === 'pull') return;
    clearTimeout(this.editTimers.get(uri));
    void runSafe(this.log, 'publishing diagnostics', undefined, () => this.publish(uri, true));
  }

  /** Something other files depend on changed: one refresh after a short debounce. */
  invalidated(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshing = runSafe(this.log, 'refreshing diagnostics', undefined, () => this.refreshNow());
    }, REFRESH_DEBOUNCE_MS);
  }

  /** Sends the refresh (pull) or re-publishes every file (push). */
  async refreshNow(): Promise<void> {
    if (this.mode === 'pull') {
      if (this.refreshSupported) await this.connection.languages.diagnostics.refresh();
      return;
    }
    const uris = new Set([...this.ws.allUris(), ...this.published.keys()]);
    const slice = timeSlicer();
    for (const uri of uris) {
      await slice();
      await this.publish(uri);
    }
  }

  private async publish(uri: string, force = false): Promise<void> {
    // A large sequence is checked in the worker meanwhile; requests are answered.
    await this.ws.prepare(uri);
    const { report, conv } = this.diagnosticsFor(uri);
    const target = report?.uri ?? uri;
    if (!force && this.published.get(target) === conv.hash) return;
    if (!report && !this.published.has(target)) return;
    this.published.set(target, conv.hash);
    if (!report) this.published.delete(target);
    await this.connection.sendDiagnostics({ uri: target, diagnostics: conv.items, ...(report?.version != null ? { version: report.version } : {}) });
  }

  /** A closed file: its converted diagnostics go (a large file's are megabytes). */
  forget(uri: string): void {
    this.converted.delete(uri);
    this.changedAt.delete(uri);
  }

  /** Waits for a pending refresh (used by shutdown). */
  async settled(): Promise<void> {
    await this.refreshing;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const t of this.editTimers.values()) clearTimeout(t);
  }
}
