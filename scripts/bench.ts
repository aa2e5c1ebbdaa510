// `npm run bench`: how fast cmts checks, measured, never asserted (issues 8 and 20,
// docs/performance.md). Inputs are built from real steps (scripts/benchData.ts: the corpus at
// ../shared/corpus/real when it is beside the clone, else the project's own fixtures), with the
// site description `cmts site init` writes for them. Core rows run each in their own process and
// time fast-xml-parser's own parse (attributes and order kept) and the check (parse and every
// check, with the site description) alternately in every round: min, median and p95 of each, the
// ratio of the medians. Then the language server over a real stdio connection (dist/server.js),
// the command line as whole processes, and `cmts diff`. Every target of issue 20 is printed as
// met or not met. `--only core,lsp,diff,cli` runs some parts only. `--write` puts the tables into docs/performance.md between the bench markers;
// `--quick` runs fewer rounds; `--server-flags "…"` starts the language server with those flags.

import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { benchSequence, benchSite, realSteps } from './benchData';
import { parseTaskSequence } from '../server/src/model/parse';
import { analyze, checkText } from '../server/src/analysis';
import { loadSite } from '../server/src/site/load';
import { diffSequences } from '../server/src/features/diff';
import { catalog } from '../server/src/catalog';

const REPO = resolve(__dirname, '..');
const CORPUS = resolve(REPO, '..', 'shared', 'corpus', 'real');
const WORK = join(REPO, '.tmp', 'bench');
const QUICK = process.argv.includes('--quick');
/** `--only core,lsp,diff,cli`: run those parts only (the others' targets print as not measured). */
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? new Set((process.argv[i + 1] ?? '').split(',')) : undefined;
})();
const partOn = (part: string): boolean => !ONLY || ONLY.has(part);
/** `--server-flags "…"`: node flags for the language server (docs/performance.md, memory while editing). */
const SERVER_FLAGS = (() => {
  const i = process.argv.indexOf('--server-flags');
  return i >= 0 ? (process.argv[i + 1] ?? '').split(' ').filter(Boolean) : [];
})();
/** fast-xml-parser's own parse, attributes and order kept: the floor a check is measured against. */
const FXP_OPTIONS = { ignoreAttributes: false, preserveOrder: true, attributeNamePrefix: '' } as const;

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank 95th percentile. */
const p95 = (xs: number[]): number => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
};
const ms = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? 'n/a' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1);
const stats = (xs: number[]): string => `${ms(Math.min(...xs))} / ${ms(median(xs))} / ${ms(p95(xs))}`;

// ---- targets (issue 20) ---------------------------------------------------------------------

interface Target {
  what: string;
  measured: string;
  met: boolean | undefined;
}
const targets: Target[] = [];
function target(what: string, value: number | undefined, limit: number, unit: string, digits = 2): void {
  const ok = value === undefined || Number.isNaN(value) ? undefined : value <= limit;
  targets.push({ what, measured: value === undefined || Number.isNaN(value) ? 'not measured' : `${value.toFixed(digits)}${unit} (target ≤ ${limit}${unit})`, met: ok });
}

// ---- inputs -----------------------------------------------------------------------------------

interface CaseSpec {
  label: string;
  steps?: number;
  chars?: number;
}
const CASES: CaseSpec[] = [
  { label: '300 steps', steps: 300 },
  { label: '2,000 steps', steps: 2000 },
  { label: '2 MB', chars: 2_000_000 },
  { label: '8 MB', chars: 8_000_000 },
  { label: '20,000 steps', steps: 20000 },
];

interface Case {
  label: string;
  texts: string[];
  site?: ReturnType<typeof loadSite>;
  sitePath?: string;
}

