// A step's or group's condition in plain words, for hover: "runs only when `_SMSTSInWinPE` equals
// `true` and the WMI query … returns something". The engine and-s the top-level operands, `not`
// means "none of", operator names are compared without regard to case (exports write Equals,
// notequals …). Classes cmts does not know are still listed with their parameters.

import type { ConditionNode, ConditionExpression } from '../model/types';
import { code, listWords, shorten } from './markdown';

const COMPARE_WORDS: Record<string, string> = {
  equals: 'equals',
  notequals: 'does not equal',
  greater: 'is greater than',
  greaterequal: 'is at least',
  less: 'is less than',
  lessequal: 'is at most',
};

function param(e: ConditionExpression, name: string): string | undefined {
  const l = name.toLowerCase();
  return e.parameters.find((p) => p.name.toLowerCase() === l)?.value;
}

/** `Value` as a code span, or "(empty)" when nothing is written. */
function val(v: string | undefined, max = 80): string {
  return v === undefined || v.trim() === '' ? '(empty)' : code(shorten(v.trim(), max));
}

/** "equals `x`", "does not exist" … for an operator as written; undefined for an unknown one. */
function comparison(op: string | undefined, value: string | undefined): string | undefined {
  const o = (op ?? '').trim().toLowerCase();
  if (o === 'exists') return 'exists';
  if (o === 'notexists' || o === 'nonexists') return 'does not exist';
  const w = COMPARE_WORDS[o];
  return w ? `${w} ${val(value)}` : undefined;
}

/** One expression in words, as a clause that can follow "when". */
export function expressionWords(e: ConditionExpression): string {
  switch (e.type) {
    case 'SMS_TaskSequence_VariableConditionExpression': {
      const name = val(param(e, 'Variable'));
      const cmp = comparison(param(e, 'Operator'), param(e, 'Value'));
      return cmp ? `${name} ${cmp}` : `${name} ${val(param(e, 'Operator'))} ${val(param(e, 'Value'))} (unknown operator)`;
    }
    case 'SMS_TaskSequence_WMIConditionExpression': {
      const ns = (param(e, 'Namespace') ?? '').trim();
      const where = ns === '' || ns.toLowerCase() === 'root\\cimv2' ? '' : ` in ${code(ns)}`;
      return `the WMI query ${val(param(e, 'Query'), 120)}${where} returns something`;
    }
    case 'SMS_TaskSequence_FileConditionExpression':
    case 'SMS_TaskSequence_FolderConditionExpression': {
      const what = e.type === 'SMS_TaskSequence_FileConditionExpression' ? 'file' : 'folder';
      const parts = [`the ${what} ${val(param(e, 'Path'))} exists`];
      const version = param(e, 'Version');
      if (version !== undefined && version.trim() !== '') parts.push(`its version ${comparison(param(e, 'VersionOperator'), version) ?? `is compared with ${val(version)}`}`);
      const date = param(e, 'DateTime');
      if (date !== undefined && date.trim() !== '') parts.push(`its date ${comparison(param(e, 'DateTimeOperator'), date) ?? `is compared with ${val(date)}`}`);
      return listWords(parts);
    }
    case 'SMS_TaskSequence_RegistryConditionExpression': {
      const key = (param(e, 'KeyPath') ?? '').trim();
      const value = (param(e, 'Value') ?? '').trim();
      const target = value === '' ? `the registry key ${val(key)}` : `the registry value ${val(`${key}\\${value}`)}`;
      const cmp = comparison(param(e, 'Operator'), param(e, 'Data'));
      return cmp ? `${target} ${cmp}` : `${target} is tested with ${val(param(e, 'Operator'))}`;
    }
    case 'SMS_TaskSequence_SoftwareConditionExpression': {
      const name = (param(e, 'ProductName') ?? '').trim();
      const any = (param(e, 'Operator') ?? '').trim().toLowerCase() === 'anyversion';
      const id = any ? `upgrade code ${val(param(e, 'UpgradeCode'))}` : `product code ${val(param(e, 'ProductCode'))}`;
      return `${any ? 'any version of ' : ''}${name ? code(name) : 'the product'} (${id}) is installed`;
    }
    case 'SMS_TaskSequence_OSConditionExpression': {
      const cmp = comparison(param(e, 'Operator'), param(e, 'Version')) ?? `is compared with ${val(param(e, 'Version'))}`;
      return `the OS is ${val(param(e, 'Architecture'))} and its version ${cmp}`;
    }
    default: {
      const params = e.parameters.map((p) => `${p.name} ${val(p.value, 40)}`);
      return `the ${code(e.type || '(no type)')} condition holds${params.length ? ` (${params.join(', ')})` : ''}`;
    }
  }
}

/** Operands read out per operator; a generated condition with hundreds of them would make a hover unreadable. */
const MAX_OPERANDS = 12;

function operandWords(nodes: readonly ConditionNode[]): string[] {
  const parts = nodes.slice(0, MAX_OPERANDS).map((c) => nodeWords(c, true));
  if (nodes.length > MAX_OPERANDS) parts.push(`${nodes.length - MAX_OPERANDS} more`);
  return parts;
}

/** A node in words; `nested` wraps a combination in brackets so "a and (b or c)" reads right. */
export function nodeWords(n: ConditionNode, nested = false): string {
  if (n.kind === 'expression') return expressionWords(n);
  const parts = operandWords(n.children);
  const type = n.type.trim().toLowerCase();
  if (parts.length === 0) return `an empty ${code(n.type)} (cmts cannot tell whether it holds)`;
  let words: string;
  if (type === 'not') words = parts.length === 1 ? `not (${parts[0]})` : `none of (${parts.join('; ')})`;
  else if (type === 'and' || type === 'or') {
    if (parts.length === 1) return parts[0];
    words = parts.join(` ${type} `);
  } else words = `${code(n.type)} of (${parts.join('; ')}) (unknown operator)`;
  return nested && type !== 'not' ? `(${words})` : words;
}

/** The whole condition (top-level operands and-ed) as a clause; undefined when there is none. */
export function conditionWords(nodes: readonly ConditionNode[] | undefined): string | undefined {
  if (!nodes || nodes.length === 0) return undefined;
  if (nodes.length === 1) return nodeWords(nodes[0]);
  return operandWords(nodes).join(' and ');
}
