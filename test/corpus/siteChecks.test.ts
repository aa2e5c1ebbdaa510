// Two real exports checked with `cmts check --site` against site descriptions written for them
// (test/fixtures/corpus-sites/): the findings of the site checks are exactly the expected ones,
// on the sequence and on the site description. Runs only from .ci/run, where ../shared sits
// beside the clone. Only site checks are compared, so the sequence-only checks can evolve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli';
import { CHECKS } from '../../server/src/checks';

const REPO = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(REPO, '../shared/corpus/real');
const SITE_IDS = new Set(CHECKS.filter((c) => c.needsSite).map((c) => c.id));

interface JsonReport {
  files: { path: string; flavour: string; diagnostics: { rule: string; severity: string; message: string; range: { start: { line: number } } }[] }[];
}

function checkWithSite(file: string, site: string): JsonReport {
  assert.ok(existsSync(path.join(CORPUS, file)), `${file} is missing from ${CORPUS}: run this suite from .ci/run`);
  let out = '';
  let err = '';
  const code = main(['check', path.join(CORPUS, file), '--site', `test/fixtures/corpus-sites/${site}/configmgr-site.json`, '--format', 'json'],
    { out: (s) => (out += s), err: (s) => (err += s), cwd: REPO });
  assert.ok(code === 0 || code === 1, `cmts exited ${code}: ${err}`);
  return JSON.parse(out) as JsonReport;
}

/** `rule@line severity` of the site checks' findings, per file (sequence first, then site description). */
function siteFindings(r: JsonReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of r.files) {
    const key = f.flavour === 'site-description' ? 'site' : 'sequence';
    out[key] = f.diagnostics.filter((d) => SITE_IDS.has(d.rule)).map((d) => `${d.rule}@${d.range.start.line + 1} ${d.severity}`);
  }
  return out;
}

test('MDT 8456 "Client Task Sequence" for ConfigMgr, on a current branch 1802 site (ADK 1709, x64 PXE boot image only)', () => {
  const r = checkWithSite('keithga__DeployShared__MDT8456_SCCM_Client.xml', 'mdt8456-sccm-client');
  assert.deepEqual(siteFindings(r), {
    sequence: [
      // Offered to PXE, and with the 1709 ADK there is an x86 Windows PE: PXE wants both architectures.
      'pxe-boot-images@3 warning',
      // The template still has Install Deployment Tools (for XP sysprep), removed in 1710.
      'removed-step@1162 warning',
    ],
    site: ['pxe-boot-images@12 warning'],
  });
});

test('RSC002A6 object.xml ("every step"), on a current branch 2203 site (Windows 11 ADK)', () => {
  const r = checkWithSite('forevanyeung__tasksequences__RSC002A6_object.xml', 'rsc002a6-object');
  assert.deepEqual(siteFindings(r), {
    // Windows PE steps but an empty BootImageID; Convert Disk to Dynamic and Install Deployment
    // Tools removed in 1710. Every ID it names is in the site description, so no content finding.
    sequence: ['boot-image@59 error', 'removed-step@1518 warning', 'removed-step@1518 warning'],
  });
});
