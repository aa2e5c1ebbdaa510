// The one table of checks. Each family lives in its own file; the order here is the order of
// docs/rules.md. The analysis façade, the CLI, SARIF rule entries, .cmts.json validation and the
// docs all read this table.

import type { Rule } from './types';
import { xmlSyntax, sequenceSize } from './syntax';
import { unknownStepType } from './stepTypes';
import { invalidCondition } from './conditions';
import { sequenceRules } from './sequence';
import { siteRules } from './site';
import { unusedSuppression, noSiteDescription, invalidSiteDescription, invalidConfig } from './meta';

export const RULES: readonly Rule[] = [
  xmlSyntax,
  unknownStepType,
  invalidCondition,
  ...sequenceRules,
  ...siteRules,
  sequenceSize,
  unusedSuppression,
  noSiteDescription,
  invalidSiteDescription,
  invalidConfig,
];

export const RULE_BY_ID: Readonly<Record<string, Rule>> = Object.fromEntries(RULES.map((r) => [r.id, r]));

export const ALL_RULE_IDS: readonly string[] = RULES.map((r) => r.id);
