// Fixes that rewrite text in place: a step class to the closest known one, a condition operator
// to its canonical spelling, a content ID to a site item of the right kind, the export's boot
// image, and a missing content property filled with a site item (the empty value written, or a
// <variable> added in the console's place and style). One fix per candidate, the best first.

import type { Attr, Span, Step, TaskSequenceModel } from '../model/types';
import { contentReferences, stepVariable } from '../model/query';
import type { FillPropertyFix, ReplaceContentFix, ReplaceStepTypeFix, ReplaceTextFix, SetBootImageFix } from './fixData';
import { referenceEdits } from './insert';
import { bootImageTitle } from './siteEdits';
import { escapeXml, indentUnit, isOneLine, lineEnding, lineStartOf, ownLineIndent, validSpan, wholeLineOr } from './text';
import type { CodeFix, FixContext, FixEdit } from './types';

function fix(title: string, edits: FixEdit[], preferred: boolean): CodeFix {
  return { title, kind: 'quickfix', edits, ...(preferred ? { isPreferred: true } : {}) };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && c !== '') : [];
}

interface Candidate {
  id: string;
  name?: string;
  property?: string;
}

function candidates(v: unknown): Candidate[] {
  if (!Array.isArray(v)) return [];
  const out: Candidate[] = [];
  for (const c of v as unknown[]) {
    if (!c || typeof c !== 'object') continue;
    const r = c as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id.trim() === '') continue;
    out.push({ id: r.id, ...(typeof r.name === 'string' ? { name: r.name } : {}), ...(typeof r.property === 'string' ? { property: r.property } : {}) });
  }
  return out;
}

function named(c: Candidate): string {
  return `${c.id}${c.name !== undefined ? ` (${c.name})` : ''}`;
}

export function replaceStepTypeFixes(span: Span, data: ReplaceStepTypeFix): CodeFix[] {
  return strings(data.candidates).map((c, i) => fix(`Change to ${c}`, [{ span, newText: c }], i === 0));
}

export function replaceTextFixes(span: Span, data: ReplaceTextFix): CodeFix[] {
  const title = typeof data.title === 'string' && data.title !== '' ? data.title : `Write "${data.replacement}"`;
  return typeof data.replacement === 'string' ? [fix(title, [{ span, newText: escapeXml(data.replacement) }], true)] : [];
}

/**
 * replace-content: the ID under the span becomes each candidate in turn (unknown-content,
 * wrong-content-kind, client-package, child-task-sequence). The console repeats a step's content
 * in its command line (`smsswd.exe /run:ID`, `/install:ID`, `/app:ID,…`) and in other variables
 * (Install Application's AppInfo<N>Name and ApplicationName list): the same ID everywhere in the
 * step is replaced, so the step names one item.
 */
export function replaceContentFixes(ctx: FixContext, span: Span, data: ReplaceContentFix): CodeFix[] {
  const old = typeof data.expect === 'string' ? data.expect : '';
  const same = old ? sameIdInStep(ctx, span, old) : [];
  const list = candidates(data.candidates);
  const usedElsewhere = list.length > 0 && old !== '' && oldIdUsedByOtherSteps(ctx, span, old);
  return list.map((c, i) => {
    const edits: FixEdit[] = [span, ...same].map((s) => ({ span: s, newText: escapeXml(c.id) }));
    edits.push(...referenceListAfterReplace(ctx, span, old, c.id, usedElsewhere));
    return fix(`Replace with ${named(c)}`, edits, i === 0);
  });
}

/**
 * Keeps the reference lists in step with a new ID, as the console writes them (one reference per
 * content item the steps use): the sequence's <referenceList> and an object.xml's References. When
 * no other step names the old ID, its references become the new one (a duplicate in <referenceList>
 * goes instead); when another step still uses it, a step's new ID is added to <referenceList>.
 */
