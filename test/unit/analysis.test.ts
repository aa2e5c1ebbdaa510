// The analysis façade: .cmts.json severities, suppression comments (places marked $0…$9 in the
// fixture text, stripped before checking), a throwing check kept to itself, the note about skipped
// site checks, and the size cap that answers without parsing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText, MAX_CHECK_CHARS } from '../../server/src/analysis';
import { ALL_CHECK_IDS, CHECK_BY_ID } from '../../server/src/checks';
import type { Finding } from '../../server/src/model/findings';
import type { Check } from '../../server/src/checks/types';
import { loadConfig, loadSite, type CmtsConfig } from '../../server/src/site';

/** Text with $0…$9 removed, and where each marker was in the stripped text. */
function marked(raw: string): { text: string; at: (n: number) => number } {
  const offsets = new Map<string, number>();
  let text = '';
  let last = 0;
  for (const m of raw.matchAll(/\$(\d)/g)) {
    text += raw.slice(last, m.index);
    offsets.set(m[1] ?? '', text.length);
    last = (m.index ?? 0) + m[0].length;
  }
  return {
    text: text + raw.slice(last),
    at(n) {
      const v = offsets.get(String(n));
      assert.ok(v !== undefined, `marker $${n} missing`);
      return v;
    },
  };
}

function config(json: string): CmtsConfig {
  const r = loadConfig(json, ALL_CHECK_IDS);
  assert.deepEqual(r.problems, []);
  return r.config;
}

// A site applies in most tests, so no note about skipped site checks joins the findings once there are site checks.
const SITE = loadSite('{ "site": { "code": "PS1", "product": "ConfigMgr CB", "version": "2309" } }');
const check = (text: string, options: Parameters<typeof checkText>[1] = {}) => checkText(text, { site: SITE, ...options });

function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.span.start} ${f.severity} ${f.rule}`);
}

const step = (type: string, name = 'Step'): string =>
  `<step type="${type}" name="${name}" description="" runIn="WinPEandFullOS" successCodeList="0 3010"><action>cmd.exe /c echo</action></step>`;

const badCondition = '<condition><operator type="$9xor"><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">exists</variable><variable name="Variable">OSDComputerName</variable></expression></operator></condition>';

// Two problems of different checks, at known places: an unknown step type ($0) and a bad operator ($9).
const TWO_PROBLEMS = `<sequence version="3.10">
  <group name="Prepare" description="">
    ${badCondition}
    ${step('$0SMS_TaskSequence_RunCommandLinAction')}
  </group>
