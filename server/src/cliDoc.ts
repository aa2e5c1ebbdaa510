// Pages of `cmts doc` for a set of files: a file name per sequence (its own name, made unique),
// links from a Run Task Sequence step to the page of the child it runs (through the site
// description's taskSequences[].file), and the index. Knows paths, so it sits beside the CLI.

import * as path from 'node:path';
import type { Catalog } from './catalog/types';
import type { NumberOf } from './features/diff';
import { indexHtml, pageHtml } from './features/doc/html';
import { indexMarkdown, pageMarkdown } from './features/doc/markdown';
import { docPage, type DocFinding, type DocPage } from './features/doc/page';
import type { TaskSequenceModel } from './model/types';
import type { LoadedSite } from './site/types';

export type DocFormat = 'markdown' | 'html';

export interface DocFileInput {
  file: string;
  relPath: string;
  model: TaskSequenceModel;
  site?: LoadedSite;
  sitePath?: string;
  findings: readonly DocFinding[];
}

export interface DocOptions {
  format: DocFormat;
  catalog: Catalog;
  numberOf?: NumberOf;
  /** One page alone (printed to stdout): no index, no link to one. */
  single: boolean;
}

/** The pages to write, the index last (when not `single`). */
export function docPages(inputs: readonly DocFileInput[], o: DocOptions): { file: string; text: string }[] {
  const ext = o.format === 'html' ? '.html' : '.md';
  const names = new Map<string, string>();
  const used = new Set<string>([`index${ext}`]);
  for (const i of inputs) {
    const stem = path.basename(i.file).replace(/\.xml$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'sequence';
    let name = `${stem}${ext}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem}-${n}${ext}`;
    used.add(name.toLowerCase());
    names.set(i.file, name);
  }
  const pages: { page: DocPage; href: string }[] = [];
  for (const i of inputs) {
    const childHref = (id: string): string | undefined => {
      const entry = i.site?.lookup(id);
      if (!entry || entry.collection !== 'taskSequences' || !entry.entry.file || !i.sitePath) return undefined;
      const target = names.get(path.resolve(path.dirname(i.sitePath), entry.entry.file));
      return target ? encodeURI(target) : undefined;
    };
    const page = docPage({ file: i.relPath, model: i.model, catalog: o.catalog, site: i.site, numberOf: o.numberOf, findings: i.findings, childHref });
    pages.push({ page, href: encodeURI(names.get(i.file)!) });
  }
  const out = pages.map(({ page, href }) => ({
    file: decodeURI(href),
    text: o.format === 'html' ? pageHtml(page, o.single ? undefined : `index${ext}`) : pageMarkdown(page),
  }));
  if (!o.single) out.push({ file: `index${ext}`, text: o.format === 'html' ? indexHtml(pages) : indexMarkdown(pages) });
  return out;
}
