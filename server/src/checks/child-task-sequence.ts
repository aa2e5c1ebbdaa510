// child-task-sequence: a Run Task Sequence target must be a task sequence the site has, must not
// carry a boot image of its own, must not lead back to its parent (directly or through its own
// children), and on sites before 1802 must not run children itself. Children are read through
// the resolver the front end passes in `extra.resolveSequence` (semantics/childSequences.ts).

import type { Catalog } from '../catalog/types';
import { runTaskSequenceTargets } from '../model/query';
import type { Span } from '../model/types';
import type { ContentEntry, TaskSequenceEntry } from '../site/types';
import { CHILD_SEQUENCES, meetsText } from '../versions';
import type { RelatedPlace, Check, CheckContext } from './types';
import { addSiteStub, replaceContentId } from '../edits/kinds';
import { capital } from '../semantics/stepInfo';
import {
  candidatesFor, describeEntry, factsOf, readExtra, siteRelated, stepLabel, type ResolvedSequence, type SequenceResolver,
} from '../semantics/siteFacts';
import { replaceContent, siteStub, type AddSiteStubFix, type ReplaceContentFix } from '../edits/fixData';

/** Deeper chains than this are not followed (the console's own limit is far lower in practice). */
const MAX_DEPTH = 32;

export const check: Check<ReplaceContentFix | AddSiteStubFix> = {
  id: 'child-task-sequence',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A Run Task Sequence target is missing, is not a task sequence, has a boot image of its own, or leads back to the sequence (a cycle).',
    why: 'Run Task Sequence (current branch 1710 and later) runs another task sequence as part of this one. The child must exist and must not reference a boot image: the parent provides Windows PE. Sequences must not run each other in a loop (the site refuses the circular reference), and before 1802 a child could not run children of its own. cmts follows children through the `file` of their `taskSequences` entries in the site description, so a loop through several files is found too.',
    example: '<subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run Task Sequence">\n  ... <variable name="OSDSubTasksequencePackageID" property="TsPackageID">PS100060</variable>',
    fix: 'Point the step at an existing task sequence without a boot image ("Use a boot image" cleared in the child\'s properties), and break any loop by removing the Run Task Sequence step that closes it. Keep the site description\'s `taskSequences` (with `file`) up to date so cmts can follow the children.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence'],
    facts: ['OSD-TS-001', 'OSD-BOOT-008'],
  },
  fixes: { 'replace-content': replaceContentId, 'add-site-stub': addSiteStub },
  sequence(ctx) {
    const facts = factsOf(ctx);
    const site = facts.site;
    const resolve = readExtra(ctx.extra).resolveSequence;
    for (const target of runTaskSequenceTargets(ctx.model, ctx.catalog)) {
      const entry = site.lookup(target.id);
      const label = stepLabel(target.step);
      if (!entry || entry.collection !== 'taskSequences') {
        // Not the sequence itself (a loop), nor a sequence with a boot image (no valid child).
        const own = facts.ownId?.toLowerCase();
        const candidates = candidatesFor(site, target.id, ['taskSequence'], 10)
          .filter((c) => c.id.toLowerCase() !== own && !hasBoot(c))
          .slice(0, 5);
        const fix = replaceContent(target.id, candidates);
        const stub = entry ? undefined : siteStub(target.id, ['taskSequence'], ctx.sitePath, 'taskSequences');
        ctx.report({
          message: entry
            ? `${capital(label)} runs "${target.id}", which is ${describeEntry(entry)}, not a task sequence.`
            : `${capital(label)} runs "${target.id}", which is not in the site description's taskSequences; the child must exist for the parent to run.`,
          span: target.span,
          related: entry ? siteRelated(ctx, `${target.id} in the site description`, entry.idSpan) : [],
          data: stub ? { ...fix, also: [stub] } : fix,
        });
        continue;
      }
      const child = entry.entry;
      const resolved = resolve?.(target.id);
      checkChildBootImage(ctx, target.span, label, child, entry.index, resolved);
      if (!checkCycle(ctx, target.id, target.span, label, facts.ownId, resolve) && resolved) {
        checkNesting(ctx, target.span, label, resolved);
      }
      if (!resolved && resolve && child.file) {
        ctx.report({
          severity: 'info',
          message: `cmts could not read "${child.file}" (the file of ${target.id} in the site description), so it did not check what the child runs.`,
          span: target.span,
          related: siteRelated(ctx, 'the child\'s file in the site description', site.spanOf(['taskSequences', entry.index, 'file'])),
        });
      }
    }
  },
};

