// A unified diff of two texts (`cmts fix --dry-run`): lines compared by a longest common
// subsequence over the region between the first and last changed line (a fix changes a few lines
// of a long file, so the region stays small), three lines of context, `a/` and `b/` headers as
// git writes them. Line breaks are not shown; a changed line ending counts as a changed line.

const CONTEXT = 3;
/** Above this many cells the region is shown as removed, then added, instead of aligned line by line. */
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  return out;
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const x = a.slice(pre, a.length - suf);
  const y = b.slice(pre, b.length - suf);
  const mid: Op[] = [];
  if (x.length * y.length > MAX_CELLS) {
    for (const l of x) mid.push({ kind: '-', line: l });
    for (const l of y) mid.push({ kind: '+', line: l });
  } else {
    // lcs[i][j]: longest common subsequence of x[i..] and y[j..].
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        mid.push({ kind: ' ', line: x[i++] });
        j++;
      } else if (i < x.length && (j === y.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) mid.push({ kind: '-', line: x[i++] });
      else mid.push({ kind: '+', line: y[j++] });
    }
  }
  return [...a.slice(0, pre).map((l) => ({ kind: ' ' as const, line: l })), ...mid, ...a.slice(a.length - suf).map((l) => ({ kind: ' ' as const, line: l }))];
}

/** `--- a/<name>`, `+++ b/<name>` and the hunks; '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return '';
  const ops = diffLines(lines(before), lines(after));
  const out = [`--- a/${name}\n`, `+++ b/${name}\n`];
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, changed[k] - CONTEXT);
    let last = changed[k];
    while (k + 1 < changed.length && changed[k + 1] - last <= 2 * CONTEXT) last = changed[++k];
    k++;
    const to = Math.min(ops.length, last + CONTEXT + 1);
    // Line numbers of the hunk's first line on either side.
    let oldLine = 1;
    let newLine = 1;
    for (let i = 0; i < from; i++) {
      if (ops[i].kind !== '+') oldLine++;
      if (ops[i].kind !== '-') newLine++;
    }
    const hunk = ops.slice(from, to);
    const oldCount = hunk.filter((o) => o.kind !== '+').length;
    const newCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${oldCount ? oldLine : oldLine - 1},${oldCount} +${newCount ? newLine : newLine - 1},${newCount} @@\n`);
    for (const o of hunk) {
      const body = o.line.replace(/\r?\n$|\r$/, '');
      out.push(`${o.kind}${body}\n`);
      if (body === o.line) out.push('\\ No newline at end of file\n');
    }
  }
  return out.join('');
}