</sequence>`;

void test('without a config each check reports at its default severity', () => {
  const { text, at } = marked(TWO_PROBLEMS);
  const r = check(text);
  assert.deepEqual(summary(r.findings), [`${at(9)} error invalid-condition`, `${at(0)} warning unknown-step-type`]);
});

void test('.cmts.json severities: off removes a check, info/warning/error replace its severity', () => {
  const { text, at } = marked(TWO_PROBLEMS);
  assert.deepEqual(summary(check(text, { config: config('{ "rules": { "invalid-condition": "off" } }') }).findings), [`${at(0)} warning unknown-step-type`]);
  assert.deepEqual(
    summary(check(text, { config: config('{ "rules": { "unknown-step-type": "error", "invalid-condition": "info" } }') }).findings),
    [`${at(9)} info invalid-condition`, `${at(0)} error unknown-step-type`],
  );
  assert.deepEqual(
    summary(check(text, { config: config('{ "rules": { "unknown-step-type": "info", "invalid-condition": "warning" } }') }).findings),
    [`${at(9)} warning invalid-condition`, `${at(0)} info unknown-step-type`],
  );
});

void test('a check may report below its configured severity, never above it', () => {
  // A restore in a sequence that deploys no OS, without a restart after it, is only a warning of
  // user-state-restore-order (an error check), whatever the configured level.
  const { text, at } = marked(`<sequence version="3.10"><step type="SMS_TaskSequence_RestoreUserStateAction" name="$0Restore" description="" runIn="FullOS" successCodeList="0"><action>osdmigrateuserstate.exe /apply</action></step><step type="SMS_TaskSequence_RunCommandLineAction" name="s" description="" runIn="WinPEandFullOS" successCodeList="0"><action>cmd.exe</action></step></sequence>`);
  const own = (c: string): string[] => summary(check(text, { config: config(c) }).findings.filter((f) => f.rule === 'user-state-restore-order'));
  assert.deepEqual(own('{ "rules": { "user-state-restore-order": "error" } }'), [`${at(0)} warning user-state-restore-order`]);
  assert.deepEqual(own('{ "rules": { "user-state-restore-order": "info" } }'), [`${at(0)} info user-state-restore-order`]);
});

void test('xml-syntax and unused-suppression follow .cmts.json too', () => {
  const broken = '<sequence version="3.10"><group name="g" description=""></grop></sequence>';
  assert.equal(check(broken).findings[0]?.severity, 'error');
  assert.equal(check(broken, { config: config('{ "rules": { "xml-syntax": "warning" } }') }).findings[0]?.severity, 'warning');
  assert.deepEqual(check(broken, { config: config('{ "rules": { "xml-syntax": "off" } }') }).findings, []);

  const unused = `<sequence version="3.10"><!-- cmts-disable-next-line unknown-step-type -->${step('SMS_TaskSequence_RunCommandLineAction')}</sequence>`;
  assert.deepEqual(check(unused).findings.map((f) => `${f.severity} ${f.rule}`), ['info unused-suppression']);
  assert.deepEqual(check(unused, { config: config('{ "rules": { "unused-suppression": "off" } }') }).findings, []);
  // A suppression of a check that is off silences nothing, but is not reported: the config made it moot.
  assert.deepEqual(check(unused, { config: config('{ "rules": { "unknown-step-type": "off" } }') }).findings, []);
});

void test('cmts-disable-next-line silences its ids on the next element and everything inside it, not on siblings after it', () => {
  const { text, at } = marked(`<sequence version="3.10">
  <!-- cmts-disable-next-line unknown-step-type invalid-condition -->
  <group name="Silenced" description="">
    ${badCondition}
    ${step('SMS_TaskSequence_Bad_One')}
    <group name="Nested" description="">
      ${step('SMS_TaskSequence_Bad_Two')}
    </group>
  </group>
  ${step('$0SMS_TaskSequence_Bad_Three')}
  <!-- cmts-disable-next-line unknown-step-type -->
  ${step('SMS_TaskSequence_Bad_Four')}
  ${step('$1SMS_TaskSequence_Bad_Five')}
</sequence>`);
  const r = check(text);
  assert.deepEqual(summary(r.findings), [`${at(0)} warning unknown-step-type`, `${at(1)} warning unknown-step-type`]);
});

void test('cmts-disable-next-line silences only the ids it names', () => {
  const { text, at } = marked(`<sequence version="3.10">
  <!-- cmts-disable-next-line invalid-condition -->
  <step type="$0SMS_TaskSequence_Bad_One" name="s" description="" runIn="WinPEandFullOS" successCodeList="0">
    ${badCondition.replace('$9', '')}
    <action>cmd.exe</action>
  </step>
</sequence>`);
  assert.deepEqual(summary(check(text).findings), [`${at(0)} warning unknown-step-type`]);
});

void test('cmts-disable silences an id in the whole file, and nothing else', () => {
  const { text, at } = marked(`<!-- cmts-disable unknown-step-type -->
<sequence version="3.10">
  <group name="Prepare" description="">
    ${badCondition}
    ${step('SMS_TaskSequence_Bad_One')}
  </group>
  ${step('SMS_TaskSequence_Bad_Two')}
</sequence>`);
  assert.deepEqual(summary(check(text).findings), [`${at(9)} error invalid-condition`]);
});

void test('an unused id and an unknown id each give unused-suppression on the id itself', () => {
  const { text, at } = marked(`<sequence version="3.10">
  <!-- cmts-disable-next-line $0unknown-step-type$1 $2no-such-check$3 -->
  ${step('SMS_TaskSequence_RunCommandLineAction')}
