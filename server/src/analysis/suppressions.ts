// Suppression comments: `<!-- cmts-disable-next-line <id> … -->` silences the next element (and
// everything inside it), `<!-- cmts-disable <id> … -->` the whole file. Applied to the findings of
// one document after its checks ran; ids that silence nothing are reported as unused-suppression.
// Linear after sorting: hostile input with thousands of comments and findings stays fast (issue 9).

import type { Finding, Severity } from '../model/findings';
import type { Span, TaskSequenceModel } from '../model/types';
import type { LoadedSite } from '../site/types';
import { checkById } from '../checks';
import { unusedSuppressionFinding } from '../checks/unused-suppression';

export interface SuppressionInput {
  text: string;
  model: TaskSequenceModel;
  site?: LoadedSite;
  /** The configured severity of a check id, or 'off'. */
  severityOf(id: string): Severity | 'off';
}

interface Suppression {
  ids: { id: string; span: Span }[];
  /** Region the comment silences. */
  region: Span;
  used: Set<string>;
}

// `d`: the id list is located by its match index, not searched for (an id may also occur in the directive).
// Matched against the comment with its trailing whitespace trimmed: a lazy `(.*?)\s*$` backtracked
// quadratically over a long run of spaces inside a comment (issue 9).
const NEXT_LINE = /^\s*cmts-disable-next-line\s+(.*)$/ds;
const FILE = /^\s*cmts-disable\s+(.*)$/ds;

function parseSuppressions(input: SuppressionInput): Suppression[] {
  const out: Suppression[] = [];
  const nextStarts = nextElementStarts(input);
  const starts = elementEnds(input.model, new Set(nextStarts.filter((at) => at >= 0)));
  input.model.comments.forEach((c, index) => {
    const body = c.text.trimEnd();
    const next = NEXT_LINE.exec(body);
    const file = next ? null : FILE.exec(body);
    const m = next ?? file;
    if (!m) return;
    const ids: { id: string; span: Span }[] = [];
    const listStart = c.span.start + 4 + (m.indices?.[1]?.[0] ?? 0);
    const re = /[^\s,]+/g;
    for (let t = re.exec(m[1]); t; t = re.exec(m[1])) ids.push({ id: t[0], span: { start: listStart + t.index, end: listStart + t.index + t[0].length } });
    let region: Span;
    if (file) {
      region = { start: 0, end: input.text.length };
    } else {
      const at = nextStarts[index];
      const end = at >= 0 ? starts.get(at) : undefined;
      region = at >= 0 ? { start: at, end: end ?? lineEndAfter(input.text, at) } : { start: c.span.end, end: c.span.end };
    }
    out.push({ ids, region, used: new Set() });
  });
  return out;
}

/**
 * For each comment, where the next element starts (-1 if text comes first). Worked out from the
 * last comment back, so a run of comments is walked once: looking ahead from each one separately
 * was quadratic in the length of the run (issue 9).
 */
function nextElementStarts(input: SuppressionInput): number[] {
  const { text } = input;
  const comments = input.model.comments;
  const out = new Array<number>(comments.length).fill(-1);
  for (let j = comments.length - 1; j >= 0; j--) {
    let i = comments[j].span.end;
    while (i < text.length && /\s/.test(text[i])) i++;
    const following = comments[j + 1];
    if (following && following.span.start === i) out[j] = out[j + 1];
    else if (text.startsWith('<!--', i)) out[j] = nextElementStart(text, i);
    else if (text[i] === '<' && text[i + 1] !== '/' && text[i + 1] !== '!' && text[i + 1] !== '?') out[j] = i;
  }
  return out;
}

