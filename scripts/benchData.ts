// Generated task sequences for the benchmark (scripts/bench.ts) and for profiling parse.ts:
// deterministic, shaped like console exports (groups, steps of the common classes with their
// variables, conditions with and/or/not trees, package references, entities, a few comments),
// and a site description that names the referenced content. Not used by the tests. At the end,
// the inputs of the benchmark proper (issue 20): sequences of real steps and their site descriptions.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTaskSequence } from '../server/src/model/parse';
import { initSite } from '../server/src/site/init';
import { catalog } from '../server/src/catalog';

/** Small deterministic PRNG (mulberry32), so every run benchmarks the same text (and the incremental-parse test makes the same edits). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Generated {
  text: string;
  steps: number;
  /** Package IDs the sequence references (for the site description). */
  packages: string[];
  applications: string[];
}

const pkg = (n: number): string => `CEN${(0x100 + n).toString(16).toUpperCase().padStart(5, '0')}`;

/**
 * A `<sequence>` of `steps` steps. Average step size is about 400 characters, so 5,000 steps land
 * near the console's 2 MB limit, like the largest real sequences.
 */
export function generateSequence(steps: number, seed = 1): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const packages = Array.from({ length: Math.max(4, Math.ceil(steps / 50)) }, (_, i) => pkg(i));
  const applications = Array.from({ length: Math.max(2, Math.ceil(steps / 100)) }, (_, i) => `ScopeId_A1B2/Application_${String(i).padStart(4, '0')}`);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="utf-8"?>\n');
  out.push('<sequence version="3.10">\n');
  out.push('  <referenceList>\n');
  for (const p of packages) out.push(`    <reference package="${p}" />\n`);
  out.push('  </referenceList>\n');
  out.push('  <globalVarList>\n');
  out.push('    <variable name="OSDStateSMPRetryCount" property="SMPRetryCount">3</variable>\n');
  out.push('    <variable name="OSDStateSMPRetryTime" property="SMPRetryTime">10</variable>\n');
  out.push('  </globalVarList>\n');

  const condition = (ind: string): string => {
    const v = (name: string, value: string): string => `${ind}      <variable name="${name}">${value}</variable>\n`;
    const varExpr = (i: string, op: string, value: string, variable: string): string =>
      `${i}<expression type="SMS_TaskSequence_VariableConditionExpression">\n${v('Operator', op).replace(ind + '      ', i + '  ')}${v('Value', value).replace(ind + '      ', i + '  ')}${v('Variable', variable).replace(ind + '      ', i + '  ')}${i}</expression>\n`;
    const kind = r();
    if (kind < 0.5) return `${ind}<condition>\n${varExpr(ind + '  ', pick(['equals', 'notEquals']), pick(['TRUE', 'FALSE', 'OEMMedia']), pick(['_SMSTSInWinPE', '_SMSTSMediaType', 'OSDDoCapture']))}${ind}</condition>\n`;
    if (kind < 0.8) {
      return `${ind}<condition>\n${ind}  <operator type="${pick(['and', 'or'])}">\n${varExpr(ind + '    ', 'equals', 'TRUE', '_SMSTSInWinPE')}${varExpr(ind + '    ', 'notEquals', 'A&amp;B', 'IsLaptop')}${ind}  </operator>\n${ind}</condition>\n`;
    }
    return `${ind}<condition>\n${ind}  <operator type="and">\n${ind}    <operator type="not">\n${ind}      <expression type="SMS_TaskSequence_WMIConditionExpression">\n${ind}        <variable name="Namespace">root\\cimv2</variable>\n${ind}        <variable name="Query">select * from Win32_DiskPartition where Type&lt;&gt;'NTFS'</variable>\n${ind}      </expression>\n${ind}    </operator>\n${ind}  </operator>\n${ind}</condition>\n`;
  };

  let n = 0;
  const step = (ind: string): string => {
    n++;
    const cond = r() < 0.05 ? condition(ind + '  ') : '';
    // successCodeList only where the command's exit code matters, to keep the average step near 400 characters.
    const head = (type: string, name: string, extra = ''): string =>
      `${ind}<step type="${type}" name="${name}"${extra} runIn="WinPEandFullOS"${!type.endsWith('RunCommandLineAction') ? '' : ' successCodeList="0 3010"'}>\n${cond}`;
    const vr = (name: string, value: string, hidden = false): string =>
      `${ind}    <variable name="${name}" property="${name}"${hidden ? ' hidden="true"' : ''}>${value}</variable>\n`;
    const kind = r();
    // One step in 250 has a mistake (an empty command line), so the checks have findings to report.
    if (n % 250 === 0) {
      return `${head('SMS_TaskSequence_RunCommandLineAction', `Run ${n}`)}${ind}  <action>smsswd.exe /run:</action>\n${ind}  <defaultVarList>\n${vr('CommandLine', '', true)}${ind}  </defaultVarList>\n${ind}</step>\n`;
    }
    if (kind < 0.35) {
      return `${head('SMS_TaskSequence_SetVariableAction', `Set V${n}`)}${ind}  <action>tsenv.exe "V${n}=${n}"</action>\n${ind}  <defaultVarList>\n${vr('VariableName', `V${n}`, true)}${vr('VariableValue', `${n}`, true)}${ind}  </defaultVarList>\n${ind}</step>\n`;
    }
    if (kind < 0.65) {
      const cmd = `cmd /c echo ${n} &amp;&amp; exit 0`;
      return `${head('SMS_TaskSequence_RunCommandLineAction', `Run ${n}`, r() < 0.1 ? ' disable="true"' : '')}${ind}  <action>smsswd.exe /run: ${cmd}</action>\n${ind}  <defaultVarList>\n${vr('CommandLine', cmd, true)}${ind}  </defaultVarList>\n${ind}</step>\n`;
    }
    if (kind < 0.85) {
      const p = pick(packages);
      return `${head('SMS_TaskSequence_InstallSoftwareAction', `Install ${n}`)}${ind}  <action>smsswd.exe /pkg:${p} /install /basevar: /continueOnError:</action>\n${ind}  <defaultVarList>\n${vr('PackageID', p)}${vr('_SMSSWDProgramName', 'Install')}${ind}  </defaultVarList>\n${ind}</step>\n`;
    }
    if (kind < 0.95) {
      const a = pick(applications);
      return `${head('SMS_TaskSequence_InstallApplicationAction', `App ${n}`)}${ind}  <action>smsappinstall.exe /app:${a} /basevar: /continueOnError:False</action>\n${ind}  <defaultVarList>\n${vr('ApplicationName', a)}${ind}  </defaultVarList>\n${ind}</step>\n`;
    }
    return `${head('SMS_TaskSequence_RebootAction', `Restart ${n}`)}${ind}  <action>smsboot.exe /target:HD</action>\n${ind}  <defaultVarList>\n${vr('SMSRebootTarget', 'HD')}${ind}  </defaultVarList>\n${ind}</step>\n`;
  };

  // Groups of 5–15 steps, one level in three holding a nested group, as real sequences do.
  let g = 0;
  while (n < steps) {
    g++;
    const gcond = r() < 0.25 ? condition('    ') : '';
    out.push(`  <group name="Phase ${g}">\n${gcond}`);
    if (g % 20 === 1) out.push(`    <!-- cmts-disable-next-line unknown-step-type -->\n`);
    const count = Math.min(steps - n, 5 + Math.floor(r() * 11));
    for (let i = 0; i < count; i++) {
      if (i === 3 && count > 6 && r() < 0.33) {
        out.push(`    <group name="Phase ${g} detail" description="">\n`);
        const inner = Math.min(steps - n, 3);
        for (let j = 0; j < inner; j++) out.push(step('      '));
        out.push('    </group>\n');
        i += inner - 1;
        continue;
      }
      if (n < steps) out.push(step('    '));
    }
    out.push('  </group>\n');
  }
  out.push('</sequence>\n');
  return { text: out.join(''), steps: n, packages, applications };
}

