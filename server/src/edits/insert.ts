// Inserting console-shaped steps next to an anchor element (insert-step, insert-steps): at the
// anchor's indentation with the file's line ending, or inline when the anchor shares its line
// (one-line exports stay one line). Comments right before the anchor stay with it, so a
// cmts-disable-next-line keeps silencing the element it was written for. When the sequence has a
// <referenceList>, package IDs the new steps name are added to it in the style of its entries.

import type { Item, Span, TaskSequenceModel } from '../model/types';
import { label, T } from '../semantics/stepInfo';
import type { InsertStepFix, InsertStepsFix } from './fixData';
import { docStyle, MDT_STATE_STORE_CONDITIONS, renderStep, restartComputer, templateFor, type DocStyle, type Layout, type StepTemplate } from './templates';
import { escapeXml, indentUnit, isOneLine, itemAtSpan, lineEnding, lineStartOf, ownLineIndent, validSpan } from './text';
import type { CodeFix, FixContext, FixEdit, FixInput } from './types';

type Position = 'before' | 'after';

/** The layout for an element placed beside `anchor`: inline ('' line ending) unless the anchor has a line of its own. */
function layoutBeside(text: string, anchor: Span): Layout {
  const indent = ownLineIndent(text, anchor.start);
  if (isOneLine(text) || indent === undefined) return { indent: '', unit: '', eol: '' };
  return { indent, unit: indentUnit(text, anchor.start), eol: lineEnding(text) };
}

/** Where "before the anchor" is: ahead of the comments written directly above it, which belong to it. */
function insertionPointBefore(text: string, anchor: Span, inline: boolean): number {
  let p = anchor.start;
  for (;;) {
    let q = p;
    while (q > 0 && /\s/.test(text[q - 1])) q--;
    if (!text.startsWith('-->', q - 3)) break;
    const open = text.lastIndexOf('<!--', q - 3);
    if (open < 0) break;
    // Only a comment on its own line (or anything, on one line) is taken as the anchor's.
    if (!inline && ownLineIndent(text, open) === undefined) break;
    if (inline && /[\r\n]/.test(text.slice(q, p))) break;
    p = open;
  }
  return p;
}

/** The edits that put `steps` before or after `anchor`. */
export function insertStepsEdits(text: string, anchor: Span, position: Position, steps: readonly StepTemplate[], style: DocStyle): FixEdit[] {
  const layout = layoutBeside(text, anchor);
  const rendered = steps.map((s) => renderStep(s, style, layout));
  if (position === 'after') {
    const sep = layout.eol ? layout.eol + layout.indent : '';
    return [{ span: { start: anchor.end, end: anchor.end }, newText: rendered.map((r) => sep + r).join('') }];
  }
  const at = insertionPointBefore(text, anchor, layout.eol === '');
  if (!layout.eol) return [{ span: { start: at, end: at }, newText: rendered.join('') }];
  const ls = lineStartOf(text, at);
  return [{ span: { start: ls, end: ls }, newText: rendered.map((r) => layout.indent + r + layout.eol).join('') }];
}

/**
 * Adds `<reference package="ID"/>` (or `application="…"` for an application's unique ID) for each ID
 * the reference list lacks; none when there is no list.
 */