function caseFor(label: string): Case {
  if (label === 'corpus') {
    const files = readdirSync(CORPUS).filter((f) => f.toLowerCase().endsWith('.xml')).sort();
    return { label: `corpus (${files.length} files, no site description)`, texts: files.map((f) => readFileSync(join(CORPUS, f), 'utf8')) };
  }
  const spec = CASES.find((c) => c.label === label)!;
  const text = benchSequence(realSteps(REPO, CORPUS), spec);
  return { label, texts: [text], site: loadSite(benchSite(text)), sitePath: join(WORK, 'configmgr-site.json') };
}

// ---- core rows (child process per case) ------------------------------------------------------

interface CoreRow {
  label: string;
  chars: number;
  steps: number;
  bare: number[];
  parse: number[];
  analysis: number[];
  check: number[];
  /** Peak RSS growth over one check in a fresh process, and the heap the text and its result keep. */
  peakRss: number;
  retained: number;
}

function rounds(chars: number): number {
  if (QUICK) return chars > 4_000_000 ? 3 : 5;
  return chars > 4_000_000 ? 5 : chars > 1_000_000 ? 9 : chars > 100_000 ? 15 : 40;
}

function coreChild(label: string): CoreRow {
  const c = caseFor(label);
  const chars = c.texts.reduce((a, t) => a + t.length, 0);
  const opts = { site: c.site, sitePath: c.sitePath };
  // Warm-up: both sides, so neither is timed while V8 still compiles it.
  for (let i = 0; i < 2; i++) for (const t of c.texts) { new XMLParser(FXP_OPTIONS).parse(t); checkText(t, opts); }
  const bare: number[] = [];
  const p: number[] = [];
  const a: number[] = [];
  const tot: number[] = [];
  let steps = 0;
  for (let i = 0; i < rounds(chars); i++) {
    // Interleaved: the baseline and the check in the same round, so the machine's load moves both.
    let s = performance.now();
    for (const t of c.texts) new XMLParser(FXP_OPTIONS).parse(t);
    bare.push(performance.now() - s);
    let tp = 0;
    let ta = 0;
    steps = 0;
    for (const text of c.texts) {
      s = performance.now();
      const r = parseTaskSequence(text);
      const s1 = performance.now();
      analyze({ ...opts, text, model: r.model, problems: r.problems });
      ta += performance.now() - s1;
      tp += s1 - s;
      steps += r.model.steps.length;
    }
    p.push(tp);
    a.push(ta);
    tot.push(tp + ta);
  }
  return { label: c.label, chars, steps, bare, parse: p, analysis: a, check: tot, peakRss: 0, retained: 0 };
}

/**
 * One check in a fresh process: how much the peak RSS grows, and the heap the texts and results
 * hold. A server holds many files on one copy of the code: a first check of a copy of the same
 * texts compiles and optimises what a check runs (about 2.5 bytes per source byte at 2 MB, held
 * once per process, not per file), then the measured texts are made and checked.
 */
function heapChild(label: string): { peakRss: number; retained: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  const c = caseFor(label);
  for (let i = 0; i < 2; i++) for (const text of c.texts) checkText(` ${text}`.slice(1), { site: c.site, sitePath: c.sitePath });
  // Twice: one collection can leave what the first check's last objects kept (a run showed -28 MB).
  gc?.();
  gc?.();
  const rss0 = process.resourceUsage().maxRSS * 1024;
  const heap0 = process.memoryUsage().heapUsed;
  // The texts are made after the first reading: what a server holds per file is the text and its model.
  const texts = c.texts.map((t) => ` ${t}`.slice(1));
  const kept = texts.map((text) => ({ text, r: checkText(text, { site: c.site, sitePath: c.sitePath }) }));
  const peakRss = process.resourceUsage().maxRSS * 1024 - rss0;
  c.site = undefined;
  gc?.();
  gc?.();
  const retained = process.memoryUsage().heapUsed - heap0;
  if (kept.length < 0) console.log(kept);
  return { peakRss, retained };
}

