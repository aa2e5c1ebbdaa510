// Step facts the version-2 checks share: the step classes they name, a property's value by its
// WMI property or variable name, and stepInfo's lookup tables for "the enabled step of a class before / after
// this one" (no per-step copies or scans).

import type { Step, TaskSequenceModel } from '../model/types';
import { firstAfter, lastBefore, ofType, orderOf, T } from './stepInfo';
import type { SequenceDocument } from './document';
import { startInFrom, type StartIn } from './flow';
import { startInOf, tieSequence } from './siteFacts';

/** Step classes beyond stepInfo's T. */
export const T2 = {
  ...T,
  partition: 'SMS_TaskSequence_PartitionDiskAction',
  enableBitLocker: 'SMS_TaskSequence_EnableBitLockerAction',
  disableBitLocker: 'SMS_TaskSequence_DisableBitLockerAction',
  preProvisionBitLocker: 'SMS_TaskSequence_OfflineEnableBitLockerAction',
  runCommand: 'SMS_TaskSequence_RunCommandLineAction',
  runPowerShell: 'SMS_TaskSequence_RunPowerShellScriptAction',
  installPackage: 'SMS_TaskSequence_InstallSoftwareAction',
  installApplication: 'SMS_TaskSequence_InstallApplicationAction',
  installUpdates: 'SMS_TaskSequence_InstallUpdateAction',
  joinDomain: 'SMS_TaskSequence_JoinDomainWorkgroupAction',
  upgradeOs: 'SMS_TaskSequence_UpgradeOperatingSystemAction',
  downloadContent: 'SMS_TaskSequence_DownloadPackageContentAction',
  captureNetwork: 'SMS_TaskSequence_CaptureNetworkSettingsAction',
  captureWindows: 'SMS_TaskSequence_CaptureWindowsSettingsAction',
  connectFolder: 'SMS_TaskSequence_ConnectNetworkFolderAction',
  checkReadiness: 'SMS_TaskSequence_PrestartCheckAction',
  usePackage: 'BDD_UsePackage',
  gather: 'BDD_Gather',
} as const;

/** A step's value for a property: by `property` attribute, else by variable name; '' when absent. */
export function prop(step: Step, ...names: string[]): string {
  const wanted = names.map((n) => n.toLowerCase());
  for (const v of step.variables) if (v.property && wanted.includes(v.property.toLowerCase())) return v.value.trim();
  for (const v of step.variables) if (wanted.includes(v.name.toLowerCase())) return v.value.trim();
  return '';
}

/** The `<variable>` for a property (same lookup as prop). */
export function propVar(step: Step, ...names: string[]): Step['variables'][number] | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  return step.variables.find((v) => v.property && wanted.includes(v.property.toLowerCase())) ?? step.variables.find((v) => wanted.includes(v.name.toLowerCase()));
}

/** The first enabled step of `type` after `step`, if any (constant time: stepInfo's lookup tables). */
export function nextOf(model: TaskSequenceModel, step: Step, type: string): Step | undefined {
  return firstAfter(orderOf(model), step, ofType(type));
}

/** The last enabled step of `type` before `step`, if any (constant time: stepInfo's lookup tables). */
export function previousOf(model: TaskSequenceModel, step: Step, type: string): Step | undefined {
  return lastBefore(orderOf(model), step, ofType(type));
}

/**
 * Where the deployment starts: the front end's `startIn` when it gave one, else the site description's
 * taskSequences entry tied to this file, else 'both' (unknown).
 */
export function startOf(doc: SequenceDocument): StartIn {
  const given = startInFrom(doc.extra);
  if (given !== 'both' || !doc.site) return given;
  return startInOf(tieSequence(doc.site, doc.sitePath, doc.path, doc.model)?.entry);
}
