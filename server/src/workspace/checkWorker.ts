// Checks of large task sequences off the thread that answers requests (issue 21): a
// worker_threads worker runs the project façade's checkSequence, so a hover on another file is
// answered while a 16 MB sequence is checked. One worker, one job at a time; a job is cancelled
// (the worker is ended, and with it the memory of the check) when a newer version or a close
// arrives (up to 4 MB a newer version lets the running check finish and drops its result instead:
// the worker keeps its last parse, and the next check of that document re-reads only the edited
// step, model/incremental.ts, issue 20), and stopped when it runs past its time budget.
// The worker also builds and judges the quick fixes of a text it checked (issue 20): judging a fix
// re-checks the fixed text, a few hundred milliseconds at 2 MB that must not hold up the requests
// on the main thread; it keeps the findings and the judgements of the last text, so asking again
// for the same version costs only the builders. `runCheckWorker` is the worker's side.

import { statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { parentPort, Worker } from 'node:worker_threads';
import type { Finding } from '../model/findings';
import { codeActionsFor, fixAllFor, type CodeFix, type FixAllResult, type FixEnvironment, type FixTarget } from '../features/codeActions';
import type { FixSafety } from '../features/fixes';
import { reparse } from '../model/incremental';
import { parseTaskSequence } from '../model/parse';
import type { ParseResult } from '../model/types';
import type { ProjectContext } from '../project';
import { MAX_CHECK_CHARS } from '../analysis';
import { Project } from '../project';
import { readDecoded } from './files';
import { nodeHost } from './host';

/** What the worker needs to check one text: the files it depends on that the editor has open travel with it. */
export interface CheckJob {
  text: string;
  path: string | undefined;
  root: string | undefined;
  /** Editor texts (site description, .cmts.json) by path; anything else is read from disk. */
  open: Record<string, { text: string; key: string }>;
  /**
   * Changes when what the main thread knows of the files around changes (which site description and
   * .cmts.json apply, and their versions; a task sequence changed on disk): the worker then looks
   * again, and keeps what it found (discovery, child sequences, its judgements) while it does not.
   */
  generation: string;
  /** At most this many findings come back (the editor shows no more); `total` counts them all. */
  maxFindings: number;
}

/** The quick fixes of a text checked in the worker: built and judged there (features/codeActions.ts). */
export interface FixJob {
  text: string;
  path: string | undefined;
  root: string | undefined;
  open: Record<string, { text: string; key: string }>;
  generation: string;
  /** The findings to build fixes for; each one's actions come back in the same place. */
  targets: FixTarget[];
  /** Also fix-all (source.fixAll.cmts). */
  fixAll: boolean;
  /** What the main thread knows of the fix environment: the .cmts.json text as the editor has it, where a new one goes. */
  configText?: string;
  newConfigPath?: string;
}

export type FixOutcome = { status: 'done'; actions: CodeFix[][]; all?: FixAllResult } | { status: 'cancelled' } | { status: 'stopped'; afterMs: number } | { status: 'failed'; message: string };

type Job = ({ kind: 'check' } & CheckJob) | ({ kind: 'fixes' } & FixJob);
type Outcome = CheckOutcome | FixOutcome;

export type CheckOutcome = { status: 'done'; findings: Finding[]; total: number } | { status: 'cancelled' } | { status: 'stopped'; afterMs: number } | { status: 'failed'; message: string };

export interface CheckWorkerOptions {
  /** The script the worker runs (the server bundle, which runs `runCheckWorker` off the main thread). */
  file: string;
  execArgv?: string[];
  /** Texts at least this long are checked in the worker; shorter ones are quicker checked in place. */
  minChars: number;
  /** A check running longer than this is stopped. */
  budgetMs: number;
}

interface Pending {
  id: number;
  uri: string;
  job: Job;
  /** Everyone waiting for this job (a second request for the same text joins the queued or running one). */
  resolve: ((o: Outcome) => void)[];
}

/**
 * A newer version of a text up to this size lets its running check finish (its result is dropped)
 * rather than ending the worker: the check is short, and the worker keeps the parse the next
 * check starts from. Larger texts end the worker, as a check of them can take many seconds.
 */
export const KEEP_RUNNING_MAX_CHARS = 4 * 1024 * 1024;

let gcExposed = false;

/**
 * The worker collects its garbage after a job once its heap holds more than this, and more than
 * twice what was live after its last collection. Each check of 2 MB leaves tens of megabytes of
 * short-lived objects (the parse, the analysis, the texts copied in), and V8 let the worker's heap
 * grow to several times its live size while edits streamed in (issue 20: RSS while editing).
 */
export const WORKER_GC_MIN_BYTES = 48 * 1024 * 1024;

/** The main thread's side: a queue of jobs for one worker, started when first needed. */
export class CheckWorkerPool {
  private worker: Worker | undefined;
  private running: (Pending & { timer: NodeJS.Timeout; superseded?: boolean }) | undefined;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  /** The document of the last job the worker ran (it holds that document's parse). */
  private lastUri: string | undefined;
  private disposed = false;
  /** Jobs by how they ended (tests and the status look at it), and how many workers were started. */
  readonly stats = { done: 0, cancelled: 0, stopped: 0, failed: 0, workers: 0, fixJobs: 0 };

  constructor(readonly options: CheckWorkerOptions) {}

  /** The document being checked now, if any. */
  get busyWith(): string | undefined {
    return this.running?.uri;
  }

  /** Whether a job of `uri` is running or waiting (its answer is on the way: the main thread will have work to do). */
  pending(uri: string): boolean {
    return (this.running?.uri === uri && !this.running.superseded) || this.queue.some((q) => q.uri === uri);
  }

  /** What the worker is doing now: the document and the kind of job ('check' or 'fixes'). */
  get busy(): { uri: string; kind: Job['kind'] } | undefined {
    return this.running ? { uri: this.running.uri, kind: this.running.job.kind } : undefined;
  }

  /** Checks `job` for `uri`; resolves 'cancelled' when `cancel(uri)` comes first. */
  run(uri: string, job: CheckJob): Promise<CheckOutcome> {
    if (this.disposed) return Promise.resolve({ status: 'cancelled' });
    return new Promise((resolve) => {
      // The same text already waiting or being checked (a push and a pull, a code action waiting
      // for the check, two rounds of prepare): one check for all of them.
      const r = this.running;
      const sameAs = (q: Pending): boolean => q.uri === uri && q.job.kind === 'check' && q.job.text === job.text && q.job.path === job.path;
      const same = r && !r.superseded && sameAs(r) ? r : this.queue.find(sameAs);
      if (same) {
        same.resolve.push(resolve as (o: Outcome) => void);
        return;
      }
      this.queue.push({ id: this.nextId++, uri, job: { kind: 'check', ...job }, resolve: [resolve as (o: Outcome) => void] });
      this.next();
    });
  }

  /**
   * Builds and judges the quick fixes of `job.text` (and fix-all when asked) in the worker;
   * resolves 'cancelled' when a newer version or a close of `uri` comes first. The main thread
   * only waits for the answer: requests are answered meanwhile.
   */
  fixes(uri: string, job: FixJob): Promise<FixOutcome> {
    if (this.disposed) return Promise.resolve({ status: 'cancelled' });
    return new Promise((resolve) => {
      this.stats.fixJobs++;
      this.queue.push({ id: this.nextId++, uri, job: { kind: 'fixes', ...job }, resolve: [resolve as (o: Outcome) => void] });
      this.next();
    });
  }

  /**
   * Drops the jobs of `uri`. A running one is answered 'cancelled' at once; it finishes in the
   * worker when its text is small enough (KEEP_RUNNING_MAX_CHARS), else the worker is ended (a
   * new one starts with the next job). `closed`: the document is gone, so the worker is ended
   * either way when it is checking it or holds its last parse (its memory goes with it).
   * `current`: the document's text now; a check of that very text is kept.
   */
  cancel(uri: string, closed = false, current?: string): void {
    const kept = (p: Pending): boolean => current !== undefined && p.job.kind === 'check' && p.job.text === current;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].uri !== uri || kept(this.queue[i])) continue;
      for (const r of this.queue[i].resolve) r({ status: 'cancelled' });
      this.queue.splice(i, 1);
      this.stats.cancelled++;
    }
    const r = this.running;
    if (closed && !r && this.lastUri === uri && this.worker) {
      void this.worker.terminate();
      this.worker = undefined;
      return;
    }
    if (r?.uri !== uri || (r.superseded && !closed) || kept(r)) return;
    if (closed || (r.job.kind === 'check' && r.job.text.length > KEEP_RUNNING_MAX_CHARS)) {
      this.finish({ status: 'cancelled' }, true);
      return;
    }
    r.superseded = true;
    this.stats.cancelled++;
    for (const res of r.resolve) res({ status: 'cancelled' });
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue.splice(0)) for (const r of p.resolve) r({ status: 'cancelled' });
    if (this.running) this.finish({ status: 'cancelled' }, true);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private next(): void {
    if (this.running || this.disposed) return;
    const p = this.queue.shift();
    if (!p) return;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (e) {
      // A worker that cannot start (flags it refuses, no threads): this job fails, the server goes on.
      this.stats.failed++;
      for (const r of p.resolve) r({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
      this.next();
      return;
    }
    const started = performance.now();
    const timer = setTimeout(() => this.finish({ status: 'stopped', afterMs: Math.round(performance.now() - started) }, true), this.options.budgetMs);
    this.running = { ...p, timer };
    this.lastUri = p.uri;
    worker.postMessage({ id: p.id, uri: p.uri, job: p.job });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The worker collects its garbage itself after a job (runCheckWorker, tidy): V8 exposes `gc`
    // to contexts made after this flag, so to the worker's and not to the running main thread's.
    if (!gcExposed) {
      setFlagsFromString('--expose-gc');
      gcExposed = true;
    }
    const file = this.options.file;
    const opts = { execArgv: this.options.execArgv ?? [], stdout: true, stderr: true };
    // From the TypeScript source (tests, tsx): a worker does not inherit tsx's loader, so it registers its own.
    const w = file.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { ...opts, eval: true }) : new Worker(file, opts);
    // The server's stdout is the protocol: the worker prints nothing there.
    w.stdout.resume();
    w.stderr.resume();
    w.unref();
    w.on('message', (m: { id: number; findings?: Finding[]; total?: number; actions?: CodeFix[][]; all?: FixAllResult; error?: string }) => {
      if (this.running?.id !== m.id) return;
      const kind = this.running.job.kind;
      this.finish(m.error !== undefined ? { status: 'failed', message: m.error }
        : kind === 'fixes' ? { status: 'done', actions: m.actions ?? [], ...(m.all ? { all: m.all } : {}) }
          : { status: 'done', findings: m.findings ?? [], total: m.total ?? m.findings?.length ?? 0 }, false);
    });
    const lost = (why: string): void => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (this.running) this.finish({ status: 'failed', message: why }, false);
    };
    w.on('error', (e) => lost(e instanceof Error ? e.message : String(e)));
    w.on('exit', (code) => lost(`the check worker exited (code ${code})`));
    this.worker = w;
    this.stats.workers++;
    return w;
  }

  /** Ends the running job; `kill` ends the worker too (its heap goes with it). */
  private finish(outcome: Outcome, kill: boolean): void {
    const r = this.running;
    if (!r) return;
    clearTimeout(r.timer);
    this.running = undefined;
    if (kill && this.worker) {
      const w = this.worker;
      this.worker = undefined;
      void w.terminate();
    }
    // A superseded job was answered (and counted) when the newer version came.
    if (!r.superseded) {
      this.stats[outcome.status]++;
      for (const res of r.resolve) res(outcome);
    }
    this.next();
  }
}

