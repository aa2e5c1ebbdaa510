// The editor features over a real stdio connection, as a plain LSP client (Neovim, Emacs) sees
// them: capabilities, hover, completion (plain text for a client without snippet support),
// go to definition into the site description and into a child sequence's file, references
// across open and closed sequences and the site file, document symbols and links. Workspace:
// a copy of test/fixtures/navigation.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompletionItem, CompletionList, DocumentLink, DocumentSymbol, Hover, Location, SymbolInformation } from 'vscode-languageserver/node';
import { LineIndex } from '../../server/src/model/positions';
import { LspClient, uri } from './lspClient';

const FIXTURE = join(__dirname, '..', 'fixtures', 'navigation');

function hoverText(h: Hover | null): string {
  const c = h?.contents;
  return typeof c === 'object' && c !== null && 'value' in c ? c.value : '';
}

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  return Array.isArray(r) ? r : (r?.items ?? []);
}

describe('editor features over plain LSP', () => {
  let c: LspClient;
  let root: string;
  let deploy: string;
  let deployUri: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'cmts-features-'));
    cpSync(FIXTURE, root, { recursive: true });
    c = await LspClient.start({ root, pull: false });
    deploy = readFileSync(join(root, 'sequences/deploy.xml'), 'utf8');
    deployUri = c.open(join(root, 'sequences/deploy.xml'));
    // The server has read the workspace once the closed refresh.xml gets its (empty) diagnostics.
    await c.waitFor('the workspace scan', () => c.pushed.has(deployUri));
  });
  after(async () => {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const pos = (text: string, needle: string, delta = 2, nth = 0) => {
    let i = -1;
    for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `"${needle}" is in the text`);
    return new LineIndex(text).positionAt(i + delta);
  };

  test('announces completion (with its trigger characters), definition, references, symbols, folding and links', () => {
    const caps = c.initializeResult.capabilities;
    assert.deepEqual([...(caps.completionProvider?.triggerCharacters ?? [])].sort(), ['"', '%', "'", '<'].sort());
    assert.ok(caps.definitionProvider && caps.referencesProvider && caps.documentSymbolProvider && caps.foldingRangeProvider && caps.documentLinkProvider && caps.hoverProvider);
  });

  test('hover on a step shows its display name; a content ID its site entry', async () => {
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: deployUri }, position: pos(deploy, 'SMS_TaskSequence_ApplyOperatingSystemAction') });
    assert.match(hoverText(h).split('\n')[0], /^\*\*Apply Operating System Image\*\*/);
    assert.match(hoverText(h), /\*Here:\* runs in Windows PE/);
    const id = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: deployUri }, position: pos(deploy, 'NAV00010', 2, 1) });
    assert.match(hoverText(id), /^\*\*Windows 11 23H2\*\* — operating system image `NAV00010`/);
  });

  test('hover on a variable (condition, %VAR% in a command line, Set Task Sequence Variable name) shows where it is set and read', async () => {
    const path = join(root, 'sequences/variables-hover.xml');
    const text = [
      '<sequence version="3.10">',
      '  <step type="SMS_TaskSequence_SetVariableAction" name="Set channel" runIn="WinPEandFullOS" successCodeList="0">',
      '    <action>tsenv.exe</action>',
      '    <defaultVarList><variable name="VariableName" property="VariableName">OfficeChannel</variable><variable name="VariableValue" property="VariableValue">Current</variable></defaultVarList>',
      '  </step>',
      '  <step type="SMS_TaskSequence_RunCommandLineAction" name="Install Office" runIn="FullOS" successCodeList="0">',
      '    <condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">exists</variable><variable name="Variable">OfficeChannel</variable></expression></condition>',
      '    <action>setup.exe /channel:%OfficeChannel%</action>',
      '  </step>',
      '</sequence>',
      '',
    ].join('\n');
    const u = c.open(path, 'tasksequence', text);
    try {
      const at = async (nth: number): Promise<string> => hoverText(await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: pos(text, 'OfficeChannel', 3, nth) }));
      const setName = await at(0);
      assert.match(setName, /^\*\*OfficeChannel\*\* — task sequence variable/);
      assert.match(setName, /\*Read after it:\* step 2 "Install Office"\./);
      for (const nth of [1, 2]) {
        const read = await at(nth);
        assert.match(read, /\*Before this step:\* can have a value: set by step 1 "Set channel" \(VariableName\)\./, `reference ${nth}`);
        assert.match(read, /read by step 2 "Install Office"|tested by step 2 "Install Office"/);
      }
    } finally {
      c.close(u);
    }
  });

  test('hover answers from the text just sent, without waiting for the re-check', async () => {
    const edited = deploy.replace('name="Apply Operating System"', 'name="Apply the new image"');
    c.change(deployUri, edited);
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: deployUri }, position: pos(edited, 'Apply the new image') });
    assert.match(hoverText(h), /Step 2 "Apply the new image"/);
    c.change(deployUri, deploy);
  });

  test('completion inside type="…" lists step classes; snippets come as plain text to a client without snippets', async () => {
    const typeAt = pos(deploy, 'SMS_TaskSequence_PartitionDiskAction', 0);
    const r = items(await c.request('textDocument/completion', { textDocument: { uri: deployUri }, position: typeAt }));
    const reboot = r.find((i) => i.label === 'SMS_TaskSequence_RebootAction');
    assert.equal(reboot?.detail, 'Restart Computer');
    assert.ok(reboot?.textEdit && 'range' in reboot.textEdit);
    if (reboot?.textEdit && 'range' in reboot.textEdit) {
      const lines = new LineIndex(deploy);
      const { start, end } = reboot.textEdit.range;
      assert.equal(deploy.slice(lines.offsetAt(start), lines.offsetAt(end)), 'SMS_TaskSequence_PartitionDiskAction');
    }
    const between = pos(deploy, '  <group name="Applications"', 0);
    const snippets = items(await c.request('textDocument/completion', { textDocument: { uri: deployUri }, position: between }));
    const restart = snippets.find((i) => i.label === 'Restart Computer');
    assert.ok(restart, 'step snippets between items');
    assert.equal(restart.insertTextFormat, 1, 'plain text');
    const newText = restart.textEdit && 'newText' in restart.textEdit ? restart.textEdit.newText : '';
    assert.match(newText, /^<step type="SMS_TaskSequence_RebootAction" name="Restart Computer"/);
    assert.doesNotMatch(newText, /\$\{\d/);
  });

  test('definition: a content ID goes to the site description, Run Task Sequence to the child\'s file', async () => {
    const site = readFileSync(join(root, 'configmgr-site.json'), 'utf8');
    const d = await c.request<Location[]>('textDocument/definition', { textDocument: { uri: deployUri }, position: pos(deploy, 'NAV00010', 2, 2) });
    assert.equal(d.length, 1);
    assert.equal(d[0].uri, uri(join(root, 'configmgr-site.json')));
    const lines = new LineIndex(site);
    assert.equal(site.slice(lines.offsetAt(d[0].range.start), lines.offsetAt(d[0].range.end)), 'NAV00010');
    const child = await c.request<Location[]>('textDocument/definition', { textDocument: { uri: deployUri }, position: pos(deploy, '<subtasksequence', 3) });
    assert.deepEqual(child.map((l) => l.uri), [uri(join(root, 'sequences/child-tools.xml'))]);
  });

  test('references of a content ID across open and closed sequences and the site file', async () => {
    const refs = await c.request<Location[]>('textDocument/references', { textDocument: { uri: deployUri }, position: pos(deploy, 'NAV00004', 2, 1), context: { includeDeclaration: true } });
    const byFile = new Map<string, number>();
    for (const r of refs) byFile.set(r.uri, (byFile.get(r.uri) ?? 0) + 1);
    assert.equal(byFile.get(deployUri), 2);
    assert.equal(byFile.get(uri(join(root, 'sequences/refresh.xml'))), 2, 'the closed refresh.xml');
    assert.equal(byFile.get(uri(join(root, 'configmgr-site.json'))), 1);
    const noDecl = await c.request<Location[]>('textDocument/references', { textDocument: { uri: deployUri }, position: pos(deploy, 'NAV00004', 2, 1), context: { includeDeclaration: false } });
    assert.equal(noDecl.length, refs.length - 1);
  });

  test('document symbols list the groups and numbered steps; links go to the public docs', async () => {
    // Nested DocumentSymbols or flat SymbolInformation, as the server chooses for this client.
    const symbols = await c.request<(DocumentSymbol | SymbolInformation)[]>('textDocument/documentSymbol', { textDocument: { uri: deployUri } });
    const flat = (list: (DocumentSymbol | SymbolInformation)[]): string[] => list.flatMap((s) => [s.name, ...('children' in s && s.children ? flat(s.children) : [])]);
    const names = flat(symbols);
    assert.ok(names.includes('Install Operating System') && names.includes('Applications'), names.join(', '));
    assert.ok(names.includes('1. Partition Disk 0') && names.includes('4. Run Task Sequence'), names.join(', '));
    const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: deployUri } });
    assert.equal(links.length, 4);
    for (const l of links) assert.match(l.target ?? '', /^https:\/\/learn\.microsoft\.com\//);
  });

  test('a large sequence just edited: hover, completion and the outline answer from the last model, at the current positions', async () => {
    // Over the size below which the server parses at once (models.ts STALE_MIN_CHARS): the model
    // for the new text is not parsed before these requests; they are answered from the last one.
    const stepXml = (n: number, type: string) => `  <step type="${type}" name="Step ${n}" description="" runIn="WinPEandFullOS" successCodeList="0">\n`
      + `    <action>cmd.exe /c echo ${n}</action>\n    <defaultVarList><variable name="CommandLine" property="CommandLine">cmd.exe /c echo ${n}</variable></defaultVarList>\n  </step>\n`;
    let body = '';
    for (let i = 1; i < 1500; i++) body += stepXml(i, 'SMS_TaskSequence_RunCommandLineAction');
    const text = `<?xml version="1.0"?>\n<sequence version="3.00">\n${body}${stepXml(1500, 'SMS_TaskSequence_RebootAction')}</sequence>\n`;
    const big = join(root, 'sequences', 'large.xml');
    const u = c.open(big, 'xml', text);
    const last = (t: string) => t.lastIndexOf('SMS_TaskSequence_RebootAction');
    await c.request('textDocument/hover', { textDocument: { uri: u }, position: new LineIndex(text).positionAt(last(text) + 3) });
    // Three lines inserted near the top move the last step down by three lines.
    const at = text.indexOf('  <step', 1000);
    const edited = `${text.slice(0, at)}  <!-- one\n  two\n  three -->\n${text.slice(at)}`;
    c.change(u, edited);
    const lines = new LineIndex(edited);
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: lines.positionAt(last(edited) + 3) });
    assert.match(hoverText(h), /Restart Computer/);
    assert.deepEqual(h?.range?.start, lines.positionAt(last(edited)), 'the range is where the type is now');
    const r = items(await c.request('textDocument/completion', { textDocument: { uri: u }, position: lines.positionAt(last(edited)) }));
    assert.ok(r.some((i) => i.label === 'SMS_TaskSequence_RebootAction'), 'step types in type="…"');
    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    const top = symbols.length === 1 && symbols[0].children ? symbols[0].children : symbols;
    assert.equal(top.at(-1)?.range.start.line, lines.positionAt(edited.lastIndexOf('<step ')).line);
    c.close(u);
  });
});
