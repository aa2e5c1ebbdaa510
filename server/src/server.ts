// The language server: LSP wiring only. `startServer(connection, runtime)` registers a handler for
// each request; every handler fetches (the document's cached report from workspace/, or its
// parsed model), calls the core (features/, through the project façade) and converts
// (lsp/convert.ts), behind one error boundary (lsp/runSafe.ts). All state lives in one object.
// The process entry (serverMain.ts) makes the connection; tests pass a pair of streams.

import { dirname, relative, sep } from 'node:path';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type DocumentSymbol,
  type ClientCapabilities,
  type Connection,
  type SymbolInformation,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_CHECK_CHARS } from './analysis';
import { catalog } from './catalog';
import { hoverAt } from './features/hover';
import { foldingRanges } from './features/folding';
import { outline } from './features/symbols';
import { FIX_ALL_KIND, toFoldingRanges, toHover, toSymbolInformation } from './lsp/convert';
import { OutlineJson } from './lsp/symbolJson';
import { rawJson } from './lsp/rawJson';
import { DiagnosticsManager, type DiagnosticSource } from './lsp/diagnostics';
import { registerSmstsLog } from './lsp/handlers/smstsLog';
import { register as registerCodeActions } from './lsp/handlers/codeActions';
import type { HandlerState } from './lsp/handlers/context';
import {
  SITE_FOR, SITE_INIT, SITES_CHANGED, TEST_MEMORY, TEST_THROW,
  type InitializationOptions, type TestMemoryResult, type SiteForParams, type SiteForResult, type SiteInitParams, type SiteInitResult,
} from './lsp/protocol';
import { runSafe, runSafeNotification } from './lsp/runSafe';
import { register as registerDiffDoc } from './lsp/handlers/diffDoc';
import { parseTaskSequence } from './model/parse';
import { contentReferences } from './model/query';
import { flowOf } from './semantics/flow';
import type { TaskSequenceModel } from './model/types';
import { initSite } from './site/init';
import { DocumentStore, pathToUri, uriToPath } from './workspace/documents';
import { findTaskSequences } from './workspace/files';
import { Project, type ProjectContext } from './project';
import { nodeHost } from './workspace/host';
import { registerSiteImport } from './lsp/handlers/siteImport';
import { Workspace, type FileEvent } from './workspace/workspace';
import { resolve as resolvePath } from 'node:path';
import type { Location, Position } from 'vscode-languageserver/node';
import { completionsAt } from './features/completion';
import { resumeAt } from './features/xmlContext';
import { contentIdAt, definitionAt, documentLinks, referencesIn, siteIdAt, siteReferences } from './features/navigation';
import { toCompletionItem, toDocumentLink, toLocation, type CompletionSupport } from './lsp/convert';
import { LineIndex } from './model/positions';
import type { LoadedSite } from './site/types';
import { ModelCache, type ModelView } from './workspace/models';
import * as formatHandlers from './lsp/handlers/format';
import * as renameHandlers from './lsp/handlers/rename';
import * as highlightHandlers from './lsp/handlers/highlight';
import * as semanticTokenHandlers from './lsp/handlers/semanticTokens';
import * as workspaceSymbolHandlers from './lsp/handlers/workspaceSymbols';
import * as sequenceCallHandlers from './lsp/handlers/sequenceCalls';
import * as inlayHintHandlers from './lsp/handlers/inlayHints';
import { CheckWorkerPool } from './workspace/checkWorker';


/** What differs between the process and an in-process test. */
export interface ServerRuntime {
  version: string;
  /** Test-only requests (an injected failure, the live heap). */
  testHooks?: boolean;
  /** Check large task sequences in a worker running this script (the process passes its own bundle); in place when absent. */
  checkWorker?: { file: string; execArgv?: string[]; minChars?: number; budgetMs?: number };
}

/** Texts from this size are checked in the worker (a check of a smaller one is over in a few milliseconds). */
export const WORKER_MIN_CHARS = 256 * 1024;
/** A file's check is stopped after this long, and the file gets one diagnostic saying so. */
export const CHECK_BUDGET_MS = 60_000;

