// A fixture or example document with the site description and .cmts.json that apply to it, as
// the rule fixtures and the CLI find them: shared by the round-trip and fix-judge suites.

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { findSiteFor } from '../../../server/src/workspace/discover';
import { markers } from './markers';
import type { RoundTripDoc } from './roundTrip';

const REPO = join(__dirname, '..', '..', '..');

/** The file's own <base>.configmgr-site.json / <base>.cmts.json (rule fixtures), else what discovery finds under `root`. */
export function documentAt(path: string, root: string): RoundTripDoc {
  const base = join(dirname(path), basename(path, '.xml'));
  const found = findSiteFor(path, root);
  const sitePath = existsSync(`${base}.configmgr-site.json`) ? `${base}.configmgr-site.json` : found.sitePath;
  const configPath = existsSync(`${base}.cmts.json`) ? `${base}.cmts.json` : found.configPath;
  return {
    name: relative(REPO, path),
    path,
    // Marked fixtures (test/fixtures/model, the `$0` cursor of test/fixtures/fixes) are read without the markers.
    text: markers(readFileSync(path, 'utf8')).text.replace('$0', ''),
    ...(sitePath ? { site: { path: sitePath, text: readFileSync(sitePath, 'utf8') } } : {}),
    ...(configPath ? { config: { path: configPath, text: readFileSync(configPath, 'utf8') } } : {}),
    newConfigPath: join(root, '.cmts.json'),
  };
}

