// WMI instances → site description facts. Each class maps only the properties whose meaning the
// ConfigMgr SDK class pages give (docs/site-import.md lists them with their pages); anything else
// is left out, so a missing fact stays unknown. Entries are keyed by ID without regard to case.

import { bool, int, str, strList, type WmiInstance } from './instance';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type Collection = 'bootImages' | 'operatingSystemImages' | 'operatingSystemInstallers' | 'driverPackages' | 'packages' | 'applications' | 'taskSequences';
export type Entry = { [key: string]: JsonValue };

export const COLLECTIONS: readonly Collection[] = ['bootImages', 'operatingSystemImages', 'operatingSystemInstallers', 'driverPackages', 'packages', 'applications', 'taskSequences'];

export interface Facts {
  site: Entry;
  /** By collection, then by upper-case ID, in the order first seen. */
  content: Map<Collection, Map<string, Entry>>;
  /** Servers by upper-case name: the roles they hold. */
  servers: Map<string, { server: string; roles: Map<string, Entry> }>;
  /** Application content package ID → application model name (AppReferencesInfo), for distribution status. */
  appByPackage: Map<string, string>;
  /** Package ID → servers holding it. */
  dps: Map<string, Set<string>>;
  /** Programs by package ID, from SMS_Program. */
  programs: Map<string, string[]>;
  /** Driver CI_ID → driver entry; CI_ID → package IDs holding it (SMS_DriverContainer). */
  drivers: Map<string, Entry>;
  driverIn: Map<string, Set<string>>;
  categories: Map<string, string>;
  /** Sequences embedded in SMS_TaskSequencePackage instances: package ID → sequence XML. */
  sequences: { packageId: string; xml: string; file: string }[];
  /** Classes seen that hold nothing the site description uses, for the report. */
  unused: Set<string>;
}

export function emptyFacts(): Facts {
  return { site: {}, content: new Map(), servers: new Map(), appByPackage: new Map(), dps: new Map(), programs: new Map(), drivers: new Map(), driverIn: new Map(), categories: new Map(), sequences: [], unused: new Set() };
}

/** ReferencePackageType / PackageType values (SMS_PackageBaseclass) → collection. */
const BY_PACKAGE_TYPE: Record<number, Collection> = { 0: 'packages', 3: 'driverPackages', 4: 'taskSequences', 257: 'operatingSystemImages', 258: 'bootImages', 259: 'operatingSystemInstallers' };

/** Role names as SMS_SystemResourceList / SMS_SCI_SysResUse write them → the site description's roles. */
const ROLES: Record<string, string> = {
  'SMS Distribution Point': 'distributionPoint',
  'SMS State Migration Point': 'stateMigrationPoint',
  'SMS PXE Service Point': 'pxeServicePoint',
  'SMS Management Point': 'managementPoint',
};

export function put(f: Facts, collection: Collection, id: string, fields: Entry): void {
  let m = f.content.get(collection);
  if (!m) f.content.set(collection, (m = new Map()));
  const key = id.toUpperCase();
  const e = m.get(key);
  const idKey = collection === 'applications' ? 'id' : 'packageId';
  if (!e) m.set(key, { [idKey]: id, ...fields });
  else for (const [k, v] of Object.entries(fields)) if (e[k] === undefined) e[k] = v;
}

function named(inst: WmiInstance, nameProp = 'Name'): Entry {
  const name = str(inst, nameProp);
  return name ? { name } : {};
}

function arch(inst: WmiInstance): Entry {
  const a = str(inst, 'Architecture')?.toLowerCase();
  return a === 'x86' || a === 'x64' ? { architecture: a } : {};
}

function dotted(v: string | undefined): string | undefined {
  return v && /^[0-9]+(\.[0-9]+)*$/.test(v) ? v : undefined;
}

