// The step catalogue: coverage of the ConfigMgr classes, run contexts against the documented table,
// content kinds of referencing properties, the variable names real exports use, lookups and suggestions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILTIN_VARIABLES, builtinVariable, catalog, closestStepTypes, editDistance, isRequired, placementOf, propertyOf,
} from '../../server/src/catalog/index';
import type { StepType } from '../../server/src/catalog/index';

const T = 'SMS_TaskSequence_';

const CONFIGMGR_STEPS = [
  'ApplyOperatingSystemAction', 'ApplyDataImageAction', 'ApplyWindowsSettingsAction', 'ApplyNetworkSettingsAction',
  'ApplyDriverPackageAction', 'AutoApplyAction', 'SetupWindowsAndSMSAction', 'PartitionDiskAction', 'ConvertDiskAction',
  'EnableBitLockerAction', 'DisableBitLockerAction', 'OfflineEnableBitLockerAction', 'RequestStateStoreAction',
  'CaptureUserStateAction', 'RestoreUserStateAction', 'ReleaseStateStoreAction', 'CaptureWindowsSettingsAction',
  'CaptureNetworkSettingsAction', 'CaptureSystemImageAction', 'PrepareSMSClientAction', 'PrepareOSAction',
  'InstallDeployToolsAction', 'InstallSoftwareAction', 'InstallApplicationAction', 'InstallUpdateAction',
  'JoinDomainWorkgroupAction', 'ConnectNetworkFolderAction', 'RebootAction', 'RunCommandLineAction',
  'RunPowerShellScriptAction', 'SetVariableAction', 'SetDynamicVariablesAction', 'PrestartCheckAction',
  'DownloadPackageContentAction', 'UpgradeOperatingSystemAction', 'SubTasksequence',
].map((n) => T + n);

const MDT_STEPS = [
  'BDD_ConfigureADDS', 'BDD_ConfigureDHCP', 'BDD_ConfigureDNS', 'BDD_ExecuteRunbook', 'BDD_Gather', 'BDD_InjectDrivers',
  'BDD_InstallApplication', 'BDD_InstallLanguagePacksOffline', 'BDD_InstallLanguagePacksOnline', 'BDD_InstallOS',
  'BDD_InstallRoles', 'BDD_InstallUpdatesOffline', 'BDD_RecoverDomainJoin', 'BDD_RunPowerShellAction',
  'BDD_UninstallRoles', 'BDD_UpgradeOS', 'BDD_UsePackage', 'BDD_Validate', T + 'VirtualHardDiskAction',
];

function step(type: string): StepType {
  const found = catalog.get(type);
  assert.ok(found, `${type} is in the catalogue`);
  return found;
}

function byDisplayName(name: string): StepType {
  const found = catalog.actions().find((s) => s.displayName === name && !s.mdt);
  assert.ok(found, `a ConfigMgr step is displayed as "${name}"`);
  return found;
}

