// A task sequence in its context, as the semantic layer and the checks read it: the parsed model
// and its text, the step catalogue, and, when one applies, the site description and the front
// end's extra facts (where the deployment starts, how to read child sequences).

import type { Catalog } from '../catalog/types';
import type { TaskSequenceModel } from '../model/types';
import type { LoadedSite } from '../site/types';

export interface SequenceDocument {
  model: TaskSequenceModel;
  text: string;
  catalog: Catalog;
  /** Present only when a site description applies. */
  site?: LoadedSite;
  /** Path of this document, as the front end names it (for related places in other files). */
  path?: string;
  /** Path of the site description, when one applies. */
  sitePath?: string;
  /**
   * The document is cut short: a well-formedness error and no closing </sequence>. Checks that need
   * what follows the cut ("no Setup Windows follows", "no Release follows") stay silent.
   */
  cutShort?: boolean;
  /**
   * Extra context from the front end; each reader narrows what it reads (typed in siteFacts.ts):
   * - `startIn`: 'WinPE' | 'FullOS' | 'both': where the deployment starts, from the taskSequences
   *   entry tied to this file. Build it with siteExtraFor() so every front end agrees.
   * - `resolveSequence`: (packageId) => { path, model, text } | undefined: reads a child task
   *   sequence through the site's taskSequences[].file. Without it, children are not followed.
   */
  extra: Record<string, unknown>;
}
