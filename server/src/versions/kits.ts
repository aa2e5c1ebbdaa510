// Which deployment kit each release needs (facts OSD-ADK-002 and OSD-ADK-005): a row per group of
// ConfigMgr 2007/2012 releases naming the WAIK or ADK they build boot images with, and the current
// branch ADK matrix as Microsoft's support page gives it, one row per ADK build, one letter per
// site version. Kit versions are compared as the kits name themselves (WAIK "1.1", ADK "8.1",
// ADK builds "10.1.22621").

import type { DeploymentKitName, Product } from '../site/types';
import type { Release } from './release';
import { versionParts } from './release';

export interface KitRow {
  product: Product;
  releases: readonly string[];
  kit: DeploymentKitName;
  /** Kit versions the release supports ("1.1", "8.1", or "10" for any Windows 10/11 ADK). */
  versions: readonly string[];
  inferred?: boolean;
  note?: string;
  sources: readonly string[];
}

export const KITS_BEFORE_CB: readonly KitRow[] = [
  { product: 'ConfigMgr 2007', releases: ['RTM'], kit: 'WAIK', versions: ['1.0'],
    note: 'WAIK 1.0 (Windows Vista).', sources: ['S-2007PREQ-M'] },
  { product: 'ConfigMgr 2007', releases: ['SP1', 'R2', 'SP1 R2'], kit: 'WAIK', versions: ['1.1'],
    note: 'WAIK 1.1 (Windows Vista SP1 / Server 2008) is required.', sources: ['S-2007PREQ', 'S-2007PREQ-M', 'S-2007PXE'] },
  { product: 'ConfigMgr 2007', releases: ['SP2', 'R3', 'SP2 R3'], kit: 'WAIK', versions: ['2.0'],
    note: 'WAIK 2.0 (Windows 7), which brings Windows PE 3.0 and USMT 4.', sources: ['S-2007PREQ-M'] },
  { product: 'ConfigMgr 2012', releases: ['RTM'], kit: 'WAIK', versions: ['2.0'],
    note: 'The WAIK for Windows 7 (Windows PE 3.0).', sources: ['S-2012BOOT'] },
  { product: 'ConfigMgr 2012', releases: ['SP1'], kit: 'ADK', versions: ['8.0'],
    note: 'The Windows 8 ADK (Windows PE 4.0); WAIK-built boot images fail on SP1.', sources: ['S-2012BOOT'] },
  { product: 'ConfigMgr 2012', releases: ['R2'], kit: 'ADK', versions: ['8.1'],
    note: 'The Windows 8.1 ADK (Windows PE 5.0).', sources: ['S-2012BOOT'] },
  { product: 'ConfigMgr 2012', releases: ['SP2', 'R2 SP1'], kit: 'ADK', versions: ['8.1', '10'],
    note: 'The Windows 8.1 ADK, or the Windows 10 ADK for Windows 10 deployments (inferred: the sources stop at R2).', inferred: true, sources: ['S-2012BOOT'] },
];

/** Current branch versions in the ADK matrix, in order (its columns). */
export const CB_ADK_COLUMNS: readonly number[] = [
  1606, 1610, 1702, 1706, 1710, 1802, 1806, 1810, 1902, 1906, 1910, 2002, 2006, 2010, 2103, 2107, 2111, 2203, 2207, 2211,
];

/** Y supported, B backward compatible (works, not tested), - not supported, space: not listed. */
export type AdkCell = 'Y' | 'B' | '-' | ' ';

export interface AdkRow {
  /** The ADK's version name ("1809", "Windows 11"). */
  name: string;
  /** Its build as Programs and Features shows it, first three parts ("10.1.17763"). */
  build: string;
  /** One cell per CB_ADK_COLUMNS entry. */
  cells: string;
  sources: readonly string[];
}

const HIST = ['S-ADK10-HIST'];
const LATER = ['S-ADK-2021', 'S-ADK-2022a', 'S-ADK-2022b'];

