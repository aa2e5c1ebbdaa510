// Text → task sequence model. Never throws: whatever the input, it returns the model it could
// build and the problems it found. fast-xml-parser gives the element tree with start/end
// offsets; names, attribute values and text are then read back from the source so every node
// knows exactly where it is written. Entities: only the five predefined ones and numeric
// references are decoded; a DOCTYPE is never read or expanded. Speed matters (docs/performance.md):
// model objects are built with fixed shapes, no spreads, and the validator runs only on text that
// is not plainly well-formed (see plainlyWellFormed).

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type {
  Attr, Condition, ConditionExpression, ConditionNode, ConditionOperator, ElementSpans, Flavour, Group, Item,
  ParseProblem, ParseResult, Reference, Sequence, Span, Step, TaskSequenceModel, Variable, Wrapper, WrapperProperty,
  XmlComment,
} from './types';
import { LineIndex } from './positions';
import { scanProlog } from './sniff';
import { codePointName, forbiddenCharacters, plainlyWellFormed, type ScanFacts } from './wellFormed';
import { markupEnd, shortenLongText } from './longText';
import { attrAt, NO_ATTRS, SourceAction, SourceElement, SourceVariable } from './nodes';

/**
 * Deeper nesting than this is reported and not parsed: the console never writes more than a few
 * levels, and fast-xml-parser's time grows with the square of the depth.
 */
export const MAX_DEPTH = 256;

/**
 * Hostile-input bound (issue 9): at most this many problems are reported per document, then one
 * saying so. A megabyte of bare '&' would otherwise make a million diagnostics (and overflowed the
 * stack when they were copied with a spread).
 */
export const MAX_PROBLEMS = 1000;

const META = XMLParser.getMetaDataSymbol() as unknown as string;
/** The options parse.ts gives fast-xml-parser (exported for the benchmark's "bare parse" baseline). */
export const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: true,
  captureMetaData: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  // We take only element names and offsets from the parser: trimming drops the whitespace-only
  // text nodes (half the nodes of an indented export) and no comment nodes are built at all.
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  cdataPropName: '#cdata',
  maxNestedTags: MAX_DEPTH,
  // No callback of ours reads the element path: without this the parser joins the path of every
  // element and text node into a string (issue 20: 2 % of a check at 8 MB).
  jPath: false,
} as const;

/**
 * The options for a text the well-formedness scan vouched for: variables and command lines hold
 * text only (read again from the source by decode), so the parser reads each as raw text to its
 * closing tag instead of parsing its content, and a step's variable list likewise, whose variables
 * the Builder finds itself (childElements): issue 20, a third of the parser's time on 8 MB of real
 * steps. Only then: in a text whose closing tags may be broken, that reading runs on to the end
 * and the parser gives up, where without it the steps before the break are still read.
 */
const WELL_FORMED_OPTIONS = { ...PARSER_OPTIONS, stopNodes: ['*.defaultVarList', '*.variable', '*.action'] };

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

/** Values up to this length are shared (Builder.shared), in a table of SHARED_SLOTS. */
const SHARED_VALUE_MAX = 64;
const SHARED_SLOTS = 4096;

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

/** What `parseItemAt` read: the item, its steps and groups in document order, and any problem. */
export interface ItemFragment {
  item?: Item;
  steps: Step[];
  groups: Group[];
  problems: ParseProblem[];
}

/**
 * Reads the one `<step>`, `<subtasksequence>` or `<group>` written at [start, end) of `text`, as
 * the whole-document parse would read it in that place (model/incremental.ts, issue 20): under
 * `parent` at `depth`, its steps numbered after `stepsBefore` others. No item when the range is
 * not exactly one such element; the caller parses the whole text then, as it must on any problem.
 */
export function parseItemAt(text: string, start: number, end: number, parent: Group | undefined, depth: number, stepsBefore: number): ItemFragment {
  const problems: ParseProblem[] = [];
  const b = new Builder(text, problems);
  try {
    const item = b.itemAt(start, end, parent, depth, stepsBefore);
    return { item, steps: b.stepsRead, groups: b.groupsRead, problems };
  } catch {
    return { steps: [], groups: [], problems };
  }
}

