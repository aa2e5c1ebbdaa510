// The server's view of the workspace: the task sequences, site descriptions and .cmts.json
// files in each workspace folder (scanned once, kept current by file events), and each file's
// check result, cached by everything it depends on (its text's key, the keys of the site and
// config that apply, and a generation bumped when any task sequence changes on disk, since a
// child sequence can change its parent's result). Plain data out: lsp/ turns it into LSP.

import { basename, dirname, sep } from 'node:path';
import { MAX_CHECK_CHARS } from '../analysis';
import { reparse } from '../model/incremental';
import { LineIndex } from '../model/positions';
import { sniffTaskSequence } from '../model/sniff';
import type { TaskSequenceModel } from '../model/types';
import type { Finding } from '../model/findings';
import { CONFIG_FILE, SITE_FILE, type Project, type ProjectContext } from '../project';
import { DocumentStore, pathToUri, uriToPath, type DocText } from './documents';
import { findWorkspaceFiles, isTaskSequenceFile, type WorkspaceFiles } from './files';
import { ModelCache } from './models';
import type { CheckWorkerPool } from './checkWorker';

export type FileKind = 'taskSequence' | 'site' | 'config';

export interface FileReport {
  uri: string;
  kind: FileKind;
  /** Editor version when open, null when read from disk. */
  version: number | null;
  text: string;
  lines: LineIndex;
  findings: Finding[];
  /** Task sequences only. */
  model?: TaskSequenceModel;
  context?: ProjectContext;
  /** Changes whenever the findings may have. */
  key: string;
  /** The file's bytes were not valid in their encoding (reported among the findings). */
  invalid?: string;
}

/** Findings of a file checked in the worker that the editor gets (the rest are counted in one note). */
export const MAX_EDITOR_FINDINGS = 5000;

export type FileEvent = 'created' | 'changed' | 'deleted';

export interface WorkspaceOptions {
  /** The editor validates open configmgr-site.json / .cmts.json against the schemas itself. */
  editorValidatesJson: boolean;
  log?: (message: string) => void;
  /** The parse cache shared with the editor features (one parse per text); a private one when absent. */
  models?: ModelCache;
  /** Checks large task sequences in a worker (the server's); everything is checked in place when absent. */
  checks?: CheckWorkerPool;
}

export class Workspace {
  private folders: string[] = [];
  private readonly files = new Map<string, WorkspaceFiles>();
  private readonly reports = new Map<string, FileReport>();
  private tsGen = 0;
  private readonly models: ModelCache;

  constructor(
    readonly docs: DocumentStore,
    readonly project: Project,
    private readonly options: WorkspaceOptions,
  ) {
    this.models = options.models ?? new ModelCache();
  }

  /** Sets the workspace folders (paths) and scans those not scanned yet. */
  async setFolders(paths: string[]): Promise<void> {
    this.folders = [...new Set(paths)];
    for (const f of [...this.files.keys()]) if (!this.folders.includes(f)) this.files.delete(f);
    for (const f of this.folders) {
      if (this.files.has(f)) continue;
      const found = await findWorkspaceFiles(f);
      if (found.truncated) this.options.log?.(`cmts: ${f} is very large; only part of it was searched for task sequences.`);
      // The folder list may have changed while this one was scanned.
      if (this.folders.includes(f)) this.files.set(f, found);
    }
    this.sequencesChanged();
    this.listed = undefined;
    this.project.dropDiscovery();
  }

  getFolders(): readonly string[] {
    return this.folders;
  }

