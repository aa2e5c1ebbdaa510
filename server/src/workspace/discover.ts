// Finds the `.cmts.json` and the site description that apply to a task sequence file, as the
// spec says: the nearest `.cmts.json` in its folder or a parent (up to the workspace root); its
// "site" when it names one, else the nearest configmgr-site.json. Reads the file system, so it
// lives outside the core; it caches nothing (the server caches per folder and drops on file events).

import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../site/config';
import { parseJson, propertyValue } from '../site/json';

export const CONFIG_FILE = '.cmts.json';
export const SITE_FILE = 'configmgr-site.json';

export interface DiscoveryProblem {
  /** The file the problem is about (the `.cmts.json` naming a missing site description). */
  path: string;
  message: string;
}

export interface SiteDiscovery {
  sitePath?: string;
  configPath?: string;
  problems: DiscoveryProblem[];
}

/** The nearest `.cmts.json` for a task sequence (or a folder), or undefined. */
export function findConfigFor(tsPath: string, root?: string): string | undefined {
  return nearest(tsPath, root, CONFIG_FILE);
}

/** The site description for a task sequence (or a folder), with the `.cmts.json` that decided it. */
export function findSiteFor(tsPath: string, root?: string): SiteDiscovery {
  const problems: DiscoveryProblem[] = [];
  const configPath = findConfigFor(tsPath, root);
  if (configPath) {
    const named = siteNamedBy(configPath, problems);
    if (named === null) return { configPath, problems };
    if (named !== undefined) {
      const sitePath = resolve(dirname(configPath), named);
      const kind = fileKind(sitePath);
      if (kind === 'file') return { sitePath, configPath, problems };
      // Falling back to another site description would check against the wrong site without a word.
      problems.push({
        path: configPath,
        message: kind === 'directory'
          ? `"site" names ${JSON.stringify(named)}, which is a folder (${sitePath}); give the path of the site description file itself.`
          : `"site" names ${JSON.stringify(named)}, but there is no such file (${sitePath}); the site checks are skipped until it exists.`,
      });
      return { configPath, problems };
    }
  }
  const sitePath = nearest(tsPath, root, SITE_FILE);
  return { ...(sitePath ? { sitePath } : {}), ...(configPath ? { configPath } : {}), problems };
}

/**
 * The `site` value of a `.cmts.json`: undefined when it names none, null when it names one that is
 * not a usable path (said in `problems`; the config's own diagnostics say more where it is loaded).
 */
function siteNamedBy(configPath: string, problems: DiscoveryProblem[]): string | null | undefined {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (e) {
    problems.push({ path: configPath, message: `Could not read ${configPath}: ${e instanceof Error ? e.message : String(e)}` });
    return undefined;
  }
  const site = loadConfig(text, []).config.site;
  if (site !== undefined) return site;
  const { root } = parseJson(text);
  if (root && propertyValue(root, 'site')) {
    problems.push({ path: configPath, message: `"site" in ${configPath} is not a usable file path; the site checks are skipped until it is fixed.` });
    return null;
  }
  return undefined;
}

/** Walks up from the file's folder (or the folder itself) to `root` when the start is inside it, else to the file system root. */
function nearest(tsPath: string, root: string | undefined, fileName: string): string | undefined {
  const start = resolve(tsPath);
  let dir = fileKind(start) === 'directory' ? start : dirname(start);
  const top = root !== undefined && isInside(dir, resolve(root)) ? resolve(root) : undefined;
  for (;;) {
    const candidate = join(dir, fileName);
    if (fileKind(candidate) === 'file') return candidate;
    if (top !== undefined && dir === top) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function isInside(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function fileKind(p: string): 'file' | 'directory' | undefined {
  try {
    const s = statSync(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : undefined;
  } catch {
    return undefined;
  }
}
