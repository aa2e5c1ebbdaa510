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
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
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

/** The line ending the document mostly uses (quick fixes insert with it). */
export function lineEnding(text: string): '\r\n' | '\n' {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  return crlf >= 0 && crlf <= lf - 1 ? '\r\n' : '\n';
}
