// `cmts diff` and `cmts doc`: read the files, find the site description, call the pure diff and
// doc features and print or write what they return. Contract in ../shared/spec/cli.md (version 2)
// and docs/cli.md: diff exits 0 when the sequences are the same, 1 when they differ, 2 on a usage
// or I/O problem; doc writes only the pages it generates and never over a file it did not write.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_CHECK_CHARS } from './analysis';
import { catalog } from './catalog';
import { diffSequences, type NumberOf } from './features/diff';
import { diffJson, diffMarkdown, diffText } from './features/diffRender';
import { LineIndex } from './model/positions';
import { parseTaskSequence } from './model/parse';
import type { Item, TaskSequenceModel } from './model/types';
import { Project, type ProjectContext } from './project';
import { instructionNumbers, type ChildResolver } from './semantics/numbering';
import { findTaskSequences, readDecoded } from './workspace/files';
import { diskHost } from './workspace/host';
import { docPages, type DocFormat } from './cliDoc';
import { eachArgument, rel, UsageError, type CliIo } from './cliIo';


/** The engine's instruction numbers (semantics/numbering.ts) of items of the given sequences, children followed through `resolve`. */
export function logNumbers(models: readonly { model: TaskSequenceModel; resolve?: ChildResolver }[]): NumberOf {
  const numbers = new Map<Item, number>();
  for (const { model, resolve } of models) for (const [item, n] of instructionNumbers(model, resolve)) numbers.set(item, n);
  return (item) => numbers.get(item);
}

interface Parsed {
  args: string[];
  format?: string;
  site?: string;
  out?: string;
}

function parse(args: string[], allowed: string[]): Parsed {
  const o: Parsed = { args: [] };
  eachArgument(args, (flag, value) => {
    if (!allowed.includes(flag)) throw new UsageError(`unknown option ${flag}`);
    const v = value();
    if (flag === '--format') o.format = v;
    else if (flag === '--site') o.site = v;
    else if (flag === '--out') o.out = v;
  }, (operand) => o.args.push(operand));
  return o;
}

export interface ReadSequence {
  file: string;
  text: string;
  model: TaskSequenceModel;
}

/**
 * Reads and parses one sequence. A file that cannot be read, is too large or holds no sequence
 * throws an Error whose message names it (and the position, from the parser); XML problems in a
 * sequence that could still be read are said on stderr and the readable part is used.
 */
export function readSequence(file: string, io: CliIo): ReadSequence {
  const name = rel(io.cwd, file);
  let text: string;
  try {
    text = readDecoded(file).text;
  } catch (e) {
    const why = e instanceof Error && !('code' in e) ? `: ${e.message.replace(file, 'it')}` : ': no such file, or not a readable file';
    throw new Error(`cannot read "${name}"${why}`);
  }
  if (text.length > MAX_CHECK_CHARS) throw new Error(`${name} is too large to read (over ${MAX_CHECK_CHARS / 1024 / 1024} MB)`);
  const { model, problems } = parseTaskSequence(text);
  const lines = new LineIndex(text);
  const at = (offset: number): string => {
    const p = lines.positionAt(offset);
    return `${name}:${p.line + 1}:${p.character + 1}`;
  };
  if (!model.sequence) {
    const first = problems[0];
    throw new Error(first ? `${at(first.span.start)}: ${first.message}` : `${name} holds no task sequence (no <sequence>, <SmsTaskSequencePackage> or object.xml <INSTANCE CLASSNAME="SMS_TaskSequencePackage">)`);
  }
  for (const p of problems.slice(0, 5)) io.err(`cmts: ${at(p.span.start)}: ${p.message} (the rest of the file is used)\n`);
  return { file, text, model };
}

/**
 * What applies to `file` through the project façade: the site description given with --site (it
 * must be readable), or the one found for it, and its .cmts.json. A site description that cannot
 * be read or used is said on stderr; content is then shown by ID only.
 */
export function contextFor(project: Project, file: string, explicit: string | undefined, io: CliIo, said = new Set<string>()): ProjectContext {
  const override = explicit ? path.resolve(io.cwd, explicit) : undefined;
  if (override && !project.site(override)) throw new Error(`cannot read site description "${explicit}"`);
  const context = project.contextFor(file, undefined, override);
  if (context.sitePath && !context.site && !said.has(context.sitePath)) {
    said.add(context.sitePath);
    io.err(`cmts: ${context.siteProblem ?? `cannot read site description "${rel(io.cwd, context.sitePath)}"`}; content is shown by ID only\n`);
  }
  return context;
}

// ---- cmts diff ------------------------------------------------------------------------------

