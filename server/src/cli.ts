// The `cmts` command line: the same checks as the editor, for pipelines and people without it.
// Thin: it finds files, reads them, calls the core and prints one of three formats. Contract in
// ../shared/spec/cli.md (exit codes 0 clean, 1 findings, 2 usage or I/O problem).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_CHECK_CHARS, type SiteSequence } from './analysis';
import { catalog } from './catalog';
import { CHECKS } from './checks';
import type { Finding, Severity } from './model/findings';
import { LineIndex } from './model/positions';
import { parseTaskSequence } from './model/parse';
import { sniffTaskSequence } from './model/sniff';
import type { Span } from './model/types';
import { Project, SITE_FILE, type ProjectContext } from './project';
import type { LoadedSite } from './site';
import { initSite } from './site/init';
import { siteImport } from './cliSiteImport';
import { findTaskSequences, readDecoded } from './workspace/files';
import { diskHost } from './workspace/host';
import type { Report, ReportDiagnostic, ReportFile, ReportFlavour } from './report/model';
import { summarize } from './report/model';
import { formatText, writeJson } from './report/text';
import { formatSarif } from './report/sarif';
import { logCommand, LOG_HELP, LOG_USAGE } from './cliLog';
import { diffCommand, docCommand } from './cliDiffDoc';
import { FIX_USAGE, fixCommand } from './cliFix';
import { eachArgument, rel, UsageError, type CliIo } from './cliIo';

declare const CMTS_VERSION: string | undefined;
const VERSION = typeof CMTS_VERSION === 'string' ? CMTS_VERSION : '0.0.0-dev';

const USAGE = `Usage:
  cmts check [paths…] [--site FILE] [--format text|json|sarif] [--max-warnings N] [--quiet]
${FIX_USAGE}  cmts site init [paths…] [--out FILE]
  cmts site import <sources…> [--site FILE]
  cmts diff <old> <new> [--format text|markdown|json] [--site FILE]
  cmts doc <paths…> [--format markdown|html] [--out DIR] [--site FILE]
${LOG_USAGE}  cmts --version | --help

check     Checks task sequence exports (files, or folders searched for *.xml task sequences).
fix       Applies the fixes that have exactly one candidate (as fix-all does); --dry-run prints a diff.
site init Writes a starting configmgr-site.json listing every content ID the sequences reference.
site import Builds or updates configmgr-site.json from a console export (.zip or folder) and WMI JSON.
diff      Compares two exports of a sequence by meaning (exit 0 the same, 1 different).
doc       Documents sequences as Markdown or HTML (one file to stdout, or pages and an index in --out DIR).
${LOG_HELP}`;


