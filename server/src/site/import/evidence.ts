// What the task sequences themselves say about the kind of each content ID, shared by
// `cmts site init` and `cmts site import`: every place an ID is named accepts some kinds (a USMT
// package property only a USMT package, a Run Command Line any package, Download Package Content
// several kinds), and the kind written is the one every place accepts. Where no kind fits every
// place the evidence conflicts, and the kind is left out rather than guessed.

import type { Catalog, ContentKind } from '../../catalog/types';
import type { TaskSequenceModel } from '../../model/types';
import { contentReferences } from '../../model/query';

export interface IdEvidence {
  /** The ID as first written. */
  id: string;
  /** For each place naming it, the kinds that place accepts; undefined where any content will do. */
  wanted: (readonly ContentKind[] | undefined)[];
}

/** Kinds an entry of the site description can have, most specific last within each family. */
const KINDS: readonly ContentKind[] = ['bootImage', 'osImage', 'osInstaller', 'driverPackage', 'package', 'usmtPackage', 'clientPackage', 'application', 'taskSequence'];

/**
 * The same rule as the wrong-content-kind check: a place accepts its kinds, and a place that
 * takes any package also takes the USMT and client packages (they are packages too).
 */
export function fits(kind: ContentKind, wanted: readonly ContentKind[] | undefined): boolean {
  if (!wanted) return true;
  if (wanted.includes(kind)) return true;
  return wanted.includes('package') && (kind === 'usmtPackage' || kind === 'clientPackage');
}

/** Adds the places of one sequence to `into` (keyed by upper-case ID). */
export function collectEvidence(into: Map<string, IdEvidence>, model: TaskSequenceModel, catalog: Catalog, text: string): void {
  for (const r of contentReferences(model, catalog, text)) {
    if (r.id.trim() === '') continue;
    const wanted = r.property ? (r.property.kinds ?? (r.property.references ? [r.property.references] : undefined)) : r.kind ? [r.kind] : undefined;
    const key = r.id.toUpperCase();
    const e = into.get(key);
    if (e) e.wanted.push(wanted);
    else into.set(key, { id: r.id, wanted: [wanted] });
  }
}

export type KindVerdict =
  | { kind: ContentKind }
  /** Every place accepts several kinds and none is the plain package (only the reference list names it, say). */
  | { kind: undefined; why: 'unknown' }
  /** No kind fits every place that names the ID. */
  | { kind: undefined; why: 'conflict' };

/**
 * The kind every place accepts: the only one, or the plain package when that fits (a Run
 * Command Line's package is not thereby a USMT package). A USMT package property and a Run
 * Command Line naming the same ID give "usmtPackage": it is the only kind both accept.
 */
export function decideKind(wanted: readonly (readonly ContentKind[] | undefined)[]): KindVerdict {
  const fitting = KINDS.filter((k) => wanted.every((w) => fits(k, w)));
  if (fitting.length === 0) return { kind: undefined, why: 'conflict' };
  if (fitting.length === 1) return { kind: fitting[0] };
  if (wanted.every((w) => w === undefined)) return { kind: undefined, why: 'unknown' };
  if (fitting.includes('package')) return { kind: 'package' };
  return { kind: undefined, why: 'unknown' };
}
