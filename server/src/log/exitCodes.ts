// What an exit code means, only where Microsoft documents it: a few Windows system error codes
// and common HRESULTs, each with its page. Anything else is shown as the number alone (and the
// engine's own text from the log, which the reader keeps). Pure data.

export interface ExitMeaning {
  name: string;
  text: string;
  source: string;
}

const SYS_0_499 = 'https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--0-499-';
const SYS_1300_1699 = 'https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--1300-1699-';
const SYS_1700_3999 = 'https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--1700-3999-';
const HRESULTS = 'https://learn.microsoft.com/en-us/windows/win32/seccrypto/common-hresult-values';
export const HRESULT_FROM_WIN32 = 'https://learn.microsoft.com/en-us/windows/win32/api/winerror/nf-winerror-hresult_from_win32';

/** Win32 error codes (also met as HRESULT 0x8007xxxx). */
const WIN32: Record<number, ExitMeaning> = {
  0: { name: 'ERROR_SUCCESS', text: 'The operation completed successfully.', source: SYS_0_499 },
  1: { name: 'ERROR_INVALID_FUNCTION', text: 'Incorrect function.', source: SYS_0_499 },
  2: { name: 'ERROR_FILE_NOT_FOUND', text: 'The system cannot find the file specified.', source: SYS_0_499 },
  3: { name: 'ERROR_PATH_NOT_FOUND', text: 'The system cannot find the path specified.', source: SYS_0_499 },
  5: { name: 'ERROR_ACCESS_DENIED', text: 'Access is denied.', source: SYS_0_499 },
  87: { name: 'ERROR_INVALID_PARAMETER', text: 'The parameter is incorrect.', source: SYS_0_499 },
  112: { name: 'ERROR_DISK_FULL', text: 'There is not enough space on the disk.', source: SYS_0_499 },
  1460: { name: 'ERROR_TIMEOUT', text: 'This operation returned because the timeout period expired.', source: SYS_1300_1699 },
  1603: { name: 'ERROR_INSTALL_FAILURE', text: 'Fatal error during installation.', source: SYS_1300_1699 },
  1618: { name: 'ERROR_INSTALL_ALREADY_RUNNING', text: 'Another installation is already in progress.', source: SYS_1300_1699 },
  1641: { name: 'ERROR_SUCCESS_REBOOT_INITIATED', text: 'The requested operation completed successfully. The system will be restarted so the changes can take effect.', source: SYS_1300_1699 },
  3010: { name: 'ERROR_SUCCESS_REBOOT_REQUIRED', text: 'The requested operation is successful. Changes will not be effective until the system is rebooted.', source: SYS_1700_3999 },
};

/** HRESULTs that are not a wrapped Win32 code. */
const HRESULT: Record<number, ExitMeaning> = {
  0x80004004: { name: 'E_ABORT', text: 'Operation aborted', source: HRESULTS },
  0x80004005: { name: 'E_FAIL', text: 'Unspecified failure', source: HRESULTS },
  0x8000ffff: { name: 'E_UNEXPECTED', text: 'Unexpected failure', source: HRESULTS },
};

/** A code as the log writes it (decimal, possibly negative, or hex) → unsigned 32-bit. */
export function normalizeCode(n: number): number {
  return n < 0 ? (n >>> 0) : n;
}

/** 0x80070002 style for HRESULT-like codes, decimal for small ones (1, 3010). */
export function formatExitCode(code: number): string {
  const u = normalizeCode(code);
  return u >= 0x80000000 ? '0x' + u.toString(16).toUpperCase().padStart(8, '0') : String(u);
}

/** The documented meaning, or undefined. A 0x8007xxxx code is read as the Win32 code xxxx it wraps. */
export function exitCodeMeaning(code: number): ExitMeaning | undefined {
  const u = normalizeCode(code);
  if (HRESULT[u]) return HRESULT[u];
  if (WIN32[u]) return WIN32[u];
  if (u >>> 16 === 0x8007 && WIN32[u & 0xffff]) {
    const w = WIN32[u & 0xffff];
    return { name: `HRESULT_FROM_WIN32(${w.name})`, text: w.text, source: w.source };
  }
  return undefined;
}
