// Writes docs/rules.md from the rule table (npm run docs).
import { writeFileSync, mkdirSync } from 'node:fs';
import { RULES } from '../server/src/rules';
import { renderRulesDoc } from '../server/src/rules/render';

mkdirSync('docs', { recursive: true });
writeFileSync('docs/rules.md', renderRulesDoc(RULES));
console.log(`docs/rules.md: ${RULES.length} checks`);
