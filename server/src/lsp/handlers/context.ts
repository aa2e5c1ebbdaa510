// What the editing handlers (format, rename, highlight, semantic tokens, workspace symbols, code
// lens, call hierarchy, inlay hints, an attached smsts.log) need from the server's state, as a
// narrow interface the ServerState satisfies: the documents, the parsed models, the workspace and
// its site descriptions, the client's capabilities, diagnostics from elsewhere than the checks.
// Helpers here fetch a sequence as the editor has it and the workspace's sequences with their sites.

import { basename } from 'node:path';
import type { ClientCapabilities } from 'vscode-languageserver/node';
import type { SequenceNode } from '../../features/sequenceCalls';
import type { RunOverlay, StepHintOptions } from '../../features/stepHints';
import type { TaskSequenceModel } from '../../model/types';
import type { ChildResolver } from '../../semantics/numbering';
import { tieSequence, type StartIn } from '../../semantics/siteFacts';
import type { LoadedSite } from '../../site/types';
import { pathToUri, uriToPath, type DocText, type DocumentStore } from '../../workspace/documents';
import type { ModelCache, ParsedDoc } from '../../workspace/models';
import type { Workspace } from '../../workspace/workspace';
import type { DiagnosticsManager, DiagnosticSource } from '../diagnostics';

export interface HandlerState {
  docs: DocumentStore;
  models: ModelCache;
  ws: Workspace;
  diagnostics: DiagnosticsManager | undefined;
  /** Diagnostics besides the checks' (an attached smsts.log), merged into each file's (lsp/diagnostics.ts). */
  diagnosticSources: DiagnosticSource[];
  /** What the client said it supports in `initialize` (empty before). */
  clientCapabilities: ClientCapabilities;
  /** The run of an attached smsts.log laid on a sequence's current model (lsp/handlers/smstsLog.ts). */
  stepRun?: (uri: string, model: TaskSequenceModel, resolve?: ChildResolver) => RunOverlay | undefined;
  /** After `shutdown` nothing new is started. */
  shutDown: boolean;
}

export interface SequenceDoc extends ParsedDoc {
  doc: DocText;
  uri: string;
  text: string;
  site?: LoadedSite;
  sitePath?: string;
}

/** A task sequence as the editor has it now (its current text parsed), with the site description that applies. */
export function sequenceDoc(state: HandlerState, uri: string): SequenceDoc | undefined {
  const doc = state.docs.get(uri);
  if (!doc || state.ws.kindOf(doc.uri, doc) !== 'taskSequence') return undefined;
  const parsed = state.models.get(doc);
  const ctx = doc.path ? state.ws.project.contextFor(doc.path, state.ws.rootFor(doc.path)) : undefined;
  return { ...parsed, doc, uri: doc.uri, text: doc.text, ...(ctx?.site ? { site: ctx.site, sitePath: ctx.sitePath } : {}) };
}

/**
 * Where the sequence starts (its taskSequences entry in the site description) and how its Run Task
 * Sequence steps are followed into their children (through the site description): what the
 * instruction numbers and run contexts need.
 */
export function numberingOf(state: HandlerState, s: SequenceDoc): { startIn: StartIn; resolve?: ChildResolver } {
  const path = s.doc.path;
  const ctx = path ? state.ws.project.contextFor(path, state.ws.rootFor(path)) : undefined;
  // Where the checks start it: its deployment and the steps that call it (Project.startInFor).
  const startIn = state.ws.project.startInFor(s.model, path, ctx);
  const resolve = state.ws.project.childResolver(ctx);
  return { startIn, ...(resolve ? { resolve } : {}) };
}

/** What the step labels of the inlay hints (or code lens) need: the numbering and an attached log's run. */
export function stepHintOptions(state: HandlerState, s: SequenceDoc): StepHintOptions {
  const n = numberingOf(state, s);
  const run = state.stepRun?.(s.uri, s.model, n.resolve);
  return { ...n, ...(run ? { run } : {}) };
}

/** The client shows inlay hints: step numbers go there; else they are code lens. */
export function clientShowsInlayHints(state: HandlerState): boolean {
  return state.clientCapabilities.textDocument?.inlayHint !== undefined;
}

/** The URIs of every task sequence of the workspace folders, and of open ones outside them. */
export function workspaceSequenceUris(state: HandlerState): string[] {
  const uris = new Set<string>(state.ws.getFolders().flatMap((f) => state.ws.taskSequencesUnder(f)).map((f) => state.docs.canonical(pathToUri(f))));
  for (const open of state.docs.openUris()) if (state.ws.kindOf(open) === 'taskSequence') uris.add(state.docs.canonical(open));
  return [...uris].sort();
}

/** Every sequence of the workspace as a node of the Run Task Sequence graph (keyed by URI). */
export function sequenceNodes(state: HandlerState): SequenceNode[] {
  const out: SequenceNode[] = [];
  for (const uri of workspaceSequenceUris(state)) {
    const s = sequenceDoc(state, uri);
    if (!s) continue;
    const path = uriToPath(uri);
    const tie = s.site ? tieSequence(s.site, s.sitePath, path, s.model)?.entry : undefined;
    const own = s.model.sequence?.name?.trim() || s.model.wrapper?.properties.Name?.value.trim();
    const name = tie?.name?.trim() || own || (path ? basename(path) : uri);
    out.push({ key: s.uri, name, model: s.model, ...(s.sitePath ? { site: s.sitePath } : {}), ...(tie ? { packageId: tie.packageId } : {}) });
  }
  return out;
}
