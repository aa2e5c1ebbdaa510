// The version tables: every row cites known sources, the lookups answer what the documentation
// says (the seed facts among them), and the step table agrees with the step catalogue.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { catalog } from '../../server/src/catalog';
import {
  adkVerdict, CB_ADK_COLUMNS, CB_ADK_MATRIX, CERTIFICATES, CHILD_SEQUENCES, compareVersions, KITS_BEFORE_CB, kitBeforeCB, kitVersion, LITE_TOUCH_ONLY,
  meets, meetsText, MULTICAST, parseRelease, POWERSHELL_COMPONENTS, PXE_ARCHITECTURES, PXE_ROLES, siteRelease, SOURCES, STEP_AVAILABILITY,
  stepAvailability, supportedAdks, USMT_SUPPORT, USMT_TARGETS, usmtMajor, usmtSupport, versionPrefix, WINPE_SUPPORT, winPESupport, winPEVersion,
  type Release,
} from '../../server/src/versions';
import { PRODUCTS } from '../../server/src/site/types';

function release(product: Release['product'], version: string): Release {
  const r = siteRelease(product, version);
  assert.ok(r, `${product} ${version} is a release`);
  return r;
}

describe('every table row cites sources cmts knows', () => {
  const tables: [string, readonly { sources: readonly string[] }[]][] = [
    ['WINPE_SUPPORT', WINPE_SUPPORT], ['KITS_BEFORE_CB', KITS_BEFORE_CB], ['CB_ADK_MATRIX', CB_ADK_MATRIX], ['USMT_SUPPORT', USMT_SUPPORT],
    ['USMT_TARGETS', USMT_TARGETS], ['STEP_AVAILABILITY', STEP_AVAILABILITY], ['LITE_TOUCH_ONLY', LITE_TOUCH_ONLY], ['MULTICAST', MULTICAST],
    ['PXE_ROLES', PXE_ROLES], ['CERTIFICATES', CERTIFICATES], ['PXE_ARCHITECTURES', PXE_ARCHITECTURES],
    ['POWERSHELL_COMPONENTS', [POWERSHELL_COMPONENTS]], ['CHILD_SEQUENCES', [CHILD_SEQUENCES]],
  ];
  for (const [name, rows] of tables) {
    test(name, () => {
      assert.ok(rows.length > 0);
      rows.forEach((row, i) => {
        assert.ok(row.sources.length > 0, `${name}[${i}] has no source`);
        for (const key of row.sources) assert.ok(SOURCES[key], `${name}[${i}] cites "${key}", which sources.ts does not list`);
      });
    });
  }

  test('rows name releases the site description allows', () => {
    for (const row of [...WINPE_SUPPORT, ...KITS_BEFORE_CB, ...USMT_SUPPORT]) {
      for (const r of row.releases) if (r !== '*') assert.ok(siteRelease(row.product, r), `${row.product} "${r}"`);
    }
    for (const p of PRODUCTS) assert.ok(WINPE_SUPPORT.some((r) => r.product === p), `no Windows PE row for ${p}`);
  });
});

describe('releases', () => {
  test('ConfigMgr 2007: R2 sits on SP1, R3 on SP2, and R features need the R release', () => {
    assert.ok(meets(release('ConfigMgr 2007', 'SP1 R2'), release('ConfigMgr 2007', 'R2')));
    assert.ok(meets(release('ConfigMgr 2007', 'R3'), release('ConfigMgr 2007', 'R2')));
    assert.ok(!meets(release('ConfigMgr 2007', 'SP2'), release('ConfigMgr 2007', 'R2')), 'SP2 without R2 has no multicast');
    assert.ok(meets(release('ConfigMgr 2007', 'R2'), release('ConfigMgr 2007', 'SP1')));
    assert.ok(!meets(release('ConfigMgr 2007', 'R2'), release('ConfigMgr 2007', 'SP2')));
  });

  test('ConfigMgr 2012 and current branch are one line each, and later products have the earlier ones\' steps', () => {
    assert.ok(meets(release('ConfigMgr 2012', 'R2 SP1'), release('ConfigMgr 2012', 'R2')));
    assert.ok(meets(release('ConfigMgr 2012', 'SP2'), release('ConfigMgr 2012', 'R2')));
    assert.ok(!meets(release('ConfigMgr 2012', 'SP1'), release('ConfigMgr 2012', 'R2')));
    assert.ok(meets(release('ConfigMgr CB', '1710'), parseRelease('CB 1710')!));
    assert.ok(!meets(release('ConfigMgr CB', '1706'), parseRelease('CB 1710')!));
    assert.ok(meets(release('ConfigMgr CB', '1511'), parseRelease('ConfigMgr 2012 R2')!));
    assert.ok(!meets(release('ConfigMgr 2007', 'SP2 R3'), parseRelease('ConfigMgr 2012')!));
    assert.equal(meetsText(release('ConfigMgr CB', '2309'), 'not a release'), undefined);
  });

  test('site versions outside the spec are not releases', () => {
    assert.equal(siteRelease('ConfigMgr 2007', 'SP3'), undefined);
    assert.equal(siteRelease('ConfigMgr CB', 'R2'), undefined);
    assert.equal(siteRelease(undefined, 'SP1'), undefined);
    assert.equal(siteRelease('ConfigMgr 2007', 'sp1 r2')?.label, 'ConfigMgr 2007 SP1 R2');
  });

  test('version comparison', () => {
    assert.equal(compareVersions('10.1.22621.1', '10.1.20348'), 1);
    assert.equal(compareVersions('1.1', '1.10'), -1);
    assert.equal(compareVersions('2.0', '2'), 0);
    assert.equal(versionPrefix('10.1.22621.1', 3), '10.1.22621');
    assert.equal(versionPrefix('vista', 2), undefined);
  });
});

