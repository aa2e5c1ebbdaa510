// "Compare With…" and "Preview Documentation" (issue 17): the server's cmts/diff and cmts/docPage
// pages shown in webviews. The pages run no script: a strict Content-Security-Policy allows only
// their inline style, and the compare view's links are `command:` URIs limited to cmts.revealStep.
// The old side of a compare is another file or the version in git's HEAD (the vscode.git API).

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DIFF, DOC_PAGE, type DiffParams, type DiffResultPayload, type DocPageParams, type DocPageResult } from '../../server/src/lsp/diffDocProtocol';

export const REVEAL_STEP = 'cmts.revealStep';

/** The inline style is the page's only resource; nothing else loads. */
const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;">`;

export function withCsp(html: string): string {
  return html.includes('<head>') ? html.replace('<head>', `<head>\n${CSP}`) : `${CSP}\n${html}`;
}

export function registerDiffDocViews(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
  const previews = new Map<string, vscode.WebviewPanel>();

  async function request<T>(method: string, params: unknown): Promise<T | undefined> {
    const client = getClient();
    if (!client?.isRunning()) {
      void vscode.window.showWarningMessage('cmts: the language server is not running (see cmts.enable).');
      return undefined;
    }
    try {
      return await client.sendRequest<T>(method, params);
    } catch (e) {
      output.warn(`cmts: ${method} failed: ${String(e)}`);
      void vscode.window.showErrorMessage(`cmts: ${method} failed; see the cmts output.`);
      return undefined;
    }
  }

  function target(uri?: vscode.Uri): vscode.Uri | undefined {
    const u = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!u) void vscode.window.showInformationMessage('cmts: open a task sequence first.');
    return u;
  }

  // ---- Preview Documentation --------------------------------------------------------------------

  async function refreshPreview(uri: vscode.Uri, panel: vscode.WebviewPanel): Promise<void> {
    const r = await request<DocPageResult>(DOC_PAGE, { uri: uri.toString() } satisfies DocPageParams);
    if (!r) return;
    if (r.problem || !r.html) {
      void vscode.window.showWarningMessage(`cmts: ${r.problem ?? 'no documentation page'}`);
      return;
    }
    panel.title = `Preview ${path.basename(uri.fsPath || uri.path)}`;
    panel.webview.html = withCsp(r.html);
  }

  async function previewDocumentation(uri?: vscode.Uri): Promise<void> {
    const u = target(uri);
    if (!u) return;
    const key = u.toString();
    let panel = previews.get(key);
    if (panel) {
      panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      panel = vscode.window.createWebviewPanel('cmts.docPreview', `Preview ${path.basename(u.fsPath || u.path)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, enableCommandUris: false, localResourceRoots: [] });
      previews.set(key, panel);
      // The page follows the file's saves while it is open.
      const p = panel;
      const saved = vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.uri.toString() === key) void refreshPreview(u, p);
      });
      panel.onDidDispose(() => {
        saved.dispose();
        previews.delete(key);
      });
    }
    await refreshPreview(u, panel);
  }

  // ---- Compare With… ----------------------------------------------------------------------------

  async function compareWith(uri?: vscode.Uri): Promise<void> {
    const u = target(uri);
    if (!u) return;
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Another File…', detail: 'Compare with another task sequence export', id: 'file' as const },
        { label: 'Version in Git HEAD', detail: 'Compare with the last committed version of this file', id: 'head' as const },
      ],
      { placeHolder: `Compare ${path.basename(u.fsPath || u.path)} with…` },
    );
    if (!choice) return;
    if (choice.id === 'file') {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Compare', filters: { 'Task sequence XML': ['xml'] }, defaultUri: vscode.Uri.joinPath(u, '..') });
      if (picked?.[0]) await showDiff(u, { oldUri: picked[0].toString() }, path.basename(picked[0].fsPath));
    } else {
      const old = await headText(u, output);
      if (old !== undefined) await showDiff(u, { oldText: old, oldLabel: `${path.basename(u.fsPath)} (HEAD)` }, 'HEAD');
    }
  }

  async function showDiff(newUri: vscode.Uri, old: Pick<DiffParams, 'oldUri' | 'oldText' | 'oldLabel'>, oldName: string): Promise<void> {
    const r = await request<DiffResultPayload>(DIFF, { ...old, newUri: newUri.toString(), linkCommand: REVEAL_STEP } satisfies DiffParams);
    if (!r) return;
    if (r.problem || !r.html) {
      void vscode.window.showWarningMessage(`cmts: ${r.problem ?? 'no diff'}`);
      return;
    }
    const panel = vscode.window.createWebviewPanel('cmts.compare', `${oldName} ↔ ${path.basename(newUri.fsPath || newUri.path)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, enableCommandUris: [REVEAL_STEP], localResourceRoots: [] });
    panel.webview.html = withCsp(r.html);
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('cmts.previewDocumentation', (uri?: vscode.Uri) => previewDocumentation(uri)),
    vscode.commands.registerCommand('cmts.compareWith', (uri?: vscode.Uri) => compareWith(uri)),
    vscode.commands.registerCommand('cmts.compareWithFile', async (uri: vscode.Uri | undefined, oldUri: vscode.Uri | string) => {
      // For scripts and tests: the old file given, no dialog.
      const u = target(uri);
      const o = typeof oldUri === 'string' ? vscode.Uri.parse(oldUri) : oldUri;
      if (u && o) await showDiff(u, { oldUri: o.toString() }, path.basename(o.fsPath));
    }),
    vscode.commands.registerCommand('cmts.revealStep', (uri: string, line: number, character: number) => revealStep(uri, line, character)),
  );
}

