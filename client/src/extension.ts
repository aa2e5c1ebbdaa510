// The VS Code extension: starts the cmts language server (dist/server.js over IPC), gives task
// sequence exports the "Task Sequence XML" language by looking at their content (they are plain
// .xml files), offers the commands, and shows which site description applies in a language
// status item. Everything about checking lives in the server.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type Middleware, type ServerOptions } from 'vscode-languageclient/node';
import { sniffTaskSequence, SNIFF_BYTES } from '../../server/src/model/sniff';
import {
  SITE_FILE_NAME, SITE_FOR, SITE_INIT, SITES_CHANGED,
  type InitializationOptions, type SiteForResult, type SiteInitParams, type SiteInitResult,
} from '../../server/src/lsp/protocol';
import { SETTINGS } from './settings';
import { registerSiteImport } from './siteImport';
import { registerRuleDocs } from './ruleDocs';
import { registerEditing } from './editing';
import { registerDiffDocViews } from './diffDocViews';
import { registerSmstsLog } from './smstsLog';

export const LANGUAGE_ID = 'tasksequence';

let client: LanguageClient | undefined;
/** Rule links open the rendered rule (ruleDocs.ts). */
let middleware: Middleware = {};
let output: vscode.LogOutputChannel;
let status: vscode.LanguageStatusItem;
/** Documents given our language once: when the user sets them back to XML, leave them be. */
const switched = new Set<string>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('cmts', { log: true });
  status = vscode.languages.createLanguageStatusItem('cmts.site', { language: LANGUAGE_ID });
  status.name = 'cmts: site description';
  status.text = 'cmts';
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => {
      detect(d);
      // Setting the language reopens the document without changing the active editor.
      if (d.languageId === LANGUAGE_ID) updateStatus();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => updateStatus()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS.enable)) void (enabled() ? start(context) : stop());
    }),
    vscode.commands.registerCommand('cmts.openSiteDescription', (uri?: vscode.Uri) => openSiteDescription(uri)),
    vscode.commands.registerCommand('cmts.createSiteDescription', (uri?: vscode.Uri) => createSiteDescription(uri)),
    vscode.commands.registerCommand('cmts.restartServer', () => restart(context)),
    vscode.commands.registerCommand('cmts.showOutput', () => output.show(true)),
  );
  middleware = registerRuleDocs(context);
  registerEditing(context);
  registerSiteImport(context, () => client);
  registerDiffDocViews(context, () => client, output);
  registerSmstsLog(context, LANGUAGE_ID, () => client, output);
  for (const d of vscode.workspace.textDocuments) detect(d);
  if (enabled()) await start(context);
  else updateStatus();
}

export async function deactivate(): Promise<void> {
  await stop();
}

function enabled(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(SETTINGS.enable, true);
}

// ---- language detection ------------------------------------------------------------------------

/** An XML document whose root is a task sequence (or an object.xml holding one) becomes Task Sequence XML. */
function detect(doc: vscode.TextDocument): void {
  if (doc.languageId !== 'xml' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return;
  const key = doc.uri.toString();
  if (switched.has(key)) return;
  const head = doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 4000), 0)).slice(0, SNIFF_BYTES);
  if (!sniffTaskSequence(head)) return;
  switched.add(key);
  vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID).then(
    () => updateStatus(),
    (e: unknown) => output.warn(`cmts: could not set the language of ${key}: ${String(e)}`),
  );
}

// ---- the language client ----------------------------------------------------------------------

async function start(context: vscode.ExtensionContext): Promise<void> {
  if (client) return;
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = {
    jsonSchemaValidation: true,
    // Formatting is for task sequences only: not announced for the site description or .cmts.json.
    formattingSelector: [{ scheme: 'file', language: LANGUAGE_ID }, { scheme: 'untitled', language: LANGUAGE_ID }],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
      { scheme: 'file', pattern: `**/${SITE_FILE_NAME}` },
      { scheme: 'file', pattern: '**/.cmts.json' },
      // An attached smsts.log: the server links its lines to the steps (document links).
      { scheme: 'file', pattern: '**/smsts*.log' },
    ],
    outputChannel: output,
    initializationOptions,
    diagnosticPullOptions: { onChange: true, onSave: true },
    middleware,
  };
  const c = new LanguageClient('cmts', 'cmts', serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) updateStatus();
  });
  try {
    await c.start();
    context.subscriptions.push(c.onNotification(SITES_CHANGED, () => updateStatus()));
  } catch (e) {
    output.error(`cmts: the language server did not start: ${String(e)}`);
    void vscode.window.showErrorMessage('cmts: the language server did not start; see the cmts output.', 'Show Output').then((a) => {
      if (a) output.show(true);
    });
  }
  updateStatus();
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  updateStatus();
  if (c) await c.stop().catch((e: unknown) => output.warn(`cmts: stopping the server: ${String(e)}`));
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  if (enabled()) await start(context);
}