function runChild(mode: string, label: string): unknown {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', mode, label, ...(QUICK ? ['--quick'] : [])], {
    cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`bench child ${mode} ${label} failed: ${r.stderr || r.stdout}`);
  }
}

// ---- the language server over stdio -----------------------------------------------------------

interface LspFigures {
  chars: number;
  openToDiagnostics: number;
  /** didChange → publishDiagnostics of that version, one edit at a time. */
  editToDiagnostics: number[];
  /** didChange → textDocument/diagnostic answered (pull). */
  pull: number[];
  idle: Record<Req, number[]>;
  /** While edits stream in (one every STREAM_EVERY ms). */
  streaming: Record<Req, number[]>;
  serverRss: number;
  serverPeakRss: number;
  /** Heap in use after a full collection (what the server really keeps). */
  serverLiveHeap: number;
  /** RSS once the document is open and checked, before any edit. */
  serverOpenRss: number;
  workspaceFiles: number;
  firstHoverDuringScan: number;
  hoverDuringScanMedian: number;
  hoverDuringScanMax: number;
  hoversDuringScan: number;
  workspaceChecked: number;
}

type Req = 'hover' | 'completion' | 'documentSymbol' | 'codeAction';
const REQS: Req[] = ['hover', 'completion', 'documentSymbol', 'codeAction'];
const STREAM_EVERY = 50;

