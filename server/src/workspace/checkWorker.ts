// Checks of large task sequences off the thread that answers requests (issue 21): a
// worker_threads worker runs the project façade's checkSequence, so a hover on another file is
// answered while a 16 MB sequence is checked. One worker, one job at a time; a job is cancelled
// (the worker is ended, and with it the memory of the check) when a newer version or a close
// arrives, and stopped when it runs past its time budget. `runCheckWorker` is the worker's side.

import { statSync } from 'node:fs';
import { parentPort, Worker } from 'node:worker_threads';
import type { Finding } from '../model/findings';
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
  /** At most this many findings come back (the editor shows no more); `total` counts them all. */
  maxFindings: number;
}

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
  job: CheckJob;
  resolve: (o: CheckOutcome) => void;
}

/** The main thread's side: a queue of jobs for one worker, started when first needed. */
export class CheckWorkerPool {
  private worker: Worker | undefined;
  private running: (Pending & { timer: NodeJS.Timeout }) | undefined;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;
  /** The document of the last job the worker ran. */
  private lastUri: string | undefined;
  /** Jobs by how they ended (tests and the status look at it). */
  readonly stats = { done: 0, cancelled: 0, stopped: 0, failed: 0 };

  constructor(readonly options: CheckWorkerOptions) {}

  /** The document being checked now, if any. */
  get busyWith(): string | undefined {
    return this.running?.uri;
  }

  /** Checks `job` for `uri`; resolves 'cancelled' when `cancel(uri)` comes first. */
  run(uri: string, job: CheckJob): Promise<CheckOutcome> {
    if (this.disposed) return Promise.resolve({ status: 'cancelled' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, uri, job, resolve });
      this.next();
    });
  }

  /** Drops the jobs of `uri`; ends the worker when it is checking one (a new one starts with the next job). */
  cancel(uri: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].uri !== uri) continue;
      this.queue[i].resolve({ status: 'cancelled' });
      this.queue.splice(i, 1);
      this.stats.cancelled++;
    }
    if (this.running?.uri === uri) this.finish({ status: 'cancelled' }, true);
    else if (!this.running && this.lastUri === uri && this.worker) {
      // Idle after checking this file: its heap still holds that check's garbage; a new worker starts clean.
      void this.worker.terminate();
      this.worker = undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.resolve({ status: 'cancelled' });
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
      p.resolve({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
      this.next();
      return;
    }
    const started = performance.now();
    const timer = setTimeout(() => this.finish({ status: 'stopped', afterMs: Math.round(performance.now() - started) }, true), this.options.budgetMs);
    this.running = { ...p, timer };
    this.lastUri = p.uri;
    worker.postMessage({ id: p.id, job: p.job });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const file = this.options.file;
    const opts = { execArgv: this.options.execArgv ?? [], stdout: true, stderr: true };
    // From the TypeScript source (tests, tsx): a worker does not inherit tsx's loader, so it registers its own.
    const w = file.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { ...opts, eval: true }) : new Worker(file, opts);
    // The server's stdout is the protocol: the worker prints nothing there.
    w.stdout.resume();
    w.stderr.resume();
    w.unref();
    w.on('message', (m: { id: number; findings?: Finding[]; total?: number; error?: string }) => {
      if (this.running?.id !== m.id) return;
      this.finish(m.error !== undefined ? { status: 'failed', message: m.error } : { status: 'done', findings: m.findings ?? [], total: m.total ?? m.findings?.length ?? 0 }, false);
    });
    const lost = (why: string): void => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (this.running) this.finish({ status: 'failed', message: why }, false);
    };
    w.on('error', (e) => lost(e instanceof Error ? e.message : String(e)));
    w.on('exit', (code) => lost(`the check worker exited (code ${code})`));
    this.worker = w;
    return w;
  }

  /** Ends the running job; `kill` ends the worker too (its heap goes with it). */
  private finish(outcome: CheckOutcome, kill: boolean): void {
    const r = this.running;
    if (!r) return;
    clearTimeout(r.timer);
    this.running = undefined;
    if (kill && this.worker) {
      const w = this.worker;
      this.worker = undefined;
      void w.terminate();
    }
    this.stats[outcome.status]++;
    r.resolve(outcome);
    this.next();
  }
}

/** The worker's side: one façade, reading what the editor has open from the job and the rest from disk. */
export function runCheckWorker(): void {
  const port = parentPort;
  if (!port) return;
  let open: CheckJob['open'] = {};
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
  port.on('message', (m: { id: number; job: CheckJob }) => {
    try {
      open = m.job.open;
      // Discovery is cheap and the main thread knows when files change; a fresh look per job keeps it simple.
      project.dropDiscovery();
      project.sequencesChanged();
      const context = m.job.path ? project.contextFor(m.job.path, m.job.root) : undefined;
      const { findings } = project.checkSequence(m.job.text, m.job.path, context);
      // Only what the editor shows crosses to the main thread (copying 200,000 findings held it for seconds).
      port.postMessage({ id: m.id, findings: findings.slice(0, m.job.maxFindings), total: findings.length });
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
