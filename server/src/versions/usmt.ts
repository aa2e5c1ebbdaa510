// USMT versions (fact OSD-USMT-007): which major versions each release's USMT package may be, and
// the newest Windows each USMT major version can restore to. Versions are compared by major
// number ("3.0.1" → 3, "10.1.22621.1" → 10).

import type { Product } from '../site/types';
import type { Release } from './release';
import { versionParts } from './release';

export interface UsmtRow {
  product: Product;
  releases: readonly string[];
  /** USMT major versions the release works with. */
  majors: readonly number[];
  inferred?: boolean;
  note?: string;
  sources: readonly string[];
}

export const USMT_SUPPORT: readonly UsmtRow[] = [
  { product: 'ConfigMgr 2007', releases: ['RTM', 'SP1', 'R2', 'SP1 R2'], majors: [3],
    note: 'USMT 3.0.1 (the 2007 help writes "3.1").', sources: ['S-2007PREQ-M', 'S-2012PREQ'] },
  { product: 'ConfigMgr 2007', releases: ['SP2', 'R3', 'SP2 R3'], majors: [4, 3],
    note: 'USMT 4 from WAIK 2.0; 3.0.1 kept for Windows XP (inferred).', inferred: true, sources: ['S-2007PREQ-M'] },
  { product: 'ConfigMgr 2012', releases: ['RTM'], majors: [4, 3],
    note: 'USMT 4 from the WAIK for Windows 7; 3.0.1 for Windows XP.', inferred: true, sources: ['S-2012PREQ'] },
  { product: 'ConfigMgr 2012', releases: ['SP1'], majors: [5, 4, 3],
    note: 'USMT 5.0 for Windows 7 and 8, 4.0 for Vista SP2, 3.0.1 for XP SP3.', sources: ['S-2012PREQ'] },
  { product: 'ConfigMgr 2012', releases: ['R2'], majors: [6, 5, 4, 3],
    note: 'As SP1, plus USMT 6.3 from the Windows 8.1 ADK (inferred).', inferred: true, sources: ['S-2012PREQ'] },
  { product: 'ConfigMgr 2012', releases: ['SP2', 'R2 SP1'], majors: [10, 6, 5, 4, 3],
    note: 'As R2, plus USMT 10 from the Windows 10 ADK (inferred).', inferred: true, sources: ['S-2012PREQ'] },
  { product: 'ConfigMgr CB', releases: ['*'], majors: [10],
    note: 'USMT 10 from the Windows 10/11 ADK (captures Windows 7 to 11).', sources: ['S-INFRA'] },
];

export interface UsmtTargetRow {
  major: number;
  /** Newest Windows (NT version) this USMT can restore to. */
  newestOs: string;
  osName: string;
  sources: readonly string[];
}

/** The newest target of each USMT: restoring onto a newer Windows is not supported. */
export const USMT_TARGETS: readonly UsmtTargetRow[] = [
  { major: 3, newestOs: '6.0', osName: 'Windows Vista', sources: ['S-2012PREQ'] },
  { major: 4, newestOs: '6.1', osName: 'Windows 7', sources: ['S-2012PREQ'] },
  { major: 5, newestOs: '6.2', osName: 'Windows 8', sources: ['S-2012PREQ'] },
  { major: 6, newestOs: '6.3', osName: 'Windows 8.1', sources: ['S-2012PREQ'] },
  { major: 10, newestOs: '10.0', osName: 'Windows 11', sources: ['S-INFRA'] },
];

export function usmtSupport(release: Release): UsmtRow | undefined {
  const label = release.label.slice(release.product.length + 1);
  return USMT_SUPPORT.find((r) => r.product === release.product && (r.releases.includes('*') || r.releases.includes(label)));
}

export function usmtMajor(written: string): number | undefined {
  return versionParts(written)?.[0];
}

export function usmtTarget(major: number): UsmtTargetRow | undefined {
  return USMT_TARGETS.find((r) => r.major === major);
}