async function lspFigures(): Promise<LspFigures | string> {
  const server = join(REPO, 'dist', 'server.js');
  if (!existsSync(server)) return 'dist/server.js not built (npm run build)';
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node');
  const runs = QUICK ? 8 : 25;

  // One folder with a 2 MB sequence of real steps and its site description.
  const big = join(WORK, 'lsp-big');
  mkdirSync(big, { recursive: true });
  const text = benchSequence(realSteps(REPO, CORPUS), { chars: 2_000_000 });
  writeFileSync(join(big, 'configmgr-site.json'), benchSite(text));
  const bigFile = join(big, 'large.xml');
  writeFileSync(bigFile, text);

  const start = (root: string, pull: boolean) => {
    // --expose-gc and the test hooks: the live heap after a full collection (cmts/test/memory).
    const proc = spawn(process.execPath, ['--expose-gc', ...SERVER_FLAGS, server, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CMTS_TEST_HOOKS: '1' } });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const waiters: { uri: string; version?: number; resolve: () => void }[] = [];
    const published = new Map<string, number | undefined>();
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
      published.set(p.uri, p.version);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          waiters.splice(i, 1);
          w.resolve();
        }
      }
    });
    conn.onNotification(() => undefined);
    conn.onRequest(() => null);
    conn.listen();
    const rootUri = pathToFileURL(root).href;
    const init = conn.sendRequest('initialize', {
      processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown'] }, publishDiagnostics: { versionSupport: true }, ...(pull ? { diagnostic: {} } : {}),
          documentSymbol: { hierarchicalDocumentSymbolSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
        workspace: { workspaceFolders: true, ...(pull ? { diagnostics: { refreshSupport: true } } : {}) },
      },
    }).then(() => conn.sendNotification('initialized', {}));
    const published$ = (uri: string, version?: number) => new Promise<void>((r) => waiters.push({ uri, version, resolve: r }));
    const rss = (): { rss: number; hwm: number } => {
      try {
        const st = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
        const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(st)?.[1] ?? 0) * 1024;
        return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
      } catch {
        return { rss: 0, hwm: 0 };
      }
    };
    const stop = async () => {
      await conn.sendRequest('shutdown').catch(() => undefined);
      conn.sendNotification('exit').catch(() => undefined);
      setTimeout(() => proc.kill(), 500).unref();
      conn.dispose();
    };
    return { conn, init, published$, published, rss, stop };
  };

  const uri = pathToFileURL(bigFile).href;
  // A hover position inside a step near the end (the model is needed, not just the text).
  const lines = text.split('\n');
  let hoverLine = lines.length - 1;
  while (hoverLine > 0 && !/<step [^>]*type="/.test(lines[hoverLine])) hoverLine--;
  const hoverPos = { line: hoverLine, character: lines[hoverLine].indexOf('type="') + 8 };
  // An edit near the middle that changes the diagnostics every time (a push server publishes
  // only what changed): even versions misspell a step type, odd versions put it right again.
  const editLine = lines.findIndex((l, i) => i > lines.length / 2 && /<step [^>]*type="/.test(l));
  const editChar = lines[editLine].indexOf('type="') + 8;
  const edit = (v: number) => ({
    textDocument: { uri, version: v },
    contentChanges: [v % 2 === 0
      ? { range: { start: { line: editLine, character: editChar }, end: { line: editLine, character: editChar } }, text: 'X' }
      : { range: { start: { line: editLine, character: editChar }, end: { line: editLine, character: editChar + 1 } }, text: '' }],
  });
  const requestOf = (r: Req): [string, unknown] => {
    const doc = { textDocument: { uri } };
    if (r === 'documentSymbol') return ['textDocument/documentSymbol', doc];
    const range = { start: { line: editLine, character: editChar }, end: { line: editLine, character: editChar } };
    if (r === 'codeAction') return ['textDocument/codeAction', { ...doc, range, context: { diagnostics: [] } }];
    return [`textDocument/${r}`, { ...doc, position: hoverPos }];
  };

  // Push client: open → diagnostics, and didChange → diagnostics, one edit at a time.
  const push = start(big, false);
  await push.init;
  let t0 = performance.now();
  const first = push.published$(uri, 1);
  await push.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text } });
  await first;
  const openToDiagnostics = performance.now() - t0;
  const openMem = push.rss();
  const editToDiagnostics: number[] = [];
  let version = 1;
  for (let i = 0; i < runs; i++) {
    version++;
    const done = push.published$(uri, version);
    t0 = performance.now();
    await push.conn.sendNotification('textDocument/didChange', edit(version));
    await done;
    editToDiagnostics.push(performance.now() - t0);
  }
  // Requests when the document is checked, then while edits stream in.
  const idle = { hover: [], completion: [], documentSymbol: [], codeAction: [] } as Record<Req, number[]>;
  const streaming = { hover: [], completion: [], documentSymbol: [], codeAction: [] } as Record<Req, number[]>;
  for (let i = 0; i < runs; i++) {
    for (const r of REQS) {
      t0 = performance.now();
      await push.conn.sendRequest(...requestOf(r));
      idle[r].push(performance.now() - t0);
    }
  }
  let streamOn = true;
  const stream = (async () => {
    while (streamOn) {
      version++;
      await push.conn.sendNotification('textDocument/didChange', edit(version));
      await new Promise((r) => setTimeout(r, STREAM_EVERY));
    }
  })();
  const streamStart = performance.now();
  while (performance.now() - streamStart < (QUICK ? 3000 : 8000)) {
    for (const r of REQS) {
      t0 = performance.now();
      await push.conn.sendRequest(...requestOf(r));
      streaming[r].push(performance.now() - t0);
    }
  }
  streamOn = false;
  await stream;
  const settled = push.published$(uri, version);
  await Promise.race([settled, new Promise((r) => setTimeout(r, 30_000))]);
  const mem = push.rss();
  const live = await push.conn.sendRequest('cmts/test/memory', {}) as { heapUsed: number; collected: boolean } | null;
  await push.stop();

  // Pull client (VS Code): didChange → textDocument/diagnostic.
  const pull = start(big, true);
  await pull.init;
  await pull.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text } });
  await pull.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const pullTimes: number[] = [];
  version = 1;
  for (let i = 0; i < runs; i++) {
    version++;
    t0 = performance.now();
    await pull.conn.sendNotification('textDocument/didChange', edit(version));
    await pull.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    pullTimes.push(performance.now() - t0);
  }
  await pull.stop();

  // Workspace of 200 sequences: time to the first hover on an open document while the initial
  // check of the folder runs, and until every file's diagnostics were published.
  const wsDir = join(WORK, 'lsp-workspace');
  rmSync(wsDir, { recursive: true, force: true });
  mkdirSync(wsDir, { recursive: true });
  const steps = realSteps(REPO, CORPUS);
  for (let i = 0; i < 200; i++) {
    writeFileSync(join(wsDir, `seq-${String(i).padStart(3, '0')}.xml`), benchSequence(steps.slice(i % steps.length).concat(steps), { steps: 50 + (i % 5) * 50 }));
  }
  const openPath = join(wsDir, 'seq-199.xml');
  const openUri = pathToFileURL(openPath).href;
  const openText = readFileSync(openPath, 'utf8');
  const oLines = openText.split('\n');
  const oLine = Math.max(0, oLines.findIndex((l) => l.includes('<step ')));
  const w = start(wsDir, false);
  let allDone = false;
  const all = Promise.all(readdirSync(wsDir).map((f) => w.published$(pathToFileURL(join(wsDir, f)).href))).then(() => { allDone = true; });
  t0 = performance.now();
  await w.init;
  await w.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'xml', version: 1, text: openText } });
  // Hovers on the open document, one after another, for as long as the first check of the folder runs.
  const hoverAt = { textDocument: { uri: openUri }, position: { line: oLine, character: oLines[oLine].indexOf('<step') + 2 } };
  const scanHovers: number[] = [];
  const t1 = performance.now();
  while (!allDone && performance.now() - t1 < 120_000) {
    const h0 = performance.now();
    await w.conn.sendRequest('textDocument/hover', hoverAt);
    scanHovers.push(performance.now() - h0);
    await new Promise((r) => setTimeout(r, 10));
  }
  const firstHoverDuringScan = scanHovers[0] ?? 0;
  await Promise.race([all, new Promise((r) => setTimeout(r, 120_000))]);
  const workspaceChecked = performance.now() - t0;
  await w.stop();

  return {
    chars: text.length, openToDiagnostics, editToDiagnostics, pull: pullTimes, idle, streaming,
    serverRss: mem.rss, serverPeakRss: mem.hwm, serverLiveHeap: live?.collected ? live.heapUsed : NaN, serverOpenRss: openMem.rss, workspaceFiles: 200, firstHoverDuringScan, workspaceChecked,
    hoverDuringScanMedian: median(scanHovers), hoverDuringScanMax: Math.max(0, ...scanHovers), hoversDuringScan: scanHovers.length,
  };
}

