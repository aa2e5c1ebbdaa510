// The fix judge over the real exports in ../shared/corpus/real (CI only, like the round trip): every
// fix of every finding is applied and judged by the sequence it leaves, without a site description
// and with the generated one; every fix the engine still offers must pass every rule.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatJudgeStats, judgeDocument, newJudgeStats } from '../unit/helpers/fixJudge';
import { generatedSite } from './generatedSite';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');

void test('corpus: every offered fix leaves a sequence that still runs, with and without a site description', () => {
  assert.ok(existsSync(CORPUS), `corpus folder ${CORPUS} is missing`);
  const bare = newJudgeStats();
  const withSite = newJudgeStats();
  const sitePath = path.join(CORPUS, 'configmgr-site.json');
  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort()) {
    const p = path.join(CORPUS, file);
    const text = readFileSync(p, 'utf8');
    judgeDocument({ name: file, path: p, text }, bare);
    judgeDocument({ name: file, path: p, text, site: { path: sitePath, text: generatedSite(file, text) } }, withSite);
  }
  console.log(formatJudgeStats('corpus, no site description', bare));
  console.log(formatJudgeStats('corpus, generated site description', withSite));
  assert.deepEqual([...bare.failures, ...withSite.failures], []);
  assert.ok(bare.passing > 0 && withSite.passing > 0);
});
