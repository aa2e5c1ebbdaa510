// Works out what the real-editor tests expect on a fresh copy of the e2e workspace, from the CLI's
// JSON report (the same engine as the server), so the tests follow the checks as they grow:
// the file with an unknown step type and its first suggestion, a closed file with a diagnostic,
// a known step to hover and its display name, the codes each file should show.
// Prints shell assignments for .ci/e2e.sh: `eval "$(node --import tsx test/e2e/plan.ts WS)"`.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { catalog } from '../../server/src/catalog';
import { outline } from '../../server/src/features/symbols';
import { parseTaskSequence } from '../../server/src/model/parse';

interface Diag { rule: string; severity: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; fixes: string[] }
interface ReportFile { path: string; diagnostics: Diag[] }

const ws = process.argv[2];
const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
let out: string;
try {
  out = execFileSync(process.execPath, [cli, 'check', '--format', 'json', '.'], { cwd: ws, encoding: 'utf8' });
} catch (e) {
  // Exit code 1 means "findings", which is what a workspace with mistakes has.
  out = (e as { stdout?: string }).stdout ?? '';
}
const files = (JSON.parse(out) as { files: ReportFile[] }).files.filter((f) => f.path.endsWith('.xml'));

const withTypo = files
  .map((f) => ({ f, d: f.diagnostics.find((d) => d.rule === 'unknown-step-type' && d.fixes.length > 0) }))
  .filter((x): x is { f: ReportFile; d: Diag } => x.d !== undefined)
  .sort((a, b) => Number(a.f.path.startsWith('lab/')) - Number(b.f.path.startsWith('lab/')) || a.f.path.localeCompare(b.f.path));
if (!withTypo.length) throw new Error('no file in the e2e workspace has an unknown step type with a suggestion');
const { f: typoFile, d: typo } = withTypo[0];
const text = readFileSync(join(ws, typoFile.path), 'utf8');
const lines = text.split(/\r?\n/);
const typoText = lines[typo.range.start.line].slice(typo.range.start.character, typo.range.end.character);

const closed = files.find((f) => f.path !== typoFile.path && f.diagnostics.some((d) => d.severity !== 'info')) ?? files.find((f) => f.path !== typoFile.path && f.diagnostics.length > 0);
if (!closed) throw new Error('no second file in the e2e workspace has a diagnostic');
const closedDiag = closed.diagnostics.find((d) => d.severity !== 'info') ?? closed.diagnostics[0];

let hoverNeedle = '';
let hoverExpect = '';
for (const m of text.matchAll(/type="([^"]+)"/g)) {
  const t = catalog.get(m[1]);
  if (t?.kind === 'action') {
    hoverNeedle = m[1];
    hoverExpect = t.displayName;
    break;
  }
}
if (!hoverNeedle) throw new Error(`no known step type in ${typoFile.path}`);

// The outline's first group and the first step inside it, as the editor should list them.
const tree = outline(parseTaskSequence(text).model, catalog);
const top = tree.length === 1 && tree[0].kind === 'sequence' ? tree[0].children : tree;
const group = top.find((i) => i.kind === 'group' && i.children.length > 0);
if (!group) throw new Error(`no group with steps in ${typoFile.path}`);

// A content ID the sequence references and the site description lists, for definition and references.
const sitePath = join(ws, typoFile.path, '..', '..', 'configmgr-site.json');
const siteText = readFileSync(sitePath, 'utf8');
const contentId = [...text.matchAll(/package="([^"]+)"/g)].map((m) => m[1]).find((id) => siteText.includes(`"${id}"`));
if (!contentId) throw new Error(`no content ID of ${typoFile.path} is in ${sitePath}`);

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const vars: Record<string, string> = {
  TYPO_FILE: typoFile.path,
  TYPO_TEXT: typoText,
  TYPO_LINE: String(typo.range.start.line + 1),
  TYPO_COL: String(typo.range.start.character + 1),
  FIX_TITLE: typo.fixes[0],
  TYPO_CODES: [...new Set(typoFile.diagnostics.map((d) => d.rule))].join(' '),
  TYPO_COUNT: String(typoFile.diagnostics.length),
  TYPO_DIAGS: typoFile.diagnostics.map((d) => `${d.rule}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(';'),
  CLOSED_FILE: closed.path,
  CLOSED_CODE: closedDiag.rule,
  CLOSED_POS: `Ln ${closedDiag.range.start.line + 1}, Col ${closedDiag.range.start.character + 1}`,
  HOVER_NEEDLE: hoverNeedle,
  OUTLINE_GROUP: group.name,
  OUTLINE_STEP: group.children[0].name,
  HOVER_EXPECT: hoverExpect,
  STEP_NAMES: JSON.stringify(Object.fromEntries(catalog.all().filter((c) => c.kind === 'action').map((c) => [c.type, c.displayName]))),
  CONTENT_ID: contentId,
  SITE_FILE: relative(ws, sitePath),
};
for (const [k, v] of Object.entries(vars)) console.log(`export E2E_${k}=${q(v)}`);
