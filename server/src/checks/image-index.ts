// image-index: Apply Operating System Image picks an image (or edition) index beyond what the OS
// image (or OS upgrade package) has, by the site description's imageCount / editionCount.

import type { Check } from './types';
import { label, labelSpan, orderOf, T } from '../semantics/stepInfo';
import { prop, propVar } from '../semantics/stepFacts';
import { siteRelated } from '../semantics/siteFacts';

export const check: Check = {
  id: 'image-index',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Apply Operating System Image names an image index greater than the OS image\'s imageCount (an installer\'s edition index greater than its editionCount).',
    why: 'A .wim can hold several images; Apply Operating System Image applies the one at the index it names (OSDImageIndex), or, from an OS upgrade package, the edition at OSDInstallEditionIndex. An index the file does not have stops the step. The site description records how many images (operatingSystemImages[].imageCount) or editions (operatingSystemInstallers[].editionCount) each item has; without those counts the check says nothing. Installing a new computer from an OS upgrade package (the installer source) is possible, but Microsoft recommends an OS image made from install.wim for new installs: from an upgrade package, setup installs drivers inside Windows PE and some drivers cannot cope (reported as info; not in a build and capture sequence, where the installation source is the wizard\'s own route).',
    example: '<variable name="ImagePackageID" property="ImagePackageID">CEN0001A</variable>\n<variable name="OSDImageIndex" property="ImageIndex">3</variable>\n<!-- CEN0001A: "imageCount": 1 -->',
    fix: 'Choose an index the image has (the console lists them), or correct imageCount in the site description.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_ApplyOperatingSystemImage', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-operating-system-images'],
    facts: ['OSD-IMG-003', 'OSD-IMG-005'],
  },
  sequence(ctx) {
    const site = ctx.site;
    if (!site) return;
    const captures = orderOf(ctx.model).steps.some((s) => s.type === T.captureImage);
    for (const s of orderOf(ctx.model).steps) {
      if (s.type !== T.applyOs) continue;
      const installer = prop(s, 'InstallPackageID');
      // A build and capture from the installation source is the wizard's documented route (Microsoft's own template).
      if (installer !== '' && !captures && site.lookup(installer)?.collection === 'operatingSystemInstallers') {
        ctx.report({ severity: 'info', message: `${label(s)} installs a new OS from the OS upgrade package ${installer}; Microsoft recommends an OS image (from install.wim) for new installs, since setup from an upgrade package installs drivers inside Windows PE.`, span: propVar(s, 'InstallPackageID')?.valueSpan ?? labelSpan(s) });
      }
      const pairs: [string, string[], string[]][] = [['image', ['ImagePackageID'], ['ImageIndex', 'OSDImageIndex']], ['edition', ['InstallPackageID'], ['InstallEditionIndex', 'OSDInstallEditionIndex']]];
      for (const [noun, idNames, indexNames] of pairs) {
        const id = prop(s, ...idNames);
        const index = Number(prop(s, ...indexNames));
        if (id === '' || !Number.isInteger(index) || index < 1) continue;
        const e = site.lookup(id);
        const count = e?.collection === 'operatingSystemImages' ? e.entry.imageCount : e?.collection === 'operatingSystemInstallers' ? e.entry.editionCount : undefined;
        if (!e || count === undefined || index <= count) continue;
        const v = propVar(s, ...indexNames);
        ctx.report({
          message: `${label(s)} applies ${noun} ${index} of ${id}, which has ${count} ${noun}${count === 1 ? '' : 's'} (site description); the step fails.`,
          span: v ? v.valueSpan : labelSpan(s),
          related: siteRelated(ctx, `${id} in the site description`, e.idSpan),
        });
      }
    }
  },
};
