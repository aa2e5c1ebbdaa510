// Loading .cmts.json: site path and rule severities with their spans, and problems (unknown rule
// ids, bad severities, unknown settings) at the exact place, marked $0…$9 in the fixture text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { loadConfig, RULE_LEVELS, type ConfigProblem } from '../../server/src/site';
import schema from '../../schemas/cmts-config.schema.json';

const KNOWN = ['content-not-distributed', 'driver-step-order', 'boot-image', 'boot-image-version', 'unknown-content'] as const;

function markers(raw: string): { text: string; at: Record<string, number> } {
  const at: Record<string, number> = {};
  let text = '';
  let last = 0;
  for (const m of raw.matchAll(/\$(\d)/g)) {
    text += raw.slice(last, m.index);
    at[m[1] ?? ''] = text.length;
    last = (m.index ?? 0) + m[0].length;
  }
  return { text: text + raw.slice(last), at };
}

function mark(at: Record<string, number>, n: number): number {
  const v = at[String(n)];
  assert.ok(v !== undefined, `marker $${n} missing`);
  return v;
}

function problemAt(problems: ConfigProblem[], at: Record<string, number>, n: number): ConfigProblem {
  const found = problems.filter((p) => p.span.start === mark(at, n));
  assert.equal(found.length, 1, `one problem at $${n}: ${JSON.stringify(problems, null, 1)}`);
  return found[0] as ConfigProblem;
}

void test('a config with unknown rule ids and a bad severity: problems at the key and the value', () => {
  const { text, at } = markers(readFileSync(join(__dirname, '..', 'fixtures', 'site', 'config-problems.json'), 'utf8'));
  const { config, problems } = loadConfig(text, KNOWN);

  const unknown = problemAt(problems, at, 0);
  assert.equal(unknown.code, 'invalid-config');
  assert.equal(unknown.severity, 'warning');
  assert.equal(unknown.span.end, mark(at, 1));
  assert.equal(unknown.message, 'Unknown check "content-not-distribute"; did you mean "content-not-distributed"?');

  const level = problemAt(problems, at, 2);
  assert.equal(level.severity, 'error');
  assert.equal(level.span.end, mark(at, 3));
  assert.ok(level.message.startsWith('"driver-step-order" must be one of off, info, warning, error'), level.message);
  assert.match(level.message, /did you mean "warning"\?/);

  const far = problemAt(problems, at, 4);
  assert.equal(far.span.end, mark(at, 5));
  assert.match(far.message, /^Unknown check "frobnicate"; it is ignored/);
  assert.equal(problems.length, 3);

  assert.equal(config.site, '../site/configmgr-site.json');
  assert.deepEqual(config.siteSpan, { start: mark(at, 6), end: mark(at, 7) });
  assert.deepEqual(config.rules, { 'boot-image': 'error' });
  assert.deepEqual(config.ruleSpans, { 'boot-image': { start: mark(at, 8), end: mark(at, 9) } });
});

void test('a valid config loads clean', () => {
  const { config, problems } = loadConfig('{ "site": "configmgr-site.json", "rules": { "unknown-content": "off", "boot-image-version": "info" } }', KNOWN);
  assert.deepEqual(problems, []);
  assert.equal(config.site, 'configmgr-site.json');
  assert.deepEqual(config.rules, { 'unknown-content': 'off', 'boot-image-version': 'info' });
  assert.deepEqual(loadConfig('{}', KNOWN), { config: { rules: {}, ruleSpans: {} }, problems: [] });
});

void test('unknown settings, wrong types and URLs are reported where they are', () => {
  const { text, at } = markers('{ $0"sites"$1: "x.json", "rules": $2[]$3 }');
  const { config, problems } = loadConfig(text, KNOWN);
  const setting = problemAt(problems, at, 0);
  assert.equal(setting.span.end, mark(at, 1));
  assert.equal(setting.severity, 'warning');
  assert.equal(setting.message, 'Unknown setting "sites"; did you mean "site"?');
  const rules = problemAt(problems, at, 2);
  assert.equal(rules.span.end, mark(at, 3));
  assert.equal(rules.message, '"rules" must be an object in braces { ... }, not a list.');
  assert.equal(config.site, undefined);

  const url = markers('{ "site": $0"https://example.com/site.json" }');
  const u = loadConfig(url.text, KNOWN);
  assert.equal(problemAt(u.problems, url.at, 0).severity, 'error');
  assert.match(u.problems[0]?.message ?? '', /plain file path/);
  assert.equal(u.config.site, undefined);

  const num = markers('{ "site": $042 }');
  const n = loadConfig(num.text, KNOWN);
  assert.equal(problemAt(n.problems, num.at, 0).message, '"site" must be text in double quotes, not 42.');
});

void test('a rule id in the wrong case is suggested in the right one', () => {
  const { problems } = loadConfig('{ "rules": { "Boot-Image": "off" } }', KNOWN);
  assert.equal(problems[0]?.message, 'Unknown check "Boot-Image"; did you mean "boot-image"?');
});

void test('syntax errors are located; the config never throws', () => {
  const { text, at } = markers('{ "rules": { "boot-image": "off" $0"unknown-content": "info" } }');
  const { config, problems } = loadConfig(text, KNOWN);
  assert.equal(problemAt(problems, at, 0).message, 'Expected a comma.');
  assert.deepEqual(config.rules, { 'boot-image': 'off', 'unknown-content': 'info' });
  for (const bad of ['', '[]', 'null', '{"rules": {"__proto__": "off"}}', '{'.repeat(50000)]) {
    const r = loadConfig(bad, KNOWN);
    assert.ok(r.problems.length > 0, bad.slice(0, 20));
    assert.deepEqual(Object.keys(r.config.rules), []);
  }
});

void test('the config schema is valid draft-07 and its severities match RULE_LEVELS', () => {
  const ajv = new Ajv({ strict: false });
  assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
  assert.deepEqual(schema.properties.rules.additionalProperties.enum, RULE_LEVELS);
  for (const [k, v] of Object.entries(schema.properties)) assert.equal(typeof v.description, 'string', k);
});