</sequence>`);
  const r = check(text);
  assert.deepEqual(r.findings.map((f) => ({ rule: f.rule, severity: f.severity, span: f.span, expect: f.data?.expect })), [
    { rule: 'unused-suppression', severity: 'info', span: { start: at(0), end: at(1) }, expect: 'unknown-step-type' },
    { rule: 'unused-suppression', severity: 'info', span: { start: at(2), end: at(3) }, expect: 'no-such-check' },
  ]);
  assert.match(r.findings[0]?.message ?? '', /reports nothing/);
  assert.match(r.findings[1]?.message ?? '', /is not a cmts check id/);
});

void test('an id that also occurs in the directive is still located at the id', () => {
  const { text, at } = marked(`<sequence version="3.10"><!-- cmts-disable-next-line $0line$1 -->${step('SMS_TaskSequence_RunCommandLineAction')}</sequence>`);
  assert.deepEqual(check(text).findings.map((f) => f.span), [{ start: at(0), end: at(1) }]);
  const file = marked('<!--cmts-disable $0cmts$1--><sequence version="3.10"/>');
  assert.deepEqual(check(file.text).findings.map((f) => f.span), [{ start: file.at(0), end: file.at(1) }]);
});

const OK_SEQUENCE = `<sequence version="3.10">${step('$0SMS_TaskSequence_RunCommandLinAction')}</sequence>`;

void test('a check that throws is reported as internal-error and the other checks still run', () => {
  const boom: Check = { ...CHECK_BY_ID.get('unknown-step-type')!, id: 'boom', sequence: () => { throw new Error('kaput'); } };
  const { text, at } = marked(OK_SEQUENCE);
  const r = checkText(text, { rules: [boom, CHECK_BY_ID.get('unknown-step-type')!] });
  assert.deepEqual(summary(r.findings), [`1 info internal-error`, `${at(0)} warning unknown-step-type`]);
  assert.match(r.findings[0]?.message ?? '', /"boom" failed on this file \(kaput\)/);
});

void test('site checks are skipped without a site description, with one note saying so', () => {
  let ran = 0;
  const siteCheck: Check = {
    ...CHECK_BY_ID.get('unknown-step-type')!,
    id: 'site-check',
    needsSite: true,
    sequence: (ctx) => {
      ran++;
      ctx.report({ message: 'site says no', span: { start: 0, end: 1 } });
    },
  };
  const { text } = marked(OK_SEQUENCE);
  const without = checkText(text, { rules: [siteCheck] });
  assert.equal(ran, 0);
  assert.deepEqual(without.findings.map((f) => `${f.span.start}-${f.span.end} ${f.severity} ${f.rule}`), ['1-9 info no-site-description']);
  assert.deepEqual(checkText(text, { rules: [siteCheck], config: config('{ "rules": { "no-site-description": "off" } }') }).findings, []);

  assert.deepEqual(SITE.problems, []);
  const withSite = checkText(text, { rules: [siteCheck], site: SITE });
  assert.equal(ran, 1);
  assert.deepEqual(withSite.findings.map((f) => `${f.severity} ${f.rule}`), ['warning site-check']);
});

void test('a text over the size cap gets the too-large finding at once, without being parsed', () => {
  // Would give xml-syntax (unclosed elements) and unknown-step-type if it were parsed.
  const text = `<sequence version="3.10">${step('SMS_TaskSequence_Bad')}<group name="g">` + ' '.repeat(MAX_CHECK_CHARS);
  const started = process.hrtime.bigint();
  const r = checkText(text);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(ms < 500, `took ${ms} ms`);
  assert.deepEqual(r.problems, []);
  assert.equal(r.model.sequence, undefined);
  assert.deepEqual(r.findings.map((f) => ({ rule: f.rule, severity: f.severity, span: f.span })), [{ rule: 'sequence-size', severity: 'warning', span: { start: 0, end: 1 } }]);
  assert.match(r.findings[0]?.message ?? '', /too large to check \(16\.0 MB/);
  assert.equal(checkText(text, { config: config('{ "rules": { "sequence-size": "error" } }') }).findings[0]?.severity, 'error');
  assert.deepEqual(checkText(text, { config: config('{ "rules": { "sequence-size": "off" } }') }).findings, []);
});
