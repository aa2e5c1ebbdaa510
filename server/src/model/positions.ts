// Offsets ↔ line/character for a document text. Offsets count UTF-16 code units (JavaScript
// string indices), which is what LSP positions use; the CLI prints them 1-based.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 offset within the line. */
  character: number;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    // indexOf scans natively: several times faster than a charCodeAt loop on large documents
    // (the server indexes every document it reports, up to the 16 MB check limit and beyond).
    let n = text.indexOf('\n');
    let r = text.indexOf('\r');
    while (n >= 0 || r >= 0) {
      if (r >= 0 && (n < 0 || r < n)) {
        const end = text.charCodeAt(r + 1) === 10 ? r + 2 : r + 1;
        starts.push(end);
        if (n === r + 1) n = text.indexOf('\n', end);
        r = text.indexOf('\r', end);
      } else {
        starts.push(n + 1);
        n = text.indexOf('\n', n + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line];
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + pos.character, next));
  }

  /** Offset of the start of the line holding `offset`. */
  lineStart(offset: number): number {
    return this.starts[this.positionAt(offset).line];
  }
}

/**
 * The document's line ending, as its first line break is written (quick fixes insert with it):
 * CRLF, LF, or CR alone (classic Mac files, which LineIndex also splits on). LF when it has none.
 */
export function lineEnding(text: string): '\r\n' | '\n' | '\r' {
  const m = /\r\n?|\n/.exec(text);
  return m ? (m[0] as '\r\n' | '\n' | '\r') : '\n';
}
