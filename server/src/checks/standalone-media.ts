// standalone-media: a sequence the site description marks for stand-alone media that uses what
// such media cannot run (Auto Apply Drivers, Download Package Content, Install Software Updates,
// dynamic Install Package / Install Application lists, the pre-production client package).

import type { Check } from './types';
import { orderOf, label, labelSpan, T } from '../semantics/stepInfo';
import { prop, propVar, T2 } from '../semantics/stepFacts';
import { tieSequence } from '../semantics/siteFacts';

const UNSUPPORTED: Record<string, string> = {
  [T.autoApplyDrivers]: 'Auto Apply Drivers needs the site\'s driver catalog',
  [T2.downloadContent]: 'Download Package Content needs a distribution point',
  [T2.installUpdates]: 'Install Software Updates needs a software update point',
};

export const check: Check = {
  id: 'standalone-media',
  defaultSeverity: 'warning',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'A sequence marked for stand-alone media (taskSequences[].standaloneMedia) uses what stand-alone media cannot run: Auto Apply Drivers, Download Package Content, Install Software Updates, a dynamic Install Package or Install Application list, or the pre-production client package.',
    why: 'Stand-alone media carries the sequence and its content and runs with no connection to the site. Microsoft lists what it does not support: Auto Apply Drivers (no driver catalog; use Apply Driver Package), Download Package Content, installing software updates, dynamic package and application lists (Install Package / Install Application from a base variable), and the pre-production client package of Setup Windows and ConfigMgr. Software installed by a sequence on stand-alone media created at a central administration site has its own limits (Install Package). The check runs only when the site description marks the sequence "standaloneMedia": true.',
    example: '"taskSequences": [ { "packageId": "CEN00040", "file": "deploy.xml", "standaloneMedia": true } ]\n<step type="SMS_TaskSequence_AutoApplyAction" name="Auto Apply Drivers">…</step>',
    fix: 'Replace Auto Apply Drivers with Apply Driver Package, list packages and applications explicitly, remove the others from the media sequence.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/create-stand-alone-media'],
    facts: ['OSD-MEDIA-001', 'OSD-DRV-004', 'OSD-SW-002', 'OSD-SW-004', 'OSD-SW-006', 'OSD-SW-007', 'OSD-CLI-003'],
  },
  sequence(ctx) {
    const site = ctx.site;
    if (!site) return;
    const tie = tieSequence(site, ctx.sitePath, ctx.path, ctx.model);
    if (tie?.entry.standaloneMedia !== true) return;
    for (const s of orderOf(ctx.model).steps) {
      const why = s.type ? UNSUPPORTED[s.type] : undefined;
      if (why) {
        ctx.report({ message: `${label(s)}: the sequence is put on stand-alone media, which does not support this step (${why}).`, span: labelSpan(s) });
        continue;
      }
      if ((s.type === T2.installPackage || s.type === T2.installApplication) && prop(s, 'BaseVariableName') !== '') {
        ctx.report({ message: `${label(s)} installs from a dynamic list (base variable ${prop(s, 'BaseVariableName')}), which stand-alone media does not support.`, span: propVar(s, 'BaseVariableName')?.nameSpan ?? labelSpan(s) });
      }
      if (s.type === T.setupWindows && prop(s, 'ClientPreProductionPackageID', '_SMSClientPreProductionPackageID') !== '') {
        ctx.report({ message: `${label(s)} names a pre-production client package, which stand-alone media does not support.`, span: labelSpan(s) });
      }
    }
  },
};