/** A site description naming everything the generated sequence references. */
export function generateSite(g: Generated): string {
  const site = {
    site: { code: 'CEN', product: 'ConfigMgr CB', version: '2309', securityMode: 'https', deploymentKit: { name: 'ADK', version: '10.1.22621.1' } },
    packages: g.packages.map((p, i) => ({ packageId: p, name: `Package ${i}`, kind: 'software', programs: ['Install'], distributionPoints: ['DP01.contoso.com'] })),
    applications: g.applications.map((a, i) => ({ id: a, name: `Application ${i}`, distributionPoints: ['DP01.contoso.com'] })),
    siteSystems: [{ server: 'DP01.contoso.com', roles: [{ role: 'managementPoint' }, { role: 'distributionPoint', pxe: true, multicast: false }] }],
  };
  return JSON.stringify(site, null, 2);
}

// ---- sequences of real steps (issue 20) ---------------------------------------------------------

/**
 * Every `<step>` element of the real exports in `corpus` (when that folder exists), else of the
 * project's own fixtures, in a fixed order. Real steps average about 750 characters; generated
 * ones were half that, which flattered the check against the parser.
 */
export function realSteps(repo: string, corpus: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.xml')) files.push(p);
    }
  };
  walk(existsSync(corpus) ? corpus : join(repo, 'test', 'fixtures', 'rules'));
  const steps: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // object.xml holds its sequence in CDATA; steps inside it are steps all the same.
    for (const m of text.matchAll(/<step\b[^>]*\/>|<step\b[\s\S]*?<\/step>/g)) {
      // Only whole, plain steps: no comment or CDATA inside (a comment may hold a step of its own).
      if (!/<!--|<!\[CDATA\[|<group\b/.test(m[0].slice(1))) steps.push(m[0]);
    }
  }
  return steps;
}

/**
 * A `<sequence>` of real steps, in groups of 40, of `steps` steps or of at least `chars`
 * characters; the steps are taken in order and the list starts over when it runs out.
 */
export function benchSequence(steps: string[], size: { steps?: number; chars?: number }): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n<sequence version="3.10">\n'];
  let n = 0;
  let chars = out[0].length;
  const done = (): boolean => (size.steps !== undefined ? n >= size.steps : chars >= (size.chars ?? 0));
  for (let g = 0; !done(); g++) {
    const open = `  <group name="Group ${g}" description="">\n`;
    out.push(open);
    chars += open.length;
    for (let k = 0; k < 40 && !done(); k++, n++) {
      const step = `    ${steps[n % steps.length]}\n`;
      out.push(step);
      chars += step.length;
    }
    out.push('  </group>\n');
    chars += 11;
  }
  out.push('</sequence>\n');
  return out.join('');
}

/** The site description `cmts site init` writes for `text`: every content ID it names, listed. */
export function benchSite(text: string): string {
  return initSite([{ file: 'bench.xml', model: parseTaskSequence(text).model, text }], catalog);
}
