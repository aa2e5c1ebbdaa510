// textDocument/codeAction: the quick fixes of the findings the client sends (or those under the
// range) and fix-all (source.fixAll.cmts), each fix judged by the sequence it leaves
// (features/fixSafety.ts) before it is offered. For a sequence checked in the check worker the
// worker builds and judges them (workspace/checkWorker.ts, issue 20): judging re-checks the fixed
// text, hundreds of milliseconds at 2 MB, and the request thread answers other requests meanwhile.

import { CodeActionKind, type CancellationToken, type CodeAction, type CodeActionParams, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { checkById } from '../../checks';
import { codeActionsFor, fixAllFor, type FixAction, type FixEnvironment, type FixTarget } from '../../features/codeActions';
import { LineIndex } from '../../model/positions';
import type { Span } from '../../model/types';
import type { ProjectContext } from '../../project';
import type { CheckWorkerPool } from '../../workspace/checkWorker';
import { newConfigPathFor } from '../../workspace/configPlace';
import { pathToUri, uriToPath } from '../../workspace/documents';
import type { FileReport } from '../../workspace/workspace';
import { FIX_ALL_KIND, fixTargetOf, toDiagnostic, toFixAllAction, toFixCodeAction, toSpan } from '../convert';
import { runSafe, type Log } from '../runSafe';
import type { HandlerState } from './context';

/** What code actions need besides the editing handlers' state. */
export interface CodeActionState extends HandlerState {
  /** The client applies workspace edits that create files (the "Disable … in .cmts.json" fix may create one). */
  canCreateFiles: boolean;
  /** The worker large task sequences are checked in, when there is one. */
  checks: CheckWorkerPool | undefined;
}

/** Registers the handler; the provider is announced by the server (it depends on the client's code action literal support). */
export function register(connection: Connection, state: CodeActionState, log: Log): void {
  connection.onCodeAction((p, token) =>
    runSafe(log, 'codeAction', [] as CodeAction[], () => {
      const only = p.context.only;
      const wants = (kind: string): boolean => !only || only.some((k) => k === '' || k === kind || kind.startsWith(`${k}.`));
      const fixAll = !!only && wants(FIX_ALL_KIND);
      // A sequence checked in the worker has its fixes built and judged there (issue 20).
      if (state.checks && state.ws.checkedInWorker(p.textDocument.uri)) return workerCodeActions(p, wants(CodeActionKind.QuickFix), fixAll, state.checks, token);
      const r = state.ws.report(p.textDocument.uri);
      if (!r?.model) return [];
      const path = uriToPath(p.textDocument.uri);
      // Fixes are judged by the sequence they leave (features/fixSafety.ts), as the CLI judges them.
      const startIn = state.ws.project.startInFor(r.model, path, r.context);
      const env: FixEnvironment = { ...fixEnvironment(r.context, path), safety: { findings: r.findings, recheck: (text) => state.ws.recheck(r, text), startIn } };
      const actions = wants(CodeActionKind.QuickFix) ? quickFixActions(p, r, quickFixTargets(p, r), (t) => codeActionsFor(r.text, r.model, t, env), env) : [];
      // Fix-all only when asked for by kind (on save, or the Source Action menu), never in the lightbulb.
      if (fixAll) {
        const all = fixAllFor(r.text, r.model!, r.findings, env, env.safety?.recheck);
        if (all.edits.length) actions.unshift(toFixAllAction(all.edits, p.textDocument.uri, r.lines, all.stopped));
      }
      return actions;
    }, token),
  );

  /**
   * Code actions of a sequence checked in the worker. Judging a fix re-checks the fixed text (a few
   * hundred milliseconds at 2 MB), so the worker builds and judges the fixes, from the parse and
   * the findings of its check, and this request waits for it without holding the thread: hover,
   * completion and the outline are answered meanwhile. The fixes are those of the current text
   * only: until its check is done the request waits for it, and when a newer version comes first
   * (the fixes would edit a text that is gone) it answers nothing; the client asks again with the
   * new diagnostics. No fix is ever offered unjudged.
   */
  async function workerCodeActions(p: CodeActionParams, quickFixes: boolean, fixAll: boolean, pool: CheckWorkerPool, token: CancellationToken): Promise<CodeAction[]> {
    const uri = p.textDocument.uri;
    await state.ws.prepare(uri);
    const doc = state.docs.get(uri);
    const r = state.ws.report(uri);
    if (!doc || !r || r.text !== doc.text || token.isCancellationRequested) return [];
    const targets = quickFixes ? quickFixTargets(p, r) : [];
    if (targets.length === 0 && !fixAll) return [];
    const path = doc.path;
    const env = fixEnvironment(r.context, path);
    const outcome = await pool.fixes(r.uri, {
      text: r.text, path, root: path ? state.ws.rootFor(path) : undefined, open: state.ws.openFilesFor(r.context), generation: state.ws.workerGeneration(r.context),
      targets: targets.map((t) => t.target), fixAll,
      ...(env.configText !== undefined ? { configText: env.configText } : {}), ...(env.newConfigPath ? { newConfigPath: env.newConfigPath } : {}),
    });
    // A newer version came meanwhile: these fixes would edit a text that is gone.
    if (outcome.status !== 'done' || state.docs.get(uri)?.text !== r.text) return [];
    const actions = quickFixActions(p, r, targets, (_t, i) => outcome.actions[i] ?? [], env);
    if (outcome.all?.edits.length) actions.unshift(toFixAllAction(outcome.all.edits, uri, r.lines, outcome.all.stopped));
    return actions;
  }

  /** The findings a code action request is about: the diagnostics the client sends, or (when it sends none) those under the range. */
  function quickFixTargets(p: CodeActionParams, r: FileReport): { target: FixTarget; diagnostic: Diagnostic }[] {
    const targets: { target: FixTarget; diagnostic: Diagnostic }[] = [];
    for (const d of p.context.diagnostics) {
      const t = fixTargetOf(d, r.lines, (id) => checkById(id) !== undefined);
      if (!t) continue;
      // Some clients (ALE) send the diagnostic back without its data: take ours for the same place.
      const data = t.data ?? (r.findings.find((f) => f.rule === t.rule && sameSpan(f.span, t.span)) ?? r.findings.find((f) => f.rule === t.rule && overlaps(f.span, t.span)))?.data;
      targets.push({ target: { ...t, ...(data ? { data } : {}) }, diagnostic: d });
    }
    if (p.context.diagnostics.length === 0) {
      // Clients that send no state.diagnostics with the request: the findings under the range.
      const range = toSpan(r.lines, p.range);
      for (const f of r.findings) {
        if (overlaps(f.span, range)) {
          targets.push({ target: { rule: f.rule, span: f.span, ...(f.data ? { data: f.data } : {}) }, diagnostic: toDiagnostic(f, r.lines, p.textDocument.uri, () => undefined) });
        }
      }
    }
    return targets;
  }

  /** The quick fixes of each target (`fixesOf`: built and judged here or in the worker) as LSP code actions. */
  function quickFixActions(p: CodeActionParams, r: FileReport, targets: { target: FixTarget; diagnostic: Diagnostic }[], fixesOf: (t: FixTarget, i: number) => FixAction[], env: FixEnvironment): CodeAction[] {
    // Edits in the site description or .cmts.json are placed in the text the fixes were made from.
    const resolve = (file: string): { uri: string; lines: LineIndex } => ({
      uri: pathToUri(file),
      lines: new LineIndex(file === env.sitePath ? env.site?.text ?? '' : file === env.configPath ? env.configText ?? '' : ''),
    });
    const actions: CodeAction[] = [];
    for (const [i, { target, diagnostic }] of targets.entries()) {
      for (const a of fixesOf(target, i)) {
        const action = toFixCodeAction(a, p.textDocument.uri, r.lines, diagnostic, resolve, state.canCreateFiles);
        if (action) actions.push(action);
      }
    }
    return actions;
  }

  /**
   * What the fixes may edit besides the document: the site description and the .cmts.json that
   * apply (as the editor has them), or where a new .cmts.json goes (beside the site description).
   */
  function fixEnvironment(context: ProjectContext | undefined, path: string | undefined): FixEnvironment {
    const configText = context?.configPath ? state.docs.getPath(context.configPath)?.text : undefined;
    const newConfigPath = path ? newConfigPathFor(path, context?.sitePath, state.ws.rootFor(path)) : undefined;
    return {
      ...(context?.site && context.sitePath ? { site: context.site, sitePath: context.sitePath } : {}),
      ...(context?.configPath ? { configPath: context.configPath, ...(configText !== undefined ? { configText } : {}) } : {}),
      ...(newConfigPath && state.canCreateFiles ? { newConfigPath } : {}),
    };
  }

  function sameSpan(a: Span, b: Span): boolean {
    return a.start === b.start && a.end === b.end;
  }

  function overlaps(a: Span, b: Span): boolean {
    return a.start <= b.end && b.start <= a.end;
  }
}
