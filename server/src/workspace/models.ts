// Parsed models, one parse per text: the checks (workspace.ts) and the editor features (hover,
// completion, outline, navigation) share the cache, keyed by the document's text key.
//
// While a large document is being edited, a feature does not wait for the new text to be parsed
// (a 2 MB sequence takes a few hundred milliseconds): `view` answers from the last model parsed
// for that document, with offsets mapped across the edit (the text both versions share before and
// after the changed region), and parses the new text shortly after, when the edits pause. Files
// over the check size guard get an empty model, as the checks do.

import { MAX_CHECK_CHARS } from '../analysis';
import { reparse, sharedEnds } from '../model/incremental';
import { parseTaskSequence } from '../model/parse';
import { LineIndex, type Position } from '../model/positions';
import type { ParseProblem, TaskSequenceModel } from '../model/types';
import type { DocText } from './documents';

export interface ParsedDoc {
  model: TaskSequenceModel;
  problems: ParseProblem[];
  lines: LineIndex;
}

/**
 * A model for an editor feature. `text`, `model` and every span agree with each other (they are
 * the parsed text's); `lines` converts between them and the editor's current text, so positions
 * in requests and answers are always the current text's.
 */
export interface ModelView {
  model: TaskSequenceModel;
  /** The text the model was parsed from. */
  text: string;
  /** Positions of the current text ↔ offsets of `text`. */
  lines: LineIndex;
  /** The current text and its own line index (completion reads what was just typed). */
  current: { text: string; lines: LineIndex };
  /** False while the model is an earlier version's. */
  fresh: boolean;
  /** The line index of `text` itself (`lines` when fresh). */
  textLines: LineIndex;
  /**
   * While stale: the one region where `text` and the current text differ (offsets of `text` before
   * `start` are the same in both, from `endBefore` on they moved to `endNow`).
   */
  edit?: TextChange;
}

/** Where two texts differ: the same before `start`; `text.slice(endBefore)` of the one is `now.slice(endNow)` of the other. */
export interface TextChange {
  start: number;
  endBefore: number;
  endNow: number;
}

/** Below this size a document is parsed at once (a few tens of milliseconds at most). */
export const STALE_MIN_CHARS = 256 * 1024;
/** A changed region larger than this is parsed at once: the old model would say too little. */
export const STALE_MAX_CHANGE = 64 * 1024;
/**
 * Milliseconds without edits, without requests answered from the stale model and without its check
 * under way in the worker, before it is replaced by a parse of the new text: the parse holds the thread (tens of milliseconds at 2 MB even
 * when only the edited step is read again), so it waits for a quiet moment rather than for the
 * requests that follow an edit (issue 20).
 */
export const REPARSE_DELAY_MS = 250;
/**
 * …but no longer than this after it was first put off, however busy the client is (typing without a
 * pause, or a client that keeps asking): the model is at most this old.
 */
export const REPARSE_MAX_WAIT_MS = 10_000;

/** How long a large document just opened waits for its check to be under way before it is parsed anyway. */
export const OPEN_PARSE_WAIT_MS = 1000;

const unrefd = (t: NodeJS.Timeout): NodeJS.Timeout => {
  t.unref?.();
  return t;
};

interface Entry {
  key: string;
  text: string;
  value: ParsedDoc;
}

export { sharedEnds };