  /** The workspace folder holding `path` (the innermost, when folders nest). */
  rootFor(path: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      if ((path === f || path.startsWith(f.endsWith(sep) ? f : f + sep)) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  /** Whether the server checks this file, and as what. */
  kindOf(uri: string, doc: DocText | undefined = this.docs.get(uri)): FileKind | undefined {
    const path = uriToPath(uri);
    const name = path ? basename(path) : '';
    if (name === SITE_FILE || (path && this.project.knownSites.has(path))) return 'site';
    if (name === CONFIG_FILE) return 'config';
    if (!doc) return undefined;
    if (doc.languageId === 'tasksequence') return 'taskSequence';
    if (path && this.isListed(path)) return 'taskSequence';
    return sniffTaskSequence(doc.text) ? 'taskSequence' : undefined;
  }

  private listed: Set<string> | undefined;

  /** In the scanned list of task sequences (a set rebuilt after the lists change). */
  private isListed(path: string): boolean {
    if (!this.listed) {
      this.listed = new Set();
      for (const f of this.files.values()) for (const p of f.taskSequences) this.listed.add(p);
    }
    return this.listed.has(path);
  }

  /** Every file with diagnostics to report: workspace task sequences (open or not), site and config files, open task sequences. */
  allUris(): string[] {
    const out = new Set<string>();
    for (const f of this.files.values()) {
      for (const p of [...f.taskSequences, ...f.siteFiles, ...f.configFiles]) out.add(this.docs.canonical(pathToUri(p)));
    }
    for (const p of this.project.knownSites) out.add(this.docs.canonical(pathToUri(p)));
    for (const uri of this.docs.openUris()) if (this.kindOf(uri)) out.add(uri);
    return [...out];
  }

  /** The task sequence files under a folder, as the scan knows them. */
  taskSequencesUnder(dir: string): string[] {
    const out: string[] = [];
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const f of this.files.values()) for (const p of f.taskSequences) if (p.startsWith(prefix)) out.push(p);
    return out.sort();
  }

  /** The check result for a file; undefined when the server does not check it or cannot read it. */
  report(uri: string): FileReport | undefined {
    uri = this.docs.canonical(uri);
    const doc = this.docs.get(uri);
    if (!doc) {
      this.reports.delete(uri);
      return undefined;
    }
    const kind = this.kindOf(uri, doc);
    if (!kind) return undefined;
    // A text for the worker is never checked here (that would hold every request up): until
    // prepare() has its report, the last one stands.
    if (kind === 'taskSequence' && this.inWorker(doc.text)) {
      const hit = this.reports.get(uri);
      return hit?.kind === kind ? hit : undefined;
    }
    const path = doc.path;
    const root = path ? this.rootFor(path) : undefined;
    const context = kind === 'taskSequence' && path ? this.project.contextFor(path, root) : undefined;
    const editorValidated = this.options.editorValidatesJson && doc.version !== null && (kind === 'config' || (path !== undefined && basename(path) === SITE_FILE));
    // A site description's own findings depend on the sequences checked against it.
    const users = kind === 'site' && path ? this.sequencesUsing(path) : [];
    const key = kind === 'taskSequence'
      ? this.sequenceKey(doc, context)
      : `${doc.key}|${editorValidated}|${path ? this.project.contextFor(path, root).key : ''}|${users.map((u) => u.key).join(',')}`;
    const hit = this.reports.get(uri);
    if (hit && hit.key === key && hit.kind === kind) return hit;
    // Opening a file the workspace scan checked from disk (or an undo back to a checked text):
    // the same text in the same context has the same findings, so they are not computed again.
    if (kind === 'taskSequence' && hit?.kind === kind && hit.text === doc.text && hit.key.slice(hit.key.indexOf('|')) === key.slice(key.indexOf('|')) && hit.invalid === doc.invalid) {
      const reused: FileReport = { ...hit, key, version: doc.version };
      this.reports.set(uri, reused);
      return reused;
    }

    let lines: LineIndex;
    let findings: Finding[];
    let model: TaskSequenceModel | undefined;
    if (kind === 'taskSequence') {
      // The same parse the editor features use: one per text.
      const parsed = doc.text.length > MAX_CHECK_CHARS ? undefined : this.models.get(doc);
      lines = parsed?.lines ?? new LineIndex(doc.text);
      const r = this.project.checkSequence(doc.text, path, context, parsed ? { parsed } : {});
      model = r.model;
      findings = r.findings;
      if (doc.invalid) {
        // At the first bad byte (issue 9), as the CLI reports it.
        const at = Math.min(doc.invalidAt ?? 0, doc.text.length);
        findings = [{ rule: 'xml-syntax', severity: 'error', message: doc.invalid, span: { start: at, end: Math.min(doc.text.length, at + 1) } }, ...findings];
      }
    } else {
      lines = new LineIndex(doc.text);
      findings = this.jsonFindings(kind, path, root, editorValidated, users);
    }
    const report: FileReport = { uri, kind, version: doc.version, text: doc.text, lines, findings, key, ...(model ? { model } : {}), ...(context ? { context } : {}), ...(doc.invalid ? { invalid: doc.invalid } : {}) };
    this.reports.set(uri, report);
    return report;
  }

  private inWorker(text: string): boolean {
    const c = this.options.checks;
    return c !== undefined && text.length >= c.options.minChars && text.length <= MAX_CHECK_CHARS;
  }

  private contextOf(doc: DocText): ProjectContext | undefined {
    return doc.path ? this.project.contextFor(doc.path, this.rootFor(doc.path)) : undefined;
  }

  private sequenceKey(doc: DocText, context: ProjectContext | undefined): string {
    return `${doc.key}|${context?.key ?? ''}|t${this.tsGen}`;
  }

  /**
   * Makes `report(uri)` current without holding the event loop: a task sequence large enough for
   * the worker is checked there (again, when it changed meanwhile); anything else is left to report().
   */
  async prepare(uri: string): Promise<void> {
    const pool = this.options.checks;
    if (!pool) return;
    uri = this.docs.canonical(uri);
    for (let round = 0; round < 3; round++) {
      const doc = this.docs.get(uri);
      if (!doc || !this.inWorker(doc.text) || this.kindOf(uri, doc) !== 'taskSequence') return;
      const context = this.contextOf(doc);
      const key = this.sequenceKey(doc, context);
      const hit = this.reports.get(uri);
      if (hit?.kind === 'taskSequence' && hit.key === key) return;
      const open = this.openFilesFor(context);
      const root = doc.path ? this.rootFor(doc.path) : undefined;
      const outcome = await pool.run(uri, { text: doc.text, path: doc.path, root, open, generation: this.workerGeneration(context), maxFindings: MAX_EDITOR_FINDINGS });
      if (outcome.status === 'cancelled') continue;
      let findings: Finding[];
      if (outcome.status === 'done') findings = outcome.findings;
      else {
        const why = outcome.status === 'stopped'
          ? `cmts stopped checking this file after ${Math.round(outcome.afterMs / 1000)} s (its time budget), so its other problems are not shown; the other files are checked as usual.`
          : `cmts could not check this file (${outcome.message}); please report it.`;
        findings = [{ rule: 'sequence-size', severity: 'warning', message: why, span: { start: 0, end: Math.min(1, doc.text.length) } }];
      }
      const total = outcome.status === 'done' ? outcome.total : findings.length;
      if (total > findings.length) {
        // Copying, converting, hashing and sending 200,000 diagnostics holds the main thread for
        // seconds (issue 21); an editor shows the first ones, and the CLI reports them all.
        const more = total - findings.length;
        findings.push({ rule: 'sequence-size', severity: 'info', message: `${more} more findings in this file are not shown in the editor; \`cmts check\` lists them all.`, span: { start: 0, end: Math.min(1, doc.text.length) } });
      }
      if (doc.invalid) {
        const at = Math.min(doc.invalidAt ?? 0, doc.text.length);
        findings = [{ rule: 'xml-syntax', severity: 'error', message: doc.invalid, span: { start: at, end: Math.min(doc.text.length, at + 1) } }, ...findings];
      }
      const models = this.models;
      const report: FileReport = {
        uri, kind: 'taskSequence', version: doc.version, text: doc.text, lines: this.docs.linesOf(doc), findings, key,
        ...(context ? { context } : {}), ...(doc.invalid ? { invalid: doc.invalid } : {}),
        // The model is parsed here only when a feature asks for it (a fix, the site checks), once per text.
        get model(): TaskSequenceModel {
          return models.get(doc).model;
        },
      };
      // Kept only while it is still this text's (a newer version waits for its own check).
      const now = this.docs.get(uri);
      if (now && now.key === doc.key) this.reports.set(uri, report);
    }
  }

  /** The files a check in the worker reads as the editor has them: the site description and .cmts.json that apply. */
  openFilesFor(context: ProjectContext | undefined): Record<string, { text: string; key: string }> {
    const open: Record<string, { text: string; key: string }> = {};
    for (const p of [context?.sitePath, context?.configPath]) {
      const d = p ? this.docs.getPath(p) : undefined;
      if (p && d) open[p] = { text: d.text, key: d.key };
    }
    return open;
  }

  /** What the worker's view of the files around a sequence depends on (checkWorker.ts, CheckJob.generation). */
  workerGeneration(context: ProjectContext | undefined): string {
    return `${context?.key ?? ''}|t${this.tsGen}`;
  }

  /**
   * A newer version or a close of `uri`: its check in the worker is no longer wanted, unless it is
   * of the text the document has now (the content event that follows an opening: the opening's
   * check was cancelled and run a second time, issue 20).
   */
  cancelCheck(uri: string, closed = false): void {
    uri = this.docs.canonical(uri);
    this.options.checks?.cancel(uri, closed, closed ? undefined : this.docs.get(uri)?.text);
  }

  /** Whether edits of `uri` are checked in the worker (off the thread that answers requests). */
  checkedInWorker(uri: string): boolean {
    const doc = this.docs.get(this.docs.canonical(uri));
    return doc !== undefined && this.inWorker(doc.text);
  }

  /** Forgets a closed file's report (its memory goes; a workspace file is checked from disk again). */
  forget(uri: string): void {
    this.reports.delete(this.docs.canonical(uri));
  }

  /** Another text of a checked task sequence, analysed as its report was (fix-all re-checks its own edits). */
  recheck(report: FileReport, text: string): { model: TaskSequenceModel; findings: Finding[] } {
    // A fix changes a step or two: the fixed text is parsed from the report's parse when it can be
    // (model/incremental.ts; a 2 MB fix judged on the request thread took a whole parse, issue 20).
    const base = report.text.length <= MAX_CHECK_CHARS ? this.models.peek(report.uri, report.text) : undefined;
    const parsed = base ? reparse(report.text, base, text) : undefined;
    return this.project.checkSequence(text, uriToPath(report.uri), report.context, parsed ? { parsed } : {});
  }

  /** The task sequences (workspace and open ones) checked against the usable site description at `sitePath`. */
  private sequencesUsing(sitePath: string): FileReport[] {
    const out: FileReport[] = [];
    const uris = new Set<string>();
    for (const f of this.files.values()) for (const p of f.taskSequences) uris.add(this.docs.canonical(pathToUri(p)));
    for (const uri of this.docs.openUris()) uris.add(uri);
    for (const uri of uris) {
      const p = uriToPath(uri);
      if (!p || this.kindOf(uri) !== 'taskSequence' || this.project.contextFor(p, this.rootFor(p)).sitePath !== sitePath) continue;
      const r = this.report(uri);
      if (r?.kind === 'taskSequence' && r.model?.sequence && r.context?.site) out.push(r);
    }
    return out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  }

  private jsonFindings(kind: 'site' | 'config', path: string | undefined, root: string | undefined, editorValidated: boolean, users: FileReport[]): Finding[] {
    if (!path) return [];
    if (kind === 'config') return this.project.checkConfigFile(path, root, { editorValidates: editorValidated });
    const sequences = users.map((u) => ({ path: uriToPath(u.uri) ?? u.uri, model: u.model!, text: u.text }));
    return this.project.checkSiteFile(path, root, sequences, { editorValidates: editorValidated });
  }

  /**
   * A file was created, changed or deleted on disk (or saved, or closed, in clients without file
   * watchers). Returns true when it may change some diagnostics.
   */
  fileEvent(uri: string, event: FileEvent): boolean {
    const path = uriToPath(uri);
    if (!path) return false;
    this.docs.dropDisk(uri);
    this.listed = undefined;
    const name = basename(path);
    const folder = this.rootFor(path);
    const files = folder ? this.files.get(folder) : undefined;
    if (name === SITE_FILE || name === CONFIG_FILE || this.project.knownSites.has(path)) {
      if (files && event !== 'changed') {
        const list = name === SITE_FILE ? files.siteFiles : name === CONFIG_FILE ? files.configFiles : undefined;
        if (list) setMember(list, path, event === 'created');
      }
      if (event === 'deleted') this.project.knownSites.delete(path);
      this.project.dropDiscovery();
      return true;
    }
    if (!name.toLowerCase().endsWith('.xml')) {
      // A folder deleted or renamed: forget what was under it.
      if (event === 'deleted' && files) {
        const prefix = path + sep;
        for (const list of [files.taskSequences, files.siteFiles, files.configFiles]) {
          for (let i = list.length - 1; i >= 0; i--) if (list[i].startsWith(prefix)) list.splice(i, 1);
        }
        this.project.dropDiscovery();
        this.sequencesChanged();
        return true;
      }
      return false;
    }
    if (files) setMember(files.taskSequences, path, event !== 'deleted' && isTaskSequenceFile(path));
    this.sequencesChanged();
    return true;
  }

  /** A task sequence (or a folder of them) changed on disk: every report and child resolver may be stale. */
  private sequencesChanged(): void {
    this.tsGen++;
    this.project.sequencesChanged();
  }

  /** The folder a new site description for `uri` would go in: its workspace folder, else its own folder. */
  folderFor(uri: string): string | undefined {
    const path = uriToPath(uri);
    if (!path) return this.folders[0];
    return this.rootFor(path) ?? dirname(path);
  }
}

function setMember(list: string[], item: string, present: boolean): void {
  const i = list.indexOf(item);
  if (present && i < 0) {
    list.push(item);
    list.sort();
  } else if (!present && i >= 0) list.splice(i, 1);
}
