// The model's compact objects (issue 20): attributes, elements, actions and variables as parse.ts
// builds them. Each keeps its offsets as numbers and makes its spans when they are read (a fresh
// object on each read), and writes itself as JSON in the shape model/types.ts describes. A model of
// a 2 MB export held about 8 objects per variable and 3 per attribute before; see docs/performance.md.

import type { Attr, ElementSpans, Span, Step, Variable } from './types';

/** The attributes of every element written without any (frozen: shared). */
export const NO_ATTRS: Record<string, Attr> = Object.freeze({});

/**
 * An attribute as read from the source: its value and where it is written, its spans made when
 * asked. Issue 20: an attribute was three objects (itself and two spans), most of a model's objects
 * and of the garbage collector's work; the spans are read only where a finding or a feature points
 * at the attribute. The four offsets are kept as the name's start and one small integer holding
 * three lengths (`name="value"` is written within a few characters); an attribute too long for
 * that (a value of over 2,047 characters) keeps them as they are (WideAttr).
 */
abstract class ParsedAttr implements Attr {
  abstract readonly value: string;
  abstract readonly nameStart: number;
  abstract readonly nameEnd: number;
  abstract readonly valueStart: number;
  abstract readonly valueEnd: number;

  get span(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }

  get nameSpan(): Span {
    return { start: this.nameStart, end: this.nameEnd };
  }

  /** As JSON, the shape the Attr interface describes. */
  toJSON(): Attr {
    return { value: this.value, span: this.span, nameSpan: this.nameSpan };
  }
}

class SourceAttr extends ParsedAttr {
  constructor(
    readonly value: string,
    readonly nameStart: number,
    /** Name length (10 bits), gap from the name's end to the value (10 bits), value length (11 bits). */
    private readonly lengths: number,
  ) {
    super();
  }

  get nameEnd(): number {
    return this.nameStart + (this.lengths >>> 21);
  }

  get valueStart(): number {
    return this.nameEnd + ((this.lengths >>> 11) & 0x3ff);
  }

  get valueEnd(): number {
    return this.valueStart + (this.lengths & 0x7ff);
  }
}

/** An attribute whose lengths do not fit SourceAttr's packing. */
class WideAttr extends ParsedAttr {
  constructor(readonly value: string, readonly valueStart: number, readonly valueEnd: number, readonly nameStart: number, readonly nameEnd: number) {
    super();
  }
}

/** The attribute `value` whose name is at [nameStart, nameEnd) and value at [valueStart, valueEnd). */
export function attrAt(value: string, valueStart: number, valueEnd: number, nameStart: number, nameEnd: number): ParsedAttr {
  const n = nameEnd - nameStart;
  const g = valueStart - nameEnd;
  const v = valueEnd - valueStart;
  if (n >= 0 && n < 0x400 && g >= 0 && g < 0x400 && v >= 0 && v < 0x800) return new SourceAttr(value, nameStart, n * 0x200000 + g * 0x800 + v);
  return new WideAttr(value, valueStart, valueEnd, nameStart, nameEnd);
}

/** `a` written `delta` characters further on (model/incremental.ts moves what follows an edit). */
export function shiftAttr(a: Attr, delta: number): Attr {
  const v = a.span;
  const n = a.nameSpan;
  return attrAt(a.value, v.start + delta, v.end + delta, n.start + delta, n.end + delta);
}

/**
 * An element's offsets as read from its start tag (see Builder.attrs), its spans made when read.
 * Used as such for the parts the model keeps whole (a step's `<action>` and `<defaultVarList>`,
 * `<referenceList>`, …) and copied field by field into steps, groups and conditions.
 */
export class SourceElement implements ElementSpans {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly nameEnd: number,
    readonly startTagEnd: number,
    readonly endTagStart: number,
    readonly attrs: Record<string, Attr>,
  ) {}

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  get nameSpan(): Span {
    return { start: this.start + 1, end: this.nameEnd };
  }

  toJSON(): ElementSpans {
    return { span: this.span, nameSpan: this.nameSpan, startTagEnd: this.startTagEnd, endTagStart: this.endTagStart, attrs: this.attrs };
  }
}

/**
 * A step's `<action>`: its decoded text and element; the text's span is the element's content,
 * made when read (issue 20: one object fewer per step).
 */
export class SourceAction {
  constructor(readonly text: string, readonly element: ElementSpans) {}

  get span(): Span {
    const e = this.element;
    return { start: e.startTagEnd, end: e.endTagStart <= e.startTagEnd ? e.startTagEnd : e.endTagStart };
  }

  toJSON(): NonNullable<Step['action']> {
    return { text: this.text, span: this.span, element: this.element };
  }
}

/** A step's action of `text` in `element`. */
export function actionOf(text: string, element: ElementSpans): NonNullable<Step['action']> {
  return new SourceAction(text, element);
}

/** `e` with every offset passed through `at` (model/incremental.ts). */
export function movedElement(e: ElementSpans, at: (offset: number) => number, attrs: Record<string, Attr>): ElementSpans {
  const span = e.span;
  return new SourceElement(at(span.start), at(span.end), at(e.nameSpan.end), at(e.startTagEnd), at(e.endTagStart), attrs);
}

