// The `cmts` command line: the same checks as the editor, for pipelines and people without it.
// Thin: it finds files, reads them, calls the core and prints one of three formats. Contract in
// ../shared/spec/cli.md (exit codes 0 clean, 1 findings, 2 usage or I/O problem).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, checkText, MAX_CHECK_CHARS, type AnalysisInput, type CheckResult } from './analysis';
import { catalog } from './catalog';
import { LineIndex } from './model/positions';
import { parseTaskSequence } from './model/parse';
import { sniffTaskSequence } from './model/sniff';
import type { Span } from './model/types';
import { RULES, ALL_RULE_IDS } from './rules';
import type { Finding, Severity } from './rules/types';
import { loadConfig, loadSite, type CmtsConfig, type LoadedSite } from './site';
import { initSite } from './site/init';
import { siteImport } from './cliSiteImport';
import { analyzeSite, type SiteSequence } from './site/analyzeSite';
import { createSequenceResolver } from './rules/childSequences';
import { siteExtraFor, type SequenceResolver } from './rules/siteFacts';
import { findConfigFor, findSiteFor, SITE_FILE } from './workspace/discover';
import { findTaskSequences, readDecoded } from './workspace/files';
import type { Report, ReportDiagnostic, ReportFile, ReportFlavour } from './report/model';
import { summarize } from './report/model';
import { formatJson, formatText } from './report/text';
import { formatSarif } from './report/sarif';

declare const CMTS_VERSION: string | undefined;
const VERSION = typeof CMTS_VERSION === 'string' ? CMTS_VERSION : '0.0.0-dev';

const USAGE = `Usage:
  cmts check [paths…] [--site FILE] [--format text|json|sarif] [--max-warnings N] [--quiet]
  cmts site init [paths…] [--out FILE]
  cmts site import <sources…> [--site FILE]
  cmts --version | --help

check     Checks task sequence exports (files, or folders searched for *.xml task sequences).
site init Writes a starting configmgr-site.json listing every content ID the sequences reference.
site import Builds or updates configmgr-site.json from a console export (.zip or folder) and WMI JSON.
`;

class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

export function main(argv: string[], io: Io): number {
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
    if (cmd === 'site' && rest[0] === 'init') return siteInit(rest.slice(1), io);
    if (cmd === 'site' && rest[0] === 'import') return siteImport(rest.slice(1), io);
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
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (!flag.startsWith('-') || flag === '-') {
      o.paths.push(a);
      continue;
    }
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
  }
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

function rel(cwd: string, file: string): string {
  const r = path.relative(cwd, file) || path.basename(file);
  return r.split(path.sep).join('/');
}

function toDiagnostic(lines: LineIndex, f: { rule: string; severity: Severity; message: string; span: Span; fixes?: string[] }, related: ReportDiagnostic['related'] = []): ReportDiagnostic {
  return { rule: f.rule, severity: f.severity, message: f.message, range: { start: lines.positionAt(f.span.start), end: lines.positionAt(f.span.end) }, fixes: f.fixes ?? [], related };
}