void describe('catalogue coverage', () => {
  void it('has every ConfigMgr step class with a display name, category, runIn and docs link', () => {
    assert.equal(CONFIGMGR_STEPS.length, 36);
    for (const type of CONFIGMGR_STEPS) {
      const s = step(type);
      assert.equal(s.kind, 'action', type);
      assert.equal(s.mdt, false, type);
      assert.ok(s.displayName.length > 0, type);
      assert.ok(s.category.length > 0, type);
      assert.ok(['WinPE', 'FullOS', 'WinPEandFullOS'].includes(s.runIn), type);
      assert.match(s.docsUrl ?? '', /^https:\/\/learn\.microsoft\.com\//, type);
      assert.ok(s.introduced, `${type} has introduced`);
    }
  });

  void it('has the MDT steps, marked as MDT', () => {
    for (const type of MDT_STEPS) {
      const s = step(type);
      assert.equal(s.mdt, true, type);
      assert.equal(s.category, 'MDT', type);
    }
  });

  void it('has the group, condition and operator classes with the right kinds', () => {
    assert.equal(step(T + 'Group').kind, 'group');
    assert.equal(step(T + 'ConditionOperator').kind, 'operator');
    for (const c of ['Variable', 'WMI', 'File', 'Folder', 'Registry', 'Software', 'OS']) {
      assert.equal(step(`${T}${c}ConditionExpression`).kind, 'condition', c);
    }
  });

  void it('has no two entries with the same type, even ignoring case', () => {
    const seen = new Set<string>();
    for (const s of catalog.all()) {
      assert.ok(!seen.has(s.type.toLowerCase()), `duplicate ${s.type}`);
      seen.add(s.type.toLowerCase());
    }
    assert.equal(catalog.all().length, 67);
  });

  void it('has no two properties of a step carried by the same variable', () => {
    for (const s of catalog.all()) {
      const names = s.properties.flatMap((p) => [p.variable, ...(p.aliases ?? [])]).filter((v) => v !== undefined);
      const lower = names.map((n) => n.toLowerCase());
      assert.equal(new Set(lower).size, lower.length, `${s.type}: ${names.join(', ')}`);
    }
  });

  void it('describes every step and property', () => {
    for (const s of catalog.all()) {
      assert.ok(s.description.length > 40, `${s.type} description`);
      assert.match(s.description, /\.$/, `${s.type} description ends a sentence`);
      assert.ok(s.context.length > 0, `${s.type} context`);
      for (const p of s.properties) assert.ok((p.description ?? '').length > 0, `${s.type}.${p.name} description`);
    }
  });

  void it('records the classes that current branch removed', () => {
    assert.equal(step(T + 'ConvertDiskAction').removed, 'CB 1710');
    assert.equal(step(T + 'InstallDeployToolsAction').removed, 'CB 1710');
    assert.equal(step(T + 'SubTasksequence').introduced, 'CB 1710');
    assert.equal(step(T + 'OfflineEnableBitLockerAction').introduced, 'ConfigMgr 2012 SP1');
    assert.equal(step(T + 'InstallApplicationAction').introduced, 'ConfigMgr 2012');
    for (const type of CONFIGMGR_STEPS) {
      assert.match(step(type).introduced ?? '', /^(ConfigMgr (2007|2012)( SP1| R2)?|CB \d{4})$/, type);
    }
  });
});

void describe('run contexts', () => {
  // The "Step run contexts" table of the prerequisites knowledge file.
  const WINPE_ONLY = ['Apply Operating System Image', 'Apply Data Image', 'Apply Windows Settings', 'Apply Network Settings',
    'Apply Driver Package', 'Auto Apply Drivers', 'Format and Partition Disk', 'Capture Operating System Image',
    'Pre-provision BitLocker'];
  const FULL_OS_ONLY = ['Capture Network Settings', 'Enable BitLocker', 'Disable BitLocker', 'Install Application',
    'Install Package', 'Install Software Updates', 'Join Domain or Workgroup', 'Prepare ConfigMgr Client for Capture',
    'Prepare Windows for Capture', 'Release State Store', 'Restore User State', 'Upgrade Operating System'];
  const EITHER = ['Capture Windows Settings', 'Connect to Network Folder', 'Download Package Content', 'Restart Computer',
    'Run Command Line', 'Run PowerShell Script', 'Set Task Sequence Variable', 'Set Dynamic Variables', 'Request State Store',
    'Run Task Sequence', 'Capture User State', 'Check Readiness'];
  const current = catalog.actions().filter((s) => !s.mdt && s.removed === undefined);

  void it('places exactly the documented Windows PE steps (and Setup Windows and ConfigMgr) in Windows PE', () => {
    const winpe = current.filter((s) => placementOf(s) === 'WinPE').map((s) => s.displayName).sort();
    assert.deepEqual(winpe, [...WINPE_ONLY, 'Setup Windows and ConfigMgr'].sort());
  });

  void it('places exactly the documented full-OS steps in the full OS', () => {
    const full = current.filter((s) => placementOf(s) === 'FullOS').map((s) => s.displayName).sort();
    assert.deepEqual(full, [...FULL_OS_ONLY].sort());
  });

  void it('lets the either-side and disputed steps run anywhere', () => {
    for (const name of EITHER) assert.equal(placementOf(byDisplayName(name)), 'WinPEandFullOS', name);
  });

  void it('keeps the runIn value the console writes where it differs from the placement', () => {
    assert.equal(step(T + 'SetupWindowsAndSMSAction').runIn, 'WinPEandFullOS');
    assert.equal(step(T + 'SetupWindowsAndSMSAction').allowedIn, 'WinPE');
    assert.equal(step(T + 'RequestStateStoreAction').runIn, 'FullOS');
    assert.equal(step(T + 'CaptureUserStateAction').runIn, 'FullOS');
    assert.equal(step(T + 'PrestartCheckAction').runIn, 'WinPEandFullOS');
    assert.equal(step(T + 'InstallApplicationAction').runIn, 'FullOS');
  });
});

void describe('content references', () => {
  function refOf(type: string, name: string): string | undefined {
    const p = step(T + type).properties.find((q) => q.name === name);
    assert.ok(p, `${type}.${name}`);
    return p.references;
  }

  void it('gives each content-referencing property its kind', () => {
    assert.equal(refOf('ApplyOperatingSystemAction', 'ImagePackageID'), 'osImage');
    assert.equal(refOf('ApplyOperatingSystemAction', 'InstallPackageID'), 'osInstaller');
    assert.equal(refOf('ApplyOperatingSystemAction', 'ConfigFilePackage'), 'package');
    assert.equal(refOf('ApplyDataImageAction', 'ImagePackageID'), 'osImage');
    assert.equal(refOf('ApplyDriverPackageAction', 'DriverPackageID'), 'driverPackage');
    assert.equal(refOf('SetupWindowsAndSMSAction', 'ClientPackageID'), 'clientPackage');
    assert.equal(refOf('SetupWindowsAndSMSAction', 'ClientPreProductionPackageID'), 'clientPackage');
    assert.equal(refOf('CaptureUserStateAction', 'UsmtPackageID'), 'usmtPackage');
    assert.equal(refOf('RestoreUserStateAction', 'UsmtRestorePackageID'), 'usmtPackage');
    assert.equal(refOf('SubTasksequence', 'TsPackageID'), 'taskSequence');
    assert.equal(refOf('UpgradeOperatingSystemAction', 'InstallPackageID'), 'osInstaller');
    assert.equal(refOf('UpgradeOperatingSystemAction', 'DriverPackageID'), 'driverPackage');
    assert.equal(refOf('InstallApplicationAction', 'ApplicationName'), 'application');
    assert.equal(refOf('InstallSoftwareAction', 'PackageID'), 'package');
    assert.equal(refOf('RunCommandLineAction', 'PackageID'), 'package');
    assert.equal(refOf('InstallDeployToolsAction', 'SysprepPackageID'), 'package');
  });

  void it('does not treat selectors and variable names as content', () => {
    assert.equal(refOf('InstallUpdateAction', 'Target'), undefined);
    assert.equal(refOf('InstallApplicationAction', 'BaseVariableName'), undefined);
    assert.equal(refOf('InstallSoftwareAction', 'ProgramName'), undefined);
  });

  void it('lets Download Package Content name content of any kind, as a list and per indexed entry', () => {
    const s = step(T + 'DownloadPackageContentAction');
    const list = propertyOf(s, 'OSDDownloadDownloadPackages');
    assert.equal(list?.list, true);
    assert.deepEqual([...(list?.kinds ?? [])].sort(), ['bootImage', 'driverPackage', 'osImage', 'osInstaller', 'package']);
    const entry = propertyOf(s, 'OSDPackage3PackageId');
    assert.equal(entry?.name, 'PackageInfo<N>PackageId');
    assert.ok(entry?.kinds?.includes('driverPackage'));
  });
});

void describe('propertyOf', () => {
  // Variable names real exports use (confirmed or corrected by the corpus comparison).
  const CASES: [string, string, string][] = [
    ['CaptureUserStateAction', '_OSDMigrateUsmtPackageID', 'UsmtPackageID'],
    ['RestoreUserStateAction', '_OSDMigrateUsmtRestorePackageID', 'UsmtRestorePackageID'],
    ['SetupWindowsAndSMSAction', '_SMSClientPackageID', 'ClientPackageID'],
    ['ApplyDriverPackageAction', 'OSDApplyDriverDriverPackageID', 'DriverPackageID'],
    ['ApplyDriverPackageAction', 'OSDRecurse', 'Recurse'],
    ['SubTasksequence', 'OSDSubTasksequencePackageID', 'TsPackageID'],
    ['RebootAction', 'SMSRebootTarget', 'Target'],
    ['RequestStateStoreAction', 'OSDStateRequestType', 'RequestType'],
    ['EnableBitLockerAction', 'OSDBitLockerMode', 'Mode'],
    ['RunPowerShellScriptAction', 'SMSTSRunPowerShellWorkingDirectory', 'WorkingDirectory'],
    ['RunPowerShellScriptAction', 'OSDRunPowerShellScriptSourceScript', 'SourceScript'],
    ['UpgradeOperatingSystemAction', 'OSDUpgradeInstallPackageID', 'InstallPackageID'],
    ['UpgradeOperatingSystemAction', 'OSDFeatureUpdateAssignmentID', 'FeatureUpdateAssignmentId'],
    ['RunCommandLineAction', '_SMSTSRunCommandLineAsUser', 'RunAsUser'],
    ['PrestartCheckAction', 'OSDCheckMaxOsVersion', 'CheckMaxOSVersion'],
    ['InstallApplicationAction', 'OSDApp', 'AppInfo'],
    ['ApplyOperatingSystemAction', 'ImagePackageID', 'ImagePackageID'],
  ];

  void it('resolves the variable names of real exports', () => {
    for (const [type, variable, name] of CASES) {
      assert.equal(propertyOf(step(T + type), variable)?.name, name, `${type}: ${variable}`);
    }
  });

  void it('knows which variables the console writes hidden', () => {
    assert.equal(propertyOf(step(T + 'RebootAction'), 'SMSRebootTarget')?.hidden, true);
    assert.equal(propertyOf(step(T + 'ApplyOperatingSystemAction'), 'ImagePackageID')?.hidden, true);
    assert.equal(propertyOf(step(T + 'ApplyOperatingSystemAction'), 'OSDImageIndex')?.hidden, undefined);
  });

  void it('ignores case', () => {
    assert.equal(propertyOf(step(T + 'RebootAction'), 'smsreboottarget')?.name, 'Target');
  });

  void it('resolves MDT Lite Touch spellings through aliases', () => {
    const reboot = step(T + 'RebootAction');
    assert.equal(propertyOf(reboot, 'Message')?.variable, 'SMSRebootMessage');
    assert.equal(propertyOf(reboot, 'MessageTimeout')?.variable, 'SMSRebootTimeout');
    assert.equal(propertyOf(step(T + 'RunCommandLineAction'), 'RunAsUser')?.variable, '_SMSTSRunCommandLineAsUser');
  });

  void it('resolves indexed families and not their neighbours', () => {
    const disk = step(T + 'PartitionDiskAction');
    assert.equal(propertyOf(disk, 'OSDPartitions2Size')?.name, 'Partitions<N>Size');
    assert.equal(propertyOf(disk, 'OSDPartitions0VolumeLetterVariable')?.name, 'Partitions<N>VolumeLetterVariable');
    assert.equal(propertyOf(disk, 'OSDPartitions')?.name, 'Partitions');
    assert.equal(propertyOf(disk, 'OSDPartitionsXSize'), undefined);
    assert.equal(propertyOf(step(T + 'InstallApplicationAction'), 'OSDApp12Name')?.references, 'application');
    assert.equal(propertyOf(step(T + 'DownloadPackageContentAction'), 'OSDPackageCount')?.name, 'NumPackages');
  });

  void it('falls back to the WMI property name and returns undefined for strangers', () => {
    assert.equal(propertyOf(step(T + 'RunPowerShellScriptAction'), 'PackageID')?.variable, 'OSDRunPowerShellScriptPackageID');
    assert.equal(propertyOf(step(T + 'RebootAction'), 'NoSuchVariable'), undefined);
  });
});

void describe('required properties', () => {
  const values = (v: Record<string, string>) => ({ valueOf: (n: string) => v[n] });

  void it('uses only condition words that isRequired understands', () => {
    for (const s of catalog.all()) {
      for (const p of s.properties) {
        if (typeof p.required === 'boolean') continue;
        assert.notEqual(isRequired(p, values({})), undefined, `${s.type}.${p.name}: "${p.required}"`);
      }
    }
  });

  void it('asks Apply Operating System Image for an image or an install package', () => {
    const s = step(T + 'ApplyOperatingSystemAction');
    const image = propertyOf(s, 'ImagePackageID');
    const install = propertyOf(s, 'InstallPackageID');
    assert.ok(image && install);
    assert.equal(isRequired(image, values({})), true);
    assert.equal(isRequired(install, values({})), true);
    assert.equal(isRequired(install, values({ ImagePackageID: 'ABC00012' })), false);
    assert.equal(isRequired(propertyOf(s, 'OSDImageIndex') ?? image, values({ ImagePackageID: 'ABC00012' })), true);
  });

  void it('requires the packages the checks depend on', () => {
    for (const [type, name] of [['CaptureUserStateAction', 'UsmtPackageID'], ['RestoreUserStateAction', 'UsmtRestorePackageID'],
      ['SetupWindowsAndSMSAction', 'ClientPackageID'], ['ApplyDriverPackageAction', 'DriverPackageID'],
      ['SubTasksequence', 'TsPackageID'], ['RequestStateStoreAction', 'RequestType']]) {
      assert.equal(step(T + type).properties.find((p) => p.name === name)?.required, true, `${type}.${name}`);
    }
  });

  void it('reads value-dependent and MDT-dependent conditions', () => {
    const value = propertyOf(step(T + 'VariableConditionExpression'), 'Value');
    assert.ok(value);
    assert.equal(isRequired(value, values({ Operator: 'exists' })), false);
    assert.equal(isRequired(value, values({ Operator: 'Equals' })), true);
    const target = propertyOf(step(T + 'RebootAction'), 'SMSRebootTarget');
    assert.ok(target);
    assert.equal(isRequired(target, { valueOf: () => undefined, mdtLiteTouch: true }), false);
    assert.equal(isRequired(target, { valueOf: () => undefined }), true);
    const domain = propertyOf(step(T + 'ApplyNetworkSettingsAction'), 'OSDDomainName');
    assert.ok(domain);
    assert.equal(isRequired(domain, values({})), true);
    assert.equal(isRequired(domain, values({ WorkgroupName: 'WORKGROUP' })), false);
    assert.equal(isRequired(domain, { valueOf: () => undefined, mdtLiteTouch: true }), false);
  });
});

void describe('conditions', () => {
  function valuesOf(type: string, name: string): string[] {
    return step(T + type).properties.find((p) => p.name === name)?.values ?? [];
  }

  void it('lists the operators of each condition class', () => {
    assert.deepEqual([...valuesOf('VariableConditionExpression', 'Operator')].sort(),
      ['equals', 'exists', 'greater', 'greaterEqual', 'less', 'lessEqual', 'notEquals', 'notExists']);
    assert.ok(valuesOf('RegistryConditionExpression', 'Operator').includes('nonExists'));
    assert.ok(valuesOf('RegistryConditionExpression', 'Operator').includes('notExists'));
    assert.deepEqual(valuesOf('ConditionOperator', 'OperatorType'), ['and', 'or', 'not']);
    assert.deepEqual(valuesOf('SoftwareConditionExpression', 'Operator'), ['AnyVersion', 'ThisVersion']);
    assert.ok(valuesOf('RegistryConditionExpression', 'Type').includes('REG_SZ'));
  });

  void it('marks the parameters every expression needs', () => {
    const required = (type: string) =>
      step(T + type).properties.filter((p) => p.required === true).map((p) => p.name).sort();
    assert.deepEqual(required('VariableConditionExpression'), ['Operator', 'Variable']);
    assert.deepEqual(required('WMIConditionExpression'), ['Namespace', 'Query']);
    assert.deepEqual(required('FileConditionExpression'), ['Path']);
    assert.deepEqual(required('FolderConditionExpression'), ['Path']);
    assert.deepEqual(required('RegistryConditionExpression'), ['KeyPath', 'Operator']);
    assert.deepEqual(required('SoftwareConditionExpression'), ['Operator']);
  });

  void it('names condition parameters as they are written', () => {
    for (const s of catalog.all().filter((c) => c.kind === 'condition')) {
      for (const p of s.properties) assert.equal(p.variable, p.name, `${s.type}.${p.name}`);
    }
  });
});

void describe('lookups and suggestions', () => {
  void it('looks up exactly with get and case-insensitively with find', () => {
    assert.equal(catalog.get('sms_tasksequence_rebootaction'), undefined);
    assert.equal(catalog.find('sms_tasksequence_rebootaction')?.type, T + 'RebootAction');
  });

  void it('lists actions only, sorted by display name', () => {
    const actions = catalog.actions();
    assert.equal(actions.length, 36 + MDT_STEPS.length);
    assert.ok(actions.every((s) => s.kind === 'action'));
    const names = actions.map((s) => s.displayName);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
  });

  void it('suggests the intended class for typos and wrong case', () => {
    assert.equal(closestStepTypes(T + 'RequestStateStorAction')[0]?.type, T + 'RequestStateStoreAction');
    assert.equal(closestStepTypes('sms_tasksequence_rebootaction')[0]?.type, T + 'RebootAction');
    assert.equal(closestStepTypes(T + 'RunComandLineAction')[0]?.type, T + 'RunCommandLineAction');
    assert.equal(closestStepTypes(T + 'ApplyOperatingSystem')[0]?.type, T + 'ApplyOperatingSystemAction');
    assert.equal(closestStepTypes('BDD_Gathr')[0]?.type, 'BDD_Gather');
    assert.equal(closestStepTypes(T + 'VariableConditionExpresion')[0]?.type, T + 'VariableConditionExpression');
  });

  void it('honours the limit and offers nothing for unrelated names', () => {
    assert.equal(closestStepTypes(T + 'RebootAction', 1).length, 1);
    assert.ok(closestStepTypes(T + 'RebootAction', 5).length <= 5);
    assert.deepEqual(closestStepTypes('Contoso_CustomThing_Xyz'), []);
    assert.deepEqual(closestStepTypes(''), []);
  });

  void it('measures edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });
});

void describe('built-in variables', () => {
  void it('has the read-only engine variables and the writable ones steps use', () => {
    for (const name of ['_SMSTSInWinPE', '_SMSTSMachineName', '_SMSTSLogPath', '_SMSTSMDataPath', '_SMSTSCurrentActionName',
      '_SMSTSLastActionRetCode', '_SMSTSBootImageID', '_SMSTSPackageID', '_SMSTSLaunchMode', '_SMSTSMediaType',
      '_SMSTSClientCache', '_SMSTSUserStarted', '_SMSTSAdvertID', '_SMSTSSiteCode', '_SMSTSType']) {
      assert.equal(builtinVariable(name)?.readOnly, true, name);
    }
    for (const name of ['OSDStateStorePath', 'OSDTargetSystemDrive', 'OSDisk', 'SMSTSRebootMessage', 'OSDComputerName',
      'SMSTSPreferredAdvertID', 'OSDDoNotLogCommand']) {
      assert.equal(builtinVariable(name)?.readOnly, false, name);
    }
    assert.equal(builtinVariable('_smstsinwinpe')?.name, '_SMSTSInWinPE');
  });

  void it('has unique, described variables whose read-only flag follows the underscore', () => {
    const seen = new Set<string>();
    for (const v of BUILTIN_VARIABLES) {
      assert.ok(!seen.has(v.name.toLowerCase()), v.name);
      seen.add(v.name.toLowerCase());
      assert.ok(v.description.length > 10, v.name);
      assert.equal(v.readOnly, v.name.startsWith('_'), v.name);
    }
  });

  void it('names only catalogued step classes in setBy and readBy', () => {
    for (const v of BUILTIN_VARIABLES) {
      for (const type of [...(v.setBy ?? []), ...(v.readBy ?? [])]) assert.ok(catalog.get(type), `${v.name}: ${type}`);
    }
    assert.deepEqual(builtinVariable('OSDStateStorePath')?.setBy, [T + 'RequestStateStoreAction']);
  });
});

it('no two step classes spell the same property variable differently (variable-name-typo reads them in any order)', () => {
  const spellings = new Map<string, Set<string>>();
  for (const t of catalog.all()) {
    if (t.kind !== 'action') continue;
    for (const p of t.properties) {
      if (!p.variable || p.variable.includes('<')) continue;
      const k = p.variable.toLowerCase();
      if (!spellings.has(k)) spellings.set(k, new Set());
      spellings.get(k)!.add(p.variable);
    }
  }
  assert.deepEqual([...spellings].filter(([, v]) => v.size > 1).map(([k]) => k), []);
});
