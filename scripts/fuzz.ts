// `npm run fuzz`: mutations of every corpus file (../shared/corpus/real, when present) and every
// fixture under test/fixtures, run through the CLI core (cli.ts `main` with a fake io, in a worker
// thread so a hang can be cut off) and through the language server (dist/server.js over a real
// stdio connection: open/change, diagnostics, then every request the server announces, at random
// positions). A case fails when the CLI throws, exits 2 where it should not, writes malformed
// output or reports `internal-error`; when a request answers with an error (other than a
// cancellation), fails inside the server's error boundary, or takes over 2 s; when a case takes
// over 2 s; or when the server dies. Deterministic: case N of seed S is always the same input.
//
// "Takes" is CPU time, not wall time: the CLI case's is its worker thread's, a request's is the
// server process's (every thread) between the request and its answer, read from /proc on Linux
// (elsewhere wall time). On a loaded 2-core machine the wall time of one case swings threefold with
// what else runs (seed 5's ten "slow" cases took 2.0 to 9.2 s wall and 0.2 to 1.4 s of CPU beyond
// Node's start-up), so wall time flagged the machine, not cmts. A request that gets no answer at
// all within 10 s of wall time is still a hang.
//
// Beside the byte mutations: structure cases (scripts/shapes.ts, each shape as a source to mutate),
// the raw-protocol cases (scripts/fuzzProtocol.ts) once per run, and `--large`: every shape at
// 10,000 and 40,000 steps, timed (scripts/fuzzLarge.ts).
//
//   tsx scripts/fuzz.ts [--seed S] [--cases N] [--seconds T] [--no-lsp] [--no-cli] [--only N | --from N] [--verbose] [--large]
//   (or CMTS_FUZZ_SEED, CMTS_FUZZ_CASES, CMTS_FUZZ_SECONDS). Exit 0 clean, 1 failures, 2 usage.
// Failing inputs are written to $TMPDIR/cmts-fuzz/ with the mutations that made them.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { LineIndex } from '../server/src/model/positions';
import { decode } from '../server/src/workspace/files';
import { sharedEnds } from '../server/src/workspace/models';
import { mutate, Rng, type SourceKind } from './fuzzMutate';
import { largeRun } from './fuzzLarge';
import { protocolCases } from './fuzzProtocol';
import { SHAPES, shapeSequence } from './shapes';

const REPO = join(__dirname, '..');
/** A request or a case slower than this is a hang (the bound). */
const HANG_MS = 2000;
/** A CLI case the worker has not answered after this long is cut off (the worker is replaced). */
const KILL_MS = 20_000; // wall time: far past any case, even on a loaded machine

/** utime + stime in ms of /proc/<what>/stat (`thread-self`: the calling thread; a pid: every thread of that process); undefined off Linux. */
export function procCpuMs(what: string | number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${what}/stat`, 'latin1');
    // Fields after the command name (which may hold spaces), which ends at the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS = 100;

interface Source {
  name: string;
  kind: SourceKind;
  bytes: Uint8Array;
}

interface CliJob {
  id: number;
  kind: SourceKind;
  bytes: Uint8Array;
  /** xml: which folder the case goes in; json: which file of a good workspace the bytes replace. */
  place: 'site' | 'nosite' | 'site-file' | 'config-file';
  format: 'text' | 'json' | 'sarif';
}

interface CliResult {
  id: number;
  /** CPU time of the worker thread (wall time off Linux). */
  ms: number;
  wall: number;
  problems: string[];
}

// ---- the CLI side (worker thread) ----------------------------------------------------------------

function cliWorker(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('../server/src/cli') as typeof import('../server/src/cli');
  const base = mkdtempSync(join(tmpdir(), 'cmts-fuzz-cli-'));
  const good = readFileSync(join(REPO, 'test/fixtures/cli/configmgr-site.json'));
  const sequence = readFileSync(join(REPO, 'test/fixtures/cli/deploy.xml'));
  const dirs = { site: join(base, 'site'), nosite: join(base, 'nosite'), json: join(base, 'json') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  writeFileSync(join(dirs.site, 'configmgr-site.json'), good);
  writeFileSync(join(dirs.site, '.cmts.json'), '{ "rules": { "unknown-step-type": "error" } }');
  process.on('exit', () => rmSync(base, { recursive: true, force: true }));

  parentPort!.on('message', (job: CliJob) => {
    const problems: string[] = [];
    let cwd: string;
    if (job.kind === 'xml') {
      cwd = job.place === 'site' ? dirs.site : dirs.nosite;
      writeFileSync(join(cwd, 'case.xml'), job.bytes);
    } else {
      cwd = dirs.json;
      writeFileSync(join(cwd, 'case.xml'), sequence);
      writeFileSync(join(cwd, 'configmgr-site.json'), job.place === 'site-file' ? job.bytes : good);
      if (job.place === 'config-file') writeFileSync(join(cwd, '.cmts.json'), job.bytes);
      else rmSync(join(cwd, '.cmts.json'), { force: true });
    }
    let out = '';
    let err = '';
    let code = -1;
    const t0 = performance.now();
    const c0 = procCpuMs('thread-self');
    try {
      code = main(['check', 'case.xml', '--format', job.format], { out: (s) => void (out += s), err: (s) => void (err += s), cwd });
    } catch (e) {
      problems.push(`main threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    const wall = performance.now() - t0;
    const c1 = procCpuMs('thread-self');
    const ms = c0 !== undefined && c1 !== undefined ? c1 - c0 : wall;
    problems.push(...checkCliOutput(job, code, out, err));
    parentPort!.postMessage({ id: job.id, ms, wall, problems } satisfies CliResult);
  });
}