function check(args: string[], io: Io): number {
  const o = parseArgs(args, ['--site', '--format', '--max-warnings', '--quiet']);
  let usageProblem = false;
  const files = collect(o.paths, io.cwd);
  const sites = new Map<string, { loaded?: LoadedSite; text?: string }>();
  const configs = new Map<string, CmtsConfig | undefined>();
  const extraFiles: ReportFile[] = [];
  const report: ReportFile[] = [];
  let siteUsed: string | null = null;

  const loadSiteFile = (p: string): LoadedSite | undefined => {
    if (sites.has(p)) return sites.get(p)!.loaded;
    let text: string;
    try {
      text = readDecoded(p).text;
    } catch {
      io.err(`cmts: cannot read site description "${rel(io.cwd, p)}"\n`);
      usageProblem = true;
      sites.set(p, {});
      return undefined;
    }
    const loaded = loadSite(text);
    sites.set(p, { loaded, text });
    if (loaded.problems.length) {
      const lines = new LineIndex(text);
      extraFiles.push({ path: rel(io.cwd, p), flavour: 'site-description', steps: 0, groups: 0, diagnostics: loaded.problems.map((pr) => toDiagnostic(lines, { rule: pr.code, severity: pr.severity, message: pr.message, span: pr.span })) });
      const unusable = loaded.entries().length === 0 && loaded.site.site.product === undefined && loaded.problems.some((pr) => pr.severity === 'error');
      if (unusable) {
        io.err(`cmts: the site description "${rel(io.cwd, p)}" cannot be used: ${loaded.problems[0].message}\n`);
        usageProblem = true;
        return undefined;
      }
    }
    return loaded;
  };

  const loadConfigFile = (p: string): CmtsConfig | undefined => {
    if (configs.has(p)) return configs.get(p);
    let cfg: CmtsConfig | undefined;
    try {
      const text = readDecoded(p).text;
      const r = loadConfig(text, ALL_RULE_IDS);
      cfg = r.config;
      if (r.problems.length) {
        const lines = new LineIndex(text);
        extraFiles.push({ path: rel(io.cwd, p), flavour: 'config', steps: 0, groups: 0, diagnostics: r.problems.map((pr) => toDiagnostic(lines, { rule: pr.code, severity: pr.severity, message: pr.message, span: pr.span })) });
        if (r.problems.some((pr) => pr.severity === 'error')) usageProblem = true;
      }
    } catch {
      io.err(`cmts: cannot read "${rel(io.cwd, p)}"\n`);
      usageProblem = true;
    }
    configs.set(p, cfg);
    return cfg;
  };

  // Child sequences are read through the site's taskSequences[].file, once per site and file.
  const resolvers = new Map<string, SequenceResolver>();
  const resolverFor = (sitePath: string, site: LoadedSite): SequenceResolver => {
    let r = resolvers.get(sitePath);
    if (!r) resolvers.set(sitePath, (r = createSequenceResolver(site, sitePath, readOrUndefined)));
    return r;
  };
  const siteSequences = new Map<string, SiteSequence[]>();

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
    const configPath = findConfigFor(file);
    const config = configPath ? loadConfigFile(configPath) : undefined;
    let sitePath = explicitSite;
    if (!sitePath) {
      const d = findSiteFor(file);
      sitePath = d.sitePath;
      for (const pr of d.problems) {
        io.err(`cmts: ${rel(io.cwd, pr.path)}: ${pr.message}\n`);
        usageProblem = true;
      }
    }
    const site = sitePath ? loadSiteFile(sitePath) : undefined;
    if (site && sitePath && siteUsed === null) siteUsed = rel(io.cwd, sitePath);
    const lines = new LineIndex(text);
    const flavour = sniffTaskSequence(text);
    // A file too large to check is said so below, whether it looks like a sequence or not.
    if (!flavour && explicit && text.length <= MAX_CHECK_CHARS) {
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
    const r = checkSequence(text, { site, sitePath, config, path: file }, site && sitePath ? resolverFor(sitePath, site) : undefined);
    if (site && sitePath && r.model.sequence) {
      const list = siteSequences.get(sitePath);
      if (list) list.push({ path: file, model: r.model, text });
      else siteSequences.set(sitePath, [{ path: file, model: r.model, text }]);
    }
    const diagnostics = r.findings.map((f) =>
      toDiagnostic(lines, f, (f.related ?? []).map((x) => {
        const other = x.file ? fileLines(x.file, sites) : lines;
        return { message: x.message, path: x.file ? rel(io.cwd, x.file) : relPath, range: { start: other.positionAt(x.span.start), end: other.positionAt(x.span.end) } };
      })),
    );
    if (invalid) diagnostics.unshift(toDiagnostic(lines, invalid));
    report.push({ path: relPath, flavour: r.model.flavour as ReportFlavour, steps: r.model.steps.length, groups: r.model.groups.length, diagnostics });
  }

  // Site-level findings (kit, certificates, PXE boot images …) go on the site description itself.
  for (const [sitePath, seqs] of siteSequences) {
    const loaded = sites.get(sitePath)?.loaded;
    const siteText = sites.get(sitePath)?.text;
    if (!loaded || siteText === undefined) continue;
    const cfgPath = findConfigFor(sitePath);
    const found = analyzeSite(loaded, seqs, { sitePath, config: cfgPath ? loadConfigFile(cfgPath) : undefined });
    if (found.length === 0) continue;
    const siteRel = rel(io.cwd, sitePath);
    let entry = extraFiles.find((f) => f.path === siteRel && f.flavour === 'site-description');
    if (!entry) extraFiles.push((entry = { path: siteRel, flavour: 'site-description', steps: 0, groups: 0, diagnostics: [] }));
    const siteLines = new LineIndex(siteText);
    const seqLines = new Map(seqs.map((q) => [q.path, q.text]));
    for (const f of found) {
      entry.diagnostics.push(toDiagnostic(siteLines, f, (f.related ?? []).map((x) => {
        const t = x.file ? seqLines.get(x.file) : siteText;
        const other = t !== undefined ? new LineIndex(t) : siteLines;
        return { message: x.message, path: x.file ? rel(io.cwd, x.file) : siteRel, range: { start: other.positionAt(x.span.start), end: other.positionAt(x.span.end) } };
      })));
    }
  }

  const all = [...report, ...extraFiles];
  const rep: Report = { version: 1, site: siteUsed, files: all, summary: summarize(all) };
  if (o.format === 'json') io.out(formatJson(rep, o.quiet));
  else if (o.format === 'sarif') io.out(formatSarif(rep, RULES, VERSION, o.quiet, pathToFileURL(io.cwd).href.replace(/\/?$/, '/')));
  else io.out(formatText(rep, o.quiet));
  if (usageProblem) return 2;
  if (rep.summary.errors > 0) return 1;
  if (o.maxWarnings !== undefined && rep.summary.warnings > o.maxWarnings) return 1;
  return 0;
}

/**
 * Parse and analyse one sequence with the site's extra context (where it starts, its children).
 * Files over the size bound go through checkText, which says why they are not checked.
 */
function checkSequence(text: string, options: Omit<AnalysisInput, 'text' | 'model' | 'problems' | 'extra'>, resolve: SequenceResolver | undefined): CheckResult {
  if (text.length > MAX_CHECK_CHARS) return checkText(text, options);
  const { model, problems } = parseTaskSequence(text);
  const extra = siteExtraFor(options.site, options.sitePath, options.path, model, resolve);
  return { model, problems, findings: analyze({ ...options, text, model, problems, extra }) };
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readDecoded(file).text;
  } catch {
    return undefined;
  }
}

function fileLines(file: string, sites: Map<string, { text?: string }>): LineIndex {
  const known = sites.get(file)?.text;
  if (known !== undefined) return new LineIndex(known);
  try {
    return new LineIndex(readDecoded(file).text);
  } catch {
    return new LineIndex('');
  }
}

function siteInit(args: string[], io: Io): number {
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

if (require.main === module) {
  let code = 2;
  try {
    code = main(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), cwd: process.cwd() });
  } catch (e) {
    process.stderr.write(`cmts: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  process.exitCode = code;
}
