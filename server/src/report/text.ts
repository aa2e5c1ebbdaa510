// Text and JSON writers for the CLI report (formats in ../shared/spec/cli.md).

import type { Report, ReportDiagnostic } from './model';

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

/**
 * The JSON report (`JSON.stringify(report, null, 2)` to the byte), handed to `out` in pieces of
 * about 64 KB: the diagnostics are written one by one, never as one string of the whole report.
 * 200,000 findings made a string of hundreds of megabytes, copied again into a buffer for
 * stdout (issue 21: an eighth of the run and much of its memory).
 */
export function writeJson(report: Report, quiet: boolean, out: (chunk: string) => void): void {
  const lists: ReportDiagnostic[][] = [];
  const files = report.files.map((f) => {
    lists.push(f.diagnostics.filter((d) => !quiet || d.severity === 'error'));
    // A place-holder the outline below is cut at; U+0000 is in no path, and JSON writes it escaped.
    return { path: f.path, flavour: f.flavour, steps: f.steps, groups: f.groups, diagnostics: `\u0000${lists.length - 1}\u0000` };
  });
  const outline = JSON.stringify({ version: 1, site: report.site, files, summary: report.summary }, null, 2) + '\n';
  let buffered = '';
  const put = (s: string): void => {
    buffered += s;
    if (buffered.length >= 65536) {
      out(buffered);
      buffered = '';
    }
  };
  // Items of files[i].diagnostics sit four levels deep: eight spaces (diagnosticJson), the closing bracket six.
  const pieces = outline.split(/"\\u0000(\d+)\\u0000"/);
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) {
      put(pieces[i]);
      continue;
    }
    const list = lists[Number(pieces[i])];
    if (list.length === 0) {
      put('[]');
      continue;
    }
    put('[\n');
    for (let k = 0; k < list.length; k++) put(diagnosticJson(list[k]) + (k + 1 < list.length ? ',\n' : '\n'));
    put(' '.repeat(6) + ']');
  }
  if (buffered) out(buffered);
}

/**
 * One diagnostic of the JSON report as JSON.stringify(…, null, 2) writes it eight spaces deep, its
 * members in the report's order (rule, severity, message, range, fixes), written out directly:
 * stringifying each and indenting it again was a sixth of a run with 200,000 findings.
 */
function diagnosticJson(d: ReportDiagnostic): string {
  const q = JSON.stringify;
  const pos = (p: { line: number; character: number }, i: string): string =>
    `{\n${i}  "line": ${q(p.line)},\n${i}  "character": ${q(p.character)}\n${i}}`;
  const i8 = '        ';
  let s = `${i8}{\n${i8}  "rule": ${q(d.rule)},\n${i8}  "severity": ${q(d.severity)},\n${i8}  "message": ${q(d.message)},\n`
    + `${i8}  "range": {\n${i8}    "start": ${pos(d.range.start, i8 + '    ')},\n${i8}    "end": ${pos(d.range.end, i8 + '    ')}\n${i8}  }`;
  if (d.fixes !== undefined) s += `,\n${i8}  "fixes": ${d.fixes.length === 0 ? '[]' : `[\n${d.fixes.map((f) => `${i8}    ${q(f)}`).join(',\n')}\n${i8}  ]`}`;
  return `${s}\n${i8}}`;
}
