// The text of any file the server looks at: the editor's copy while a document is open (keyed by
// its version), else the file on disk, read once and kept until a file event says it changed
// (keyed by a per-file generation). Every cache above this one keys on `DocText.key`.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { LineIndex } from '../model/positions';
import { readDecoded } from './files';

export interface DocText {
  uri: string;
  /** File system path, for file: URIs. */
  path?: string;
  text: string;
  /** The editor's version while open; null for a file read from disk. */
  version: number | null;
  languageId?: string;
  /** Changes whenever the text may have changed: `v<version>o<opening>` open, `d<generation>` on disk. */
  key: string;
  /** Set when the bytes on disk were not valid in their encoding. */
  invalid?: string;
  /** With `invalid`: the offset of the first bad byte's replacement character (files.ts). */
  invalidAt?: number;
}

/** What the store needs from the editor's open documents (vscode-languageserver's TextDocuments fits). */
export interface OpenDocuments {
  get(uri: string): { uri: string; version: number; languageId: string; getText(): string } | undefined;
  keys(): string[];
}

export class DocumentStore {
  /** By path: clients spell the same file's URI differently. */
  private readonly disk = new Map<string, { text: string; invalid?: string; invalidAt?: number; gen: number } | null>();
  private readonly gens = new Map<string, number>();

  /**
   * One id per opening of a document: the version alone is not a key, since a client that closes
   * and reopens a file starts again at version 1 (VS Code does), and the new text would get the
   * old results (found by the fuzzer, issue 9). TextDocuments makes a new object per didOpen.
   */
  private readonly openIds = new WeakMap<object, number>();
  private nextOpenId = 1;

  constructor(private readonly open: OpenDocuments) {}

  private openId(doc: object): number {
    let id = this.openIds.get(doc);
    if (id === undefined) this.openIds.set(doc, (id = this.nextOpenId++));
    return id;
  }

  isOpen(uri: string): boolean {
    return this.open.get(uri) !== undefined;
  }

  openUris(): string[] {
    return this.open.keys();
  }

  /**
   * The URI the editor uses for the same file, when it has it open under another spelling
   * (percent-encoding differs between clients); else `uri` itself.
   */
  canonical(uri: string): string {
    if (this.open.get(uri)) return uri;
    const path = uriToPath(uri);
    if (!path) return uri;
    return this.open.keys().find((k) => uriToPath(k) === path) ?? uri;
  }

  get(uri: string): DocText | undefined {
    uri = this.canonical(uri);
    const doc = this.open.get(uri);
    const path = uriToPath(uri);
    if (doc) return { uri, path, text: doc.getText(), version: doc.version, languageId: doc.languageId, key: `v${doc.version}o${this.openId(doc)}` };
    if (!path) return undefined;
    let cached = this.disk.get(path);
    if (cached === undefined) {
      const gen = this.gens.get(path) ?? 0;
      try {
        const d = readDecoded(path);
        cached = { text: d.text, gen, ...(d.invalid ? { invalid: d.invalid, invalidAt: d.invalidAt } : {}) };
      } catch {
        cached = null;
      }
      this.disk.set(path, cached);
    }
    if (!cached) return undefined;
    return { uri, path, text: cached.text, version: null, key: `d${cached.gen}`, ...(cached.invalid ? { invalid: cached.invalid, invalidAt: cached.invalidAt } : {}) };
  }

  getPath(path: string): DocText | undefined {
    return this.get(pathToUri(path));
  }

  /** The last line index made per open document (the parse cache and the check reports share it). */
  private readonly lineIndexes = new Map<string, { key: string; text: string; lines: LineIndex }>();

  /**
   * The line index of an open document's text, made once per version: a stale model's view and the
   * report of the worker's check each made their own, 2 MB scanned twice per edit (issue 20).
   */
  linesOf(doc: DocText): LineIndex {
    if (doc.version === null) return new LineIndex(doc.text);
    const hit = this.lineIndexes.get(doc.uri);
    if (hit && hit.key === doc.key && hit.text === doc.text) return hit.lines;
    const lines = new LineIndex(doc.text);
    this.lineIndexes.set(doc.uri, { key: doc.key, text: doc.text, lines });
    return lines;
  }

  /** A file event (or a close) for `uri`: read it again next time. */
  dropDisk(uri: string): void {
    this.lineIndexes.delete(uri);
    const path = uriToPath(uri);
    if (!path) return;
    this.disk.delete(path);
    this.gens.set(path, (this.gens.get(path) ?? 0) + 1);
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The URI editors use for a path (the same spelling vscode-uri and Neovim produce). */
export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}