function referenceListAfterReplace(ctx: FixContext, span: Span, oldId: string, newId: string, usedElsewhere: boolean): FixEdit[] {
  const seq = ctx.model.sequence;
  if (!seq || !oldId) return [];
  const step = stepAround(ctx.model, span);
  const same = (a: string | undefined, b: string): boolean => a !== undefined && a.trim().toLowerCase() === b.toLowerCase();
  const outside = (s: Span): boolean => s.end <= span.start || s.start >= span.end;
  if (usedElsewhere) return step ? referenceEdits(ctx.text, ctx.model, [newId]) : [];
  // The attribute naming the ID: `package`, or `application` for an application's unique ID.
  const attrOf = (r: (typeof seq.references)[number]): Attr | undefined => r.package ?? r.application;
  const olds = seq.references.filter((r) => same(attrOf(r)?.value, oldId) && outside(r.span));
  const out: FixEdit[] = [];
  let listed = seq.references.some((r) => same(attrOf(r)?.value, newId));
  for (const r of olds) {
    if (listed) {
      out.push({ span: wholeLineOr(ctx.text, r.span), newText: '' });
    } else {
      out.push({ span: attrOf(r)!.span, newText: escapeXml(newId) });
      listed = true;
    }
  }
  for (const w of ctx.model.wrapper?.references ?? []) {
    if (same(w.package.value, oldId) && outside(w.package.span)) out.push({ span: w.package.span, newText: escapeXml(newId) });
  }
  if (step && olds.length === 0) out.push(...referenceEdits(ctx.text, ctx.model, [newId]));
  return out;
}

/** Whether a step other than the one holding `span` names `id` (then its references stay). */
function oldIdUsedByOtherSteps(ctx: FixContext, span: Span, id: string): boolean {
  const step = stepAround(ctx.model, span);
  const l = id.toLowerCase();
  return contentReferences(ctx.model, ctx.catalog, ctx.text).some((r) => r.step && r.step !== step && r.id.toLowerCase() === l);
}

