// Releases and version numbers, compared. A site is a product plus a release ("ConfigMgr 2007" +
// "SP1 R2", "ConfigMgr CB" + "2309"); the tables name releases the same way ("ConfigMgr 2012 R2",
// "CB 1710"). ConfigMgr 2007's R2/R3 were add-ons on top of a service pack, so 2007 is compared on
// two axes; 2012 and current branch are a single line.

import type { Product } from '../site/types';

export interface Release {
  product: Product;
  /**
   * 2007: service pack (0, 1, 2). 2012: 0 RTM, 1 SP1, 2 R2, 3 SP2 / R2 SP1 (the same build).
   * Current branch: the build (1511, 2309).
   */
  level: number;
  /** 2007 only: the R release installed on top (0, 2, 3). */
  r: number;
  /** How people write it: "ConfigMgr 2007 SP1 R2", "ConfigMgr CB 2309". */
  label: string;
}

const PRODUCT_RANK: Record<Product, number> = { 'ConfigMgr 2007': 0, 'ConfigMgr 2012': 1, 'ConfigMgr CB': 2 };

/** The 2007 releases as {service pack, R}; "R2" sits on SP1 and "R3" on SP2. */
const R2007: Record<string, [number, number]> = {
  RTM: [0, 0], SP1: [1, 0], SP2: [2, 0], R2: [1, 2], R3: [2, 3], 'SP1 R2': [1, 2], 'SP2 R3': [2, 3],
};
const R2012: Record<string, number> = { RTM: 0, SP1: 1, R2: 2, SP2: 3, 'R2 SP1': 3 };

/** A site's release, or undefined when the product or version is missing or not one the spec allows. */
export function siteRelease(product: Product | undefined, version: string | undefined): Release | undefined {
  if (!product || version === undefined) return undefined;
  const v = version.trim().replace(/\s+/g, ' ').toUpperCase();
  if (product === 'ConfigMgr 2007') {
    const pair = R2007[v];
    return pair && { product, level: pair[0], r: pair[1], label: `${product} ${v}` };
  }
  if (product === 'ConfigMgr 2012') {
    const level = R2012[v];
    return level === undefined ? undefined : { product, level, r: 0, label: `${product} ${v}` };
  }
  return /^\d{4}$/.test(v) ? { product, level: Number(v), r: 0, label: `${product} ${v}` } : undefined;
}

/**
 * A release as the tables and the step catalogue write it: "ConfigMgr 2007", "ConfigMgr 2007 R2",
 * "ConfigMgr 2012 SP1", "CB 1710", "ConfigMgr CB 1710".
 */
export function parseRelease(text: string): Release | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  let m = /^(?:ConfigMgr )?CB(?: (\d{4}))?$/i.exec(t);
  if (m) return siteRelease('ConfigMgr CB', m[1] ?? '1511');
  m = /^ConfigMgr (2007|2012)(?: (.+))?$/i.exec(t);
  if (!m) return undefined;
  const product = m[1] === '2007' ? 'ConfigMgr 2007' : 'ConfigMgr 2012';
  return siteRelease(product, m[2] ?? 'RTM');
}

/** True when a site at `site` has what arrived in `required`. */
export function meets(site: Release, required: Release): boolean {
  const a = PRODUCT_RANK[site.product];
  const b = PRODUCT_RANK[required.product];
  if (a !== b) return a > b;
  if (site.product === 'ConfigMgr 2007') return site.level >= required.level && site.r >= required.r;
  return site.level >= required.level;
}

/** `meets` with the requirement written as text; undefined when the text is not a release. */
export function meetsText(site: Release, required: string): boolean | undefined {
  // Checks ask this for every step with the same few texts (from our tables, a bounded set): each is read once.
  let r = REQUIRED.get(required);
  if (r === undefined && !REQUIRED.has(required)) REQUIRED.set(required, (r = parseRelease(required)));
  return r && meets(site, r);
}

const REQUIRED = new Map<string, Release | undefined>();

/** Numeric parts of a dotted version ("10.1.22621.1" → [10, 1, 22621, 1]); undefined when not one. */
export function versionParts(v: string): number[] | undefined {
  const t = v.trim();
  if (!/^\d+(\.\d+)*$/.test(t)) return undefined;
  return t.split('.').map(Number);
}

/** Compares dotted versions part by part; missing parts count as 0. Non-versions sort first. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The first `n` parts of a version, as text ("10.1.22621.1", 3 → "10.1.22621"). */
export function versionPrefix(v: string, n: number): string | undefined {
  const p = versionParts(v);
  return p && p.slice(0, n).join('.');
}
