// Finding the .cmts.json and site description for a task sequence, on real folders made in a
// temporary directory: nearest wins, "site" in .cmts.json overrides, a missing file is reported.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findConfigFor, findSiteFor } from '../../server/src/workspace/discover';

const base = mkdtempSync(join(tmpdir(), 'cmts-discover-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** Creates the files (path → content) under a fresh folder and returns its path. */
function tree(name: string, files: Record<string, string>): string {
  const root = join(base, name);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return root;
}

const SITE = '{ "site": { "code": "CEN", "product": "ConfigMgr 2007", "version": "SP1" } }';

void test('the nearest configmgr-site.json wins', () => {
  const root = tree('nearest', {
    'configmgr-site.json': SITE,
    'lab/configmgr-site.json': SITE,
    'lab/sequences/deploy.xml': '<sequence/>',
    'prod/sequences/deploy.xml': '<sequence/>',
  });
  assert.deepEqual(findSiteFor(join(root, 'lab/sequences/deploy.xml'), root), { sitePath: join(root, 'lab/configmgr-site.json'), problems: [] });
  assert.deepEqual(findSiteFor(join(root, 'prod/sequences/deploy.xml'), root), { sitePath: join(root, 'configmgr-site.json'), problems: [] });
  assert.deepEqual(findSiteFor(join(root, 'lab'), root).sitePath, join(root, 'lab/configmgr-site.json'), 'a folder starts the search itself');
});

void test('the search stops at the root', () => {
  const outer = tree('bounded', { 'configmgr-site.json': SITE, '.cmts.json': '{}', 'ws/sequences/deploy.xml': '<sequence/>' });
  const ts = join(outer, 'ws/sequences/deploy.xml');
  assert.deepEqual(findSiteFor(ts, join(outer, 'ws')), { problems: [] });
  assert.equal(findConfigFor(ts, join(outer, 'ws')), undefined);
  assert.equal(findSiteFor(ts).sitePath, join(outer, 'configmgr-site.json'), 'without a root, parents up to the file system root count');
  assert.equal(findConfigFor(ts), join(outer, '.cmts.json'));
});

void test('"site" in the nearest .cmts.json overrides configmgr-site.json, relative to the .cmts.json', () => {
  const root = tree('override', {
    '.cmts.json': '{ "site": "../shared/lab-site.json", "rules": { "boot-image": "off" } }',
    'configmgr-site.json': SITE,
    'sequences/deploy.xml': '<sequence/>',
  });
  mkdirSync(join(base, 'shared'), { recursive: true });
  writeFileSync(join(base, 'shared', 'lab-site.json'), SITE);
  const found = findSiteFor(join(root, 'sequences/deploy.xml'), base);
  assert.deepEqual(found, { sitePath: join(base, 'shared', 'lab-site.json'), configPath: join(root, '.cmts.json'), problems: [] });
});

void test('a .cmts.json without "site" keeps the configmgr-site.json search', () => {
  const root = tree('no-site-key', {
    '.cmts.json': '{ "rules": {} }',
    'sites/configmgr-site.json': SITE,
    'sites/seq/deploy.xml': '<sequence/>',
  });
  assert.deepEqual(findSiteFor(join(root, 'sites/seq/deploy.xml'), root), {
    sitePath: join(root, 'sites/configmgr-site.json'), configPath: join(root, '.cmts.json'), problems: [],
  });
});

void test('the nearest .cmts.json is the one that counts', () => {
  const root = tree('nearest-config', {
    '.cmts.json': '{ "site": "outer.json" }',
    'outer.json': SITE,
    'team/.cmts.json': '{ "site": "inner.json" }',
    'team/inner.json': SITE,
    'team/seq/deploy.xml': '<sequence/>',
  });
  assert.equal(findConfigFor(join(root, 'team/seq/deploy.xml'), root), join(root, 'team/.cmts.json'));
  assert.equal(findSiteFor(join(root, 'team/seq/deploy.xml'), root).sitePath, join(root, 'team/inner.json'));
});

void test('a "site" naming a missing file or a folder is a problem, not a silent fallback', () => {
  const root = tree('missing', {
    '.cmts.json': '{ "site": "sites/typo.json" }',
    'configmgr-site.json': SITE,
    'sites/real.json': SITE,
    'deploy.xml': '<sequence/>',
  });
  const found = findSiteFor(join(root, 'deploy.xml'), root);
  assert.equal(found.sitePath, undefined);
  assert.equal(found.configPath, join(root, '.cmts.json'));
  assert.equal(found.problems.length, 1);
  assert.equal(found.problems[0]?.path, join(root, '.cmts.json'));
  assert.match(found.problems[0]?.message ?? '', /"sites\/typo\.json", but there is no such file/);

  writeFileSync(join(root, '.cmts.json'), '{ "site": "sites" }');
  const folder = findSiteFor(join(root, 'deploy.xml'), root);
  assert.equal(folder.sitePath, undefined);
  assert.match(folder.problems[0]?.message ?? '', /is a folder/);

  writeFileSync(join(root, '.cmts.json'), '{ "site": "https://example.com/site.json" }');
  const url = findSiteFor(join(root, 'deploy.xml'), root);
  assert.equal(url.sitePath, undefined);
  assert.match(url.problems[0]?.message ?? '', /not a usable file path/);
});
