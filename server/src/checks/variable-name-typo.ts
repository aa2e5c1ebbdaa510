// variable-name-typo: a variable name a small edit away from a documented built-in, step or MDT
// variable (OSDComputerNmae), written or read where the file does not both set and read it.

import type { Check } from './types';
import type { ReplaceTextFix } from '../edits/fixData';
import { replaceText } from '../edits/kinds';
import { BUILTIN_VARIABLES, detached, editDistance } from '../catalog';
import type { Catalog } from '../catalog/types';
import type { Item, Span } from '../model/types';
import { GATHER_VARIABLES, variableFlow } from '../semantics/variables';
import { T2 } from '../semantics/stepFacts';
import { label, textAt } from '../semantics/stepInfo';

const DOCUMENTED = new WeakMap<Catalog, Map<string, string>>();

/** Documented names by lower-case: built-in variables, every step property variable, MDT Gather's. */
function documented(catalog: Catalog): Map<string, string> {
  let m = DOCUMENTED.get(catalog);
  if (!m) {
    m = new Map();
    for (const v of BUILTIN_VARIABLES) m.set(v.name.toLowerCase(), v.name);
    // In the catalogue's own order (no step class spells a variable differently from another).
    for (const t of catalog.all()) if (t.kind === 'action') for (const p of t.properties) if (p.variable && !p.variable.includes('<')) m.set(p.variable.toLowerCase(), p.variable);
    for (const g of GATHER_VARIABLES) m.set(g.toLowerCase(), g);
    DOCUMENTED.set(catalog, m);
  }
  return m;
}

/**
 * One typing slip apart: a letter wrong, missing, added, or two neighbours swapped (optimal string
 * alignment distance 1). Short names are left alone: OSDGUID and OSGUID are different variables.
 */
function oneSlip(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
  }
  return editDistance(a, b) === 1;
}

/** Answers of `closest` per list of documented names (the fix judge re-checks a file once per fix). */
const CLOSEST = new WeakMap<Map<string, string>, Map<string, string | null>>();

/** The documented name `name` is most likely a misspelling of, if exactly one is that close. */
function closest(name: string, names: Map<string, string>): string | undefined {
  const k = name.toLowerCase();
  if (k.length < 10 || names.has(k)) return undefined;
  let memo = CLOSEST.get(names);
  if (!memo || memo.size > 4096) CLOSEST.set(names, (memo = new Map()));
  const known = memo.get(k);
  if (known !== undefined) return known ?? undefined;
  const hits: string[] = [];
  for (const [lower, written] of names) if (oneSlip(k, lower)) hits.push(written);
  const found = hits.length === 1 ? hits[0] : undefined;
  // The key is kept past this document: as a slice of its text it would keep the whole text.
  memo.set(detached(k), found ?? null);
  return found;
}

export const check: Check<ReplaceTextFix> = {
  id: 'variable-name-typo',
  defaultSeverity: 'warning',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A variable name is one typing slip (a letter wrong, missing, added, or two swapped) away from a documented built-in, step or MDT variable (OSDComputerNmae for OSDComputerName).',
    why: 'The engine and the steps read variables by their documented names (the task sequence variable reference; MDT\'s toolkit reference for Gather). A misspelled name is simply another variable: the step that should read it never sees the value, and a condition on it is never true. Names compare without regard to case, so only a real spelling difference is reported; names under ten letters (OSDGUID beside MDT\'s OSGUID) and names this file both sets and reads are left alone, as variables of the author\'s own.',
    example: '<variable name="VariableName" property="VariableName">OSDComputerNmae</variable>',
    fix: 'Write the documented name (the quick fix).',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-variables'],
    facts: ['steps.json', 'OSD-ORD-008'],
  },
  fixes: { 'replace-text': replaceText },
  sequence(ctx) {
    const names = documented(ctx.catalog);
    const flow = variableFlow(ctx.model, ctx.catalog);
    const setNames = new Set(flow.sets.map((s) => s.name.toLowerCase()));
    const readNames = new Set(flow.reads.map((r) => r.name.toLowerCase()));
    // Where each name is written; the item is named only when a finding is reported.
    const places: { name: string; span: Span; item: Item | undefined }[] = [];
    for (const r of flow.reads) if (!r.existence) places.push({ name: r.name, span: r.span, item: r.item });
    for (const s of flow.sets) {
      if (s.step?.type === T2.setVariable || /OutputVariableName/.test(s.how)) places.push({ name: s.name, span: s.span, item: s.step });
    }
    for (const v of ctx.model.sequence?.globalVariables ?? []) places.push({ name: v.name, span: v.attrs.name?.span ?? v.nameSpan, item: undefined });
    const done = new Set<string>();
    // Each distinct name is compared with the documented ones once (a sequence repeats its names).
    const nearest = new Map<string, string | undefined>();
    for (const p of places) {
      const k = p.name.toLowerCase();
      if (setNames.has(k) && readNames.has(k)) continue;
      if (!nearest.has(k)) nearest.set(k, closest(p.name, names));
      const right = nearest.get(k);
      if (!right) continue;
      const text = textAt(ctx, p.span);
      const at = text.toLowerCase().indexOf(k);
      if (at < 0) continue;
      const span = { start: p.span.start + at, end: p.span.start + at + p.name.length };
      const key = `${span.start}`;
      if (done.has(key)) continue;
      done.add(key);
      ctx.report({
        message: `${p.item ? label(p.item) : 'the global variable list'}: "${p.name}" is not a documented variable; did you mean ${right}? A misspelled name is another variable, so the value never reaches the step that reads ${right}.`,
        span,
        data: { kind: 'replace-text', expect: textAt(ctx, span), replacement: right },
      });
    }
  },
};
