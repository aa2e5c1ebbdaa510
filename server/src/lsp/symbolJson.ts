// The outline (textDocument/documentSymbol) of a large sequence as JSON text, kept per model and
// redone only where an edit moved it (issue 20). On 2 MB the answer is 0.7 MB of JSON: building
// the symbols and writing them out took about 20 ms of the request thread on every version. While
// a large document is edited its model stays the last one parsed and only the positions move
// (workspace/models.ts: one changed region, the text before it shared, the text after it shifted),
// so each item's JSON is written once with the positions of the model's own text and, for a newer
// version, taken as it is (wholly before the change, or after it on a later line with no line
// added or removed), with its line numbers shifted (after it, lines added or removed), or written
// again (the items that hold the change, not their other children). The answer is a `RawJson`
// (lsp/rawJson.ts): the stdio writer sends its text as it is.

import type { OutlineItem } from '../features/symbols';
import type { LineIndex } from '../model/positions';
import type { ModelView } from '../workspace/models';
import { toDocumentSymbolHead } from './convert';

interface Node {
  /** The first and last offset any of its positions (and its children's) read. */
  start: number;
  end: number;
  item: OutlineItem;
  children: Node[];
  /** The whole symbol, children included, with the positions of the model's own text. */
  json: string;
}

/** One symbol's JSON up to its children's list, open (`{…,"children":[`), or the whole of it when it has none (as toDocumentSymbols writes it). */
function head(it: OutlineItem, lines: LineIndex): string {
  const h = JSON.stringify(toDocumentSymbolHead(it, lines));
  return it.children.length ? `${h.slice(0, -1)},"children":[` : h;
}

/** A symbol's JSON from its head and its children's JSON. */
function whole(it: OutlineItem, head: string, children: string[]): string {
  return it.children.length ? `${head}${children.join(',')}]}` : head;
}

function build(it: OutlineItem, lines: LineIndex): Node {
  const children = it.children.map((c) => build(c, lines));
  let start = Math.min(it.span.start, it.selection.start);
  let end = Math.max(it.span.end, it.selection.end);
  for (const c of children) {
    if (c.start < start) start = c.start;
    if (c.end > end) end = c.end;
  }
  return { start, end, item: it, children, json: whole(it, head(it, lines), children.map((c) => c.json)) };
}

/** Adds `by` to every line number of a symbol's JSON (names and details are JSON strings, where `"line":` cannot appear unescaped). */
function shiftLines(json: string, by: number): string {
  return json.replace(/"line":(\d+)/g, (_m, n: string) => `"line":${Number(n) + by}`);
}

/** The outline's JSON for one model, written once; `render` gives it for any version the model is seen through. */
export class OutlineJson {
  private readonly nodes: Node[];

  /** @param lines the line index of the model's own text. */
  constructor(items: OutlineItem[], private readonly lines: LineIndex) {
    this.nodes = items.map((it) => build(it, lines));
  }

  /** Whether these positions are those of `lines` (the text the model was parsed from). */
  sameText(lines: LineIndex): boolean {
    return lines === this.lines;
  }

  /** The JSON of the DocumentSymbol list of `view` (whose model these items are of). */
  render(view: Pick<ModelView, 'lines' | 'edit' | 'textLines' | 'current'>): string {
    if (view.textLines !== this.lines) throw new Error('OutlineJson: a view of another text');
    const edit = view.edit;
    if (!edit) return `[${this.nodes.map((n) => n.json).join(',')}]`;
    const base = this.lines;
    // Offsets before the change's start keep their positions; from the change's end on, positions on a
    // later line than the change's end move by `dLines` lines (the current text's line of the
    // change's end against the model text's); anything else is written again.
    const endLine = base.positionAt(edit.endBefore).line;
    const dLines = view.current.lines.positionAt(edit.endNow).line - endLine;
    const render = (n: Node): string => {
      if (n.end < edit.start) return n.json;
      if (n.start >= edit.endBefore && base.positionAt(n.start).line > endLine) return dLines === 0 ? n.json : shiftLines(n.json, dLines);
      return whole(n.item, head(n.item, view.lines), n.children.map(render));
    };
    return `[${this.nodes.map(render).join(',')}]`;
  }
}