/** Opens the file at the step, in the editor column that shows it already (the compare view sits beside it). */
async function revealStep(uri: string, line: number, character: number): Promise<void> {
  if (typeof uri !== 'string' || !Number.isInteger(line) || !Number.isInteger(character)) return;
  const u = vscode.Uri.parse(uri);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === u.toString());
  const at = new vscode.Position(line, character);
  const editor = await vscode.window.showTextDocument(u, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(at, at) });
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

// ---- git HEAD through the built-in git extension ------------------------------------------------

/** The part of the vscode.git extension's API (version 1) used here. */
interface GitApi {
  state: 'uninitialized' | 'initialized';
  onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  getRepository(uri: vscode.Uri): { rootUri: vscode.Uri; show(ref: string, path: string): Promise<string> } | null;
}

async function headText(uri: vscode.Uri, output: vscode.LogOutputChannel): Promise<string | undefined> {
  const name = path.basename(uri.fsPath);
  const ext = vscode.extensions.getExtension<{ enabled: boolean; getAPI(version: 1): GitApi }>('vscode.git');
  if (uri.scheme !== 'file' || !ext) {
    void vscode.window.showWarningMessage(`cmts: cannot compare ${name} with git's HEAD: ${uri.scheme !== 'file' ? 'the file is not on disk' : 'the git extension is not available'}.`);
    return undefined;
  }
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports.enabled) {
    void vscode.window.showWarningMessage(`cmts: cannot compare ${name} with git's HEAD: git is disabled (git.enabled).`);
    return undefined;
  }
  const api = exports.getAPI(1);
  if (api.state !== 'initialized') {
    // The git extension opens the repositories after it activates.
    await new Promise<void>((resolve) => {
      const done = api.onDidChangeState((s) => {
        if (s === 'initialized') {
          done.dispose();
          resolve();
        }
      });
      setTimeout(resolve, 5000);
    });
  }
  const repo = api.getRepository(uri);
  if (!repo) {
    void vscode.window.showWarningMessage(`cmts: ${name} is not in a git repository, so there is no HEAD version to compare with; use "Another File…".`);
    return undefined;
  }
  try {
    return await repo.show('HEAD', uri.fsPath);
  } catch (e) {
    output.info(`cmts: git show HEAD:${name}: ${String(e)}`);
    void vscode.window.showWarningMessage(`cmts: ${name} has no version in HEAD (a new file, not committed yet?).`);
    return undefined;
  }
}
