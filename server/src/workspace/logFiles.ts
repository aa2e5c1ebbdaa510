// Reads smsts.log files from disk into the pure log reader (log/run.ts) for the language server:
// 1 MB at a time and asynchronously, so a 200 MB log neither sits whole in memory nor holds up
// other requests while it is read. Decoding as `cmts log` does (UTF-8, or UTF-16 by its mark).

import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { LogRunReader, logChunkDecoder, orderLogFiles, type LogRun, type LogRunOptions } from '../log/run';
import type { TaskSequenceModel } from '../model/types';

const CHUNK = 1024 * 1024;

export interface ReadLogResult {
  run: LogRun;
  /** The label each file has in the run's log places (its base name, or its path when two share one) → its path. */
  files: Map<string, string>;
  /** Files that could not be opened or read, with the reason. */
  unreadable: { path: string; reason: string }[];
}

/** Reads the files (in the engine's order, see orderLogFiles) against `model`. Never throws for a bad file. */
export async function readLogFiles(model: TaskSequenceModel, paths: readonly string[], options: LogRunOptions & { cancelled?: () => boolean } = {}): Promise<ReadLogResult> {
  const ordered = orderLogFiles(paths, (p) => p);
  const names = ordered.map((p) => basename(p));
  const files = new Map<string, string>();
  ordered.forEach((p, i) => files.set(names.indexOf(names[i]) === names.lastIndexOf(names[i]) ? names[i] : p, p));
  const labelOf = new Map([...files].map(([label, p]) => [p, label]));
  const reader = new LogRunReader(model, options);
  const unreadable: ReadLogResult['unreadable'] = [];
  for (const p of ordered) {
    if (options.cancelled?.()) break;
    try {
      await streamFile(p, labelOf.get(p)!, reader, options.cancelled);
    } catch (e) {
      unreadable.push({ path: p, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { run: reader.finish(), files, unreadable };
}

async function streamFile(path: string, label: string, reader: LogRunReader, cancelled?: () => boolean): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    const decoder = logChunkDecoder();
    reader.file(label);
    for (;;) {
      if (cancelled?.()) break;
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      reader.push(decoder.text(buf.subarray(0, bytesRead)));
      if (reader.done) break;
    }
    if (!reader.done) reader.push(decoder.end());
    reader.endFile();
  } finally {
    await fh.close();
  }
}
