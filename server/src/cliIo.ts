// What every command of the command line shares: where it writes and from which folder it runs,
// the usage mistake (printed with the usage text, exit 2), the walk over its arguments
// (`--flag value` and `--flag=value` alike) and how a file is named in what it prints.

import * as path from 'node:path';

/** Where a command writes, and the folder relative paths start from (tests pass their own). */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

/** A usage mistake: cli.ts prints the message with the usage text and exits 2. */
export class UsageError extends Error {}

/**
 * Walks `args`: each option goes to `onFlag` with a reader of its value (the part after `=`, or
 * the next argument; a missing one is a UsageError), everything else (and a lone `-`) to
 * `onOperand`. `onFlag` throws a UsageError for an option it does not know.
 */
export function eachArgument(args: readonly string[], onFlag: (flag: string, value: () => string) => void, onOperand: (operand: string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (!flag.startsWith('-') || flag === '-') {
      onOperand(a);
      continue;
    }
    onFlag(flag, () => {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    });
  }
}

/** A file as the command prints it: relative to the working folder, with forward slashes. */
export function rel(cwd: string, file: string): string {
  return (path.relative(cwd, file) || path.basename(file)).split(path.sep).join('/');
}
