// Which site description and .cmts.json apply to a file, and those files loaded: discovery is
// cached per folder and dropped on any file event for a site description or .cmts.json; loaded
// files are cached by their DocumentStore key (editor version, or disk generation), so an
// unsaved edit of the site description re-checks the sequences that use it.

import { dirname } from 'node:path';
import { findSiteFor, type DiscoveryProblem, type SiteDiscovery } from './discover';
import type { DocumentStore } from './documents';
import { loadConfig, loadSite, type CmtsConfig, type ConfigProblem, type LoadedSite } from '../site';
import { ALL_RULE_IDS } from '../rules';

export interface LoadedFile<T> {
  value: T;
  /** Changes when the file's text does. */
  key: string;
}

export interface SiteContext {
  sitePath?: string;
  /** The site description, when it exists and is usable (see `usable`). */
  site?: LoadedSite;
  /** Why the site description found is not used, when it is not. */
  siteProblem?: string;
  configPath?: string;
  config?: CmtsConfig;
  problems: DiscoveryProblem[];
  /** Changes whenever anything above does. */
  key: string;
}

export interface LoadedConfig {
  config: CmtsConfig;
  problems: ConfigProblem[];
}

/**
 * A site file with no content entries, no product and errors is unusable (the CLI's rule too):
 * checking against it would report every ID as unknown, so the sequences are checked as if none
 * applied and its own diagnostics say what is wrong.
 */
export function isUsable(site: LoadedSite): boolean {
  return !(site.entries().length === 0 && site.site.site.product === undefined && site.problems.some((p) => p.severity === 'error'));
}

export class SiteCache {
  private readonly discovery = new Map<string, SiteDiscovery>();
  private readonly sites = new Map<string, LoadedFile<LoadedSite>>();
  private readonly configs = new Map<string, LoadedFile<LoadedConfig>>();
  private discoveryGen = 0;
  /** Every site description some file was found to use (custom names come from .cmts.json). */
  readonly knownSites = new Set<string>();

  constructor(private readonly docs: DocumentStore) {}

  /** What applies to the file at `filePath` (a task sequence, or a folder), within workspace folder `root`. */
  contextFor(filePath: string, root: string | undefined): SiteContext {
    const dir = dirname(filePath);
    const dkey = `${dir}\0${root ?? ''}`;
    let d = this.discovery.get(dkey);
    if (!d) {
      d = findSiteFor(filePath, root);
      this.discovery.set(dkey, d);
    }
    const ctx: SiteContext = { problems: d.problems, key: `g${this.discoveryGen}` };
    if (d.configPath) {
      const c = this.config(d.configPath);
      ctx.configPath = d.configPath;
      if (c) {
        ctx.config = c.value.config;
        ctx.key += `|c${c.key}`;
      }
    }
    if (d.sitePath) {
      this.knownSites.add(d.sitePath);
      ctx.sitePath = d.sitePath;
      const s = this.site(d.sitePath);
      if (!s) {
        ctx.siteProblem = `The site description ${d.sitePath} could not be read.`;
      } else {
        ctx.key += `|s${s.key}`;
        if (isUsable(s.value)) ctx.site = s.value;
        else ctx.siteProblem = `The site description cannot be used: ${s.value.problems[0]?.message ?? 'it is empty'}`;
      }
    }
    return ctx;
  }

  site(path: string): LoadedFile<LoadedSite> | undefined {
    const doc = this.docs.getPath(path);
    if (!doc) {
      this.sites.delete(path);
      return undefined;
    }
    const hit = this.sites.get(path);
    if (hit && hit.key === doc.key) return hit;
    const loaded = { value: loadSite(doc.text), key: doc.key };
    this.sites.set(path, loaded);
    return loaded;
  }

  config(path: string): LoadedFile<LoadedConfig> | undefined {
    const doc = this.docs.getPath(path);
    if (!doc) {
      this.configs.delete(path);
      return undefined;
    }
    const hit = this.configs.get(path);
    if (hit && hit.key === doc.key) return hit;
    const loaded = { value: loadConfig(doc.text, ALL_RULE_IDS), key: doc.key };
    this.configs.set(path, loaded);
    return loaded;
  }

  /** A site description or .cmts.json was created, deleted or changed on disk: find them again. */
  dropDiscovery(): void {
    this.discovery.clear();
    this.discoveryGen++;
  }
}
