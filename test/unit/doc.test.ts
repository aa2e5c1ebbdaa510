// `cmts doc`'s core over test/fixtures/doc/: the page data (numbers from a numberOf defined here,
// nested groups, disabled steps and steps skipped with their group, conditions in hover's words,
// content named from the site description, child sequence links, variables set and read, findings
// at their steps, secrets hidden) and both writers (escaping in Markdown and HTML; the HTML has no
// script and no remote asset).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../../server/src/catalog';
import type { NumberOf } from '../../server/src/features/diff';
import { escapeHtml, indexHtml, inlineHtml, pageHtml } from '../../server/src/features/doc/html';
import { indexMarkdown, pageMarkdown } from '../../server/src/features/doc/markdown';
import { docPage, type DocEntry, type DocFinding } from '../../server/src/features/doc/page';
import { stepVariables } from '../../server/src/features/doc/variables';
import { parseTaskSequence } from '../../server/src/model/parse';
import { loadSite } from '../../server/src/site';
import { HtmlValidate } from 'html-validate';

const DIR = join(__dirname, '..', 'fixtures', 'doc');
const text = readFileSync(join(DIR, 'parent.xml'), 'utf8');
const { model } = parseTaskSequence(text);
const site = loadSite(readFileSync(join(DIR, 'configmgr-site.json'), 'utf8'));
const numberOf: NumberOf = (item) => (item.kind === 'step' ? 100 + item.number : undefined);
const at = (needle: string): number => text.indexOf(needle);
const findings: DocFinding[] = [
  { rule: 'content-not-distributed', severity: 'warning', message: 'Package <CEN00006> & co', span: { start: at('CEN00006</variable>'), end: at('CEN00006</variable>') + 8 } },
  { rule: 'sequence-size', severity: 'info', message: 'on the sequence', span: { start: at('<sequence'), end: at('<sequence') + 9 } },
];
const page = docPage({ file: 'seq/parent.xml', model, catalog, site, numberOf, findings, childHref: (id) => (id === 'CEN00040' ? 'child.html' : undefined) });

function flat(entries: DocEntry[], depth = 0): [number, string, string, number | undefined][] {
  return entries.flatMap((e) => [[depth, e.kind, e.name, e.number] as [number, string, string, number | undefined], ...flat(e.children, depth + 1)]);
}

test('groups nest, steps carry the numbers numberOf gives', () => {
  assert.deepEqual(flat(page.entries), [
    [0, 'group', 'Outer & <main>', undefined],
    [1, 'group', 'Inner', undefined],
    [2, 'step', 'Inside a disabled group', 101],
    [1, 'step', '<script>alert(1)</script>', 102],
    [1, 'step', 'Run child', 103],
    [1, 'step', 'Install Office', 104],
  ]);
  assert.deepEqual([page.title, page.steps, page.groups, page.counts], ['parent.xml', 4, 2, { errors: 0, warnings: 1, infos: 1 }]);
});

test('disabled steps and steps skipped with a disabled group are marked', () => {
  const [outer] = page.entries;
  const [inner, script, child, office] = outer.children;
  assert.deepEqual([inner.disabled, inner.children[0].disabled, inner.children[0].inDisabledGroup], [true, false, true]);
  assert.deepEqual([script.disabled, child.disabled, child.inDisabledGroup, office.continueOnError], [true, false, false, true]);
  assert.match(pageMarkdown(page), /\*\*101\.\*\* \*\*~~Inside a disabled group~~\*\* — Run Command Line \*\(skipped: a group around it is disabled\)\*/);
  assert.match(pageHtml(page), /<li class="item step disabled" id="step-102">.*<span class="flag">disabled<\/span>/);
});

test('conditions in hover\'s words, content named from the site description, a child sequence linked', () => {
  const office = page.entries[0].children[3];
  assert.equal(office.condition, '`InstallOffice` equals `1` or `OSDStamp` exists');
  assert.deepEqual(office.content, [{ id: 'CEN00006', words: '`CEN00006` Office 2016 & Visio (package)', via: 'PackageID' }]);
  assert.deepEqual(office.properties, [{ label: 'ProgramName', variable: '_SMSSWDProgramName', value: '`Install`' }], 'the command line is said once, not again as a property');
  const child = page.entries[0].children[2];
  assert.deepEqual(child.content, [{ id: 'CEN00040', words: '`CEN00040` Child tasks (task sequence)', via: 'TsPackageID', href: 'child.html' }]);
  assert.ok(pageMarkdown(page).includes('- TsPackageID: [`CEN00040` Child tasks (task sequence)](child.html)'));
  assert.ok(pageHtml(page).includes('<li>TsPackageID: <a href="child.html"><code>CEN00040</code> Child tasks (task sequence)</a></li>'));
  assert.ok(pageHtml(page).includes('<li>Runs only when <code>InstallOffice</code> equals <code>1</code> or <code>OSDStamp</code> exists</li>'));
});

