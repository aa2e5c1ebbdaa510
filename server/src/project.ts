// The project façade: the one pipeline the CLI and the language server share. Given a host (how
// to read a file, what is on disk, the platform's path operations: an interface, so the core stays
// pure), it finds the .cmts.json and site description that apply to a file, loads them (cached by
// the host's key), guards sizes, parses, follows child sequences, runs the sequence checks and the
// site description's own checks, and returns findings. The front ends only read, convert and print.

import { catalog as defaultCatalog } from './catalog';
import type { Catalog } from './catalog/types';
import { analyze, analyzeSite, checkText, MAX_CHECK_CHARS, type SiteSequence } from './analysis';
import { ALL_CHECK_IDS } from './checks';
import { fixAll, fixTitles, type FixAllResult, type FixContext, type FixSafety } from './features/fixes';
import type { Finding } from './model/findings';
import { parseTaskSequence } from './model/parse';
import type { ParseProblem, ParseResult, Span, TaskSequenceModel } from './model/types';
import { createSequenceResolver } from './semantics/childSequences';
import { childResolverFrom, type ChildResolver } from './semantics/numbering';
import { startInFrom, type StartIn } from './semantics/flow';
import { siteExtraFor, type SequenceResolver } from './semantics/siteFacts';
import { loadConfig, loadSite, type CmtsConfig, type ConfigProblem, type LoadedSite } from './site';
import { parseJson, propertyValue } from './site/json';

/**
 * Fix titles (the CLI's json `fixes`) re-check at most this much fixed text per sequence: one
 * re-check of a 2 MB export, about 25 of an 80 KB one, more than real exports need. Fixes past it
 * are not listed (the editor still judges the fixes of each diagnostic it is asked about).
 */
export const MAX_TITLE_RECHECK_CHARS = 2 * 1024 * 1024;

export const CONFIG_FILE = '.cmts.json';
export const SITE_FILE = 'configmgr-site.json';

/** What the façade needs from the front end. */
export interface ProjectHost {
  /** A file's decoded text (the editor's copy when open) and a key that changes with it; undefined when unreadable. */
  read(path: string): { text: string; key: string } | undefined;
  /** What is at `path`. */
  kind(path: string): 'file' | 'directory' | undefined;
  /** The platform's path operations (node:path in the front ends). */
  paths: {
    dirname(p: string): string;
    join(dir: string, name: string): string;
    resolve(dir: string, p: string): string;
    /** `path` is `dir` or below it. */
    isInside(path: string, dir: string): boolean;
  };
}

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

export interface LoadedFile<T> {
  value: T;
  /** Changes when the file's text does. */
  key: string;
}

export interface LoadedConfig {
  config: CmtsConfig;
  problems: ConfigProblem[];
}

/** What applies to a task sequence: its site description and .cmts.json, loaded. */
export interface ProjectContext {
  sitePath?: string;
  /** The site description, when it exists and is usable (see `isUsable`). */
  site?: LoadedSite;
  /** Why the site description found is not used, when it is not. */
  siteProblem?: string;
  configPath?: string;
  config?: CmtsConfig;
  problems: DiscoveryProblem[];
  /** Changes whenever anything above does. */
  key: string;
}

export interface SequenceCheck {
  model: TaskSequenceModel;
  findings: Finding[];
  /** The parse problems, when the text was parsed (not over the size guard). */
  problems?: ParseProblem[];
}

/**
 * A site file with no content entries, no product and errors is unusable: checking against it
 * would report every ID as unknown, so the sequences are checked as if none applied and its own
 * diagnostics say what is wrong.
 */
export function isUsable(site: LoadedSite): boolean {
  return !(site.entries().length === 0 && site.site.site.product === undefined && site.problems.some((p) => p.severity === 'error'));
}

export class Project {
  private readonly discovery = new Map<string, SiteDiscovery>();
  private readonly sites = new Map<string, LoadedFile<LoadedSite>>();
  private readonly configs = new Map<string, LoadedFile<LoadedConfig>>();
  private readonly resolvers = new Map<string, { key: string; resolve: SequenceResolver }>();
  private discoveryGen = 0;
  private sequenceGen = 0;
  /** Every site description some file was found to use (custom names come from .cmts.json). */
  readonly knownSites = new Set<string>();

