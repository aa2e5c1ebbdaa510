// Checks that need only the sequence (issue 4): execution context, ordering, user state,
// required properties, capture prerequisites. Each check lives in its own module; this file
// lists them in docs order (invalid-condition sits in the table on its own, before these).

import type { Rule } from './types';
import { missingStepProperty } from './missingProperty';
import { stepContext } from './stepContext';
import { driverStepOrder, setupWindowsAfterApplyOs } from './ordering';
import { stateStoreRelease, stateStoreRequest, userStateRestoreOrder } from './userState';
import { captureImagePrerequisites } from './capture';

export const sequenceRules: readonly Rule[] = [
  missingStepProperty,
  stepContext,
  setupWindowsAfterApplyOs,
  driverStepOrder,
  stateStoreRequest,
  stateStoreRelease,
  userStateRestoreOrder,
  captureImagePrerequisites,
];
