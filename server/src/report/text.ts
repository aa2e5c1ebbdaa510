// Text and JSON writers for the CLI report (formats in ../shared/spec/cli.md).

import type { Report } from './model';

export function formatText(report: Report, quiet: boolean): string {
  const lines: string[] = [];
  for (const f of report.files) {
    for (const d of f.diagnostics) {
      if (quiet && d.severity !== 'error') continue;
      lines.push(`${oneLine(f.path)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.rule}: ${oneLine(d.message)}`);
    }
  }
  const s = report.summary;
  // Always this exact wording (cli.md): pipelines parse it.
  lines.push(`${s.errors} errors, ${s.warnings} warnings in ${s.files} files`);
  return lines.join('\n') + '\n';
}

/**
 * One diagnostic per line (cli.md), and nothing a terminal would act on: messages quote names and
 * values from the file, which may hold line breaks or escape sequences (hostile input, issue 9).
 * Those are written as escapes (\n, \r, \u001b); JSON and SARIF keep the message as it is.
 */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function formatJson(report: Report, quiet: boolean): string {
  const files = report.files.map((f) => ({
    path: f.path,
    flavour: f.flavour,
    steps: f.steps,
    groups: f.groups,
    diagnostics: f.diagnostics
      .filter((d) => !quiet || d.severity === 'error')
      .map((d) => ({ rule: d.rule, severity: d.severity, message: d.message, range: d.range, fixes: d.fixes })),
  }));
  return JSON.stringify({ version: 1, site: report.site, files, summary: report.summary }, null, 2) + '\n';
}
