// Renders docs/rules.md from the check modules, so the docs cannot drift from the checks: a unit
// test compares the committed file with this output, and `npm run docs` rewrites it.

import type { CheckMeta } from './types';

export function renderRulesDoc(rules: readonly CheckMeta[]): string {
  const out: string[] = [];
  out.push('# cmts checks', '');
  out.push('<!-- Generated from server/src/checks by `npm run docs`; edit the check modules, not this page. -->', '');
  out.push('Each check has a stable id: it is the diagnostic code in the editor, the `rule` in `cmts check --format json`, the key in `.cmts.json` and the word after `cmts-disable-next-line`. "Site" marks checks that need a site description (`configmgr-site.json`); without one they are skipped and one `no-site-description` note says so.', '');
  out.push('## Configuring checks', '');
  out.push('`.cmts.json`, in the folder of a task sequence or any parent folder (the nearest wins):', '');
  out.push('```json', '{ "site": "../site/configmgr-site.json", "rules": { "driver-step-order": "off", "content-not-distributed": "error" } }', '```', '');
  out.push('Severities: `off`, `info`, `warning`, `error`. To silence a check on one element and everything inside it, put `<!-- cmts-disable-next-line <id> [<id> …] -->` just before the element; `<!-- cmts-disable <id> -->` silences a check for the whole file. A suppression that silences nothing is itself reported (`unused-suppression`).', '');
  out.push('| id | default | site | what it reports |', '|---|---|---|---|');
  for (const r of rules) out.push(`| [\`${r.id}\`](#${r.id}) | ${r.defaultSeverity} | ${r.needsSite ? 'site' : ''} | ${r.docs.summary.replace(/\|/g, '\\|')} |`);
  out.push('');
  for (const r of rules) {
    out.push(`## ${r.id}`, '');
    out.push(`*Default severity: ${r.defaultSeverity}.${r.needsSite ? ' Needs the site description.' : ''}*`, '');
    out.push(r.docs.summary, '');
    out.push('**Why.** ' + r.docs.why, '');
    out.push('**Example.**', '');
    out.push(r.docs.example.trimStart().startsWith('{') ? '```json' : '```xml', r.docs.example, '```', '');
    out.push('**Fix.** ' + r.docs.fix, '');
    if (r.docs.links.length) out.push('**Documentation.** ' + r.docs.links.map((l) => `<${l}>`).join(', '), '');
    if (r.docs.facts.length) out.push(`*Facts: ${r.docs.facts.join(', ')}.*`, '');
    out.push(`*Code: [\`server/src/checks/${r.id}.ts\`](../server/src/checks/${r.id}.ts); fixtures: [\`test/fixtures/rules/${r.id}/\`](../test/fixtures/rules/${r.id}/).*`, '');
  }
  return out.join('\n');
}
