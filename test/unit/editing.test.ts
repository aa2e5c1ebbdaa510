// The editing features as pure functions over test/fixtures/editing: a parent sequence that sets
// the variable AppRing and runs a child (EDT00060) which reads it, another parent running the same
// child, and their site description. Rename round trips, highlight, semantic tokens, workspace
// symbols, the Run Task Sequence graph (code lens, call hierarchy) and inlay hints.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../server/src/catalog';
import { parseTaskSequence } from '../../server/src/model/parse';
import { loadSite } from '../../server/src/site';
import { applyFormatEdits } from '../../server/src/features/format';
import { renameContentId, renameTargetAt, renameVariable, siteRenameTargetAt, type FileEdits, type SequenceFile } from '../../server/src/features/rename';
import { highlightsAt } from '../../server/src/features/highlight';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { workspaceSymbols } from '../../server/src/features/workspaceSymbols';
import { hierarchyItemAt, SequenceGraph, sequenceLenses } from '../../server/src/features/sequenceCalls';
import { inlayHints } from '../../server/src/features/inlayHints';
import { modelShape } from './helpers/modelShape';

const ROOT = join(__dirname, '..', 'fixtures', 'editing');
const siteText = readFileSync(join(ROOT, 'configmgr-site.json'), 'utf8');
const site = loadSite(siteText);
const file = (name: string): SequenceFile => {
  const text = readFileSync(join(ROOT, 'sequences', name), 'utf8');
  return { key: name, text, model: parseTaskSequence(text).model };
};
const parent = file('parent.xml');
const child = file('child.xml');
const other = file('other.xml');

function apply(f: { key: string; text: string }, r: { files: FileEdits[] }): string {
  const edits = r.files.find((x) => x.key === f.key)?.edits ?? [];
  return applyFormatEdits(f.text, edits);
}

function count(text: string, needle: string): number {
  return text.toLowerCase().split(needle.toLowerCase()).length - 1;
}

void test('rename a variable: every place in the sequence and its child, case ignored, and back again', () => {
  const at = parent.text.indexOf('property="VariableName">AppRing') + 'property="VariableName">'.length + 2;
  const t = renameTargetAt(parent.model, parent.text, at, catalog);
  assert.deepEqual(t && 'kind' in t ? [t.kind, t.kind === 'variable' && t.name] : t, ['variable', 'AppRing']);
  const r = renameVariable([parent, child], 'AppRing', 'DeployRing', catalog);
  assert.ok('files' in r);
  const p2 = apply(parent, r);
  const c2 = apply(child, r);
  // Global list (name and property), Set Task Sequence Variable, the condition, two %AppRing% in the parent; two in the child (written %apprING%), one in its condition.
  assert.equal(count(parent.text, 'AppRing'), 6);
  assert.equal(count(p2, 'AppRing'), 0);
  assert.equal(count(p2, 'DeployRing'), 6);
  assert.equal(count(c2, 'DeployRing'), 3);
  // Only the names changed: the model differs in those names alone.
  const back = renameVariable([{ ...parent, text: p2, model: parseTaskSequence(p2).model }, { ...child, text: c2, model: parseTaskSequence(c2).model }], 'DeployRing', 'AppRing', catalog);
  assert.ok('files' in back);
  assert.equal(apply({ key: 'parent.xml', text: p2 }, back), parent.text);
  assert.equal(modelShape(parseTaskSequence(apply({ key: 'parent.xml', text: p2 }, back)).model), modelShape(parent.model));
  // The child's own spelling is replaced with the new name: apprING becomes AppRing.
  assert.equal(apply({ key: 'child.xml', text: c2 }, back), child.text.replace(/apprING/g, 'AppRing'));
});

void test('rename refuses built-in variables and names that would break the XML', () => {
  const at = parent.text.indexOf('%OSDComputerName%') + 3;
  const t = renameTargetAt(parent.model, parent.text, at, catalog);
  assert.ok(t && 'refused' in t && /built-in/.test(t.refused), JSON.stringify(t));
  for (const bad of ['two words', 'a%b', 'x<y', '']) {
    const r = renameVariable([parent], 'AppRing', bad, catalog);
    assert.ok('refused' in r, bad);
  }
});