/** Stderr lines a broken site description or .cmts.json may legitimately cause (exit 2). */
const EXPECTED_STDERR = [/cannot be used/, /"site" names/, /not a usable file path/, /Could not read/, /cannot read site description/];

function checkCliOutput(job: CliJob, code: number, out: string, err: string): string[] {
  const problems: string[] = [];
  if (code !== 0 && code !== 1 && code !== 2) problems.push(`exit code ${code}`);
  if (code === 2) {
    const lines = err.split('\n').filter((l) => l.trim());
    const unexpected = job.kind === 'xml' ? lines : lines.filter((l) => !EXPECTED_STDERR.some((re) => re.test(l)));
    // Exit 2 with no message: a .cmts.json with errors (reported in the output). Anything else
    // on stderr in an xml case means an exception reached main's last-resort catch.
    if (unexpected.length || (job.kind === 'xml' && code === 2)) problems.push(`exit 2: ${unexpected.join(' | ').slice(0, 500) || '(no message)'}`);
  }
  if (code === 2 && out === '') return problems;
  if (job.format === 'text') {
    const lines = out.split('\n');
    if (lines.pop() !== '') problems.push('text output does not end in a newline');
    const summary = lines.pop() ?? '';
    if (!/^\d+ errors, \d+ warnings in \d+ files$/.test(summary)) problems.push(`text summary line: ${JSON.stringify(summary.slice(0, 200))}`);
    for (const l of lines) {
      if (!/^[^:]+:\d+:\d+: (error|warning|info) [\w-]+: ./.test(l)) problems.push(`text line: ${JSON.stringify(l.slice(0, 200))}`);
      if (/ internal-error: /.test(l)) problems.push(`internal-error: ${l.slice(0, 300)}`);
    }
  } else {
    let doc: unknown;
    try {
      doc = JSON.parse(out);
    } catch (e) {
      problems.push(`${job.format} output is not JSON: ${String(e).slice(0, 200)}`);
      return problems;
    }
    if (job.format === 'json') {
      const files = (doc as { files?: { diagnostics: { rule: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] }[] }).files;
      if (!Array.isArray(files)) problems.push('json output has no files');
      for (const f of files ?? []) {
        for (const d of f.diagnostics) {
          if (d.rule === 'internal-error') problems.push(`internal-error: ${d.message.slice(0, 300)}`);
          const { start, end } = d.range;
          if (!(start.line >= 0 && start.character >= 0 && (end.line > start.line || (end.line === start.line && end.character >= start.character)))) {
            problems.push(`bad range ${JSON.stringify(d.range)} for ${d.rule}`);
          }
          if (!d.message) problems.push(`empty message for ${d.rule}`);
        }
      }
    } else {
      const runs = (doc as { runs?: { results?: { ruleId: string; message: { text: string } }[] }[] }).runs;
      if (!Array.isArray(runs)) problems.push('sarif output has no runs');
      for (const r of runs?.[0]?.results ?? []) if (r.ruleId === 'internal-error') problems.push(`internal-error: ${r.message.text.slice(0, 300)}`);
    }
  }
  return problems;
}

