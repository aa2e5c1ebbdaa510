// Text → task sequence model. Never throws: whatever the input, it returns the model it could
// build and the problems it found. fast-xml-parser gives the element tree with start/end
// offsets; names, attribute values and text are then read back from the source so every node
// knows exactly where it is written. Entities: only the five predefined ones and numeric
// references are decoded; a DOCTYPE is never read or expanded.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type {
  Attr, Condition, ConditionExpression, ConditionNode, ConditionOperator, ElementSpans, Flavour, Group, Item,
  ParseProblem, ParseResult, Reference, Sequence, Span, Step, TaskSequenceModel, Variable, Wrapper, WrapperProperty,
  XmlComment,
} from './types';
import { LineIndex } from './positions';

/**
 * Deeper nesting than this is reported and not parsed: the console never writes more than a few
 * levels, and fast-xml-parser's time grows with the square of the depth.
 */
export const MAX_DEPTH = 256;

const META = XMLParser.getMetaDataSymbol() as unknown as string;
const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: true,
  captureMetaData: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  maxNestedTags: MAX_DEPTH,
} as const;

/** Element tree with absolute offsets, before interpretation. */
interface XNode {
  name: string;
  start: number;
  /** Exclusive end; for an unclosed element, the end of its parent. */
  end: number;
  children: XNode[];
}

interface RawNode {
  [key: string]: unknown;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseTaskSequence(text: string): ParseResult {
  const problems: ParseProblem[] = [];
  const empty: TaskSequenceModel = { flavour: 'sequence', mdt: false, comments: [], steps: [], groups: [], length: text.length };
  try {
    return new Builder(text, problems).build();
  } catch (e) {
    // A bug here must not take the editor down: report it on the first character.
    problems.push({ code: 'xml-syntax', message: `cmts could not read this file: ${e instanceof Error ? e.message : String(e)}`, span: { start: 0, end: Math.min(1, text.length) } });
    return { model: empty, problems };
  }
}

class Builder {
  private readonly steps: Step[] = [];
  private readonly groups: Group[] = [];
  private lines?: LineIndex;

  constructor(private readonly text: string, private readonly problems: ParseProblem[]) {}

  build(): ParseResult {
    const text = this.text;
    const comments = collectComments(text);
    this.validate(text, 0);
    this.checkDoctype();
    const roots = this.tree(text, 0);
    const model: TaskSequenceModel = { flavour: 'sequence', mdt: false, comments, steps: this.steps, groups: this.groups, length: text.length };
    const root = roots.find((n) => !n.name.startsWith('#'));
    if (!root) {
      this.problem(0, 'No XML element found: a task sequence export starts with <sequence>, <SmsTaskSequencePackage> or an object.xml <INSTANCE>.');
      return { model, problems: this.problems };
    }
    let seqNode: XNode | undefined;
    let flavour: Flavour = 'sequence';
    if (root.name === 'sequence') {
      seqNode = root;
    } else if (root.name === 'SmsTaskSequencePackage') {
      flavour = 'package-export';
      model.wrapper = this.packageExport(root);
      const data = root.children.find((c) => c.name === 'SequenceData');
      seqNode = data?.children.find((c) => c.name === 'sequence');
      if (!seqNode) this.problemAt(data ?? root, 'This package export has no <SequenceData><sequence> element: there is no task sequence to check.');
    } else if (root.name === 'INSTANCE' && this.attrs(root).attrs.CLASSNAME?.value === 'SMS_TaskSequencePackage') {
      flavour = 'object-xml';
      const r = this.objectXml(root);
      model.wrapper = r.wrapper;
      seqNode = r.sequence;
    } else {
      this.problemAt(root, `<${root.name}> is not a task sequence: expected <sequence>, <SmsTaskSequencePackage> or an object.xml <INSTANCE CLASSNAME="SMS_TaskSequencePackage">.`);
    }
    model.flavour = flavour;
    if (seqNode) {
      model.sequence = this.sequence(seqNode);
      model.mdt = model.sequence.name !== undefined || this.steps.some((s) => s.type === undefined || s.type.startsWith('BDD_'));
    }
    return { model, problems: this.problems };
  }

  // ---- problems -------------------------------------------------------------------------

  private problem(offset: number, message: string, end?: number): void {
    const start = Math.max(0, Math.min(offset, this.text.length));
    let stop = end ?? tokenEnd(this.text, start);
    if (stop <= start) stop = Math.min(this.text.length, start + 1);
    this.problems.push({ code: 'xml-syntax', message, span: { start, end: stop } });
  }

