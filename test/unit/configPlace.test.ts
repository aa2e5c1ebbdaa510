// Where a new .cmts.json goes: beside the site description above the sequence, else the workspace folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../../server/src/checks';
import { newConfigPathFor } from '../../server/src/workspace/configPlace';
import { ruleLine, ruleSection } from '../../client/src/ruleSection';

void test('a new .cmts.json goes beside the site description that governs the sequence', () => {
  const ws = join('/', 'ws');
  assert.equal(newConfigPathFor(join(ws, 'siteA', 'seq', 'a.xml'), join(ws, 'siteA', 'configmgr-site.json'), ws), join(ws, 'siteA', '.cmts.json'));
  // A site description named elsewhere (not above the sequence): discovery would not find it there.
  assert.equal(newConfigPathFor(join(ws, 'seq', 'a.xml'), join('/', 'other', 'configmgr-site.json'), ws), join(ws, '.cmts.json'));
  assert.equal(newConfigPathFor(join(ws, 'seq', 'a.xml'), undefined, ws), join(ws, '.cmts.json'));
  assert.equal(newConfigPathFor(join(ws, 'seq', 'a.xml'), undefined, undefined), join(ws, 'seq', '.cmts.json'));
});

void test('the rule section of docs/rules.md: from its heading to the next', () => {
  const md = '# Rules\n\n## a-rule\n\nText of a.\n\n## b-rule\n\nText of b.\n';
  assert.equal(ruleSection(md, 'a-rule'), '## a-rule\n\nText of a.');
  assert.equal(ruleSection(md, 'b-rule'), '## b-rule\n\nText of b.');
  assert.equal(ruleSection(md, 'c-rule'), undefined);
  assert.equal(ruleLine(md, 'b-rule'), 7);
});

void test('every check has its section in the bundled docs/rules.md, so its link lands on it', () => {
  const md = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
  for (const c of CHECKS) {
    const s = ruleSection(md, c.id);
    assert.ok(s && s.length > 100, c.id);
    assert.ok(s.includes(c.docs.fix.slice(0, 40).replace(/`/g, '`')), `${c.id}: its fix is in its section`);
  }
});
