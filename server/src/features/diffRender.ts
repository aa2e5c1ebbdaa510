// `cmts diff` output: the change list of diff.ts as text for a terminal, Markdown for a pull
// request comment and JSON for tools. Pure: the change list and the files' names in, a string out.
// Words come from diff.ts as inline Markdown (code spans), which reads well in a terminal too.

import type { LineIndex } from '../model/positions';
import type { DiffChange, DiffChangeKind, DiffResult } from './diff';
import { escapeHtml, htmlDocument, inlineHtml } from './doc/html';
import { shorten } from './markdown';

/** Names as printed: a generated or hostile name of thousands of characters would bury the list. */
const nm = (s: string): string => shorten(s.trim(), 120);

const KIND_WORDS: Record<DiffChangeKind, [string, string]> = {
  added: ['added', 'added'],
  removed: ['removed', 'removed'],
  moved: ['moved', 'moved'],
  renamed: ['renamed', 'renamed'],
  enabled: ['enabled', 'enabled'],
  disabled: ['disabled', 'disabled'],
  condition: ['condition', 'conditions'],
  property: ['property', 'properties'],
  'command-line': ['command line', 'command lines'],
  content: ['content', 'content'],
  option: ['option', 'options'],
  description: ['description', 'descriptions'],
  sequence: ['sequence setting', 'sequence settings'],
};

/** "6 changes: 1 added, 2 moved, 3 conditions" */
export function summaryWords(r: DiffResult): string {
  if (r.equal) return 'no changes: the two sequences are the same (layout aside)';
  const parts = (Object.keys(KIND_WORDS) as DiffChangeKind[]).filter((k) => r.summary[k]).map((k) => `${r.summary[k]} ${KIND_WORDS[k][r.summary[k] === 1 ? 0 : 1]}`);
  return `${r.changes.length} ${r.changes.length === 1 ? 'change' : 'changes'}: ${parts.join(', ')}`;
}

/** `step 12 "Install Office"`, `group "Apps"`, `the sequence` */
export function itemWords(c: DiffChange): string {
  if (c.target === 'sequence') return 'the sequence';
  const n = c.number !== undefined ? ` ${c.number}` : '';
  const was = c.oldNumber !== undefined ? ` (was ${c.oldNumber})` : '';
  return `${c.target}${n} "${nm(c.name)}"${was}`;
}

const SIGN: Partial<Record<DiffChangeKind, string>> = { added: '+', removed: '-', moved: '>' };

/** One block per change: `~ step 12 "Format" in "Preinstall": condition changed`, then was/now lines. */
export function diffText(r: DiffResult, oldName: string, newName: string): string {
  const out = [`${oldName} → ${newName}: ${summaryWords(r)}`];
  for (const c of r.changes) {
    const where = c.path.length ? ` in "${c.path.map(nm).join(' › ')}"` : '';
    const type = c.stepType && (c.kind === 'added' || c.kind === 'removed') ? ` (${c.stepType})` : '';
    out.push(`${SIGN[c.kind] ?? '~'} ${itemWords(c)}${type}${where}: ${c.message}`);
    if (c.kind !== 'moved' && c.kind !== 'renamed') {
      if (c.before !== undefined) out.push(`    was: ${c.before}`);
      if (c.after !== undefined) out.push(`    now: ${c.after}`);
    }
    const held = c.inside ?? [];
    for (const h of held.slice(0, 50)) out.push(`    ${h.kind}${h.number !== undefined ? ` ${h.number}` : ''} "${nm(h.name)}"`);
    if (held.length > 50) out.push(`    … and ${held.length - 50} more`);
  }
  return out.join('\n') + '\n';
}