export function applySuppressions(input: SuppressionInput, findings: Finding[]): Finding[] {
  const sups = parseSuppressions(input);
  if (sups.length === 0) return findings;
  // Per rule id, regions sorted by start with the running maximum of their ends, and finding
  // starts sorted: a finding is silenced when some region starting at or before it ends after
  // it, and a region is used when the first finding at or after its start lies inside it. Linear
  // after sorting; comparing every finding with every comment took minutes on hostile input (issue 9).
  const regions = new Map<string, { start: number; end: number; sup: Suppression }[]>();
  for (const s of sups) {
    for (const i of s.ids) {
      let list = regions.get(i.id);
      if (!list) regions.set(i.id, (list = []));
      list.push({ start: s.region.start, end: s.region.end, sup: s });
    }
  }
  const starts = new Map<string, number[]>();
  for (const f of findings) {
    if (!regions.has(f.rule)) continue;
    let list = starts.get(f.rule);
    if (!list) starts.set(f.rule, (list = []));
    list.push(f.span.start);
  }
  const reach = new Map<string, { start: number[]; maxEnd: number[] }>();
  for (const [id, list] of regions) {
    list.sort((a, b) => a.start - b.start);
    const maxEnd: number[] = [];
    for (const r of list) maxEnd.push(Math.max(r.end, maxEnd[maxEnd.length - 1] ?? -Infinity));
    reach.set(id, { start: list.map((r) => r.start), maxEnd });
    const fs = (starts.get(id) ?? []).sort((a, b) => a - b);
    for (const r of list) {
      const k = lowerBound(fs, r.start);
      if (k < fs.length && fs[k] < r.end) r.sup.used.add(id);
    }
  }
  const kept = findings.filter((f) => {
    const r = reach.get(f.rule);
    if (!r) return true;
    const k = lowerBound(r.start, f.span.start + 1) - 1;
    return !(k >= 0 && r.maxEnd[k] > f.span.start);
  });
  const sev = input.severityOf('unused-suppression');
  if (sev === 'off') return kept;
  for (const s of sups) {
    for (const i of s.ids) {
      if (s.used.has(i.id)) continue;
      const check = checkById(i.id);
      if (check && input.severityOf(check.id) === 'off') continue;
      if (check && check.needsSite && !input.site) continue;
      kept.push(unusedSuppressionFinding(i.id, i.span, check !== undefined, sev));
    }
  }
  return kept;
}

/**
 * Start offset → end of the element of the model that starts at each of `wanted` (where a
 * suppression comment's next element is), so a comment can silence that element. Found by binary
 * search in the model's lists (all in document order): mapping every element of a large sequence
 * on each analysis cost a tenth of it.
 */
function elementEnds(model: TaskSequenceModel, wanted: ReadonlySet<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (const at of wanted) {
    const end = elementEndAt(model, at);
    if (end !== undefined) m.set(at, end);
  }
  return m;
}

function elementEndAt(model: TaskSequenceModel, at: number): number | undefined {
  const hit = (s: Span | undefined): boolean => s !== undefined && s.start === at;
  const w = model.wrapper;
  if (w && hit(w.span)) return w.span.end;
  const seq = model.sequence;
  if (seq) {
    if (hit(seq.span)) return seq.span.end;
    if (hit(seq.referenceList?.span)) return seq.referenceList!.span.end;
    if (hit(seq.globalVarList?.span)) return seq.globalVarList!.span.end;
    const r = lastStartingBy(seq.references, at);
    if (hit(r?.span)) return r!.span.end;
    const v = lastStartingBy(seq.globalVariables, at);
    if (hit(v?.span)) return v!.span.end;
  }
  // A group's condition is among its children, so look at the group (and those around it) starting last before `at`.
  for (let g = lastStartingBy(model.groups, at); g; g = g.parent) {
    if (hit(g.span)) return g.span.end;
    if (hit(g.condition?.span)) return g.condition!.span.end;
  }
  const s = lastStartingBy(model.steps, at);
  if (s) {
    if (hit(s.span)) return s.span.end;
    if (hit(s.condition?.span)) return s.condition!.span.end;
    if (hit(s.action?.element.span)) return s.action!.element.span.end;
    if (hit(s.varList?.span)) return s.varList!.span.end;
    const v = lastStartingBy(s.variables, at);
    if (hit(v?.span)) return v!.span.end;
  }
  return undefined;
}

/** The last of `list` (in document order) whose span starts at or before `at`. */
function lastStartingBy<T extends { span: Span }>(list: readonly T[], at: number): T | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].span.start <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

function nextElementStart(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('<!--', i)) {
      const c = text.indexOf('-->', i + 4);
      if (c < 0) return -1;
      i = c + 3;
      continue;
    }
    if (text[i] === '<' && text[i + 1] !== '/' && text[i + 1] !== '!' && text[i + 1] !== '?') return i;
    return -1;
  }
}

function lineEndAfter(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

/** Index of the first element of the sorted `list` that is >= `value`. */
function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