class Builder {
  private readonly steps: Step[] = [];
  private readonly groups: Group[] = [];
  private lines?: LineIndex;
  /** The longest text run of each text the well-formedness scan vouched for, by its base offset. */
  private readonly widestText = new Map<number, number>();
  /** The first '&' at or after ampFrom, and the first '<' at or after ltFrom (-1: none), for decode. */
  private ampAt = -1;
  /** The last tree was read with variable lists raw (see tree). */
  private rawVarLists = false;
  private ampFrom = Infinity;
  private ltAt = -1;
  private ltFrom = Infinity;
  /** Short values read so far, by a hash of their characters (see shared). */
  private values?: (string | undefined)[];
  /** Problems already reported, by start and message: some elements are read twice (root, implicit conditions). */
  private readonly reported = new Set<string>();
  /** Steps before the first one this builder reads (a fragment's, parseItemAt). */
  private stepBase = 0;

  constructor(private readonly text: string, private readonly problems: ParseProblem[]) {}

  build(): ParseResult {
    const text = this.text;
    const comments = collectComments(text);
    // The DOCTYPE is blanked out (line breaks kept, so offsets and lines stay) before the validator
    // and the parser see it: they would otherwise read its entity declarations, and fast-xml-parser
    // throws on an external one, which lost the whole model.
    const doctype = scanProlog(text).doctype;
    const src = doctype ? text.slice(0, doctype.start) + text.slice(doctype.start, doctype.end).replace(/[^\r\n]/g, ' ') + text.slice(doctype.end) : text;
    if (doctype) this.problem(doctype.start, 'A DOCTYPE has no place in a task sequence export; cmts reads no external file and expands no entity it declares.', doctype.end);
    this.validate(src, 0);
    const roots = this.tree(src, 0);
    const model: TaskSequenceModel = { flavour: 'sequence', mdt: false, comments, steps: this.steps, groups: this.groups, length: text.length };
    const root = roots.find((n) => !n.name.startsWith('#'));
    if (!root) {
      this.problem(0, 'No XML element found: a task sequence export starts with <sequence>, <SmsTaskSequencePackage> or an object.xml <INSTANCE>.');
      return { model, problems: this.dedupe() };
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
      this.problemAt(root, `<${clip(root.name, 60)}> is not a task sequence: expected <sequence>, <SmsTaskSequencePackage> or an object.xml <INSTANCE CLASSNAME="SMS_TaskSequencePackage">.`);
    }
    model.flavour = flavour;
    if (seqNode) {
      model.sequence = this.sequence(seqNode);
      model.mdt = model.sequence.name !== undefined || this.steps.some((s) => s.type === undefined || s.type.startsWith('BDD_'));
    }
    return { model, problems: this.dedupe() };
  }

  get stepsRead(): Step[] {
    return this.steps;
  }

  get groupsRead(): Group[] {
    return this.groups;
  }

  /** See parseItemAt. */
  itemAt(start: number, end: number, parent: Group | undefined, depth: number, stepsBefore: number): Item | undefined {
    const src = this.text.slice(start, end);
    this.validate(src, start);
    if (this.problems.length) return undefined;
    const roots = this.tree(src, start);
    const r = roots.length === 1 ? roots[0] : undefined;
    if (!r || r.start !== start || r.end !== end || (r.name !== 'step' && r.name !== 'subtasksequence' && r.name !== 'group')) return undefined;
    this.stepBase = stepsBefore;
    return this.item(r, parent, depth);
  }

  /** One problem per position: a bare '&' is seen by both the validator and the decoder. */
  private dedupe(): ParseProblem[] {
    const seen = new Set<number>();
    const out = this.problems.filter((p) => !seen.has(p.span.start) && (seen.add(p.span.start), true));
    // A loop, not push(...out): a spread of many thousands of arguments overflows the stack.
    this.problems.length = 0;
    for (const p of out) this.problems.push(p);
    return this.problems;
  }