class CliRunner {
  private worker!: Worker;
  private pending: { id: number; resolve: (r: CliResult) => void } | undefined;

  constructor() {
    this.spawn();
  }

  private spawn(): void {
    // Workers do not inherit tsx's loader: the worker registers it, then loads this file.
    const boot = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(__filename)});`;
    this.worker = new Worker(boot, { eval: true, workerData: { role: 'cli' } });
    this.worker.on('message', (r: CliResult) => {
      if (this.pending?.id === r.id) {
        const p = this.pending;
        this.pending = undefined;
        p.resolve(r);
      }
    });
    this.worker.on('error', (e) => {
      const p = this.pending;
      this.pending = undefined;
      p?.resolve({ id: p.id, ms: 0, wall: 0, problems: [`worker crashed: ${e.stack ?? e.message}`] });
      this.spawn();
    });
  }

  run(job: CliJob): Promise<CliResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        // No CPU time to give: the hang is the problem reported.
        resolve({ id: job.id, ms: 0, wall: KILL_MS, problems: [`no answer after ${KILL_MS} ms (hang); worker replaced`] });
        void this.worker.terminate();
        this.spawn();
      }, KILL_MS);
      this.pending = {
        id: job.id,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      this.worker.postMessage(job);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

// ---- the language server side ---------------------------------------------------------------------

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface Diag { range: Range; code?: string | number; message: string; data?: unknown }
interface RpcError { code: number; message: string }

/** A range a client can apply to a document of `lines`: whole numbers, in order, at most one line past the end. */
function validRange(r: Range, lines: LineIndex): boolean {
  const ok = (p: Position): boolean => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line <= lines.lineCount;
  return ok(r.start) && ok(r.end) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
}

/** The JSON-RPC framing by hand: no dependency on the client library's timing, and every byte is ours to check. */
export class Server {
  private proc!: ChildProcess;
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number, (m: { result?: unknown; error?: RpcError }) => void>();
  readonly logs: string[] = [];
  capabilities: Record<string, unknown> = {};
  exited: string | undefined;
  private versions = new Map<string, number>();
  readonly texts = new Map<string, string>();

  constructor(readonly root: string) {}

  async start(): Promise<void> {
    this.exited = undefined;
    this.versions.clear();
    this.texts.clear();
    this.proc = spawn(process.execPath, [...(process.env.CMTS_FUZZ_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(REPO, 'dist/server.js'), '--stdio'], {
      cwd: this.root, stdio: ['pipe', 'pipe', 'pipe'],
      // One edit at a time, each answer awaited: the edit debounce would only add its wait to every case.
      env: { ...process.env, CMTS_EDIT_DEBOUNCE_MS: '0' },
    });
    this.proc.stdout!.on('data', (b: Buffer) => this.data(b));
    this.proc.stderr!.on('data', (b: Buffer) => this.logs.push(b.toString()));
    this.proc.on('exit', (code, signal) => {
      this.exited = `server exited (code ${code}, signal ${signal})`;
      for (const w of this.waiting.values()) w({ error: { code: -1, message: this.exited } });
      this.waiting.clear();
    });
    this.proc.stdin!.on('error', () => undefined);
    const rootUri = pathToFileURL(this.root).href;
    const init = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'fuzz' }],
      capabilities: {
        textDocument: {
          synchronization: { didSave: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } }, dataSupport: true },
          completion: { completionItem: { snippetSupport: true } },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, dataSupport: true },
          diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
        },
        workspace: { workspaceFolders: true, diagnostics: { refreshSupport: true }, applyEdit: true },
      },
    }, 10_000);
    if (init.error) throw new Error(`initialize failed: ${init.error.message}`);
    this.capabilities = (init.result as { capabilities: Record<string, unknown> }).capabilities;
    this.notify('initialized', {});
  }

  private data(b: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, b]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, head).toString());
      if (!m) throw new Error('server sent a message without Content-Length');
      const len = Number(m[1]);
      if (this.buffer.length < head + 4 + len) return;
      const body = JSON.parse(this.buffer.subarray(head + 4, head + 4 + len).toString('utf8')) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: RpcError };
      this.buffer = this.buffer.subarray(head + 4 + len);
      if (body.method !== undefined && body.id !== undefined) {
        // A request from the server (registerCapability, refresh, applyEdit …): answer it. An
        // applyEdit would be the server changing files on its own: it is refused and counted.
        if (body.method === 'workspace/applyEdit') this.logs.push(`cmts: server asked to apply an edit by itself: ${JSON.stringify(body.params).slice(0, 200)} failed: unrequested edit`);
        this.send({ jsonrpc: '2.0', id: body.id, result: body.method === 'workspace/applyEdit' ? { applied: false } : null });
      } else if (body.method === 'window/logMessage' || body.method === 'window/showMessage') {
        this.logs.push((body.params as { message: string }).message);
      } else if (body.id !== undefined) {
        const w = this.waiting.get(body.id);
        this.waiting.delete(body.id);
        w?.({ result: body.result, error: body.error });
      }
    }
  }

  private send(msg: unknown): void {
    if (this.exited) return;
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin!.write(body);
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** CPU time the server process has used so far (every thread), in ms; undefined off Linux. */
  cpuMs(): number | undefined {
    return this.proc.pid === undefined ? undefined : procCpuMs(this.proc.pid);
  }

  /** `ms`: the server's CPU time from the request to its answer (wall time off Linux); `wall`: wall time. */
  request(method: string, params: unknown, timeoutMs = HANG_MS): Promise<{ result?: unknown; error?: RpcError; ms: number; wall: number; timedOut?: boolean }> {
    const id = this.nextId++;
    const t0 = performance.now();
    const c0 = this.cpuMs();
    const spent = (): { ms: number; wall: number } => {
      const wall = performance.now() - t0;
      const c1 = this.cpuMs();
      return { ms: c0 !== undefined && c1 !== undefined ? c1 - c0 : wall, wall };
    };
    return new Promise((resolve) => {
      if (this.exited) return resolve({ error: { code: -1, message: this.exited }, ms: 0, wall: 0 });
      // Answers are awaited past the bound (to keep the stream in step); the bound is judged on ms.
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ ...spent(), timedOut: true });
      }, Math.max(timeoutMs * 5, 10_000));
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve({ ...m, ...spent() });
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  open(uri: string, text: string, languageId: string): void {
    if (this.versions.has(uri)) return this.change(uri, text);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Full text, or (incremental) one edit replacing the part that differs. */
  change(uri: string, text: string, incremental = false): void {
    const v = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, v);
    const old = this.texts.get(uri) ?? '';
    this.texts.set(uri, text);
    if (!incremental) {
      this.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
      return;
    }
    let { prefix: p, suffix: s } = sharedEnds(old, text);
    // LSP cannot name the place between \r and \n (a position past the line's end means its end):
    // widen the edit so neither of its ends falls inside a line break.
    if (p > 0 && old.charCodeAt(p - 1) === 13 && old.charCodeAt(p) === 10) p--;
    if (s > 0 && old.charCodeAt(old.length - s - 1) === 13 && old.charCodeAt(old.length - s) === 10) s--;
    const lines = new LineIndex(old);
    const range = { start: lines.positionAt(p), end: lines.positionAt(old.length - s) };
    this.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, text: text.slice(p, text.length - s) }] });
  }

  close(uri: string): void {
    if (!this.versions.delete(uri)) return;
    this.texts.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  isOpen(uri: string): boolean {
    return this.versions.has(uri);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await this.request('shutdown', null, 2000);
    this.notify('exit', null);
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 3000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

interface LspStats {
  requests: number;
  perMethod: Map<string, { n: number; max: number; total: number }>;
  caseMs: number[];
  caseWall: number[];
}

/** Requests beyond diagnostics, each used only when the server announces its capability. */
const FEATURES: { cap: string; method: string; params: (uri: string, pos: Position) => unknown }[] = [
  { cap: 'hoverProvider', method: 'textDocument/hover', params: (uri, position) => ({ textDocument: { uri }, position }) },
  { cap: 'completionProvider', method: 'textDocument/completion', params: (uri, position) => ({ textDocument: { uri }, position, context: { triggerKind: 1 } }) },
  { cap: 'documentSymbolProvider', method: 'textDocument/documentSymbol', params: (uri) => ({ textDocument: { uri } }) },
  { cap: 'definitionProvider', method: 'textDocument/definition', params: (uri, position) => ({ textDocument: { uri }, position }) },
  { cap: 'referencesProvider', method: 'textDocument/references', params: (uri, position) => ({ textDocument: { uri }, position, context: { includeDeclaration: true } }) },
  { cap: 'documentHighlightProvider', method: 'textDocument/documentHighlight', params: (uri, position) => ({ textDocument: { uri }, position }) },
  { cap: 'foldingRangeProvider', method: 'textDocument/foldingRange', params: (uri) => ({ textDocument: { uri } }) },
  { cap: 'selectionRangeProvider', method: 'textDocument/selectionRange', params: (uri, position) => ({ textDocument: { uri }, positions: [position] }) },
  { cap: 'documentLinkProvider', method: 'textDocument/documentLink', params: (uri) => ({ textDocument: { uri } }) },
  { cap: 'signatureHelpProvider', method: 'textDocument/signatureHelp', params: (uri, position) => ({ textDocument: { uri }, position }) },
];

class LspFuzzer {
  readonly server: Server;
  readonly stats: LspStats = { requests: 0, perMethod: new Map(), caseMs: [], caseWall: [] };
  private logMark = 0;
  private readonly root: string;
  private readonly uris: { site: string; nosite: string; siteFile: string; configFile: string; other: string };
  private readonly goodSequence: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'cmts-fuzz-lsp-'));
    const site = join(this.root, 'site');
    const nosite = join(this.root, 'nosite');
    mkdirSync(site);
    mkdirSync(nosite);
    writeFileSync(join(site, 'configmgr-site.json'), readFileSync(join(REPO, 'test/fixtures/cli/configmgr-site.json')));
    this.goodSequence = readFileSync(join(REPO, 'test/fixtures/cli/deploy.xml'), 'utf8');
    for (const f of ['case.xml', 'other.xml']) writeFileSync(join(site, f), this.goodSequence);
    writeFileSync(join(nosite, 'case.xml'), this.goodSequence);
    const u = (p: string): string => pathToFileURL(join(this.root, p)).href;
    this.uris = { site: u('site/case.xml'), nosite: u('nosite/case.xml'), siteFile: u('site/configmgr-site.json'), configFile: u('site/.cmts.json'), other: u('site/other.xml') };
    this.server = new Server(this.root);
  }

  async start(): Promise<void> {
    await this.server.start();
    this.logMark = this.server.logs.length;
  }

  private async call(method: string, params: unknown, problems: string[]): Promise<unknown> {
    const r = await this.server.request(method, params);
    this.stats.requests++;
    const s = this.stats.perMethod.get(method) ?? { n: 0, max: 0, total: 0 };
    s.n++;
    s.total += r.ms;
    s.max = Math.max(s.max, r.ms);
    this.stats.perMethod.set(method, s);
    if (r.timedOut) problems.push(`${method}: no answer (hang)`);
    else if (r.ms > HANG_MS) problems.push(`${method}: answered after ${r.ms.toFixed(0)} ms of CPU, ${r.wall.toFixed(0)} ms wall (over ${HANG_MS} ms)`);
    // -32800 RequestCancelled is the one error a client must accept; the server cancels nothing here.
    if (r.error && r.error.code !== -32800) problems.push(`${method}: error ${r.error.code} ${r.error.message.slice(0, 300)}`);
    return r.result;
  }

  private randomPosition(text: string, lines: LineIndex, rng: Rng): Position {
    if (rng.chance(0.1)) return { line: rng.int(lines.lineCount + 3), character: rng.int(300) };
    return lines.positionAt(rng.int(text.length + 1));
  }

  /** One case through the server; returns the problems found. */
  async run(kind: SourceKind, bytes: Uint8Array, rng: Rng): Promise<string[]> {
    const problems: string[] = [];
    if (this.server.exited) {
      problems.push(`server was down before the case: ${this.server.exited}`);
      await this.start();
    }
    const c0 = this.server.cpuMs();
    const t0 = performance.now();
    // An editor decodes the file itself; for the server the case is the text it would send.
    const text = decode(bytes).text;
    let target: string;
    if (kind === 'xml') {
      target = rng.chance(0.7) ? this.uris.site : this.uris.nosite;
      if (this.server.isOpen(target)) this.server.change(target, text, rng.chance(0.3));
      else this.server.open(target, text, rng.chance(0.5) ? 'xml' : 'tasksequence');
    } else {
      const file = rng.chance(0.7) ? this.uris.siteFile : this.uris.configFile;
      if (this.server.isOpen(file)) this.server.change(file, text, rng.chance(0.3));
      else this.server.open(file, text, 'json');
      await this.call('textDocument/diagnostic', { textDocument: { uri: file } }, problems);
      target = this.uris.site;
      if (!this.server.isOpen(target)) this.server.open(target, this.goodSequence, 'xml');
    }
    await this.exercise(target, rng, problems);
    if (kind === 'json' && rng.chance(0.5)) {
      this.server.close(this.uris.siteFile);
      this.server.close(this.uris.configFile);
    }
    if (rng.chance(0.05)) this.server.close(target);
    if (rng.chance(0.02) && (this.server.capabilities.diagnosticProvider as { workspaceDiagnostics?: boolean } | undefined)?.workspaceDiagnostics) {
      await this.call('workspace/diagnostic', { previousResultIds: [] }, problems);
    }
    if (this.server.exited) problems.push(this.server.exited);
    problems.push(...this.newLogProblems());
    const wall = performance.now() - t0;
    const c1 = this.server.cpuMs();
    const ms = c0 !== undefined && c1 !== undefined ? c1 - c0 : wall;
    this.stats.caseMs.push(ms);
    this.stats.caseWall.push(wall);
    if (ms > HANG_MS * 3) problems.push(`the case took ${ms.toFixed(0)} ms of CPU (${wall.toFixed(0)} ms wall) in the server`);
    return problems;
  }

  private async exercise(uri: string, rng: Rng, problems: string[]): Promise<void> {
    let text = this.server.texts.get(uri) ?? '';
    let lines = new LineIndex(text);
    const caps = this.server.capabilities;
    let diags: Diag[] = [];
    if (caps.diagnosticProvider) {
      const r = (await this.call('textDocument/diagnostic', { textDocument: { uri } }, problems)) as { kind?: string; items?: Diag[] } | undefined;
      diags = r?.items ?? [];
      for (const d of diags) {
        if (!validRange(d.range, lines)) problems.push(`diagnostic ${d.code} has a bad range ${JSON.stringify(d.range)}`);
        if (d.code === 'internal-error') problems.push(`internal-error: ${d.message.slice(0, 300)}`);
      }
    }
    for (const f of FEATURES) {
      if (!caps[f.cap]) continue;
      const n = f.method === 'textDocument/hover' ? 3 : 1;
      for (let i = 0; i < n; i++) await this.call(f.method, f.params(uri, this.randomPosition(text, lines, rng)), problems);
    }
    if (!caps.codeActionProvider) return;
    const asks: { range: Range; diagnostics: Diag[] }[] = [];
    for (let i = 0; i < Math.min(3, diags.length); i++) {
      const d = rng.pick(diags);
      asks.push({ range: d.range, diagnostics: rng.chance(0.2) ? [{ ...d, data: undefined }] : [d] });
    }
    const a = this.randomPosition(text, lines, rng);
    asks.push({ range: { start: a, end: a }, diagnostics: [] });
    for (const ask of asks) {
      const actions = ((await this.call('textDocument/codeAction', { textDocument: { uri }, range: ask.range, context: { diagnostics: ask.diagnostics, only: rng.chance(0.1) ? ['quickfix'] : undefined } }, problems)) ?? []) as {
        title: string; edit?: { changes?: Record<string, { range: Range; newText: string }[]>; documentChanges?: { textDocument: { uri: string }; edits: { range: Range; newText: string }[] }[] }; command?: { command: string; arguments?: unknown[] };
      }[];
      if (!Array.isArray(actions)) {
        problems.push(`codeAction answered ${JSON.stringify(actions).slice(0, 100)}`);
        continue;
      }
      for (const act of actions) {
        const edits = [...Object.entries(act.edit?.changes ?? {}).map(([u, e]) => ({ u, e })), ...(act.edit?.documentChanges ?? []).map((c) => ({ u: c.textDocument.uri, e: c.edits }))];
        for (const { u, e } of edits) {
          if (u !== uri) continue;
          for (const ed of e) if (!validRange(ed.range, lines)) problems.push(`quick fix "${act.title}" edits a bad range ${JSON.stringify(ed.range)}`);
        }
      }
      // Now and then the user takes a fix: the edit is applied here (the editor's job) and sent back.
      const own = actions.flatMap((act) => Object.entries(act.edit?.changes ?? {}).filter(([u]) => u === uri).map(([, e]) => e));
      if (own.length && rng.chance(0.3)) {
        text = applyEdits(text, lines, rng.pick(own));
        this.server.change(uri, text, rng.chance(0.5));
        lines = new LineIndex(text);
        if (caps.diagnosticProvider) await this.call('textDocument/diagnostic', { textDocument: { uri } }, problems);
      }
    }
  }

  /** Server log lines that say a handler failed (caught by the boundary) or something escaped it. */
  private newLogProblems(): string[] {
    const fresh = this.server.logs.slice(this.logMark);
    this.logMark = this.server.logs.length;
    return fresh.filter((l) => / failed:|uncaught|unhandled rejection|Error: /.test(l)).map((l) => `server log: ${l.slice(0, 400)}`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}

function applyEdits(text: string, lines: LineIndex, edits: { range: Range; newText: string }[]): string {
  const spans = edits.map((e) => ({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const s of spans) out = out.slice(0, s.s) + s.t + out.slice(Math.max(s.s, s.e));
  return out;
}

// ---- driver ----------------------------------------------------------------------------------

interface Options {
  seed: number;
  cases: number;
  seconds: number;
  lsp: boolean;
  cli: boolean;
  only?: number;
  from?: number;
  verbose: boolean;
  large: boolean;
}

function options(argv: string[]): Options {
  const env = process.env;
  const o: Options = {
    seed: Number(env.CMTS_FUZZ_SEED ?? 1),
    cases: Number(env.CMTS_FUZZ_CASES ?? 2000),
    seconds: Number(env.CMTS_FUZZ_SECONDS ?? 600),
    lsp: true,
    cli: true,
    verbose: false,
    large: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) usage(`${a} needs a number`);
      return v;
    };
    if (a === '--seed') o.seed = num();
    else if (a === '--cases') o.cases = num();
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--only') o.only = num();
    else if (a === '--from') o.from = num();
    else if (a === '--no-lsp') o.lsp = false;
    else if (a === '--no-cli') o.cli = false;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--large') o.large = true;
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.seed) || !Number.isInteger(o.cases)) usage('--seed and --cases take whole numbers');
  return o;
}

function usage(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\nusage: tsx scripts/fuzz.ts [--seed S] [--cases N] [--seconds T] [--no-lsp] [--no-cli] [--only N | --from N] [--verbose] [--large]\n`);
  process.exit(2);
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

