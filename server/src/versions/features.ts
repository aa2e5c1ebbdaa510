// Site features that depend on the product or release, one table per fact: multicast, the role
// that answers PXE, the certificates a security mode needs for PXE and media, PXE boot image
// architectures, the Windows PE components a PowerShell step needs, child task sequences.

import type { CertificatePurpose, Product, SecurityMode, SiteRoleName } from '../site/types';

export interface FeatureRow {
  product: Product;
  /** First release with the feature, as parseRelease reads it. */
  since: string;
  note?: string;
  sources: readonly string[];
}

/** Multicast deployment of OS images (OSD-MC-001): 2007 only with R2/R3. */
export const MULTICAST: readonly FeatureRow[] = [
  { product: 'ConfigMgr 2007', since: 'ConfigMgr 2007 R2', note: 'R2 or R3 on SP1/SP2, with WDS on a Windows Server 2008 distribution point; branch distribution points cannot multicast.', sources: ['S-2007MC'] },
  { product: 'ConfigMgr 2012', since: 'ConfigMgr 2012', note: 'A distribution point with multicast enabled.', sources: ['S-MC'] },
  { product: 'ConfigMgr CB', since: 'CB', note: 'A distribution point with multicast enabled (WDS is installed with it).', sources: ['S-MC'] },
];

export interface PxeRoleRow {
  product: Product;
  /** The role that answers PXE requests, and for a distribution point the flag that turns it on. */
  role: SiteRoleName;
  flag?: 'pxe';
  note: string;
  sources: readonly string[];
}

/** Which site role serves PXE (OSD-PXE-001). */
export const PXE_ROLES: readonly PxeRoleRow[] = [
  { product: 'ConfigMgr 2007', role: 'pxeServicePoint', note: 'the PXE service point role (on a server with WDS)', sources: ['S-2007PXE'] },
  { product: 'ConfigMgr 2012', role: 'distributionPoint', flag: 'pxe', note: 'a distribution point with PXE enabled', sources: ['S-INFRA'] },
  { product: 'ConfigMgr CB', role: 'distributionPoint', flag: 'pxe', note: 'a distribution point with PXE enabled', sources: ['S-INFRA', 'S-PXE'] },
];

export interface CertificateRow {
  product: Product;
  securityMode: SecurityMode;
  /** Certificates the site must have to deploy through PXE and boot media. */
  pxe: readonly CertificatePurpose[];
  media: readonly CertificatePurpose[];
  sources: readonly string[];
}

/**
 * Native mode (2007) and HTTPS (2012, current branch): a client-authentication certificate for the
 * PXE point and one in boot media, and the root CA trusted for OS deployment clients (OSD-PKI-001/002/004).
 */
export const CERTIFICATES: readonly CertificateRow[] = [
  { product: 'ConfigMgr 2007', securityMode: 'native', pxe: ['pxe', 'rootCA'], media: ['bootMedia', 'rootCA'], sources: ['S-2007NM', 'S-2007CERT'] },
  { product: 'ConfigMgr 2012', securityMode: 'https', pxe: ['pxe', 'rootCA'], media: ['bootMedia', 'rootCA'], sources: ['S-PKI'] },
  { product: 'ConfigMgr CB', securityMode: 'https', pxe: ['pxe', 'rootCA'], media: ['bootMedia', 'rootCA'], sources: ['S-PKI'] },
];

export interface PxeArchitectureRow {
  product: Product;
  /** Both an x86 and an x64 PXE-enabled boot image are expected. */
  bothArchitectures: boolean;
  /** From this ADK build on there is no supported x86 Windows PE, so x64 alone is enough. */
  x64OnlyFromAdk?: string;
  sources: readonly string[];
}

/** PXE boot images (OSD-BOOT-004, OSD-ADK-003). The two-architecture advice is current-branch documentation. */
export const PXE_ARCHITECTURES: readonly PxeArchitectureRow[] = [
  { product: 'ConfigMgr CB', bothArchitectures: true, x64OnlyFromAdk: '10.1.20348', sources: ['S-PXE', 'S-BOOT', 'S-ADK-INC-X86'] },
];

export interface ComponentRow {
  /** What needs the components. */
  need: string;
  /** Each entry: the accepted names of one component (older kits named it differently). */
  components: readonly (readonly string[])[];
  sources: readonly string[];
}

/** Windows PE optional components a Run PowerShell Script step needs in the boot image (OSD-CTX-006). */
export const POWERSHELL_COMPONENTS: ComponentRow = {
  need: 'Run PowerShell Script in Windows PE',
  components: [['WinPE-NetFX', 'WinPE-NetFX4'], ['WinPE-PowerShell', 'WinPE-PowerShell3']],
  sources: ['S-TSS20', 'S-BOOT'],
};

/** Child task sequences (OSD-TS-001): Run Task Sequence from 1710, children that run children from 1802. */
export const CHILD_SEQUENCES = {
  since: 'CB 1710',
  onByDefault: 'CB 1910',
  nestedSince: 'CB 1802',
  sources: ['S-WN1710', 'S-WN1802', 'S-TSS20'] as readonly string[],
};

export function multicastRow(product: Product): FeatureRow | undefined {
  return MULTICAST.find((r) => r.product === product);
}

export function pxeRole(product: Product): PxeRoleRow | undefined {
  return PXE_ROLES.find((r) => r.product === product);
}

export function certificateRow(product: Product, mode: SecurityMode | undefined): CertificateRow | undefined {
  return CERTIFICATES.find((r) => r.product === product && r.securityMode === mode);
}

export function pxeArchitectures(product: Product): PxeArchitectureRow | undefined {
  return PXE_ARCHITECTURES.find((r) => r.product === product);
}