export class ModelCache {
  private readonly parsed = new Map<string, Entry>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; since: number }>();
  /** The last stale view per document, for the version it was made for. */
  private readonly stale = new Map<string, { key: string; view: ModelView }>();
  /** A parse nobody asked for, kept from the editor features until what they need from it is worked out. */
  private readonly next = new Map<string, Entry>();
  /** Documents just opened, waiting for their check to be under way before they are parsed here. */
  private readonly opening = new Map<string, NodeJS.Timeout>();

  /**
   * @param latest the document's text now (for the deferred parse); undefined when it is gone.
   * @param parsedLarge called after a text of STALE_MIN_CHARS or more was parsed (the server works
   *   out, in the quiet moment after it, what the first requests on the new model would otherwise pay
   *   for). For a parse nobody asked for (the deferred parse, the one after an opening) it gets
   *   `ready`, and the editor features keep the last model until it is called: the first requests
   *   on the new model then find that work done rather than doing it themselves (issue 20).
   */
  constructor(
    private readonly latest: (uri: string) => DocText | undefined = () => undefined,
    private readonly parsedLarge?: (uri: string, text: string, parsed: ParsedDoc, ready?: () => void) => void,
    /** The line index of a document's text (the document store's, made once per version). */
    private readonly linesOf: (doc: DocText) => LineIndex = (doc) => new LineIndex(doc.text),
    /** True while the document's check is on its way (the deferred parse waits for it, as for a request). */
    private readonly busy: (uri: string) => boolean = () => false,
  ) {}

  /** The model of `doc`'s current text, parsed now when it is not cached. */
  get(doc: DocText): ParsedDoc {
    const hit = this.parsed.get(doc.uri);
    if (hit && hit.key === doc.key) return hit.value;
    // A parse being prepared for the features: asked for now, it is installed now.
    const next = this.next.get(doc.uri);
    if (next && (next.key === doc.key || next.text === doc.text)) {
      next.key = doc.key;
      this.install(doc.uri, next);
      return next.value;
    }
    // Opening a file the workspace scan has read from disk, or an undo back to the parsed text:
    // the same text needs no second parse.
    if (hit && hit.text === doc.text) {
      hit.key = doc.key;
      // A parse prepared for a text the undo left behind must not be installed over this one.
      this.next.delete(doc.uri);
      this.stale.delete(doc.uri);
      return hit.value;
    }
    const entry = this.parse(doc, next ?? hit);
    this.install(doc.uri, entry);
    if (doc.text.length >= STALE_MIN_CHARS) this.parsedLarge?.(doc.uri, doc.text, entry.value);
    return entry.value;
  }

  /** Parses `doc` (after an edit inside one step or group, only that element is read again, model/incremental.ts). */
  private parse(doc: DocText, base: Entry | undefined): Entry {
    const r = doc.text.length > MAX_CHECK_CHARS
      ? { model: { flavour: 'sequence', mdt: false, comments: [], steps: [], groups: [], length: doc.text.length } satisfies TaskSequenceModel, problems: [] }
      : (base && base.text.length <= MAX_CHECK_CHARS ? reparse(base.text, base.value, doc.text) : undefined) ?? parseTaskSequence(doc.text);
    return { key: doc.key, text: doc.text, value: { model: r.model, problems: r.problems, lines: this.linesOf(doc) } };
  }

  private install(uri: string, entry: Entry): void {
    this.parsed.set(uri, entry);
    this.next.delete(uri);
    this.stale.delete(uri);
  }

  /**
   * A parse nobody waits for: without a parsedLarge callback (or for a small text) it is installed
   * at once; else the features keep the last model until the callback says the new one is ready.
   */
  private parseAhead(doc: DocText): void {
    const entry = this.parse(doc, this.next.get(doc.uri) ?? this.parsed.get(doc.uri));
    if (!this.parsedLarge || doc.text.length < STALE_MIN_CHARS || !this.parsed.has(doc.uri)) {
      this.install(doc.uri, entry);
      if (doc.text.length >= STALE_MIN_CHARS) this.parsedLarge?.(doc.uri, doc.text, entry.value, () => undefined);
      return;
    }
    this.next.set(doc.uri, entry);
    this.parsedLarge(doc.uri, doc.text, entry.value, () => {
      if (this.next.get(doc.uri) !== entry) return;
      // Never over a parse of the text the document has now (an undo back to it meanwhile).
      const now = this.latest(doc.uri);
      if (now && now.text !== entry.text && this.parsed.get(doc.uri)?.text === now.text) {
        this.next.delete(doc.uri);
        return;
      }
      this.install(doc.uri, entry);
    });
  }

  /**
   * A large document was opened: parse it here as soon as its check is on its way to the worker
   * (which checks it meanwhile, on the other core, or soon after the job ahead of it), rather than when the first edits come (issue 20: the first
   * diagnostics after the opening waited for this parse). A document nobody checks in the worker is
   * parsed after OPEN_PARSE_WAIT_MS at the latest.
   */
  opened(uri: string): void {
    clearTimeout(this.opening.get(uri));
    const since = Date.now();
    const attempt = (): void => {
      this.opening.delete(uri);
      const doc = this.latest(uri);
      // Nothing to do for a small text, or one parsed already (the workspace scan read the same text from disk).
      if (!doc || doc.text.length < STALE_MIN_CHARS || this.peek(uri, doc.text)) return;
      if (!this.busy(uri) && Date.now() - since < OPEN_PARSE_WAIT_MS) {
        this.opening.set(uri, unrefd(setTimeout(attempt, 10)));
        return;
      }
      this.parseAhead(doc);
    };
    this.opening.set(uri, unrefd(setTimeout(attempt, 0)));
  }

  /** The cached parse of `text` for `uri`, if that is the text cached (nothing is parsed). */
  peek(uri: string, text: string): ParsedDoc | undefined {
    const hit = this.parsed.get(uri);
    if (hit && hit.text === text) return hit.value;
    const next = this.next.get(uri);
    return next && next.text === text ? next.value : undefined;
  }

  /** A model for editor features: the current text's when cached or small, else the last one mapped across the edit. */
  view(doc: DocText): ModelView {
    const hit = this.parsed.get(doc.uri);
    if (hit && hit.key !== doc.key && doc.text.length >= STALE_MIN_CHARS && hit.text !== doc.text) {
      // Several requests come for one version (hover, then links, folding …): map once per version.
      const last = this.stale.get(doc.uri);
      if (last && last.key === doc.key && last.view.text === hit.text) {
        this.reparseSoon(doc.uri);
        return last.view;
      }
      const lines = this.linesOf(doc);
      const mapped = mapAcross(hit.text, doc.text, lines);
      if (mapped) {
        this.reparseSoon(doc.uri);
        const view: ModelView = { model: hit.value.model, text: hit.text, lines: mapped, current: { text: doc.text, lines }, fresh: false, textLines: hit.value.lines, edit: mapped.change };
        this.stale.set(doc.uri, { key: doc.key, view });
        return view;
      }
    }
    const value = this.get(doc);
    return { model: value.model, text: doc.text, lines: value.lines, current: { text: doc.text, lines: value.lines }, fresh: true, textLines: value.lines };
  }

  /** The document changed: parse it once the edits pause, so the next request finds it ready. */
  changed(uri: string): void {
    if (this.parsed.has(uri)) this.reparseSoon(uri);
  }

  /** (Re)starts the deferred parse: REPARSE_DELAY_MS from now, or sooner when the first postponement was REPARSE_MAX_WAIT_MS ago. */
  private reparseSoon(uri: string): void {
    const now = Date.now();
    const pending = this.timers.get(uri);
    const since = pending?.since ?? now;
    clearTimeout(pending?.timer);
    const wait = Math.max(0, Math.min(REPARSE_DELAY_MS, since + REPARSE_MAX_WAIT_MS - now));
    const timer = setTimeout(() => {
      // Its check about to come back: the diagnostics would wait for the parse. After it, then.
      if (wait > 0 && this.busy(uri)) {
        this.reparseSoon(uri);
        return;
      }
      this.timers.delete(uri);
      const doc = this.latest(uri);
      if (!doc || this.parsed.get(uri)?.key === doc.key || this.next.get(uri)?.key === doc.key) return;
      // Back to the parsed text (an undo): nothing to parse.
      if (this.parsed.get(uri)?.text === doc.text) this.get(doc);
      else this.parseAhead(doc);
    }, wait);
    timer.unref?.();
    this.timers.set(uri, { timer, since });
  }

  /** A document closed: its entry goes (the key would miss anyway; this frees the memory). */
  drop(uri: string): void {
    clearTimeout(this.timers.get(uri)?.timer);
    this.timers.delete(uri);
    clearTimeout(this.opening.get(uri));
    this.opening.delete(uri);
    this.parsed.delete(uri);
    this.next.delete(uri);
    this.stale.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const t of this.opening.values()) clearTimeout(t);
    this.opening.clear();
  }
}

