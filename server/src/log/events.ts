// The task sequence engine's lines in smsts.log that say what ran: an instruction starting (its
// name and pointer), an action succeeding, failing or being skipped, a group starting, being
// skipped or failing, a process's exit code, a process (re)starting, the run ending. Everything
// else in the log is not an event. Pure; the line shapes and their sources are in docs/smsts-log.md.

export type EngineEvent =
  | { kind: 'instruction'; name: string; pointer?: number; disabled?: boolean }
  | { kind: 'action-succeeded'; name: string; exitCode?: number }
  | { kind: 'action-failed'; name: string; exitCode?: number; detail?: string }
  | { kind: 'action-skipped'; name: string; why: 'condition' | 'disabled' }
  | { kind: 'group-started'; name: string }
  | { kind: 'group-skipped'; name: string; why: 'condition' | 'disabled' }
  | { kind: 'group-failed'; name: string }
  | { kind: 'process-exit'; exitCode: number }
  | { kind: 'process-start'; exe: string }
  | { kind: 'run-end'; ok: boolean; detail: string };

// "Start executing an instruction. Instruction name: 'X'.  Pointer: 0. Type: ''. Disabled: 0" (current)
const INSTRUCTION_QUOTED = /^Start executing an instruction\.\s*Instruction\s?name:\s*'(.*)'\.\s+Pointer:\s*(\d+)(?:\.\s*Type:\s*'[^']*'\.\s*Disabled:\s*(\d+))?/i;
// "Start executing an instruction. Instruction name: X. Instruction pointer: 32" (older; Microsoft's article writes "Instructionname")
const INSTRUCTION_PLAIN = /^Start executing an instruction\.\s*Instruction\s?name:\s*(.*?)\.?\s+Instruction\s+pointer:\s*(\d+)\s*$/i;
// No pointer at all: matched by name alone.
const INSTRUCTION_NAME = /^Start executing an instruction\.\s*Instruction\s?name:\s*(.*?)\.?\s*$/i;
const SUCCEEDED = /^Successfully complete(?:d)? the action \((.*)\) with the exit win32 code (-?\d+)/i;
const FAILED = /^Failed to run the action:\s*(.*?)(?:\.\s+Error\s+(-?\d+))?\.?\s*$/i;
const ERROR_IN_TEXT = /\(Error:\s*([0-9A-Fa-f]{8});\s*Source:\s*[^)]*\)/;
const ACTION_SKIPPED = /^The action \((.*)\) has been skipped because (?:the condition is evaluated to be false|it is disabled)/i;
const GROUP_STARTED = /^The group \((.*)\) has been successfully started/i;
const GROUP_SKIPPED = /^The group \((.*)\) has been skipped because (?:the condition is evaluated to be false|it is disabled)/i;
const GROUP_FAILED = /^The execution of the group \((.*)\) has failed and the execution has been aborted/i;
const PROCESS_EXIT = /^Process completed with exit code (-?\d+)/i;
const PROCESS_START = /^=+\[\s*([\w.-]+\.exe)\s*\]=+\s*$/i;
const RUN_DONE = /^Task sequence completed (0x[0-9A-Fa-f]{8})/i;
const RUN_FAILED = /^(?:Task Sequence Engine failed!.*|Execution of task sequence failed.*|Failed to run the last action:.*)$/i;

const GATE = /^(?:start executing an instruction|successfully complete|failed to run the|the action \(|the group \(|the execution of the group|process completed with exit code|=|task sequence completed|task sequence engine failed|execution of task sequence failed)/i;

/** The event a log message states, or undefined. Only the message's first line is matched, except a failure's detail. */
export function eventOf(message: string): EngineEvent | undefined {
  const nl = message.indexOf('\n');
  const first = (nl < 0 ? message : message.slice(0, nl)).trim();
  // Cheap prefix gate: almost every line of a 100 MB log is none of these.
  if (!GATE.test(first)) return undefined;
  let m: RegExpExecArray | null;
  if ((m = INSTRUCTION_QUOTED.exec(first))) return withDisabled({ kind: 'instruction', name: m[1].trim(), pointer: Number(m[2]) }, m[3]);
  if ((m = INSTRUCTION_PLAIN.exec(first))) return { kind: 'instruction', name: m[1].trim(), pointer: Number(m[2]) };
  if ((m = INSTRUCTION_NAME.exec(first))) return { kind: 'instruction', name: unquote(m[1].trim()) };
  if ((m = SUCCEEDED.exec(first))) return { kind: 'action-succeeded', name: m[1].trim(), exitCode: Number(m[2]) };
  if ((m = FAILED.exec(first))) {
    const detail = nl < 0 ? undefined : message.slice(nl + 1).trim() || undefined;
    const e: EngineEvent = { kind: 'action-failed', name: m[1].trim() };
    const fromText = detail ? ERROR_IN_TEXT.exec(detail) : null;
    if (m[2] !== undefined) e.exitCode = Number(m[2]);
    else if (fromText) e.exitCode = parseInt(fromText[1], 16);
    if (detail) e.detail = detail;
    return e;
  }
  if ((m = ACTION_SKIPPED.exec(first))) return { kind: 'action-skipped', name: m[1].trim(), why: /disabled/i.test(first) ? 'disabled' : 'condition' };
  if ((m = GROUP_STARTED.exec(first))) return { kind: 'group-started', name: m[1].trim() };
  if ((m = GROUP_SKIPPED.exec(first))) return { kind: 'group-skipped', name: m[1].trim(), why: /disabled/i.test(first) ? 'disabled' : 'condition' };
  if ((m = GROUP_FAILED.exec(first))) return { kind: 'group-failed', name: m[1].trim() };
  if ((m = PROCESS_EXIT.exec(first))) return { kind: 'process-exit', exitCode: Number(m[1]) };
  if ((m = PROCESS_START.exec(first))) return { kind: 'process-start', exe: m[1] };
  if ((m = RUN_DONE.exec(first))) return { kind: 'run-end', ok: /^0x0+$/.test(m[1]), detail: first };
  if (RUN_FAILED.test(first)) return { kind: 'run-end', ok: false, detail: first };
  return undefined;
}

function withDisabled(e: EngineEvent & { kind: 'instruction' }, flag: string | undefined): EngineEvent {
  if (flag !== undefined) e.disabled = flag !== '0';
  return e;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith("'") && s.endsWith("'") ? s.slice(1, -1) : s;
}
