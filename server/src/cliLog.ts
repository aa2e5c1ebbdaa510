// `cmts log <smsts.log…> --sequence <file>`: a deployment's smsts.log read against the sequence it
// ran, printed as a timeline of steps (number, context, status, duration, log line). The files are
// streamed from disk in 1 MB chunks through the pure log reader (log/run.ts), so memory stays
// bounded whatever their size. Contract in docs/cli.md; exit 0 clean run, 1 a failed step or a log
// that does not match, 2 usage or I/O problem (or no file that is a log).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSite } from './site';
import { parseTaskSequence } from './model/parse';
import type { Item, TaskSequenceModel } from './model/types';
import { createSequenceResolver } from './semantics/childSequences';
import { childPackageId, contextWords, itemFacts, type ChildResolver, type RunContextLabel } from './semantics/numbering';
import { exitCodeMeaning, formatExitCode } from './log/exitCodes';
import { duration } from './log/annotations';
import { LogRunReader, logChunkDecoder, orderLogFiles, type LogRun, type StepRun, type StepStatus } from './log/run';
import { findSiteFor } from './workspace/discover';
import { readDecoded } from './workspace/files';
import { eachArgument, UsageError, type CliIo } from './cliIo';

export const LOG_USAGE = '  cmts log <smsts.log…> --sequence FILE [--site FILE] [--format text|json]\n';
export const LOG_HELP = 'log       Reads smsts.log (and its rolled-over smsts-*.log) against the sequence: each step\'s number, status and duration.\n';

const CHUNK = 1024 * 1024;


interface LogOptions {
  logs: string[];
  sequence?: string;
  site?: string;
  format: 'text' | 'json';
}

