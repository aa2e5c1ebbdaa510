// `npm run bench`: how fast cmts checks, measured, never asserted (issue 8, docs/performance.md).
// Core rows (generated sequences of 100, 1,000 and 5,000 steps and the real corpus) each run in
// their own child process; then the language server over a real stdio connection (dist/server.js)
// and the CLI over the corpus. Medians of repeated runs. `--write` puts the tables into
// docs/performance.md between the bench markers; `--quick` runs fewer repetitions;
// `--server-flags "…"` starts the language server with those node flags.

import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { generateSequence, generateSite } from './benchData';
import { PARSER_OPTIONS, parseTaskSequence } from '../server/src/model/parse';
import { analyze, checkText } from '../server/src/analysis';
import { loadSite } from '../server/src/site/load';
import type { LoadedSite } from '../server/src/site/types';
import { diffSequences } from '../server/src/features/diff';
import { catalog } from '../server/src/catalog';

const REPO = resolve(__dirname, '..');
const CORPUS = resolve(REPO, '..', 'shared', 'corpus', 'real');
const WORK = join(REPO, '.tmp', 'bench');
const QUICK = process.argv.includes('--quick');
/** `--server-flags "…"`: node flags for the language server (docs/performance.md, memory while editing). */
const SERVER_FLAGS = (() => {
  const i = process.argv.indexOf('--server-flags');
  return i >= 0 ? (process.argv[i + 1] ?? '').split(' ').filter(Boolean) : [];
})();
const SIZES = [100, 300, 1000, 5000];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x: number | undefined): string => (x === undefined ? 'n/a' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1);

// ---- core rows (child process per case) ------------------------------------------------------

interface CoreRow {
  label: string;
  chars: number;
  steps: number;
  bare: number;
  bareAttrs: number;
  parse: number;
  analysis: number;
  total: number;
  /** Peak RSS growth over one check in a fresh process, and the heap the result keeps. */
  peakRss: number;
  retained: number;
}

interface Case {
  label: string;
  texts: string[];
  site?: LoadedSite;
  sitePath?: string;
}

function caseFor(label: string): Case {
  if (label === 'corpus') {
    const files = readdirSync(CORPUS).filter((f) => f.toLowerCase().endsWith('.xml')).sort();
    return { label: `corpus (${files.length} files)`, texts: files.map((f) => readFileSync(join(CORPUS, f), 'utf8')) };
  }
  const n = Number(label);
  const g = generateSequence(n);
  const sitePath = join(WORK, `site-${n}.json`);
  return { label: `${n} steps`, texts: [g.text], site: loadSite(generateSite(g)), sitePath };
}

/** Median milliseconds of `f` over `runs` runs after `warm` warm-up runs. */
function time(f: () => void, runs: number, warm = 3): number {
  for (let i = 0; i < warm; i++) f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return median(t);
}

function coreChild(label: string): CoreRow {
  const c = caseFor(label);
  const chars = c.texts.reduce((a, t) => a + t.length, 0);
  const runs = QUICK ? 5 : chars > 1_000_000 ? 15 : chars > 100_000 ? 25 : 60;
  const opts = { site: c.site, sitePath: c.sitePath };
  const bare = time(() => { for (const t of c.texts) new XMLParser(PARSER_OPTIONS).parse(t); }, runs);
  const attrOptions = { ...PARSER_OPTIONS, ignoreAttributes: false };
  const bareAttrs = time(() => { for (const t of c.texts) new XMLParser(attrOptions).parse(t); }, runs);
  // Parse and analysis timed separately within the same run; total is their sum per run.
  for (let i = 0; i < 3; i++) for (const t of c.texts) checkText(t, opts);
  const p: number[] = [];
  const a: number[] = [];
  const tot: number[] = [];
  let steps = 0;
  for (let i = 0; i < runs; i++) {
    let tp = 0;
    let ta = 0;
    steps = 0;
    for (const text of c.texts) {
      const s0 = performance.now();
      const r = parseTaskSequence(text);
      const s1 = performance.now();
      analyze({ ...opts, text, model: r.model, problems: r.problems });
      const s2 = performance.now();
      tp += s1 - s0;
      ta += s2 - s1;
      steps += r.model.steps.length;
    }
    p.push(tp);
    a.push(ta);
    tot.push(tp + ta);
  }
  return { label: c.label, chars, steps, bare, bareAttrs, parse: median(p), analysis: median(a), total: median(tot), peakRss: 0, retained: 0 };
}

