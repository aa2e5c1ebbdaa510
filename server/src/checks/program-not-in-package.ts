// program-not-in-package: Install Package, or the reference list, names a program the package does
// not have (by the site description's packages[].programs). Offers the package's programs.

import type { Check } from './types';
import type { ReplaceChoiceFix } from '../edits/fixData';
import { replaceChoice } from '../edits/kinds';
import type { Span } from '../model/types';
import { label, orderOf } from '../semantics/stepInfo';
import { prop, propVar, T2 } from '../semantics/stepFacts';
import { siteRelated } from '../semantics/siteFacts';

export const check: Check<ReplaceChoiceFix> = {
  id: 'program-not-in-package',
  defaultSeverity: 'error',
  needsSite: true,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Install Package or the reference list names a program that the package does not have (site description: packages[].programs).',
    why: 'Install Package runs one program of a package; the engine looks the program up by name in the package, and a name the package does not have makes the step fail ("program not found"). The program must also allow being installed from the Install Package step without being deployed, which the site description cannot say. The check runs only for packages whose programs the site description lists.',
    example: '<variable name="PackageID" property="PackageID">CEN00012</variable>\n<variable name="_SMSSWDProgramName" property="ProgramName">Install (silent)</variable>\n<!-- CEN00012 has the programs "Install" and "Uninstall" -->',
    fix: 'Choose one of the package\'s programs (the quick fix offers them), or add the program to the site description if it was created since.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_InstallPackage'],
    facts: ['OSD-SW-001'],
  },
  fixes: { 'replace-choice': replaceChoice },
  sequence(ctx) {
    const site = ctx.site;
    if (!site) return;
    const check = (pkgId: string, program: string, span: Span, where: string): void => {
      if (pkgId === '' || program === '' || program === '*') return;
      const e = site.lookup(pkgId);
      if (!e || e.collection !== 'packages' || !e.entry.programs) return;
      const programs = e.entry.programs;
      if (programs.some((p) => p.toLowerCase() === program.toLowerCase())) return;
      ctx.report({
        message: `${where} runs the program "${program}" of ${pkgId}, which has ${programs.length ? programs.map((p) => `"${p}"`).join(', ') : 'no programs'} (site description); the step fails.`,
        span,
        related: siteRelated(ctx, `${pkgId} in the site description`, e.idSpan),
        ...(programs.length ? { data: { kind: 'replace-choice' as const, expect: ctx.text.slice(span.start, span.end), candidates: programs.slice(0, 10), noun: 'program' } } : {}),
      });
    };
    for (const s of orderOf(ctx.model).steps) {
      if (s.type !== T2.installPackage) continue;
      const v = propVar(s, 'ProgramName', '_SMSSWDProgramName');
      if (v) check(prop(s, 'PackageID'), v.value.trim(), v.valueSpan, label(s));
    }
    for (const r of ctx.model.sequence?.references ?? []) {
      if (r.package && r.program) check(r.package.value.trim(), r.program.value.trim(), r.program.span, 'The reference list');
    }
  },
};
