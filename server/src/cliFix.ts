// `cmts fix`: applies, to each task sequence named, the fixes fix-all applies in the editor (every
// fix that is its finding's only one and leaves a sequence that still runs, features/fixSafety.ts),
// and writes the file back in its own encoding; `--dry-run` prints a unified diff instead. A file
// is left alone when its bytes are not valid, when it could not be written back byte for byte, or
// when the fixed text parses worse. Exit codes as `check`: 0 clean, 1 findings left, 2 usage or I/O.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_CHECK_CHARS } from './analysis';
import { ALL_CHECK_IDS } from './checks';
import { applyEdits } from './features/fixes';
import { parseTaskSequence } from './model/parse';
import { sniffTaskSequence } from './model/sniff';
import { Project } from './project';
import { findTaskSequences, readDecoded, type DecodedFile } from './workspace/files';
import { diskHost } from './workspace/host';
import { unifiedDiff } from './report/diff';
import { eachArgument, rel, UsageError, type CliIo } from './cliIo';

export const FIX_USAGE = '  cmts fix [paths…] [--site FILE] [--dry-run] [--only <id>[,<id>…]]\n';


interface FixOptions {
  paths: string[];
  site?: string;
  dryRun: boolean;
  only?: Set<string>;
}

function parseFixArgs(args: string[]): FixOptions {
  const o: FixOptions = { paths: [], dryRun: false };
  eachArgument(args, (flag, value) => {
    if (flag === '--dry-run') o.dryRun = true;
    else if (flag === '--site') o.site = value();
    else if (flag === '--only') {
      const ids = value().split(',').map((x) => x.trim()).filter((x) => x !== '');
      const unknown = ids.filter((x) => !ALL_CHECK_IDS.includes(x));
      if (ids.length === 0 || unknown.length) throw new UsageError(`--only needs check ids (unknown: ${unknown.join(', ') || 'none given'})`);
      o.only = new Set([...(o.only ?? []), ...ids]);
    } else throw new UsageError(`unknown option ${flag}`);
  }, (operand) => o.paths.push(operand));
  return o;
}

/** The files to fix: those named, and the task sequences under the folders named. */
function filesOf(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new Error(`cannot read "${p}": no such file or folder`);
    }
    for (const f of st.isDirectory() ? findTaskSequences(abs) : [abs]) if (!out.includes(f)) out.push(f);
  }
  return out;
}

/** The text in the file's own encoding and byte order mark; undefined when that would not give back its bytes. */
function encode(text: string, d: DecodedFile, original: Buffer): Buffer | undefined {
  const enc = (t: string): Buffer => {
    if (d.encoding === 'utf-8') return Buffer.concat([original.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(t, 'utf8')]);
    const le = Buffer.from(t, 'utf16le');
    const body = d.encoding === 'utf-16le' ? le : Buffer.from(le.map((_, i) => le[i ^ 1]));
    const bom = original[0] === 0xff && original[1] === 0xfe ? Buffer.from([0xff, 0xfe]) : original[0] === 0xfe && original[1] === 0xff ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0);
    return Buffer.concat([bom, body]);
  };
  // Written back exactly: the unchanged text must give the bytes the file holds.
  return enc(d.text).equals(original) ? enc(text) : undefined;
}

export function fixCommand(args: string[], io: CliIo): number {
  const o = parseFixArgs(args);
  const files = filesOf(o.paths, io.cwd);
  const project = new Project(diskHost());
  const explicitSite = o.site ? path.resolve(io.cwd, o.site) : undefined;
  if (explicitSite && !fs.existsSync(explicitSite)) throw new Error(`cannot read site description "${o.site}": no such file`);
  let problem = false;
  let errorsLeft = 0;
  let fixedFiles = 0;
  let applied = 0;
  for (const file of files) {
    const name = rel(io.cwd, file);
    let original: Buffer;
    let d: DecodedFile;
    try {
      original = fs.readFileSync(file);
      d = readDecoded(file);
    } catch (e) {
      io.err(`cmts: cannot read "${name}"${e instanceof Error && !('code' in e) ? `: ${e.message.replace(file, 'it')}` : ''}\n`);
      problem = true;
      continue;
    }
    if (d.invalid) {
      io.err(`cmts: ${name}: left alone: ${d.invalid}\n`);
      problem = true;
      continue;
    }
    if (!sniffTaskSequence(d.text) || d.text.length > MAX_CHECK_CHARS) {
      io.err(`cmts: ${name}: left alone: ${d.text.length > MAX_CHECK_CHARS ? 'too large to check' : 'no task sequence in it'}\n`);
      problem = true;
      continue;
    }
    const context = project.contextFor(file, undefined, explicitSite);
    const r = project.fixSequence(d.text, file, context, o.only);
    if (r.stopped) io.err(`cmts: ${name}: ${r.stopped.replace('run fix-all again', 'run "cmts fix" again')}\n`);
    let text = d.text;
    if (r.edits.length) {
      const fixed = applyEdits(d.text, r.edits);
      const bytes = encode(fixed, d, original);
      if (parseTaskSequence(fixed).problems.length > parseTaskSequence(d.text).problems.length) {
        io.err(`cmts: ${name}: left alone: the fixed text would not parse as cleanly as the original\n`);
        problem = true;
      } else if (!bytes) {
        io.err(`cmts: ${name}: left alone: it cannot be written back byte for byte in its encoding\n`);
        problem = true;
      } else {
        text = fixed;
        fixedFiles++;
        applied += r.applied.length;
        if (o.dryRun) io.out(unifiedDiff(d.text, fixed, name));
        else {
          fs.writeFileSync(file, bytes);
          io.out(`${name}: ${r.applied.length} ${r.applied.length === 1 ? 'fix' : 'fixes'}\n${r.applied.map((a) => `  ${a.rule}: ${a.title}\n`).join('')}`);
        }
      }
    }
    // What is left: errors after the fixes decide the exit code, as for `check`.
    const left = text === d.text ? r.findings : project.checkSequence(text, file, context).findings;
    errorsLeft += left.filter((f) => f.severity === 'error' && (!o.only || o.only.has(f.rule))).length;
  }
  const verb = o.dryRun ? 'would fix' : 'fixed';
  io.err(`cmts fix: ${verb} ${fixedFiles} of ${files.length} ${files.length === 1 ? 'file' : 'files'} (${applied} ${applied === 1 ? 'fix' : 'fixes'}); ${errorsLeft} ${errorsLeft === 1 ? 'error' : 'errors'} left\n`);
  if (problem) return 2;
  return errorsLeft > 0 ? 1 : 0;
}