/** One check in a fresh process: how much the peak RSS grows, and the heap the result holds. */
function heapChild(label: string): { peakRss: number; retained: number } {
  const c = caseFor(label);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rss0 = process.resourceUsage().maxRSS * 1024;
  const heap0 = process.memoryUsage().heapUsed;
  const kept = c.texts.map((text) => checkText(text, { site: c.site, sitePath: c.sitePath }));
  const peakRss = process.resourceUsage().maxRSS * 1024 - rss0;
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
  openToDiagnostics: number;
  pullRoundTrip: number;
  pushRoundTrip: number;
  hoverPending: number;
  hoverIdle: number;
  completionPending?: number;
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

async function lspFigures(): Promise<LspFigures | string> {
  const server = join(REPO, 'dist', 'server.js');
  if (!existsSync(server)) return 'dist/server.js not built (npm run build)';
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node');
  const runs = QUICK ? 5 : 15;

  // One folder with the 2 MB sequence and its site description.
  const big = join(WORK, 'lsp-big');
  mkdirSync(big, { recursive: true });
  const g = generateSequence(5000);
  writeFileSync(join(big, 'configmgr-site.json'), generateSite(g));
  const bigFile = join(big, 'large.xml');
  writeFileSync(bigFile, g.text);

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
        textDocument: { hover: { contentFormat: ['markdown'] }, publishDiagnostics: { versionSupport: true }, ...(pull ? { diagnostic: {} } : {}) },
        workspace: { workspaceFolders: true, ...(pull ? { diagnostics: { refreshSupport: true } } : {}) },
      },
    }).then(() => conn.sendNotification('initialized', {}));
    const published$ = (uri: string, version?: number) => new Promise<void>((r) => waiters.push({ uri, version, resolve: r }));
    const rss = (): { rss: number; hwm: number } => {
      try {
        const s = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
        const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
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
  const lines = g.text.split('\n');
  let hoverLine = lines.length - 1;
  while (hoverLine > 0 && !lines[hoverLine].includes('<step type="SMS_TaskSequence_RunCommandLineAction"')) hoverLine--;
  const hoverPos = { line: hoverLine, character: lines[hoverLine].indexOf('RunCommandLine') + 2 };
  // An edit near the middle that changes the diagnostics every time (a push server publishes
  // only what changed): even versions misspell a step type, odd versions put it right again.
  const TYPE = 'SMS_TaskSequence_SetVariableAction';
  const editLine = lines.findIndex((l, i) => i > lines.length / 2 && l.includes(`type="${TYPE}"`));
  const editChar = lines[editLine].indexOf(`type="${TYPE}"`) + `type="${TYPE}`.length;
  const edit = (v: number) => ({
    textDocument: { uri, version: v },
    contentChanges: [v % 2 === 0
      ? { range: { start: { line: editLine, character: editChar }, end: { line: editLine, character: editChar } }, text: 'X' }
      : { range: { start: { line: editLine, character: editChar }, end: { line: editLine, character: editChar + 1 } }, text: '' }],
  });

  // Push client: open → diagnostics, and didChange → diagnostics (includes the edit debounce).
  const push = start(big, false);
  await push.init;
  let t0 = performance.now();
  const first = push.published$(uri, 1);
  await push.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text: g.text } });
  await first;
  const openToDiagnostics = performance.now() - t0;
  const openMem = push.rss();
  const pushTimes: number[] = [];
  let version = 1;
  for (let i = 0; i < runs; i++) {
    version++;
    const done = push.published$(uri, version);
    t0 = performance.now();
    await push.conn.sendNotification('textDocument/didChange', edit(version));
    await done;
    pushTimes.push(performance.now() - t0);
  }
  const mem = push.rss();
  const live = await push.conn.sendRequest('cmts/test/memory', {}) as { heapUsed: number; collected: boolean } | null;
  await push.stop();

  // Pull client (VS Code): didChange → textDocument/diagnostic; hover right after a didChange.
  const pull = start(big, true);
  await pull.init;
  await pull.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text: g.text } });
  await pull.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  const pullTimes: number[] = [];
  const hoverPending: number[] = [];
  const hoverIdle: number[] = [];
  const completionPending: number[] = [];
  let completion = true;
  version = 1;
  for (let i = 0; i < runs; i++) {
    version++;
    t0 = performance.now();
    await pull.conn.sendNotification('textDocument/didChange', edit(version));
    await pull.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    pullTimes.push(performance.now() - t0);
    t0 = performance.now();
    await pull.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverPos });
    hoverIdle.push(performance.now() - t0);
    // The case that matters: an edit, and at once a hover, before the re-check has run.
    version++;
    await pull.conn.sendNotification('textDocument/didChange', edit(version));
    t0 = performance.now();
    await pull.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverPos });
    hoverPending.push(performance.now() - t0);
    if (completion) {
      version++;
      await pull.conn.sendNotification('textDocument/didChange', edit(version));
      t0 = performance.now();
      try {
        await pull.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: hoverPos });
        completionPending.push(performance.now() - t0);
      } catch {
        completion = false; // the server has no completion provider (yet)
      }
    }
    await pull.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  }
  await pull.stop();

  // Workspace of 200 sequences: time to the first hover on an open document while the initial
  // check of the folder runs, and until every file's diagnostics were published.
  const wsDir = join(WORK, 'lsp-workspace');
  rmSync(wsDir, { recursive: true, force: true });
  mkdirSync(wsDir, { recursive: true });
  const sources = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(CORPUS, f), 'utf8')) : [];
  for (let i = 0; i < 200; i++) {
    const text = sources.length && i % 2 ? sources[i % sources.length] : generateSequence(50 + (i % 5) * 50, i + 1).text;
    writeFileSync(join(wsDir, `seq-${String(i).padStart(3, '0')}.xml`), text);
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
    openToDiagnostics, pullRoundTrip: median(pullTimes), pushRoundTrip: median(pushTimes), hoverPending: median(hoverPending),
    hoverIdle: median(hoverIdle), ...(completion && completionPending.length ? { completionPending: median(completionPending) } : {}),
    serverRss: mem.rss, serverPeakRss: mem.hwm, serverLiveHeap: live?.collected ? live.heapUsed : NaN, serverOpenRss: openMem.rss, workspaceFiles: 200, firstHoverDuringScan, workspaceChecked,
    hoverDuringScanMedian: median(scanHovers), hoverDuringScanMax: Math.max(0, ...scanHovers), hoversDuringScan: scanHovers.length,
  };
}

