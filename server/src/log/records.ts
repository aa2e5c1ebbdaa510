// Reads ConfigMgr log text into records, a chunk at a time: the CMTrace format
// (`<![LOG[message]LOG]!><time="…" date="…" component="…" …>`, a message may span lines) and the
// older plain one (`message $$<component><date time><thread=…>`). Pure and streaming: only the
// record being read is held, each bounded, so a 200 MB log is read in bounded memory. Input that is
// no ConfigMgr log (binary, another tool's text) stops the file with one clear problem.

export interface LogPlace {
  /** The file's label as the caller named it. */
  file: string;
  /** 1-based line where the record starts. */
  line: number;
}

export interface LogRecord {
  message: string;
  /** UTC milliseconds (local time plus the logged offset); undefined when the stamp cannot be read. */
  time?: number;
  component: string;
  /** CMTrace severity: 1 information, 2 warning, 3 error. */
  type?: number;
  at: LogPlace;
  /** The file ended inside this record (a truncated log). */
  truncated?: boolean;
}

export interface LogProblem {
  file: string;
  line?: number;
  message: string;
  /** The rest of the file was not read. */
  fatal?: boolean;
}

export type LogFormat = 'cmtrace' | 'plain';

/** Longest line kept (the rest of a longer one is dropped); smsts.log lines are a few hundred characters. */
export const MAX_LINE = 64 * 1024;
/** Longest message kept; a message over it is cut (the engine's own are far shorter). */
export const MAX_MESSAGE = 64 * 1024;
/** Lines one CMTrace message may span before it is given up as unterminated. */
export const MAX_MESSAGE_LINES = 2_000;
/** Non-empty lines read without one log record before the file is called "not a ConfigMgr log". */
const SNIFF_LINES = 200;

const OPEN = '<![LOG[';
const CLOSE = ']LOG]!>';
const PLAIN = /^(.*?)\s*\$\$<([^>]*)><([^>]*)><thread=[^>]*>\s*$/;

/**
 * Streaming reader: `startFile`, any number of `push(chunk)`, `endFile`. Records go to `onRecord`
 * as soon as they are complete; problems collect in `problems`.
 */
export class LogRecordReader {
  readonly problems: LogProblem[] = [];
  format: LogFormat | undefined;
  records = 0;
  lines = 0;
  private file = '';
  private partial = '';
  private lineNo = 0;
  private recognised = false;
  private sniffed = 0;
  private stopped = false;
  private cutLine = false;
  // The CMTrace record being read, or the plain-format lines waiting for their trailer.
  private parts: string[] = [];
  private partsLength = 0;
  private partsStart = 0;
  private inRecord = false;

  constructor(private readonly onRecord: (r: LogRecord) => void) {}

  /** True once the current file was given up (binary, not a log): the caller may stop reading it. */
  get done(): boolean {
    return this.stopped;
  }

  startFile(name: string): void {
    this.file = name;
    this.partial = '';
    this.lineNo = 0;
    this.recognised = false;
    this.sniffed = 0;
    this.stopped = false;
    this.cutLine = false;
    this.reset();
  }

