// capture-settings: Capture Operating System Image with no destination or no account for a network
// destination, and a reference computer joined to a domain before Prepare Windows for Capture.

import type { Check } from './types';
import type { Step } from '../model/types';
import { extraGuards, label, labelSpan, orderOf, relatedAt, T } from '../semantics/stepInfo';
import { prop, propVar, T2 } from '../semantics/stepFacts';
import { variableFlow } from '../semantics/variables';

/** A join to a domain (Join Domain or Workgroup type 0, Apply Network Settings join type 0). */
function joinsDomain(s: Step): boolean {
  if (s.type === T2.joinDomain) return prop(s, 'Type', 'OSDJoinType') === '0';
  if (s.type === T.applyNetworkSettings) return prop(s, 'NetworkJoinType', 'OSDNetworkJoinType') === '0';
  return false;
}

export const check: Check = {
  id: 'capture-settings',
  defaultSeverity: 'error',
  needsSite: false,
  reportedBy: 'check',
  suppressible: true,
  configurable: true,
  docs: {
    summary: 'Capture Operating System Image with an empty destination, or an empty account for a network destination; the reference computer joined to a domain before Prepare Windows for Capture.',
    why: 'Capture Operating System Image writes the captured .wim to the destination path (OSDCaptureDestination) using the account given on the step (OSDCaptureAccount) to reach the share; with no destination there is nowhere to write, with no account the share refuses the engine. Microsoft\'s guidance for a reference computer is to keep it in a workgroup: Prepare Windows for Capture runs Sysprep, and a domain-joined reference image is not supported (the captured image carries the domain membership). A value set elsewhere (Set Task Sequence Variable, a listed collection variable) counts as set.',
    example: '<step type="SMS_TaskSequence_CaptureSystemImageAction" name="Capture the Reference Machine">\n  <variable name="OSDCaptureDestination" property="CaptureDestination"></variable> …\n</step>',
    fix: 'Give the UNC path of the .wim and an account that can write there; join a workgroup in the build and capture sequence.',
    links: ['https://learn.microsoft.com/en-us/mem/configmgr/osd/understand/task-sequence-steps#BKMK_CaptureOperatingSystemImage', 'https://learn.microsoft.com/en-us/mem/configmgr/osd/deploy-use/create-a-task-sequence-to-capture-an-operating-system'],
    facts: ['OSD-CAP-001', 'OSD-CAP-002'],
  },
  sequence(ctx) {
    const flow = variableFlow(ctx.model, ctx.catalog);
    const listed = new Set((ctx.site?.site.collectionVariables ?? []).map((v) => v.toLowerCase()));
    // Per name, up to two places that set it (enough to tell "set by another than this step"): one pass.
    const setters = new Map<string, (Step | undefined)[]>();
    for (const x of flow.sets) {
      const k = x.name.toLowerCase();
      const list = setters.get(k);
      if (!list) setters.set(k, [x.step]);
      else if (list.length < 2 && list[0] !== x.step) list.push(x.step);
    }
    const setElsewhere = (name: string, step: Step): boolean => listed.has(name.toLowerCase()) || (setters.get(name.toLowerCase()) ?? []).some((x) => x !== step);
    const steps = orderOf(ctx.model).steps;
    let joined: Step | undefined;
    for (const s of steps) {
      if (joinsDomain(s)) joined = s;
      // Only where the capture always follows the join (a build and capture sequence): Microsoft's MDT
      // client templates join a domain for deployments and capture only under their own condition.
      if (s.type === T.prepareOs && joined && extraGuards(joined, s).length === 0) {
        ctx.report({ message: `${label(joined)} joins the reference computer to a domain before ${label(s)} runs Sysprep; capture a reference computer in a workgroup.`, span: labelSpan(joined), related: [relatedAt(s, 'Sysprep runs here, before the capture.')] });
        joined = undefined;
      }
      if (s.type !== T.captureImage) continue;
      const dest = prop(s, 'CaptureDestination', 'OSDCaptureDestination');
      const destVar = propVar(s, 'CaptureDestination', 'OSDCaptureDestination');
      if (dest === '' && !setElsewhere('OSDCaptureDestination', s)) {
        ctx.report({ message: `${label(s)} has no capture destination (OSDCaptureDestination): there is nowhere to write the image.`, span: destVar ? destVar.nameSpan : labelSpan(s) });
        continue;
      }
      const account = prop(s, 'CaptureUsername', 'OSDCaptureAccount');
      if (dest.startsWith('\\\\') && account === '' && !setElsewhere('OSDCaptureAccount', s)) {
        const v = propVar(s, 'CaptureUsername', 'OSDCaptureAccount');
        ctx.report({ message: `${label(s)} writes to the share ${dest} with no account (OSDCaptureAccount): the engine cannot reach the share.`, span: v ? v.nameSpan : labelSpan(s) });
      }
    }
  },
};
