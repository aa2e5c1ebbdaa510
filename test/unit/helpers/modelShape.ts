// A task sequence model without its offsets: what formatting must keep. Two texts that differ only
// in layout give the same shape; any change to a name, value, attribute or nesting shows.

import type { TaskSequenceModel } from '../../../server/src/model/types';

const OFFSETS = new Set(['span', 'nameSpan', 'startTagEnd', 'endTagStart', 'valueSpan', 'length', 'parent']);

export function modelShape(model: TaskSequenceModel): string {
  return JSON.stringify(model, (key, value: unknown) => {
    if (OFFSETS.has(key)) return undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      // Attributes are a record: compare them by name, whatever the order they were written in.
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
}