  push(chunk: string): void {
    if (this.stopped || chunk.length === 0) return;
    if (!this.recognised && looksBinary(chunk)) {
      this.stop('is a binary file, not a log (or a UTF-16 file without a byte-order mark)');
      return;
    }
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      if (nl < 0) break;
      this.takeLine(this.partial + chunk.slice(from, nl));
      this.partial = '';
      this.cutLine = false;
      from = nl + 1;
      if (this.stopped) return;
    }
    const rest = chunk.slice(from);
    if (this.partial.length + rest.length > MAX_LINE) {
      // A "line" this long is no log line: keep its start, drop the rest, say so once.
      if (!this.cutLine) this.problems.push({ file: this.file, line: this.lineNo + 1, message: `line ${this.lineNo + 1} is longer than ${MAX_LINE / 1024} KB; the rest of it is not read` });
      this.cutLine = true;
      this.partial = (this.partial + rest).slice(0, MAX_LINE);
    } else this.partial += rest;
  }

  endFile(): void {
    if (!this.stopped && this.partial.length) this.takeLine(this.partial);
    this.partial = '';
    if (this.stopped) return;
    if (this.inRecord) {
      this.problems.push({ file: this.file, line: this.partsStart, message: `the file ends inside the log entry that starts on line ${this.partsStart} (a truncated log)` });
      this.emit(this.parts.join('\n'), undefined, this.partsStart, true);
    }
    this.reset();
    if (!this.recognised) {
      this.problems.push({ file: this.file, message: this.lineNo === 0 ? 'is empty' : 'holds no ConfigMgr log entries (neither the CMTrace <![LOG[…]LOG]!> lines nor the older "$$<component>" ones): is it another tool\'s log?', fatal: true });
    }
  }

  private stop(why: string): void {
    this.problems.push({ file: this.file, line: this.lineNo || undefined, message: why, fatal: true });
    this.stopped = true;
    this.reset();
  }

  private reset(): void {
    this.parts = [];
    this.partsLength = 0;
    this.inRecord = false;
  }

  private takeLine(raw: string): void {
    this.lineNo++;
    this.lines++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.inRecord) return this.continueRecord(line, true);
    const open = line.indexOf(OPEN);
    if (open >= 0) {
      this.parts = [];
      this.partsLength = 0;
      this.partsStart = this.lineNo;
      this.inRecord = true;
      return this.continueRecord(line.slice(open + OPEN.length), false);
    }
    const plain = PLAIN.exec(line);
    if (plain) {
      this.format ??= 'plain';
      this.recognised = true;
      this.addPart(plain[1]);
      const start = this.parts.length > 1 ? this.partsStart : this.lineNo;
      const stamp = plainStampUtc(plain[3]);
      this.emitParts(plain[2].trim(), stamp, start);
      return;
    }
    if (line.trim() === '') return;
    if (this.format === 'plain') {
      // A plain-format message over several lines: its trailer is on the last one.
      if (this.parts.length === 0) this.partsStart = this.lineNo;
      this.addPart(line);
      return;
    }
    if (!this.recognised && ++this.sniffed >= SNIFF_LINES) {
      this.stop(`holds no ConfigMgr log entries in its first ${SNIFF_LINES} lines: is it another tool's log?`);
    }
  }

  private continueRecord(text: string, continuation: boolean): void {
    const close = text.indexOf(CLOSE);
    // A new entry starting on a later line before this one closed: the earlier one was cut off.
    const reopen = continuation ? text.indexOf(OPEN) : -1;
    if (reopen >= 0 && (close < 0 || reopen < close)) {
      this.problems.push({ file: this.file, line: this.partsStart, message: `the log entry on line ${this.partsStart} is cut off (a new one starts on line ${this.lineNo})` });
      this.emit(this.parts.join('\n'), undefined, this.partsStart, true);
      this.parts = [];
      this.partsLength = 0;
      this.partsStart = this.lineNo;
      return this.continueRecord(text.slice(reopen + OPEN.length), false);
    }
    if (close < 0) {
      this.addPart(text);
      if (this.parts.length > MAX_MESSAGE_LINES) {
        this.problems.push({ file: this.file, line: this.partsStart, message: `the log entry on line ${this.partsStart} does not end within ${MAX_MESSAGE_LINES} lines; it is skipped` });
        this.reset();
      }
      return;
    }
    this.addPart(text.slice(0, close));
    const attrs = text.slice(close + CLOSE.length);
    this.format ??= 'cmtrace';
    this.recognised = true;
    this.inRecord = false;
    this.emitParts(attr(attrs, 'component') ?? '', stampUtc(attr(attrs, 'date'), attr(attrs, 'time')), this.partsStart, attr(attrs, 'type'));
  }

  private addPart(text: string): void {
    if (this.partsLength >= MAX_MESSAGE) return;
    const room = MAX_MESSAGE - this.partsLength;
    const kept = text.length > room ? text.slice(0, room) : text;
    this.parts.push(kept);
    this.partsLength += kept.length + 1;
  }

  private emitParts(component: string, stamp: number | undefined, line: number, type?: string): void {
    const message = this.parts.join('\n');
    this.parts = [];
    this.partsLength = 0;
    this.emit(message, stamp, line, false, component, type);
  }

  private emit(message: string, stamp: number | undefined, line: number, truncated: boolean, component = '', type?: string): void {
    this.records++;
    const t = type !== undefined && type.length === 1 && type >= '0' && type <= '9' ? Number(type) : undefined;
    const r: LogRecord = { message, component, at: { file: this.file, line } };
    if (stamp !== undefined) r.time = stamp;
    if (t !== undefined) r.type = t;
    if (truncated) r.truncated = true;
    this.onRecord(r);
  }
}

/** NUL characters, or mostly control characters, in the first few KB: not text. */
function looksBinary(chunk: string): boolean {
  const head = chunk.slice(0, 4096);
  if (head.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return head.length >= 64 && control / head.length > 0.1;
}

/** The value of `name="…"` in the attribute text; indexOf, not a regex: this runs for every entry. */
function attr(s: string, name: string): string | undefined {
  const key = name + '="';
  const i = s.indexOf(key);
  if (i < 0) return undefined;
  const from = i + key.length;
  const end = s.indexOf('"', from);
  return end < 0 ? undefined : s.slice(from, end);
}

interface Stamp {
  utc: number;
  local: string;
}

/**
 * `date="MM-DD-YYYY"` and `time="HH:MM:SS.mmm+BBB"`. The offset is read as Windows' time-zone bias,
 * the minutes to add to local time to get UTC (see docs/smsts-log.md for why, and the doubt).
 */
export function parseStamp(date: string | undefined, time: string | undefined, withLocal = true): Stamp | undefined {
  const d = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec((date ?? '').trim());
  const t = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:([+-])(\d{1,4}))?$/.exec((time ?? '').trim());
  if (!d || !t) return undefined;
  const [mo, da, y] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const ms = t[4] ? Number(t[4].padEnd(3, '0')) : 0;
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const bias = t[5] ? (t[5] === '-' ? -1 : 1) * Number(t[6]) : 0;
  const localMs = Date.UTC(y, mo - 1, da, h, mi, s, ms);
  if (!Number.isFinite(localMs)) return undefined;
  if (!withLocal) return { utc: localMs + bias * 60_000, local: '' };
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return { utc: localMs + bias * 60_000, local: `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}` };
}

/** UTC milliseconds only (what the reader keeps for every entry). */
function stampUtc(date: string | undefined, time: string | undefined): number | undefined {
  return parseStamp(date, time, false)?.utc;
}

/** The plain format's `MM-DD-YYYY HH:MM:SS.mmm+BBB`. */
function plainStampUtc(s: string): number | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(s);
  return m ? stampUtc(m[1], m[2]) : undefined;
}
