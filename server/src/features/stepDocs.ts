// Documentation of a step class as markdown, shared by hover (with this step's facts added) and
// completion (the class alone): display name, what it does, where it can run, what it needs before
// it, and the public documentation. "Needs" summarises what the checks in rules/ test (ordering,
// user state, capture, client package, boot image, content), in our words.

import type { Catalog, ContentKind, StepProperty, StepType } from '../catalog/types';
import { wantedNoun } from '../semantics/siteFacts';
import { code, esc, listWords } from './markdown';

const T = 'SMS_TaskSequence_';

/** Windows PE-only steps need the sequence's boot image; said once for all of them. */
const BOOT_IMAGE = 'A boot image on the sequence: the step runs in Windows PE, started from PXE, media or a Restart Computer into the boot image.';
const FULL_OS = 'The full OS: after Setup Windows and ConfigMgr, or in a sequence started from Software Center.';

/**
 * What each step needs before it, beyond its own properties, as the checks see it (rule ids in the
 * comments). Steps not listed need nothing the checks know of beyond their placement and content.
 */
const NEEDS: Record<string, string[]> = {
  // setup-windows-after-apply-os, driver-step-order, missing-property, boot-image
  [T + 'ApplyOperatingSystemAction']: [
    'A formatted target volume: usually Format and Partition Disk earlier, which fills the OSDisk variable.',
    'Setup Windows and ConfigMgr after it, with the driver and settings steps in between.',
  ],
  [T + 'ApplyDataImageAction']: ['A partition to expand the image onto (Format and Partition Disk earlier).'],
  [T + 'ApplyWindowsSettingsAction']: ['Apply Operating System Image before it and Setup Windows and ConfigMgr after it: it only writes the answer file.'],
  [T + 'ApplyNetworkSettingsAction']: ['Apply Operating System Image before it and Setup Windows and ConfigMgr after it: it only writes the answer file.'],
  [T + 'ApplyDriverPackageAction']: [
    'Apply Operating System Image before it and Setup Windows and ConfigMgr after it (driver-step-order).',
    'A driver package holding enabled drivers for the architecture of the OS applied before it.',
  ],
  [T + 'AutoApplyAction']: [
    'Apply Operating System Image before it and Setup Windows and ConfigMgr after it (driver-step-order).',
    'Drivers imported into the driver catalogue, in the categories it is limited to.',
  ],
  // client-package, ordering
  [T + 'SetupWindowsAndSMSAction']: [
    'Apply Operating System Image before it, in the same Windows PE session; the package it names must be the site\'s client installation package.',
  ],
  [T + 'OfflineEnableBitLockerAction']: ['Format and Partition Disk before it and Apply Operating System Image after it: it encrypts the empty volume.'],
  [T + 'EnableBitLockerAction']: ['A TPM that is ready, unless the step is told to skip computers without one.'],
  // state-store-request, state-store-release, site-user-state
  [T + 'RequestStateStoreAction']: [
    'A state migration point at the site (for a capture, one that is not restore-only).',
    'A Release State Store later in the sequence.',
  ],
  [T + 'CaptureUserStateAction']: [
    'Request State Store in capture mode before it, unless it keeps the state locally (hard links, or OSDStateStorePath set earlier).',
    'A USMT version that supports the Windows it captures.',
  ],
  [T + 'RestoreUserStateAction']: [
    'Request State Store in restore mode before it, unless the state is local (hard links, or OSDStateStorePath set earlier).',
    'Setup Windows and ConfigMgr before it in a sequence that applies an OS.',
    'A USMT version that supports the Windows it restores to, of the same architecture.',
  ],
  [T + 'ReleaseStateStoreAction']: ['Request State Store earlier in the sequence.'],
  // capture-image-prerequisites
  [T + 'CaptureSystemImageAction']: [
    'Prepare ConfigMgr Client for Capture, then Prepare Windows for Capture, before it: the image must be generalised and the sequence back in Windows PE.',
  ],
  [T + 'PrepareOSAction']: [
    'Prepare ConfigMgr Client for Capture before it.',
    'A computer in a workgroup, not joined to a domain.',
  ],
  [T + 'RunPowerShellScriptAction']: ['In Windows PE, a boot image with the PowerShell optional components.'],
  [T + 'InstallSoftwareAction']: ['A program of the package that may run from a task sequence without user interaction.'],
  [T + 'InstallApplicationAction']: ['Applications allowed to install from a task sequence without being deployed.'],
  [T + 'InstallUpdateAction']: ['A working ConfigMgr client (after Setup Windows and ConfigMgr) and software updates deployed to the computer\'s collection.'],
  [T + 'DownloadPackageContentAction']: ['In Windows PE it cannot download to the client cache (CCMCache): use the task sequence cache or a custom path.'],
  [T + 'UpgradeOperatingSystemAction']: ['Either an OS upgrade package or a source folder downloaded earlier (Download Package Content into a variable).'],
  // child-sequence
  [T + 'SubTasksequence']: ['The child task sequence: it must exist, have no boot image of its own, be enabled and not lead back to this sequence.'],
  [T + 'JoinDomainWorkgroupAction']: ['An account allowed to join computers to the domain.'],
};

