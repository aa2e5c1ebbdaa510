// SARIF 2.1.0 writer: one rule entry per check the run reports (its docs as help, in text and Markdown; tags; an
// https helpUri only when the package names a public repository) and one result per diagnostic,
// each with a partial fingerprint that survives lines moving, so code-scanning services can show
// cmts findings on pull requests and follow them from one run to the next.

import type * as Crypto from 'node:crypto';
import type { Report, ReportDiagnostic } from './model';
import type { CheckMeta } from '../checks/types';
import { publicHomeUrl, publicRuleDocUrl } from './docsUrl';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** The name of our fingerprint in `partialFingerprints` (versioned: a new recipe gets a new name). */
export const FINGERPRINT = 'cmtsFinding/v1';

export interface SarifOptions {
  /** The text of a reported file (path as in the report), for fingerprints; undefined when unreadable. */
  textOf?: (path: string) => string | undefined;
}

/** `rootUri`: file URI of the folder paths are relative to, ending in '/'. */
export function formatSarif(report: Report, rules: readonly CheckMeta[], version: string, quiet: boolean, rootUri: string, options: SarifOptions = {}): string {
  // Only the rules this run reports: each rule carries its whole docs section as help, and 53 of
  // them made a run with a handful of results weigh 180 KB.
  const reported = new Set(report.files.flatMap((f) => f.diagnostics.filter((d) => !quiet || d.severity === 'error').map((d) => d.rule)));
  const listed = rules.filter((r) => reported.has(r.id));
  const index = new Map(listed.map((r, i) => [r.id, i]));
  const results = [];
  for (const f of report.files) {
    const text = options.textOf?.(f.path);
    const seen = new Map<string, number>();
    for (const d of f.diagnostics) {
      if (quiet && d.severity !== 'error') continue;
      // Same rule, file, message and flagged text twice: the occurrence number tells them apart.
      const base = fingerprintBase(f.path, d, text);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      results.push({
        ruleId: d.rule,
        ...(index.has(d.rule) ? { ruleIndex: index.get(d.rule) } : {}),
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [location(f.path, d.range)],
        partialFingerprints: { [FINGERPRINT]: `${createHash('sha256').update(base).digest('hex').slice(0, 32)}:${n}` },
        ...(d.related.length ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, ...location(r.path, r.range) })) } : {}),
      });
    }
  }
  const home = publicHomeUrl();
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
            ...(home ? { informationUri: home } : {}),
            rules: listed.map((r) => {
              const help = publicRuleDocUrl(r.id);
              return {
                id: r.id,
                name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
                shortDescription: { text: r.docs.summary.replace(/`/g, '') },
                fullDescription: { text: r.docs.why },
                ...(help ? { helpUri: help } : {}),
                // The why is fullDescription already; the Markdown help has it all (why, example, fix, sources).
                help: { text: `${r.docs.summary.replace(/`/g, '')} Fix: ${r.docs.fix}`, markdown: helpMarkdown(r) },
                defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
                properties: { tags: tagsOf(r) },
              };
            }),
          },
        },
        automationDetails: { id: 'cmts/', description: { text: 'cmts check: ConfigMgr and MDT task sequences against their site description' } },
        originalUriBaseIds: { SRCROOT: { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** The rule's docs section as Markdown: what, why, an example, the fix, the sources. */
export function helpMarkdown(r: CheckMeta): string {
  const fence = r.docs.example.trimStart().startsWith('{') ? 'json' : 'xml';
  const parts = [r.docs.summary, r.docs.why, `**Example**\n\n\`\`\`${fence}\n${r.docs.example.trim()}\n\`\`\``, `**Fix:** ${r.docs.fix}`];
  if (r.docs.links.length) parts.push(`**Sources**\n\n${r.docs.links.map((l) => `- <${l}>`).join('\n')}`);
  return parts.join('\n\n');
}

/** Tags code-scanning services filter on: what the check looks at and who reports it. */
function tagsOf(r: CheckMeta): string[] {
  const tags = ['configmgr', 'task-sequence', r.needsSite ? 'site-description' : 'sequence'];
  if (r.reportedBy !== 'check') tags.push(r.reportedBy);
  for (const t of r.tags ?? []) tags.push(t);
  return tags;
}

/**
 * What identifies a finding whatever line it is on: the rule, the file, the message with step
 * numbers and line numbers taken out (a step inserted above renumbers the ones below), and the
 * flagged text with its blanks collapsed.
 */
function fingerprintBase(path: string, d: ReportDiagnostic, text: string | undefined): string {
  const message = d.message.replace(/\b(step|line|column)s? \d+/gi, '$1').replace(/\d+(?:[.:]\d+)? ?(?:ms|KB|MB)\b/g, '#');
  return [d.rule, path, message, text === undefined ? '' : snippet(text, d.range)].join('\u0000');
}

function snippet(text: string, range: ReportDiagnostic['range']): string {
  const lines = text.split(/\r\n|\r|\n/);
  const { start, end } = range;
  const picked = start.line === end.line
    ? (lines[start.line] ?? '').slice(start.character, end.character)
    : [(lines[start.line] ?? '').slice(start.character), ...lines.slice(start.line + 1, end.line), (lines[end.line] ?? '').slice(0, end.character)].join('\n');
  // An empty range (a point): the line it is on says where.
  return (picked.trim() === '' ? lines[start.line] ?? '' : picked).replace(/\s+/g, ' ').trim().slice(0, 500);
}

function location(path: string, range: ReportDiagnostic['range']) {
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

/**
 * node:crypto's createHash, loaded on first use: loading it is about 10 ms of every command's start
 * (issue 20), and only a SARIF report needs it.
 */
function createHash(algorithm: string): Crypto.Hash {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof Crypto).createHash(algorithm);
}
