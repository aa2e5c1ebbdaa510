// Writes docs/rules.md from the check modules (npm run docs).
import { writeFileSync, mkdirSync } from 'node:fs';
import { CHECKS } from '../server/src/checks';
import { renderRulesDoc } from '../server/src/checks/docs';

mkdirSync('docs', { recursive: true });
writeFileSync('docs/rules.md', renderRulesDoc(CHECKS));
console.log(`docs/rules.md: ${CHECKS.length} checks`);