function sameIdInStep(ctx: FixContext, span: Span, id: string): Span[] {
  const step = stepAround(ctx.model, span);
  if (!step || id.trim() === '' || id !== id.trim()) return [];
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_-])`, 'gi');
  const out: Span[] = [];
  const regions = [...(step.action ? [step.action.span] : []), ...step.variables.map((v) => v.valueSpan)];
  for (const region of regions) {
    const raw = ctx.text.slice(region.start, region.end);
    re.lastIndex = 0;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      const s = { start: region.start + m.index, end: region.start + m.index + m[0].length };
      if (s.end <= span.start || s.start >= span.end) out.push(s);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * set-boot-image in the export: <BootImageID> says the candidate's ID. Stale when the element's text
 * is no longer what the finding saw; a self-closing <BootImageID /> is written out with the ID.
 */
export function xmlBootImageFixes(text: string, data: SetBootImageFix): CodeFix[] {
  const expect = typeof data.expect === 'string' ? data.expect : undefined;
  const value = validSpan(text, data.valueSpan) ? data.valueSpan : undefined;
  const element = validSpan(text, data.element) ? data.element : undefined;
  if (expect === undefined || (!value && !element)) return [];
  const written = element ? text.slice(element.start, element.end) : '';
  const selfClosing = /\/>$/.test(written);
  if (!selfClosing && (!value || text.slice(value.start, value.end) !== expect)) return [];
  const name = /^<([\w.:-]+)/.exec(written)?.[1] ?? 'BootImageID';
  const current = value ? text.slice(value.start, value.end).trim().toLowerCase() : '';
  return candidates(data.candidates).filter((c) => c.id.toLowerCase() !== current).map((c, i) => {
    const edit = selfClosing && element
      ? { span: element, newText: `<${name}>${escapeXml(c.id)}</${name}>` }
      : { span: value!, newText: escapeXml(c.id) };
    return fix(bootImageTitle(c), [edit], i === 0);
  });
}

// ---- fill-property -----------------------------------------------------------------------------

interface PropertySpec {
  property: string;
  variable: string;
  hidden: boolean;
}

function specOf(v: unknown): PropertySpec | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r.property !== 'string' || typeof r.variable !== 'string') return undefined;
  return { property: r.property, variable: r.variable, hidden: r.hidden === true };
}

// Steps by start offset, once per model: the CLI builds fix titles for every finding, and a scan
// of all steps per finding made a file of n findings cost n².
const BY_START = new WeakMap<TaskSequenceModel, readonly Step[]>();

/** The step whose element holds the span (steps do not nest: the last one starting at or before it). */
function stepAround(model: TaskSequenceModel, span: Span): Step | undefined {
  let steps = BY_START.get(model);
  if (!steps) BY_START.set(model, (steps = [...model.steps].sort((a, b) => a.span.start - b.span.start)));
  let lo = 0;
  let hi = steps.length - 1;
  let best: Step | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid].span.start <= span.start) {
      best = steps[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best && span.end <= best.span.end ? best : undefined;
}

/**
 * missing-step-property: "Set <property> to <id> (<name>)" for each fitting site item. The value
 * goes into the property's empty <variable>, or a new one is added to <defaultVarList> where the
 * console sorts it (by name), or a <defaultVarList> is added after <action>. The ID is also added
 * to the reference list when the sequence has one.
 */
export function fillPropertyFixes(ctx: FixContext, data: FillPropertyFix): CodeFix[] {
  const primary = specOf(data);
  if (!primary || !validSpan(ctx.text, data.anchor)) return [];
  const step = stepAround(ctx.model, data.anchor);
  if (!step || (typeof data.step === 'string' && step.type !== data.step)) return [];
  const specs = [primary, ...(Array.isArray(data.alternatives) ? (data.alternatives as unknown[]).map(specOf).filter((s): s is PropertySpec => !!s) : [])];
  const out: CodeFix[] = [];
  for (const c of candidates(data.candidates)) {
    const spec = specs.find((s) => s.property === (c.property ?? primary.property));
    if (!spec) continue;
    const edit = fillEdit(ctx.text, step, spec, c.id);
    if (!edit) continue;
    out.push(fix(`Set ${spec.property} to ${named(c)}`, [edit, ...referenceEdits(ctx.text, ctx.model, [c.id])], out.length === 0));
  }
  return out;
}

function fillEdit(text: string, step: Step, spec: PropertySpec, id: string): FixEdit | undefined {
  const existing = step.variables.find((v) => v.property?.toLowerCase() === spec.property.toLowerCase()) ?? stepVariable(step, spec.variable);
  if (existing) {
    // Only an empty value is filled: anything else means the finding is stale.
    if (existing.value.trim() !== '') return undefined;
    if (existing.span.end === existing.startTagEnd) {
      const open = text.slice(existing.span.start, existing.span.end).replace(/\s*\/>$/, '>');
      return { span: { ...existing.span }, newText: `${open}${escapeXml(id)}</variable>` };
    }
    return { span: { start: existing.startTagEnd, end: existing.endTagStart }, newText: escapeXml(id) };
  }
  const quote = quoteOf(text, step);
  const variable = `<variable name=${quote}${escapeXml(spec.variable)}${quote} property=${quote}${escapeXml(spec.property)}${quote}${spec.hidden ? ` hidden=${quote}true${quote}` : ''}>${escapeXml(id)}</variable>`;
  const inline = isOneLine(text) || ownLineIndent(text, step.span.start) === undefined;
  const eol = lineEnding(text);
  const unit = indentUnit(text, step.span.start);
  const stepIndent = ownLineIndent(text, step.span.start) ?? '';

  if (step.varList) {
    const list = step.varList;
    const vars = step.variables.filter((v) => v.span.start >= list.span.start && v.span.end <= list.span.end);
    // The console writes a step's variables sorted by name (ordinal), e.g. SMSClientInstallProperties, _SMSClientPackageID.
    const next = vars.find((v) => v.name > spec.variable);
    if (next) {
      const indent = ownLineIndent(text, next.span.start);
      if (inline || indent === undefined) return { span: { start: next.span.start, end: next.span.start }, newText: variable };
      const ls = lineStartOf(text, next.span.start);
      return { span: { start: ls, end: ls }, newText: `${indent}${variable}${eol}` };
    }
    const last = vars[vars.length - 1];
    if (last) {
      const indent = ownLineIndent(text, last.span.start);
      return { span: { start: last.span.end, end: last.span.end }, newText: inline || indent === undefined ? variable : `${eol}${indent}${variable}` };
    }
    const listIndent = ownLineIndent(text, list.span.start);
    const wrap = !inline && listIndent !== undefined;
    const body = wrap ? `${eol}${listIndent}${unit}${variable}${eol}${listIndent}` : variable;
    if (list.endTagStart === list.span.end) {
      const name = text.slice(list.nameSpan.start, list.nameSpan.end);
      return { span: { ...list.span }, newText: `<${name}>${body}</${name}>` };
    }
    return { span: { start: list.startTagEnd, end: list.endTagStart }, newText: body };
  }
  // No <defaultVarList>: one after <action> (the console's child order), else first in the step.
  const after = step.action ? step.action.element.span.end : step.startTagEnd;
  if (step.span.end === step.startTagEnd) return undefined;
  const childIndent = stepIndent + unit;
  const list = inline ? `<defaultVarList>${variable}</defaultVarList>` : `${eol}${childIndent}<defaultVarList>${eol}${childIndent}${unit}${variable}${eol}${childIndent}</defaultVarList>`;
  return { span: { start: after, end: after }, newText: list };
}

function quoteOf(text: string, step: Step): string {
  const a = step.attrs.name ?? step.attrs.type;
  return a && text[a.span.start - 1] === "'" ? "'" : '"';
}
