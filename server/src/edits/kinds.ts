// One builder per fix kind, with the titles its actions carry: the only place a fix's title is
// written. A check module maps each kind of data it attaches to one of these (checks/types.ts),
// and the CLI's `fixes` list is the titles these builders return, so no finding can announce a
// fix that is not offered.

import type { AddCollectionVariableFix, AddSiteStubFix, FillPropertyFix, InsertStepFix, InsertStepsFix, MoveStepFix, RemoveSuppressionFix, ReplaceChoiceFix, ReplaceContentFix, ReplaceStepTypeFix, ReplaceTextFix, SetBootImageFix } from './fixData';
import { insertFixes } from './insert';
import { moveFixes } from './move';
import { fillPropertyFixes, replaceContentFixes, replaceStepTypeFixes, replaceTextFixes, xmlBootImageFixes } from './replace';
import { collectionVariableFix, siteBootImageFixes, siteStubFix } from './siteEdits';
import { removeSuppressionFixes } from './suppress';
import { escapeXml, validSpan } from './text';
import type { FixBuilder } from './types';

export const insertSteps: FixBuilder<InsertStepFix | InsertStepsFix> = { build: (input, data, ctx) => insertFixes(input, data, ctx) };

export const moveStep: FixBuilder<MoveStepFix> = { build: (_input, data, ctx) => moveFixes(ctx, data) };

export const fillProperty: FixBuilder<FillPropertyFix> = { build: (_input, data, ctx) => fillPropertyFixes(ctx, data) };

export const replaceStepType: FixBuilder<ReplaceStepTypeFix> = { build: (input, data) => replaceStepTypeFixes(input.span, data) };

export const replaceText: FixBuilder<ReplaceTextFix> = { build: (input, data) => replaceTextFixes(input.span, data) };

export const replaceContentId: FixBuilder<ReplaceContentFix> = { build: (input, data, ctx) => replaceContentFixes(ctx, input.span, data) };

export const addSiteStub: FixBuilder<AddSiteStubFix> = { build: (_input, data, ctx) => siteStubFix(data, ctx) };

export const addCollectionVariable: FixBuilder<AddCollectionVariableFix> = { build: (_input, data, ctx) => collectionVariableFix(data, ctx) };

/** replace-choice: one action per candidate, the first preferred. */
export const replaceChoice: FixBuilder<ReplaceChoiceFix> = {
  build: (input, data) => (Array.isArray(data.candidates) ? data.candidates : [])
    .filter((c): c is string => typeof c === 'string')
    .map((c, i) => ({ title: `Use ${typeof data.noun === 'string' ? data.noun + ' ' : ''}"${c}"`, kind: 'quickfix' as const, edits: [{ span: input.span, newText: escapeXml(c) }], ...(i === 0 ? { isPreferred: true } : {}) })),
};

export const removeSuppression: FixBuilder<RemoveSuppressionFix> = { build: (input, _data, ctx) => removeSuppressionFixes(ctx.text, input.span) };

/**
 * set-boot-image keeps the old value in `expect` (checked where the value is written, replace.ts);
 * its finding points at <BootImageID> in an export, or at the root element for a bare export.
 */
export const setBootImage: FixBuilder<SetBootImageFix> = {
  build: (_input, data, ctx) => (data.target === 'site' ? siteBootImageFixes(data, ctx) : xmlBootImageFixes(ctx.text, data)),
  isCurrent(input, data, ctx) {
    if (data.target === 'xml') return /^<BootImageID[\s/>]/.test(ctx.text.slice(validSpan(ctx.text, data.element) ? data.element.start : 0, input.span.end + 1));
    const root = ctx.model.sequence ?? ctx.model.wrapper;
    return !!root && root.nameSpan.start === input.span.start && root.nameSpan.end === input.span.end;
  },
};