  // ---- problems -------------------------------------------------------------------------

  private problem(offset: number, message: string, end?: number): void {
    // Past the cap nothing more is looked at (a megabyte of bare '&' would fill `reported` too).
    if (this.reported.size > MAX_PROBLEMS) return;
    const start = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let stop = end ?? tokenEnd(this.text, start);
    if (stop <= start) stop = Math.min(this.text.length, start + 1);
    const key = `${start}:${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    if (this.reported.size > MAX_PROBLEMS) {
      this.problems.push({ code: 'xml-syntax', message: `More than ${MAX_PROBLEMS} XML problems; cmts reports only the first ${MAX_PROBLEMS}.`, span: { start, end: stop } });
      return;
    }
    this.problems.push({ code: 'xml-syntax', message: clip(message, 500), span: { start, end: stop } });
  }

  private problemAt(node: XNode, message: string): void {
    const nameEnd = node.start + 1 + node.name.length;
    this.problem(node.start, message, nameEnd);
  }

  /** Well-formedness of `src` (the whole file, or the sequence inside object.xml's CDATA at `base`). */
  private validate(src: string, base: number): void {
    // The validator rejects a leading BOM-less comment before the declaration, which is right:
    // such a file is not well-formed XML, even though the engine may never see it.
    // It costs about as much as the parse itself, and almost every file is well-formed: a plain
    // scan first, the validator only for what the scan does not vouch for (it reports the error).
    // The validator accepts characters XML forbids (issue 21): each one is reported where it is.
    for (const at of forbiddenCharacters(src, MAX_PROBLEMS)) {
      this.problem(base + at, `XML is not well-formed: the character ${codePointName(src, at)} is not allowed in an XML document (not in text, attribute values, comments or CDATA); remove it.`, base + at + 1);
    }
    const facts: ScanFacts = { widestText: 0 };
    if (plainlyWellFormed(src, facts)) {
      this.widestText.set(base, facts.widestText);
      return;
    }
    const r = XMLValidator.validate(src, { allowBooleanAttributes: false });
    if (r === true) return;
    const msg = r.err.msg;
    if (msg.startsWith('Unclosed tag') || msg.startsWith("Invalid '[")) {
      // The validator puts these at the root with a list of tag names; the place to show is the
      // innermost element still open at the end, or the comment, CDATA or tag the file ends in.
      const scan = scanMarkup(src, Infinity);
      if (scan.unterminated >= 0) {
        this.problem(base + scan.unterminated, unterminatedMessage(src, scan.unterminated));
        return;
      }
      const open = scan.open[scan.open.length - 1];
      if (open !== undefined) {
        const name = /^<([^\s/>]*)/.exec(src.slice(open, open + 200))?.[1] ?? '';
        this.problem(base + open, `XML is not well-formed: <${name}> is never closed.`, base + open + 1 + name.length);
        return;
      }
    }
    // line/col are missing for an empty document.
    const line = Number.isFinite(r.err.line) ? r.err.line - 1 : 0;
    const col = Number.isFinite(r.err.col) ? r.err.col - 1 : 0;
    const lines = base === 0 ? this.lineIndex() : new LineIndex(src);
    let off = lines.offsetAt({ line, character: Math.max(0, col) });
    // A misplaced declaration is reported just after `<?xml`; show the declaration itself.
    if (src.startsWith('<?xml', off - 5)) off -= 5;
    this.problem(base + off, `XML is not well-formed: ${msg}`);
  }

  private lineIndex(): LineIndex {
    return (this.lines ??= new LineIndex(this.text));
  }

  // ---- tree ------------------------------------------------------------------------------

  /** Element tree of `src`, offsets shifted by `base`. Bounded in depth (see MAX_DEPTH). */
  private tree(src: string, base: number): XNode[] {
    let raw: unknown;
    // The parser reads variable lists raw in a text the scan vouched for (WELL_FORMED_OPTIONS);
    // the interpretation that follows this tree then finds their variables itself.
    this.rawVarLists = this.widestText.get(base) !== undefined;
    try {
      raw = parseXml(src, this.widestText.get(base));
    } catch (e) {
      // Too deep, or the text ends inside a tag, comment or CDATA section (a truncated file):
      // read what comes before that point, so the steps before it still get checked.
      const scan = scanMarkup(src, MAX_DEPTH);
      const cut = scan.deep >= 0 ? scan.deep : scan.unterminated;
      if (scan.deep >= 0) this.problem(base + cut, `Elements are nested more than ${MAX_DEPTH} levels deep here; cmts reads the file up to this point.`);
      else if (cut >= 0) this.problem(base + cut, unterminatedMessage(src, cut));
      else {
        this.problem(base, `XML could not be read: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
      this.rawVarLists = false;
      try {
        raw = parseXml(src.slice(0, cut));
      } catch {
        return [];
      }
    }
    return convert(raw as RawNode[], base, base + src.length);
  }

  // ---- element parts, read from the source ------------------------------------------------

  private attrs(node: XNode): SourceElement {
    const text = this.text;
    const nameStart = node.start + 1;
    const nameEnd = nameStart + node.name.length;
    // Most elements have no attribute (an action, a variable list, a condition): they share one record.
    let attrs: Record<string, Attr> | undefined;
    let i = nameEnd;
    let selfClosing = false;
    const limit = node.end;
    for (;;) {
      let c = text.charCodeAt(i);
      while (i < limit && isSpace(c)) c = text.charCodeAt(++i);
      if (i >= limit) break;
      if (c === 62 /* > */) { i++; break; }
      if (c === 47 /* / */ && text.charCodeAt(i + 1) === 62) { selfClosing = true; i += 2; break; }
      const aStart = i;
      while (i < limit && !isSpace(c) && c !== 61 /* = */ && c !== 62 && c !== 47) c = text.charCodeAt(++i);
      const aEnd = i;
      while (i < limit && isSpace(c)) c = text.charCodeAt(++i);
      if (c !== 61 || aEnd === aStart) {
        // Malformed attribute (the validator reported it): skip to the end of the tag.
        const gt = text.indexOf('>', i);
        i = gt < 0 || gt >= limit ? limit : gt + 1;
        selfClosing = text.charCodeAt(i - 2) === 47;
        break;
      }
      c = text.charCodeAt(++i);
      while (i < limit && isSpace(c)) c = text.charCodeAt(++i);
      if (c !== 34 /* " */ && c !== 39 /* ' */) {
        const gt = text.indexOf('>', i);
        i = gt < 0 || gt >= limit ? limit : gt + 1;
        break;
      }
      const vStart = i + 1;
      let vEnd = text.indexOf(c === 34 ? '"' : "'", vStart);
      if (vEnd < 0 || vEnd > limit) vEnd = limit;
      const aName = attrName(text, aStart, aEnd);
      // Own properties only (an attribute named "constructor" is an attribute); "__proto__" would
      // replace the object's prototype, and no task sequence attribute is called that.
      if (!(attrs && Object.hasOwn(attrs, aName)) && aName !== '__proto__') {
        (attrs ??= {})[aName] = attrAt(this.decode(vStart, vEnd), vStart, vEnd, aStart, aEnd);
      }
      i = vEnd + 1;
    }
    const startTagEnd = i < node.end ? i : node.end;
    let endTagStart = node.end;
    if (!selfClosing) {
      const close = text.lastIndexOf('</', node.end - 1);
      if (close >= startTagEnd && text.startsWith(node.name, close + 2)) endTagStart = close;
    }
    return new SourceElement(node.start, node.end, nameEnd, startTagEnd, endTagStart, attrs ?? NO_ATTRS);
  }

  /**
   * The text in [start, end), short and with no markup or reference: the equal string read before
   * when there is one. A short slice of the text is a copy (V8 shares the characters only of slices
   * of 13 characters or more, and then as a 32-byte object), and exports repeat the same short
   * values thousands of times (`true`, `CommandLine`, a package ID): issue 20, a third of the
   * strings a model held. A table of SHARED_SLOTS strings by a hash of their characters, compared
   * in place, so a value seen before makes no new string at all; a slot's last value wins.
   */
  private shared(start: number, end: number): string {
    const text = this.text;
    let h = end - start;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    const slot = (h ^ (h >>> 15)) & (SHARED_SLOTS - 1);
    const table = (this.values ??= new Array<string | undefined>(SHARED_SLOTS));
    const known = table[slot];
    if (known !== undefined && known.length === end - start && text.startsWith(known, start)) return known;
    const s = text.slice(start, end);
    table[slot] = s;
    return s;
  }

  /** Decoded text between two offsets: entities decoded, CDATA kept literally, comments dropped. */
  private decode(start: number, end: number): string {
    const text = this.text;
    // Fast path: most values have no markup or entity. indexOf finds them far faster than a loop
    // over the characters, but must not run on to the end of the document for every value
    // (quadratic on big files): the next '&' and the next '<' are remembered, and looked for again
    // only once the reading passes them or goes back (values are read in document order).
    if (start < this.ampFrom || (this.ampAt !== -1 && this.ampAt < start)) {
      this.ampFrom = start;
      this.ampAt = text.indexOf('&', start);
    }
    if (start < this.ltFrom || (this.ltAt !== -1 && this.ltAt < start)) {
      this.ltFrom = start;
      this.ltAt = text.indexOf('<', start);
    }
    let i = end;
    if (this.ampAt !== -1 && this.ampAt < i) i = this.ampAt;
    if (this.ltAt !== -1 && this.ltAt < i) i = this.ltAt;
    if (i === end) return end - start <= SHARED_VALUE_MAX ? this.shared(start, end) : text.slice(start, end);
    let out = text.slice(start, i);
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 38) {
        // Only the next 12 characters can end a reference: searching the whole rest of the text
        // for ';' made a value of bare '&' quadratic (issue 9).
        const semi = text.slice(i, Math.min(end, i + 13)).indexOf(';') + i;
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
      } else if (c === 60 && text.startsWith('<![CDATA[', i)) {
        const close = text.indexOf(']]>', i + 9);
        const stop = close < 0 || close > end ? end : close;
        out += text.slice(i + 9, stop);
        i = stop + 3;
      } else if (c === 60 && text.startsWith('<!--', i)) {
        const close = text.indexOf('-->', i + 4);
        i = close < 0 || close > end ? end : close + 3;
      } else {
        // Plain character, or child markup inside a text-only element (kept as written).
        const from = i;
        i++;
        while (i < end) {
          const d = text.charCodeAt(i);
          if (d === 38 || d === 60) break;
          i++;
        }
        out += text.slice(from, i);
      }
    }
    return out;
  }

  private textOf(_node: XNode, e: ElementSpans): { text: string; span: Span } {
    if (e.endTagStart <= e.startTagEnd) return { text: '', span: { start: e.startTagEnd, end: e.startTagEnd } };
    return { text: this.decode(e.startTagEnd, e.endTagStart), span: { start: e.startTagEnd, end: e.endTagStart } };
  }

  // ---- interpretation ------------------------------------------------------------------

  // Model objects are written out field by field in one literal (no `...e` spread): a spread
  // copies through a slow path and gives every object its own shape; fixed literals share one.
  // Keys keep the order the model always had (ElementSpans first), so JSON output is unchanged.

  private sequence(node: XNode): Sequence {
    const e = this.attrs(node);
    const a = e.attrs;
    const seq: Sequence = {
      span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: a,
      version: a.version?.value,
      name: a.name?.value,
      description: a.description?.value,
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
    const a = e.attrs;
    return { span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: a, package: a.package, application: a.application, program: a.program };
  }

  private variable(node: XNode): Variable {
    const e = this.attrs(node);
    return SourceVariable.of(e, e.endTagStart <= e.startTagEnd ? '' : this.decode(e.startTagEnd, e.endTagStart));
  }

  private item(node: XNode, parent: Group | undefined, depth: number): Item {
    const e = this.attrs(node);
    const a = e.attrs;
    if (node.name === 'group') {
      const group: Group = {
        span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: a,
        name: a.name?.value ?? '',
        description: a.description?.value ?? '',
        disabled: a.disable?.value === 'true',
        continueOnError: a.continueOnError?.value === 'true',
        parent,
        depth,
        kind: 'group',
        children: [],
        condition: undefined,
      };
      this.groups.push(group);
      for (const c of node.children) {
        if (c.name === 'condition') group.condition ??= this.condition(c);
        else if (c.name === 'group' || c.name === 'step' || c.name === 'subtasksequence') group.children.push(this.item(c, group, depth + 1));
      }
      group.children = fitted(group.children);
      return group;
    }
    const step: Step = {
      span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: a,
      name: a.name?.value ?? '',
      description: a.description?.value ?? '',
      disabled: a.disable?.value === 'true',
      continueOnError: a.continueOnError?.value === 'true',
      parent,
      depth,
      kind: 'step',
      element: node.name === 'subtasksequence' ? 'subtasksequence' : 'step',
      type: a.type?.value,
      runIn: a.runIn?.value,
      variables: [],
      number: this.stepBase + this.steps.length + 1,
      // Every step has every key, set or not: one object shape, so the checks' reads of a step
      // stay monomorphic (a key added when present gave steps up to eight shapes; issue 20).
      condition: undefined,
      action: undefined,
      varList: undefined,
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
          if (!step.condition) {
            const ce = this.attrs(c);
            step.condition = { span: ce.span, nameSpan: ce.nameSpan, startTagEnd: ce.startTagEnd, endTagStart: ce.endTagStart, attrs: ce.attrs, children: [this.conditionNode(c, ce)], implicit: true };
          }
          break;
        case 'action': {
          const ae = this.attrs(c);
          step.action = new SourceAction(this.textOf(c, ae).text, ae);
          break;
        }
        case 'defaultVarList': {
          const list = this.attrs(c);
          step.varList = list;
          const children = this.rawVarLists ? childElements(this.text, list.startTagEnd, list.endTagStart) : c.children;
          for (const v of children) if (v.name === 'variable') step.variables.push(this.variable(v));
          step.variables = fitted(step.variables);
          break;
        }
        default:
          break;
      }
    }
    return step;
  }

  private condition(node: XNode): Condition {
    const e = this.attrs(node);
    const children: ConditionNode[] = [];
    for (const c of node.children) if (c.name === 'expression' || c.name === 'operator') children.push(this.conditionNode(c));
    return { span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: e.attrs, children, implicit: false };
  }

  /** `e`: the node's spans when the caller has read them already (an implicit condition is the same element). */
  private conditionNode(node: XNode, e: ElementSpans = this.attrs(node)): ConditionNode {
    const a = e.attrs;
    if (node.name === 'operator') {
      const op: ConditionOperator = { span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: a, kind: 'operator', type: a.type?.value ?? '', children: [] };
      for (const c of node.children) if (c.name === 'expression' || c.name === 'operator') op.children.push(this.conditionNode(c));
      return op;
    }
    const ex: ConditionExpression = { span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: a, kind: 'expression', type: a.type?.value ?? '', parameters: [] };
    for (const c of node.children) if (c.name === 'variable') ex.parameters.push(this.variable(c));
    ex.parameters = fitted(ex.parameters);
    return ex;
  }

  // ---- wrappers ----------------------------------------------------------------------------

  private packageExport(root: XNode): Wrapper {
    const e = this.attrs(root);
    const w: Wrapper = { span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: e.attrs, properties: {}, references: [] };
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
    const e = this.attrs(root);
    const w: Wrapper = { span: e.span, nameSpan: e.nameSpan, startTagEnd: e.startTagEnd, endTagStart: e.endTagStart, attrs: e.attrs, properties: {}, references: [] };
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

const NO_CHILDREN: XNode[] = [];

/**
 * `xs` in an array of its own length. An array grown by push keeps room for about half as many
 * again, plus 16: a step's four variables held room for 22 (issue 20, 6 % of a model's heap).
 */
function fitted<T>(xs: T[]): T[] {
  return xs.length ? xs.slice() : xs;
}

/**
 * fxp's element tree of `src`. Long texts are cut out first and the offsets fxp reports are mapped
 * back to `src` (see longText.ts: fxp spends about 2 s per megabyte of text; issue 9).
 * `widestText`: the longest text run, when the well-formedness scan measured it.
 */
function parseXml(src: string, widestText?: number): unknown {
  const short = shortenLongText(src, widestText);
  const raw = new XMLParser(widestText === undefined ? PARSER_OPTIONS : WELL_FORMED_OPTIONS).parse(short ? short.text : src) as unknown;
  if (!short) return raw;
  const lists: RawNode[][] = [raw as RawNode[]];
  while (lists.length) {
    for (const r of lists.pop()!) {
      const meta = r[META] as { startIndex?: number; endIndex?: number } | undefined;
      if (meta?.startIndex !== undefined) meta.startIndex = short.original(meta.startIndex);
      if (meta?.endIndex !== undefined) meta.endIndex = short.original(meta.endIndex);
      for (const key in r) {
        const kids = r[key];
        if (Array.isArray(kids)) lists.push(kids as RawNode[]);
        break;
      }
    }
  }
  return raw;
}

function convert(raw: RawNode[], base: number, parentEnd: number): XNode[] {
  // Iterative: depth is bounded by MAX_DEPTH, but a stack keeps us off the call stack anyway.
  const out: XNode[] = [];
  const lists: RawNode[][] = [raw];
  const parents: (XNode | undefined)[] = [undefined];
  const ends: number[] = [parentEnd];
  while (lists.length) {
    const list = lists.pop()!;
    const parent = parents.pop();
    const end = ends.pop()!;
    for (let k = 0; k < list.length; k++) {
      const r = list[k];
      // The element name is the node's first own key (':@' and the metadata symbol come after).
      let name: string | undefined;
      for (const key in r) {
        name = key;
        break;
      }
      if (!name) continue;
      const c0 = name.charCodeAt(0);
      if (c0 === 35 /* # */ || c0 === 63 /* ? */ || c0 === 33 /* ! */) continue;
      const meta = r[META] as { startIndex?: number; endIndex?: number } | undefined;
      if (!meta || meta.startIndex === undefined) continue;
      // Leaves (most elements) share one empty array; a node gets its own on its first child.
      const node: XNode = { name, start: base + meta.startIndex, end: meta.endIndex === undefined ? end : base + meta.endIndex, children: NO_CHILDREN };
      if (parent && parent.children === NO_CHILDREN) parent.children = [];
      (parent ? parent.children : out).push(node);
      const kids = r[name];
      if (Array.isArray(kids) && kids.length) {
        lists.push(kids as RawNode[]);
        parents.push(node);
        ends.push(node.end);
      }
    }
  }
  return out;
}

/** Elements called `name` under `node`, in document order, not looking inside a match. */
function descendants(node: XNode, name: string): XNode[] {
  const out: XNode[] = [];
  const stack = node.children.slice().reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.name === name) out.push(n);
    else for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]);
  }
  return out;
}