/** The worker's side: one façade, reading what the editor has open from the job and the rest from disk. */
export function runCheckWorker(): void {
  const port = parentPort;
  if (!port) return;
  // Below the request thread: when both want the CPU, a request goes first (issue 20). On Linux
  // the nice value is per thread and 0 is the calling thread; elsewhere it would lower the whole
  // server. Threads this one starts later inherit it (libuv's pool, if the worker were the first
  // to use it: the checks read files synchronously).
  if (process.platform === 'linux') {
    try {
      setPriority(0, 10);
    } catch {
      // not allowed here: the checks run at the thread's priority
    }
  }
  let open: CheckJob['open'] = {};
  /**
   * The last text checked, its parse and (up to KEEP_RUNNING_MAX_CHARS) its findings: the next
   * version of that document re-reads only what changed, and its quick fixes are judged against them.
   */
  let last: { uri: string; text: string; parsed: ParseResult; findings?: readonly Finding[] } | undefined;
  /** The safety context of the last text whose fixes were judged: its judgements are kept with it (features/fixes.ts). */
  let judging: { uri: string; text: string; path: string | undefined; safety: FixSafety; context: ProjectContext | undefined } | undefined;
  const project = new Project(
    nodeHost((path) => {
      const o = open[path];
      if (o) return o;
      try {
        const st = statSync(path);
        if (!st.isFile()) return undefined;
        return { text: readDecoded(path).text, key: `disk:${st.mtimeMs}:${st.size}` };
      } catch {
        return undefined;
      }
    }),
  );
  const check = (uri: string, text: string, path: string | undefined, context: ProjectContext | undefined): Finding[] => {
    let parsed: ParseResult | undefined;
    if (text.length <= MAX_CHECK_CHARS) {
      parsed = (last?.uri === uri ? reparse(last.text, last.parsed, text) : undefined) ?? parseTaskSequence(text);
      last = { uri, text, parsed };
    }
    const { findings } = project.checkSequence(text, path, context, parsed ? { parsed } : {});
    if (last?.text === text && text.length <= KEEP_RUNNING_MAX_CHARS) last.findings = findings;
    return findings;
  };
  const fixes = (uri: string, job: FixJob, context: ProjectContext | undefined): { actions: CodeFix[][]; all?: FixAllResult } => {
    const text = job.text;
    if (!(last?.uri === uri && last.text === text && last.findings)) check(uri, text, job.path, context);
    const base = last?.uri === uri && last.text === text ? last : undefined;
    if (!base?.findings) return { actions: job.targets.map(() => []) };
    const model = base.parsed.model;
    if (judging?.uri !== uri || judging.text !== text || judging.path !== job.path || judging.context?.key !== context?.key) {
      const recheck: FixSafety['recheck'] = (t, parsed) => project.checkSequence(t, job.path, context, parsed ? { parsed } : {});
      judging = { uri, text, path: job.path, context, safety: { findings: base.findings, problems: base.parsed.problems, recheck, startIn: project.startInFor(model, job.path, context) } };
    }
    const env: FixEnvironment = {
      ...(context?.site && context.sitePath ? { site: context.site, sitePath: context.sitePath } : {}),
      ...(context?.configPath ? { configPath: context.configPath, ...(job.configText !== undefined ? { configText: job.configText } : {}) } : {}),
      ...(job.newConfigPath ? { newConfigPath: job.newConfigPath } : {}),
      safety: judging.safety,
    };
    const actions = job.targets.map((t) => codeActionsFor(text, model, t, env));
    // Fix-all judges with a safety context of its own (its rounds share one bound), as on the main thread.
    const all = job.fixAll ? fixAllFor(text, model, base.findings, { ...env, safety: { ...judging.safety } }, judging.safety.recheck) : undefined;
    return { actions, ...(all ? { all } : {}) };
  };
  let generation: string | undefined;
  const collect = (globalThis as { gc?: () => void }).gc;
  let liveAfterGc = 0;
  /** After a job (its answer posted): a full collection when the heap has grown past WORKER_GC_MIN_BYTES and twice its live size. */
  const tidy = (): void => {
    if (!collect) return;
    const used = getHeapStatistics().used_heap_size;
    if (used < Math.max(WORKER_GC_MIN_BYTES, 2 * liveAfterGc)) return;
    collect();
    liveAfterGc = getHeapStatistics().used_heap_size;
  };
  port.on('message', (m: { id: number; uri: string; job: Job }) => {
    try {
      open = m.job.open;
      // The main thread knows when files change: the worker looks again only then (a fresh look per
      // job read the child sequences again for every check, and judged every fix anew).
      if (m.job.generation !== generation) {
        project.dropDiscovery();
        project.sequencesChanged();
        generation = m.job.generation;
      }
      const context = m.job.path ? project.contextFor(m.job.path, m.job.root) : undefined;
      if (m.job.kind === 'fixes') {
        port.postMessage({ id: m.id, ...fixes(m.uri, m.job, context) });
        return;
      }
      const findings = check(m.uri, m.job.text, m.job.path, context);
      // Only what the editor shows crosses to the main thread (copying 200,000 findings held it for seconds).
      port.postMessage({ id: m.id, findings: findings.slice(0, m.job.maxFindings), total: findings.length });
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      tidy();
    }
  });
}