describe('Windows PE (OSD-BOOT-005)', () => {
  test('seed: ConfigMgr 2007 supports nothing earlier than Windows PE 2.0', () => {
    for (const v of ['RTM', 'SP1', 'R2', 'SP2', 'SP2 R3']) {
      const row = winPESupport(release('ConfigMgr 2007', v))!;
      assert.ok(row.supported.every((pe) => Number(pe) >= 2), v);
      assert.ok(!row.supported.includes(winPEVersion('1.6')!), v);
    }
  });

  test('ConfigMgr 2007 SP1 and R2 build Windows PE 2.1; SP2 3.0; 2012 R2 5.0; current branch 10', () => {
    assert.equal(winPESupport(release('ConfigMgr 2007', 'SP1'))!.kit, '2.1');
    assert.equal(winPESupport(release('ConfigMgr 2007', 'R2'))!.kit, '2.1');
    assert.ok(!winPESupport(release('ConfigMgr 2007', 'SP1'))!.supported.includes('3.0'));
    assert.equal(winPESupport(release('ConfigMgr 2007', 'SP2'))!.kit, '3.0');
    assert.deepEqual(winPESupport(release('ConfigMgr 2012', 'R2'))!.supported, ['5.0', '3.1']);
    assert.ok(!winPESupport(release('ConfigMgr CB', '2309'))!.supported.includes('3.0'), 'current branch: 3.1, not 3.0');
    assert.ok(!winPESupport(release('ConfigMgr CB', '2309'))!.supported.includes('4.0'));
  });

  test('builds map onto Windows PE versions', () => {
    assert.equal(winPEVersion('6.0.6000'), '2.0');
    assert.equal(winPEVersion('6.0.6001.18000'), '2.1');
    assert.equal(winPEVersion('6.1.7600.16385'), '3.0');
    assert.equal(winPEVersion('6.1.7601'), '3.1');
    assert.equal(winPEVersion('6.2.9200.16384'), '4.0');
    assert.equal(winPEVersion('6.3.9600.16384'), '5.0');
    assert.equal(winPEVersion('10.0.22621.1'), '10');
    assert.equal(winPEVersion('2.1'), '2.1');
    assert.equal(winPEVersion('5'), '5.0');
    assert.equal(winPEVersion('latest'), undefined);
  });
});

describe('deployment kits (OSD-ADK-002, OSD-ADK-005)', () => {
  test('seed: ConfigMgr 2007 SP1 and R2 need WAIK 1.1', () => {
    for (const v of ['SP1', 'R2', 'SP1 R2']) {
      const row = kitBeforeCB(release('ConfigMgr 2007', v))!;
      assert.equal(row.kit, 'WAIK');
      assert.deepEqual(row.versions, ['1.1']);
      assert.ok(row.sources.includes('S-2007PREQ'));
    }
    assert.deepEqual(kitBeforeCB(release('ConfigMgr 2007', 'RTM'))!.versions, ['1.0']);
    assert.equal(kitBeforeCB(release('ConfigMgr 2012', 'SP1'))!.kit, 'ADK');
    assert.equal(kitBeforeCB(release('ConfigMgr CB', '2309')), undefined);
  });

  test('kit versions as Programs and Features shows them', () => {
    assert.equal(kitVersion('WAIK', '1.1.0000.0000'), '1.1');
    assert.equal(kitVersion('ADK', '8.59.25584'), '8.0');
    assert.equal(kitVersion('ADK', '8.100.26629'), '8.1');
    assert.equal(kitVersion('ADK', '8.1'), '8.1');
    assert.equal(kitVersion('ADK', '10.1.22621.1'), '10');
  });

  test('the current-branch matrix has one letter per column and reads as the support page', () => {
    for (const row of CB_ADK_MATRIX) {
      assert.equal(row.cells.length, CB_ADK_COLUMNS.length, row.name);
      assert.match(row.cells, /^[YB\- ]+$/, row.name);
    }
    assert.equal(adkVerdict(1802, '10.1.16299.15')?.cell, 'Y');
    assert.equal(adkVerdict(1906, '10.1.17763.1')?.cell, 'B');
    assert.equal(adkVerdict(2002, '10.1.17763.1')?.cell, '-');
    assert.equal(adkVerdict(2107, '10.1.22621.1')?.cell, '-');
    assert.equal(adkVerdict(2111, '10.1.22621.1')?.cell, 'Y');
    assert.equal(adkVerdict(2010, '10.1.17763.1')?.cell, ' ', 'not listed');
    const beyond = adkVerdict(2309, '10.1.22621.1');
    assert.equal(beyond?.cell, 'Y');
    assert.equal(beyond?.beyondMatrix, true);
    assert.equal(adkVerdict(1511, '10.1.10586'), undefined, 'older than the matrix');
    assert.equal(adkVerdict(2309, '10.1.26100.1'), undefined, 'an ADK the matrix does not know');
    assert.deepEqual(supportedAdks(2002).map((r) => r.build), ['10.1.18362']);
  });
});