/** A table cell: pipes (those not escaped already) and line breaks would end the cell or the row. */
function cell(s: string): string {
  return s.replace(/(?<!\\)\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

/** Plain text made safe for Markdown (names can hold `*`, `_`, `<` …). */
function mdText(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** A table for a pull request comment: number, step or group, its group path, what changed. */
export function diffMarkdown(r: DiffResult, oldName: string, newName: string): string {
  const out = [`### Task sequence changes: \`${oldName.replace(/`/g, "'")}\` → \`${newName.replace(/`/g, "'")}\``, '', `${summaryWords(r).replace(/^./, (c) => c.toUpperCase())}.`];
  if (r.equal) return out.join('\n') + '\n';
  out.push('', '| # | Step or group | In group | Change |', '|---:|---|---|---|');
  for (const c of r.changes) {
    const what = c.target === 'sequence' ? '*the sequence*' : `${c.target === 'group' ? 'Group ' : ''}**${mdText(nm(c.name))}**${c.stepType ? ` *(${mdText(c.stepType)})*` : ''}`;
    const details = [c.message];
    if (c.kind !== 'moved' && c.kind !== 'renamed') {
      if (c.before !== undefined) details.push(`was: ${c.before}`);
      if (c.after !== undefined) details.push(`now: ${c.after}`);
    }
    const held = c.inside ?? [];
    if (held.length) details.push(held.slice(0, 20).map((h) => `${h.number !== undefined ? `${h.number} ` : ''}${mdText(nm(h.name))}`).join('; ') + (held.length > 20 ? `; … and ${held.length - 20} more` : ''));
    // A removed item's number is its number in the old file: said so, beside the new numbers.
    const number = c.number === undefined ? '' : c.kind === 'removed' ? `was ${c.number}` : `${c.number}${c.oldNumber !== undefined ? ` (was ${c.oldNumber})` : ''}`;
    out.push(`| ${number} | ${cell(what)} | ${cell(c.path.map((x) => mdText(nm(x))).join(' › '))} | ${details.map(cell).join('<br>')} |`);
  }
  return out.join('\n') + '\n';
}

/** JSON for tools: the change list with 0-based line/character ranges (as `cmts check --format json`). */
export function diffJson(r: DiffResult, oldName: string, newName: string, oldLines?: LineIndex, newLines?: LineIndex): string {
  const range = (lines: LineIndex | undefined, span: { start: number; end: number } | undefined): unknown =>
    lines && span ? { start: lines.positionAt(span.start), end: lines.positionAt(span.end) } : undefined;
  const changes = r.changes.map((c) => {
    const { oldSpan, newSpan, ...rest } = c;
    return { ...rest, oldRange: range(oldLines, oldSpan), newRange: range(newLines, newSpan) };
  });
  return JSON.stringify({ version: 2, old: oldName, new: newName, equal: r.equal, summary: r.summary, changes }, null, 2) + '\n';
}

/**
 * A self-contained HTML page of the changes, for an editor's compare view: the Markdown table's
 * columns, and each item linked where `link` gives an address for it (the new side's element, or
 * the old one's for a removal), such as a command that reveals the step in the editor.
 */
export function diffHtml(r: DiffResult, oldName: string, newName: string, link?: (c: DiffChange) => string | undefined): string {
  const out = ['<header>', `<h1>Task sequence changes</h1>`, `<p class="meta"><code>${escapeHtml(oldName)}</code> → <code>${escapeHtml(newName)}</code></p>`, `<p>${escapeHtml(summaryWords(r).replace(/^./, (x) => x.toUpperCase()))}.</p>`, '</header>', '<main>'];
  if (!r.equal) {
    out.push('<table>', '<thead><tr><th>#</th><th>Step or group</th><th>In group</th><th>Change</th></tr></thead>', '<tbody>');
    for (const c of r.changes) {
      const label = c.target === 'sequence' ? '<em>the sequence</em>' : `${c.target === 'group' ? 'Group ' : ''}<strong>${escapeHtml(nm(c.name))}</strong>${c.stepType ? ` <span class="type">${escapeHtml(c.stepType)}</span>` : ''}`;
      const href = link?.(c);
      const what = href ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
      const details = [`<span class="change-${c.kind}">${inlineHtml(c.message)}</span>`];
      if (c.kind !== 'moved' && c.kind !== 'renamed') {
        if (c.before !== undefined) details.push(`<span class="before">was: ${inlineHtml(c.before)}</span>`);
        if (c.after !== undefined) details.push(`now: ${inlineHtml(c.after)}`);
      }
      if (c.inside?.length) details.push(escapeHtml(c.inside.map((h) => `${h.number !== undefined ? `${h.number} ` : ''}${nm(h.name)}`).join('; ')));
      const number = c.number === undefined ? '' : c.kind === 'removed' ? `was ${c.number}` : `${c.number}${c.oldNumber !== undefined ? ` (was ${c.oldNumber})` : ''}`;
      out.push(`<tr><td>${number}</td><td>${what}</td><td>${escapeHtml(c.path.map(nm).join(' › '))}</td><td>${details.join('<br>')}</td></tr>`);
    }
    out.push('</tbody>', '</table>');
  }
  out.push('</main>');
  return htmlDocument(`Changes: ${newName}`, out.join('\n'));
}
