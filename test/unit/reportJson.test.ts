// The JSON report is written in pieces (issue 21): the pieces together must be exactly what
// JSON.stringify(report, null, 2) writes, whatever the files, their diagnostics and --quiet.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeJson } from '../../server/src/report/text';
import type { Report, ReportFile } from '../../server/src/report/model';

const range = (l: number) => ({ start: { line: l, character: 0 }, end: { line: l, character: 4 } });

function report(n: number): Report {
  const busy: ReportFile = {
    path: 'dir/"quoted" \u0000 name.xml', flavour: 'sequence', steps: n, groups: 1,
    diagnostics: Array.from({ length: n }, (_, i) => ({
      rule: i % 3 ? 'missing-step-property' : 'step-context',
      severity: i % 2 ? 'error' as const : 'warning' as const,
      message: `Step ${i}: "value"\nwith a line break and \\u0000 written out`,
      range: range(i),
      fixes: i % 4 === 0 ? [`Set the value ${i}`] : [],
      related: [],
    })),
  };
  const empty: ReportFile = { path: 'empty.xml', flavour: 'sequence', steps: 0, groups: 0, diagnostics: [] };
  return { version: 1, site: 'configmgr-site.json', files: [busy, empty], summary: { files: 2, errors: 0, warnings: 0, infos: 0 } };
}

function written(r: Report, quiet: boolean): { text: string; pieces: number } {
  const pieces: string[] = [];
  writeJson(r, quiet, (s) => pieces.push(s));
  return { text: pieces.join(''), pieces: pieces.length };
}

function expected(r: Report, quiet: boolean): string {
  const files = r.files.map((f) => ({
    path: f.path, flavour: f.flavour, steps: f.steps, groups: f.groups,
    diagnostics: f.diagnostics.filter((d) => !quiet || d.severity === 'error').map((d) => ({ rule: d.rule, severity: d.severity, message: d.message, range: d.range, fixes: d.fixes })),
  }));
  return JSON.stringify({ version: 1, site: r.site, files, summary: r.summary }, null, 2) + '\n';
}

void test('the JSON report written in pieces is JSON.stringify(report, null, 2) to the byte', () => {
  for (const n of [0, 1, 7, 3000]) {
    for (const quiet of [false, true]) {
      const r = report(n);
      assert.equal(written(r, quiet).text, expected(r, quiet), `${n} diagnostics, quiet ${quiet}`);
    }
  }
});

void test('a large report is handed over in pieces of bounded size, not as one string', () => {
  const out = written(report(3000), false);
  assert.ok(out.pieces > 10, `${out.pieces} pieces for ${out.text.length} characters`);
});
