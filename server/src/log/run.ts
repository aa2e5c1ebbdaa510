// smsts.log against a sequence: the engine's events (events.ts) from the log's records
// (records.ts) laid on the sequence's instruction table (semantics/numbering.ts), by instruction
// number AND name. The result is the run as a timeline of steps with status, times, exit codes and
// the log line of each, a failure list, and, when the log does not fit the sequence, one plain
// statement of where and how, never a guess. Pure and streaming (feed chunks, then finish).

import type { Item, Step, TaskSequenceModel } from '../model/types';
import { instructionTable, type ChildResolver, type Instruction, type InstructionTable } from '../semantics/numbering';
import { eventOf, type EngineEvent } from './events';
import { LogRecordReader, type LogFormat, type LogPlace, type LogProblem, type LogRecord } from './records';

export type StepStatus =
  | 'succeeded'
  | 'failed'
  /** Failed, and the engine went on (continue on error on the step or a group around it). */
  | 'failed-continued'
  | 'skipped'
  | 'skipped-disabled'
  /** Started, and the log ends (or the run ends) before it does. */
  | 'running';

export interface StepRun {
  item: Item;
  pointer: number;
  /** The sequence the item is written in (a child sequence for steps run by Run Task Sequence). */
  model: TaskSequenceModel;
  path?: string;
  via: Step[];
  status: StepStatus;
  /** UTC ms of the first start and of the last end seen. */
  start?: number;
  end?: number;
  exitCode?: number;
  /** The engine's own words about a failure (the lines after "Failed to run the action"). */
  detail?: string;
  /** Where the step starts in the log, and the line that says how it ended. */
  startAt: LogPlace;
  endAt?: LogPlace;
  /** Times the engine started it (more than one after a restart or a retry). */
  attempts: number;
}

export interface Mismatch {
  /** One sentence for people: the first place the log and the sequence disagree, and how many do. */
  message: string;
  count: number;
  at: LogPlace;
}

export interface LogRun {
  format?: LogFormat;
  records: number;
  lines: number;
  /** UTC ms of the first and last record with a time. */
  start?: number;
  end?: number;
  /** Times the engine (TSManager) started again within the run: restarts of the computer or of the engine. */
  restarts: number;
  /** Runs seen in the logs; only the last is reported. */
  runs: number;
  outcome: 'succeeded' | 'failed' | 'unfinished';
  /** The run's steps and groups in the order they started. */
  timeline: StepRun[];
  failures: StepRun[];
  mismatch?: Mismatch;
  /** Set when the table stops at a child sequence that could not be read: instructions past it are not matched. */
  unnumbered?: string;
  problems: LogProblem[];
}

/** Log lines of other runs or that match nothing are not kept past this many mismatches. */
const MAX_MISMATCH_EXAMPLES = 1;

export interface LogRunOptions {
  resolve?: ChildResolver;
}

/**
 * Streaming reader of one run over one or more log files (already in order: see orderLogFiles):
 * `file(name)`, `push(chunk)`…, `endFile()` per file, then `finish()`.
 */
export class LogRunReader {
  private readonly table: InstructionTable;
  private readonly reader: LogRecordReader;
  private readonly byName = new Map<string, Instruction[]>();
  private runs = new Map<Item, StepRun>();
  private timeline: StepRun[] = [];
  private groups: StepRun[] = [];
  private current: StepRun | undefined;
  private pendingFailure: StepRun | undefined;
  private lastExit: number | undefined;
  private ended: { ok: boolean } | undefined;
  private runCount = 0;
  private restarts = 0;
  private engineStarts = 0;
  private first?: number;
  private last?: number;
  private mismatchCount = 0;
  private mismatch?: Mismatch;
  private unnumbered?: string;

  constructor(model: TaskSequenceModel, options: LogRunOptions = {}) {
    this.table = instructionTable(model, options.resolve);
    for (const row of this.table.rows) {
      if (row.kind !== 'start') continue;
      const key = row.item.name.trim();
      const list = this.byName.get(key);
      if (list) list.push(row);
      else this.byName.set(key, [row]);
    }
    this.reader = new LogRecordReader((r) => this.record(r));
  }

  /** True once the current file was given up (not a log): stop reading it. */
  get done(): boolean {
    return this.reader.done;
  }

  file(name: string): void {
    this.reader.startFile(name);
  }

  push(chunk: string): void {
    this.reader.push(chunk);
  }

  endFile(): void {
    this.reader.endFile();
  }

  finish(): LogRun {
    // Whatever is still open when the log ends is still running (or the log was cut).
    const failures = this.timeline.filter((s) => s.item.kind === 'step' && (s.status === 'failed' || s.status === 'failed-continued'));
    const outcome: LogRun['outcome'] = this.ended ? (this.ended.ok && failures.every((f) => f.status !== 'failed') ? 'succeeded' : 'failed') : failures.some((f) => f.status === 'failed') ? 'failed' : 'unfinished';
    const run: LogRun = {
      records: this.reader.records,
      lines: this.reader.lines,
      restarts: this.restarts,
      runs: this.runCount,
      outcome,
      timeline: this.timeline,
      failures,
      problems: this.reader.problems,
    };
    if (this.reader.format) run.format = this.reader.format;
    if (this.first !== undefined) run.start = this.first;
    if (this.last !== undefined) run.end = this.last;
    if (this.mismatch) {
      const more = this.mismatchCount - 1;
      run.mismatch = { ...this.mismatch, count: this.mismatchCount, message: this.mismatch.message + (more > 0 ? ` ${more} more log ${more === 1 ? 'line does' : 'lines do'} not match either.` : '') };
    }
    if (this.unnumbered) run.unnumbered = this.unnumbered;
    return run;
  }