/** Where a step can run, in words, from the class's documented placement. */
export function contextLine(type: StepType): string {
  return type.context;
}

/** The content a step's properties name, as "an OS image (`ImagePackageID`)" phrases (markdown). */
function contentNeeds(type: StepType): string[] {
  const groups = new Map<string, { kinds: ContentKind[]; props: StepProperty[] }>();
  for (const p of type.properties) {
    if (!p.references || p.required === false) continue;
    const kinds = p.kinds ?? [p.references];
    const key = kinds.join('/');
    const g = groups.get(key) ?? { kinds, props: [] };
    g.props.push(p);
    groups.set(key, g);
  }
  if (groups.size === 0) return [];
  const phrases = [...groups.values()].map((g) => `${esc(wantedNoun(g.kinds))} (${g.props.map((p) => code(p.variable ?? p.name)).join(', ')})`);
  // Apply OS takes an OS image or an upgrade package: each is required "when the other is not set".
  const either = type.properties.some((p) => p.references && typeof p.required === 'string' && /is not set$/.test(p.required));
  const distributed = [...groups.values()].some((g) => !g.kinds.includes('taskSequence'));
  return [`Content: ${listWords(phrases, either ? 'or' : 'and')}${distributed ? ', distributed to the distribution points the computer uses' : ''}.`];
}

/** Everything a step class needs before it, as bullet texts (markdown). */
export function needsOf(type: StepType): string[] {
  const out: string[] = [];
  if (type.kind !== 'action') return out;
  const placement = type.allowedIn ?? type.runIn;
  if (placement === 'WinPE') out.push(esc(BOOT_IMAGE));
  else if (placement === 'FullOS') out.push(esc(FULL_OS));
  out.push(...contentNeeds(type));
  out.push(...(NEEDS[type.type] ?? []).map(esc));
  if (type.mdt) out.push(esc(type.type === 'BDD_UsePackage' ? MDT_TOOLKIT : type.type === 'BDD_Gather' ? MDT_GATHER : MDT_NEEDS));
  return out;
}

const MDT_NEEDS = 'In a ConfigMgr sequence, the MDT toolkit package (Use Toolkit Package) and Gather earlier; in MDT Lite Touch the deployment share provides both.';
const MDT_GATHER = 'In a ConfigMgr sequence, Use Toolkit Package earlier (it stages the scripts Gather runs); in MDT Lite Touch the deployment share provides them.';
const MDT_TOOLKIT = 'An MDT toolkit package created by the MDT ConfigMgr integration; every later MDT step runs its scripts from it.';

/** Where an MDT step comes from, for a class with or without a public page of its own. */
export function mdtOrigin(type: StepType): string {
  return `An MDT (Microsoft Deployment Toolkit) custom step: the Deployment Workbench and MDT's ConfigMgr integration add it, and its ${code(type.type)} class runs the toolkit's scripts.`;
}

/** The public documentation line, or where the class comes from when it has no page. */
export function docsLine(type: StepType): string {
  if (type.docsUrl) return `[Documentation](${type.docsUrl})${type.mdt ? ' (MDT toolkit reference)' : ''}`;
  if (type.mdt) return `${mdtOrigin(type)} No public page documents it.`;
  return 'No public page documents this class; only older templates write it.';
}

/** The class alone: completion's documentation and the start of a hover. */
export function stepTypeDocs(type: StepType): string {
  const lines = [`**${esc(type.displayName)}** — ${code(type.type)}`, '', esc(type.description), '', `*Runs in:* ${esc(contextLine(type))}`];
  const needs = needsOf(type);
  if (needs.length) lines.push('', '*Needs before it:*', ...needs.map((n) => `- ${n}`));
  if (type.mdt) lines.push('', `*From:* ${mdtOrigin(type)}`);
  if (type.introduced) lines.push('', `*Since:* ${esc(type.introduced)}${type.removed ? `; removed in ${esc(type.removed)}` : ''}`);
  lines.push('', docsLine(type));
  return lines.join('\n');
}

/** True for properties that hold a secret (passwords, PINs): hover never shows their value. */
export function isSecret(prop: StepProperty | undefined): boolean {
  return !!prop && /\(secret\b/.test(prop.description ?? '');
}

/** Condition classes and operators, for completion of `<expression type>` and hover on them. */
export function conditionClasses(catalog: Catalog): StepType[] {
  return catalog.all().filter((s) => s.kind === 'condition');
}