// ---- the CLI over the corpus ------------------------------------------------------------------

function cliFigure(): number | string {
  const cli = join(REPO, 'dist', 'cli.js');
  if (!existsSync(cli)) return 'dist/cli.js not built (npm run build)';
  if (!existsSync(CORPUS)) return 'no corpus at ../shared/corpus/real';
  const t: number[] = [];
  for (let i = 0; i < (QUICK ? 3 : 7); i++) {
    const s = performance.now();
    spawnSync(process.execPath, [cli, 'check', CORPUS, '--format', 'json'], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
    t.push(performance.now() - s);
  }
  return median(t);
}

// ---- cmts diff of two 2 MB sequences ----------------------------------------------------------

/**
 * Parse both and diff, as `cmts diff` does after reading the files: a 5,000-step sequence against
 * a copy with every so often a step renamed and its first group moved to the end, and against an
 * unrelated sequence of the same size (nearly everything differs: the worst case for matching).
 */
function diffFigures(): { edited: number; unrelated: number; diffOnly: number; chars: number } {
  const a = generateSequence(5000, 1).text;
  let b = a.replace(/(<step [^>]*? name=")([^"]*)"/g, (m, head: string, n: string, at: number) => (at % 97 === 0 ? `${head}${n} (new)"` : m));
  const gs = b.indexOf('<group');
  const ge = b.indexOf('</group>', gs) + 8;
  const close = b.lastIndexOf('</sequence>');
  b = b.slice(0, gs) + b.slice(ge, close) + b.slice(gs, ge) + b.slice(close);
  const c = generateSequence(5000, 2).text;
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
  const labels = [...SIZES.map(String), ...(existsSync(CORPUS) ? ['corpus'] : [])];
  for (const label of labels) {
    const row = runChild('core', label) as CoreRow;
    Object.assign(row, runChild('heap', label));
    rows.push(row);
    console.log(`  ${row.label}: total ${ms(row.total)} ms`);
  }
  const out: string[] = [];
  out.push(`Machine: ${header}.`, '');
  out.push('| input | size | steps | bare fxp parse (our options) | bare fxp with attributes | our parse | analysis | total | total / bare | total / bare with attributes | peak RSS growth | retained heap |');
  out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    out.push(`| ${r.label} | ${mb(r.chars)} MB | ${r.steps} | ${ms(r.bare)} ms | ${ms(r.bareAttrs)} ms | ${ms(r.parse)} ms | ${ms(r.analysis)} ms | ${ms(r.total)} ms | ${(r.total / r.bare).toFixed(2)}× | ${(r.total / r.bareAttrs).toFixed(2)}× | ${mb(r.peakRss)} MB | ${mb(r.retained)} MB |`);
  }
  if (!existsSync(CORPUS)) out.push('', 'Corpus row skipped: no ../shared/corpus/real next to this clone.');
  console.log('  language server …');
  const lsp = await lspFigures();
  out.push('');
  if (typeof lsp === 'string') out.push(`Language server: skipped (${lsp}).`);
  else {
    out.push('| language server (dist/server.js over stdio, 2 MB sequence with its site description) | median |', '|---|--:|');
    out.push(`| didOpen → first diagnostics (push) | ${ms(lsp.openToDiagnostics)} ms |`);
    out.push(`| didChange → textDocument/diagnostic answered (pull) | ${ms(lsp.pullRoundTrip)} ms |`);
    out.push(`| didChange → publishDiagnostics (push, includes the edit debounce) | ${ms(lsp.pushRoundTrip)} ms |`);
    out.push(`| hover, document checked | ${ms(lsp.hoverIdle)} ms |`);
    out.push(`| hover sent right after a didChange (re-check pending) | ${ms(lsp.hoverPending)} ms |`);
    out.push(`| completion sent right after a didChange | ${lsp.completionPending === undefined ? 'n/a (no completion provider)' : `${ms(lsp.completionPending)} ms`} |`);
    out.push(`| server RSS with the document open and checked (before any edit) | ${mb(lsp.serverOpenRss)} MB |`);
    out.push(`| server memory after the open and ${QUICK ? 5 : 15} edits: live heap after a full GC / RSS / peak RSS | ${mb(lsp.serverLiveHeap)} MB / ${mb(lsp.serverRss)} MB / ${mb(lsp.serverPeakRss)} MB |`);
    out.push(`| workspace of ${lsp.workspaceFiles} sequences, first check running: hover on an open document, first / median / max of ${lsp.hoversDuringScan} | ${ms(lsp.firstHoverDuringScan)} / ${ms(lsp.hoverDuringScanMedian)} / ${ms(lsp.hoverDuringScanMax)} ms |`);
    out.push(`| workspace of ${lsp.workspaceFiles} sequences: every file's diagnostics published, from initialize | ${ms(lsp.workspaceChecked)} ms |`);
  }
  console.log('  diff …');
  const d = diffFigures();
  out.push('', `cmts diff, two ${mb(d.chars)} MB sequences of 5,000 steps, parse both and diff: ${ms(d.edited)} ms against an edited copy (diff alone ${ms(d.diffOnly)} ms), ${ms(d.unrelated)} ms against an unrelated sequence (median).`);
  console.log('  CLI …');
  const cli = cliFigure();
  out.push('', typeof cli === 'string' ? `CLI: skipped (${cli}).` : `CLI: \`node dist/cli.js check ../shared/corpus/real --format json\`, wall time including Node start-up: ${ms(cli)} ms (median).`);
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
