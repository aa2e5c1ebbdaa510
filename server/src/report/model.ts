// The CLI's report as data: one entry per file with its findings in line/character form. The
// text, json and sarif writers all print this one structure, so they cannot disagree.

import type { Severity } from '../model/findings';

export interface ReportDiagnostic {
  rule: string;
  severity: Severity;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixes: string[];
  related: { message: string; path: string; range: ReportDiagnostic['range'] }[];
}

export type ReportFlavour = 'sequence' | 'package-export' | 'object-xml' | 'site-description' | 'config';

export interface ReportFile {
  /** Relative to the current folder, forward slashes. */
  path: string;
  flavour: ReportFlavour;
  steps: number;
  groups: number;
  diagnostics: ReportDiagnostic[];
}

export interface Report {
  version: 1;
  site: string | null;
  files: ReportFile[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}

export function summarize(files: ReportFile[]): Report['summary'] {
  const s = { files: files.length, errors: 0, warnings: 0, infos: 0 };
  for (const f of files) {
    for (const d of f.diagnostics) {
      if (d.severity === 'error') s.errors++;
      else if (d.severity === 'warning') s.warnings++;
      else s.infos++;
    }
  }
  return s;
}