/** "\\DP01.contoso.com\" inside a NAL path ('["Display=\\DP01\"]MSWNET:["SMS_SITE=CEN"]\\DP01\') → "DP01". */
export function serverOfNalPath(nal: string): string | undefined {
  const m = /\\\\([^\\"\]]+)\\?\s*$/.exec(nal.trim()) ?? /\\\\([^\\"\]]+)/.exec(nal);
  return m?.[1];
}

function addServerRole(f: Facts, server: string, role: string): void {
  const key = server.toUpperCase();
  let s = f.servers.get(key);
  if (!s) f.servers.set(key, (s = { server, roles: new Map() }));
  if (!s.roles.has(role)) s.roles.set(role, { role });
}

/** Adds what one instance says. Returns false for a class the import does not know. */
export function mapInstance(f: Facts, inst: WmiInstance): boolean {
  // The SMS Provider's namespace is root\SMS\site_<site code>; exports keep it in __NAMESPACE.
  const ns = /\\site_([A-Za-z0-9]{3})$/i.exec(str(inst, '__NAMESPACE') ?? '');
  if (ns && f.site.code === undefined) f.site.code = ns[1].toUpperCase();
  const id = str(inst, 'PackageID');
  switch (inst.className) {
    case 'SMS_TaskSequenceReferencesInfo': {
      const ref = str(inst, 'ReferencePackageID');
      const coll = BY_PACKAGE_TYPE[int(inst, 'ReferencePackageType') ?? -1];
      if (ref && coll) put(f, coll, ref, named(inst, 'ReferenceName'));
      return true;
    }
    case 'SMS_TaskSequenceAppReferencesInfo': {
      const model = str(inst, 'RefAppModelName');
      if (model) put(f, 'applications', model, {});
      const pkg = str(inst, 'RefAppPackageID');
      if (model && pkg) f.appByPackage.set(pkg.toUpperCase(), model);
      return true;
    }
    case 'SMS_TaskSequencePackage': {
      if (!id) return true;
      const boot = str(inst, 'BootImageID');
      put(f, 'taskSequences', id, { ...named(inst), ...(boot ? { bootImageId: boot } : {}) });
      const xml = str(inst, 'Sequence');
      if (xml) f.sequences.push({ packageId: id, xml, file: inst.file });
      return true;
    }
    case 'SMS_BootImagePackage':
      if (id) {
        const pe = dotted(str(inst, 'ImageOSVersion'));
        put(f, 'bootImages', id, { ...named(inst), ...arch(inst), ...(pe ? { windowsPEVersion: pe } : {}) });
      }
      return true;
    case 'SMS_ImagePackage':
    case 'SMS_OperatingSystemInstallPackage':
      // Their class pages describe no version or image count (ImageProperty is an XML string whose
      // layout they do not give), so only the ID and name are taken.
      if (id) put(f, inst.className === 'SMS_ImagePackage' ? 'operatingSystemImages' : 'operatingSystemInstallers', id, named(inst));
      return true;
    case 'SMS_DriverPackage':
      if (id) put(f, 'driverPackages', id, named(inst));
      return true;
    case 'SMS_Package': {
      if (!id) return true;
      // SMS_Package also answers for packages of other types when queried through the base class.
      const coll = BY_PACKAGE_TYPE[int(inst, 'PackageType') ?? 0] ?? 'packages';
      put(f, coll, id, named(inst));
      return true;
    }
    case 'SMS_Program': {
      const program = str(inst, 'ProgramName');
      if (id && program) {
        const list = f.programs.get(id.toUpperCase()) ?? [];
        if (!list.includes(program)) list.push(program);
        f.programs.set(id.toUpperCase(), list);
        put(f, 'packages', id, {});
      }
      return true;
    }
    case 'SMS_Application':
    case 'SMS_ApplicationLatest': {
      // SMS_Application holds every revision; only the latest one is what a sequence installs.
      if (inst.className === 'SMS_Application' && bool(inst, 'IsLatest') === false) return true;
      const model = str(inst, 'ModelName');
      if (model) put(f, 'applications', model, named(inst, 'LocalizedDisplayName'));
      return true;
    }
    case 'SMS_Driver': {
      const ci = str(inst, 'CI_ID');
      if (!ci) return true;
      const d: Entry = { ...named(inst, 'LocalizedDisplayName') };
      const enabled = bool(inst, 'IsEnabled');
      if (enabled !== undefined) d.enabled = enabled;
      const cats = strList(inst, 'CategoryInstance_UniqueIDs');
      if (cats) d.categoryIds = cats;
      f.drivers.set(ci, d);
      return true;
    }
    case 'SMS_DriverContainer': {
      const ci = str(inst, 'CI_ID');
      if (ci && id) {
        const s = f.driverIn.get(ci) ?? new Set<string>();
        s.add(id);
        f.driverIn.set(ci, s);
      }
      return true;
    }
    case 'SMS_CategoryInstance': {
      const uid = str(inst, 'CategoryInstance_UniqueID');
      const name = str(inst, 'LocalizedCategoryInstanceName');
      if (uid && name && str(inst, 'CategoryTypeName') === 'DriverCategories') f.categories.set(uid, name);
      return true;
    }
    case 'SMS_DistributionPoint':
    case 'SMS_PackageStatusDistPointsSummarizer': {
      const nal = str(inst, 'ServerNALPath');
      const server = nal ? serverOfNalPath(nal) : undefined;
      // The summarizer's State 0 is INSTALLED; the other states mean the content is not (yet, or
      // any more) usable there. Its SecureObjectID is the model name for an application.
      if (inst.className === 'SMS_PackageStatusDistPointsSummarizer' && int(inst, 'State') !== 0) return true;
      const secure = str(inst, 'SecureObjectID');
      const key = secure && secure.includes('/') ? secure : id;
      if (key && server) {
        const s = f.dps.get(key.toUpperCase()) ?? new Set<string>();
        s.add(server);
        f.dps.set(key.toUpperCase(), s);
        addServerRole(f, server, 'distributionPoint');
      }
      return true;
    }
    case 'SMS_SystemResourceList':
    case 'SMS_SCI_SysResUse': {
      const role = ROLES[str(inst, 'RoleName') ?? ''];
      const server = str(inst, 'ServerName') ?? serverOfNalPath(str(inst, 'NetworkOSPath') ?? str(inst, 'NALPath') ?? '');
      if (role && server) addServerRole(f, server, role);
      return true;
    }
    case 'SMS_Site': {
      const code = str(inst, 'SiteCode');
      if (code && /^[A-Za-z0-9]{3}$/.test(code) && f.site.code === undefined) f.site.code = code;
      return true;
    }
    default:
      return false;
  }
}