/** Everything the server holds between requests. */
export interface ServerState {
  docs: DocumentStore;
  project: Project;
  /** One parse per text, shared by the checks and the editor features (issue 8). */
  models: ModelCache;
  ws: Workspace;
  diagnostics: DiagnosticsManager | undefined;
  folders: string[];
  watchFiles: boolean;
  /** Formatting is registered for this selector after initialized, instead of announced (protocol.ts). */
  formattingSelector: InitializationOptions['formattingSelector'];
  hierarchicalSymbols: boolean;
  folderEvents: boolean;
  /** The client applies workspace edits that create files (the "Disable … in .cmts.json" fix may create one). */
  canCreateFiles: boolean;
  completionSupport: CompletionSupport;
  statusTimer: NodeJS.Timeout | undefined;
  /** Diagnostics besides the checks' (an attached smsts.log), merged into each file's. */
  diagnosticSources: DiagnosticSource[];
  /** What the client said it supports in `initialize` (handlers read it: inlay hints or code lens, refresh). */
  clientCapabilities: ClientCapabilities;
  /** The run of an attached smsts.log laid on a sequence's current model (lsp/handlers/smstsLog.ts sets it). */
  stepRun?: HandlerState['stepRun'];
  /** After `shutdown` nothing new is started (work in flight ends quietly). */
  shutDown: boolean;
  /** The worker large task sequences are checked in, when the runtime gives one. */
  checks: CheckWorkerPool | undefined;
}

