// `cmts site import <sources…> [--site FILE]`: builds or updates the site description from a
// console export (.zip or its folder) and WMI instances saved as JSON (../shared/spec/cli.md,
// version 2). The reading is workspace/importFiles.ts, the work site/import; this prints what was
// added and what the file's own values kept from changing, and writes only when all input was good.
// Exit status as `check`: 0 done, 2 usage, I/O or bad input (then nothing is written).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalog } from './catalog';
import { importSite } from './site/import';
import { SITE_FILE } from './workspace/discover';
import { readImportSources } from './workspace/importFiles';
import { eachArgument, UsageError, type CliIo } from './cliIo';

export const SITE_IMPORT_USAGE = '  cmts site import <sources…> [--site FILE]';

export function siteImport(args: string[], io: CliIo): number {
  const paths: string[] = [];
  let site: string | undefined;
  try {
    eachArgument(args, (flag, value) => {
      if (flag === '--site') site = value();
      else throw new UsageError(`unknown option ${flag}`);
    }, (operand) => paths.push(operand));
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (paths.length === 0) return usage(io, 'site import needs at least one export (.zip or folder) or JSON file');
  const target = path.resolve(io.cwd, site ?? SITE_FILE);
  const shown = path.relative(io.cwd, target) || target;

  let existing: string | undefined;
  if (fs.existsSync(target)) {
    try {
      existing = fs.readFileSync(target, 'utf8');
    } catch (e) {
      io.err(`cmts: cannot read ${shown} (${e instanceof Error ? e.message : String(e)})\n`);
      return 2;
    }
  }
  const read = readImportSources(paths, io.cwd);
  if (read.problems.length) return fail(io, read.problems.map((p) => p.message));
  const r = importSite(read.sources, catalog, existing === undefined ? undefined : { text: existing });
  if (r.problems.length) return fail(io, r.problems.map((p) => p.message));

  for (const a of r.added) io.out(`added ${a}\n`);
  for (const c of r.conflicts) io.out(`kept ${shown}: ${c}\n`);
  if (r.ignored.length) io.out(`not used (the site description has no place for them): ${r.ignored.join(', ')}\n`);
  if (!r.changed) {
    io.out(`${shown} is up to date: the import adds nothing.\n`);
    return 0;
  }
  try {
    fs.writeFileSync(target, r.text, existing === undefined ? { flag: 'wx' } : {});
  } catch (e) {
    io.err(`cmts: cannot write ${shown} (${e instanceof Error ? e.message : String(e)})\n`);
    return 2;
  }
  io.out(`${existing === undefined ? 'Wrote' : 'Updated'} ${shown}: ${r.added.length} added${r.conflicts.length ? `, ${r.conflicts.length} of your values kept` : ''}.\n`);
  return 0;
}

function usage(io: CliIo, message: string): number {
  io.err(`cmts: ${message}\n\nUsage:\n${SITE_IMPORT_USAGE}\n`);
  return 2;
}

function fail(io: CliIo, messages: string[]): number {
  for (const m of messages) io.err(`cmts: ${m}\n`);
  io.err('cmts: nothing was written.\n');
  return 2;
}
