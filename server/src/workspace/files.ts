// Reading files for the front ends: decoding (UTF-8, UTF-16 with a BOM, invalid bytes reported)
// and finding task sequence files under a folder. The core never touches the file system;
// the CLI and the server share this.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sniffTaskSequence, SNIFF_BYTES } from '../model/sniff';
import { CONFIG_FILE, SITE_FILE } from '../project';

export interface DecodedFile {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Set when the bytes were not valid in their encoding (replacement characters were used). */
  invalid?: string;
  /** With `invalid`: where in `text` the first bad byte sits (UTF-16 offset), so the diagnostic points there. */
  invalidAt?: number;
}

// Hostile-input hardening (issue 9): UTF-16 without a BOM may start with whitespace before the
// first '<' (editors and PowerShell's Out-File write that), and bytes that are not valid UTF-16
// (a lone surrogate, an odd trailing byte) are reported like invalid UTF-8, at the first bad one.
export function decode(buf: Uint8Array): DecodedFile {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return decodeAs('utf-16le', buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return decodeAs('utf-16be', buf.subarray(2));
  const bomless = utf16WithoutBom(buf);
  if (bomless) return decodeAs(bomless, buf);
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return decodeAs('utf-8', buf.subarray(start));
}

const INVALID: Record<DecodedFile['encoding'], string> = {
  'utf-8': 'This file is not valid UTF-8; invalid bytes were read as U+FFFD. Exports are UTF-8 (or UTF-16 with a byte order mark).',
  'utf-16le': 'This file is not valid UTF-16 (little-endian); invalid bytes were read as U+FFFD.',
  'utf-16be': 'This file is not valid UTF-16 (big-endian); invalid bytes were read as U+FFFD.',
};

function decodeAs(encoding: DecodedFile['encoding'], body: Uint8Array): DecodedFile {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(body), encoding };
  } catch {
    const lenient = new TextDecoder(encoding);
    const bad = encoding === 'utf-8' ? firstInvalidUtf8(body) : firstInvalidUtf16(body, encoding === 'utf-16be');
    // The text before the first bad byte is valid, so its decoded length is the offset of the U+FFFD.
    const invalidAt = lenient.decode(body.subarray(0, bad)).length;
    return { text: lenient.decode(body), encoding, invalid: INVALID[encoding], invalidAt };
  }
}

/** UTF-16 with no BOM: the first two code units are ASCII whitespace or '<' with a zero byte beside them. */
function utf16WithoutBom(buf: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (buf.length < 4) return undefined;
  const lead = (c: number): boolean => c === 0x3c || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  if (lead(buf[0]) && buf[1] === 0 && buf[2] !== 0 && buf[3] === 0) return 'utf-16le';
  if (buf[0] === 0 && lead(buf[1]) && buf[2] === 0 && buf[3] !== 0) return 'utf-16be';
  return undefined;
}

/** Byte offset of the first byte that does not start a valid UTF-8 sequence (the decoder's own rules). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) { n = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/** Byte offset of the first code unit of a lone surrogate, or of an odd trailing byte. */
function firstInvalidUtf16(b: Uint8Array, bigEndian: boolean): number {
  const unit = (i: number): number => (bigEndian ? (b[i] << 8) | b[i + 1] : b[i] | (b[i + 1] << 8));
  let i = 0;
  for (; i + 1 < b.length; i += 2) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 < b.length && unit(i + 2) >= 0xdc00 && unit(i + 2) <= 0xdfff) { i += 2; continue; }
      return i;
    }
    if (u >= 0xdc00 && u <= 0xdfff) return i;
  }
  return i;
}

/** Larger files are not read: far above any export (the checks stop at 16 MB), far below the memory a read would take. */
export const MAX_READ_BYTES = 128 * 1024 * 1024;

/**
 * Reads and decodes a regular file; throws with the reason otherwise. A path from a workspace
 * file (.cmts.json "site", a site description's taskSequences[].file) or from a client may name
 * /dev/zero, a FIFO or a huge log: reading those would never end or exhaust memory (issue 9),
 * so the file is looked at before it is opened (opening a FIFO blocks by itself).
 */
export function readDecoded(file: string): DecodedFile {
  const st = fs.statSync(file);
  if (!st.isFile()) throw new Error(`${file} is not a regular file`);
  if (st.size > MAX_READ_BYTES) throw new Error(`${file} is too large to read (${(st.size / 1024 / 1024).toFixed(0)} MB; cmts reads files up to ${MAX_READ_BYTES / 1024 / 1024} MB)`);
  return decode(fs.readFileSync(file));
}

/** Reads the head of a file and says whether it holds a task sequence. */
export function isTaskSequenceFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return sniffTaskSequence(decode(buf.subarray(0, n)).text) !== undefined;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

/** Every *.xml file under `dir` (recursively, skipping VCS and build folders) that holds a task sequence. */
export function findTaskSequences(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(p);
      } else if (e.isFile() && e.name.toLowerCase().endsWith('.xml') && isTaskSequenceFile(p)) {
        out.push(p);
      }
    }
  }
  return out.sort();
}

export interface WorkspaceFiles {
  taskSequences: string[];
  /** configmgr-site.json files (other names are only known through a .cmts.json "site"). */
  siteFiles: string[];
  configFiles: string[];
  /** True when the walk stopped at `maxEntries` (a folder far too large to be a task sequence repository). */
  truncated: boolean;
}

/**
 * The server's workspace scan: like findTaskSequences, plus the site descriptions and .cmts.json
 * files, asynchronous so the server keeps answering while it walks, and bounded by the number
 * of directory entries looked at.
 */
export async function findWorkspaceFiles(dir: string, maxEntries = 50_000): Promise<WorkspaceFiles> {
  const out: WorkspaceFiles = { taskSequences: [], siteFiles: [], configFiles: [], truncated: false };
  const stack = [dir];
  let seen = 0;
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++seen > maxEntries) {
        out.truncated = true;
        stack.length = 0;
        break;
      }
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(p);
      } else if (e.isFile()) {
        const lower = e.name.toLowerCase();
        if (e.name === SITE_FILE) out.siteFiles.push(p);
        else if (e.name === CONFIG_FILE) out.configFiles.push(p);
        else if (lower.endsWith('.xml') && isTaskSequenceFile(p)) out.taskSequences.push(p);
      }
    }
  }
  for (const list of [out.taskSequences, out.siteFiles, out.configFiles]) list.sort();
  return out;
}