function checkChildBootImage(ctx: CheckContext<ReplaceContentFix | AddSiteStubFix>, span: Span, label: string, child: TaskSequenceEntry, index: number, resolved: ResolvedSequence | undefined): void {
  const fromFile = resolved?.model.wrapper?.properties.BootImageID;
  const fileBoot = fromFile?.value.trim();
  const boot = child.bootImageId?.trim() || fileBoot;
  if (!boot) return;
  const related: RelatedPlace[] = child.bootImageId?.trim()
    ? siteRelated(ctx, 'the child\'s bootImageId in the site description', ctx.site!.spanOf(['taskSequences', index, 'bootImageId']))
    : fromFile && resolved ? [{ message: 'the child\'s BootImageID', span: fromFile.span, file: resolved.path }] : [];
  ctx.report({
    message: `${capital(label)} runs ${child.packageId}${child.name !== undefined ? ` (${child.name})` : ''}, which has its own boot image (${boot}); a child task sequence must not reference a boot image, the parent provides it.`,
    span,
    related,
  });
}

/**
 * Follows the child's own Run Task Sequence steps through the resolver. Reports and returns true
 * when the chain comes back to this sequence or loops among the children.
 */
function checkCycle(ctx: CheckContext<ReplaceContentFix | AddSiteStubFix>, childId: string, span: Span, label: string, ownId: string | undefined, resolve: SequenceResolver | undefined): boolean {
  const start = ownId ? [ownId] : [];
  const loop = findLoop([...start, childId], resolve, ctx.catalog, 0, new Set());
  if (!loop) return false;
  ctx.report({
    message: `${capital(label)} starts a loop of task sequences: ${loop.join(' → ')}. The site refuses a circular reference, and the sequence would never end.`,
    span,
  });
  return true;
}

function findLoop(path: string[], resolve: SequenceResolver | undefined, catalog: Catalog, depth: number, done: Set<string>): string[] | undefined {
  const last = path[path.length - 1];
  const firstAt = path.findIndex((p) => p.toLowerCase() === last.toLowerCase());
  if (firstAt < path.length - 1) return path.slice(firstAt);
  // A sequence whose children were all followed without finding a loop has none to offer from
  // another path either: without this, sequences that each run the next one twice made 2^depth
  // paths (found by the hostile-input tests, issue 9).
  const key = last.toLowerCase();
  if (done.has(key) || !resolve || depth > MAX_DEPTH) return undefined;
  const child = resolve(last);
  if (!child) return undefined;
  for (const t of runTaskSequenceTargets(child.model, catalog)) {
    const found = findLoop([...path, t.id], resolve, catalog, depth + 1, done);
    if (found) return found;
  }
  done.add(key);
  return undefined;
}

function checkNesting(ctx: CheckContext<ReplaceContentFix | AddSiteStubFix>, span: Span, label: string, resolved: ResolvedSequence): void {
  const release = factsOf(ctx).release;
  if (!release || release.product !== 'ConfigMgr CB' || meetsText(release, CHILD_SEQUENCES.nestedSince) !== false) return;
  const inner = runTaskSequenceTargets(resolved.model, ctx.catalog)[0];
  if (!inner) return;
  ctx.report({
    message: `${capital(label)} runs a task sequence that itself runs ${inner.id}; children of children need current branch 1802 or later, and this site is ${release.label}.`,
    span,
    related: [{ message: 'the nested Run Task Sequence', span: inner.span, file: resolved.path }],
  });
}

function hasBoot(e: ContentEntry): boolean {
  return e.collection === 'taskSequences' && !!e.entry.bootImageId?.trim();
}