export function referenceEdits(text: string, model: TaskSequenceModel, ids: readonly string[]): FixEdit[] {
  const seq = model.sequence;
  const list = seq?.referenceList;
  if (!seq || !list) return [];
  const have = new Set(seq.references.flatMap((r) => [r.package, r.application]).map((a) => a?.value.trim().toLowerCase()).filter((x): x is string => !!x));
  const missing = [...new Set(ids.filter((id) => id.trim() !== '' && !have.has(id.trim().toLowerCase())))];
  if (missing.length === 0) return [];
  const last = seq.references[seq.references.length - 1];
  const lastText = last ? text.slice(last.span.start, last.span.end) : '';
  const quote = last && /=\s*'/.test(lastText) ? "'" : '"';
  const close = last ? (/\s\/>$/.test(lastText) ? ' />' : lastText.endsWith('/>') ? '/>' : `></reference>`) : '/>';
  const ref = (id: string): string => `<reference ${isApplicationId(id) ? 'application' : 'package'}=${quote}${escapeXml(id)}${quote}${close}`;
  const layout = layoutBeside(text, list.span);

  if (last) {
    // The whitespace the list already puts between its entries.
    const prev = seq.references[seq.references.length - 2];
    const gap = text.slice(prev ? prev.span.end : list.startTagEnd, last.span.start);
    const sep = /^\s*$/.test(gap) ? gap : '';
    return [{ span: { start: last.span.end, end: last.span.end }, newText: missing.map((id) => sep + ref(id)).join('') }];
  }
  const child = layout.eol ? layout.eol + layout.indent + layout.unit : '';
  const body = missing.map((id) => child + ref(id)).join('');
  if (list.endTagStart === list.span.end) {
    // <referenceList/>: written out with its new entries.
    const name = text.slice(list.nameSpan.start, list.nameSpan.end);
    return [{ span: { ...list.span }, newText: `<${name}>${body}${layout.eol ? layout.eol + layout.indent : ''}</${name}>` }];
  }
  const inner = text.slice(list.startTagEnd, list.endTagStart);
  const closing = layout.eol && !/[\r\n]/.test(inner) ? layout.eol + layout.indent : '';
  return [{ span: { start: list.startTagEnd, end: list.startTagEnd }, newText: body + closing }];
}

/** Applications are referenced by their unique ID (ScopeId_…/Application_…), packages by package ID. */
export function isApplicationId(id: string): boolean {
  return /^ScopeId_[^/]+\/Application_/i.test(id.trim());
}

// ---- the fixes -------------------------------------------------------------------------------

function isSpanData(v: unknown): v is Span {
  return !!v && typeof v === 'object' && typeof (v as Span).start === 'number' && typeof (v as Span).end === 'number';
}

function asMode(v: unknown): 'capture' | 'restore' | undefined {
  return v === 'capture' || v === 'restore' ? v : undefined;
}

