// A child sequence starts where the Run Task Sequence steps that call it run (issue 15): the
// context of the calling step, from the caller's own flow, through the project façade as the
// front ends check it (the child resolver reads the caller through the site description).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Project } from '../../server/src/project';
import { memoryHost } from './helpers/memoryHost';
import { parseTaskSequence } from '../../server/src/model/parse';
import { stepHints } from '../../server/src/features/stepHints';

const RUN_CHILD = '<subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run Child" description="" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><action>SubTasksequence.exe</action><defaultVarList><variable name="OSDSubTasksequencePackageID" property="TsPackageID" hidden="true">PS100099</variable></defaultVarList></subtasksequence>';
const FORMAT = '<step type="SMS_TaskSequence_PartitionDiskAction" name="Format Disk" description="" runIn="WinPE" successCodeList="0" retryCount="0" runFromNet="false"><action>osddiskpart.exe</action><defaultVarList><variable name="OSDDiskIndex" property="DiskIndex">0</variable><variable name="OSDPartitions" property="Partitions" hidden="true">1</variable><variable name="OSDPartitions0Type" property="Partitions0Type">Primary</variable><variable name="OSDPartitions0FileSystem" property="Partitions0FileSystem">NTFS</variable></defaultVarList></step>';

function site(parentStart: string): string {
  return JSON.stringify({
    site: { code: 'PS1', product: 'ConfigMgr CB', version: '2309' },
    taskSequences: [
      { packageId: 'PS100010', name: 'Parent', file: 'parent.xml', availableTo: parentStart },
      { packageId: 'PS100099', name: 'Child', file: 'child.xml' },
    ],
  });
}

function childFindings(parentStart: string): string[] {
  const files = {
    '/ws/configmgr-site.json': site(parentStart),
    '/ws/parent.xml': `<sequence version="3.10">${RUN_CHILD}</sequence>`,
    '/ws/child.xml': `<sequence version="3.10">${FORMAT}</sequence>`,
  };
  const project = new Project(memoryHost(files));
  const r = project.checkSequence(files['/ws/child.xml'], '/ws/child.xml', project.contextFor('/ws/child.xml', '/ws'));
  return r.findings.filter((f) => f.rule === 'step-context').map((f) => `${f.severity}: ${f.message}`);
}

void test('a child run only from a full-OS deployment: its Windows-PE-only step is an error', () => {
  const found = childFindings('clients');
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^error: /);
});

void test('a child run only from Windows PE (media and PXE): no step-context finding', () => {
  assert.deepEqual(childFindings('mediaAndPxe'), []);
});

void test('a caller that may start in either context leaves the child as unknown as before', () => {
  const either = childFindings('clientsMediaAndPxe');
  assert.ok(either.every((f) => !f.startsWith('error: ')), either.join('\n'));
});

void test('the step hints, the fix judge and the checks start a child where its callers run it (Project.startInFor)', () => {
  for (const [parentStart, expected, words] of [['clients', 'FullOS', 'Runs in full OS.'], ['mediaAndPxe', 'WinPE', 'Runs in Windows PE.'], ['clientsMediaAndPxe', 'both', 'Runs in Windows PE or the full OS.']] as const) {
    const files = {
      '/ws/configmgr-site.json': site(parentStart),
      '/ws/parent.xml': `<sequence version="3.10">${RUN_CHILD}</sequence>`,
      '/ws/child.xml': `<sequence version="3.10">${FORMAT.replace('runIn="WinPE"', 'runIn="WinPEandFullOS"')}</sequence>`,
    };
    const project = new Project(memoryHost(files));
    const context = project.contextFor('/ws/child.xml', '/ws');
    const model = parseTaskSequence(files['/ws/child.xml']).model;
    const startIn = project.startInFor(model, '/ws/child.xml', context);
    assert.equal(startIn, expected, parentStart);
    const hint = stepHints(model, { startIn }).find((h) => h.item.kind === 'step');
    assert.ok(hint?.tooltip.includes(words), `${parentStart}: ${hint?.tooltip}`);
  }
});