// ---- the CLI as whole processes -------------------------------------------------------------------

/** Wall times of `a` and `b` run alternately as processes, `n` rounds each. */
function processPair(a: string[], b: string[], n: number, cwd: string): { a: number[]; b: number[] } {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [args, out] of [[a, ta], [b, tb]] as const) {
      const s = performance.now();
      const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
      out.push(performance.now() - s);
      if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    }
  }
  return { a: ta, b: tb };
}

interface CliFigures {
  corpus?: number[];
  /** `cmts check` of an 8 MB sequence against a process that only parses it. */
  check8: { a: number[]; b: number[]; chars: number };
  /** `cmts --version` against `node -e 0`. */
  version: { a: number[]; b: number[] };
}

function cliFigures(): CliFigures | string {
  const cli = join(REPO, 'dist', 'cli.js');
  if (!existsSync(cli)) return 'dist/cli.js not built (npm run build)';
  const dir = join(WORK, 'cli');
  mkdirSync(dir, { recursive: true });
  const text = benchSequence(realSteps(REPO, CORPUS), { chars: 8_000_000 });
  writeFileSync(join(dir, 'big.xml'), text);
  // The process that only parses: fast-xml-parser, attributes and order kept, as the check's floor.
  writeFileSync(join(dir, 'fxp.js'), `const { XMLParser } = require(${JSON.stringify(require.resolve('fast-xml-parser'))});
new XMLParser(${JSON.stringify(FXP_OPTIONS)}).parse(require('fs').readFileSync(process.argv[2], 'utf8'));\n`);
  const check8 = { ...processPair([cli, 'check', 'big.xml', '--format', 'json'], [join(dir, 'fxp.js'), 'big.xml'], QUICK ? 3 : 5, dir), chars: text.length };
  const version = processPair([cli, '--version'], ['-e', '0'], QUICK ? 5 : 15, dir);
  const corpus = existsSync(CORPUS) ? processPair([cli, 'check', CORPUS, '--format', 'json'], ['-e', '0'], QUICK ? 3 : 7, REPO).a : undefined;
  return { corpus, check8, version };
}