function asTarget(v: unknown): 'WinPE' | 'HD' | undefined {
  return v === 'WinPE' || v === 'HD' ? v : undefined;
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** How a title names an inserted step. */
function what(t: StepTemplate, data: InsertStepFix | InsertStepsFix, client: string): string {
  if (t.type === T.reboot) return restartWords(data.target === 'WinPE' ? 'WinPE' : 'HD');
  if (t.type === T.requestState) return `Request State Store (${String(data.mode)})`;
  if (t.type === T.setupWindows) return `Setup Windows and ConfigMgr${client}`;
  if (t.type === T.prepareOs) return 'Prepare Windows for Capture';
  return t.name;
}

/**
 * insert-step / insert-steps. Each check's data names the step classes, where, and what else
 * (request mode, restart target, a release to insert too); the site supplies the client package:
 * one fix with the site's only client package, one per client package when it has several.
 */
export function insertFixes(input: FixInput, data: InsertStepFix | InsertStepsFix, ctx: FixContext): CodeFix[] {
  if ( !isSpanData(data.anchor) || !validSpan(ctx.text, data.anchor)) return [];
  const position: Position | undefined = data.position === 'before' || data.position === 'after' ? data.position : undefined;
  if (!position) return [];
  const anchor = itemAtSpan(ctx.model, data.anchor);
  if (!anchor) return [];
  const types = data.kind === 'insert-steps'
    ? (Array.isArray(data.steps) ? data.steps.filter((s): s is string => typeof s === 'string') : [])
    : typeof data.step === 'string' ? [data.step] : [];
  if (types.length === 0) return [];
  const style = docStyle(ctx.text, ctx.model);
  const opts = { mode: asMode(data.mode), target: asTarget(data.target) };

  // The client package choices: each of the site's client packages, or none known ('').
  const clients = types.includes(T.setupWindows) ? (ctx.site?.entries('clientPackage') ?? []).map((e) => e.id) : [];
  // Use Toolkit Package: one fix per MDT toolkit package the site lists (none known: no fix).
  const toolkit = types.includes('BDD_UsePackage');
  const toolkits = toolkit ? (ctx.site?.site.packages ?? []).filter((p) => p.kind === 'mdtToolkit').map((p) => p.packageId) : [];
  if (toolkit && toolkits.length === 0) return [];
  const choices = toolkit ? toolkits : clients.length ? clients : [''];
  const out: CodeFix[] = [];
  for (const choice of choices) {
    const client = toolkit ? '' : choice;
    const templates = types.map((t) => templateFor(t, style, { ...opts, clientPackageId: client, ...(toolkit ? { toolkitPackageId: choice } : {}) }));
    if (templates.some((t) => t === undefined)) return [];
    const steps = (templates as StepTemplate[]).map((t) => shaped(t, data, ctx));
    const edits = insertStepsEdits(ctx.text, anchor.span, position, steps, style);
    const withPackage = toolkit ? ` with toolkit package ${choice}` : client ? ` with client package ${client}` : '';
    let title = `Insert ${steps.map((t) => what(t, data, withPackage)).join(' and ')} ${position} ${where(steps[0], anchor, input.span)}`;

    // A second step after another anchor: the Release State Store a new request needs, or the restart back.
    for (const extra of followers(data, style, ctx)) {
      const at = itemAtSpan(ctx.model, extra.anchor);
      if (!at) return [];
      edits.push(...insertStepsEdits(ctx.text, at.span, 'after', [extra.step], style));
      title += ` and ${extra.what} after ${at === anchor ? 'it' : label(at)}`;
    }
    edits.push(...referenceEdits(ctx.text, ctx.model, steps.flatMap((s) => s.packages)));
    out.push({ title, kind: 'quickfix', edits, ...(out.length === 0 ? { isPreferred: true } : {}) });
  }
  return out;
}

/** The steps a fix inserts after a second anchor (data.release, data.back), with how the title names them. */
function followers(data: InsertStepFix | InsertStepsFix, style: DocStyle, ctx: FixContext): { step: StepTemplate; anchor: Span; what: string }[] {
  const out: { step: StepTemplate; anchor: Span; what: string }[] = [];
  const release = data.release as { position?: unknown; anchor?: unknown } | undefined; // as sent back by the editor: checked
  if (release && release.position === 'after' && isSpanData(release.anchor)) {
    out.push({ step: shaped(templateFor(T.releaseState, style, {})!, data, ctx), anchor: release.anchor, what: 'Release State Store' });
  }
  const back = data.back as { target?: unknown; position?: unknown; anchor?: unknown } | undefined;
  const target = asTarget(back?.target);
  if (back && target && back.position === 'after' && isSpanData(back.anchor)) {
    out.push({ step: restartComputer(target), anchor: back.anchor, what: restartWords(target) });
  }
  return out;
}

/**
 * A template as this file writes that step: `runIn` as its own steps of the class write it, and the
 * state store steps of an MDT-shaped file with MDT's conditions and continue on error.
 */
function shaped(t: StepTemplate, data: InsertStepFix | InsertStepsFix, ctx: FixContext): StepTemplate {
  const own = ctx.model.steps.find((s) => s.type === t.type && s.runIn !== undefined)?.runIn?.trim();
  const runIn = own === 'WinPE' || own === 'FullOS' || own === 'WinPEandFullOS' ? own : t.runIn;
  const mdt = data.shape === 'mdt' && (t.type === T.requestState || t.type === T.releaseState);
  const naa = mdt ? t.variables.map((v) => (v.name === 'OSDStateFallbackToNAA' ? { ...v, value: 'true' } : v)) : t.variables;
  return { ...t, runIn, variables: naa, ...(mdt ? { continueOnError: true, conditions: [...MDT_STATE_STORE_CONDITIONS] } : {}) };
}

function restartWords(target: 'WinPE' | 'HD'): string {
  return target === 'WinPE' ? 'Restart Computer (to the boot image, Windows PE)' : 'Restart Computer (to the installed operating system)';
}

/** "this step" when the anchor is the step the finding is on, else its label (as the checks word it). */
function where(first: StepTemplate, anchor: Item, findingSpan: Span): string {
  if (first.type === T.setupWindows || first.type === T.releaseState) return label(anchor);
  return contains(anchor.span, findingSpan) ? 'this step' : label(anchor);
}

