// Checks against the site description (issue 5): content, boot images, USMT, drivers, roles,
// certificates, child sequences, version knowledge. Each check lives in its own module; this
// file lists them in docs order.

import type { Rule } from './types';

export const siteRules: readonly Rule[] = [];
