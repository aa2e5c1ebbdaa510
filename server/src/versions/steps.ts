// When each step class appeared in the product and when it was removed (fact OSD-VER-001), one row
// per class with its sources, and the MDT classes that exist only in MDT's own Lite Touch engine.
// The step catalogue carries the same `introduced`/`removed` words; a unit test keeps the two equal.

export interface StepAvailability {
  type: string;
  /** First release with the step ("ConfigMgr 2007", "ConfigMgr 2012 R2", "CB 1710"). */
  introduced: string;
  removed?: string;
  /** A release from which the step is there without turning a pre-release feature on. */
  onByDefault?: string;
  /** The first release is our reading: the sources show the step in a later list only. */
  inferred?: boolean;
  sources: readonly string[];
}

const CM2007_CONFIRMED = ['S-2007TS', 'S-2007SDK-CLS', 'S-2012TSS'];
const CM2007_INFERRED = ['S-2012TSS'];

function cm2007(type: string, confirmed: boolean): StepAvailability {
  return confirmed
    ? { type, introduced: 'ConfigMgr 2007', sources: CM2007_CONFIRMED }
    : { type, introduced: 'ConfigMgr 2007', inferred: true, sources: CM2007_INFERRED };
}

export const STEP_AVAILABILITY: readonly StepAvailability[] = [
  // In the 2007 sample sequence or the 2007 SDK.
  cm2007('SMS_TaskSequence_ApplyOperatingSystemAction', true),
  cm2007('SMS_TaskSequence_ApplyWindowsSettingsAction', true),
  cm2007('SMS_TaskSequence_ApplyNetworkSettingsAction', true),
  cm2007('SMS_TaskSequence_ApplyDriverPackageAction', true),
  cm2007('SMS_TaskSequence_AutoApplyAction', true),
  cm2007('SMS_TaskSequence_SetupWindowsAndSMSAction', true),
  cm2007('SMS_TaskSequence_PartitionDiskAction', true),
  cm2007('SMS_TaskSequence_RequestStateStoreAction', true),
  cm2007('SMS_TaskSequence_CaptureUserStateAction', true),
  cm2007('SMS_TaskSequence_RestoreUserStateAction', true),
  cm2007('SMS_TaskSequence_ReleaseStateStoreAction', true),
  cm2007('SMS_TaskSequence_CaptureWindowsSettingsAction', true),
  cm2007('SMS_TaskSequence_CaptureNetworkSettingsAction', true),
  cm2007('SMS_TaskSequence_RebootAction', true),
  cm2007('SMS_TaskSequence_InstallSoftwareAction', true),
  cm2007('SMS_TaskSequence_PrepareSMSClientAction', true),
  cm2007('SMS_TaskSequence_PrepareOSAction', true),
  // In the 2012 RTM list with no "added in" marker: 2007 by inference.
  cm2007('SMS_TaskSequence_ApplyDataImageAction', false),
  cm2007('SMS_TaskSequence_EnableBitLockerAction', false),
  cm2007('SMS_TaskSequence_DisableBitLockerAction', false),
  cm2007('SMS_TaskSequence_CaptureSystemImageAction', false),
  cm2007('SMS_TaskSequence_InstallUpdateAction', false),
  cm2007('SMS_TaskSequence_JoinDomainWorkgroupAction', false),
  cm2007('SMS_TaskSequence_ConnectNetworkFolderAction', false),
  cm2007('SMS_TaskSequence_RunCommandLineAction', false),
  cm2007('SMS_TaskSequence_SetVariableAction', false),
  { type: 'SMS_TaskSequence_ConvertDiskAction', introduced: 'ConfigMgr 2007', removed: 'CB 1710', inferred: true, sources: ['S-2012TSS', 'S-DEPR', 'S-TSS17RM'] },
  { type: 'SMS_TaskSequence_InstallDeployToolsAction', introduced: 'ConfigMgr 2007', removed: 'CB 1710', inferred: true, sources: ['S-2012TSS', 'S-DEPR', 'S-TSS17RM'] },
  { type: 'SMS_TaskSequence_InstallApplicationAction', introduced: 'ConfigMgr 2012', sources: ['S-2012TSS'] },
  { type: 'SMS_TaskSequence_OfflineEnableBitLockerAction', introduced: 'ConfigMgr 2012 SP1', sources: ['S-2012TSS'] },
  { type: 'SMS_TaskSequence_PrestartCheckAction', introduced: 'ConfigMgr 2012 R2', sources: ['S-2012TSS'] },
  { type: 'SMS_TaskSequence_RunPowerShellScriptAction', introduced: 'ConfigMgr 2012 R2', sources: ['S-2012TSS'] },
  { type: 'SMS_TaskSequence_SetDynamicVariablesAction', introduced: 'ConfigMgr 2012 R2', sources: ['S-2012TSS'] },
  // Absent from the 2012 R2 list, present in the first archived current-branch reference.
  { type: 'SMS_TaskSequence_DownloadPackageContentAction', introduced: 'CB 1511', inferred: true, sources: ['S-2012TSS', 'S-TSS16'] },
  { type: 'SMS_TaskSequence_UpgradeOperatingSystemAction', introduced: 'CB 1511', inferred: true, sources: ['S-2012TSS', 'S-TSS16'] },
  { type: 'SMS_TaskSequence_SubTasksequence', introduced: 'CB 1710', onByDefault: 'CB 1910', sources: ['S-WN1710', 'S-TSS20'] },
];

