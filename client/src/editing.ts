// VS Code side of the editing features: the code lenses' command (`cmts.showLocations`, the callers
// or the child sequence in the peek view) and the `cmts` task type that runs `cmts check` with the
// `$cmts` problem matcher (the CLI on the PATH, or the one `cmts.cli.path` names).

import * as vscode from 'vscode';
import { SETTINGS } from './settings';

interface LspLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const pos = (p: { line: number; character: number }): vscode.Position => new vscode.Position(p.line, p.character);

export function registerEditing(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cmts.showLocations', (uri: string, at: { line: number; character: number }, locations: LspLocation[]) => {
      const locs = locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(pos(l.range.start), pos(l.range.end))));
      if (locs.length === 1) return vscode.window.showTextDocument(locs[0].uri, { selection: locs[0].range });
      return vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), pos(at), locs);
    }),
    vscode.tasks.registerTaskProvider('cmts', {
      provideTasks: () => (vscode.workspace.workspaceFolders ?? []).map((f) => checkTask({ type: 'cmts', args: ['check', '.'] }, f)),
      resolveTask: (task) => (task.definition.type === 'cmts' && task.scope && typeof task.scope === 'object' ? checkTask(task.definition as CheckDefinition, task.scope) : undefined),
    }),
  );
}

interface CheckDefinition extends vscode.TaskDefinition {
  args?: string[];
}

function checkTask(def: CheckDefinition, folder: vscode.WorkspaceFolder): vscode.Task {
  const cli = vscode.workspace.getConfiguration(undefined, folder.uri).get<string>(SETTINGS.cliPath) || 'cmts';
  const args = def.args?.length ? def.args : ['check', '.'];
  const task = new vscode.Task(def, folder, args.join(' '), 'cmts', new vscode.ShellExecution(cli, args, { cwd: folder.uri.fsPath }), '$cmts');
  task.group = vscode.TaskGroup.Test;
  return task;
}
