// False-alarm review over the real corpus (../shared/corpus/real): runs every check on every file,
// prints the number of findings per check and severity, then every error raised on Microsoft's own
// templates (keithga__DeployShared__*, microsoft__configmgr-hub*), which are working sequences.
//   npx tsx scripts/corpus-review.ts [--all] [--rule <id>] [--start WinPE|FullOS|both]
// --all lists every finding (not only errors on templates); --rule keeps one check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkText } from '../server/src/analysis';
import { LineIndex } from '../server/src/model/positions';
import { CHECKS } from '../server/src/checks';
import type { Finding } from '../server/src/model/findings';

const args = process.argv.slice(2);
const listAll = args.includes('--all');
const only = args.includes('--rule') ? args[args.indexOf('--rule') + 1] : undefined;
const start = args.includes('--start') ? args[args.indexOf('--start') + 1] : undefined;
const dir = resolve(__dirname, '..', '..', 'shared', 'corpus', 'real');
if (!existsSync(dir)) {
  console.error(`no corpus at ${dir}`);
  process.exit(1);
}

const isTemplate = (f: string): boolean => f.startsWith('keithga__DeployShared__') || f.startsWith('microsoft__configmgr-hub');
const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort();
const counts = new Map<string, { error: number; warning: number; info: number; files: Set<string> }>();
for (const r of CHECKS) counts.set(r.id, { error: 0, warning: 0, info: 0, files: new Set() });
const listed: string[] = [];

for (const file of files) {
  const text = readFileSync(join(dir, file), 'utf8');
  const { findings } = checkText(text, { path: file, extra: start ? { startIn: start } : {} });
  const lines = new LineIndex(text);
  for (const f of findings) {
    if (only && f.rule !== only) continue;
    const c = counts.get(f.rule) ?? { error: 0, warning: 0, info: 0, files: new Set<string>() };
    c[f.severity]++;
    c.files.add(file);
    counts.set(f.rule, c);
    if (listAll || (isTemplate(file) && f.severity === 'error')) listed.push(describe(file, f, lines));
  }
}

console.log(`${files.length} files in ${dir}\n`);
console.log('| check | errors | warnings | info | files |');
console.log('|---|---|---|---|---|');
for (const [id, c] of counts) {
  if (only && id !== only) continue;
  console.log(`| \`${id}\` | ${c.error} | ${c.warning} | ${c.info} | ${c.files.size} |`);
}
console.log(`\n${listAll ? 'All findings' : 'Errors on Microsoft templates'}: ${listed.length}`);
for (const l of listed) console.log(l);

function describe(file: string, f: Finding, lines: LineIndex): string {
  const p = lines.positionAt(f.span.start);
  const rel = (f.related ?? []).map((r) => {
    const q = lines.positionAt(r.span.start);
    return `\n      related ${q.line + 1}:${q.character + 1} ${r.message}`;
  }).join('');
  return `- ${file}:${p.line + 1}:${p.character + 1} [${f.rule} ${f.severity}] ${f.message}${rel}`;
}