export interface LiteTouchOnlyStep {
  type: string;
  /** What ConfigMgr uses instead. */
  instead: string;
  sources: readonly string[];
}

/**
 * MDT classes run by MDT's Lite Touch engine only: ConfigMgr has no such step, even with MDT
 * integrated (integration adds Gather, Use Toolkit Package, Validate and the other BDD_ steps,
 * not these).
 */
export const LITE_TOUCH_ONLY: readonly LiteTouchOnlyStep[] = [
  { type: 'BDD_InstallOS', instead: 'Apply Operating System Image', sources: ['MDT-TOOLKIT', 'CORPUS-STEPS'] },
  { type: 'BDD_InjectDrivers', instead: 'Auto Apply Drivers or Apply Driver Package', sources: ['MDT-TOOLKIT', 'CORPUS-STEPS'] },
  { type: 'BDD_InstallApplication', instead: 'Install Application or Install Package', sources: ['MDT-TOOLKIT', 'CORPUS-STEPS'] },
  { type: 'BDD_RecoverDomainJoin', instead: 'Join Domain or Workgroup', sources: ['MDT-TOOLKIT', 'CORPUS-STEPS'] },
  { type: 'BDD_UpgradeOS', instead: 'Upgrade Operating System', sources: ['MDT-TOOLKIT', 'CORPUS-STEPS'] },
  { type: 'SMS_TaskSequence_VirtualHardDiskAction', instead: 'a Run Command Line step with diskpart', sources: ['MDT-TOOLKIT', 'CORPUS-STEPS'] },
];

export function stepAvailability(type: string): StepAvailability | undefined {
  return (AVAILABILITY_BY_TYPE ??= byType(STEP_AVAILABILITY)).get(type);
}

export function liteTouchOnly(type: string): LiteTouchOnlyStep | undefined {
  return (LITE_TOUCH_BY_TYPE ??= byType(LITE_TOUCH_ONLY)).get(type);
}

// Looked up for every step of a sequence: maps instead of a search through the lists each time.
let AVAILABILITY_BY_TYPE: Map<string, StepAvailability> | undefined;
let LITE_TOUCH_BY_TYPE: Map<string, LiteTouchOnlyStep> | undefined;

/** The first entry of each type, as `find` would give. */
function byType<T extends { type: string }>(list: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const r of list) if (!m.has(r.type)) m.set(r.type, r);
  return m;
}