  // ---- records → events ------------------------------------------------------------------------

  private record(r: LogRecord): void {
    if (r.time !== undefined) {
      if (this.first === undefined) this.first = r.time;
      this.last = r.time;
    }
    const e = eventOf(r.message);
    if (e) this.event(e, r);
  }

  private event(e: EngineEvent, r: LogRecord): void {
    switch (e.kind) {
      case 'process-start':
        if (/^tsmanager\.exe$/i.test(e.exe)) {
          if (this.engineStarts > 0 && !this.ended) this.restarts++;
          this.engineStarts++;
        }
        return;
      case 'instruction':
        return this.instruction(e.name, e.pointer, r);
      case 'process-exit':
        this.lastExit = e.exitCode;
        return;
      case 'action-succeeded': {
        const s = this.stepNamed(e.name);
        if (!s) return;
        s.status = 'succeeded';
        s.exitCode = e.exitCode;
        this.close(s, r);
        return;
      }
      case 'action-failed': {
        const s = this.stepNamed(e.name);
        if (!s) return;
        s.status = 'failed';
        s.exitCode = e.exitCode ?? this.lastExit;
        if (e.detail) s.detail = e.detail;
        this.close(s, r);
        this.pendingFailure = s;
        return;
      }
      case 'action-skipped': {
        const s = this.stepNamed(e.name);
        if (!s) return;
        s.status = e.why === 'disabled' ? 'skipped-disabled' : 'skipped';
        this.close(s, r);
        return;
      }
      case 'group-started':
        return;
      case 'group-skipped': {
        const g = this.groupNamed(e.name);
        if (!g) return;
        g.status = e.why === 'disabled' ? 'skipped-disabled' : 'skipped';
        this.close(g, r);
        this.groups = this.groups.filter((x) => x !== g);
        return;
      }
      case 'group-failed': {
        // The group gave up: its failing step stays "failed" (not continued inside the group).
        const g = this.groupNamed(e.name);
        this.pendingFailure = undefined;
        if (!g) return;
        g.status = 'failed';
        this.close(g, r);
        const i = this.groups.indexOf(g);
        if (i >= 0) this.groups.length = i;
        return;
      }
      case 'run-end':
        this.closeGroups(r, e.ok ? 'succeeded' : 'failed');
        this.pendingFailure = undefined;
        this.ended = { ok: e.ok };
        return;
    }
  }

  private instruction(name: string, pointer: number | undefined, r: LogRecord): void {
    if (this.ended) {
      // Another run of the sequence in the same logs: report the last one only.
      this.runs = new Map();
      this.timeline = [];
      this.groups = [];
      this.current = undefined;
      this.ended = undefined;
      this.restarts = 0;
      this.engineStarts = Math.min(this.engineStarts, 1);
      this.first = r.time;
      this.runCount++;
    } else if (this.runCount === 0) this.runCount = 1;
    // A failure followed by the next instruction: the engine carried on past it.
    if (this.pendingFailure) {
      this.pendingFailure.status = 'failed-continued';
      this.pendingFailure = undefined;
    }
    this.lastExit = undefined;
    const row = this.rowFor(name, pointer, r);
    if (!row) {
      this.current = undefined;
      return;
    }
    this.closeGroupsOutside(row.pointer, r);
    if (row.kind === 'end') {
      const g = this.runs.get(row.item);
      if (g && g.status === 'running') {
        g.status = 'succeeded';
        this.close(g, r);
      }
      this.groups = this.groups.filter((x) => x.item !== row.item);
      this.current = undefined;
      return;
    }
    let s = this.runs.get(row.item);
    if (!s) {
      s = { item: row.item, pointer: row.pointer, model: row.model, via: row.via, status: 'running', startAt: r.at, attempts: 0 };
      if (row.path !== undefined) s.path = row.path;
      if (r.time !== undefined) s.start = r.time;
      this.runs.set(row.item, s);
      this.timeline.push(s);
    } else {
      s.status = 'running';
    }
    s.attempts++;
    const ends = this.table.end.has(row.item);
    if (ends) {
      this.groups.push(s);
      this.current = undefined;
    } else this.current = s;
  }

