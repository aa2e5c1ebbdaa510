// Which sequences run which: the Run Task Sequence chains of the workspace as a graph, for the code
// lenses (on a sequence: the sequences that run it; on a Run Task Sequence step: the one it runs)
// and the call hierarchy. A sequence is known by the package ID of its taskSequences entry in the
// site description that applies to it; chains are followed within one site description. Pure.

import type { Catalog } from '../catalog/types';
import { runTaskSequenceTargets } from '../model/query';
import type { Span, Step, TaskSequenceModel } from '../model/types';
import { labelSpan } from '../semantics/stepInfo';

export interface SequenceNode {
  key: string;
  /** The taskSequences entry's name, the sequence's own name, or the file's. */
  name: string;
  model: TaskSequenceModel;
  /** The site description that applies (sequences of different sites never call each other here). */
  site?: string;
  /** Its package ID in that site description. */
  packageId?: string;
}

export interface Call {
  from: SequenceNode;
  step: Step;
  /** The package ID as written in the step. */
  id: string;
  /** Where the step names it. */
  span: Span;
  to?: SequenceNode;
}

export class SequenceGraph {
  private readonly byKey = new Map<string, SequenceNode>();
  private readonly byId = new Map<string, SequenceNode>();
  private readonly out = new Map<string, Call[]>();
  private readonly into = new Map<string, Call[]>();

  constructor(nodes: readonly SequenceNode[], catalog: Catalog) {
    for (const n of nodes) {
      this.byKey.set(n.key, n);
      if (n.packageId && !this.byId.has(idKey(n.site, n.packageId))) this.byId.set(idKey(n.site, n.packageId), n);
    }
    for (const n of nodes) {
      const calls = runTaskSequenceTargets(n.model, catalog).map((t): Call => {
        const to = this.byId.get(idKey(n.site, t.id));
        return { from: n, step: t.step, id: t.id, span: t.span, ...(to ? { to } : {}) };
      });
      this.out.set(n.key, calls);
      for (const c of calls) if (c.to) this.into.set(c.to.key, [...(this.into.get(c.to.key) ?? []), c]);
    }
  }

  node(key: string): SequenceNode | undefined {
    return this.byKey.get(key);
  }

  /** The Run Task Sequence steps of `key`, with the sequence each runs when it is in the workspace. */
  callsFrom(key: string): readonly Call[] {
    return this.out.get(key) ?? [];
  }

  /** The steps of other sequences that run `key`. */
  callsInto(key: string): readonly Call[] {
    return this.into.get(key) ?? [];
  }
}

function idKey(site: string | undefined, id: string): string {
  return `${site ?? ''}|${id.trim().toLowerCase()}`;
}

export interface Lens {
  span: Span;
  title: string;
  /** Where clicking takes the user (the callers' steps, or the child sequence). */
  targets: { key: string; span: Span }[];
}

/** The lenses of one sequence: who runs it (when it has a package ID), and what each Run Task Sequence step runs. */
export function sequenceLenses(graph: SequenceGraph, key: string): Lens[] {
  const node = graph.node(key);
  const seq = node?.model.sequence;
  if (!node || !seq) return [];
  const out: Lens[] = [];
  if (node.packageId) {
    const callers = graph.callsInto(key);
    const names = [...new Set(callers.map((c) => c.from.name))].sort((a, b) => a.localeCompare(b));
    const title = callers.length === 0
      ? `${node.packageId}: run by no sequence in the workspace`
      : `${node.packageId}: run by ${names.length === 1 ? `"${names[0]}"` : `${names.length} sequences (${names.map((n) => `"${n}"`).join(', ')})`}`;
    out.push({ span: seq.nameSpan, title, targets: callers.map((c) => ({ key: c.from.key, span: labelSpan(c.step) })) });
  }
  for (const c of graph.callsFrom(key)) {
    out.push({
      span: labelSpan(c.step),
      title: c.to ? `runs "${c.to.name}" (${c.id}, ${c.to.model.steps.length} steps)` : `runs ${c.id} (not a sequence of this workspace's site description)`,
      targets: c.to ? [{ key: c.to.key, span: c.to.model.sequence?.nameSpan ?? { start: 0, end: 0 } }] : [],
    });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** For the call hierarchy: the sequence under `offset` (the one a Run Task Sequence step runs, else this one). */
export function hierarchyItemAt(graph: SequenceGraph, key: string, offset: number): SequenceNode | undefined {
  const call = graph.callsFrom(key).find((c) => c.step.span.start <= offset && offset <= c.step.startTagEnd || (c.span.start <= offset && offset <= c.span.end));
  if (call) return call.to;
  return graph.node(key);
}
