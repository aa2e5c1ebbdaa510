// SARIF 2.1.0 writer: one rule entry per check (with its docs as help text) and one result per
// diagnostic, so code-scanning services can show cmts findings on pull requests.

import type { Report } from './model';
import type { CheckMeta } from '../checks/types';
import { ruleDocUrl } from './docsUrl';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** `rootUri`: file URI of the folder paths are relative to, ending in '/'. */
export function formatSarif(report: Report, rules: readonly CheckMeta[], version: string, quiet: boolean, rootUri: string): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = [];
  for (const f of report.files) {
    for (const d of f.diagnostics) {
      if (quiet && d.severity !== 'error') continue;
      results.push({
        ruleId: d.rule,
        ...(index.has(d.rule) ? { ruleIndex: index.get(d.rule) } : {}),
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [location(f.path, d.range)],
        ...(d.related.length ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, ...location(r.path, r.range) })) } : {}),
      });
    }
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cmts',
            version,
            semanticVersion: version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.docs.summary.replace(/`/g, '') },
              fullDescription: { text: r.docs.why },
              helpUri: ruleDocUrl(r.id),
              help: { text: `${r.docs.why}\n\nFix: ${r.docs.fix}`, markdown: `${r.docs.why}\n\n**Fix:** ${r.docs.fix}` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function location(path: string, range: Report['files'][number]['diagnostics'][number]['range']) {
  return {
    physicalLocation: {
      // Per segment: encodeURI would leave '#' and '?' as they are, cutting the path short.
      artifactLocation: { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  };
}
