// Checks against the site description (issue 5): content, boot images, drivers, user state, the
// client package, the site's kit, certificates, PXE and multicast, child sequences and steps the
// release does not have. Each family lives in its own module; this file lists them in docs order.

import type { Rule } from './types';
import { contentNotDistributed, unknownContent, wrongContentKind } from './content';
import { bootImage, bootImageArchitecture, bootImageComponents, bootImageVersion } from './bootImage';
import { driverCategories, driverPackageContent } from './drivers';
import { stateMigrationPoint, usmtPackage } from './siteUserState';
import { clientPackage } from './clientPackage';
import { deploymentKit, multicast, nativeModeCertificates, pxeBootImages } from './siteLevel';
import { childTaskSequence } from './childSequences';
import { removedStep } from './removedStep';

export const siteRules: readonly Rule[] = [
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
  removedStep,
];
