// A site description entry as markdown, for hover on a content ID and completion's documentation
// of the IDs it offers: kind, name, version, architecture, Windows PE version, distribution points
// (and whether any of them is a distribution point the site knows). Pure over LoadedSite.

import type { ContentKind } from '../catalog/types';
import type { ContentEntry, LoadedSite } from '../site/types';
import { kindNoun } from '../semantics/siteFacts';
import { code, esc } from './markdown';

/** The kind's noun for hover and completion: the rules' noun, with "client package" plain (the entry's name already says ConfigMgr). */
export function kindName(kind: ContentKind): string {
  return kind === 'clientPackage' ? 'client package' : kindNoun(kind);
}

/** The entry's facts as "Label: value" lines (plain text, escaped for markdown). */
export function entryFacts(entry: ContentEntry, site: LoadedSite): string[] {
  const facts: string[] = [];
  const add = (label: string, v: string | number | boolean | undefined): void => {
    if (v !== undefined && v !== '') facts.push(`${label}: ${esc(String(v))}`);
  };
  switch (entry.collection) {
    case 'bootImages':
      add('Architecture', entry.entry.architecture);
      add('Windows PE', entry.entry.windowsPEVersion);
      add('PXE', entry.entry.pxeEnabled === undefined ? undefined : entry.entry.pxeEnabled ? 'enabled' : 'not enabled');
      if (entry.entry.optionalComponents) add('Optional components', entry.entry.optionalComponents.join(', ') || 'none');
      break;
    case 'operatingSystemImages':
      add('Architecture', entry.entry.architecture);
      add('OS version', entry.entry.osVersion);
      add('Images in the WIM', entry.entry.imageCount);
      if (entry.entry.multicast !== 'none') add('Multicast', entry.entry.multicast);
      break;
    case 'operatingSystemInstallers':
      add('Architecture', entry.entry.architecture);
      add('OS version', entry.entry.osVersion);
      add('Editions', entry.entry.editionCount);
      break;
    case 'driverPackages':
      if (entry.entry.drivers) {
        const on = entry.entry.drivers.filter((d) => d.enabled !== false).length;
        add('Drivers', `${entry.entry.drivers.length} (${on} enabled)`);
      }
      break;
    case 'packages':
      add('Package kind', entry.entry.kind);
      add('USMT version', entry.entry.usmtVersion);
      add('Architecture', entry.entry.architecture);
      if (entry.entry.programs?.length) add('Programs', entry.entry.programs.join(', '));
      break;
    case 'taskSequences':
      add('File', entry.entry.file);
      add('Boot image', entry.entry.bootImageId);
      add('Available to', entry.entry.availableTo);
      break;
    case 'applications':
      break;
  }
  if (entry.collection !== 'taskSequences') {
    const dps = entry.entry.distributionPoints;
    if (dps.length === 0) facts.push('Not on any distribution point');
    else if (site.isDistributed(entry)) facts.push(`Distributed to: ${dps.map(esc).join(', ')}`);
    else facts.push(`Distribution points ${dps.map(esc).join(', ')} are not distribution points in siteSystems`);
  }
  return facts;
}

/** `**Name** — kind \`ID\`` and the facts as a list. */
export function entryMarkdown(entry: ContentEntry, site: LoadedSite): string {
  const lines = [`**${esc(entry.name ?? entry.id)}** — ${kindName(entry.kind)} ${code(entry.id)}`, ''];
  for (const f of entryFacts(entry, site)) lines.push(`- ${f}`);
  return lines.join('\n').trimEnd();
}
