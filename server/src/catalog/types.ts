// Shape of the step catalogue: every step class the engine knows (ConfigMgr built-ins and MDT
// BDD_* custom actions), as data. Facts come from ../shared/knowledge/steps.json; descriptions
// are ours. Checks, hover, completion and quick fixes all read this one table.

/** Kinds of content a step property can name; the site description's collections map onto these. */
export type ContentKind =
  | 'bootImage'
  | 'osImage'
  | 'osInstaller'
  | 'driverPackage'
  | 'package'
  | 'usmtPackage'
  | 'clientPackage'
  | 'application'
  | 'softwareUpdate'
  | 'taskSequence';

/** Where a step can run: the engine's SupportedEnvironment (the XML `runIn` attribute). */
export type RunContext = 'WinPE' | 'FullOS' | 'WinPEandFullOS';

export interface StepProperty {
  /** WMI property name (the `property` attribute of `<variable>`). */
  name: string;
  /** Task sequence variable that carries it in exports (the `name` attribute), when known. */
  variable?: string;
  /** Other variable names seen for the same property in real exports (e.g. MDT LTI spellings). */
  aliases?: string[];
  type: string;
  /** true; false; or a condition in words ("when ImagePackageID is not set"). */
  required: boolean | string;
  /** Kind of content the value names, if any. */
  references?: ContentKind;
  /**
   * Every kind the value may name, when more than `references` alone: Download Package Content takes
   * packages, driver packages, OS images, OS upgrade packages and boot images alike.
   */
  kinds?: ContentKind[];
  /** The value is a comma-separated list of IDs (Install Application's list, Download Package Content). */
  list?: boolean;
  /** Written hidden="true" by the console. */
  hidden?: boolean;
  /** Allowed values, when the SDK or the docs enumerate them. */
  values?: string[];
  default?: string;
  /** Short description, ours. */
  description?: string;
  /** Product version that introduced the property, when later than the step. */
  since?: string;
}

export interface StepType {
  /** The class name as written in `type` (e.g. SMS_TaskSequence_RequestStateStoreAction). */
  type: string;
  /** 'action' for steps; 'condition' for condition expression classes; 'group' for the group class. */
  kind: 'action' | 'condition' | 'group' | 'operator';
  /** Console display name (e.g. "Request State Store"). */
  displayName: string;
  /** Console menu category (General, Disks, User State, Images, Drivers, Settings, Software, MDT …). */
  category: string;
  /** The runIn value the console writes for this step. */
  runIn: RunContext;
  /**
   * Where the step may be placed, when the documentation says otherwise than the console's runIn: Setup Windows
   * and ConfigMgr must start in Windows PE (runIn says both); Request State Store and Capture User State may
   * also run in Windows PE (runIn says FullOS). Placement checks read `allowedIn ?? runIn` (placementOf).
   */
  allowedIn?: RunContext;
  /** Where the documentation says the step can run, in words ("Windows PE only"). */
  context: string;
  /** Two or three sentences, ours: what the step does. */
  description: string;
  properties: StepProperty[];
  /** Command line template or an observed `<action>` shape, for documentation and inserted steps. */
  action?: string;
  /** Release that introduced it ("ConfigMgr 2007", "CB 1606" …) and, when removed, the release that removed it. */
  introduced?: string;
  removed?: string;
  /** Public documentation. */
  docsUrl?: string;
  /** True for MDT custom actions (BDD_*). */
  mdt: boolean;
}

export interface Catalog {
  /** Exact lookup by class name (case-sensitive, as the engine is). */
  get(type: string): StepType | undefined;
  /** Case-insensitive lookup, for suggestions. */
  find(type: string): StepType | undefined;
  all(): readonly StepType[];
  /** Step classes only (kind 'action'), for completion and unknown-step-type. */
  actions(): readonly StepType[];
}