/**
 * Positions of `now` ↔ offsets of `before`, through the text the two share at the start and the
 * end. Inside the changed region an offset maps to the region's start. Undefined when the region
 * is too large for the old model to be of use.
 */
export function mapAcross(before: string, now: string, nowLines: LineIndex): (LineIndex & { change: TextChange }) | undefined {
  const { prefix: p, suffix: s } = sharedEnds(before, now);
  const beforeEnd = before.length - s;
  const nowEnd = now.length - s;
  if (beforeEnd - p > STALE_MAX_CHANGE || nowEnd - p > STALE_MAX_CHANGE) return undefined;
  const delta = now.length - before.length;
  return new MappedLineIndex(nowLines, { start: p, endBefore: beforeEnd, endNow: nowEnd }, {
    toBefore: (o) => (o <= p ? o : o >= nowEnd ? o - delta : p),
    toNow: (o) => (o <= p ? o : o >= beforeEnd ? o + delta : Math.min(o, nowEnd)),
  });
}

/** A line index of the current text that takes and gives offsets of an earlier text. */
class MappedLineIndex extends LineIndex {
  constructor(private readonly nowLines: LineIndex, readonly change: TextChange, private readonly map: { toBefore(o: number): number; toNow(o: number): number }) {
    // The base class's own index is not used (nowLines answers); it is built over an empty text.
    super('');
  }

  override get lineCount(): number {
    return this.nowLines.lineCount;
  }

  override positionAt(offset: number): Position {
    return this.nowLines.positionAt(this.map.toNow(offset));
  }

  override offsetAt(pos: Position): number {
    return this.map.toBefore(this.nowLines.offsetAt(pos));
  }

  override lineStart(offset: number): number {
    return this.map.toBefore(this.nowLines.lineStart(this.map.toNow(offset)));
  }
}
