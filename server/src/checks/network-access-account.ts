// network-access-account: content reached in Windows PE, or Request State Store allowed to fall back
// to the network access account, on a site with neither a network access account nor Enhanced HTTP.

import type { Check } from './types';
import { envsOf, flowOf, startInFrom } from '../semantics/flow';
import { factsOf } from '../semantics/siteFacts';
import { label, labelSpan, T } from '../semantics/stepInfo';
import { prop } from '../semantics/stepFacts';

export const check: Check = {
  id: 'network-access-account',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Content is reached in Windows PE, or Request State Store may fall back to the network access account, on a site with neither a network access account ("site": { "networkAccessAccount": false }) nor Enhanced HTTP.',
    why: 'Windows PE is not a domain member and has no computer account, so it reaches distribution points with the network access account, unless the site uses Enhanced HTTP (or HTTPS), which lets it authenticate with a site token instead. Request State Store\'s "If account fails to connect, use the network access account" option needs the account too. Without either the content download fails in Windows PE. The check runs only when the site description says there is no network access account (left out: unknown).',
    example: '"site": { "code": "CEN", "product": "ConfigMgr CB", "version": "2309", "securityMode": "http", "networkAccessAccount": false }',
    fix: 'Configure a network access account or turn on Enhanced HTTP for the site, and record it in the site description.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/hierarchy/accounts#network-access-account', 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/hierarchy/enhanced-http'],
    facts: ['OSD-CNT-004', 'OSD-SMP-005'],
  },
  sequence(ctx) {
    const site = ctx.site;
    if (!site || site.site.site.networkAccessAccount !== false) return;
    const mode = site.site.site.securityMode;
    if (mode === 'ehttp' || mode === 'https') return;
    const flow = flowOf(ctx.model, startInFrom(ctx.extra));
    if (flow.liteTouch) return;
    const facts = factsOf(ctx);
    const place = facts.places.find((p) => p.step && envsOf(flow.steps.get(p.step)?.runs ?? new Map()).includes('WinPE'));
    if (place?.step) {
      ctx.report({ message: `${label(place.step)} downloads ${place.id} where the sequence can be in Windows PE, and the site has no network access account and no Enhanced HTTP: Windows PE cannot reach the distribution point.`, span: place.span });
    }
    for (const [s] of flow.steps) {
      if (s.type === T.requestState && prop(s, 'FallbackToNAA', 'OSDStateFallbackToNAA').toLowerCase() === 'true') {
        ctx.report({ message: `${label(s)} falls back to the network access account, which the site does not have.`, span: labelSpan(s) });
      }
    }
  },
};
