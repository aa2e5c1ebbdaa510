// What the handler modules of lsp/handlers/ share: the part of the server's state they use (a
// structural type, so they need not import server.ts, which sits above them), and a task
// sequence's parsed model with where it starts and how its child sequences are read.

import type { Project } from '../../project';
import type { ChildResolver } from '../../semantics/numbering';
import { startInOf, tieSequence, type StartIn } from '../../semantics/siteFacts';
import type { DocumentStore } from '../../workspace/documents';
import type { ModelCache, ModelView } from '../../workspace/models';
import type { Workspace } from '../../workspace/workspace';
import type { DiagnosticsManager, DiagnosticSource } from '../diagnostics';

/** The server state a handler module reads (server.ts ServerState has all of it). */
export interface HandlerState {
  docs: DocumentStore;
  project: Project;
  models: ModelCache;
  ws: Workspace;
  diagnostics: DiagnosticsManager | undefined;
  /** Diagnostics besides the checks', merged into each file's (lsp/diagnostics.ts). */
  diagnosticSources: DiagnosticSource[];
  shutDown: boolean;
}

export interface SequenceDoc extends ModelView {
  uri: string;
  path?: string;
  startIn: StartIn;
  /** Run Task Sequence step → its child, through the site description; undefined without one. */
  resolve?: ChildResolver;
}

/** A task sequence's last parsed model (never waits for a check), or undefined for other files. */
export function sequenceDoc(state: HandlerState, uri: string): SequenceDoc | undefined {
  const doc = state.docs.get(uri);
  if (!doc || state.ws.kindOf(doc.uri, doc) !== 'taskSequence') return undefined;
  const view = state.models.view(doc);
  const ctx = doc.path ? state.ws.project.contextFor(doc.path, state.ws.rootFor(doc.path)) : undefined;
  const site = ctx?.site;
  const startIn = site ? startInOf(tieSequence(site, ctx?.sitePath, doc.path, view.model)?.entry) : 'both';
  const resolve = state.ws.project.childResolver(ctx);
  return { ...view, uri: doc.uri, startIn, ...(doc.path ? { path: doc.path } : {}), ...(resolve ? { resolve } : {}) };
}
