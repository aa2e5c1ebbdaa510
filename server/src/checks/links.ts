// Documentation pages several checks cite (each check's docs name their own pages beside these).

/** Distributing a sequence's content and planning its references. */
export const CONTENT_LINKS = [
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/manage-task-sequences-to-automate-tasks#bkmk_DistributeTS',
  'https://learn.microsoft.com/en-us/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks',
];

/** Managing boot images. */
export const BOOT_LINKS = ['https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-boot-images'];

/** Managing user state (USMT, state migration points). */
export const USER_STATE_LINK = 'https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-user-state';

/** The Request State Store step. */
export const REQUEST_STATE_LINK = 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_RequestStateStore';
