// The manifest stays in step with the code: settings declared once in client/src/settings.ts,
// the language, grammar and schemas it contributes exist, the custom protocol's file name
// matches discovery's, and the TextMate grammar's additions match what they should.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { visit } from 'jsonc-parser';
import { CONFIGURATION } from '../../client/src/settings';
import { SITE_FILE_NAME } from '../../server/src/lsp/protocol';
import { SITE_FILE } from '../../server/src/workspace/discover';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

void test('package.json contributes.configuration is client/src/settings.ts', () => {
  assert.deepEqual(pkg.contributes.configuration, JSON.parse(JSON.stringify(CONFIGURATION)));
  assert.deepEqual(Object.keys(CONFIGURATION.properties).sort(), ['cmts.cli.path', 'cmts.enable', 'cmts.trace.server']);
});

void test('no object of package.json names a key twice (JSON.parse, as VS Code reads it, keeps only the last)', () => {
  const text = readFileSync(join(ROOT, 'package.json'), 'utf8');
  const open: Set<string>[] = [];
  const twice: string[] = [];
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (name, offset) => {
      const keys = open[open.length - 1];
      if (keys.has(name)) twice.push(`${name} at ${offset}`);
      keys.add(name);
    },
  });
  assert.deepEqual(twice, []);
  // Every command a menu shows is declared.
  const declared = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  for (const entries of Object.values(pkg.contributes.menus) as { command: string }[][]) for (const e of entries) assert.ok(declared.has(e.command), e.command);
  assert.ok(pkg.contributes.menus.commandPalette.some((e: { command: string }) => e.command === 'cmts.openLogAgainstSequence'));
});

void test('every file the manifest names exists', () => {
  const c = pkg.contributes;
  const files = [pkg.main, ...c.languages.map((l: { configuration: string }) => l.configuration), ...c.grammars.map((g: { path: string }) => g.path), ...c.jsonValidation.map((j: { url: string }) => j.url)];
  for (const f of files) assert.ok(existsSync(join(ROOT, f)) || f === './dist/client.js', f);
  assert.deepEqual(c.jsonValidation.map((j: { fileMatch: string }) => j.fileMatch), [SITE_FILE, '.cmts.json']);
  assert.equal(SITE_FILE_NAME, SITE_FILE);
});

void test('the activation events and commands the client registers are declared', () => {
  assert.ok(pkg.activationEvents.includes('onLanguage:xml'), 'XML files are looked at to detect task sequences');
  // Every file of the client: each feature registers its own commands (client/src/<feature>.ts).
  const src = readdirSync(join(ROOT, 'client/src')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(ROOT, 'client/src', f), 'utf8')).join('\n');
  const registered = [...src.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(pkg.contributes.commands.map((c: { command: string }) => c.command).sort(), registered);
});

void test('the grammar: XML underneath, step types, variables, content IDs, suppression comments', () => {
  const g = JSON.parse(readFileSync(join(ROOT, 'syntaxes/tasksequence.tmLanguage.json'), 'utf8'));
  assert.equal(g.scopeName, pkg.contributes.grammars[0].scopeName);
  assert.ok(g.patterns.some((p: { include: string }) => p.include === 'text.xml'));
  const r = g.repository;
  const re = (name: string) => new RegExp(r[name].match ?? r[name].begin);
  assert.equal(re('type-attribute').exec(' type="SMS_TaskSequence_RebootAction"')?.[4], 'SMS_TaskSequence_RebootAction');
  assert.equal(re('variable-reference').exec('cmd /c echo %OSDComputerName%')?.[2], 'OSDComputerName');
  assert.ok(re('package-id').test('CEN00006') && re('package-id').test('PS10001A'));
  assert.ok(!re('package-id').test('00000000') && !re('package-id').test('CEN000061'));
  assert.ok(re('application-id').test('ScopeId_5B1C0E5A-2E7D-4B77-9B5A-1E6C2A0F4D11/Application_8e0f3c2a-6b1d-4a9e-b7c5-2d4f6a8c0e13'));
  assert.deepEqual(/(<!--)\s*(cmts-disable(?:-next-line)?)(?=\s)/.exec('<!-- cmts-disable-next-line unknown-step-type -->')?.[2], 'cmts-disable-next-line');
  assert.equal(re('suppression-comment').source, /(<!--)\s*(cmts-disable(?:-next-line)?)(?=\s)/.source);
});

void test('the language configuration folds groups', () => {
  const lc = JSON.parse(readFileSync(join(ROOT, 'language-configuration.json'), 'utf8'));
  const start = new RegExp(lc.folding.markers.start);
  const end = new RegExp(lc.folding.markers.end);
  assert.ok(start.test('  <group name="Install" description="">'));
  assert.ok(!start.test('  <group name="Empty" />'));
  assert.ok(end.test('  </group>'));
  assert.deepEqual(lc.comments.blockComment, ['<!--', '-->']);
});