function parseLogArgs(args: string[]): LogOptions {
  const o: LogOptions = { logs: [], format: 'text' };
  eachArgument(args, (flag, value) => {
    if (flag === '--sequence') o.sequence = value();
    else if (flag === '--site') o.site = value();
    else if (flag === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not "${f}"`);
      o.format = f;
    } else throw new UsageError(`unknown option ${flag}`);
  }, (operand) => o.logs.push(operand));
  if (!o.sequence) throw new UsageError('log needs --sequence FILE: the task sequence export the log ran');
  if (o.logs.length === 0) throw new UsageError('log needs at least one smsts.log');
  return o;
}

export function logCommand(args: string[], io: CliIo): number {
  const o = parseLogArgs(args);
  const rel = (f: string): string => (path.relative(io.cwd, f) || path.basename(f)).split(path.sep).join('/');
  const seqPath = path.resolve(io.cwd, o.sequence!);
  let model: TaskSequenceModel;
  try {
    model = parseTaskSequence(readDecoded(seqPath).text).model;
  } catch {
    io.err(`cmts: cannot read the sequence "${o.sequence}"\n`);
    return 2;
  }
  if (!model.sequence) {
    io.err(`cmts: "${o.sequence}" holds no task sequence\n`);
    return 2;
  }
  const resolve = childResolver(seqPath, o.site ? path.resolve(io.cwd, o.site) : undefined, io, rel);
  if (resolve === null) return 2;

  const files = orderLogFiles(o.logs.map((p) => path.resolve(io.cwd, p)), (f) => f);
  for (const f of files) {
    if (!isFile(f)) {
      io.err(`cmts: cannot read "${rel(f)}": no such file\n`);
      return 2;
    }
  }
  const reader = new LogRunReader(model, { resolve });
  for (const f of files) {
    try {
      streamFile(f, rel(f), reader);
    } catch (e) {
      io.err(`cmts: cannot read "${rel(f)}": ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  const run = reader.finish();
  const fatal = new Set(run.problems.filter((p) => p.fatal).map((p) => p.file));
  for (const p of run.problems) io.err(`cmts: ${p.file}${p.line ? ':' + p.line : ''}: ${p.message}\n`);
  if (fatal.size === files.length) return 2;

  // A child sequence starts where its Run Task Sequence step runs, so its flow starts there too.
  const facts = new Map<TaskSequenceModel, Map<Item, { context: RunContextLabel }>>();
  const contextIn = (m: TaskSequenceModel, item: Item, via: StepRun['via']): RunContextLabel => {
    let f = facts.get(m);
    if (!f) {
      const runner = via[via.length - 1];
      const outer = runner ? contextIn(run.timeline.find((t) => t.item === runner)?.model ?? model, runner, via.slice(0, -1)) : 'either';
      facts.set(m, (f = itemFacts(m, { startIn: outer === 'WinPE' || outer === 'FullOS' ? outer : 'both' })));
    }
    return f.get(item)?.context ?? 'either';
  };
  const contextOf = (s: StepRun): RunContextLabel => contextIn(s.model, s.item, s.via);
  const seqLabel = rel(seqPath);
  const logLabels = files.map(rel);
  if (o.format === 'json') io.out(JSON.stringify(toJson(run, seqLabel, logLabels, contextOf, rel), null, 2) + '\n');
  else io.out(toText(run, seqLabel, logLabels, contextOf));
  return run.outcome === 'failed' || run.mismatch ? 1 : 0;
}

/** The child resolver through the site description (given, or found beside the sequence); null after a reported problem. */
function childResolver(seqPath: string, explicitSite: string | undefined, io: CliIo, rel: (f: string) => string): ChildResolver | undefined | null {
  let sitePath = explicitSite;
  if (sitePath && !isFile(sitePath)) {
    io.err(`cmts: cannot read site description "${rel(sitePath)}": no such file\n`);
    return null;
  }
  sitePath ??= findSiteFor(seqPath).sitePath;
  if (!sitePath) return undefined;
  let site;
  try {
    site = loadSite(readDecoded(sitePath).text);
  } catch {
    io.err(`cmts: cannot read site description "${rel(sitePath)}"\n`);
    return null;
  }
  const byId = createSequenceResolver(site, sitePath, (p) => {
    try {
      return readDecoded(p).text;
    } catch {
      return undefined;
    }
  });
  return (step) => {
    const id = childPackageId(step);
    const r = id ? byId(id) : undefined;
    return r ? { model: r.model, path: r.path } : undefined;
  };
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

/** Reads a file in chunks into the reader, decoding UTF-8 or UTF-16 (by its byte-order mark); stops early when the reader gives the file up. */
function streamFile(file: string, label: string, reader: LogRunReader): void {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    const decoder = logChunkDecoder();
    reader.file(label);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      reader.push(decoder.text(buf.subarray(0, n)));
      if (reader.done) break;
    }
    if (!reader.done) reader.push(decoder.end());
    reader.endFile();
  } finally {
    fs.closeSync(fd);
  }
}

// ---- output ----------------------------------------------------------------------------------

const STATUS_WORDS: Record<StepStatus, string> = {
  succeeded: 'succeeded',
  failed: 'FAILED',
  'failed-continued': 'failed, continued',
  skipped: 'skipped (condition)',
  'skipped-disabled': 'skipped (disabled)',
  running: 'no end in log',
};

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

function depthOf(s: StepRun): number {
  return s.item.depth + s.via.reduce((n, v) => n + v.depth + 1, 0);
}

function exitWords(code: number | undefined): string {
  if (code === undefined) return '';
  const m = exitCodeMeaning(code);
  return `exit ${formatExitCode(code)}` + (m ? ` (${m.name}: ${m.text})` : '');
}

function toText(run: LogRun, seq: string, logs: string[], contextOf: (s: StepRun) => RunContextLabel): string {
  const lines: string[] = [];
  const what = run.format === 'plain' ? 'older plain format' : 'CMTrace format';
  lines.push(`${seq} against ${logs.join(', ')} (${what}, ${run.records} entries)`);
  const span = run.start !== undefined && run.end !== undefined ? `${iso(run.start)} to ${iso(run.end)} (${duration(run.end - run.start)})` : 'no times in the log';
  const restarts = run.restarts === 1 ? '1 restart' : `${run.restarts} restarts`;
  lines.push(`Run: ${span}, ${restarts}, ${run.outcome}${run.runs > 1 ? ` (the last of ${run.runs} runs in these logs)` : ''}`);
  lines.push('');
  const rows = run.timeline.map((s) => [
    String(s.pointer),
    '  '.repeat(depthOf(s)) + s.item.name + (s.item.kind === 'group' ? '/' : ''),
    contextWords(contextOf(s)),
    STATUS_WORDS[s.status] + (s.attempts > 1 ? ` (${s.attempts} starts)` : ''),
    duration(s.start !== undefined && s.end !== undefined ? s.end - s.start : undefined),
    `${s.startAt.file}:${s.startAt.line}`,
  ]);
  const head = ['#', 'step', 'context', 'status', 'duration', 'log'];
  const width = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const fmt = (r: string[]): string => r.map((c, i) => (i === 0 || i === 4 ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  lines.push(fmt(head));
  for (const r of rows) lines.push(fmt(r));
  if (run.timeline.length === 0) lines.push('(no step of the sequence started in these logs)');
  lines.push('');
  for (const f of run.failures) {
    const at = f.endAt ?? f.startAt;
    const how = f.status === 'failed-continued' ? '; the sequence went on (continue on error)' : '';
    lines.push(`${at.file}:${at.line}: step ${f.pointer} "${f.item.name}" failed${f.exitCode !== undefined ? ' with ' + exitWords(f.exitCode) : ''}${how}`);
    if (f.detail) lines.push(`  the log says: ${f.detail.split('\n')[0]}`);
  }
  if (run.mismatch) lines.push(`This log does not match the sequence. ${run.mismatch.message}`);
  if (run.unnumbered) lines.push(run.unnumbered);
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

function toJson(run: LogRun, seq: string, logs: string[], contextOf: (s: StepRun) => RunContextLabel, rel: (f: string) => string): unknown {
  return {
    version: 1,
    sequence: seq,
    logs,
    format: run.format ?? null,
    outcome: run.outcome,
    start: iso(run.start),
    end: iso(run.end),
    restarts: run.restarts,
    runs: run.runs,
    steps: run.timeline.map((s) => {
      const meaning = s.exitCode !== undefined ? exitCodeMeaning(s.exitCode) : undefined;
      return {
        number: s.pointer,
        name: s.item.name,
        kind: s.item.kind,
        sequence: s.path ? rel(s.path) : seq,
        via: s.via.map((v) => v.name),
        context: contextOf(s),
        status: s.status,
        start: iso(s.start),
        end: iso(s.end),
        durationMs: s.start !== undefined && s.end !== undefined ? s.end - s.start : null,
        attempts: s.attempts,
        exitCode: s.exitCode !== undefined ? formatExitCode(s.exitCode) : null,
        meaning: meaning ? { name: meaning.name, text: meaning.text, source: meaning.source } : null,
        detail: s.detail ?? null,
        log: { file: s.startAt.file, line: s.startAt.line },
        endLog: s.endAt ? { file: s.endAt.file, line: s.endAt.line } : null,
      };
    }),
    mismatch: run.mismatch?.message ?? null,
    unnumbered: run.unnumbered ?? null,
    problems: run.problems.map((p) => ({ file: p.file, line: p.line ?? null, message: p.message, fatal: p.fatal === true })),
  };
}