export function main(argv: string[], io: CliIo): number {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.out(USAGE);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-v') {
      io.out(VERSION + '\n');
      return 0;
    }
    if (cmd === 'check') return check(rest, io);
    if (cmd === 'fix') return fixCommand(rest, io);
    if (cmd === 'site' && rest[0] === 'init') return siteInit(rest.slice(1), io);
    if (cmd === 'site' && rest[0] === 'import') return siteImport(rest.slice(1), io);
    if (cmd === 'diff') return diffCommand(rest, io);
    if (cmd === 'doc') return docCommand(rest, io);
    if (cmd === 'log') return logCommand(rest, io);
    throw new UsageError(`unknown command "${argv.join(' ')}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cmts: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`cmts: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

interface Options {
  paths: string[];
  site?: string;
  format: 'text' | 'json' | 'sarif';
  maxWarnings?: number;
  quiet: boolean;
  out?: string;
}

function parseArgs(args: string[], allowed: string[]): Options {
  const o: Options = { paths: [], format: 'text', quiet: false };
  eachArgument(args, (flag, value) => {
    if (!allowed.includes(flag)) throw new UsageError(`unknown option ${flag}`);
    switch (flag) {
      case '--site': o.site = value(); break;
      case '--out': o.out = value(); break;
      case '--quiet': o.quiet = true; break;
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${f}"`);
        o.format = f;
        break;
      }
      case '--max-warnings': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number, not "${v}"`);
        o.maxWarnings = Number(v);
        break;
      }
    }
  }, (operand) => o.paths.push(operand));
  return o;
}

/** Files named on the command line must exist; folders are searched. Returns [file, named explicitly]. */
function collect(paths: string[], cwd: string): { file: string; explicit: boolean }[] {
  const out: { file: string; explicit: boolean }[] = [];
  const seen = new Set<string>();
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new Error(`cannot read "${p}": no such file or folder`);
    }
    const files = st.isDirectory() ? findTaskSequences(abs).map((f) => ({ file: f, explicit: false })) : [{ file: abs, explicit: true }];
    for (const f of files) {
      if (seen.has(f.file)) continue;
      seen.add(f.file);
      out.push(f);
    }
  }
  return out;
}

function toDiagnostic(lines: LineIndex, f: { rule: string; severity: Severity; message: string; span: Span; fixes?: string[] }, related: ReportDiagnostic['related'] = []): ReportDiagnostic {
  return { rule: f.rule, severity: f.severity, message: f.message, range: { start: lines.positionAt(f.span.start), end: lines.positionAt(f.span.end) }, fixes: f.fixes ?? [], related };
}

function check(args: string[], io: CliIo): number {
  const o = parseArgs(args, ['--site', '--format', '--max-warnings', '--quiet']);
  let usageProblem = false;
  const files = collect(o.paths, io.cwd);
  const host = diskHost();
  const project = new Project(host);
  /** Entries for site descriptions and .cmts.json files, in the order they were first used. */
  const extraFiles: ReportFile[] = [];
  const report: ReportFile[] = [];
  const seenConfigs = new Set<string>();
  const seenSites = new Map<string, LoadedSite | undefined>();
  const siteSequences = new Map<string, SiteSequence[]>();
  let siteUsed: string | null = null;
  const textOf = (file: string): string | undefined => host.read(file)?.text;

  const addExtra = (file: string, flavour: ReportFlavour, found: readonly Finding[]): void => {
    const text = textOf(file) ?? '';
    const lines = new LineIndex(text);
    extraFiles.push({ path: rel(io.cwd, file), flavour, steps: 0, groups: 0, diagnostics: found.map((f) => toDiagnostic(lines, f)) });
  };

  /** A .cmts.json, the first time a file uses it: its problems become its own report entry. */
  const useConfig = (configPath: string): void => {
    if (seenConfigs.has(configPath)) return;
    seenConfigs.add(configPath);
    if (!project.config(configPath)) {
      io.err(`cmts: cannot read "${rel(io.cwd, configPath)}"\n`);
      usageProblem = true;
      return;
    }
    const problems = project.configFileProblems(configPath);
    if (problems.length) {
      addExtra(configPath, 'config', problems);
      if (problems.some((pr) => pr.severity === 'error')) usageProblem = true;
    }
  };

  /** The site description, the first time a file uses it: said when it cannot be read or used. */
  const useSite = (sitePath: string, context: ProjectContext): LoadedSite | undefined => {
    if (seenSites.has(sitePath)) return seenSites.get(sitePath);
    const loaded = project.site(sitePath)?.value;
    seenSites.set(sitePath, context.site);
    if (!loaded) {
      io.err(`cmts: cannot read site description "${rel(io.cwd, sitePath)}"\n`);
      usageProblem = true;
      return undefined;
    }
    const problems = project.siteFileProblems(sitePath);
    if (problems.length) addExtra(sitePath, 'site-description', problems);
    if (!context.site) {
      io.err(`cmts: the site description "${rel(io.cwd, sitePath)}" cannot be used: ${loaded.problems[0]?.message ?? 'it is empty'}\n`);
      usageProblem = true;
    }
    return context.site;
  };

  const explicitSite = o.site ? path.resolve(io.cwd, o.site) : undefined;
  if (explicitSite && !fs.existsSync(explicitSite)) throw new Error(`cannot read site description "${o.site}": no such file`);

  for (const { file, explicit } of files) {
    let text: string;
    let invalid: Finding | undefined;
    try {
      const d = readDecoded(file);
      text = d.text;
      // Bytes not valid in the file's encoding: said at the first bad one (issue 9).
      if (d.invalid) invalid = { rule: 'xml-syntax', severity: 'error', message: d.invalid, span: { start: d.invalidAt ?? 0, end: Math.min(text.length, (d.invalidAt ?? 0) + 1) } };
    } catch (e) {
      // Not a regular file, or too large to read (readDecoded says which); fs errors stay terse.
      const why = e instanceof Error && !('code' in e) ? `: ${e.message.replace(file, 'it')}` : '';
      throw new Error(`cannot read "${rel(io.cwd, file)}"${why}`);
    }
    const relPath = rel(io.cwd, file);
    const context = project.contextFor(file, undefined, explicitSite);
    if (context.configPath) useConfig(context.configPath);
    if (!explicitSite) {
      for (const pr of context.problems) {
        io.err(`cmts: ${rel(io.cwd, pr.path)}: ${pr.message}\n`);
        usageProblem = true;
      }
    }
    const site = context.sitePath ? useSite(context.sitePath, context) : undefined;
    if (site && context.sitePath && siteUsed === null) siteUsed = rel(io.cwd, context.sitePath);
    const lines = new LineIndex(text);
    // A file too large to check is said so below, whether it looks like a sequence or not.
    if (!sniffTaskSequence(text) && explicit && text.length <= MAX_CHECK_CHARS) {
      // The parser says where and why (the root element that is not a task sequence, or the
      // first XML error); a sequence the sniffer missed is checked like any other.
      const { model, problems } = parseTaskSequence(text);
      if (!model.sequence) {
        const found: Finding[] = problems.length
          ? problems.map((p) => ({ rule: 'xml-syntax', severity: 'error', message: p.message, span: p.span }))
          : [{ rule: 'xml-syntax', severity: 'error', message: 'This file holds no task sequence: expected a root <sequence>, <SmsTaskSequencePackage> or an object.xml <INSTANCE CLASSNAME="SMS_TaskSequencePackage">.', span: { start: 0, end: Math.min(1, text.length) } }];
        if (invalid) found.unshift(invalid);
        report.push({ path: relPath, flavour: 'sequence', steps: 0, groups: 0, diagnostics: found.map((f) => toDiagnostic(lines, f)) });
        continue;
      }
    }
    // Only the json report lists the fixes: judging each fix is work the text and SARIF reports skip.
    const r = project.checkSequence(text, file, context, { fixTitles: o.format === 'json' });
    if (site && context.sitePath && r.model.sequence) {
      const list = siteSequences.get(context.sitePath);
      if (list) list.push({ path: file, model: r.model, text });
      else siteSequences.set(context.sitePath, [{ path: file, model: r.model, text }]);
    }
    const diagnostics = r.findings.map((f) => toDiagnostic(lines, f, relatedOf(f, relPath, lines, textOf, io.cwd)));
    if (invalid) diagnostics.unshift(toDiagnostic(lines, invalid));
    report.push({ path: relPath, flavour: r.model.flavour as ReportFlavour, steps: r.model.steps.length, groups: r.model.groups.length, diagnostics });
  }

  // Site-level findings (kit, certificates, PXE boot images …) go on the site description itself.
  for (const [sitePath, seqs] of siteSequences) {
    const configPath = project.contextFor(sitePath).configPath;
    if (configPath) useConfig(configPath);
    const found = project.siteChecks(sitePath, undefined, seqs);
    if (found.length === 0) continue;
    const siteRel = rel(io.cwd, sitePath);
    let entry = extraFiles.find((f) => f.path === siteRel && f.flavour === 'site-description');
    if (!entry) extraFiles.push((entry = { path: siteRel, flavour: 'site-description', steps: 0, groups: 0, diagnostics: [] }));
    const siteLines = new LineIndex(textOf(sitePath) ?? '');
    for (const f of found) entry.diagnostics.push(toDiagnostic(siteLines, f, relatedOf(f, siteRel, siteLines, textOf, io.cwd)));
  }

  const all = [...report, ...extraFiles];
  const rep: Report = { version: 1, site: siteUsed, files: all, summary: summarize(all) };
  if (o.format === 'json') writeJson(rep, o.quiet, io.out);
  else if (o.format === 'sarif') {
    // The texts again, for the fingerprints (the flagged text, not its line, identifies a finding).
    const textOfReported = (p: string): string | undefined => {
      try {
        return readDecoded(path.resolve(io.cwd, p)).text;
      } catch {
        return undefined;
      }
    };
    io.out(formatSarif(rep, CHECKS, VERSION, o.quiet, pathToFileURL(io.cwd).href.replace(/\/?$/, '/'), { textOf: textOfReported }));
  }
  else io.out(formatText(rep, o.quiet));
  if (usageProblem) return 2;
  if (rep.summary.errors > 0) return 1;
  if (o.maxWarnings !== undefined && rep.summary.warnings > o.maxWarnings) return 1;
  return 0;
}

/** A finding's related places, as report entries: in this file, or in another one read from disk. */
function relatedOf(f: Finding, ownPath: string, ownLines: LineIndex, textOf: (file: string) => string | undefined, cwd: string): ReportDiagnostic['related'] {
  return (f.related ?? []).map((x) => {
    const other = x.file ? new LineIndex(textOf(x.file) ?? '') : ownLines;
    return { message: x.message, path: x.file ? rel(cwd, x.file) : ownPath, range: { start: other.positionAt(x.span.start), end: other.positionAt(x.span.end) } };
  });
}

function siteInit(args: string[], io: CliIo): number {
  const o = parseArgs(args, ['--out']);
  const files = collect(o.paths, io.cwd);
  const firstDir = o.paths.length === 1 && fs.statSync(path.resolve(io.cwd, o.paths[0])).isDirectory() ? path.resolve(io.cwd, o.paths[0]) : io.cwd;
  const out = o.out ? path.resolve(io.cwd, o.out) : path.join(firstDir, SITE_FILE);
  if (fs.existsSync(out)) {
    io.err(`cmts: ${rel(io.cwd, out)} already exists; cmts never overwrites a site description (use --out to write elsewhere)\n`);
    return 2;
  }
  const inputs = [];
  for (const { file } of files) {
    const text = readDecoded(file).text;
    if (!sniffTaskSequence(text)) continue;
    if (text.length > MAX_CHECK_CHARS) {
      // The same bound as `check` (issue 9): a file this size is no export, and parsing it would take long.
      io.err(`cmts: ${rel(io.cwd, file)} is too large to read (over ${MAX_CHECK_CHARS / 1024 / 1024} MB); it is left out\n`);
      continue;
    }
    const { model } = parseTaskSequence(text);
    inputs.push({ file: path.relative(path.dirname(out), file).split(path.sep).join('/'), model, text });
  }
  fs.writeFileSync(out, initSite(inputs, catalog), { flag: 'wx' });
  io.out(`Wrote ${rel(io.cwd, out)} for ${inputs.length} task ${inputs.length === 1 ? 'sequence' : 'sequences'}; it holds only what the sequences say: add the product, version, names and distribution points you know, or run "cmts site import" on an export.\n`);
  return 0;
}

/** The process's command line through `main`, its exit code set (dist/cli.js calls it through cliStart.ts). */
export function run(argv: string[]): void {
  let code = 2;
  try {
    code = main(argv, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), cwd: process.cwd() });
  } catch (e) {
    process.stderr.write(`cmts: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  process.exitCode = code;
}

if (require.main === module) run(process.argv.slice(2));