/** Joins what several classes say: programs, drivers and distribution points onto their entries. */
export function finish(f: Facts): void {
  const findById = (id: string): Entry | undefined => {
    for (const c of COLLECTIONS) {
      const e = f.content.get(c)?.get(id.toUpperCase());
      if (e) return e;
    }
    return undefined;
  };
  for (const [pkg, programs] of f.programs) {
    const e = f.content.get('packages')?.get(pkg);
    if (e && e.programs === undefined) e.programs = programs;
  }
  for (const [ci, d] of f.drivers) {
    const ids = d.categoryIds as string[] | undefined;
    delete d.categoryIds;
    if (ids) {
      const names = ids.map((x) => f.categories.get(x)).filter((x): x is string => x !== undefined);
      if (names.length === ids.length) d.categories = names;
    }
    for (const pkg of f.driverIn.get(ci) ?? []) {
      const e = f.content.get('driverPackages')?.get(pkg.toUpperCase());
      if (!e) continue;
      const list = (e.drivers as Entry[] | undefined) ?? [];
      list.push({ ...d });
      e.drivers = list;
    }
  }
  for (const [pkg, servers] of f.dps) {
    const app = f.appByPackage.get(pkg);
    const e = (app ? f.content.get('applications')?.get(app.toUpperCase()) : undefined) ?? findById(pkg);
    if (e) e.distributionPoints = [...servers].sort();
  }
}

