// textDocument/prepareRename and rename: a variable across the sequence and the child sequences it
// runs (followed through the site description's taskSequences), a content ID across the
// workspace's sequences under the same site description and that site description. Refusals (a
// built-in variable, a malformed new ID) come back as errors the editor shows.

import { ErrorCodes, ResponseError, type Connection, type PrepareRenameResult, type ServerCapabilities, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { catalog } from '../../catalog';
import { renameContentId, renameTargetAt, renameVariable, siteRenameTargetAt, type RenameResult, type RenameTarget, type SequenceFile } from '../../features/rename';
import { LineIndex } from '../../model/positions';
import { runTaskSequenceTargets } from '../../model/query';
import { createSequenceResolver } from '../../semantics/childSequences';
import type { LoadedSite } from '../../site/types';
import { pathToUri, uriToPath } from '../../workspace/documents';
import { toRange } from '../convert';
import { runSafe, type Log } from '../runSafe';
import { sequenceDoc, workspaceSequenceUris, type HandlerState } from './context';

/** How deep Run Task Sequence chains are followed (the engine allows a few levels; cycles are cut). */
const MAX_CHILD_DEPTH = 16;

interface Origin {
  target: RenameTarget;
  text: string;
  site?: LoadedSite;
  sitePath?: string;
  files: () => SequenceFile[];
}

export function register(connection: Connection, state: HandlerState, log: Log): ServerCapabilities {
  /** What is under the cursor, in a sequence or in the site description. */
  function originAt(uri: string, position: { line: number; character: number }): Origin | ResponseError | undefined {
    const s = sequenceDoc(state, uri);
    if (s) {
      const t = renameTargetAt(s.model, s.text, s.lines.offsetAt(position), catalog);
      if (!t) return undefined;
      if ('refused' in t) return new ResponseError(ErrorCodes.InvalidRequest, t.refused);
      const files = t.kind === 'variable' ? () => withChildren(s.uri, s.text, s.model, s.site, s.sitePath) : () => sameSite(s.sitePath);
      return { target: t, text: s.text, ...(s.site ? { site: s.site, sitePath: s.sitePath } : {}), files };
    }
    if (state.ws.kindOf(uri) !== 'site') return undefined;
    const path = uriToPath(uri);
    const site = path ? state.ws.project.site(path)?.value : undefined;
    if (!site || !path) return undefined;
    const t = siteRenameTargetAt(site, new LineIndex(site.text).offsetAt(position));
    return t ? { target: t, text: site.text, site, sitePath: path, files: () => sameSite(path) } : undefined;
  }

  /** The sequence, then every sequence it runs (and they run), read as the editor has them. */
  function withChildren(uri: string, text: string, model: SequenceFile['model'], site: LoadedSite | undefined, sitePath: string | undefined): SequenceFile[] {
    const out: SequenceFile[] = [{ key: uri, text, model }];
    if (!site || !sitePath) return out;
    const resolve = createSequenceResolver(site, sitePath, (p) => state.docs.getPath(p)?.text);
    const seen = new Set<string>([uri]);
    let level: SequenceFile[] = out;
    for (let depth = 0; depth < MAX_CHILD_DEPTH && level.length; depth++) {
      const next: SequenceFile[] = [];
      for (const f of level) {
        for (const t of runTaskSequenceTargets(f.model, catalog)) {
          const child = resolve(t.id);
          if (!child) continue;
          const key = state.docs.canonical(pathToUri(child.path));
          if (seen.has(key)) continue;
          seen.add(key);
          next.push({ key, text: child.text, model: child.model });
        }
      }
      out.push(...next);
      level = next;
    }
    return out;
  }

  /** Every sequence of the workspace under the same site description (or with none, when there is none). */
  function sameSite(sitePath: string | undefined): SequenceFile[] {
    const out: SequenceFile[] = [];
    for (const uri of workspaceSequenceUris(state)) {
      const s = sequenceDoc(state, uri);
      if (s && s.sitePath === sitePath) out.push({ key: s.uri, text: s.text, model: s.model });
    }
    return out;
  }

  connection.onPrepareRename((p, token) =>
    runSafe<PrepareRenameResult | ResponseError | null>(log, 'prepareRename', null, () => {
      const o = originAt(p.textDocument.uri, p.position);
      if (!o || o instanceof ResponseError) return o ?? null;
      const lines = new LineIndex(o.text);
      return { range: toRange(lines, o.target.span), placeholder: o.target.kind === 'variable' ? o.target.name : o.target.id };
    }, token),
  );

  connection.onRenameRequest((p, token) =>
    runSafe<WorkspaceEdit | ResponseError | null>(log, 'rename', null, () => {
      const o = originAt(p.textDocument.uri, p.position);
      if (!o || o instanceof ResponseError) return o ?? null;
      const newName = p.newName.trim();
      const files = o.files();
      const r: RenameResult = o.target.kind === 'variable'
        ? renameVariable(files, o.target.name, newName, catalog)
        : renameContentId(files, o.site && o.sitePath ? { key: state.docs.canonical(pathToUri(o.sitePath)), site: o.site } : undefined, o.target.id, newName, catalog);
      if ('refused' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.refused);
      const texts = new Map(files.map((f) => [f.key, f.text]));
      if (o.site && o.sitePath) texts.set(state.docs.canonical(pathToUri(o.sitePath)), o.site.text);
      const changes: Record<string, TextEdit[]> = {};
      for (const f of r.files) {
        const lines = new LineIndex(texts.get(f.key) ?? '');
        changes[f.key] = f.edits.map((e) => ({ range: toRange(lines, e.span), newText: e.newText }));
      }
      return { changes };
    }, token),
  );

  return { renameProvider: { prepareProvider: true } };
}
