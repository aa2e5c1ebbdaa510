// smsts.log against the sequence in VS Code (issue 18): the "Open Log Against This Sequence…"
// command (a file picker; the server reads the files from disk, so a 200 MB log never passes
// through the extension host), and, when a smsts*.log is opened while a task sequence is the
// active editor, an offer to attach it: a message with a button, never done silently.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ATTACH_LOG, type AttachLogParams, type AttachLogResult } from '../../server/src/lsp/logProtocol';

/** VS Code does not hand files over this size to extensions: opening one beside would show nothing of ours. */
const OPEN_BESIDE_MAX_BYTES = 50 * 1024 * 1024;
const LOG_NAME = /^smsts.*\.log$/i;

export function registerSmstsLog(context: vscode.ExtensionContext, languageId: string, client: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
  /** The task sequence editor active last, and when it stopped being active (opening a log moves focus to it). */
  let lastSequence: { uri: vscode.Uri; left?: number } | undefined;
  /** Offers made, per sequence and log: each is made once. */
  const offered = new Set<string>();

  const isSequence = (d: vscode.TextDocument | undefined): d is vscode.TextDocument => d?.languageId === languageId;

  const attach = async (sequence: vscode.Uri, logs: vscode.Uri[]): Promise<AttachLogResult | undefined> => {
    const c = client();
    if (!c?.isRunning()) {
      void vscode.window.showWarningMessage('cmts: the language server is not running.');
      return undefined;
    }
    const params: AttachLogParams = { sequenceUri: sequence.toString(), logUris: logs.map((l) => l.toString()) };
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'cmts: reading smsts.log' }, () => c.sendRequest<AttachLogResult>(ATTACH_LOG, params));
    for (const p of r.problems) output.warn(`cmts: ${p}`);
    const name = path.basename(sequence.fsPath);
    if (!r.attached) void vscode.window.showWarningMessage(`cmts: no log was attached to ${name}. ${r.problems[0] ?? ''}`.trim());
    // The mismatch is said once, here, and as one diagnostic on the sequence.
    else if (r.notice) void vscode.window.showWarningMessage(`cmts: ${r.notice}`);
    else {
      const failed = r.failures === 1 ? '1 step failed' : `${r.failures} steps failed`;
      void vscode.window.showInformationMessage(`cmts: the log is laid on ${name}: ${r.steps} steps and groups in the run, ${failed}, ${r.outcome ?? 'unfinished'}.`);
    }
    return r;
  };

  const openLog = async (uri?: vscode.Uri): Promise<void> => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!isSequence(doc)) {
      void vscode.window.showInformationMessage('cmts: open a task sequence first, then attach its smsts.log.');
      return;
    }
    const logs = await vscode.window.showOpenDialog({
      canSelectMany: true,
      defaultUri: vscode.Uri.file(path.dirname(doc.uri.fsPath)),
      filters: { 'smsts.log': ['log', 'lo_'], 'All files': ['*'] },
      openLabel: 'Read Against Sequence',
      title: 'smsts.log (and its rolled-over smsts-*.log files) of a run of this sequence',
    });
    if (!logs?.length) return;
    const r = await attach(doc.uri, logs);
    if (!r?.attached) return;
    // The newest file beside the sequence, so its lines' links to the steps are at hand.
    const newest = logs.find((l) => path.basename(l.fsPath).toLowerCase() === 'smsts.log') ?? logs[logs.length - 1];
    const size = (await vscode.workspace.fs.stat(newest).then((s) => s.size, () => Infinity));
    if (size <= OPEN_BESIDE_MAX_BYTES) {
      offered.add(`${doc.uri.toString()}|${newest.toString()}`);
      await vscode.window.showTextDocument(newest, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('cmts.openLogAgainstSequence', (uri?: vscode.Uri) => openLog(uri)),
    vscode.window.onDidChangeActiveTextEditor((e) => {
      if (isSequence(e?.document)) lastSequence = { uri: e.document.uri };
      else if (lastSequence && lastSequence.left === undefined) lastSequence.left = Date.now();
    }),
    vscode.workspace.onDidOpenTextDocument((d) => {
      // A file detected as a task sequence is reopened with its new language while its editor stays
      // active (no active-editor event follows): it is the active sequence from now on.
      if (isSequence(d) && vscode.window.activeTextEditor?.document.uri.toString() === d.uri.toString()) {
        lastSequence = { uri: d.uri };
        return;
      }
      if (d.uri.scheme !== 'file' || !LOG_NAME.test(path.basename(d.uri.fsPath))) return;
      // Active now, or until a moment ago (the log taking focus as it opens).
      const active = vscode.window.activeTextEditor?.document;
      const seq = isSequence(active) ? active.uri : lastSequence && (lastSequence.left === undefined || Date.now() - lastSequence.left < 2000) ? lastSequence.uri : undefined;
      if (!seq) {
        output.info(`cmts: ${path.basename(d.uri.fsPath)} opened with no task sequence active: nothing offered (use "Open Log Against This Sequence…").`);
        return;
      }
      const key = `${seq.toString()}|${d.uri.toString()}`;
      if (offered.has(key)) return;
      offered.add(key);
      output.info(`cmts: offering to read ${d.uri.fsPath} against ${seq.fsPath}.`);
      const choice = 'Attach Log';
      void vscode.window.showInformationMessage(`cmts: read ${path.basename(d.uri.fsPath)} against ${path.basename(seq.fsPath)}? Failures show on the steps and durations beside them.`, choice).then((a) => {
        if (a === choice) void attach(seq, [d.uri]).catch((e: unknown) => output.error(`cmts: attaching the log: ${String(e)}`));
      });
    }),
  );
  if (isSequence(vscode.window.activeTextEditor?.document)) lastSequence = { uri: vscode.window.activeTextEditor.document.uri };
}