/** Serves LSP on `connection` until it closes; returns the state (tests look at it). */
export function startServer(connection: Connection, runtime: ServerRuntime): ServerState {
  const documents = new TextDocuments(TextDocument);
  // After shutdown the connection may be gone: work still in flight logs nothing.
  const log = (message: string): void => {
    if (!state.shutDown) connection.console.log(message);
  };
  const docs = new DocumentStore(documents);
  const project = new Project(nodeHost((path) => docs.getPath(path)));
  const models = new ModelCache((uri) => docs.get(uri), (uri, text, parsed, ready) => warmSoon(uri, text, parsed, ready), (doc) => docs.linesOf(doc), (uri) => checks?.pending(uri) === true);
  const w = runtime.checkWorker;
  const checks = w ? new CheckWorkerPool({ file: w.file, execArgv: w.execArgv, minChars: w.minChars ?? WORKER_MIN_CHARS, budgetMs: w.budgetMs ?? CHECK_BUDGET_MS }) : undefined;
  const state: ServerState = {
    docs,
    project,
    models,
    ws: new Workspace(docs, project, { editorValidatesJson: false, log, models, checks }),
    diagnostics: undefined,
    folders: [],
    watchFiles: false,
    formattingSelector: undefined,
    hierarchicalSymbols: true,
    folderEvents: false,
    canCreateFiles: false,
    completionSupport: { snippets: false, labelDetails: false },
    statusTimer: undefined,
    diagnosticSources: [],
    clientCapabilities: {},
    shutDown: false,
    checks,
  };

  // The editing features (issue 19), each in its own module: it registers its handlers and says what it provides.
  const editing = {
    ...formatHandlers.register(connection, state, log),
    ...renameHandlers.register(connection, state, log),
    ...highlightHandlers.register(connection, state, log),
    ...semanticTokenHandlers.register(connection, state, log),
    ...workspaceSymbolHandlers.register(connection, state, log),
    ...sequenceCallHandlers.register(connection, state, log),
    ...inlayHintHandlers.register(connection, state, log),
  };
  // smsts.log attached to a sequence (issue 18): its diagnostics, its run in the step labels, its links.
  const smstsLog = registerSmstsLog(connection, state, log);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    state.clientCapabilities = caps;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    const pull = caps.textDocument?.diagnostic !== undefined;
    state.ws = new Workspace(docs, project, { editorValidatesJson: init.jsonSchemaValidation === true, log, models, checks });
    state.diagnostics = new DiagnosticsManager(connection, state.ws, pull ? 'pull' : 'push', caps.workspace?.diagnostics?.refreshSupport === true, log, state.diagnosticSources);
    state.watchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    state.hierarchicalSymbols = caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true;
    state.folderEvents = caps.workspace?.workspaceFolders === true;
    state.canCreateFiles = caps.workspace?.workspaceEdit?.documentChanges === true && (caps.workspace.workspaceEdit.resourceOperations ?? []).includes('create');
    const item = caps.textDocument?.completion?.completionItem;
    state.completionSupport = { snippets: item?.snippetSupport === true, labelDetails: item?.labelDetailsSupport === true };
    // Formatting for a narrower selector than the client's, registered once initialized (protocol.ts).
    state.formattingSelector = init.formattingSelector?.length && caps.textDocument?.formatting?.dynamicRegistration === true
      && caps.textDocument.rangeFormatting?.dynamicRegistration === true ? init.formattingSelector : undefined;
    const announced = state.formattingSelector ? { ...editing, documentFormattingProvider: false, documentRangeFormattingProvider: false } : editing;
    const fromFolders = params.workspaceFolders?.map((f) => uriToPath(f.uri));
    const fromRoot = params.rootUri ? [uriToPath(params.rootUri)] : params.rootPath ? [params.rootPath] : [];
    state.folders = (fromFolders ?? fromRoot).filter((p): p is string => typeof p === 'string');
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', "'", '<', '%'] },
        definitionProvider: true,
        referencesProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeActionProvider: caps.textDocument?.codeAction?.codeActionLiteralSupport ? { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] } : true,
        ...(pull ? { diagnosticProvider: { identifier: 'cmts', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...announced,
      },
      serverInfo: { name: 'cmts', version: runtime.version },
    };
  });

  connection.onInitialized(() => {
    runSafeNotification(log, 'initialized', async () => {
      log(`cmts ${runtime.version}: ${state.diagnostics?.mode} state.diagnostics, workspace folders: ${state.folders.join(', ') || '(none)'}`);
      if (state.watchFiles) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.xml' }, { globPattern: '**/configmgr-site.json' }, { globPattern: '**/.cmts.json' }],
        });
      }
      if (state.formattingSelector) {
        const documentSelector = state.formattingSelector;
        await connection.client.register(DocumentFormattingRequest.type, { documentSelector });
        await connection.client.register(DocumentRangeFormattingRequest.type, { documentSelector });
      }
      if (state.folderEvents) {
        connection.workspace.onDidChangeWorkspaceFolders((e) => {
          runSafeNotification(log, 'workspace folders', async () => {
            const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
            state.folders = [...state.folders.filter((f) => !removed.has(f)), ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)];
            await state.ws.setFolders(state.folders);
            changed();
          });
        });
      }
      await state.ws.setFolders(state.folders);
      changed();
    });
  });

  /** Something other files depend on changed: one refresh, and (once per burst) the client's status asks again. */
  function changed(): void {
    if (state.shutDown) return;
    state.diagnostics?.invalidated();
    clearTimeout(state.statusTimer);
    state.statusTimer = setTimeout(() => {
      connection.sendNotification(SITES_CHANGED).catch((e: unknown) => log(`cmts: ${SITES_CHANGED}: ${String(e)}`));
    }, 200);
  }

  // ---- documents and files -----------------------------------------------------------------------

  documents.onDidOpen((e) => {
    runSafeNotification(log, 'didOpen', () => {
      const kind = state.ws.kindOf(e.document.uri);
      if (kind === 'site' || kind === 'config') changed();
      else if (kind === 'taskSequence') {
        state.diagnostics?.documentOpenedOrClosed(e.document.uri);
        state.models.opened(e.document.uri);
      }
    });
  });

  documents.onDidChangeContent((e) => {
    runSafeNotification(log, 'didChange', () => {
      const kind = state.ws.kindOf(e.document.uri);
      if (kind === 'site' || kind === 'config') changed();
      else if (kind === 'taskSequence') {
        state.ws.cancelCheck(e.document.uri);
        state.models.changed(e.document.uri);
        state.diagnostics?.documentChanged(e.document.uri);
      }
    });
  });

  documents.onDidClose((e) => {
    runSafeNotification(log, 'didClose', () => {
      state.docs.dropDisk(e.document.uri);
      state.models.drop(e.document.uri);
      state.ws.cancelCheck(e.document.uri, true);
      state.ws.forget(e.document.uri);
      state.diagnostics?.forget(e.document.uri);
      const kind = state.ws.kindOf(e.document.uri);
      if (kind === 'site' || kind === 'config') changed();
      else if (kind === 'taskSequence') state.diagnostics?.documentOpenedOrClosed(e.document.uri);
    });
  });

  // A save is a file event too, for clients that watch no files for us.
  documents.onDidSave((e) => {
    runSafeNotification(log, 'didSave', () => {
      if (state.ws.fileEvent(e.document.uri, 'changed')) changed();
    });
  });

  connection.onDidChangeWatchedFiles((p) => {
    runSafeNotification(log, 'didChangeWatchedFiles', () => {
      let relevant = false;
      for (const c of p.changes) {
        const event: FileEvent = c.type === FileChangeType.Created ? 'created' : c.type === FileChangeType.Deleted ? 'deleted' : 'changed';
        if (state.ws.fileEvent(c.uri, event)) relevant = true;
      }
      if (relevant) changed();
    });
  });

  // ---- state.diagnostics (pull) ------------------------------------------------------------------------

  connection.languages.diagnostics.on((p, token) =>
    runSafe(log, 'textDocument/diagnostic', { kind: 'full', items: [] }, async () => (await state.diagnostics!.document(p.textDocument.uri, p.previousResultId, token)) ?? { kind: 'full', items: [] }, token),
  );

  connection.languages.diagnostics.onWorkspace((p, token) =>
    runSafe(log, 'workspace/diagnostic', { items: [] }, () => state.diagnostics!.workspace(p.previousResultIds, token), token),
  );

  // ---- hover and code actions ------------------------------------------------------------------

  connection.onHover((p, token) =>
    runSafe(log, 'hover', null, () => {
      // The parsed model of the current text, never the check report: hover does not wait for a re-check.
      const e = editorDoc(p.textDocument.uri);
      if (!e) return null;
      // Where the sequence starts (its deployment and its callers), asked by hover alone.
      const startIn = e.site ? state.ws.project.startInFor(e.model, e.path, e.context) : 'both';
      const h = hoverAt(e.model, e.lines.offsetAt(p.position), e.site, catalog, e.text, { startIn });
      return h ? toHover(h, e.lines) : null;
    }, token),
  );

  // Quick fixes and fix-all (lsp/handlers/codeActions.ts): judged here, or in the worker for a sequence checked there.
  registerCodeActions(connection, state, log);

  /**
   * After a large text is parsed (a document opened, the deferred parse once edits pause): what the
   * first requests on the new model would pay for (on 2 MB, tens of milliseconds each), worked out
   * now, one piece per turn of the event loop so that a request that arrives meanwhile gets in
   * between: the document's line offsets, the outline's JSON, where the sequence starts, its
   * content references and its context flow (hover reads the last three). Each piece is kept with
   * the model, so a request that comes first simply does it itself.
   *
   * With `ready` (a parse nobody asked for), the features keep answering from the last model until
   * the pieces are done, and the pieces do not wait for the document's check: a request just after
   * the deferred parse took 40 to 100 ms on 2 MB, each paying for one piece (issue 20). Without it
   * (a request or a report asked for the model), the pieces wait while a check of the document is on
   * its way: its diagnostics come first.
   */
  function warmSoon(uri: string, text: string, parsed: { model: TaskSequenceModel; lines: LineIndex }, ready?: () => void): void {
    const model = parsed.model;
    const current = (): boolean => !state.shutDown && state.models.peek(uri, text)?.model === model;
    const steps: (() => void)[] = [
      () => {
        // vscode-languageserver-textdocument computes the line offsets of the whole text on the
        // first incremental change (70 ms on 2 MB, in the first edit after the opening).
        const d = documents.get(uri);
        if (d && d.getText() === text) d.offsetAt({ line: 0, character: 0 });
      },
      () => {
        if (!state.hierarchicalSymbols) return;
        let items = outlines.get(model);
        if (!items) outlines.set(model, (items = outline(model, catalog)));
        if (!outlineJson.get(model)?.sameText(parsed.lines)) outlineJson.set(model, new OutlineJson(items, parsed.lines));
      },
      () => {
        contentReferences(model, catalog, text);
      },
      () => {
        const path = uriToPath(uri);
        const ctx = path ? state.ws.project.contextFor(path, state.ws.rootFor(path)) : undefined;
        flowOf(model, ctx?.site ? state.ws.project.startInFor(model, path, ctx) : 'both');
      },
    ];
    const next = (): void => {
      if (!current()) return;
      // A check of this document on its way: its diagnostics first.
      if (!ready && state.checks?.pending(uri)) {
        setTimeout(next, 50);
        return;
      }
      const step = steps.shift();
      if (!step) {
        ready?.();
        return;
      }
      runSafe(log, 'preparing the new model', undefined, step).then(() => setImmediate(next), () => ready?.());
    };
    setImmediate(next);
  }

  /** The last outline answered per document (see onDocumentSymbol). */
  const symbolCache = new Map<string, { model: TaskSequenceModel; lines: LineIndex; hierarchical: boolean; symbols: DocumentSymbol[] | SymbolInformation[] }>();
  documents.onDidClose((e) => symbolCache.delete(e.document.uri));
  const outlines = new WeakMap<TaskSequenceModel, ReturnType<typeof outline>>();
  /** Each model's outline as JSON, redone for a newer version only where the edit moved it (lsp/symbolJson.ts). */
  const outlineJson = new WeakMap<TaskSequenceModel, OutlineJson>();

  connection.onDocumentSymbol((p, token) =>
    runSafe<DocumentSymbol[] | SymbolInformation[]>(log, 'documentSymbol', [], () => {
      // The parsed model only: the outline never waits for the checks (issue 8).
      const e = editorDoc(p.textDocument.uri);
      if (!e) return [];
      // The same model seen through the same positions gives the same outline: an editor asks again
      // on every focus and edit, and on 2 MB building it costs several milliseconds (issue 20).
      const hit = symbolCache.get(e.uri);
      if (hit && hit.model === e.model && hit.lines === e.lines && hit.hierarchical === state.hierarchicalSymbols) return hit.symbols;
      // While a large document is edited the model stays the last one parsed and only the positions
      // move: the outline items of a model are built once, and their JSON is redone only where the
      // edit moved it.
      let items = outlines.get(e.model);
      if (!items) outlines.set(e.model, (items = outline(e.model, catalog)));
      let symbols: DocumentSymbol[] | SymbolInformation[];
      if (state.hierarchicalSymbols) {
        let json = outlineJson.get(e.model);
        if (!json || !json.sameText(e.textLines)) outlineJson.set(e.model, (json = new OutlineJson(items, e.textLines)));
        symbols = rawJson<DocumentSymbol[]>(json.render(e));
      } else symbols = toSymbolInformation(items, e.lines, p.textDocument.uri);
      symbolCache.set(e.uri, { model: e.model, lines: e.lines, hierarchical: state.hierarchicalSymbols, symbols });
      return symbols;
    }, token),
  );

  connection.onFoldingRanges((p, token) =>
    runSafe(log, 'foldingRange', [], () => {
      const e = editorDoc(p.textDocument.uri);
      return e ? toFoldingRanges(foldingRanges(e.model), e.lines) : [];
    }, token),
  );

  // ---- completion, definition, references, document links (issue 7) ------------------------------

  interface EditorDoc extends ModelView {
    uri: string;
    site?: LoadedSite;
    sitePath?: string;
    path?: string;
    context?: ProjectContext;
  }

  /**
   * A task sequence's parsed model (not its check report) with the site and context that apply. While a large document is edited this is the last model parsed, its positions mapped
   * across the edit (state.models.ts): features never wait for a parse or a re-check.
   */
  function editorDoc(uri: string): EditorDoc | undefined {
    const doc = state.docs.get(uri);
    if (!doc || state.ws.kindOf(doc.uri, doc) !== 'taskSequence') return undefined;
    const parsed = state.models.view(doc);
    const ctx = doc.path ? state.ws.project.contextFor(doc.path, state.ws.rootFor(doc.path)) : undefined;
    const site = ctx?.site;
    return { ...parsed, uri: doc.uri, path: doc.path, context: ctx, ...(site ? { site, sitePath: ctx?.sitePath } : {}) };
  }

  connection.onCompletion((p, token) =>
    runSafe(log, 'completion', [], () => {
      const e = editorDoc(p.textDocument.uri);
      if (!e) return [];
      // What was just typed matters here: the current text (the model only lists the sequence's variables).
      const { text, lines } = e.current;
      const offset = lines.offsetAt(p.position);
      // The scan for the cursor's context starts at the step before it, not at the top of the file.
      const toText = e.lines === lines ? (o: number) => o : (o: number) => lines.offsetAt(e.lines.positionAt(o));
      const resume = resumeAt(e.model, e.lines.offsetAt(p.position), text, offset, toText);
      const items = completionsAt({ model: e.model, text, offset, site: e.site, catalog, ...(resume ? { resume } : {}) });
      const cursor: Position = lines.positionAt(offset);
      return items.map((it) => toCompletionItem(it, lines, cursor, state.completionSupport));
    }, token),
  );

  connection.onDefinition((p, token) =>
    runSafe(log, 'definition', [], () => {
      const e = editorDoc(p.textDocument.uri);
      if (!e?.site || !e.sitePath) return [];
      const d = definitionAt(e.model, e.lines.offsetAt(p.position), e.site, catalog, e.text);
      if (!d) return [];
      const siteLines = new LineIndex(e.site.text);
      const out: Location[] = [];
      for (const t of d.targets) {
        if (t.kind === 'siteEntry') out.push(toLocation(pathToUri(e.sitePath), siteLines, t.span));
        else {
          // The file is relative to the site description and often written with backslashes.
          const child = state.docs.getPath(resolvePath(dirname(e.sitePath), t.file.replace(/\\/g, '/')));
          if (child) out.push(toLocation(child.uri, new LineIndex(child.text), { start: 0, end: 0 }));
        }
      }
      return out;
    }, token),
  );

  connection.onReferences((p, token) =>
    runSafe(log, 'references', [], () => {
      const uri = p.textDocument.uri;
      const e = editorDoc(uri);
      let id: string | undefined;
      let site: LoadedSite | undefined;
      let sitePath: string | undefined;
      if (e) {
        id = contentIdAt(e.model, e.lines.offsetAt(p.position), catalog, e.text);
        site = e.site;
        sitePath = e.sitePath;
      } else if (state.ws.kindOf(uri) === 'site') {
        // From the site description itself: the entry under the cursor.
        const path = uriToPath(uri);
        site = path ? state.ws.project.site(path)?.value : undefined;
        sitePath = path;
        const doc = state.docs.get(uri);
        id = site && doc ? siteIdAt(site, new LineIndex(doc.text).offsetAt(p.position)) : undefined;
      }
      if (!id) return [];
      const out: Location[] = [];
      if (site && sitePath) {
        const siteLines = new LineIndex(site.text);
        const decl = new Set(site.entries().filter((x) => x.id.toLowerCase() === id!.toLowerCase()).map((x) => x.idSpan.start));
        for (const span of siteReferences(site, id)) {
          if (!p.context.includeDeclaration && decl.has(span.start)) continue;
          out.push(toLocation(pathToUri(sitePath), siteLines, span));
        }
      }
      // Every task sequence of the workspace, open or not, and open ones outside it.
      const uris = new Set<string>(state.ws.getFolders().flatMap((f) => state.ws.taskSequencesUnder(f)).map((f) => state.docs.canonical(pathToUri(f))));
      for (const open of state.docs.openUris()) if (state.ws.kindOf(open) === 'taskSequence') uris.add(open);
      for (const u of [...uris].sort()) {
        if (token.isCancellationRequested) return [];
        const doc = state.docs.get(u);
        if (!doc) continue;
        const parsed = state.models.get(doc);
        for (const span of referencesIn(parsed.model, doc.text, id, catalog)) out.push(toLocation(doc.uri, parsed.lines, span));
      }
      return out;
    }, token),
  );

  connection.onDocumentLinks((p, token) =>
    runSafe(log, 'documentLink', [], () => {
      const e = editorDoc(p.textDocument.uri);
      // An attached smsts.log links its lines to the steps (lsp/handlers/smstsLog.ts).
      return e ? documentLinks(e.model, catalog).map((l) => toDocumentLink(l, e.lines)) : smstsLog.documentLinks(p.textDocument.uri);
    }, token),
  );

  // ---- custom requests (the VS Code client) --------------------------------------------------------

  connection.onRequest(SITE_FOR, (p: SiteForParams, token) =>
    runSafe<SiteForResult>(log, SITE_FOR, { taskSequence: false }, () => {
      if (state.ws.kindOf(p.uri) !== 'taskSequence') return { taskSequence: false };
      const path = uriToPath(p.uri);
      if (!path) return { taskSequence: true, problem: 'The file is not on disk, so no site description applies.' };
      const root = state.ws.rootFor(path);
      const ctx = state.ws.project.contextFor(path, root);
      const out: SiteForResult = { taskSequence: true };
      if (ctx.configPath) out.configUri = pathToUri(ctx.configPath);
      if (ctx.sitePath) {
        out.siteUri = pathToUri(ctx.sitePath);
        out.siteLabel = root ? relative(root, ctx.sitePath).split(sep).join('/') : ctx.sitePath;
      }
      const problem = ctx.siteProblem ?? ctx.problems[0]?.message;
      if (problem) out.problem = problem;
      return out;
    }, token),
  );

  connection.onRequest(SITE_INIT, (p: SiteInitParams, token) =>
    runSafe<SiteInitResult | null>(log, SITE_INIT, null, () => {
      const target = uriToPath(p.targetUri);
      const folder = uriToPath(p.folderUri);
      if (!target || !folder) return null;
      const known = state.ws.taskSequencesUnder(folder);
      const files = known.length ? known : findTaskSequences(folder);
      const inputs = [];
      for (const file of files) {
        const doc = state.docs.getPath(file);
        // Too large to check is too large to list (hostile input, issue 9: parsing it would block the server).
        if (!doc || doc.text.length > MAX_CHECK_CHARS) continue;
        const { model } = parseTaskSequence(doc.text);
        inputs.push({ file: relative(dirname(target), file).split(sep).join('/'), model, text: doc.text });
      }
      return { text: initSite(inputs, catalog), sequences: inputs.length };
    }, token),
  );

  registerSiteImport(connection, state.docs, log);
  registerDiffDoc(connection, state, log);

  if (runtime.testHooks) {
    connection.onRequest(TEST_THROW, (_p: unknown, token) =>
      runSafe(log, TEST_THROW, null, () => {
        throw new Error('failure injected by the test hook');
      }, token),
    );
    connection.onRequest(TEST_MEMORY, (_p: unknown, token) =>
      runSafe<TestMemoryResult | null>(log, TEST_MEMORY, null, () => {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        const m = process.memoryUsage();
        return { heapUsed: m.heapUsed, rss: m.rss, collected: gc !== undefined };
      }, token),
    );
  }

  connection.onShutdown(() => {
    state.shutDown = true;
    clearTimeout(state.statusTimer);
    state.diagnostics?.dispose();
    state.models.dispose();
    checks?.dispose();
  });

  documents.listen(connection);
  return state;
}
