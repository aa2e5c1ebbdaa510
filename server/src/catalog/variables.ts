// Built-in task sequence variables for hover and completion: the read-only ones the engine sets (names
// starting with an underscore) and the writable ones that change how steps behave. Variables that only carry
// a step's own property (OSDImageIndex, SMSRebootTarget ...) live in the step catalogue instead.
// Descriptions are ours; facts are from the ConfigMgr task sequence variable reference.

export interface BuiltinVariable {
  name: string;
  description: string;
  /** Set by the engine or a step; a Set Task Sequence Variable step cannot change it. */
  readOnly: boolean;
  /** Step classes that set it. */
  setBy?: string[];
  /** Step classes whose behaviour depends on it. */
  readBy?: string[];
}

const T = 'SMS_TaskSequence_';

export const BUILTIN_VARIABLES: BuiltinVariable[] = [
  // Read-only: the engine sets these; conditions and command lines read them.
  { name: '_SMSTSInWinPE', readOnly: true,
    description: 'true while the current step runs in Windows PE, false in the full OS. The usual condition for steps ' +
      'that must only run on one side.' },
  { name: '_SMSTSBootUEFI', readOnly: true,
    description: 'true when the computer started in UEFI mode; wizard sequences pick the GPT or the MBR disk layout with it.' },
  { name: '_SMSTSMachineName', readOnly: true,
    description: 'Computer name as the engine knows it; the default for the name of a new installation.',
    readBy: [T + 'ApplyWindowsSettingsAction'] },
  { name: '_SMSTSLogPath', readOnly: true,
    description: 'Folder where the engine writes smsts.log; it moves as the sequence moves between Windows PE and the full OS.' },
  { name: '_SMSTSMDataPath', readOnly: true,
    description: 'Folder where the engine keeps its working data (for example C:\\_SMSTaskSequence), including downloaded content.' },
  { name: '_SMSTSCurrentActionName', readOnly: true, description: 'Name of the step that is running.' },
  { name: '_SMSTSLastActionRetCode', readOnly: true,
    description: 'Exit code of the last step that ran; conditions test it to handle specific failures.' },
  { name: '_SMSTSLastActionSucceeded', readOnly: true, description: 'true when the last step that ran succeeded.' },
  { name: '_SMSTSBootImageID', readOnly: true, description: 'Package ID of the boot image the task sequence references.' },
  { name: '_SMSTSPackageID', readOnly: true, description: 'Package ID of the running task sequence.' },
  { name: '_SMSTSPackageName', readOnly: true, description: 'Name of the running task sequence.' },
  { name: '_SMSTSAdvertID', readOnly: true, description: 'ID of the deployment that started the task sequence.' },
  { name: '_SMSTSSiteCode', readOnly: true, description: 'Site code of the site the task sequence came from.' },
  { name: '_SMSTSMP', readOnly: true, description: 'Address of the management point the engine talks to.' },
  { name: '_SMSTSType', readOnly: true,
    description: 'Kind of task sequence: 1 for a generic (custom) sequence, 2 for an OS deployment sequence.' },
  { name: '_SMSTSLaunchMode', readOnly: true,
    description: 'How the sequence was started: SMS (from the client, Software Center), UFD or UFD+FORMAT (USB media), ' +
      'CD, DVD, PXE, or HD (prestaged media).' },
  { name: '_SMSTSMediaType', readOnly: true,
    description: 'Kind of media that started the sequence: BootMedia, FullMedia (stand-alone), PXE or OEMMedia ' +
      '(prestaged). Wizard sequences skip Auto Apply Drivers when it is FullMedia.' },
  { name: '_SMSTSClientCache', readOnly: true,
    description: 'Set only when a ConfigMgr client cache is available. Wizard sequences partition the disk only when it ' +
      'does not exist, so a refresh keeps its local data.',
    readBy: [T + 'PartitionDiskAction'] },
  { name: '_SMSTSUserStarted', readOnly: true, description: 'true when a user started the sequence from Software Center.' },
  { name: '_SMSTSDownloadOnDemand', readOnly: true,
    description: 'true when the deployment downloads content only when a step needs it.' },
  { name: '_SMSTSUseCRL', readOnly: true,
    description: 'Whether certificate revocation lists are checked when talking to HTTPS site systems.' },
  { name: '_SMSTSUserStatePath', readOnly: true,
    description: 'Folder of a local user-state store; Apply Operating System Image keeps this folder when it cleans the volume.',
    readBy: [T + 'ApplyOperatingSystemAction'] },
  { name: '_SMSTSSetupRollback', readOnly: true,
    description: 'true when Windows setup rolled back during Upgrade Operating System; failure-handling groups test it.',
    setBy: [T + 'UpgradeOperatingSystemAction'] },
  { name: '_SMSTSOSUpgradeActionReturnCode', readOnly: true,
    description: 'Exit code of Windows setup in Upgrade Operating System, for example the compatibility scan result.',
    setBy: [T + 'UpgradeOperatingSystemAction'] },
  { name: '_SMSTSMake', readOnly: true, description: 'Manufacturer of the computer.', setBy: [T + 'SetDynamicVariablesAction'] },
  { name: '_SMSTSModel', readOnly: true, description: 'Model of the computer.', setBy: [T + 'SetDynamicVariablesAction'] },
  { name: '_SMSTSSerialNumber', readOnly: true, description: 'Serial number of the computer.',
    setBy: [T + 'SetDynamicVariablesAction'] },
  { name: '_SMSTSAssetTag', readOnly: true, description: 'Asset tag of the computer.', setBy: [T + 'SetDynamicVariablesAction'] },
  { name: '_SMSTSUUID', readOnly: true, description: 'SMBIOS UUID of the computer.', setBy: [T + 'SetDynamicVariablesAction'] },
  { name: '_SMSTSMacAddresses', readOnly: true, description: 'MAC addresses of the network adapters.',
    setBy: [T + 'SetDynamicVariablesAction'] },
  { name: '_SMSTSIPAddresses', readOnly: true, description: 'IP addresses of the network adapters.',
    setBy: [T + 'SetDynamicVariablesAction'] },
  { name: '_SMSTSDefaultGateways', readOnly: true, description: 'Default gateways of the network adapters.',
    setBy: [T + 'SetDynamicVariablesAction'] },

  // Writable: steps set them for later steps, or an author sets them to change how a step behaves.
  { name: 'OSDStateStorePath', readOnly: false,
    description: 'Folder of the user-state store. Request State Store sets it to a state migration point share; for a ' +
      'local store set it yourself, to a folder and never to a drive root.',
    setBy: [T + 'RequestStateStoreAction'], readBy: [T + 'CaptureUserStateAction', T + 'RestoreUserStateAction'] },
  { name: 'OSDTargetSystemDrive', readOnly: false,
    description: 'Drive letter of the volume the OS was applied to, as seen from Windows PE.',
    setBy: [T + 'ApplyOperatingSystemAction'] },
  { name: 'OSDisk', readOnly: false,
    description: 'By convention the variable that Format and Partition Disk fills with the OS volume\'s drive letter and ' +
      'that Apply Operating System Image installs to.',
    setBy: [T + 'PartitionDiskAction'], readBy: [T + 'ApplyOperatingSystemAction', T + 'OfflineEnableBitLockerAction'] },
  { name: 'OSDComputerName', readOnly: false,
    description: 'Name of the new installation. Capture Windows Settings can keep the old name in it; Apply Windows ' +
      'Settings writes it into the answer file.',
    setBy: [T + 'CaptureWindowsSettingsAction'], readBy: [T + 'ApplyWindowsSettingsAction'] },
  { name: 'OSDPreserveDriveLetter', readOnly: false,
    description: 'Whether Apply Operating System Image keeps the drive letter recorded in the image (true) or uses the ' +
      'letter of the target partition.',
    readBy: [T + 'ApplyOperatingSystemAction'] },
  { name: 'OsdLayeredDriver', readOnly: false,
    description: 'Layered keyboard driver for the new installation (Japanese and Korean keyboards), CB 2107 and later.',
    readBy: [T + 'ApplyOperatingSystemAction'] },
  { name: 'OSDInstallDriversAdditionalOptions', readOnly: false,
    description: 'Extra DISM options for Apply Driver Package when it installs with the recurse option.',
    readBy: [T + 'ApplyDriverPackageAction'] },
  { name: 'OSDMigrateAdditionalCaptureOptions', readOnly: false,
    description: 'Extra USMT ScanState options for Capture User State.', readBy: [T + 'CaptureUserStateAction'] },
  { name: 'OSDMigrateAdditionalRestoreOptions', readOnly: false,
    description: 'Extra USMT LoadState options for Restore User State.', readBy: [T + 'RestoreUserStateAction'] },
  { name: 'OSDSetupAdditionalUpgradeOptions', readOnly: false,
    description: 'Extra Windows setup options for Upgrade Operating System (for example /DynamicUpdate or /Compat).',
    readBy: [T + 'UpgradeOperatingSystemAction'] },
  { name: 'OSDBitLockerRebootCountOverride', readOnly: false,
    description: 'Number of restarts Disable BitLocker keeps protection suspended, overriding the step (CB 1906 and later).',
    readBy: [T + 'DisableBitLockerAction'] },
  { name: 'SMSTSUninstallCCMClient', readOnly: false,
    description: 'Set to TRUE before Prepare ConfigMgr Client for Capture to remove the client completely in a sequence ' +
      'that is not a build-and-capture one.',
    readBy: [T + 'PrepareSMSClientAction'] },
  { name: 'OSDDoNotLogCommand', readOnly: false,
    description: 'Set to TRUE to keep command lines (and any secrets in them) out of smsts.log.',
    readBy: [T + 'RunCommandLineAction', T + 'InstallSoftwareAction'] },
  { name: 'SMSTSPreferredAdvertID', readOnly: false,
    description: 'Deployment ID to run without asking, when media or PXE would otherwise offer a choice of sequences.' },
  { name: 'SMSTSRebootMessage', readOnly: false,
    description: 'Message shown when a step asks for a restart (for example an install returning 3010).' },
  { name: 'SMSTSRebootDelay', readOnly: false, description: 'Seconds to wait before such a restart.' },
  { name: 'SMSTSRebootRequested', readOnly: false,
    description: 'A script sets it to true to have the engine restart the computer after the current step.' },
  { name: 'SMSTSRetryRequested', readOnly: false,
    description: 'A script sets it to true, with SMSTSRebootRequested, to run the current step again after the restart.' },
  { name: 'SMSTSWaitForSecondReboot', readOnly: false,
    description: 'Seconds to pause after a restart caused by Install Software Updates, for updates that restart twice.',
    readBy: [T + 'InstallUpdateAction'] },
  { name: 'SMSTSErrorDialogTimeout', readOnly: false,
    description: 'Seconds the failure dialog stays before the sequence ends on its own.' },
  { name: 'SMSTSLocalDataDrive', readOnly: false,
    description: 'Drive for the engine\'s temporary files; set it on the collection or device before the sequence starts.' },
  { name: 'TSDisableProgressUI', readOnly: false, description: 'Set to true to hide the task sequence progress window.' },
];

const byName = new Map(BUILTIN_VARIABLES.map((v) => [v.name.toLowerCase(), v]));

/** Built-in variable by name, case-insensitively (the engine ignores case in variable names). */
export function builtinVariable(name: string): BuiltinVariable | undefined {
  return byName.get(name.toLowerCase());
}
