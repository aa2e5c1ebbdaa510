// "Import Site Description…": pick what a site exported (a console export .zip or folder, WMI
// JSON files), ask the server what the site description would become (cmts/siteImport), show
// the change side by side with what the file has now, and apply it only when the engineer says
// so. What a person wrote in the file wins; nothing is written without the Apply.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SITE_FILE_NAME, SITE_FOR, SITE_IMPORT, type SiteForResult, type SiteImportParams, type SiteImportResult } from '../../server/src/lsp/protocol';

const SCHEME = 'cmts-import';

/** Registers the command and the read-only view of the imported text. */
export function registerSiteImport(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  const previews = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '' }),
    vscode.commands.registerCommand('cmts.importSiteDescription', async (uri?: vscode.Uri) => {
      const client = getClient();
      if (!client?.isRunning()) {
        void vscode.window.showWarningMessage('cmts: the language server is not running (see cmts.enable).');
        return;
      }
      const target = await targetFor(client, uri ?? vscode.window.activeTextEditor?.document.uri);
      if (!target) {
        void vscode.window.showInformationMessage('cmts: open a folder first; the site description is kept in it.');
        return;
      }
      const picked = await vscode.window.showOpenDialog({
        title: 'Import Site Description: a console export (.zip or folder) and WMI JSON files',
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        openLabel: 'Import',
        filters: { 'Exports and WMI JSON': ['zip', 'xml', 'json'], 'All files': ['*'] },
      });
      if (!picked?.length) return;
      const params: SiteImportParams = { targetUri: target.toString(), sourceUris: picked.map((u) => u.toString()) };
      const r = await client.sendRequest<SiteImportResult | null>(SITE_IMPORT, params);
      if (!r) {
        void vscode.window.showErrorMessage('cmts: the import failed; see the cmts output.');
        return;
      }
      const name = vscode.workspace.asRelativePath(target);
      if (r.problems.length) {
        const first = r.problems.slice(0, 3).map((p) => p.message).join(' ');
        void vscode.window.showErrorMessage(`cmts: nothing was imported: ${first}${r.problems.length > 3 ? ` (and ${r.problems.length - 3} more)` : ''}`);
        return;
      }
      const kept = r.conflicts.length ? ` ${r.conflicts.length} ${r.conflicts.length === 1 ? 'value' : 'values'} in the file differ from the export and are kept.` : '';
      if (!r.changed) {
        void vscode.window.showInformationMessage(`cmts: ${name} is up to date: the import adds nothing.${kept}`);
        return;
      }
      // Side by side: the file as it is (empty when new) and as the import would make it.
      const preview = vscode.Uri.from({ scheme: SCHEME, path: `/${SITE_FILE_NAME}`, query: target.toString() });
      previews.set(preview.toString(), r.text);
      changed.fire(preview);
      const before = r.existed ? target : vscode.Uri.from({ scheme: SCHEME, path: `/empty/${SITE_FILE_NAME}` });
      await vscode.commands.executeCommand('vscode.diff', before, preview, `${name} ↔ imported (${r.added.length} added)`);
      const choice = await vscode.window.showInformationMessage(
        `cmts: the import adds ${r.added.length} ${r.added.length === 1 ? 'entry or value' : 'entries and values'} to ${name}.${kept}`,
        { modal: false },
        'Apply',
        'Show Details',
      );
      if (choice === 'Show Details') {
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: details(name, r) });
        await vscode.window.showTextDocument(doc, { preview: true });
        return;
      }
      if (choice !== 'Apply') return;
      const edit = new vscode.WorkspaceEdit();
      if (r.existed) {
        const doc = await vscode.workspace.openTextDocument(target);
        edit.replace(target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), r.text);
      } else {
        edit.createFile(target, { ignoreIfExists: true });
        edit.insert(target, new vscode.Position(0, 0), r.text);
      }
      if (await vscode.workspace.applyEdit(edit)) await vscode.window.showTextDocument(target);
    }),
  );
}

/** The site description that applies to the active sequence, else configmgr-site.json in its workspace folder. */
async function targetFor(client: LanguageClient, base: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (base) {
    const r = await client.sendRequest<SiteForResult>(SITE_FOR, { uri: base.toString() });
    if (r.siteUri) return vscode.Uri.parse(r.siteUri);
  }
  const folder = (base && vscode.workspace.getWorkspaceFolder(base)) ?? (vscode.workspace.workspaceFolders ?? [])[0];
  return folder ? vscode.Uri.joinPath(folder.uri, SITE_FILE_NAME) : undefined;
}

function details(name: string, r: SiteImportResult): string {
  const list = (xs: string[]): string => (xs.length ? xs.map((x) => `- ${x}`).join('\n') : '- (none)');
  return `# Import into ${name}\n\n## Added\n\n${list(r.added)}\n\n## Kept (the file's values win)\n\n${list(r.conflicts)}\n`;
}
