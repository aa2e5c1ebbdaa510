// Discovery on the disk, for callers without a project of their own (tests, one-off tools): the
// rules live in the project façade (project.ts), this only gives it a disk host.

import { Project, type SiteDiscovery } from '../project';
import { diskHost } from './host';

export { CONFIG_FILE, SITE_FILE, type DiscoveryProblem, type SiteDiscovery } from '../project';

/** The site description for a task sequence (or a folder), with the `.cmts.json` that decided it. */
export function findSiteFor(path: string, root?: string): SiteDiscovery {
  return new Project(diskHost()).discoveryFor(path, root);
}

/** The nearest `.cmts.json` for a task sequence (or a folder), or undefined. */
export function findConfigFor(path: string, root?: string): string | undefined {
  return findSiteFor(path, root).configPath;
}