  private problemAt(node: XNode, message: string): void {
    const nameEnd = node.start + 1 + node.name.length;
    this.problem(node.start, message, nameEnd);
  }

  /** Well-formedness of `src` (the whole file, or the sequence inside object.xml's CDATA at `base`). */
  private validate(src: string, base: number): void {
    // The validator rejects a leading BOM-less comment before the declaration, which is right:
    // such a file is not well-formed XML, even though the engine may never see it.
    const r = XMLValidator.validate(src, { allowBooleanAttributes: false });
    if (r !== true) {
      const lines = base === 0 ? this.lineIndex() : new LineIndex(src);
      const off = base + lines.offsetAt({ line: r.err.line - 1, character: Math.max(0, r.err.col - 1) });
      this.problem(off, `XML is not well-formed: ${r.err.msg}`);
    }
  }

  private lineIndex(): LineIndex {
    return (this.lines ??= new LineIndex(this.text));
  }

  private checkDoctype(): void {
    const m = /<!DOCTYPE\b/i.exec(this.text);
    if (m) {
      const close = this.text.indexOf('>', m.index);
      this.problem(m.index, 'A DOCTYPE has no place in a task sequence export; cmts reads no external file and expands no entity it declares.', close < 0 ? undefined : close + 1);
    }
  }

  // ---- tree ------------------------------------------------------------------------------

