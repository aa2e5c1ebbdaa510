// Checks that need only the sequence (issue 4): execution context, ordering, user state,
// required properties, capture prerequisites. Each check lives in its own module; this file
// lists them in docs order.

import type { Rule } from './types';

export const sequenceRules: readonly Rule[] = [];
