// What an editor shows from a run read against the sequence (log/run.ts): per step its duration and,
// for a failure, a diagnostic's text (source smsts.log: exit code, its meaning where documented,
// the log line, the engine's words); the log lines that link to steps; and the one notice when the
// log does not match. Plain data with the items' spans: the LSP layer turns it into hints,
// diagnostics and links. Pure.

import type { Item, TaskSequenceModel } from '../model/types';
import { exitCodeMeaning, formatExitCode, type ExitMeaning } from './exitCodes';
import type { LogPlace } from './records';
import type { LogRun, StepStatus } from './run';

export const LOG_SOURCE = 'smsts.log';

export interface StepAnnotation {
  item: Item;
  /** The sequence the item is written in (a child sequence's items belong to the child's file). */
  model: TaskSequenceModel;
  path?: string;
  number: number;
  status: StepStatus;
  /** Wall time from the first start to the last end, when both are in the log. */
  durationMs?: number;
  /** `30s`, `4m 12s`, `1h 02m 05s`. */
  duration?: string;
  failure?: {
    /** The diagnostic's message. */
    message: string;
    /** `error` when the run stopped there, `warning` when it went on (continue on error). */
    severity: 'error' | 'warning';
    exitCode?: string;
    meaning?: ExitMeaning;
    at: LogPlace;
  };
}

/** A log line that starts or ends a step, and the step. */
export interface LogLink {
  at: LogPlace;
  item: Item;
  model: TaskSequenceModel;
  path?: string;
}

export interface LogAnnotations {
  steps: StepAnnotation[];
  links: LogLink[];
  /** Said once, plainly, when the log does not match the sequence or cannot be matched past a child. */
  notice?: string;
}

export function logAnnotations(run: LogRun): LogAnnotations {
  const steps: StepAnnotation[] = [];
  const links: LogLink[] = [];
  for (const s of run.timeline) {
    const a: StepAnnotation = { item: s.item, model: s.model, number: s.pointer, status: s.status };
    if (s.path !== undefined) a.path = s.path;
    if (s.start !== undefined && s.end !== undefined && s.end >= s.start) {
      a.durationMs = s.end - s.start;
      a.duration = duration(a.durationMs);
    }
    if (s.item.kind === 'step' && (s.status === 'failed' || s.status === 'failed-continued')) {
      const at = s.endAt ?? s.startAt;
      const code = s.exitCode !== undefined ? formatExitCode(s.exitCode) : undefined;
      const meaning = s.exitCode !== undefined ? exitCodeMeaning(s.exitCode) : undefined;
      const parts = [`Step ${s.pointer} failed in this run (${at.file}:${at.line})`];
      if (code) parts[0] += ` with exit code ${code}` + (meaning ? ` (${meaning.name}: ${meaning.text})` : '');
      parts[0] += '.';
      if (s.detail) parts.push(`The log says: ${s.detail.split('\n')[0]}`);
      if (s.status === 'failed-continued') parts.push('The sequence went on (continue on error).');
      a.failure = { message: parts.join(' '), severity: s.status === 'failed' ? 'error' : 'warning', at };
      if (code) a.failure.exitCode = code;
      if (meaning) a.failure.meaning = meaning;
    }
    steps.push(a);
    const linkAt = (at: LogPlace): void => void links.push(s.path !== undefined ? { at, item: s.item, model: s.model, path: s.path } : { at, item: s.item, model: s.model });
    linkAt(s.startAt);
    if (s.endAt && (s.endAt.file !== s.startAt.file || s.endAt.line !== s.startAt.line)) linkAt(s.endAt);
  }
  const out: LogAnnotations = { steps, links };
  const notice = run.mismatch ? `This log does not match the sequence. ${run.mismatch.message}` : run.unnumbered;
  if (notice) out.notice = notice;
  return out;
}

/** A duration as people read it: `0.4s`, `30s`, `4m 12s`, `1h 02m 05s`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 1000 ? `${(ms / 1000).toFixed(1)}s` : `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h ? `${h}h ${String(m).padStart(2, '0')}m ${String(r).padStart(2, '0')}s` : `${m}m ${String(r).padStart(2, '0')}s`;
}