test('variables set and read per step, from the usage tables', () => {
  const vars = stepVariables(model, catalog);
  const byName = new Map([...vars].map(([item, v]) => [item.name, v]));
  assert.deepEqual(byName.get('<script>alert(1)</script>'), { sets: ['OSDStamp'], reads: ['_SMSTSPackageID'] });
  assert.deepEqual(byName.get('Inside a disabled group')?.reads.includes('OSDDomain'), true);
  assert.deepEqual(byName.get('Install Office')?.reads.slice(0, 2), ['InstallOffice', 'OSDStamp']);
  // The renderer takes any per-item list: a replacement flow plugs in without touching it.
  const custom = docPage({ file: 'x.xml', model, catalog, variables: new Map([[model.steps[3], { sets: ['Mine'], reads: [] }]]) });
  assert.deepEqual(custom.entries[0].children[3].variables, { sets: ['Mine'], reads: [] });
  assert.deepEqual(custom.entries[0].children[1].variables, { sets: [], reads: [] });
});

test('findings at their steps, the others on the sequence', () => {
  const office = page.entries[0].children[3];
  assert.deepEqual(office.findings.map((f) => f.rule), ['content-not-distributed']);
  assert.deepEqual(page.findings.map((f) => f.rule), ['sequence-size']);
  const md = pageMarkdown(page);
  assert.ok(md.includes('    - **warning** `content-not-distributed`: Package \\<CEN00006\\> & co'), md);
  assert.ok(md.includes('## Findings on the sequence\n\n- **info** `sequence-size`: on the sequence'));
  assert.ok(pageHtml(page).includes('<span class="sev sev-warning">warning</span> <code>content-not-distributed</code>: Package &lt;CEN00006&gt; &amp; co</li>'));
});

test('names and values are escaped: no markup from the sequence reaches the page', () => {
  const html = pageHtml(page);
  assert.ok(!html.includes('<script'), 'a step named <script> stays text');
  assert.ok(html.includes('<span class="name">&lt;script&gt;alert(1)&lt;/script&gt;</span>'));
  assert.ok(html.includes('<span class="name">Outer &amp; &lt;main&gt;</span>'));
  assert.ok(html.includes('<li>Runs &quot;everything&quot;</li>'));
  const md = pageMarkdown(page);
  assert.ok(md.includes('**~~\\<script\\>alert(1)\\</script\\>~~**'), md);
  assert.ok(md.includes('Group **Outer & \\<main\\>**'));
  assert.equal(inlineHtml('`a<b` and \\_x\\_ & `c`'), '<code>a&lt;b</code> and _x_ &amp; <code>c</code>');
  assert.equal(escapeHtml(`<&"'>`), '&lt;&amp;&quot;&#39;&gt;');
});

test('HTML is one self-contained page: valid, no script, no remote asset, the generator mark', () => {
  const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
  for (const html of [pageHtml(page, 'index.html'), pageHtml(page), indexHtml([{ page, href: 'parent.html' }])]) {
    const report = validator.validateStringSync(html);
    assert.ok(report.valid, JSON.stringify(report.results.flatMap((x) => x.messages.map((m) => `${m.ruleId} ${m.message}`))));
  }
  for (const html of [pageHtml(page, 'index.html'), indexHtml([{ page, href: 'parent.html' }])]) {
    assert.ok(html.startsWith('<!DOCTYPE html>\n<!-- generated by cmts doc -->\n<html lang="en">'));
    assert.ok(!/<script|<link|<img|<iframe|@import|url\(/i.test(html.replace(/&lt;script/g, '')), 'nothing is loaded from elsewhere');
    assert.ok(!/(src|href)="(https?:)?\/\//i.test(html));
  }
  assert.ok(pageHtml(page, 'index.html').includes('<nav><a href="index.html">All task sequences</a></nav>'));
  assert.ok(!pageHtml(page).includes('<nav>'), 'a single page links to no index');
});

test('a secret is hidden in the page', () => {
  const secret = text.replace('<variable name="VariableValue" property="VariableValue">%_SMSTSPackageID%</variable>', '<variable name="VariableValue" property="VariableValue">hunter2</variable><variable name="DoNotShowVariableValue" property="DoNotShowVariableValue">true</variable>');
  const p = docPage({ file: 'x.xml', model: parseTaskSequence(secret).model, catalog });
  const md = pageMarkdown(p);
  assert.ok(!md.includes('hunter2') && md.includes('VariableValue: (hidden)'), md);
});

test('the index lists every page with its counts', () => {
  const md = indexMarkdown([{ page, href: 'parent file.md' }]);
  assert.ok(md.includes('| [parent.xml](parent%20file.md) | `seq/parent.xml` | 4 | 2 | 0 errors, 1 warning, 1 note |'), md);
  assert.ok(indexHtml([{ page, href: 'parent.html' }]).includes('<tr><td><a href="parent.html">parent.xml</a></td><td><code>seq/parent.xml</code></td><td>4</td><td>2</td><td>0 errors, 1 warning, 1 note</td></tr>'));
});

test('an empty sequence and a file with no sequence still give a page', () => {
  const empty = docPage({ file: 'e.xml', model: parseTaskSequence('<sequence version="3.10"/>').model, catalog });
  assert.ok(pageMarkdown(empty).includes('The sequence has no steps.'));
  const none = docPage({ file: 'n.xml', model: parseTaskSequence('<nothing/>').model, catalog });
  assert.equal(none.entries.length, 0);
});
