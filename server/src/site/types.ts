// The site description (configmgr-site.json) as the checks see it: the typed, usable parts of the
// file, each entry with offsets into the file so findings, go-to-definition and edits can point
// at it. Names mirror the site description spec and schemas/configmgr-site.schema.json exactly;
// load.ts builds these from the JSON text, dropping what the schema rejects.

import type { ContentKind } from '../catalog/types';
import type { Span } from '../model/types';

export type Product = 'ConfigMgr 2007' | 'ConfigMgr 2012' | 'ConfigMgr CB';
export type SecurityMode = 'mixed' | 'native' | 'http' | 'https' | 'ehttp';
export type Architecture = 'x86' | 'x64';
export type Multicast = 'none' | 'allowed' | 'required';
export type PackageKind = 'software' | 'usmt' | 'client' | 'sysprep' | 'settings' | 'script' | 'mdtToolkit';
export type AvailableTo = 'clients' | 'clientsMediaAndPxe' | 'mediaAndPxe' | 'mediaAndPxeHidden';
export type SiteRoleName = 'distributionPoint' | 'stateMigrationPoint' | 'pxeServicePoint' | 'managementPoint';
export type CertificatePurpose = 'pxe' | 'bootMedia' | 'rootCA';
export type DeploymentKitName = 'WAIK' | 'ADK';

/** The allowed values, at run time (load.ts narrows with them; a test keeps them equal to the schema's). */
export const PRODUCTS: readonly Product[] = ['ConfigMgr 2007', 'ConfigMgr 2012', 'ConfigMgr CB'];
export const SECURITY_MODES: readonly SecurityMode[] = ['mixed', 'native', 'http', 'https', 'ehttp'];
export const ARCHITECTURES: readonly Architecture[] = ['x86', 'x64'];
export const MULTICAST_VALUES: readonly Multicast[] = ['none', 'allowed', 'required'];
export const PACKAGE_KINDS: readonly PackageKind[] = ['software', 'usmt', 'client', 'sysprep', 'settings', 'script', 'mdtToolkit'];
export const AVAILABLE_TO_VALUES: readonly AvailableTo[] = ['clients', 'clientsMediaAndPxe', 'mediaAndPxe', 'mediaAndPxeHidden'];
export const SITE_ROLES: readonly SiteRoleName[] = ['distributionPoint', 'stateMigrationPoint', 'pxeServicePoint', 'managementPoint'];
export const CERTIFICATE_PURPOSES: readonly CertificatePurpose[] = ['pxe', 'bootMedia', 'rootCA'];
export const DEPLOYMENT_KIT_NAMES: readonly DeploymentKitName[] = ['WAIK', 'ADK'];

export interface DeploymentKit {
  name: DeploymentKitName;
  /** As written, e.g. "1.1" or "10.1.22621.1". */
  version: string;
  span: Span;
}

/**
 * The `site` section. Every field is optional here although the schema requires code, product
 * and version: a missing or invalid one is reported as a problem and left out, and checks that
 * need it are skipped.
 */
export interface SiteInfo {
  code?: string;
  product?: Product;
  /** "SP1", "SP2 R3", "R2 SP1", "2309" ... already checked against the product when both are valid. */
  version?: string;
  securityMode?: SecurityMode;
  /** Present only when both its name and version are valid. */
  deploymentKit?: DeploymentKit;
  /** A network access account is configured (undefined: the file does not say, unknown). */
  networkAccessAccount?: boolean;
  /** The `site` object; an empty span at 0 when the file has none. */
  span: Span;
}

/** What every content entry has. */
export interface ContentBase {
  /** As written in the site file. */
  packageId: string;
  name?: string;
  /** Server names as written; [] when the file has none (the spec: missing means not distributed). */
  distributionPoints: string[];
  /** The entry's object, from `{` to `}`. */
  span: Span;
  /** The `packageId` text inside its quotes. */
  idSpan: Span;
}

export interface BootImage extends ContentBase {
  architecture?: Architecture;
  windowsPEVersion?: string;
  pxeEnabled?: boolean;
  /** Undefined when the file does not say (unknown), [] when it says none. */
  optionalComponents?: string[];
}

export interface OsImage extends ContentBase {
  architecture?: Architecture;
  osVersion?: string;
  imageCount?: number;
  /** 'none' when the file does not say (the spec's default). */
  multicast: Multicast;
}

export interface OsInstaller extends ContentBase {
  architecture?: Architecture;
  osVersion?: string;
  editionCount?: number;
}

export interface Driver {
  name?: string;
  enabled?: boolean;
  architecture?: Architecture;
  categories?: string[];
  span: Span;
}

