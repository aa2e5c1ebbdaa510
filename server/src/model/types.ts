// The task sequence model: what parse.ts builds from an exported XML file.
// Every node keeps offsets into the document text (UTF-16 code units, as JavaScript strings
// and LSP count them) so that any check, hover or fix can point at the exact characters.
// The model is plain data: no methods, no parser objects, safe to share across features.

/** Half-open range of offsets [start, end) in the document text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * An attribute as written: its decoded value, where the value sits (inside the quotes) and its name.
 * Read-only: the parser's attributes make their spans on demand (a fresh object on each read).
 */
export interface Attr {
  readonly value: string;
  readonly span: Span;
  readonly nameSpan: Span;
}

/** Offsets every element keeps. */
export interface ElementSpans {
  /** From `<` to the end of the closing tag (or of `/>`). */
  span: Span;
  /** The element name inside the start tag. */
  nameSpan: Span;
  /** Offset just after the `>` of the start tag. */
  startTagEnd: number;
  /** Offset of the `<` of the closing tag; equals span.end for a self-closing element. */
  endTagStart: number;
  /** All attributes by name, as written (names are case-sensitive in XML). */
  attrs: Record<string, Attr>;
}

/** A `<variable>` in a step's defaultVarList, in globalVarList, or a condition parameter. */
export interface Variable extends ElementSpans {
  name: string;
  /** The WMI property the variable carries (`property` attribute); absent on condition parameters. */
  property?: string;
  hidden: boolean;
  /** Decoded text content. */
  value: string;
  /** Where the text content is written; an empty span at startTagEnd when empty or self-closing. */
  valueSpan: Span;
}

export type ConditionNode = ConditionOperator | ConditionExpression;

export interface ConditionOperator extends ElementSpans {
  kind: 'operator';
  /** `and`, `or`, `not` as written (the engine compares case-insensitively). */
  type: string;
  children: ConditionNode[];
}

export interface ConditionExpression extends ElementSpans {
  kind: 'expression';
  /** e.g. SMS_TaskSequence_VariableConditionExpression */
  type: string;
  parameters: Variable[];
}

export interface Condition extends ElementSpans {
  /** Top-level operands, implicitly and-ed by the engine. */
  children: ConditionNode[];
  /** True for the MDT oddity of an `<expression>` placed directly under `<step>` with no `<condition>`. */
  implicit: boolean;
}

/** Common to steps and groups. */
export interface ItemBase extends ElementSpans {
  name: string;
  description: string;
  /** `disable="true"` */
  disabled: boolean;
  continueOnError: boolean;
  condition?: Condition;
  /** The group holding this item; undefined for items directly under `<sequence>`. */
  parent?: Group;
  /** Depth below `<sequence>` (0 for its direct children). */
  depth: number;
}

export interface Step extends ItemBase {
  kind: 'step';
  /** `step` or `subtasksequence` (Run Task Sequence is written as its own element). */
  element: 'step' | 'subtasksequence';
  /** The step class; undefined for MDT's untyped command-line steps. */
  type?: string;
  /** `runIn` attribute as written, if any. */
  runIn?: string;
  /** The `<action>` command line, decoded, with the span of its text. */
  action?: { text: string; span: Span; element: ElementSpans };
  /** `<defaultVarList>` element, when present (fixes insert into it). */
  varList?: ElementSpans;
  variables: Variable[];
  /** 1-based position among all steps in document order: how messages name steps ("step 12"). Not the log's instruction number, which counts groups too and starts at 0 (semantics/numbering.ts). */
  number: number;
}

export interface Group extends ItemBase {
  kind: 'group';
  children: Item[];
}

export type Item = Step | Group;

/** A `<reference>` in `<referenceList>`. */
export interface Reference extends ElementSpans {
  package?: Attr;
  application?: Attr;
  program?: Attr;
}

export interface Sequence extends ElementSpans {
  version?: string;
  /** MDT writes name/description on `<sequence>`; ConfigMgr does not. */
  name?: string;
  description?: string;
  children: Item[];
  referenceList?: ElementSpans;
  references: Reference[];
  globalVarList?: ElementSpans;
  globalVariables: Variable[];
}

/** A property of the wrapper around the sequence (package export child element, or CIM PROPERTY). */
export interface WrapperProperty {
  name: string;
  value: string;
  /** Where the value text is (an empty span where it would go when empty). */
  span: Span;
  /** The element holding the property. */
  element: ElementSpans;
}

export interface Wrapper extends ElementSpans {
  /** Properties by name: BootImageID, Name, Description, PackageID, ... */
  properties: Record<string, WrapperProperty>;
  /** object.xml only: the SMS_TaskSequence_Reference objects of the References property. */
  references: { package: WrapperProperty; program?: WrapperProperty; type?: WrapperProperty }[];
}

export type Flavour = 'sequence' | 'package-export' | 'object-xml';

export interface XmlComment {
  /** Text between `<!--` and `-->`. */
  text: string;
  span: Span;
}

export interface TaskSequenceModel {
  flavour: Flavour;
  /** True when the sequence looks authored by MDT's Deployment Workbench (name on <sequence>, BDD steps, untyped steps). */
  mdt: boolean;
  /** Undefined when no `<sequence>` could be found (an xml-syntax problem says why). */
  sequence?: Sequence;
  wrapper?: Wrapper;
  /** All comments in the document, in order, including those inside an object.xml CDATA section. */
  comments: XmlComment[];
  /** Every step and subtasksequence in document order (Step.number - 1 is its index here). */
  steps: Step[];
  /** Every group in document order. */
  groups: Group[];
  /** Length of the document text, so consumers can clamp spans. */
  length: number;
}

export interface ParseProblem {
  code: 'xml-syntax';
  message: string;
  span: Span;
}

export interface ParseResult {
  model: TaskSequenceModel;
  problems: ParseProblem[];
}
