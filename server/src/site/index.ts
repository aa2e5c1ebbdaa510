// The site description and .cmts.json as the rest of the server sees them: load functions that
// never throw, and the types they return. The JSON helpers load.ts shares with config.ts stay
// private to this folder.

export { loadSite } from './load';
export { loadConfig, RULE_LEVELS } from './config';
export type { CmtsConfig, ConfigProblem, RuleLevel } from './config';
export * from './types';
