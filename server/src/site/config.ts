// Loads `.cmts.json`: which site description to use and the severity of each check. Never
// throws. The shape is checked with ajv against schemas/cmts-config.schema.json; rule ids are
// checked here against the list the caller passes, since the rule table grows without the schema
// changing. Every problem is located in the config file, where the editor and the CLI show it.

import type { ValidateFunction } from 'ajv';
import type { Node } from 'jsonc-parser';
import type { Span } from '../model/types';
import schema from '../../../schemas/cmts-config.schema.json';
import { closest, describeSchemaError, newAjv, duplicateKeyProblems, nodeSpan, nodeValue, parseJson, propertyValue, usefulErrors, type JsonProblem } from './json';
import { capProblems } from './load';

export type RuleLevel = 'off' | 'info' | 'warning' | 'error';
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

export interface CmtsConfig {
  /** The `site` path as written (relative to the config file; discover.ts resolves it). */
  site?: string;
  /** The `site` text inside its quotes. */
  siteSpan?: Span;
  /** Severity per known rule id; unknown ids and invalid values are left out (and reported). */
  rules: Record<string, RuleLevel>;
  /** For each rule in `rules`, its severity text inside the quotes. */
  ruleSpans: Record<string, Span>;
}

export interface ConfigProblem {
  code: 'invalid-config';
  severity: 'error' | 'warning';
  message: string;
  span: Span;
  /** Also reported by a JSON editor holding the schema: 'syntax' or 'schema' (see JsonProblem in load.ts). */
  origin?: 'syntax' | 'schema';
}

// Compiled on first use, like the site schema (issue 20: CLI start).
let compiledConfig: ValidateFunction | undefined;
function configValidator(): ValidateFunction {
  return (compiledConfig ??= newAjv().compile(schema));
}

/** A .cmts.json holds a path and a few dozen rule levels; larger ones are not read (hostile input, issue 9). */
export const MAX_CONFIG_CHARS = 1024 * 1024;

export function loadConfig(text: string, knownRules: readonly string[]): { config: CmtsConfig; problems: ConfigProblem[] } {
  if (text.length > MAX_CONFIG_CHARS) {
    return { config: emptyConfig(), problems: [problem({ severity: 'error', message: `This .cmts.json is too large to read (${(text.length / 1024 / 1024).toFixed(1)} MB; a .cmts.json is a few hundred bytes).`, span: { start: 0, end: Math.min(1, text.length) } })] };
  }
  try {
    const r = load(text, knownRules);
    capProblems(r.problems);
    return r;
  } catch (e) {
    const why = e instanceof RangeError ? 'it is nested too deeply' : e instanceof Error ? e.message : String(e);
    return { config: emptyConfig(), problems: [problem({ severity: 'error', message: `cmts could not read this file (${why}).`, span: { start: 0, end: 0 } })] };
  }
}

function emptyConfig(): CmtsConfig {
  return { rules: {}, ruleSpans: {} };
}

function problem(p: JsonProblem): ConfigProblem {
  return { code: 'invalid-config', ...p };
}

function load(text: string, knownRules: readonly string[]): { config: CmtsConfig; problems: ConfigProblem[] } {
  const config = emptyConfig();
  if (text.trim() === '') {
    return { config, problems: [problem({ severity: 'warning', message: 'This .cmts.json is empty; write {} or settings such as { "rules": { ... } }.', span: { start: 0, end: 0 } })] };
  }
  const { root, problems: syntax } = parseJson(text);
  const problems = syntax.map(problem);
  if (!root || root.type !== 'object') {
    if (root) problems.push(problem({ severity: 'error', message: '.cmts.json must be a JSON object { ... } at the top level.', span: nodeSpan(root), origin: 'schema' }));
    return { config, problems: sortProblems(problems) };
  }
  problems.push(...duplicateKeyProblems(root).map(problem));

  const bad = new Set<string>();
  const validateConfig = configValidator();
  validateConfig(nodeValue(root));
  for (const err of usefulErrors(validateConfig.errors)) {
    problems.push(problem({ ...describeSchemaError(err, root, { nouns: {}, topLevel: '.cmts.json' }), origin: 'schema' }));
    bad.add(err.instancePath);
  }

  const site = propertyValue(root, 'site');
  const sitePath: unknown = site?.value;
  if (site && typeof sitePath === 'string' && !bad.has('/site')) {
    config.site = sitePath;
    config.siteSpan = inner(site);
  }

  const rules = propertyValue(root, 'rules');
  if (rules?.type === 'object' && !bad.has('/rules')) {
    for (const prop of rules.children ?? []) {
      const [key, value] = prop.children ?? [];
      const id: unknown = key?.value;
      if (!key || typeof id !== 'string') continue;
      if (!knownRules.includes(id)) {
        const guess = closest(id, knownRules);
        problems.push(problem({
          severity: 'warning',
          message: `Unknown check "${id}"${guess ? `; did you mean "${guess}"?` : '; it is ignored (the checks are listed in docs/rules.md).'}`,
          span: nodeSpan(key),
        }));
        continue;
      }
      const level: unknown = value?.value;
      const known = RULE_LEVELS.find((l) => l === level);
      if (!value || !known || bad.has(`/rules/${escapePointer(id)}`)) continue;
      // A repeated key: the last one wins, as for every JSON reader that keeps one.
      config.rules[id] = known;
      config.ruleSpans[id] = inner(value);
    }
  }
  return { config, problems: sortProblems(problems) };
}

/** A string value's text inside its quotes. */
function inner(n: Node): Span {
  return n.type === 'string' && n.length >= 2 ? { start: n.offset + 1, end: n.offset + n.length - 1 } : nodeSpan(n);
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.span.start - b.span.start);
}
