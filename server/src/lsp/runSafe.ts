// One error boundary per request (GUIDE invariant 5): whatever a handler throws or rejects with
// is logged and turned into the handler's empty answer, so one bad document or one bug never
// takes the server down or leaves a request unanswered. Cancellation answers empty too.

import type { CancellationToken } from 'vscode-languageserver';

export type Log = (message: string) => void;

export async function runSafe<T>(log: Log, name: string, empty: T, handler: () => T | Promise<T>, token?: CancellationToken): Promise<T> {
  if (token?.isCancellationRequested) return empty;
  try {
    const result = await handler();
    return token?.isCancellationRequested ? empty : result;
  } catch (e) {
    log(`cmts: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return empty;
  }
}

/** The same boundary for notifications (nothing to answer): log and carry on. */
export function runSafeNotification(log: Log, name: string, handler: () => void | Promise<void>): void {
  runSafe(log, name, undefined, handler).catch(() => undefined);
}
