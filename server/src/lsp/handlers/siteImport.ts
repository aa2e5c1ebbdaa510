// cmts/siteImport: what importing site exports (console export folders or zips, WMI JSON) would
// make of a site description, for the VS Code command "Import Site Description…". The sources are
// read from disk by the same reader as `cmts site import`; the site description as the editor
// has it. Nothing is written here: the client shows the change and applies it when asked.

import { dirname } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { catalog } from '../../catalog';
import { importSite } from '../../site/import';
import type { DocumentStore } from '../../workspace/documents';
import { uriToPath } from '../../workspace/documents';
import { readImportSources } from '../../workspace/importFiles';
import { SITE_IMPORT, type SiteImportParams, type SiteImportResult } from '../protocol';
import { runSafe } from '../runSafe';

export function registerSiteImport(connection: Connection, docs: DocumentStore, log: (message: string) => void): void {
  connection.onRequest(SITE_IMPORT, (p: SiteImportParams, token) =>
    runSafe<SiteImportResult | null>(log, SITE_IMPORT, null, () => {
      const target = uriToPath(p.targetUri);
      const sources = p.sourceUris.map((u) => uriToPath(u)).filter((s): s is string => typeof s === 'string');
      if (!target || sources.length === 0) return null;
      const existing = docs.getPath(target);
      const read = readImportSources(sources, dirname(target));
      const r = importSite(read.sources, catalog, existing ? { text: existing.text } : undefined);
      const problems = [...read.problems, ...r.problems.map((x) => ({ file: x.file, message: x.message }))];
      return { text: r.text, existed: existing !== undefined, changed: problems.length === 0 && r.changed, added: r.added, conflicts: r.conflicts, problems };
    }, token),
  );
}
