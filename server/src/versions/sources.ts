// The source keys the version tables cite, with the public page each stands for. The keys are
// those of ../shared/knowledge/SOURCES.md (plus two for MDT facts that file does not cover), so a
// row of any table can be traced to the documentation it restates.

export interface Source {
  title: string;
  url?: string;
}

export const SOURCES: Readonly<Record<string, Source>> = {
  'S-2007PREQ': { title: 'ConfigMgr 2007: Prerequisites for Operating System Deployment', url: 'https://learn.microsoft.com/zh-tw/previous-versions/bb680527(v=technet.10)' },
  'S-2007PREQ-M': { title: 'ConfigMgr 2007 help (later revision, mirror): OSD prerequisites', url: 'https://systemscenter.ru/smsv4.en/html/33a94371-4189-4212-955e-5b033487049a.htm' },
  'S-2007PXE': { title: 'ConfigMgr 2007: PXE service point', url: 'http://systemscenter.ru/smsv4.en/html/71bcf6b7-9b89-433d-9a1b-9545d76c17d6.htm' },
  'S-2007MC': { title: 'ConfigMgr 2007 R2: multicast for OS deployment', url: 'http://technet.microsoft.com/en-us/library/cc431418(TechNet.10).aspx' },
  'S-2007NM': { title: 'ConfigMgr 2007: native mode certificates and OS deployment', url: 'https://docs.microsoft.com/de-de/previous-versions/system-center/configuration-manager-2007/bb693608%28v%3dtechnet.10%29' },
  'S-2007CERT': { title: 'ConfigMgr 2007: certificate requirements for native mode', url: 'https://learn.microsoft.com/zh-tw/previous-versions/bb680733(v=technet.10)' },
  'S-2007SDK-CLS': { title: 'ConfigMgr 2007 SDK: task sequence action classes', url: 'https://learn.microsoft.com/en-us/previous-versions/system-center/developer/cc143362(v=msdn.10)' },
  'S-2007TS': { title: 'ConfigMgr 2007: sample "existing image" task sequence', url: 'http://systemscenter.ru/smsv4.en/html/24af57c5-feb0-4297-95d9-e29ef4671d51.htm' },
  'S-2012TSS': { title: 'ConfigMgr 2012 R2: task sequence steps', url: 'https://learn.microsoft.com/en-us/previous-versions/system-center/system-center-2012-R2/hh846237(v=technet.10)' },
  'S-2012PREQ': { title: 'ConfigMgr 2012: prerequisites for OS deployment (USMT versions)', url: 'https://technet.microsoft.com/en-us/library/gg682187.aspx' },
  'S-2012BOOT': { title: 'ConfigMgr 2012: boot images and Windows PE versions', url: 'https://learn.microsoft.com/hr-hr/previous-versions/system-center/system-center-2012-R2/hh397288(v=technet.10)' },
  'S-INFRA': { title: 'Infrastructure requirements for OS deployment', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/plan-design/infrastructure-requirements-for-operating-system-deployment' },
  'S-BOOT': { title: 'Manage boot images', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-boot-images' },
  'S-PXE': { title: 'Use PXE to deploy Windows over the network', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/use-pxe-to-deploy-windows-over-the-network' },
  'S-MC': { title: 'Use multicast to deploy Windows over the network', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/use-multicast-to-deploy-windows-over-the-network' },
  'S-MC-IMG': { title: 'Manage OS images: multicast options', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/get-started/manage-operating-system-images' },
  'S-PKI': { title: 'PKI certificate requirements', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/network/pki-certificate-requirements' },
  'S-TSS16': { title: 'Task sequence steps (first archived current-branch revision, 2016)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps' },
  'S-TSS17RM': { title: 'Task sequence steps: removal of Convert Disk to Dynamic and Install Deployment Tools (2017)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps' },
  'S-TSS20': { title: 'Task sequence steps', url: 'https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps' },
  'S-DEPR': { title: 'Removed and deprecated features', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/changes/deprecated/removed-and-deprecated-cmfeatures' },
  'S-WN1710': { title: 'What\'s new in version 1710 (child task sequences)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/changes/whats-new-in-version-1710' },
  'S-WN1802': { title: 'What\'s new in version 1802 (multi-level child task sequences)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/changes/whats-new-in-version-1802' },
  'S-ADK10-HIST': { title: 'Support for Windows 10 (ADK tables, 2017–2020 revisions)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/configs/support-for-windows-adk' },
  'S-ADK-2021': { title: 'Support for the Windows ADK (Dec 2021 revision)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/configs/support-for-windows-adk' },
  'S-ADK-2022a': { title: 'Support for the Windows ADK (Jan 2022 revision)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/configs/support-for-windows-adk' },
  'S-ADK-2022b': { title: 'Support for the Windows ADK (Dec 2022 revision)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/configs/support-for-windows-adk' },
  'S-ADK-INC-X86': { title: 'No 32-bit Windows PE in the Windows 11 / Server 2022 add-ons', url: 'https://learn.microsoft.com/en-us/mem/configmgr/core/plan-design/configs/support-for-windows-adk' },
  // MDT facts: not in SOURCES.md, which covers ConfigMgr only.
  'MDT-TOOLKIT': { title: 'MDT toolkit reference: task sequence steps (Lite Touch and ConfigMgr integration)', url: 'https://learn.microsoft.com/en-us/mem/configmgr/mdt/toolkit-reference' },
  'CORPUS-STEPS': { title: 'cmts corpus survey (../shared/knowledge/steps-vs-corpus.md §5): which BDD_ classes appear in Lite Touch and in ConfigMgr exports' },
};

/** Public links for a row's sources, for docs and messages. */
export function sourceLinks(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const url = SOURCES[k]?.url;
    if (url && !out.includes(url)) out.push(url);
  }
  return out;
}
