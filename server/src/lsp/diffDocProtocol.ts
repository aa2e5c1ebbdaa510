// The custom requests behind the editor's "Compare With…" and "Preview Documentation" (issue 17):
// names and plain shapes only, so the VS Code client bundle can import them. Kept apart from
// protocol.ts so the two features can change without touching the other requests.

/** Request: the semantic diff of two task sequences as a self-contained HTML page, with links to each step. */
export const DIFF = 'cmts/diff';
export interface DiffParams {
  /** The new side: a task sequence the server can read (open in the editor or on disk). */
  newUri: string;
  /** The old side as a file. */
  oldUri?: string;
  /** Or the old side's text (git's HEAD version, say), with `oldLabel` naming it. */
  oldText?: string;
  oldLabel?: string;
  /**
   * A command the links in the page run: each change's element is linked as
   * `command:<linkCommand>?<[uri, line, character] as JSON>`. Without it the page has no links
   * (the `links` of the result still say where each change is).
   */
  linkCommand?: string;
}
export interface DiffLink {
  /** Index into the change list, in page order. */
  change: number;
  uri: string;
  line: number;
  character: number;
}
export interface DiffResultPayload {
  /** The page, or absent when `problem` says why there is none. */
  html?: string;
  equal?: boolean;
  changes?: number;
  links?: DiffLink[];
  /** Why no diff could be made (a side that is no task sequence, unreadable, too large). */
  problem?: string;
}

/** Request: the `cmts doc` HTML page of one task sequence as the editor has it (unsaved edits included). */
export const DOC_PAGE = 'cmts/docPage';
export interface DocPageParams {
  uri: string;
}
export interface DocPageResult {
  html?: string;
  title?: string;
  problem?: string;
}