/** Every corpus file and every fixture; JSON files are fuzzed as site descriptions and .cmts.json. */
export function sources(): Source[] {
  const corpus = files(join(REPO, '..', 'shared', 'corpus', 'real')).filter((f) => f.endsWith('.xml'));
  const fixtures = files(join(REPO, 'test', 'fixtures')).filter((f) => !f.endsWith('.expected.json'));
  const files_: Source[] = [...corpus, ...fixtures].map((f) => ({
    name: relative(join(REPO, '..'), f),
    kind: f.endsWith('.json') ? 'json' : 'xml',
    bytes: readFileSync(f),
  }));
  // Structure cases: each shape at a few hundred steps, mutated like any other source.
  const shapes: Source[] = SHAPES.map((shape) => ({ name: `shape:${shape}`, kind: 'xml', bytes: Buffer.from(shapeSequence(shape, 300)) }));
  return [...files_, ...shapes];
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function fuzz(o: Options): Promise<number> {
  if (o.large) return largeRun();
  const all = sources();
  if (o.lsp && !existsSync(join(REPO, 'dist/server.js'))) usage('dist/server.js is missing: run npm run build first (or --no-lsp)');
  const corpusCount = all.filter((s) => s.name.startsWith('shared/')).length;
  process.stdout.write(`fuzz: seed ${o.seed}, up to ${o.cases} cases or ${o.seconds} s; ${all.length} sources (${corpusCount} corpus files, ${all.length - corpusCount} fixtures); cli ${o.cli ? 'on' : 'off'}, lsp ${o.lsp ? 'on' : 'off'}\n`);
  const cli = o.cli ? new CliRunner() : undefined;
  const lsp = o.lsp ? new LspFuzzer() : undefined;
  await lsp?.start();
  const failDir = join(tmpdir(), 'cmts-fuzz');
  const failures: { id: number; source: string; steps: string[]; problems: string[]; file: string }[] = [];
  const cliMs: number[] = [];
  const cliWall: number[] = [];
  const covered = new Set<string>();
  if (o.lsp) {
    const raw = await protocolCases(join(REPO, 'dist/server.js'), o.seed);
    process.stdout.write(`fuzz: raw-protocol cases ${raw.length ? raw.length + ' failing' : 'all held'}\n`);
    for (const p of raw) {
      process.stdout.write(`FAIL ${p}\n`);
      failures.push({ id: -1, source: 'protocol', steps: [], problems: [p], file: '' });
    }
  }
  const t0 = performance.now();
  let run = 0;
  // --from N: cases N.. (N + cases - 1), with the server's history of the cases before the failing one.
  const first = o.only ?? o.from ?? 0;
  const last = o.only !== undefined ? o.only + 1 : first + o.cases;
  for (let id = first; id < last; id++) {
    if ((performance.now() - t0) / 1000 > o.seconds) break;
    const rng = new Rng(o.seed, id);
    const source = all[id % all.length];
    covered.add(source.name);
    const m = mutate(source.bytes, source.kind, rng);
    const place: CliJob['place'] = source.kind === 'xml' ? (rng.chance(0.7) ? 'site' : 'nosite') : rng.chance(0.7) ? 'site-file' : 'config-file';
    const format = rng.pick(['text', 'json', 'sarif'] as const);
    const [c, l] = await Promise.all([
      cli?.run({ id, kind: source.kind, bytes: m.bytes, place, format }),
      lsp?.run(source.kind, m.bytes, new Rng(o.seed, id, 1)),
    ]);
    run++;
    const problems = [...(c?.problems ?? []).map((p) => `cli: ${p}`), ...(l ?? []).map((p) => `lsp: ${p}`)];
    if (c) {
      cliMs.push(c.ms);
      cliWall.push(c.wall);
      if (c.ms > HANG_MS) problems.push(`cli: the case took ${c.ms.toFixed(0)} ms of CPU, ${c.wall.toFixed(0)} ms wall (over ${HANG_MS} ms)`);
    }
    if (problems.length) {
      mkdirSync(failDir, { recursive: true });
      const file = join(failDir, `seed${o.seed}-case${id}-${basename(source.name)}`);
      writeFileSync(file, m.bytes);
      writeFileSync(`${file}.txt`, `${source.name}\n${m.steps.join('\n')}\n\n${problems.join('\n')}\n`);
      failures.push({ id, source: source.name, steps: m.steps, problems, file });
      process.stdout.write(`FAIL case ${id} (${source.name}; ${m.steps.join(', ')})\n  ${problems.slice(0, 5).join('\n  ')}\n  input: ${file}\n`);
    } else if (o.verbose) {
      process.stdout.write(`ok   case ${id} ${source.name} ${m.steps.join(', ')} cli ${c?.ms.toFixed(0)} ms\n`);
    }
    if (!o.verbose && run % 500 === 0) process.stdout.write(`  ${run} cases, ${failures.length} failing, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const wall = (performance.now() - t0) / 1000;
  await cli?.stop();
  const stats = lsp?.stats;
  await lsp?.stop();

  const lines = [
    `fuzz: ${run} cases (seed ${o.seed}, cases ${first}..${first + run - 1}) in ${wall.toFixed(1)} s; ${covered.size} of ${all.length} sources mutated; ${failures.length} failing`,
  ];
  if (cliMs.length) lines.push(`  cli: ${cliMs.length} runs of main(); CPU per case p50 ${percentile(cliMs, 50).toFixed(1)} ms, p99 ${percentile(cliMs, 99).toFixed(1)} ms, max ${Math.max(...cliMs).toFixed(0)} ms; wall p99 ${percentile(cliWall, 99).toFixed(1)} ms, max ${Math.max(...cliWall).toFixed(0)} ms`);
  if (stats) {
    lines.push(`  lsp: ${stats.requests} requests; server CPU per case p50 ${percentile(stats.caseMs, 50).toFixed(1)} ms, p99 ${percentile(stats.caseMs, 99).toFixed(1)} ms, max ${Math.max(0, ...stats.caseMs).toFixed(0)} ms; wall p99 ${percentile(stats.caseWall, 99).toFixed(1)} ms, max ${Math.max(0, ...stats.caseWall).toFixed(0)} ms`);
    for (const [m, s] of [...stats.perMethod].sort()) lines.push(`    ${m}: ${s.n}, server CPU mean ${(s.total / s.n).toFixed(1)} ms, max ${s.max.toFixed(0)} ms`);
  }
  for (const f of failures.slice(0, 20)) lines.push(`  FAIL ${f.id}: ${f.problems[0]?.slice(0, 200)} (${f.file})`);
  process.stdout.write(lines.join('\n') + '\n');
  return failures.length ? 1 : 0;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'cli') {
  cliWorker();
} else if (require.main === module) {
  fuzz(options(process.argv.slice(2))).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`fuzz: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
