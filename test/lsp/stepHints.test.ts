// Step numbers in the editor (issue 18) through the in-process server: inlay hints with the
// engine's instruction number and run context for a client that has inlay hints, code lens for
// one that has not (beside the Run Task Sequence lenses every client gets); numbers follow the
// child sequence the site description names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeLens, InlayHint } from 'vscode-languageserver/node';
import { LspClient } from './lspClient';
import { lineOf, logWorkspace } from './logWorkspace';

/** A step label as code lens: `#N · context …` or, with no number, the context alone. */
function isStepLabel(l: CodeLens): boolean {
  return l.command?.command === '' && /^(#\d+ · )?(Windows PE|full OS|either|never runs)( · |$)/.test(l.command.title);
}

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

void test('inlay hints give every step and group its smsts.log number and run context', async () => {
  const root = logWorkspace();
  const c = await LspClient.startInProcess({ root, pull: true, capabilities: { textDocument: { inlayHint: { dynamicRegistration: false } } } });
  try {
    assert.ok(c.initializeResult.capabilities.inlayHintProvider, 'inlay hints announced');
    const path = join(root, 'deploy.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } });
    assert.deepEqual(lenses.filter(isStepLabel), [], 'no step labels as code lens when the client has inlay hints');
    assert.ok(lenses.some((l) => l.range.start.line === lineOf(text, 'Run Child')), 'the Run Task Sequence lens is still there');
    const hints = await c.waitFor('inlay hints', async () => {
      const h = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range: WHOLE });
      return h.length ? h : undefined;
    });
    const at = (name: string): string[] => hints.filter((h) => h.position.line === lineOf(text, name)).map((h) => String(h.label));
    // The numbering of the fixture (test/fixtures/log/README.md): groups take a start and an end number.
    assert.deepEqual(at('Install Windows'), ['#0 · either']);
    assert.deepEqual(at('Set Variables'), ['#2 · either']);
    assert.deepEqual(at('Disabled Step'), ['#3 · never runs']);
    assert.deepEqual(at('Partition Disk'), ['#6 · Windows PE']);
    assert.deepEqual(at('Install Required App'), ['#11 · full OS']);
    // Run Child's child (child.xml, through configmgr-site.json) takes 14–18: Final Step is 20; after
    // a child sequence (which may restart the computer) the flow cannot tell where it runs.
    assert.deepEqual(at('Final Step'), ['#20 · either']);
    assert.equal(hints.filter((h) => h.kind === 2).length, 13, 'one step label per step and group of deploy.xml');
    // Issue 19's hint after a content ID stays: the child's name in the site description.
    assert.deepEqual(hints.filter((h) => h.kind === 1).map((h) => h.label), ['Child']);
    const tip = hints.find((h) => h.position.line === lineOf(text, 'Install Windows'))!.tooltip;
    assert.match(String(tip), /instruction 0, ends at 19/);
    // A range asks for the items that start in it only.
    const line = lineOf(text, 'Final Step');
    const some = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } } });
    assert.deepEqual(some.map((h) => h.label), ['#20 · either']);
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('without its child sequence the numbers stop after Run Task Sequence, contexts stay', async () => {
  const root = logWorkspace(['deploy.xml']);
  const c = await LspClient.startInProcess({ root, pull: true, capabilities: { textDocument: { inlayHint: {} } } });
  try {
    const path = join(root, 'deploy.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    const hints = await c.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range: WHOLE });
    const final = hints.find((h) => h.position.line === lineOf(text, 'Final Step'));
    assert.equal(final?.label, 'either', 'no number is guessed past the unreadable child');
    assert.equal(hints.find((h) => h.position.line === lineOf(text, 'Run Child'))?.label, '#13 · full OS');
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

void test('a client without inlay hints gets the same labels as code lens', async () => {
  const root = logWorkspace();
  const c = await LspClient.startInProcess({ root, pull: false });
  try {
    assert.ok(c.initializeResult.capabilities.codeLensProvider, 'code lens announced');
    const path = join(root, 'deploy.xml');
    const text = readFileSync(path, 'utf8');
    const u = c.open(path);
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } });
    const steps = lenses.filter(isStepLabel);
    assert.equal(steps.length, 13, 'one label per step and group');
    const partition = steps.find((l) => l.range.start.line === lineOf(text, 'Partition Disk'));
    assert.equal(partition?.command?.title, '#6 · Windows PE');
    assert.equal(partition?.command?.command, '', 'a label: clicking it does nothing');
    // The Run Task Sequence lens (the sequence the step runs) is kept beside the step's label.
    const onRunChild = lenses.filter((l) => l.range.start.line === lineOf(text, 'Run Child')).map((l) => l.command?.title);
    assert.equal(onRunChild.length, 2, JSON.stringify(onRunChild));
    assert.ok(onRunChild.includes('#13 · full OS'));
  } finally {
    await c.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
