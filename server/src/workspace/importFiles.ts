// Reads what `cmts site import` is given: files, folders (searched for .xml and .json) and the
// .zip the console's Export Task Sequence wizard writes, read in memory with fflate. A zip is
// bounded (entry count, size of each entry and of all, counted as it is inflated, so a header that
// lies about sizes does not help a zip bomb), and an entry whose name climbs out of the archive
// (".." or an absolute path) refuses the whole zip. Nothing is ever extracted to disk.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Fflate from 'fflate';
import type { ImportSource } from '../site/import';
import type { ImportProblem } from '../site/import/cimXml';
import { decode, readDecoded } from './files';
import { CONFIG_FILE, SITE_FILE } from './discover';

/** An export holds a few files per object; ten thousand is far beyond any real one. */
export const MAX_ZIP_ENTRIES = 10_000;
/** One entry: a sequence is checked up to 16 MB, and object.xml wraps it in CIM-XML. */
export const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;
/** Everything inflated from one zip. */
export const MAX_ZIP_TOTAL_BYTES = 256 * 1024 * 1024;
/** Files read from one folder tree. */
const MAX_FOLDER_FILES = 10_000;

export interface ReadSources {
  sources: ImportSource[];
  problems: ImportProblem[];
}

export function readImportSources(paths: string[], cwd: string): ReadSources {
  const out: ReadSources = { sources: [], problems: [] };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    const name = path.relative(cwd, abs).split(path.sep).join('/') || '.';
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      out.problems.push({ file: name, message: `${name}: no such file or folder.` });
      continue;
    }
    if (st.isDirectory()) readFolder(abs, cwd, out);
    else if (/\.zip$/i.test(abs)) readZipFile(abs, name, out);
    else readOne(abs, name, out);
  }
  return out;
}

function readOne(abs: string, name: string, out: ReadSources): void {
  try {
    const d = readDecoded(abs);
    if (d.invalid) out.problems.push({ file: name, message: `${name}: ${d.invalid}` });
    else out.sources.push({ name, text: d.text });
  } catch (e) {
    out.problems.push({ file: name, message: `${name}: cannot read it (${e instanceof Error ? e.message : String(e)}).` });
  }
}

function readFolder(dir: string, cwd: string, out: ReadSources): void {
  const stack = [dir];
  let count = 0;
  while (stack.length) {
    const d = stack.pop()!;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      out.problems.push({ file: d, message: `${path.relative(cwd, d) || '.'}: cannot list it (${e instanceof Error ? e.message : String(e)}).` });
      continue;
    }
    for (const n of names.sort((a, b) => a.name.localeCompare(b.name))) {
      const abs = path.join(d, n.name);
      if (n.isDirectory()) {
        if (n.name !== 'node_modules' && !n.name.startsWith('.')) stack.push(abs);
        continue;
      }
      // The site description and .cmts.json may sit in the folder being imported.
      if (!n.isFile() || n.name === SITE_FILE || n.name === CONFIG_FILE) continue;
      const rel = path.relative(cwd, abs).split(path.sep).join('/');
      if (/\.zip$/i.test(n.name)) readZipFile(abs, rel, out);
      else if (/\.(xml|json)$/i.test(n.name)) readOne(abs, rel, out);
      else continue;
      if (++count > MAX_FOLDER_FILES) {
        out.problems.push({ file: rel, message: `${path.relative(cwd, dir) || '.'}: more than ${MAX_FOLDER_FILES} files to import; name the export folder or files themselves.` });
        return;
      }
    }
  }
}

function readZipFile(abs: string, name: string, out: ReadSources): void {
  let data: Uint8Array;
  try {
    const st = fs.statSync(abs);
    if (st.size > MAX_ZIP_TOTAL_BYTES) {
      out.problems.push({ file: name, message: `${name}: the zip is ${(st.size / 1024 / 1024).toFixed(0)} MB; cmts reads exports up to ${MAX_ZIP_TOTAL_BYTES / 1024 / 1024} MB.` });
      return;
    }
    data = fs.readFileSync(abs);
  } catch (e) {
    out.problems.push({ file: name, message: `${name}: cannot read it (${e instanceof Error ? e.message : String(e)}).` });
    return;
  }
  const r = readZip(data, name);
  out.sources.push(...r.sources);
  out.problems.push(...r.problems);
}