async function siteFor(uri: vscode.Uri): Promise<SiteForResult | undefined> {
  if (!client?.isRunning()) return undefined;
  try {
    return await client.sendRequest<SiteForResult>(SITE_FOR, { uri: uri.toString() });
  } catch (e) {
    output.warn(`cmts: ${SITE_FOR} failed: ${String(e)}`);
    return undefined;
  }
}

// ---- status -----------------------------------------------------------------------------------

let statusSeq = 0;

function updateStatus(): void {
  const seq = ++statusSeq;
  const doc = vscode.window.activeTextEditor?.document;
  if (!client) {
    status.text = 'cmts off';
    status.detail = enabled() ? 'The cmts language server is not running.' : 'cmts.enable is off.';
    status.severity = vscode.LanguageStatusSeverity.Information;
    status.command = { title: 'Restart', command: 'cmts.restartServer' };
    return;
  }
  if (!doc || doc.languageId !== LANGUAGE_ID || !client.isRunning()) return;
  void siteFor(doc.uri).then((r) => {
    if (seq !== statusSeq || !r) return;
    if (r.siteUri) {
      status.text = `Site: ${r.siteLabel ?? path.basename(vscode.Uri.parse(r.siteUri).fsPath)}`;
      status.detail = r.problem ?? 'The site description this sequence is checked against';
      status.severity = r.problem ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
      status.command = { title: 'Open', command: 'cmts.openSiteDescription', arguments: [doc.uri] };
    } else {
      status.text = 'No site description';
      status.detail = r.problem ?? 'Site checks are skipped for this sequence';
      status.severity = vscode.LanguageStatusSeverity.Warning;
      status.command = { title: 'Create…', command: 'cmts.createSiteDescription', arguments: [doc.uri] };
    }
  });
}

// ---- commands ---------------------------------------------------------------------------------

async function openSiteDescription(uri?: vscode.Uri): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) {
    void vscode.window.showInformationMessage('cmts: open a task sequence first.');
    return;
  }
  const r = await siteFor(target);
  if (r?.siteUri) {
    await vscode.window.showTextDocument(vscode.Uri.parse(r.siteUri));
    return;
  }
  const why = r?.problem ?? (r?.taskSequence === false ? 'This file is not a task sequence.' : 'No site description applies to this task sequence.');
  const choice = await vscode.window.showInformationMessage(`cmts: ${why}`, 'Create Site Description');
  if (choice) await createSiteDescription(target);
}

async function createSiteDescription(uri?: vscode.Uri): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('cmts: the language server is not running (see cmts.enable).');
    return;
  }
  const base = uri ?? vscode.window.activeTextEditor?.document.uri;
  let folder = base ? vscode.workspace.getWorkspaceFolder(base)?.uri : undefined;
  if (!folder) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    folder = folders.length === 1 ? folders[0].uri : (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for the new configmgr-site.json' }))?.uri;
  }
  if (!folder && base?.scheme === 'file') folder = vscode.Uri.file(path.dirname(base.fsPath));
  if (!folder) {
    void vscode.window.showInformationMessage('cmts: open a folder first; the site description is written into it.');
    return;
  }
  const target = vscode.Uri.joinPath(folder, SITE_FILE_NAME);
  if (await exists(target)) {
    // Never overwrite: the engineer's own file is worth more than a generated one.
    void vscode.window.showInformationMessage(`cmts: ${vscode.workspace.asRelativePath(target)} already exists; it is opened instead.`);
    await vscode.window.showTextDocument(target);
    return;
  }
  const params: SiteInitParams = { targetUri: target.toString(), folderUri: folder.toString() };
  const r = await client.sendRequest<SiteInitResult | null>(SITE_INIT, params);
  if (!r) {
    void vscode.window.showErrorMessage('cmts: could not build the site description; see the cmts output.');
    return;
  }
  if (await exists(target)) {
    void vscode.window.showInformationMessage(`cmts: ${vscode.workspace.asRelativePath(target)} appeared meanwhile; it is opened instead.`);
  } else {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(r.text));
    void vscode.window.showInformationMessage(`cmts: wrote ${vscode.workspace.asRelativePath(target)} for ${r.sequences} task ${r.sequences === 1 ? 'sequence' : 'sequences'}; then add what is true of your site (product, version, distribution points), or run Import Site Description… with an export.`);
  }
  await vscode.window.showTextDocument(target);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