/**
 * The child elements of the content [from, to) of an element in text the well-formedness scan
 * vouched for (tags closed in order, quotes closed, comments and CDATA closed): each one's name,
 * start and end (after its closing tag's '>'), the elements inside it skipped, as fast-xml-parser
 * would give them. Comments, CDATA, processing instructions and text between them are passed over.
 */
function childElements(text: string, from: number, to: number): XNode[] {
  const out: XNode[] = [];
  let i = text.indexOf('<', from);
  while (i >= 0 && i < to) {
    const start = i;
    i = markupEnd(text, i);
    if (i < 0 || i > to) break;
    const c1 = text.charCodeAt(start + 1);
    if (c1 !== 33 /* ! */ && c1 !== 63 /* ? */ && c1 !== 47 /* / */) {
      let n = start + 1;
      while (n < to && !isSpace(text.charCodeAt(n)) && text.charCodeAt(n) !== 47 && text.charCodeAt(n) !== 62) n++;
      const name = text.slice(start + 1, n);
      // A start tag not closed by itself: on to its closing tag, past the elements inside it.
      if (text.charCodeAt(i - 2) !== 47) {
        let depth = 1;
        while (depth > 0) {
          const at = text.indexOf('<', i);
          if (at < 0 || at >= to) return out;
          const end = markupEnd(text, at);
          if (end < 0 || end > to) return out;
          const d1 = text.charCodeAt(at + 1);
          if (d1 === 47) depth--;
          else if (d1 !== 33 && d1 !== 63 && text.charCodeAt(end - 2) !== 47) depth++;
          i = end;
        }
      }
      out.push({ name, start, end: i, children: NO_CHILDREN });
    }
    i = text.indexOf('<', i);
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

/**
 * The attribute names exports use, as constants: a name sliced from the text is a new string that
 * V8 must hash and look up each time it is used as a key; a constant is looked up once.
 */
const ATTR_NAMES: string[][] = [];
for (const n of ['name', 'type', 'description', 'disable', 'continueOnError', 'runIn', 'successCodeList', 'timeout', 'startIn',
  'property', 'hidden', 'version', 'package', 'program', 'application', 'NAME', 'TYPE', 'CLASSNAME', 'CLASSORIGIN', 'PROPAGATED',
  'TOSUBCLASS', 'TOINSTANCE']) (ATTR_NAMES[n.length] ??= []).push(n);

function attrName(text: string, start: number, end: number): string {
  const known = ATTR_NAMES[end - start];
  if (known) for (const n of known) if (text.startsWith(n, start)) return n;
  return text.slice(start, end);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** `s` cut to `max` characters: names from hostile input can be megabytes long. */
function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
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

interface MarkupScan {
  /** The first start tag nested deeper than the limit, or -1. */
  deep: number;
  /** Start of a tag, comment or CDATA section the text ends inside, or -1. */
  unterminated: number;
  /** Start tags still open where the scan stopped, outermost first. */
  open: number[];
}

/**
 * A plain scan of tags (comments, CDATA, declarations and processing instructions skipped),
 * linear in the text; it stops at the first tag deeper than `max` or that never ends. Quoted
 * attribute values may hold `>`, so a tag ends at the first `>` outside quotes.
 */
function scanMarkup(src: string, max: number): MarkupScan {
  const open: number[] = [];
  let i = src.indexOf('<');
  while (i >= 0 && i < src.length) {
    const skip = src.startsWith('<!--', i) ? '-->' : src.startsWith('<![CDATA[', i) ? ']]>' : src.startsWith('<?', i) ? '?>' : undefined;
    if (skip) {
      const c = src.indexOf(skip, i + 2);
      if (c < 0) return { deep: -1, unterminated: i, open };
      i = src.indexOf('<', c + skip.length);
      continue;
    }
    const gt = tagEnd(src, i);
    if (gt < 0) return { deep: -1, unterminated: i, open };
    const c1 = src[i + 1];
    if (c1 === '/') open.pop();
    else if (c1 !== '!' && src[gt - 1] !== '/') {
      open.push(i);
      if (open.length > max) return { deep: i, unterminated: -1, open };
    }
    i = src.indexOf('<', gt + 1);
  }
  return { deep: -1, unterminated: -1, open };
}

/** Offset of the `>` closing the tag that starts at `i`, skipping quoted values; -1 if none. */
function tagEnd(src: string, i: number): number {
  let quote = '';
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return -1;
}

function unterminatedMessage(src: string, at: number): string {
  const what = src.startsWith('<!--', at) ? 'comment' : src.startsWith('<![CDATA[', at) ? 'CDATA section' : src.startsWith('<?', at) ? 'processing instruction' : 'tag';
  return `XML is not well-formed: this ${what} is never closed; the file ends inside it.`;
}
