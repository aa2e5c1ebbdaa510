// The editor's "Compare With…" and "Preview Documentation" (issue 17): `cmts/diff` and
// `cmts/docPage` answer with the same HTML pages `cmts diff` and `cmts doc` make, from the text the
// editor has (unsaved edits included). The site description and step numbers come through the
// project façade as in the CLI (cliDiffDoc.ts); the client shows the page in a webview.

import { basename, relative, sep } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { MAX_CHECK_CHARS } from '../../analysis';
import { catalog } from '../../catalog';
import { diffSequences, type DiffChange, type NumberOf } from '../../features/diff';
import { diffHtml } from '../../features/diffRender';
import { pageHtml } from '../../features/doc/html';
import { docPage } from '../../features/doc/page';
import { LineIndex } from '../../model/positions';
import { parseTaskSequence } from '../../model/parse';
import type { Item, TaskSequenceModel } from '../../model/types';
import { instructionNumbers, type ChildResolver } from '../../semantics/numbering';
import { uriToPath, type DocumentStore } from '../../workspace/documents';
import type { Workspace } from '../../workspace/workspace';
import { DIFF, DOC_PAGE, type DiffLink, type DiffParams, type DiffResultPayload, type DocPageParams, type DocPageResult } from '../diffDocProtocol';
import { runSafe } from '../runSafe';

interface Side {
  uri?: string;
  label: string;
  text: string;
  model: TaskSequenceModel;
  lines: LineIndex;
}

/** What the handlers use of the server's state (server.ts's ServerState has it). */
export interface DiffDocState {
  docs: DocumentStore;
  ws: Workspace;
}

/** The engine's instruction numbers of the sequences' steps, children followed (as cliDiffDoc.ts's logNumbers). */
function numbersOf(models: readonly { model: TaskSequenceModel; resolve?: ChildResolver }[]): NumberOf {
  const numbers = new Map<Item, number>();
  for (const { model, resolve } of models) for (const [item, n] of instructionNumbers(model, resolve)) numbers.set(item, n);
  return (item) => numbers.get(item);
}

export function register(connection: Connection, state: DiffDocState, log: (message: string) => void): void {
  /** A path as the reader knows it: relative to its workspace folder, else the file's name. */
  const label = (uri: string): string => {
    const path = uriToPath(uri);
    if (!path) return uri;
    const root = state.ws.rootFor(path);
    return root ? relative(root, path).split(sep).join('/') : basename(path);
  };

  /** One side of a diff from a URI (the editor's text when open) or given text; a string says why not. */
  const side = (uri: string | undefined, text: string | undefined, name: string | undefined): Side | string => {
    let t = text;
    const shown = name ?? (uri ? label(uri) : 'the old version');
    if (t === undefined) {
      const doc = uri ? state.docs.get(uri) : undefined;
      if (!doc) return `cannot read "${shown}"`;
      t = doc.text;
    }
    if (t.length > MAX_CHECK_CHARS) return `"${shown}" is too large to compare (over ${MAX_CHECK_CHARS / 1024 / 1024} MB)`;
    const { model, problems } = parseTaskSequence(t);
    if (!model.sequence) {
      const first = problems[0];
      const lines = new LineIndex(t);
      const at = first ? lines.positionAt(first.span.start) : undefined;
      return first && at ? `"${shown}" holds no task sequence: ${first.message} (line ${at.line + 1}, column ${at.character + 1})` : `"${shown}" holds no task sequence`;
    }
    return { ...(uri ? { uri } : {}), label: shown, text: t, model, lines: new LineIndex(t) };
  };

  connection.onRequest(DIFF, (p: DiffParams, token) =>
    runSafe<DiffResultPayload>(log, DIFF, { problem: 'the diff failed; see the cmts output' }, () => {
      if (p.oldUri === undefined && p.oldText === undefined) return { problem: 'no old version to compare with' };
      const b = side(p.newUri, undefined, undefined);
      if (typeof b === 'string') return { problem: b };
      const a = side(p.oldText === undefined ? p.oldUri : undefined, p.oldText, p.oldLabel);
      if (typeof a === 'string') return { problem: a };
      // Names come from the new file's site description, else the old file's (as `cmts diff`).
      const project = state.ws.project;
      const contextOf = (uri: string | undefined) => {
        const path = uri ? uriToPath(uri) : undefined;
        return path ? project.contextFor(path, state.ws.rootFor(path)) : undefined;
      };
      let context = contextOf(b.uri);
      if (!context?.site && a.uri) context = contextOf(a.uri) ?? context;
      const resolve = project.childResolver(context);
      const numberOf = numbersOf([{ model: a.model, resolve }, { model: b.model, resolve }]);
      const result = diffSequences(a.model, b.model, { catalog, site: context?.site, numberOf });
      // Each change points at its element in the new file, or in the old one for a removal.
      const where = new Map<DiffChange, DiffLink>();
      const links: DiffLink[] = [];
      result.changes.forEach((c, i) => {
        const [s, span] = c.newSpan ? [b, c.newSpan] : c.oldSpan ? [a, c.oldSpan] : [undefined, undefined];
        if (!s?.uri || !span) return;
        const pos = s.lines.positionAt(span.start);
        const link = { change: i, uri: s.uri, line: pos.line, character: pos.character };
        where.set(c, link);
        links.push(link);
      });
      const href = p.linkCommand
        ? (c: DiffChange): string | undefined => {
            const l = where.get(c);
            return l ? `command:${p.linkCommand}?${encodeURIComponent(JSON.stringify([l.uri, l.line, l.character]))}` : undefined;
          }
        : undefined;
      return { html: diffHtml(result, a.label, b.label, href), equal: result.equal, changes: result.changes.length, links };
    }, token),
  );

  connection.onRequest(DOC_PAGE, (p: DocPageParams, token) =>
    runSafe<DocPageResult>(log, DOC_PAGE, { problem: 'the documentation page failed; see the cmts output' }, () => {
      const name = label(p.uri);
      const doc = state.docs.get(p.uri);
      if (!doc) return { problem: `cannot read "${name}"` };
      if (doc.text.length > MAX_CHECK_CHARS) return { problem: `"${name}" is too large to document (over ${MAX_CHECK_CHARS / 1024 / 1024} MB)` };
      // The check report when the server checks the file (its findings go on the page), else a parse.
      const r = state.ws.kindOf(doc.uri, doc) === 'taskSequence' ? state.ws.report(doc.uri) : undefined;
      const model = r?.model ?? parseTaskSequence(doc.text).model;
      if (!model.sequence) return { problem: `"${name}" holds no task sequence` };
      const context = r?.context;
      const numberOf = numbersOf([{ model, resolve: state.ws.project.childResolver(context) }]);
      // One page alone: no index to link to, and no child pages (children are named, not linked).
      const page = pageHtml(docPage({ file: name, model, catalog, site: context?.site, numberOf, findings: r?.findings ?? [] }));
      return { html: page, title: model.wrapper?.properties.Name?.value || model.sequence.name || name };
    }, token),
  );
}