// Columns:                                         1606 … 2211 (20 letters)
export const CB_ADK_MATRIX: readonly AdkRow[] = [
  { name: '1511', build: '10.1.10586', cells: 'B--                 ', sources: HIST },
  { name: '1607', build: '10.1.14393', cells: 'YYB--               ', sources: HIST },
  { name: '1703', build: '10.1.15063', cells: '--YYBB----          ', sources: HIST },
  { name: '1709', build: '10.1.16299', cells: '  -YYYB-----        ', sources: HIST },
  { name: '1803', build: '10.1.17134', cells: '   --YYBB---        ', sources: HIST },
  { name: '1809', build: '10.1.17763', cells: '    --YYYBB-        ', sources: HIST },
  { name: '1903', build: '10.1.18362', cells: '      --YYYYBB---   ', sources: [...HIST, ...LATER] },
  { name: '2004', build: '10.1.19041', cells: '            YYYYYYYY', sources: LATER },
  { name: 'Server 2022', build: '10.1.20348', cells: '            ---YYYYY', sources: LATER },
  { name: 'Windows 11', build: '10.1.22000', cells: '            ---YYYYY', sources: LATER },
  { name: 'Windows 11 22H2', build: '10.1.22621', cells: '               -YYYY', sources: LATER },
];

/** The kit row for a 2007/2012 release. */
export function kitBeforeCB(release: Release): KitRow | undefined {
  const label = release.label.slice(release.product.length + 1);
  return KITS_BEFORE_CB.find((r) => r.product === release.product && r.releases.includes(label));
}

/**
 * A WAIK/ADK version as the tables name it: "1.1", "2.0", "8.0", "8.1", "10". The Windows 8.x
 * ADKs show builds such as 8.59.25584 (8.0) and 8.100.26629 (8.1) in Programs and Features.
 */
export function kitVersion(name: DeploymentKitName, written: string): string | undefined {
  const p = versionParts(written);
  if (!p) return undefined;
  if (name === 'ADK' && p[0] === 8) return p[1] === 1 || (p[1] ?? 0) >= 100 ? '8.1' : '8.0';
  if (name === 'ADK' && p[0] >= 10) return '10';
  return `${p[0]}.${p[1] ?? 0}`;
}

export interface AdkVerdict {
  cell: AdkCell;
  row?: AdkRow;
  /** The column the verdict comes from; later than the site when the site is newer than the matrix. */
  column?: number;
  /** The site is newer than the newest column: the verdict is the newest column's. */
  beyondMatrix: boolean;
}

/**
 * What the matrix says of an ADK build on a current-branch build. Undefined when the site is
 * older than the matrix or the ADK build is not in it (cmts then says nothing).
 */
export function adkVerdict(siteBuild: number, adkVersion: string): AdkVerdict | undefined {
  const p = versionParts(adkVersion);
  if (!p || p.length < 3) return undefined;
  const build = p.slice(0, 3).join('.');
  const row = CB_ADK_MATRIX.find((r) => r.build === build);
  if (!row) return undefined;
  let i = CB_ADK_COLUMNS.indexOf(siteBuild);
  const last = CB_ADK_COLUMNS.length - 1;
  const beyond = siteBuild > CB_ADK_COLUMNS[last];
  if (beyond) i = last;
  if (i < 0) return undefined;
  return { cell: row.cells[i] as AdkCell, row, column: CB_ADK_COLUMNS[i], beyondMatrix: beyond };
}

/** The ADK builds the matrix marks supported (Y) for a site build, newest first. */
export function supportedAdks(siteBuild: number): AdkRow[] {
  let i = CB_ADK_COLUMNS.indexOf(siteBuild);
  if (siteBuild > CB_ADK_COLUMNS[CB_ADK_COLUMNS.length - 1]) i = CB_ADK_COLUMNS.length - 1;
  if (i < 0) return [];
  return CB_ADK_MATRIX.filter((r) => r.cells[i] === 'Y').reverse();
}