/** An entry name that stays inside the archive: relative, no "..", no drive or root. */
export function safeEntryName(n: string): boolean {
  if (n === '' || /^[\\/]/.test(n) || /^[A-Za-z]:/.test(n) || n.includes('\0')) return false;
  return !n.split(/[\\/]/).some((seg) => seg === '..');
}

export interface ZipLimits {
  entries: number;
  entryBytes: number;
  totalBytes: number;
}

const LIMITS: ZipLimits = { entries: MAX_ZIP_ENTRIES, entryBytes: MAX_ZIP_ENTRY_BYTES, totalBytes: MAX_ZIP_TOTAL_BYTES };

/** Reads a zip held in memory (exported for tests). All or nothing: any problem means no sources. */
export function readZip(data: Uint8Array, name: string, limits: ZipLimits = LIMITS): ReadSources {
  const files = new Map<string, Uint8Array[]>();
  const problems: ImportProblem[] = [];
  let entries = 0;
  let total = 0;
  let stop = false;
  // fflate is loaded on first use: at load it builds its tables and loads worker_threads, about
  // 15 ms of every command's start (issue 20), and only a zip needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Unzip, UnzipInflate, UnzipPassThrough } = require('fflate') as typeof Fflate;
  const unzip = new Unzip((file) => {
    if (stop) return;
    if (++entries > limits.entries) {
      problems.push({ file: name, message: `${name}: more than ${limits.entries} entries; no console export has that many, so cmts does not read it.` });
      stop = true;
      return;
    }
    if (!safeEntryName(file.name)) {
      problems.push({ file: name, message: `${name}: the entry "${file.name}" points outside the archive (an absolute path or ".."); cmts does not read a zip like that.` });
      stop = true;
      return;
    }
    if (file.name.endsWith('/')) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (stop) return;
      if (err) {
        problems.push({ file: name, message: `${name}: the entry "${file.name}" cannot be inflated (${err.message}).` });
        stop = true;
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > limits.entryBytes || total > limits.totalBytes) {
        // Counted while inflating: sizes in the headers are the archive's word, not a bound.
        const limit = size > limits.entryBytes ? `${megabytes(limits.entryBytes)} for one entry` : `${megabytes(limits.totalBytes)} in all`;
        problems.push({ file: name, message: `${name}: the entry "${file.name}" inflates to more than ${limit} (a zip bomb, or no console export); cmts stopped reading it.` });
        stop = true;
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) files.set(file.name, chunks);
    };
    try {
      file.start();
    } catch (e) {
      problems.push({ file: name, message: `${name}: the entry "${file.name}" uses a compression cmts cannot read (${e instanceof Error ? e.message : String(e)}).` });
      stop = true;
    }
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    unzip.push(data, true);
  } catch (e) {
    problems.push({ file: name, message: `${name}: not a readable zip (${e instanceof Error ? e.message : String(e)}).` });
  }
  if (!problems.length && entries === 0) problems.push({ file: name, message: `${name}: not a zip archive, or an empty one.` });
  if (problems.length) return { sources: [], problems };
  const names = [...files.keys()];
  // The wizard's zip has Manifest.xml at its root (or under one folder when zipped by hand).
  if (!names.some((n) => /(^|\/)Manifest\.xml$/i.test(n.replace(/\\/g, '/')))) {
    return { sources: [], problems: [{ file: name, message: `${name}: not a ConfigMgr console export: it has no Manifest.xml (the Export Task Sequence wizard writes one at the top of the zip).` }] };
  }
  const sources: ImportSource[] = [];
  for (const [entry, chunks] of files) {
    const n = entry.replace(/\\/g, '/');
    if (!/\.(xml|json)$/i.test(n)) continue;
    const d = decode(concat(chunks));
    if (d.invalid) return { sources: [], problems: [{ file: `${name}/${n}`, message: `${name}/${n}: ${d.invalid}` }] };
    sources.push({ name: `${name}/${n}`, text: d.text });
  }
  return { sources, problems: [] };
}

function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${n} bytes`;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
