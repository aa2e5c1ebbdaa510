// docs/rules.md is generated from the check modules; this fails when a check changed and the page
// was not regenerated (run `npm run docs`), and when a rule's docs miss a part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../../server/src/checks';
import { renderRulesDoc } from '../../server/src/checks/docs';

test('docs/rules.md is up to date with the check modules', () => {
  const committed = readFileSync(join(__dirname, '../../docs/rules.md'), 'utf8');
  assert.equal(committed, renderRulesDoc(CHECKS), 'docs/rules.md is stale: run `npm run docs`');
});

test('every rule has a summary, a reason, an example and a fix', () => {
  for (const r of CHECKS) {
    assert.match(r.id, /^[a-z]+(-[a-z]+)*$/, `${r.id}: ids are kebab-case`);
    for (const part of ['summary', 'why', 'example', 'fix'] as const) {
      assert.ok(r.docs[part].trim().length > 10, `${r.id}: docs.${part} is missing`);
    }
  }
});

test('rule ids are unique', () => {
  const ids = CHECKS.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
});
