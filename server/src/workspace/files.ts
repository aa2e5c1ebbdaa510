// Reading files for the front ends: decoding (UTF-8, UTF-16 with a BOM, invalid bytes reported)
// and finding task sequence files under a folder. The core never touches the file system;
// the CLI and the server share this.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { sniffTaskSequence, SNIFF_BYTES } from '../model/sniff';

export interface DecodedFile {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Set when the bytes were not valid in their encoding (replacement characters were used). */
  invalid?: string;
}

export function decode(buf: Uint8Array): DecodedFile {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  // UTF-16 without a BOM: XML starts with '<' (0x3C) next to a zero byte.
  if (buf.length >= 4 && buf[0] === 0x3c && buf[1] === 0 && buf[3] === 0) return { text: new TextDecoder('utf-16le').decode(buf), encoding: 'utf-16le' };
  if (buf.length >= 4 && buf[0] === 0 && buf[1] === 0x3c && buf[2] === 0) return { text: new TextDecoder('utf-16be').decode(buf), encoding: 'utf-16be' };
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const body = buf.subarray(start);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('utf-8').decode(body), encoding: 'utf-8', invalid: 'This file is not valid UTF-8; invalid bytes were read as U+FFFD. Exports are UTF-8 (or UTF-16 with a byte order mark).' };
  }
}

export function readDecoded(file: string): DecodedFile {
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