export interface DriverPackage extends ContentBase {
  /** Undefined when the file does not say (unknown), [] when the package holds none. */
  drivers?: Driver[];
}

export interface DriverCategory {
  id: string;
  name: string;
  span: Span;
  idSpan: Span;
}

export interface Package extends ContentBase {
  /** 'software' when the file does not say (the spec's default). */
  kind: PackageKind;
  usmtVersion?: string;
  architecture?: Architecture;
  programs?: string[];
}

export interface Application {
  /** The application's unique ID as written (ScopeId_…/Application_…). */
  id: string;
  name?: string;
  distributionPoints: string[];
  span: Span;
  /** The `id` text inside its quotes. */
  idSpan: Span;
}

export interface TaskSequenceEntry extends ContentBase {
  /** Path of the exported sequence, relative to the site description, as written. */
  file?: string;
  bootImageId?: string;
  availableTo?: AvailableTo;
  /** The sequence is put on stand-alone media (undefined: unknown). */
  standaloneMedia?: boolean;
}

export interface SiteRole {
  role: SiteRoleName;
  /** distributionPoint: PXE enabled. */
  pxe?: boolean;
  /** distributionPoint: multicast enabled. */
  multicast?: boolean;
  /** stateMigrationPoint: restore only. */
  restoreOnly?: boolean;
  span: Span;
}

export interface SiteSystem {
  server: string;
  /** [] when the file lists none. */
  roles: SiteRole[];
  span: Span;
}

export interface Certificate {
  purpose: CertificatePurpose;
  subject?: string;
  /** ISO date as written ("2027-03-01", maybe with a time). */
  expires?: string;
  span: Span;
}

export interface SiteDescription {
  site: SiteInfo;
  bootImages: BootImage[];
  operatingSystemImages: OsImage[];
  operatingSystemInstallers: OsInstaller[];
  driverPackages: DriverPackage[];
  driverCategories: DriverCategory[];
  packages: Package[];
  applications: Application[];
  taskSequences: TaskSequenceEntry[];
  siteSystems: SiteSystem[];
  certificates: Certificate[];
  /**
   * Variables collections or devices set (`collectionVariables`); undefined when the file has no such
   * list: then a variable the sequence reads may come from a collection, and is unknown, not unset.
   */
  collectionVariables?: { name: string; span: Span }[];
}

/** A problem in the site file itself, reported in that file. */
export interface SiteProblem {
  code: 'invalid-site-description';
  severity: 'error' | 'warning';
  message: string;
  span: Span;
  /** Also reported by a JSON editor holding the schema: 'syntax' or 'schema' (see JsonProblem). */
  origin?: 'syntax' | 'schema';
}

/** The collections that hold content a task sequence can name. */
export type ContentCollection =
  | 'bootImages'
  | 'operatingSystemImages'
  | 'operatingSystemInstallers'
  | 'driverPackages'
  | 'packages'
  | 'applications'
  | 'taskSequences';

interface ContentEntryBase<C extends ContentCollection, E> {
  /** The packageId (or application id) as written in the site file. */
  id: string;
  kind: ContentKind;
  collection: C;
  /** Index of the entry in its collection's array in the file (for spanOf paths). */
  index: number;
  name?: string;
  entry: E;
  span: Span;
  idSpan: Span;
}

/** Any content item, with where it came from; narrow on `collection` to reach the typed entry. */
export type ContentEntry =
  | ContentEntryBase<'bootImages', BootImage>
  | ContentEntryBase<'operatingSystemImages', OsImage>
  | ContentEntryBase<'operatingSystemInstallers', OsInstaller>
  | ContentEntryBase<'driverPackages', DriverPackage>
  | ContentEntryBase<'packages', Package>
  | ContentEntryBase<'applications', Application>
  | ContentEntryBase<'taskSequences', TaskSequenceEntry>;

export type JsonPath = (string | number)[];

export interface LoadedSite {
  /** The usable parts; invalid entries are dropped, invalid fields left out of otherwise valid entries. */
  site: SiteDescription;
  problems: SiteProblem[];
  /** The site file text, so edits can keep its formatting. */
  text: string;
  /** Content by packageId / application id, compared without regard to case; the first one wins on duplicates. */
  lookup(id: string): ContentEntry | undefined;
  /** All content entries in file order (collections in spec order), or only those of one kind. */
  entries(kind?: ContentKind): ContentEntry[];
  /** True when distributionPoints names at least one server whose siteSystems entry has the distributionPoint role. */
  isDistributed(entry: ContentEntry): boolean;
  /** Range of the value at a path in the file (strings include their quotes), e.g. ['site', 'deploymentKit', 'version']. */
  spanOf(jsonPath: JsonPath): Span | undefined;
}