void test('rename a content ID: every sequence and the site description, and back again', () => {
  const at = parent.text.indexOf('>EDT00060</variable>') + 3;
  const t = renameTargetAt(parent.model, parent.text, at, catalog);
  assert.ok(t && 'kind' in t && t.kind === 'content' && t.id === 'EDT00060');
  const r = renameContentId([parent, child, other], { key: 'site', site }, 'EDT00060', 'EDT000A0', catalog);
  assert.ok('files' in r, JSON.stringify(r));
  const s2 = apply({ key: 'site', text: siteText }, r);
  assert.equal(count(s2, 'EDT00060'), 0);
  assert.equal(count(s2, 'EDT000A0'), 1);
  // TsPackageID is the reference; TsName ("EDT00060, Install tools") is the console's label, not read as one.
  assert.equal(count(apply(parent, r), 'EDT000A0'), 1);
  assert.equal(count(apply(other, r), 'EDT000A0'), 1);
  assert.deepEqual(loadSite(s2).problems, []);
  // From the site description itself: the same edits.
  const fromSite = siteRenameTargetAt(site, siteText.indexOf('EDT00060') + 2);
  assert.deepEqual(fromSite && fromSite.kind === 'content' ? fromSite.id : undefined, 'EDT00060');
  const s3 = loadSite(s2);
  const back = renameContentId([{ ...parent, text: apply(parent, r), model: parseTaskSequence(apply(parent, r)).model }], { key: 'site', site: s3 }, 'EDT000A0', 'EDT00060', catalog);
  assert.ok('files' in back);
  assert.equal(apply({ key: 'site', text: s2 }, back), siteText);
  assert.equal(apply({ key: 'parent.xml', text: apply(parent, r) }, back), parent.text);
  // A malformed or taken ID is refused.
  assert.ok('refused' in renameContentId([parent], { key: 'site', site }, 'EDT00060', 'NOT-AN-ID', catalog));
  assert.ok('refused' in renameContentId([parent], { key: 'site', site }, 'EDT00060', 'EDT00030', catalog));
});

void test('document highlight: a variable (writes marked) and a content ID', () => {
  const hs = highlightsAt(parent.model, parent.text, parent.text.indexOf('%AppRing%') + 2, catalog);
  assert.equal(hs.length, 6);
  assert.deepEqual(hs.map((h) => h.kind), ['write', 'write', 'write', 'read', 'read', 'read']);
  for (const h of hs) assert.equal(parent.text.slice(h.span.start, h.span.end), 'AppRing');
  const ids = highlightsAt(child.model, child.text, child.text.indexOf('EDT00030') + 1, catalog);
  assert.equal(ids.length, 1);
  assert.deepEqual(highlightsAt(parent.model, parent.text, 0, catalog), []);
});

void test('semantic tokens: variables in command lines and conditions, content IDs, step types known, MDT, unknown', () => {
  const tokens = semanticTokens(parent.model, parent.text, catalog);
  const named = tokens.map((t) => `${t.type}${t.modifiers.length ? `.${t.modifiers.join('.')}` : ''}:${parent.text.slice(t.span.start, t.span.end)}`);
  for (const want of ['variable.modification:AppRing', 'variable:AppRing', 'variable:OSDComputerName', 'contentId:EDT00030', 'contentId:EDT00060', 'stepType:SMS_TaskSequence_SetVariableAction', 'stepType.mdt:BDD_Gather', 'stepType.unknown:Contoso_UnknownAction', 'variable:SCRIPTROOT']) {
    assert.ok(named.includes(want), `${want} in ${named.join(', ')}`);
  }
  for (let i = 1; i < tokens.length; i++) assert.ok(tokens[i].span.start >= tokens[i - 1].span.end, 'no overlap');
  // Over every rule fixture: tokens in order, never overlapping, each on characters of its file.
  const c = semanticTokens(child.model, child.text, catalog);
  assert.deepEqual(c.filter((t) => t.type === 'variable').map((t) => child.text.slice(t.span.start, t.span.end)), ['AppRing', '_SMSTSMachineName', 'apprING', 'apprING']);
});

void test('workspace symbols: steps and groups of every sequence by name, characters in order', () => {
  const files = [parent, child, other].map((f) => ({ key: f.key, model: f.model, container: f.key }));
  const all = workspaceSymbols(files, '', catalog);
  assert.equal(all.length, parent.model.steps.length + parent.model.groups.length + child.model.steps.length + other.model.steps.length);
  const ring = workspaceSymbols(files, 'ring', catalog);
  assert.deepEqual(ring.map((s) => s.name), ['1. Set ring', '2. Log ring', '1. Install for ring']);
  assert.deepEqual(workspaceSymbols(files, 'rntls', catalog).map((s) => `${s.key}:${s.name}`), ['parent.xml:5. Run tools', 'other.xml:1. Run tools too']);
  assert.equal(ring[0].detail, 'Set Task Sequence Variable');
});

