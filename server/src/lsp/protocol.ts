// The custom messages between the VS Code client and the server, beyond LSP. Plain names and
// shapes only (no LSP library types), so the client bundle can import them too. Other editors
// never send these; the server works fully without them.

/** Request: which site description and .cmts.json apply to a document. */
export const SITE_FOR = 'cmts/siteFor';
export interface SiteForParams {
  uri: string;
}
export interface SiteForResult {
  /** False when the server does not check the document as a task sequence. */
  taskSequence: boolean;
  /** The site description that applies (file URI), if any. */
  siteUri?: string;
  /** The .cmts.json that applies (file URI), if any. */
  configUri?: string;
  /** Workspace-relative path of the site description, for display. */
  siteLabel?: string;
  /** Why no site applies or why it is not used (a .cmts.json naming a missing file, an unusable file). */
  problem?: string;
}

/** Notification from the server: site descriptions or configs changed; ask SITE_FOR again. */
export const SITES_CHANGED = 'cmts/sitesChanged';

/** Request: the text `cmts site init` would write for a folder (the client writes it; never overwrites). */
export const SITE_INIT = 'cmts/siteInit';
export interface SiteInitParams {
  /** URI of the file to create (configmgr-site.json in some folder). */
  targetUri: string;
  /** URI of the folder whose task sequences it should list. */
  folderUri: string;
}
export interface SiteInitResult {
  text: string;
  /** How many task sequences went into it. */
  sequences: number;
}

/**
 * The client asks what importing site exports would make of a site description (cmts site
 * import, issue 14). The server reads the sources from disk and the site description as the
 * editor has it, and writes nothing: the client shows the result and applies it only when asked.
 */
export const SITE_IMPORT = 'cmts/siteImport';

export interface SiteImportParams {
  /** URI of the site description to update or create. */
  targetUri: string;
  /** URIs of the sources: console export folders or .zip files, object.xml files, WMI JSON files, folders of them. */
  sourceUris: string[];
}
export interface SiteImportResult {
  /** The site description as importing would leave it; the current text when there are problems. */
  text: string;
  /** The target existed (as a file, or open in the editor). */
  existed: boolean;
  /** The import changes the text. */
  changed: boolean;
  added: string[];
  /** Values the file already had and kept, where the export says otherwise. */
  conflicts: string[];
  /** Sources that could not be read: nothing is applied while there are any. */
  problems: { file: string; message: string }[];
}

/** Test-only request (answered only when CMTS_TEST_HOOKS=1): throws inside the error boundary. */
export const TEST_THROW = 'cmts/test/throw';

/**
 * Test-only request (CMTS_TEST_HOOKS=1), for the benchmark: the server's memory after a full
 * garbage collection when node runs with --expose-gc (else as it is), and its peak RSS.
 */
export const TEST_MEMORY = 'cmts/test/memory';

export interface TestMemoryResult {
  heapUsed: number;
  rss: number;
  /** Whether a collection ran first (node started with --expose-gc). */
  collected: boolean;
}

/** initializationOptions the VS Code client sends. */
export interface InitializationOptions {
  /**
   * The editor validates configmgr-site.json and .cmts.json against our schemas itself (VS Code's
   * jsonValidation): the server then leaves out the syntax and schema problems of those files
   * while they are open, so nothing is reported twice.
   */
  jsonSchemaValidation?: boolean;
  /**
   * The documents the formatter is announced for, when the client's document selector also holds
   * files cmts does not format (VS Code's holds configmgr-site.json and .cmts.json). With a client
   * that registers formatting dynamically, the server registers it for this selector only, so the
   * editor does not list cmts as a formatter of JSON files. Without it, formatting is announced
   * statically, for every document the client syncs.
   */
  formattingSelector?: { language: string; scheme?: string; pattern?: string }[];
}

/** The default site description file name (workspace/discover.ts SITE_FILE; a unit test keeps them equal). */
export const SITE_FILE_NAME = 'configmgr-site.json';
