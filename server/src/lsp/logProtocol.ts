// The custom messages for smsts.log in the editor (issue 18), beside protocol.ts: plain names and
// shapes only, so the client bundle can import them. Other editors may send them too; nothing
// else depends on them.

/** Request: read these log files (on disk) against the sequence and keep the run for it. */
export const ATTACH_LOG = 'cmts/attachLog';
export interface AttachLogParams {
  /** The task sequence (open or on disk). */
  sequenceUri: string;
  /** smsts.log and its rolled-over smsts-*.log files, in any order (the server orders them). */
  logUris: string[];
}
export interface AttachLogResult {
  /** False when the sequence is not a task sequence the server knows, or no file could be read. */
  attached: boolean;
  /** Steps and groups of the sequence the run says something about. */
  steps: number;
  /** Failed steps (diagnostics with source smsts.log). */
  failures: number;
  /** How the run ended. */
  outcome?: 'succeeded' | 'failed' | 'unfinished';
  /** Said once, plainly: the log does not match the sequence (or cannot be matched past a child). */
  notice?: string;
  /** Files that could not be read or are not logs, one sentence each. */
  problems: string[];
}

/** Request: forget the log attached to a sequence (its diagnostics and durations go away). */
export const DETACH_LOG = 'cmts/detachLog';
export interface DetachLogParams {
  sequenceUri: string;
}