export function diffCommand(args: string[], io: CliIo): number {
  const o = parse(args, ['--format', '--site']);
  const format = o.format ?? 'text';
  if (format !== 'text' && format !== 'markdown' && format !== 'json') throw new UsageError(`--format must be text, markdown or json, not "${format}"`);
  if (o.args.length !== 2) throw new UsageError(`diff needs two files, the old and the new (got ${o.args.length})`);
  const [oldFile, newFile] = o.args.map((a) => path.resolve(io.cwd, a));
  for (const [f, a] of [[oldFile, o.args[0]], [newFile, o.args[1]]]) {
    if (fs.existsSync(f) && fs.statSync(f).isDirectory()) throw new Error(`"${a}" is a folder; diff compares two files`);
  }
  const a = readSequence(oldFile, io);
  const b = readSequence(newFile, io);
  // Names come from the new file's site description (or the old one's, for a file git put in a temporary folder).
  const project = new Project(diskHost());
  let found = contextFor(project, newFile, o.site, io);
  if (!found.site && !o.site) found = contextFor(project, oldFile, undefined, io);
  const resolve = project.childResolver(found);
  const numbers = logNumbers([{ model: a.model, resolve }, { model: b.model, resolve }]);
  const result = diffSequences(a.model, b.model, { catalog, site: found.site, numberOf: numbers });
  const [na, nb] = [o.args[0], o.args[1]];
  if (format === 'json') io.out(diffJson(result, na, nb, new LineIndex(a.text), new LineIndex(b.text)));
  else if (format === 'markdown') io.out(diffMarkdown(result, na, nb));
  else io.out(diffText(result, na, nb));
  return result.equal ? 0 : 1;
}

// ---- cmts doc -------------------------------------------------------------------------------

/** A page header every generated file starts with: doc overwrites a file only when it holds this. */
export const GENERATED_MARK = 'generated by cmts doc';

export function docCommand(args: string[], io: CliIo): number {
  const o = parse(args, ['--format', '--site', '--out']);
  const format = (o.format ?? 'markdown') as DocFormat;
  if (format !== 'markdown' && format !== 'html') throw new UsageError(`--format must be markdown or html, not "${o.format}"`);
  if (o.args.length === 0) throw new UsageError('doc needs at least one file or folder');
  const files: { file: string; explicit: boolean }[] = [];
  const seen = new Set<string>();
  for (const p of o.args) {
    const abs = path.resolve(io.cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new Error(`cannot read "${p}": no such file or folder`);
    }
    for (const f of st.isDirectory() ? findTaskSequences(abs).map((x) => ({ file: x, explicit: false })) : [{ file: abs, explicit: true }]) {
      if (seen.has(f.file)) continue;
      files.push(f);
      seen.add(f.file);
    }
  }
  const inputs = [];
  let failed = false;
  const project = new Project(diskHost());
  const said = new Set<string>();
  const resolvers = new Map<TaskSequenceModel, ChildResolver | undefined>();
  for (const { file } of files) {
    let seq: ReadSequence;
    try {
      seq = readSequence(file, io);
    } catch (e) {
      io.err(`cmts: ${e instanceof Error ? e.message : String(e)}\n`);
      failed = true;
      continue;
    }
    const context = contextFor(project, file, o.site, io, said);
    const { site, sitePath } = context;
    // The findings shown at their steps: what `cmts check` reports, through the same façade.
    const findings = project.checkSequence(seq.text, file, context).findings;
    resolvers.set(seq.model, project.childResolver(context));
    // On stdout the page names the file alone: git's textconv passes a copy in a temporary
    // folder, and both sides of a diff must print the same header.
    inputs.push({ ...seq, relPath: o.out ? rel(io.cwd, file) : path.basename(file), site, sitePath, findings });
  }
  if (inputs.length === 0) {
    io.err('cmts: no task sequence to document\n');
    return 2;
  }
  // Each page numbers its own sequence, following its children through its own site description.
  const numbers = logNumbers([...resolvers].map(([model, resolve]) => ({ model, resolve })));
  const pages = docPages(inputs, { format, catalog, numberOf: numbers, single: !o.out });
  if (!o.out) {
    if (pages.length !== 1) throw new UsageError(`${inputs.length} sequences give ${pages.length} pages: name a folder to write them to with --out DIR`);
    io.out(pages[0].text);
    return failed ? 2 : 0;
  }
  const dir = path.resolve(io.cwd, o.out);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new Error(`--out "${o.out}" is a file, not a folder`);
  // Check every target before writing any: a refusal leaves the folder as it was.
  for (const p of pages) {
    const target = path.join(dir, p.file);
    if (!fs.existsSync(target)) continue;
    const head = fs.statSync(target).isFile() ? fs.readFileSync(target, 'utf8').slice(0, 1024) : '';
    if (!head.includes(GENERATED_MARK)) {
      io.err(`cmts: ${rel(io.cwd, target)} exists and was not written by cmts doc; nothing was written (move it, or choose another --out folder)\n`);
      return 2;
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const p of pages) fs.writeFileSync(path.join(dir, p.file), p.text);
  io.out(`Wrote ${pages.length} ${pages.length === 1 ? 'page' : 'pages'} to ${o.out} (${pages.length - 1} ${pages.length - 1 === 1 ? 'sequence' : 'sequences'} and index.${format === 'html' ? 'html' : 'md'})\n`);
  return failed ? 2 : 0;
}
