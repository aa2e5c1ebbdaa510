// Step numbers in the editor (issue 18): for every step and group, the instruction number smsts.log
// gives it and where it runs (semantics/numbering.ts), and, once a log is attached, how the run
// went there (log/annotations.ts). Also lays a run read against one version of the sequence on
// the version being edited: by instruction number AND name, as the log reader matches, so an edit
// that moves steps drops what no longer fits instead of pinning it on the wrong step. Pure.

import type { Item, Span, TaskSequenceModel } from '../model/types';
import { contextWords, instructionTable, itemFacts, type ChildResolver, type ItemFacts } from '../semantics/numbering';
import type { StartIn } from '../semantics/flow';
import type { LogAnnotations, StepAnnotation } from '../log/annotations';
import type { StepStatus } from '../log/run';

export interface StepHint {
  item: Item;
  /** Where the hint goes: the `<` of the item's start tag. */
  offset: number;
  /** Short: `#12 · Windows PE · 4m 12s`. */
  label: string;
  /** Longer, for the tooltip. */
  tooltip: string;
}

/** What a run says about one item of the sequence being edited. */
export type RunOverlay = Map<Item, StepAnnotation>;

/** Where the sequence starts, how its children are read, and an attached log's run laid on it. */
export interface StepHintOptions {
  startIn?: StartIn;
  resolve?: ChildResolver;
  run?: RunOverlay;
}

const STATUS: Record<StepStatus, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'failed-continued': 'failed, continued',
  skipped: 'skipped (condition)',
  'skipped-disabled': 'skipped (disabled)',
  running: 'no end in the log',
};

/**
 * One hint per step and group whose start lies in `range` (all when absent). Items with no number
 * (after a Run Task Sequence step whose child cannot be read) still get their run context.
 */
export function stepHints(model: TaskSequenceModel, options: StepHintOptions & { range?: Span } = {}): StepHint[] {
  const facts = itemFacts(model, { startIn: options.startIn ?? 'both', resolve: options.resolve });
  const out: StepHint[] = [];
  for (const [item, f] of facts) {
    if (options.range && (item.span.start < options.range.start || item.span.start > options.range.end)) continue;
    out.push(hintFor(item, f, options.run?.get(item)));
  }
  return out.sort((a, b) => a.offset - b.offset);
}

function hintFor(item: Item, f: ItemFacts, run: StepAnnotation | undefined): StepHint {
  const parts: string[] = [];
  if (f.number !== undefined) parts.push(`#${f.number}`);
  parts.push(contextWords(f.context));
  const tips: string[] = [];
  if (f.number !== undefined) {
    const end = f.end !== undefined ? `, ends at ${f.end}` : '';
    tips.push(`smsts.log instruction ${f.number}${end}.`);
  } else {
    tips.push('No instruction number: it comes after a Run Task Sequence step whose child sequence cannot be read, and the child\'s length decides every later number.');
  }
  tips.push(f.context === 'either' ? 'Runs in Windows PE or the full OS.' : f.context === 'never' ? 'Never runs (disabled, or its conditions rule out both environments).' : `Runs in ${contextWords(f.context)}.`);
  if (run) {
    const status = run.status === 'succeeded' ? run.duration ?? STATUS.succeeded : run.duration && run.status !== 'skipped' && run.status !== 'skipped-disabled' ? `${STATUS[run.status]} ${run.duration}` : STATUS[run.status];
    parts.push(status);
    tips.push(`In the attached log: ${STATUS[run.status]}${run.duration ? `, ${run.duration}` : ''}.`);
  }
  return { item, offset: item.span.start, label: parts.join(' · '), tooltip: tips.join(' ') };
}

/**
 * The run's annotations of the sequence's own items (not a child's), laid on `current`: an
 * annotation goes to the item of `current` with the same instruction number and the same name.
 */
export function overlayRun(annotations: LogAnnotations, current: TaskSequenceModel, resolve?: ChildResolver): RunOverlay {
  const table = instructionTable(current, resolve);
  const out: RunOverlay = new Map();
  for (const a of annotations.steps) {
    if (a.path !== undefined) continue;
    const row = table.rows[a.number];
    if (!row || row.kind !== 'start' || row.model !== current || row.item.kind !== a.item.kind) continue;
    if (row.item.name.trim() !== a.item.name.trim()) continue;
    out.set(row.item, a);
  }
  return out;
}

/**
 * The run's annotations of a child sequence's items (steps a parent ran through Run Task Sequence),
 * laid on the child file's `current` model: an annotation goes to the item at the same place in
 * document order with the same kind and name, so an edited child drops what no longer fits.
 */
export function overlayChildRun(annotations: readonly StepAnnotation[], current: TaskSequenceModel): RunOverlay {
  const order = (m: TaskSequenceModel): Item[] => [...m.groups, ...m.steps].sort((a, b) => a.span.start - b.span.start);
  const now = order(current);
  const indexes = new Map<TaskSequenceModel, Map<Item, number>>();
  const out: RunOverlay = new Map();
  for (const a of annotations) {
    let index = indexes.get(a.model);
    if (!index) indexes.set(a.model, (index = new Map(order(a.model).map((item, i) => [item, i]))));
    const i = index.get(a.item);
    const item = i === undefined ? undefined : now[i];
    if (item && item.kind === a.item.kind && item.name.trim() === a.item.name.trim()) out.set(item, a);
  }
  return out;
}