// ---- cmts diff of two 2 MB sequences ----------------------------------------------------------

/**
 * Parse both and diff, as `cmts diff` does after reading the files: a 2 MB sequence of real steps
 * against a copy with every so often a step renamed and its first group moved to the end, and
 * against an unrelated sequence of the same size (the same steps in another order, other group
 * names: nearly everything differs, the worst case for matching; issue 17: under 1 s).
 */
function diffFigures(): { edited: number; unrelated: number; diffOnly: number; chars: number } {
  const steps = realSteps(REPO, CORPUS);
  const a = benchSequence(steps, { chars: 2_000_000 });
  let b = a.replace(/(<step [^>]*? name=")([^"]*)"/g, (m, head: string, n: string, at: number) => (at % 97 === 0 ? `${head}${n} (new)"` : m));
  const gs = b.indexOf('<group');
  const ge = b.indexOf('</group>', gs) + 8;
  const close = b.lastIndexOf('</sequence>');
  b = b.slice(0, gs) + b.slice(ge, close) + b.slice(gs, ge) + b.slice(close);
  const shuffled = steps.map((x, i) => ({ x, k: (i * 7919) % steps.length })).sort((p, q) => p.k - q.k).map((p) => p.x.replace(/ name="/, ' name="Other '));
  const c = benchSequence(shuffled, { chars: 2_000_000 }).replace(/<group name="Group /g, '<group name="Part ');
  const time = (x: string, y: string, parse = true): number => {
    const t: number[] = [];
    const pre = parse ? undefined : [parseTaskSequence(x).model, parseTaskSequence(y).model];
    for (let i = 0; i < (QUICK ? 3 : 7); i++) {
      const s = performance.now();
      const [mx, my] = pre ?? [parseTaskSequence(x).model, parseTaskSequence(y).model];
      diffSequences(mx, my, { catalog });
      t.push(performance.now() - s);
    }
    return median(t);
  };
  return { edited: time(a, b), unrelated: time(a, c), diffOnly: time(a, b, false), chars: a.length };
}

// ---- report -----------------------------------------------------------------------------------

function machine(): string {
  const c = cpus();
  const model = c[0]?.model.trim() || 'unknown cpu';
  let load = '';
  try {
    load = `, load average at start ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
  } catch { /* not Linux */ }
  return `${model}, ${c.length} cores, Node ${process.version}, ${process.platform}; ${new Date().toISOString().slice(0, 10)}${load}`;
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const header = machine();
  console.log(`cmts benchmark: ${header}\n`);
  const rows: CoreRow[] = [];
  const labels = partOn('core') ? [...CASES.map((c) => c.label), ...(existsSync(CORPUS) ? ['corpus'] : [])] : [];
  for (const label of labels) {
    const row = runChild('core', label) as CoreRow;
    Object.assign(row, runChild('heap', label));
    rows.push(row);
    console.log(`  ${row.label}: check ${ms(median(row.check))} ms, fast-xml-parser ${ms(median(row.bare))} ms`);
  }
  const out: string[] = [];
  out.push(`Machine: ${header}. Steps: ${existsSync(CORPUS) ? 'the real corpus' : "the project's fixtures (no ../shared/corpus/real)"}.`, '');
  out.push('Core, in process, alternating in each round (min / median / p95, ms). *fxp*: fast-xml-parser\'s own parse, attributes and order kept; *check*: our parse and every check with the site description.', '');
  out.push('| input | size | steps | fxp | check | check / fxp (medians) | our parse (median) | analysis (median) | ms per 1,000 steps | peak RSS growth | heap held (text and result) | heap per source byte |');
  out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    out.push(`| ${r.label} | ${mb(r.chars)} MB | ${r.steps} | ${stats(r.bare)} | ${stats(r.check)} | ${(median(r.check) / median(r.bare)).toFixed(2)}× | ${ms(median(r.parse))} | ${ms(median(r.analysis))} | ${ms((median(r.check) / r.steps) * 1000)} | ${mb(r.peakRss)} MB | ${mb(r.retained)} MB | ${(r.retained / r.chars).toFixed(2)} |`);
  }
  if (!existsSync(CORPUS)) out.push('', 'Corpus row skipped: no ../shared/corpus/real next to this clone.');
  for (const label of ['300 steps', '2 MB', '8 MB']) {
    const r = rows.find((x) => x.label === label);
    target(`check ≤ 1.5 × fast-xml-parser, ${label}`, r && median(r.check) / median(r.bare), 1.5, '×');
  }
  const r2k = rows.find((x) => x.label === '2,000 steps');
  const r20k = rows.find((x) => x.label === '20,000 steps');
  target('time per step at 20,000 steps ÷ at 2,000 steps', r20k && r2k && (median(r20k.check) / r20k.steps) / (median(r2k.check) / r2k.steps), 1.2, '×');
  const r2 = rows.find((x) => x.label === '2 MB');
  target('heap held per source byte (2 MB, text and result)', r2 && r2.retained / r2.chars, 4, ' B');

  console.log('  language server …');
  const lsp = partOn('lsp') ? await lspFigures() : 'not run (--only)';
  out.push('');
  if (typeof lsp === 'string') out.push(`Language server: skipped (${lsp}).`);
  else {
    out.push(`Language server (dist/server.js over stdio, a ${mb(lsp.chars)} MB sequence of real steps with its site description; min / median / p95 / max, ms):`, '');
    out.push('| measure | min / median / p95 | max |', '|---|--:|--:|');
    const row = (what: string, xs: number[]) => out.push(`| ${what} | ${stats(xs)} | ${ms(Math.max(...xs))} |`);
    out.push(`| didOpen → first diagnostics (push) | ${ms(lsp.openToDiagnostics)} | |`);
    row('didChange → publishDiagnostics (push), one edit at a time', lsp.editToDiagnostics);
    row('didChange → textDocument/diagnostic answered (pull)', lsp.pull);
    for (const r of REQS) row(`${r}, document checked`, lsp.idle[r]);
    for (const r of REQS) row(`${r} while an edit arrives every ${STREAM_EVERY} ms (${lsp.streaming[r].length} requests)`, lsp.streaming[r]);
    out.push(`| server RSS with the document open and checked (before any edit) | ${mb(lsp.serverOpenRss)} MB | |`);
    out.push(`| server after the edits: live heap after a full GC / RSS / peak RSS | ${mb(lsp.serverLiveHeap)} MB / ${mb(lsp.serverRss)} MB | ${mb(lsp.serverPeakRss)} MB |`);
    out.push(`| workspace of ${lsp.workspaceFiles} sequences, first check running: hover on an open document, first / median of ${lsp.hoversDuringScan} | ${ms(lsp.firstHoverDuringScan)} / ${ms(lsp.hoverDuringScanMedian)} | ${ms(lsp.hoverDuringScanMax)} |`);
    out.push(`| workspace of ${lsp.workspaceFiles} sequences: every file's diagnostics published, from initialize | ${ms(lsp.workspaceChecked)} | |`);
    target('2 MB in the editor: edit → diagnostics p95 (ms)', p95(lsp.editToDiagnostics), 200, ' ms', 0);
    for (const r of ['hover', 'completion', 'documentSymbol'] as const) {
      target(`${r} p95, checked and while edits stream in (ms)`, p95([...lsp.idle[r], ...lsp.streaming[r]]), 20, ' ms', 1);
      target(`${r} max, checked and while edits stream in (ms)`, Math.max(...lsp.idle[r], ...lsp.streaming[r]), 50, ' ms', 1);
    }
    target('server RSS while editing the 2 MB sequence (MB)', Math.max(lsp.serverRss, lsp.serverPeakRss) / 1024 / 1024, 200, ' MB', 0);
  }
  console.log('  diff …');
  const d = partOn('diff') ? diffFigures() : { edited: NaN, unrelated: NaN, diffOnly: NaN, chars: 0 };
  if (partOn('diff')) out.push('', `cmts diff, two ${mb(d.chars)} MB sequences of real steps, parse both and diff: ${ms(d.edited)} ms against an edited copy (diff alone ${ms(d.diffOnly)} ms), ${ms(d.unrelated)} ms against an unrelated sequence (median).`);
  target('cmts diff of two unrelated 2 MB sequences (ms, issue 17)', d.unrelated, 1000, ' ms', 0);
  console.log('  CLI …');
  const cli = partOn('cli') ? cliFigures() : 'not run (--only)';
  if (typeof cli === 'string') out.push('', `CLI: skipped (${cli}).`);
  else {
    out.push('', 'Command line, whole processes, alternating (min / median / p95, ms):', '', '| process | min / median / p95 | against | min / median / p95 | ratio of medians |', '|---|--:|---|--:|--:|');
    out.push(`| \`cmts check\` of a ${mb(cli.check8.chars)} MB sequence | ${stats(cli.check8.a)} | a process that only parses it (fast-xml-parser) | ${stats(cli.check8.b)} | ${(median(cli.check8.a) / median(cli.check8.b)).toFixed(2)}× |`);
    out.push(`| \`cmts --version\` | ${stats(cli.version.a)} | \`node -e 0\` | ${stats(cli.version.b)} | ${(median(cli.version.a) / median(cli.version.b)).toFixed(2)}× |`);
    if (cli.corpus) out.push(`| \`cmts check ../shared/corpus/real --format json\` | ${stats(cli.corpus)} | | | |`);
    target('whole process: cmts check 8 MB ÷ a process that only parses it', median(cli.check8.a) / median(cli.check8.b), 1.6, '×');
    target('cmts --version ÷ node -e 0', median(cli.version.a) / median(cli.version.b), 1.5, '×');
  }
  out.push('', 'Targets (issue 20):', '', '| target | measured | |', '|---|---|---|');
  for (const t of targets) out.push(`| ${t.what} | ${t.measured} | ${t.met === undefined ? 'not measured' : t.met ? 'met' : '**not met**'} |`);
  const table = out.join('\n');
  console.log(`\n${table}\n`);
  if (process.argv.includes('--write')) {
    const doc = join(REPO, 'docs', 'performance.md');
    const text = readFileSync(doc, 'utf8');
    const a = text.indexOf('<!-- bench:start -->');
    const b = text.indexOf('<!-- bench:end -->');
    if (a < 0 || b < a) throw new Error('docs/performance.md has no <!-- bench:start --> … <!-- bench:end --> block');
    writeFileSync(doc, `${text.slice(0, a)}<!-- bench:start -->\n${table}\n${text.slice(b)}`);
    console.log('written to docs/performance.md');
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode, label] = process.argv;
  const r = mode === 'heap' ? heapChild(label) : coreChild(label);
  console.log(JSON.stringify(r));
} else {
  main().then(() => process.exit(0), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
