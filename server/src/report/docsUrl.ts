// Where a check's documentation is. When package.json names a public repository (GitHub or GitLab
// over https), its rendered docs/rules.md with the check's anchor: that is what SARIF's helpUri and
// an LSP client outside VS Code link to. Otherwise the docs/rules.md shipped with the package, as a
// file URI (never written into SARIF: a path on the machine that ran the check means nothing elsewhere).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** package.json's `repository`, put in the bundles by esbuild.mjs; read from package.json when run from the sources. */
declare const CMTS_REPOSITORY: unknown;

let cached: string | undefined;

/** file:// URI of docs/rules.md, found next to the bundle (dist/../docs) or the sources. */
export function rulesDocUri(): string {
  if (cached) return cached;
  const candidates = [path.resolve(__dirname, '../docs/rules.md'), path.resolve(__dirname, '../../../docs/rules.md'), path.resolve(__dirname, '../../docs/rules.md')];
  const found = candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
  cached = pathToFileURL(found).href;
  return cached;
}

/**
 * The https URL of a file in the repository package.json names, or undefined when it names none,
 * names one that is not a public GitHub or GitLab https URL, or still holds the placeholder owner
 * (TODO-…) that stands in until the project's public address is decided.
 */
export function repositoryFileUrl(repository: unknown, file: string): string | undefined {
  const raw = typeof repository === 'string' ? repository : repository && typeof repository === 'object' ? (repository as { url?: unknown }).url : undefined;
  if (typeof raw !== 'string') return undefined;
  let url = raw.trim().replace(/^git\+/, '');
  const short = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(url);
  if (short) url = `https://github.com/${short[1]}/${short[2]}`;
  const m = /^https:\/\/(github\.com|gitlab\.com)\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url);
  if (!m || /^todo/i.test(m[2])) return undefined;
  return m[1] === 'github.com' ? `https://github.com/${m[2]}/${m[3]}/blob/HEAD/${file}` : `https://gitlab.com/${m[2]}/${m[3]}/-/blob/HEAD/${file}`;
}

let repo: { value: unknown } | undefined;

/** package.json's `repository` field. */
function repository(): unknown {
  if (repo) return repo.value;
  let value: unknown;
  if (typeof CMTS_REPOSITORY !== 'undefined') value = CMTS_REPOSITORY;
  else {
    for (const c of [path.resolve(__dirname, '../package.json'), path.resolve(__dirname, '../../package.json'), path.resolve(__dirname, '../../../package.json')]) {
      try {
        const pkg = JSON.parse(fs.readFileSync(c, 'utf8')) as { name?: string; repository?: unknown };
        if (pkg.name === 'cmts') {
          value = pkg.repository;
          break;
        }
      } catch {
        // not there: the next candidate
      }
    }
  }
  repo = { value };
  return value;
}

/** The public, rendered section of a check's docs, when the package names a public repository. */
export function publicRuleDocUrl(id: string): string | undefined {
  const base = repositoryFileUrl(repository(), 'docs/rules.md');
  return base ? `${base}#${id}` : undefined;
}

/** The repository's public page, when the package names one. */
export function publicHomeUrl(): string | undefined {
  return repositoryFileUrl(repository(), 'README.md')?.replace(/\/(?:-\/)?blob\/HEAD\/README\.md$/, '');
}

/** The link a diagnostic carries: the public section when there is one, else the bundled file's. */
export function ruleDocUrl(id: string): string {
  return publicRuleDocUrl(id) ?? `${rulesDocUri()}#${id}`;
}