  /** Element tree of `src`, offsets shifted by `base`. Bounded in depth (see MAX_DEPTH). */
  private tree(src: string, base: number): XNode[] {
    let raw: unknown;
    try {
      raw = new XMLParser(PARSER_OPTIONS).parse(src);
    } catch (e) {
      const deep = depthLimitOffset(src, MAX_DEPTH);
      if (deep >= 0) {
        this.problem(base + deep, `Elements are nested more than ${MAX_DEPTH} levels deep here; cmts reads the file up to this point.`);
        try {
          raw = new XMLParser(PARSER_OPTIONS).parse(src.slice(0, deep));
        } catch {
          return [];
        }
      } else {
        this.problem(base, `XML could not be read: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    }
    return convert(raw as RawNode[], base, base + src.length);
  }

  // ---- element parts, read from the source ------------------------------------------------

  private attrs(node: XNode): ElementSpans {
    const text = this.text;
    const nameStart = node.start + 1;
    const nameEnd = nameStart + node.name.length;
    const attrs: Record<string, Attr> = {};
    let i = nameEnd;
    let selfClosing = false;
    const limit = node.end;
    for (;;) {
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      if (i >= limit) break;
      const c = text[i];
      if (c === '>') { i++; break; }
      if (c === '/' && text[i + 1] === '>') { selfClosing = true; i += 2; break; }
      const aStart = i;
      while (i < limit && !isSpace(text.charCodeAt(i)) && text[i] !== '=' && text[i] !== '>' && text[i] !== '/') i++;
      const aName = text.slice(aStart, i);
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      if (text[i] !== '=' || aName === '') {
        // Malformed attribute (the validator reported it): skip to the end of the tag.
        const gt = text.indexOf('>', i);
        i = gt < 0 || gt >= limit ? limit : gt + 1;
        selfClosing = text[i - 2] === '/';
        break;
      }
      i++;
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      const q = text[i];
      if (q !== '"' && q !== "'") {
        const gt = text.indexOf('>', i);
        i = gt < 0 || gt >= limit ? limit : gt + 1;
        break;
      }
      const vStart = i + 1;
      let vEnd = text.indexOf(q, vStart);
      if (vEnd < 0 || vEnd > limit) vEnd = limit;
      if (!(aName in attrs)) {
        attrs[aName] = { value: this.decode(vStart, vEnd), span: { start: vStart, end: vEnd }, nameSpan: { start: aStart, end: aStart + aName.length } };
      }
      i = vEnd + 1;
    }
    const startTagEnd = Math.min(i, node.end);
    let endTagStart = node.end;
    if (!selfClosing) {
      const close = text.lastIndexOf('</', node.end - 1);
      if (close >= startTagEnd && text.startsWith(node.name, close + 2)) endTagStart = close;
    }
    return { span: { start: node.start, end: node.end }, nameSpan: { start: nameStart, end: nameEnd }, startTagEnd, endTagStart, attrs };
  }

  /** Decoded text between two offsets: entities decoded, CDATA kept literally, comments dropped. */
  private decode(start: number, end: number): string {
    const text = this.text;
    let amp = text.indexOf('&', start);
    let lt = text.indexOf('<', start);
    if ((amp < 0 || amp >= end) && (lt < 0 || lt >= end)) return text.slice(start, end);
    let out = '';
    let i = start;
    while (i < end) {
      if (amp >= 0 && amp < i) amp = text.indexOf('&', i);
      if (lt >= 0 && lt < i) lt = text.indexOf('<', i);
      const next = Math.min(amp < 0 || amp >= end ? end : amp, lt < 0 || lt >= end ? end : lt);
      out += text.slice(i, next);
      i = next;
      if (i >= end) break;
      if (text[i] === '&') {
        const semi = text.indexOf(';', i);
        const ref = semi > i && semi - i <= 12 && semi < end ? text.slice(i + 1, semi) : undefined;
        const decoded = ref === undefined ? undefined : decodeEntity(ref);
        if (decoded === undefined) {
          this.problem(i, ref === undefined ? 'A bare "&" must be written &amp;.' : `Unknown entity &${ref};: task sequence exports use only &amp; &lt; &gt; &quot; &apos; and numeric references.`, ref === undefined ? i + 1 : semi + 1);
          out += '&';
          i++;
        } else {
          out += decoded;
          i = semi + 1;
        }
      } else if (text.startsWith('<![CDATA[', i)) {
        const close = text.indexOf(']]>', i + 9);
        const stop = close < 0 || close > end ? end : close;
        out += text.slice(i + 9, stop);
        i = stop + 3;
      } else if (text.startsWith('<!--', i)) {
        const close = text.indexOf('-->', i + 4);
        i = close < 0 || close > end ? end : close + 3;
      } else {
        // Child markup inside a text-only element: keep it as written.
        out += '<';
        i++;
      }
    }
    return out;
  }

  private textOf(_node: XNode, e: ElementSpans): { text: string; span: Span } {
    if (e.endTagStart <= e.startTagEnd) return { text: '', span: { start: e.startTagEnd, end: e.startTagEnd } };
    return { text: this.decode(e.startTagEnd, e.endTagStart), span: { start: e.startTagEnd, end: e.endTagStart } };
  }

  // ---- interpretation ------------------------------------------------------------------

  private sequence(node: XNode): Sequence {
    const e = this.attrs(node);
    const seq: Sequence = {
      ...e,
      version: e.attrs.version?.value,
      name: e.attrs.name?.value,
      description: e.attrs.description?.value,
      children: [],
      references: [],
      globalVariables: [],
    };
    for (const c of node.children) {
      switch (c.name) {
        case 'referenceList':
          seq.referenceList = this.attrs(c);
          for (const r of c.children) if (r.name === 'reference') seq.references.push(this.reference(r));
          break;
        case 'globalVarList':
          seq.globalVarList = this.attrs(c);
          for (const v of c.children) if (v.name === 'variable') seq.globalVariables.push(this.variable(v));
          break;
        case 'group':
        case 'step':
        case 'subtasksequence':
          seq.children.push(this.item(c, undefined, 0));
          break;
        default:
          break;
      }
    }
    return seq;
  }

  private reference(node: XNode): Reference {
    const e = this.attrs(node);
    return { ...e, package: e.attrs.package, application: e.attrs.application, program: e.attrs.program };
  }

  private variable(node: XNode): Variable {
    const e = this.attrs(node);
    const t = this.textOf(node, e);
    return {
      ...e,
      name: e.attrs.name?.value ?? '',
      property: e.attrs.property?.value,
      hidden: e.attrs.hidden?.value === 'true',
      value: t.text,
      valueSpan: t.span,
    };
  }

  private item(node: XNode, parent: Group | undefined, depth: number): Item {
    const e = this.attrs(node);
    const base = {
      ...e,
      name: e.attrs.name?.value ?? '',
      description: e.attrs.description?.value ?? '',
      disabled: e.attrs.disable?.value === 'true',
      continueOnError: e.attrs.continueOnError?.value === 'true',
      parent,
      depth,
    };
    if (node.name === 'group') {
      const group: Group = { ...base, kind: 'group', children: [] };
      this.groups.push(group);
      for (const c of node.children) {
        if (c.name === 'condition') group.condition ??= this.condition(c);
        else if (c.name === 'group' || c.name === 'step' || c.name === 'subtasksequence') group.children.push(this.item(c, group, depth + 1));
      }
      return group;
    }
    const step: Step = {
      ...base,
      kind: 'step',
      element: node.name === 'subtasksequence' ? 'subtasksequence' : 'step',
      type: e.attrs.type?.value,
      runIn: e.attrs.runIn?.value,
      variables: [],
      number: this.steps.length + 1,
    };
    this.steps.push(step);
    for (const c of node.children) {
      switch (c.name) {
        case 'condition':
          step.condition ??= this.condition(c);
          break;
        case 'expression':
        case 'operator':
          // MDT oddity: an expression straight under <step>, no <condition> around it.
          step.condition ??= { ...this.attrs(c), children: [this.conditionNode(c)], implicit: true };
          break;
        case 'action': {
          const a = this.attrs(c);
          const t = this.textOf(c, a);
          step.action = { text: t.text, span: t.span, element: a };
          break;
        }
        case 'defaultVarList':
          step.varList = this.attrs(c);
          for (const v of c.children) if (v.name === 'variable') step.variables.push(this.variable(v));
          break;
        default:
          break;
      }
    }
    return step;
  }

  private condition(node: XNode): Condition {
    const children: ConditionNode[] = [];
    for (const c of node.children) if (c.name === 'expression' || c.name === 'operator') children.push(this.conditionNode(c));
    return { ...this.attrs(node), children, implicit: false };
  }

  private conditionNode(node: XNode): ConditionNode {
    const e = this.attrs(node);
    if (node.name === 'operator') {
      const op: ConditionOperator = { ...e, kind: 'operator', type: e.attrs.type?.value ?? '', children: [] };
      for (const c of node.children) if (c.name === 'expression' || c.name === 'operator') op.children.push(this.conditionNode(c));
      return op;
    }
    const ex: ConditionExpression = { ...e, kind: 'expression', type: e.attrs.type?.value ?? '', parameters: [] };
    for (const c of node.children) if (c.name === 'variable') ex.parameters.push(this.variable(c));
    return ex;
  }

  // ---- wrappers ----------------------------------------------------------------------------

  private packageExport(root: XNode): Wrapper {
    const w: Wrapper = { ...this.attrs(root), properties: {}, references: [] };
    for (const c of root.children) {
      if (c.name === 'SequenceData' || c.name.startsWith('#')) continue;
      const e = this.attrs(c);
      const t = this.textOf(c, e);
      w.properties[c.name] = { name: c.name, value: t.text, span: t.span, element: e };
    }
    return w;
  }

  private property(node: XNode): WrapperProperty | undefined {
    const e = this.attrs(node);
    const name = e.attrs.NAME?.value;
    if (!name) return undefined;
    const value = node.children.find((c) => c.name === 'VALUE');
    if (!value) return { name, value: '', span: { start: e.startTagEnd, end: e.startTagEnd }, element: e };
    const ve = this.attrs(value);
    const t = this.textOf(value, ve);
    return { name, value: t.text, span: t.span, element: e };
  }

  private objectXml(root: XNode): { wrapper: Wrapper; sequence?: XNode } {
    const w: Wrapper = { ...this.attrs(root), properties: {}, references: [] };
    let sequence: XNode | undefined;
    for (const c of root.children) {
      if (c.name === 'PROPERTY') {
        const p = this.property(c);
        if (p) w.properties[p.name] = p;
      } else if (c.name === 'PROPERTY.OBJECTARRAY' && this.attrs(c).attrs.NAME?.value === 'References') {
        for (const inst of descendants(c, 'INSTANCE')) {
          const props: Record<string, WrapperProperty> = {};
          for (const p of inst.children) {
            if (p.name !== 'PROPERTY') continue;
            const wp = this.property(p);
            if (wp) props[wp.name] = wp;
          }
          if (props.Package) w.references.push({ package: props.Package, program: props.Program, type: props.Type });
        }
      }
    }
    const seqProp = w.properties.Sequence;
    if (!seqProp) {
      this.problemAt(root, 'This object.xml has no Sequence property: there is no task sequence to check.');
      return { wrapper: w };
    }
    const open = this.text.indexOf('<![CDATA[', seqProp.span.start);
    if (open >= 0 && open < seqProp.span.end) {
      const innerStart = open + 9;
      let innerEnd = this.text.indexOf(']]>', innerStart);
      if (innerEnd < 0 || innerEnd > seqProp.span.end) innerEnd = seqProp.span.end;
      const inner = this.text.slice(innerStart, innerEnd);
      this.validate(inner, innerStart);
      sequence = this.tree(inner, innerStart).find((n) => n.name === 'sequence');
    } else if (seqProp.value.trim() !== '') {
      // Escaped XML instead of CDATA: offsets inside cannot map back one to one.
      this.problem(seqProp.span.start, 'The Sequence property is not a CDATA section; cmts reads task sequences in object.xml only from CDATA, as the console writes them.', seqProp.span.end);
    }
    if (!sequence) this.problem(seqProp.span.start, 'The Sequence property holds no <sequence> element.', seqProp.span.end);
    return { wrapper: w, sequence };
  }
}

// ---- helpers (pure) --------------------------------------------------------------------------

function convert(raw: RawNode[], base: number, parentEnd: number): XNode[] {
  // Iterative: depth is bounded by MAX_DEPTH, but a stack keeps us off the call stack anyway.
  const out: XNode[] = [];
  const work: { list: RawNode[]; into: XNode[]; end: number }[] = [{ list: raw, into: out, end: parentEnd }];
  while (work.length) {
    const { list, into, end } = work.pop()!;
    for (const r of list) {
      const name = Object.keys(r).find((k) => k !== ':@');
      if (!name || name.startsWith('#') || name.startsWith('?') || name.startsWith('!')) continue;
      const meta = r[META] as { startIndex?: number; endIndex?: number } | undefined;
      if (!meta || meta.startIndex === undefined) continue;
      const node: XNode = { name, start: base + meta.startIndex, end: meta.endIndex === undefined ? end : base + meta.endIndex, children: [] };
      into.push(node);
      const kids = r[name];
      if (Array.isArray(kids) && kids.length) work.push({ list: kids as RawNode[], into: node.children, end: node.end });
    }
  }
  return out;
}

function descendants(node: XNode, name: string): XNode[] {
  const out: XNode[] = [];
  const stack = [...node.children];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.name === name) out.push(n);
    else stack.unshift(...n.children);
  }
  return out;
}

function collectComments(text: string): XmlComment[] {
  const out: XmlComment[] = [];
  let i = text.indexOf('<!--');
  while (i >= 0) {
    const close = text.indexOf('-->', i + 4);
    const end = close < 0 ? text.length : close + 3;
    out.push({ text: text.slice(i + 4, close < 0 ? text.length : close), span: { start: i, end } });
    i = text.indexOf('<!--', end);
  }
  return out;
}

function decodeEntity(ref: string): string | undefined {
  if (ref in PREDEFINED) return PREDEFINED[ref];
  let code: number | undefined;
  if (/^#x[0-9a-fA-F]+$/.test(ref)) code = parseInt(ref.slice(2), 16);
  else if (/^#[0-9]+$/.test(ref)) code = parseInt(ref.slice(1), 10);
  if (code === undefined || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) return undefined;
  return String.fromCodePoint(code);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** End of the token at `offset`, for a problem's range: up to the next '>' or the end of the line. */
function tokenEnd(text: string, offset: number): number {
  let i = offset;
  const max = Math.min(text.length, offset + 200);
  while (i < max) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
    if (c === 62 /* > */) break;
  }
  return i;
}

/**
 * Offset of the first start tag that would be nested deeper than `max`, or -1. A plain scan of
 * tags (comments, CDATA, declarations and processing instructions skipped), linear in the text.
 */
export function depthLimitOffset(src: string, max: number): number {
  let depth = 0;
  let i = src.indexOf('<');
  while (i >= 0 && i < src.length) {
    if (src.startsWith('<!--', i)) {
      const c = src.indexOf('-->', i + 4);
      if (c < 0) return -1;
      i = src.indexOf('<', c + 3);
      continue;
    }
    if (src.startsWith('<![CDATA[', i)) {
      const c = src.indexOf(']]>', i + 9);
      if (c < 0) return -1;
      i = src.indexOf('<', c + 3);
      continue;
    }
    const gt = src.indexOf('>', i);
    if (gt < 0) return -1;
    const c1 = src[i + 1];
    if (c1 === '/') depth--;
    else if (c1 !== '?' && c1 !== '!' && src[gt - 1] !== '/') {
      depth++;
      if (depth > max) return i;
    }
    i = src.indexOf('<', gt + 1);
  }
  return -1;
}