/**
 * A `<variable>`: most of a model's elements (eleven thousand in a 2 MB export). Issue 20: it was
 * eight objects (itself, three spans, an attribute record and two attributes with theirs); it is
 * now one. Its spans are made when read. Its `name` and `property` attributes, which is all the
 * console writes on a variable, are kept as one small integer each (where the attribute starts
 * after the element, and its gap and value lengths: 8, 8 and 15 bits) and made into Attr objects
 * when `attrs` is read (hover, completion, rename). A variable with any other attribute, or one
 * whose attributes do not fit the packing, keeps its attribute record.
 */
export class SourceVariable implements Variable {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly startTagEnd: number,
    readonly endTagStart: number,
    readonly name: string,
    readonly property: string | undefined,
    readonly value: string,
    /** The `name` attribute, packed (see packed), or -1 when there is none. */
    private readonly nameAttr: number,
    /** The same for `property`. */
    private readonly propAttr: number,
    /** The attribute record, when the variable has other attributes or they do not pack. */
    private readonly record: Record<string, Attr> | undefined,
  ) {}

  static of(e: SourceElement, value: string): SourceVariable {
    const a = e.attrs;
    let other = false;
    for (const k in a) if (k !== 'name' && k !== 'property') other = true;
    const n = a.name as ParsedAttr | undefined;
    const p = a.property as ParsedAttr | undefined;
    const nameAttr = n ? packed(e.start, n, 4) : -1;
    const propAttr = p ? packed(e.start, p, 8) : -1;
    const keep = other || nameAttr === -2 || propAttr === -2;
    return new SourceVariable(e.start, e.end, e.startTagEnd, e.endTagStart, n?.value ?? '', p?.value, value,
      keep ? -1 : nameAttr, keep ? -1 : propAttr, keep ? a : undefined);
  }

  /** `hidden="true"`: such a variable keeps its attribute record (a third attribute). */
  get hidden(): boolean {
    return this.record?.hidden?.value === 'true';
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  get nameSpan(): Span {
    // Only `<variable>` elements become variables.
    return { start: this.start + 1, end: this.start + 9 };
  }

  get valueSpan(): Span {
    return { start: this.startTagEnd, end: this.endTagStart <= this.startTagEnd ? this.startTagEnd : this.endTagStart };
  }

  get attrs(): Record<string, Attr> {
    if (this.record) return this.record;
    const out: Record<string, Attr> = {};
    const name = this.nameAttr >= 0 ? unpacked(this.start, this.nameAttr, 4, this.name) : undefined;
    const prop = this.propAttr >= 0 ? unpacked(this.start, this.propAttr, 8, this.property ?? '') : undefined;
    // In the order they are written, as the record was.
    if (prop && (!name || prop.nameStart < name.nameStart)) out.property = prop;
    if (name) out.name = name;
    if (prop && name && name.nameStart < prop.nameStart) out.property = prop;
    return out;
  }

  /** This variable with every offset passed through `at` (model/incremental.ts). */
  moved(at: (offset: number) => number, shiftAttrs: (a: Record<string, Attr>) => Record<string, Attr>): SourceVariable {
    // The packed attributes are relative to the start: a variable moves whole.
    return new SourceVariable(at(this.start), at(this.end), at(this.startTagEnd), at(this.endTagStart), this.name, this.property, this.value,
      this.nameAttr, this.propAttr, this.record && shiftAttrs(this.record));
  }

  /** As JSON, the shape the Variable interface describes (keys in the order the model always had). */
  toJSON(): Variable {
    return {
      span: this.span, nameSpan: this.nameSpan, startTagEnd: this.startTagEnd, endTagStart: this.endTagStart, attrs: this.attrs,
      name: this.name, property: this.property, hidden: this.hidden, value: this.value, valueSpan: this.valueSpan,
    };
  }
}

/** Attribute `a` of the element at `start`, whose name is `nameLength` long, as one integer; -2 when it does not fit. */
function packed(start: number, a: ParsedAttr, nameLength: number): number {
  const at = a.nameStart - start;
  const gap = a.valueStart - a.nameStart - nameLength;
  const len = a.valueEnd - a.valueStart;
  if (a.nameEnd - a.nameStart !== nameLength || at < 0 || at > 0xff || gap < 0 || gap > 0xff || len < 0 || len > 0x7fff) return -2;
  return at * 0x800000 + gap * 0x8000 + len;
}

function unpacked(start: number, p: number, nameLength: number, value: string): ParsedAttr {
  const nameStart = start + (p >>> 23);
  const valueStart = nameStart + nameLength + ((p >>> 15) & 0xff);
  return attrAt(value, valueStart, valueStart + (p & 0x7fff), nameStart, nameStart + nameLength);
}

/** `v` with every offset passed through `at`: a parsed variable keeps its compact form. */
export function movedVariable(v: Variable, at: (offset: number) => number, shiftAttrs: (a: Record<string, Attr>) => Record<string, Attr>): Variable {
  if (v instanceof SourceVariable) return v.moved(at, shiftAttrs);
  const span = v.span;
  const nameSpan = v.nameSpan;
  const valueSpan = v.valueSpan;
  return {
    span: { start: at(span.start), end: at(span.end) }, nameSpan: { start: at(nameSpan.start), end: at(nameSpan.end) }, startTagEnd: at(v.startTagEnd), endTagStart: at(v.endTagStart), attrs: shiftAttrs(v.attrs),
    name: v.name, property: v.property, hidden: v.hidden, value: v.value, valueSpan: { start: at(valueSpan.start), end: at(valueSpan.end) },
  };
}
