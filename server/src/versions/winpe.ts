// Which Windows PE versions each release can use in its boot images (fact OSD-BOOT-005). One row
// per group of releases, with the sources it restates; rows marked `inferred` are our reading
// where the documentation we have stops (said in `note`). WinPE versions are written as the
// kits name them ("2.1", "3.0", "10"); `winPEVersion` maps build numbers onto those names.

import type { Product } from '../site/types';
import type { Release } from './release';
import { versionParts } from './release';

export interface WinPESupportRow {
  product: Product;
  /** The releases the row covers as the site description writes them; ['*'] = every build. */
  releases: readonly string[];
  /** WinPE versions boot images may have. */
  supported: readonly string[];
  /** The version the release's own kit builds (its default boot images). */
  kit: string;
  inferred?: boolean;
  note?: string;
  sources: readonly string[];
}

export const WINPE_SUPPORT: readonly WinPESupportRow[] = [
  { product: 'ConfigMgr 2007', releases: ['RTM'], supported: ['2.0'], kit: '2.0',
    note: 'Windows PE 2.0 from WAIK 1.0; nothing earlier is supported.', sources: ['S-2007PREQ', 'S-2007PREQ-M'] },
  { product: 'ConfigMgr 2007', releases: ['SP1', 'R2', 'SP1 R2'], supported: ['2.0', '2.1'], kit: '2.1',
    note: 'Windows PE 2.1 from WAIK 1.1 (Vista SP1 / Server 2008); 2.0 is the oldest the product supports.', sources: ['S-2007PREQ', 'S-2007PREQ-M'] },
  { product: 'ConfigMgr 2007', releases: ['SP2', 'R3', 'SP2 R3'], supported: ['2.0', '2.1', '3.0', '3.1'], kit: '3.0',
    note: 'Windows PE 3.0 from WAIK 2.0; 3.1 is the Windows 7 SP1 refresh of the same kit (inferred).', inferred: true, sources: ['S-2007PREQ-M'] },
  { product: 'ConfigMgr 2012', releases: ['RTM'], supported: ['3.0', '3.1'], kit: '3.0',
    note: 'Windows PE 3.0 from the WAIK for Windows 7 (3.1 with its SP1 supplement).', sources: ['S-2012BOOT'] },
  { product: 'ConfigMgr 2012', releases: ['SP1'], supported: ['4.0', '3.1'], kit: '4.0',
    note: 'Windows PE 4.0 from the Windows 8 ADK; WAIK-built 3.0 images fail; 3.1 images are accepted again from SP1 CU2.', sources: ['S-2012BOOT'] },
  { product: 'ConfigMgr 2012', releases: ['R2'], supported: ['5.0', '3.1'], kit: '5.0',
    note: 'Windows PE 5.0 from the Windows 8.1 ADK; 3.1 images can be added but not customized in the console.', sources: ['S-2012BOOT'] },
  { product: 'ConfigMgr 2012', releases: ['SP2', 'R2 SP1'], supported: ['5.0', '3.1', '10'], kit: '5.0',
    note: 'Later than R2; Windows PE 10 for Windows 10 deployments (inferred: the sources stop at R2).', inferred: true, sources: ['S-2012BOOT'] },
  { product: 'ConfigMgr CB', releases: ['*'], supported: ['10', '5.0', '3.1'], kit: '10',
    note: 'Windows PE 10 from a supported ADK is customizable in the console; 5.0 and 3.1 (not 3.0) images work but are customized outside it.', sources: ['S-INFRA', 'S-BOOT'] },
];

/** The row for a site's release, if the tables cover it. */
export function winPESupport(release: Release): WinPESupportRow | undefined {
  const label = release.label.slice(release.product.length + 1);
  return WINPE_SUPPORT.find((r) => r.product === release.product && (r.releases.includes('*') || r.releases.includes(label)));
}

/** NT kernel versions of each Windows PE, for boot images described by their build ("6.1.7601"). */
const BY_KERNEL: readonly [string, string][] = [
  ['6.0.6000', '2.0'], ['6.0.6001', '2.1'], ['6.1.7600', '3.0'], ['6.1.7601', '3.1'], ['6.2', '4.0'], ['6.3', '5.0'],
];

/**
 * The Windows PE version a boot image's `windowsPEVersion` names: "2.1" stays "2.1", a kernel
 * build "6.1.7601.17514" becomes "3.1", any "10.x" becomes "10". Undefined when not a version.
 * Versions before 2.0 (WinPE 2005 was 1.6) come back as written, so they compare as too old.
 */
export function winPEVersion(written: string): string | undefined {
  const p = versionParts(written);
  if (!p) return undefined;
  if (p[0] >= 10) return '10';
  if (p[0] === 6) {
    const text = p.join('.');
    const hit = BY_KERNEL.find(([k]) => text === k || text.startsWith(k + '.'));
    if (hit) return hit[1];
    return p[1] === 0 ? '2.0' : p[1] === 1 ? '3.0' : undefined;
  }
  return `${p[0]}.${p[1] ?? 0}`;
}