void test('the Run Task Sequence graph: lenses on the child and the steps, call hierarchy both ways', () => {
  const nodes = [
    { key: 'parent.xml', name: 'Deploy', model: parent.model, site: 's', packageId: 'EDT00050' },
    { key: 'child.xml', name: 'Install tools', model: child.model, site: 's', packageId: 'EDT00060' },
    { key: 'other.xml', name: 'Refresh', model: other.model, site: 's', packageId: 'EDT00051' },
  ];
  const g = new SequenceGraph(nodes, catalog);
  const childLenses = sequenceLenses(g, 'child.xml');
  assert.deepEqual(childLenses.map((l) => l.title), ['EDT00060: run by 2 sequences ("Deploy", "Refresh")']);
  assert.deepEqual(childLenses[0].targets.map((t) => t.key), ['parent.xml', 'other.xml']);
  const parentLenses = sequenceLenses(g, 'parent.xml');
  assert.deepEqual(parentLenses.map((l) => l.title), ['EDT00050: run by no sequence in the workspace', 'runs "Install tools" (EDT00060, 1 steps)']);
  assert.equal(parent.text.slice(parentLenses[1].span.start, parentLenses[1].span.end), 'Run tools');
  assert.deepEqual(g.callsInto('child.xml').map((c) => c.from.key), ['parent.xml', 'other.xml']);
  assert.deepEqual(g.callsFrom('parent.xml').map((c) => c.to?.key), ['child.xml']);
  // On the Run Task Sequence step: the child; elsewhere: the sequence itself.
  assert.equal(hierarchyItemAt(g, 'parent.xml', parent.text.indexOf('name="Run tools"') + 8)?.key, 'child.xml');
  assert.equal(hierarchyItemAt(g, 'parent.xml', 3)?.key, 'parent.xml');
  // Another site's sequence with the same ID is not a caller.
  const split = new SequenceGraph([nodes[0], { ...nodes[1], site: 'elsewhere' }], catalog);
  assert.deepEqual(split.callsInto('child.xml'), []);
});

void test('inlay hints: step numbers and the site names of content IDs, within the range', () => {
  const hints = inlayHints(parent.model, parent.text, catalog, site, { start: 0, end: parent.text.length });
  const labels = hints.map((h) => h.label);
  // The engine's instruction numbers, groups included: the group Prepare is 0 and its end 5, so Run
  // tools is 6; each with its run context (nothing here decides between Windows PE and the full OS).
  assert.deepEqual(labels.filter((l) => l.startsWith('#')), ['#0 · either', '#1 · either', '#2 · either', '#3 · either', '#4 · either', '#6 · either']);
  // The label goes before the item's start tag.
  assert.equal(parent.text.slice(hints.find((h) => h.label === '#6 · either')!.offset).slice(0, 16), '<subtasksequence');
  assert.ok(labels.includes('Line-of-business tools'));
  assert.ok(labels.includes('Install tools'));
  const first = parent.text.indexOf('<subtasksequence');
  assert.ok(inlayHints(parent.model, parent.text, catalog, site, { start: first, end: parent.text.length }).every((h) => h.offset >= first));
  assert.ok(inlayHints(parent.model, parent.text, catalog, undefined, { start: 0, end: parent.text.length }).every((h) => h.kind === 'parameter'));
});

void test('semantic tokens over every rule fixture: in order, never overlapping, each on the characters it names', () => {
  const dir = join(__dirname, '..', 'fixtures', 'rules');
  let total = 0;
  for (const rule of readdirSync(dir)) {
    for (const name of readdirSync(join(dir, rule)).filter((n) => n.endsWith('.xml'))) {
      const text = readFileSync(join(dir, rule, name), 'utf8');
      const model = parseTaskSequence(text).model;
      const tokens = semanticTokens(model, text, catalog);
      total += tokens.length;
      let end = 0;
      for (const t of tokens) {
        assert.ok(t.span.start >= end && t.span.end > t.span.start && t.span.end <= text.length, `${rule}/${name}`);
        end = t.span.end;
        const s = text.slice(t.span.start, t.span.end);
        if (t.type === 'stepType') assert.equal(s, model.steps.find((x) => x.attrs.type?.span.start === t.span.start)?.type);
        else assert.match(s, /^[^%\s<>"]+$/, `${rule}/${name}: ${s}`);
      }
    }
  }
  assert.ok(total > 500, `${total} tokens`);
});