  constructor(
    private readonly host: ProjectHost,
    private readonly catalog: Catalog = defaultCatalog,
  ) {}

  // ---- discovery and loading ----------------------------------------------------------------

  /**
   * What applies to the file at `filePath` (a task sequence, or a folder) within workspace folder
   * `root`: the nearest .cmts.json (up to `root` when the file is inside it), its "site" when it
   * names one, else the nearest configmgr-site.json; `siteOverride` (the CLI's --site) wins.
   */
  contextFor(filePath: string, root?: string, siteOverride?: string): ProjectContext {
    const d = this.discoveryFor(filePath, root, siteOverride);
    const ctx: ProjectContext = { problems: d.problems, key: `g${this.discoveryGen}` };
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

  /** Which .cmts.json and site description apply to `filePath` (cached per folder until dropDiscovery). */
  discoveryFor(filePath: string, root?: string, siteOverride?: string): SiteDiscovery {
    const dir = this.host.kind(filePath) === 'directory' ? filePath : this.host.paths.dirname(filePath);
    const dkey = `${dir}\0${root ?? ''}\0${siteOverride ?? ''}`;
    let d = this.discovery.get(dkey);
    if (!d) {
      d = this.discover(dir, root, siteOverride);
      this.discovery.set(dkey, d);
    }
    return d;
  }

  /** The site description at `path`, loaded (cached by the host's key). */
  site(path: string): LoadedFile<LoadedSite> | undefined {
    return this.load(this.sites, path, (text) => loadSite(text));
  }

  /** The .cmts.json at `path`, loaded (cached by the host's key). */
  config(path: string): LoadedFile<LoadedConfig> | undefined {
    return this.load(this.configs, path, (text) => loadConfig(text, ALL_CHECK_IDS));
  }

  /** A site description or .cmts.json was created, deleted or changed on disk: find them again. */
  dropDiscovery(): void {
    this.discovery.clear();
    this.discoveryGen++;
  }

  /** A task sequence changed on disk: children are read again. */
  sequencesChanged(): void {
    this.sequenceGen++;
  }

  private load<T>(cache: Map<string, LoadedFile<T>>, path: string, make: (text: string) => T): LoadedFile<T> | undefined {
    const doc = this.host.read(path);
    if (!doc) {
      cache.delete(path);
      return undefined;
    }
    const hit = cache.get(path);
    if (hit && hit.key === doc.key) return hit;
    const loaded = { value: make(doc.text), key: doc.key };
    cache.set(path, loaded);
    return loaded;
  }

  private discover(dir: string, root: string | undefined, siteOverride: string | undefined): SiteDiscovery {
    const problems: DiscoveryProblem[] = [];
    const configPath = this.nearest(dir, root, CONFIG_FILE);
    if (siteOverride !== undefined) return { sitePath: siteOverride, ...(configPath ? { configPath } : {}), problems };
    if (configPath) {
      const named = this.siteNamedBy(configPath, problems);
      if (named === null) return { configPath, problems };
      if (named !== undefined) {
        const sitePath = this.host.paths.resolve(this.host.paths.dirname(configPath), named);
        const kind = this.host.kind(sitePath);
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
    const sitePath = this.nearest(dir, root, SITE_FILE);
    return { ...(sitePath ? { sitePath } : {}), ...(configPath ? { configPath } : {}), problems };
  }

  /**
   * The `site` value of a `.cmts.json`: undefined when it names none, null when it names one that
   * is not a usable path (said in `problems`; the config's own diagnostics say more).
   */
  private siteNamedBy(configPath: string, problems: DiscoveryProblem[]): string | null | undefined {
    const doc = this.host.read(configPath);
    if (!doc) {
      problems.push({ path: configPath, message: `Could not read ${configPath}.` });
      return undefined;
    }
    const site = loadConfig(doc.text, []).config.site;
    if (site !== undefined) return site;
    const { root } = parseJson(doc.text);
    if (root && propertyValue(root, 'site')) {
      problems.push({ path: configPath, message: `"site" in ${configPath} is not a usable file path; the site checks are skipped until it is fixed.` });
      return null;
    }
    return undefined;
  }

  /** Walks up from `dir` to `root` when `dir` is inside it, else to the file system root. */
  private nearest(dir: string, root: string | undefined, fileName: string): string | undefined {
    const p = this.host.paths;
    const top = root !== undefined && p.isInside(dir, root) ? root : undefined;
    for (let d = dir; ;) {
      const candidate = p.join(d, fileName);
      if (this.host.kind(candidate) === 'file') return candidate;
      if (top !== undefined && d === top) return undefined;
      const up = p.dirname(d);
      if (up === d) return undefined;
      d = up;
    }
  }

  // ---- checking ---------------------------------------------------------------------------

  /**
   * Check one task sequence in its context: the size guard, the parse (or the one given, shared
   * with the editor features), the child resolver and where the deployment starts, then every
   * sequence check. With `fixTitles`, each finding lists the titles of the fixes it offers (the
   * CLI's json `fixes`), made by the fix engine itself.
   */
  checkSequence(text: string, path: string | undefined, context: ProjectContext | undefined, options: { parsed?: ParseResult; fixTitles?: boolean } = {}): SequenceCheck {
    const site = context?.site;
    const sitePath = site ? context?.sitePath : undefined;
    const base = { site, sitePath, config: context?.config, path, catalog: this.catalog };
    if (text.length > MAX_CHECK_CHARS) return checkText(text, base);
    const { model, problems } = options.parsed ?? parseTaskSequence(text);
    const extra = this.extraFor(model, path, context);
    const findings = analyze({ ...base, text, model, problems, extra });
    if (options.fixTitles) {
      // The titles of the fixes the editor would offer: judged by the sequence they leave, like the code actions.
      // Each judgement re-checks the whole text: at most MAX_TITLE_RECHECK_CHARS of it in all, so a
      // sequence with a fix on every step is not checked once per step (issue 21).
      const fixCtx = this.fixContext(text, model, findings, path, context, startInFrom(extra), problems);
      if (fixCtx.safety) fixCtx.safety.maxRecheckChars = MAX_TITLE_RECHECK_CHARS;
      for (const f of findings) f.fixes = f.data ? fixTitles(f, fixCtx) : [];
    }
    return { model, findings, problems };
  }

  /**
   * What the fix engine needs for a sequence checked in `context`: its site, and the safety context
   * (the findings of `text` and a re-check of any other text in the same context), so only fixes
   * that leave a sequence that still runs are offered.
   */
  fixContext(text: string, model: TaskSequenceModel, findings: readonly Finding[], path: string | undefined, context: ProjectContext | undefined, startIn?: 'WinPE' | 'FullOS' | 'both', problems?: readonly ParseProblem[]): FixContext {
    const site = context?.site;
    const sitePath = site ? context?.sitePath : undefined;
    const safety: FixSafety = { findings, recheck: (t, parsed) => this.checkSequence(t, path, context, parsed ? { parsed } : {}), ...(startIn ? { startIn } : {}), ...(problems ? { problems } : {}) };
    return { text, model, catalog: this.catalog, ...(site && sitePath ? { site, sitePath } : {}), safety };
  }

  /**
   * Fix-all on one sequence (`cmts fix`): every fix that is its finding's only one and passes the
   * judge, applied in rounds with a re-check between them; the edits are offsets in `text`.
   */
  fixSequence(text: string, path: string | undefined, context: ProjectContext | undefined, only?: ReadonlySet<string>): FixAllResult & { findings: Finding[] } {
    const { model, findings, problems } = this.checkSequence(text, path, context);
    const ctx = this.fixContext(text, model, findings, path, context, this.startInFor(model, path, context), problems);
    // One re-check serves both the next round and the judge (fixAll counts it once against its bound).
    const result = fixAll(findings, ctx, ctx.safety?.recheck, only ? { only } : {});
    return { ...result, findings };
  }

  /**
   * A site description's own findings: its problems (without the schema's when `editorValidates`:
   * the editor shows those itself) and the site checks' site halves, with the sequences that use it.
   */
  checkSiteFile(sitePath: string, root: string | undefined, users: readonly SiteSequence[], options: { editorValidates?: boolean } = {}): Finding[] {
    return [...this.siteFileProblems(sitePath, options), ...this.siteChecks(sitePath, root, users)];
  }

  /** The site description's load problems (invalid-site-description), at the property they are about. */
  siteFileProblems(sitePath: string, options: { editorValidates?: boolean } = {}): Finding[] {
    const s = this.site(sitePath);
    return (s?.value.problems ?? []).filter((p) => !options.editorValidates || p.origin === undefined).map((p) => ({ rule: p.code, severity: p.severity, message: p.message, span: p.span }));
  }

  /** The site halves of the checks, on the site description, with `users` as the sequences they affect. */
  siteChecks(sitePath: string, root: string | undefined, users: readonly SiteSequence[]): Finding[] {
    const s = this.site(sitePath);
    if (!s || users.length === 0) return [];
    return analyzeSite(s.value, users, { sitePath, config: this.contextFor(sitePath, root).config, catalog: this.catalog });
  }

  /** A .cmts.json's load problems (invalid-config). */
  configFileProblems(configPath: string, options: { editorValidates?: boolean } = {}): Finding[] {
    const c = this.config(configPath);
    return (c?.value.problems ?? []).filter((p) => !options.editorValidates || p.origin === undefined).map((p) => ({ rule: p.code, severity: p.severity, message: p.message, span: p.span }));
  }

  /** A .cmts.json's own findings: its problems (as for a site file), and a "site" naming a file that is not there. */
  checkConfigFile(configPath: string, root: string | undefined, options: { editorValidates?: boolean } = {}): Finding[] {
    const c = this.config(configPath);
    const out = this.configFileProblems(configPath, options);
    const span: Span = c?.value.config.siteSpan ?? { start: 0, end: 0 };
    for (const p of this.contextFor(configPath, root).problems) {
      if (p.path === configPath) out.push({ rule: 'invalid-config', severity: 'error', message: p.message, span });
    }
    return out.sort((a, b) => a.span.start - b.span.start);
  }

  /** Run Task Sequence step → the child sequence it runs (numbering follows children through it); none without a site. */
  /**
   * What the checks of one sequence get besides its text (semantics/siteFacts.ts siteExtraFor): where
   * it starts, from its own deployment and the Run Task Sequence steps that call it, and the child
   * resolver. The checks, the fix judge and the step hints all start the sequence here, so they agree.
   */
  extraFor(model: TaskSequenceModel, path: string | undefined, context: ProjectContext | undefined): Record<string, unknown> {
    const site = context?.site;
    const sitePath = site ? context?.sitePath : undefined;
    const resolve = site && sitePath ? this.resolverFor(site, sitePath, context?.key ?? '') : undefined;
    return siteExtraFor(site, sitePath, path, model, resolve);
  }

  /** Where the sequence can start (extraFor's startIn). */
  startInFor(model: TaskSequenceModel, path: string | undefined, context: ProjectContext | undefined): StartIn {
    return startInFrom(this.extraFor(model, path, context));
  }

  childResolver(context: ProjectContext | undefined): ChildResolver | undefined {
    const site = context?.site;
    const sitePath = context?.sitePath;
    return site && sitePath ? childResolverFrom(this.resolverFor(site, sitePath, context.key)) : undefined;
  }

  /** Children are read through the host; a resolver lives until the site or any sequence on disk changes. */
  private resolverFor(site: LoadedSite, sitePath: string, contextKey: string): SequenceResolver {
    const key = `${contextKey}|t${this.sequenceGen}`;
    const hit = this.resolvers.get(sitePath);
    if (hit && hit.key === key) return hit.resolve;
    const resolve = createSequenceResolver(site, sitePath, (p) => this.host.read(p)?.text);
    this.resolvers.set(sitePath, { key, resolve });
    return resolve;
  }
}
