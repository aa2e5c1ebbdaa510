// Shared by the step-number and smsts.log LSP tests: a temporary workspace with the log fixtures'
// sequence, its child and the site description that ties them, and where a step is written.

import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures', 'log');

export function logWorkspace(files: string[] = ['deploy.xml', 'child.xml', 'configmgr-site.json']): string {
  const root = mkdtempSync(join(tmpdir(), 'cmts-hints-'));
  for (const f of files) copyFileSync(join(FIXTURES, f), join(root, f));
  return root;
}

/** The line of the first element named `name` in the fixture (0-based). */
export function lineOf(text: string, name: string): number {
  return text.split('\n').findIndex((l) => l.includes(`name="${name}"`));
}