describe('USMT (OSD-USMT-007)', () => {
  test('versions per release', () => {
    assert.deepEqual(usmtSupport(release('ConfigMgr 2007', 'SP1'))!.majors, [3]);
    assert.ok(usmtSupport(release('ConfigMgr 2007', 'SP2'))!.majors.includes(4));
    assert.ok(usmtSupport(release('ConfigMgr 2012', 'SP1'))!.majors.includes(5));
    assert.deepEqual(usmtSupport(release('ConfigMgr CB', '2309'))!.majors, [10]);
    assert.equal(usmtMajor('3.0.1'), 3);
    assert.equal(usmtMajor('10.1.22621.1'), 10);
  });
});

describe('steps (OSD-VER-001)', () => {
  const builtIn = catalog.actions().filter((s) => !s.mdt);

  test('every built-in step class has a row, and the row agrees with the catalogue', () => {
    for (const s of builtIn) {
      const row = stepAvailability(s.type);
      assert.ok(row, `${s.type} has no availability row`);
      assert.equal(row.introduced, s.introduced, `${s.type}: introduced`);
      assert.equal(row.removed, s.removed, `${s.type}: removed`);
    }
    assert.equal(STEP_AVAILABILITY.length, new Set(STEP_AVAILABILITY.map((r) => r.type)).size, 'one row per class');
  });

  test('removed in 1710: Convert Disk to Dynamic and Install Deployment Tools; Run Task Sequence from 1710', () => {
    const cb = (v: string) => release('ConfigMgr CB', v);
    for (const t of ['SMS_TaskSequence_ConvertDiskAction', 'SMS_TaskSequence_InstallDeployToolsAction']) {
      const row = stepAvailability(t)!;
      assert.equal(meetsText(cb('1710'), row.removed!), true);
      assert.equal(meetsText(cb('1706'), row.removed!), false);
    }
    const child = stepAvailability('SMS_TaskSequence_SubTasksequence')!;
    assert.equal(meetsText(cb('1706'), child.introduced), false);
    assert.equal(meetsText(cb('1802'), child.onByDefault!), false);
    assert.equal(meetsText(release('ConfigMgr 2012', 'R2'), stepAvailability('SMS_TaskSequence_RunPowerShellScriptAction')!.introduced), true);
    assert.equal(meetsText(release('ConfigMgr 2012', 'SP1'), stepAvailability('SMS_TaskSequence_RunPowerShellScriptAction')!.introduced), false);
  });

  test('Lite Touch-only classes are MDT classes of the catalogue', () => {
    for (const row of LITE_TOUCH_ONLY) assert.equal(catalog.get(row.type)?.mdt, true, row.type);
  });
});

describe('site features', () => {
  test('multicast came to ConfigMgr 2007 with R2', () => {
    const row = MULTICAST.find((r) => r.product === 'ConfigMgr 2007')!;
    assert.equal(meetsText(release('ConfigMgr 2007', 'SP1'), row.since), false);
    assert.equal(meetsText(release('ConfigMgr 2007', 'SP1 R2'), row.since), true);
  });

  test('seed: a ConfigMgr 2007 native-mode site needs certificates for the PXE service point and boot media', () => {
    const row = CERTIFICATES.find((r) => r.product === 'ConfigMgr 2007' && r.securityMode === 'native')!;
    assert.ok(row.pxe.includes('pxe'));
    assert.ok(row.media.includes('bootMedia'));
    assert.equal(PXE_ROLES.find((r) => r.product === 'ConfigMgr 2007')?.role, 'pxeServicePoint');
  });
});
