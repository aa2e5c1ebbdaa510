// Rule documentation that lands on the rule: a cmts diagnostic's code links to the command
// `cmts.showRule`, which shows that check's section of the bundled docs/rules.md rendered (the
// built-in Markdown renderer) in one reused panel. The middleware rewrites the links the server
// sends (an https URL or the bundled file) as the diagnostics arrive, pushed or pulled.

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { ruleLine, ruleSection } from './ruleSection';

export const SHOW_RULE = 'cmts.showRule';

let panel: vscode.WebviewPanel | undefined;

/** Registers the command; returns the middleware the language client is started with. */
export function registerRuleDocs(context: vscode.ExtensionContext): Middleware {
  const docsPath = context.asAbsolutePath('docs/rules.md');
  context.subscriptions.push(vscode.commands.registerCommand('cmts.showRule', (id?: string) => showRule(docsPath, String(id ?? ''))));
  const rewrite = (ds: vscode.Diagnostic[]): vscode.Diagnostic[] => {
    for (const d of ds) {
      if (d.source !== 'cmts' || typeof d.code !== 'object' || d.code === null) continue;
      const id = String(d.code.value);
      d.code = { value: d.code.value, target: vscode.Uri.parse(`command:${SHOW_RULE}?${encodeURIComponent(JSON.stringify([id]))}`) };
    }
    return ds;
  };
  return {
    handleDiagnostics: (uri, diagnostics, next) => next(uri, rewrite(diagnostics)),
    provideDiagnostics: async (document, previousResultId, token, next) => {
      const r = await next(document, previousResultId, token);
      if (r && r.kind === 'full') rewrite(r.items);
      return r;
    },
  };
}

async function showRule(docsPath: string, id: string): Promise<void> {
  let markdown: string;
  try {
    markdown = fs.readFileSync(docsPath, 'utf8');
  } catch {
    void vscode.window.showErrorMessage(`cmts: the rule documentation (${docsPath}) cannot be read.`);
    return;
  }
  const section = ruleSection(markdown, id);
  if (!section) {
    // Not a check we document: the whole file, at its top.
    await vscode.window.showTextDocument(vscode.Uri.file(docsPath));
    return;
  }
  let html: string;
  try {
    html = await vscode.commands.executeCommand<string>('markdown.api.render', section);
  } catch {
    // No Markdown renderer (the built-in extension disabled): the source at the rule's heading.
    const line = (ruleLine(markdown, id) ?? 1) - 1;
    await vscode.window.showTextDocument(vscode.Uri.file(docsPath), { selection: new vscode.Range(line, 0, line, 0) });
    return;
  }
  if (!panel) {
    panel = vscode.window.createWebviewPanel('cmts.rule', `cmts: ${id}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, enableCommandUris: false });
    panel.onDidDispose(() => (panel = undefined));
  }
  panel.title = `cmts: ${id}`;
  panel.webview.html = page(id, html, panel.webview.cspSource);
  panel.reveal(vscode.ViewColumn.Beside, true);
}

function page(id: string, body: string, csp: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${csp} https:; style-src 'unsafe-inline';">
<title>cmts: ${id}</title>
<style>body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground);padding:0 20px;line-height:1.5}
pre,code{font-family:var(--vscode-editor-font-family)}pre{background:var(--vscode-textCodeBlock-background);padding:8px;overflow:auto}a{color:var(--vscode-textLink-foreground)}</style>
</head><body class="cmts-rule" data-rule="${id}">${body}</body></html>`;
}