  /** The table row a logged instruction names, when number and name agree; otherwise one mismatch. */
  private rowFor(name: string, pointer: number | undefined, r: LogRecord): Instruction | undefined {
    const rows = this.table.rows;
    if (pointer === undefined) {
      const candidates = this.byName.get(name) ?? [];
      if (candidates.length === 1) return candidates[0];
      this.miss(r, candidates.length === 0
        ? `The log runs "${name}", which is not a step or group of this sequence (renamed, removed, or the log of another sequence).`
        : `The log runs "${name}" without an instruction number, and ${candidates.length} items of the sequence have that name.`);
      return undefined;
    }
    const row = rows[pointer];
    if (!row) {
      if (this.table.unresolved) {
        const u = this.table.unresolved;
        this.unnumbered ??= `Instructions from ${rows.length} on are not matched: the Run Task Sequence step "${u.step.name}" (instruction ${this.table.start.get(u.step)}) runs a child sequence that cannot be read (${u.reason}), and its length decides every number after it.`;
        return undefined;
      }
      this.miss(r, `The log runs instruction ${pointer} ("${name}"), but the sequence has only ${rows.length} instructions (0 to ${rows.length - 1}).`);
      return undefined;
    }
    const have = row.item.name.trim();
    if (have === name) return row;
    // A group's end instruction may be logged with the group's name or with none.
    if (row.kind === 'end' && name === '') return row;
    const what = row.kind === 'end' ? `the end of "${have}"` : `"${have}"`;
    this.miss(r, `At instruction ${pointer} the log runs "${name}", but the sequence has ${what} there: the sequence was changed after this run (a step renamed, added, removed or moved), or the log is of another sequence.`);
    return undefined;
  }

  private miss(r: LogRecord, message: string): void {
    this.mismatchCount++;
    if (this.mismatchCount <= MAX_MISMATCH_EXAMPLES) this.mismatch = { message: `${r.at.file}:${r.at.line}: ${message}`, count: 1, at: r.at };
  }

  private stepNamed(name: string): StepRun | undefined {
    const c = this.current;
    if (c && c.item.name.trim() === name) return c;
    return undefined;
  }

  private groupNamed(name: string): StepRun | undefined {
    for (let i = this.groups.length - 1; i >= 0; i--) if (this.groups[i].item.name.trim() === name) return this.groups[i];
    return undefined;
  }

  private close(s: StepRun, r: LogRecord): void {
    if (r.time !== undefined) s.end = r.time;
    s.endAt = r.at;
    if (this.current === s) this.current = undefined;
  }

  /** Groups end when the engine starts an instruction outside them. */
  private closeGroupsOutside(pointer: number, r: LogRecord): void {
    while (this.groups.length) {
      const g = this.groups[this.groups.length - 1];
      const end = this.table.end.get(g.item);
      if (end !== undefined && pointer > g.pointer && pointer < end) break;
      if (end !== undefined && pointer === end) break;
      this.groups.pop();
      if (g.status === 'running') {
        g.status = 'succeeded';
        this.close(g, r);
      }
    }
  }

  private closeGroups(r: LogRecord, status: StepStatus): void {
    for (const g of this.groups) {
      if (g.status === 'running') {
        g.status = status;
        this.close(g, r);
      }
    }
    this.groups = [];
  }
}

/** One-shot reading of whole texts (the editor has the text already). Files must be in run order. */
export function readLogRun(model: TaskSequenceModel, files: readonly { name: string; text: string }[], options: LogRunOptions = {}): LogRun {
  const reader = new LogRunReader(model, options);
  for (const f of files) {
    reader.file(f.name);
    reader.push(f.text);
    reader.endFile();
  }
  return reader.finish();
}

/**
 * The order the engine wrote a run's files in: rolled-over `smsts-YYYYMMDD-HHMMSS.log` files by the
 * time in their names, then any other file in the order given, `smsts.log` (the newest) last.
 */
export function orderLogFiles<T>(files: readonly T[], nameOf: (f: T) => string): T[] {
  const base = (f: T): string => nameOf(f).replace(/^.*[\\/]/, '').toLowerCase();
  const rolled = (f: T): string | undefined => /^smsts-(\d{8})-(\d{6})\.log$/.exec(base(f))?.slice(1, 3).join('');
  const r = files.filter((f) => rolled(f) !== undefined).sort((a, b) => rolled(a)!.localeCompare(rolled(b)!));
  const current = files.filter((f) => rolled(f) === undefined && base(f) === 'smsts.log');
  const other = files.filter((f) => rolled(f) === undefined && base(f) !== 'smsts.log');
  return [...r, ...other, ...current];
}

/**
 * Decodes a log file read in chunks: UTF-8, or UTF-16 by its byte-order mark (the first chunk
 * decides; a UTF-8 BOM is dropped). Shared by the command line and the server, which read the
 * same files, one synchronously and one not.
 */
export function logChunkDecoder(): { text(bytes: Uint8Array): string; end(): string } {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  return {
    text(bytes) {
      if (!decoder) {
        const le = bytes[0] === 0xff && bytes[1] === 0xfe;
        const be = bytes[0] === 0xfe && bytes[1] === 0xff;
        decoder = new TextDecoder(le ? 'utf-16le' : be ? 'utf-16be' : 'utf-8');
        if (le || be) bytes = bytes.subarray(2);
        else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      return decoder.decode(bytes, { stream: true });
    },
    end: () => (decoder ? decoder.decode() : ''),
  };
}
