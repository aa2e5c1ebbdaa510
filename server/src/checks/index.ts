// The registry: every check module, in the order of docs/rules.md. The analysis, the site
// analysis, the fix engine, the CLI, .cmts.json validation and the docs generator read this list;
// no other place lists check ids. Adding a check: CONTRIBUTING.md.

import type { Check } from './types';
import { check as xmlSyntax } from './xml-syntax';
import { check as unknownStepType } from './unknown-step-type';
import { check as invalidCondition } from './invalid-condition';
import { check as missingStepProperty } from './missing-step-property';
import { check as stepContext } from './step-context';
import { check as setupWindowsAfterApplyOs } from './setup-windows-after-apply-os';
import { check as driverStepOrder } from './driver-step-order';
import { check as stateStoreRequest } from './state-store-request';
import { check as stateStoreRelease } from './state-store-release';
import { check as userStateRestoreOrder } from './user-state-restore-order';
import { check as captureImagePrerequisites } from './capture-image-prerequisites';
import { check as variableNotSet } from './variable-not-set';
import { check as variableNameTypo } from './variable-name-typo';
import { check as readOnlyVariable } from './read-only-variable';
import { check as conditionNeverTrue } from './condition-never-true';
import { check as continueOnError } from './continue-on-error';
import { check as runAsInWinpe } from './run-as-in-winpe';
import { check as restartBeforeFormat } from './restart-before-format';
import { check as networkSettings } from './network-settings';
import { check as hardLinkRefresh } from './hard-link-refresh';
import { check as bitlockerOrder } from './bitlocker-order';
import { check as toolkitPackage } from './toolkit-package';
import { check as captureSettings } from './capture-settings';
import { check as upgradeOsSource } from './upgrade-os-source';
import { check as plainTextSecret } from './plain-text-secret';
import { check as programNotInPackage } from './program-not-in-package';
import { check as imageIndex } from './image-index';
import { check as networkAccessAccount } from './network-access-account';
import { check as propertyNewerThanSite } from './property-newer-than-site';
import { check as standaloneMedia } from './standalone-media';
import { check as unknownContent } from './unknown-content';
import { check as wrongContentKind } from './wrong-content-kind';
import { check as contentNotDistributed } from './content-not-distributed';
import { check as bootImage } from './boot-image';
import { check as bootImageVersion } from './boot-image-version';
import { check as bootImageArchitecture } from './boot-image-architecture';
import { check as bootImageComponents } from './boot-image-components';
import { check as driverPackageContent } from './driver-package-content';
import { check as driverCategories } from './driver-categories';
import { check as usmtPackage } from './usmt-package';
import { check as stateMigrationPoint } from './state-migration-point';
import { check as clientPackage } from './client-package';
import { check as deploymentKit } from './deployment-kit';
import { check as nativeModeCertificates } from './native-mode-certificates';
import { check as multicast } from './multicast';
import { check as pxeBootImages } from './pxe-boot-images';
import { check as childTaskSequence } from './child-task-sequence';
import { check as removedStep } from './removed-step';
import { check as sequenceSize } from './sequence-size';
import { check as unusedSuppression } from './unused-suppression';
import { check as noSiteDescription } from './no-site-description';
import { check as invalidSiteDescription } from './invalid-site-description';
import { check as invalidConfig } from './invalid-config';

export const CHECKS: readonly Check[] = [
  xmlSyntax,
  unknownStepType,
  invalidCondition,
  missingStepProperty,
  stepContext,
  setupWindowsAfterApplyOs,
  driverStepOrder,
  stateStoreRequest,
  stateStoreRelease,
  userStateRestoreOrder,
  captureImagePrerequisites,
  variableNotSet,
  variableNameTypo,
  readOnlyVariable,
  conditionNeverTrue,
  continueOnError,
  runAsInWinpe,
  restartBeforeFormat,
  networkSettings,
  hardLinkRefresh,
  bitlockerOrder,
  toolkitPackage,
  captureSettings,
  upgradeOsSource,
  plainTextSecret,
  unknownContent,
  wrongContentKind,
  contentNotDistributed,
  bootImage,
  bootImageVersion,
  bootImageArchitecture,
  bootImageComponents,
  driverPackageContent,
  driverCategories,
  usmtPackage,
  stateMigrationPoint,
  clientPackage,
  deploymentKit,
  nativeModeCertificates,
  multicast,
  pxeBootImages,
  childTaskSequence,
  programNotInPackage,
  imageIndex,
  networkAccessAccount,
  propertyNewerThanSite,
  standaloneMedia,
  removedStep,
  sequenceSize,
  unusedSuppression,
  noSiteDescription,
  invalidSiteDescription,
  invalidConfig,
];

export const CHECK_BY_ID: ReadonlyMap<string, Check> = new Map(CHECKS.map((c) => [c.id, c]));

export const ALL_CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

/** The module of a check id, when it is one. */
export function checkById(id: string): Check | undefined {
  return CHECK_BY_ID.get(id);
}
