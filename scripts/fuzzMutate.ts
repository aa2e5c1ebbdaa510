// Mutations for the fuzzer (scripts/fuzz.ts) and the hostile-input tests: a seeded PRNG and the
// ways a task sequence export or a site description gets broken — byte flips, truncation, spans
// deleted or duplicated, markup injected (tags, quotes, entities, CDATA, comments, DOCTYPEs),
// nesting bursts, attribute blow-ups and encoding swaps. Pure: bytes and a PRNG in, bytes out.

/** sfc32, seeded through splitmix32: small, fast and the same on every platform. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seeds: number[]) {
    let h = 0x9e3779b9;
    const mix = (): number => {
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      for (const s of seeds) z = Math.imul(z ^ (s | 0), 0x85ebca6b) ^ (z >>> 13);
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** Small values much more often than large ones (log-uniform in [1, max]). */
  size(max: number): number {
    return Math.max(1, Math.floor(Math.exp(this.next() * Math.log(max))));
  }
}

export type SourceKind = 'xml' | 'json';

export interface Mutated {
  bytes: Uint8Array;
  /** What was done, for the failure report ("truncate@123, inject-tag@40"). */
  steps: string[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Markup that breaks or confuses an export when dropped anywhere. */
const XML_FRAGMENTS = [
  '<', '>', '/>', '</', '</step>', '</group>', '</sequence>', '<sequence>', '<sequence version="3.10">',
  '<group name="g">', '<group name="g" disable="true">', '<step>', '<step type="SMS_TaskSequence_RunCommandLineAction" name="x">',
  '<step type="SMS_TaskSequence_RebootAction" name="Restart"/>', '<step type="BDD_Gather" name="Gather">', '<step type="Nope_Action">',
  '<subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run">', '<action>', '</action>', '<defaultVarList>',
  '<variable name="CommandLine" property="CommandLine">', '<variable name="OSDSubTasksequencePackageID" property="TsPackageID">ABC00001</variable>',
  '</variable>', '<condition>', '</condition>', '<operator type="and">', '<operator type="xor">', '</operator>',
  '<expression type="SMS_TaskSequence_VariableConditionExpression">', '<expression type="SMS_TaskSequence_WMIConditionExpression">',
  '<variable name="Operator">equals</variable>', '<variable name="Query">SELECT * FROM Win32_BIOS</variable>', '</expression>',
  '<referenceList>', '<reference package="ABC00001"/>', '<reference application="ScopeId_1/Application_2"/>', '</referenceList>',
  '<globalVarList>', '<SmsTaskSequencePackage>', '<SequenceData>', '<INSTANCE CLASSNAME="SMS_TaskSequencePackage">',
  '<PROPERTY NAME="Sequence"><VALUE><![CDATA[', ']]></VALUE></PROPERTY>', '<BootImageID>ABC00002</BootImageID>',
  '<!--', '-->', '<!-- c -->', '<!-- cmts-disable-next-line unknown-step-type -->', '<!-- cmts-disable xml-syntax, not-a-rule -->',
  '<![CDATA[', ']]>', '<![CDATA[<step>]]>', '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>', '<?pi data?>', '<?',
  '<!DOCTYPE sequence>', '<!DOCTYPE s [<!ENTITY a "&b;&b;"><!ENTITY b "x">]>', '<!DOCTYPE s SYSTEM "file:///etc/passwd">',
  '<!ENTITY x SYSTEM "file:///etc/passwd">', ']>', '[', '&', '&amp;', '&lt;', '&#x0;', '&#xD800;', '&#1114112;', '&#65;', '&#x41;',
  '&lol;', '&a;', '&amp', '&#', '"', "'", '=', '=""', ' a="1"', ' a=', ' type=', ' name="', ' disable="true"', ' continueOnError="true"',
  ' runIn="WinPE"', ' xmlns:x="urn:x"', ' x:y="z"', '\u0000', '\u0001', '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '\uFEFF', '\r', '\n',
  '\r\n', '\t', '\u2028', '\u00e9', '\u{1F600}', '%SCRIPTROOT%', 'smsswd.exe /run:ABC00001 cmd.exe',
];

const JSON_FRAGMENTS = [
  '{', '}', '[', ']', ',', ':', '"', '\\', '\\u', '\\uD800', 'null', 'true', '-0', '1e999', '0x1', 'NaN', '// c\n', '/* c */',
  '"packageId": "ABC00001"', '"packageId": 5', '"site": {}', '"site": []', '"taskSequences": [{"packageId": "ABC00001", "file": "a.xml"}]',
  '"file": "../../../../etc/passwd"', '"file": "/dev/zero"', '"file": "\\u0000"', '"distributionPoints": ["DP01"]', '"__proto__": {}',
  '"constructor": 1', '"bootImages": null', '"version": "2309"', '"product": "ConfigMgr CB"', '"product": "ConfigMgr 2007"', '\u0000',
  '\uFEFF', '\uD800', '\u{1F600}', '"a":1,"a":2',
];

/** Values an attribute or variable gets when it is replaced. */
const VALUES = [
  '', ' ', 'true', 'false', '0', '-1', '3.10', '99999999999999999999', 'ABC00001', 'abc00001', 'XYZ99999', '*', 'WinPE', 'FullOS',
  'SMS_TaskSequence_RunCommandLineAction', 'SMS_TaskSequence_ApplyOperatingSystemAction', 'SMS_TaskSequence_SubTasksequence',
  'BDD_Gather', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '%OSDisk%', '&amp;&lt;', '\u00e9\u{1F600}', '\\\\server\\share',
  'ScopeId_1/Application_2', '{00000000-0000-0000-0000-000000000000}',
];

/** Elements nested in a burst. */
const NESTERS = ['<group name="g">', '<group>', '<step type="X">', '<condition>', '<operator type="and">', '<sequence>', '<a>', '<INSTANCE>'];

type Mutation = (text: string, rng: Rng, kind: SourceKind) => { text: string; what: string };

function at(text: string, rng: Rng): number {
  return rng.int(text.length + 1);
}

/** A random span [start, end) of up to `max` characters (log-uniform length). */
function span(text: string, rng: Rng, max = 400): [number, number] {
  const start = rng.int(text.length + 1);
  const end = Math.min(text.length, start + rng.size(Math.max(1, max)));
  return [start, end];
}

/** Offsets just after `<` of start tags, or of attribute value quotes, found in the text. */
function find(text: string, re: RegExp, limit = 5000): number[] {
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m && out.length < limit; m = re.exec(text)) {
    out.push(m.index);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function blob(rng: Rng, length: number): string {
  switch (rng.int(7)) {
    case 0: return 'A'.repeat(length);
    case 1: return '&'.repeat(length);
    case 2: return '&amp;'.repeat(Math.ceil(length / 5));
    case 3: return '<'.repeat(length);
    case 4: return ' '.repeat(length);
    case 5: return '\u00e9\u{1F600}'.repeat(Math.ceil(length / 3));
    default: {
      let s = '';
      while (s.length < length) s += rng.pick(VALUES) + rng.pick([' ', '', '&', '"', '<', '%']);
      return s;
    }
  }
}

const TEXT_MUTATIONS: Record<string, Mutation> = {
  truncate(text, rng) {
    const n = at(text, rng);
    return { text: text.slice(0, n), what: `truncate@${n}` };
  },
  'delete-span'(text, rng) {
    const [s, e] = span(text, rng);
    return { text: text.slice(0, s) + text.slice(e), what: `delete@${s}+${e - s}` };
  },
  'duplicate-span'(text, rng) {
    const [s, e] = span(text, rng, 2000);
    const to = at(text, rng);
    const times = rng.chance(0.1) ? rng.size(50) : 1;
    return { text: text.slice(0, to) + text.slice(s, e).repeat(times) + text.slice(to), what: `dup@${s}+${e - s}x${times}->${to}` };
  },
  'move-span'(text, rng) {
    const [s, e] = span(text, rng, 2000);
    const rest = text.slice(0, s) + text.slice(e);
    const to = rng.int(rest.length + 1);
    return { text: rest.slice(0, to) + text.slice(s, e) + rest.slice(to), what: `move@${s}+${e - s}->${to}` };
  },
  'inject-fragment'(text, rng, kind) {
    const frag = rng.pick(kind === 'json' ? JSON_FRAGMENTS : XML_FRAGMENTS);
    const n = at(text, rng);
    return { text: text.slice(0, n) + frag + text.slice(n), what: `inject@${n}:${JSON.stringify(frag).slice(0, 40)}` };
  },
  'inject-at-tag'(text, rng, kind) {
    // Markup right where markup is: inside or next to an existing tag.
    const tags = find(text, /<[^!?]/g);
    if (!tags.length) return TEXT_MUTATIONS['inject-fragment'](text, rng, kind);
    const n = rng.pick(tags) + rng.int(12);
    const frag = rng.pick(kind === 'json' ? JSON_FRAGMENTS : XML_FRAGMENTS);
    return { text: text.slice(0, n) + frag + text.slice(n), what: `inject-tag@${n}:${JSON.stringify(frag).slice(0, 40)}` };
  },
  'quote-flip'(text, rng) {
    const quotes = find(text, /["']/g);
    if (!quotes.length) return { text: text + '"', what: 'quote-append' };
    const n = rng.pick(quotes);
    const r = rng.pick(['', '"', "'", '""', '>', '&quot;']);
    return { text: text.slice(0, n) + r + text.slice(n + 1), what: `quote@${n}:${JSON.stringify(r)}` };
  },
  'wrap-cdata-or-comment'(text, rng) {
    const [s, e] = span(text, rng, 800);
    const [o, c] = rng.pick([['<![CDATA[', ']]>'], ['<!--', '-->'], ['<![CDATA[', ''], ['<!--', ''], ['', ']]>'], ['', '-->']]);
    return { text: text.slice(0, s) + o + text.slice(s, e) + c + text.slice(e), what: `wrap@${s}+${e - s}:${o}${c}` };
  },
  'nesting-burst'(text, rng, kind) {
    const n = at(text, rng);
    const depth = rng.size(kind === 'json' ? 20000 : 3000);
    if (kind === 'json') {
      const open = rng.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      return { text: text.slice(0, n) + open.repeat(depth) + (rng.chance(0.5) ? close.repeat(depth) : '') + text.slice(n), what: `nest@${n}x${depth}` };
    }
    const tag = rng.pick(NESTERS);
    const name = /^<([\w.]+)/.exec(tag)![1];
    const closes = rng.chance(0.5) ? `</${name}>`.repeat(rng.chance(0.5) ? depth : rng.int(depth)) : '';
    return { text: text.slice(0, n) + tag.repeat(depth) + closes + text.slice(n), what: `nest@${n}:${tag}x${depth}` };
  },
  'attribute-blowup'(text, rng, kind) {
    const length = rng.size(rng.chance(0.1) ? 1_000_000 : 50_000);
    const values = find(text, kind === 'json' ? /"(?=[^"]*")/g : /="/g);
    const b = blob(rng, length);
    if (!values.length) {
      const n = at(text, rng);
      return { text: text.slice(0, n) + b + text.slice(n), what: `blob@${n}x${length}` };
    }
    const n = rng.pick(values) + (kind === 'json' ? 1 : 2);
    const end = text.indexOf('"', n);
    const cut = end < 0 ? n : rng.chance(0.5) ? end : n;
    // JSON strings must stay strings: no raw quotes or control characters inside.
    const value = kind === 'json' ? b.replace(/["\\]/g, 'x') : b.replace(/"/g, '&quot;');
    return { text: text.slice(0, n) + value + text.slice(cut), what: `blowup@${n}x${length}` };
  },
  'many-attributes'(text, rng) {
    const tags = find(text, /<[A-Za-z]/g);
    const n = tags.length ? rng.pick(tags) + 2 : 0;
    const count = rng.size(20000);
    let attrs = '';
    for (let i = 0; i < count; i++) attrs += rng.chance(0.3) ? ' a="v"' : ` a${i}="v"`;
    return { text: text.slice(0, n) + attrs + ' ' + text.slice(n), what: `attrs@${n}x${count}` };
  },
  'replace-value'(text, rng) {
    const values = find(text, /"[^"<>\n]{0,200}"|>[^<>\n]{1,200}</g);
    if (!values.length) return TEXT_MUTATIONS['inject-fragment'](text, rng, 'xml');
    const n = rng.pick(values);
    const close = text.indexOf(text[n] === '>' ? '<' : '"', n + 1);
    const v = rng.pick(VALUES);
    return { text: text.slice(0, n + 1) + v + text.slice(close), what: `value@${n}:${JSON.stringify(v)}` };
  },
  'rename-element'(text, rng) {
    const names = find(text, /<\/?[A-Za-z][\w.]*/g);
    if (!names.length) return { text, what: 'rename-none' };
    const n = rng.pick(names);
    const m = /^<\/?([\w.]+)/.exec(text.slice(n, n + 100))!;
    const to = rng.pick(['sequence', 'group', 'step', 'subtasksequence', 'condition', 'operator', 'expression', 'variable', 'action', 'x', 'Step', '']);
    const start = n + m[0].length - m[1].length;
    return { text: text.slice(0, start) + to + text.slice(start + m[1].length), what: `rename@${n}:${m[1]}->${to}` };
  },
  'line-endings'(text, rng) {
    const to = rng.pick(['\n', '\r\n', '\r', '\u2028', '']);
    return { text: text.replace(/\r\n|\r|\n/g, to), what: `eol:${JSON.stringify(to)}` };
  },
  'splice-binary'(text, rng) {
    const n = at(text, rng);
    let junk = '';
    const len = rng.size(2000);
    for (let i = 0; i < len; i++) junk += String.fromCharCode(rng.int(0x10000));
    return { text: text.slice(0, n) + junk + text.slice(n), what: `junk@${n}x${len}` };
  },
};

type ByteMutation = (bytes: Uint8Array, rng: Rng) => { bytes: Uint8Array; what: string };

const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  'byte-flip'(bytes, rng) {
    const out = Uint8Array.from(bytes);
    const n = rng.size(16);
    for (let i = 0; i < n && out.length; i++) {
      const k = rng.int(out.length);
      out[k] = rng.chance(0.5) ? out[k] ^ (1 << rng.int(8)) : rng.int(256);
    }
    return { bytes: out, what: `flip x${n}` };
  },
  'invalid-utf8'(bytes, rng) {
    const k = rng.int(bytes.length + 1);
    const bad = rng.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0xc0, 0xaf], [0xe2, 0x82], [0x80]]);
    return { bytes: concat(bytes.subarray(0, k), Uint8Array.from(bad), bytes.subarray(k)), what: `bad-utf8@${k}` };
  },
  'encoding-swap'(bytes, rng) {
    const text = dec.decode(bytes);
    const mode = rng.pick(['utf16le-bom', 'utf16le', 'utf16be-bom', 'utf16be', 'utf8-bom', 'latin1', 'utf16le-odd', 'bom-only', 'double-bom']);
    let out: Uint8Array;
    switch (mode) {
      case 'utf16le-bom': out = concat(Uint8Array.of(0xff, 0xfe), utf16(text, false)); break;
      case 'utf16le': out = utf16(text, false); break;
      case 'utf16be-bom': out = concat(Uint8Array.of(0xfe, 0xff), utf16(text, true)); break;
      case 'utf16be': out = utf16(text, true); break;
      case 'utf8-bom': out = concat(Uint8Array.of(0xef, 0xbb, 0xbf), bytes); break;
      case 'latin1': out = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff); break;
      case 'utf16le-odd': out = concat(Uint8Array.of(0xff, 0xfe), utf16(text, false), Uint8Array.of(0x41)); break;
      case 'bom-only': out = Uint8Array.of(0xff, 0xfe); break;
      default: out = concat(Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf), bytes);
    }
    return { bytes: out, what: `encoding:${mode}` };
  },
  'binary-junk'(bytes, rng) {
    const len = rng.size(64 * 1024);
    const junk = new Uint8Array(len);
    for (let i = 0; i < len; i++) junk[i] = rng.int(256);
    return { bytes: rng.chance(0.5) ? junk : concat(bytes.subarray(0, rng.int(bytes.length + 1)), junk), what: `binary x${len}` };
  },
};

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[2 * i + (bigEndian ? 1 : 0)] = u & 0xff;
    out[2 * i + (bigEndian ? 0 : 1)] = u >>> 8;
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const MUTATION_NAMES = [...Object.keys(TEXT_MUTATIONS), ...Object.keys(BYTE_MUTATIONS)];

/**
 * One to four mutations of `source`. Text mutations come first, byte mutations (which may leave
 * the text undecodable) last, so every combination is reachable.
 */
export function mutate(source: Uint8Array, kind: SourceKind, rng: Rng): Mutated {
  const steps: string[] = [];
  let text = dec.decode(source);
  const count = rng.range(1, 4);
  const names = Array.from({ length: count }, () => rng.pick(MUTATION_NAMES));
  names.sort((a, b) => Number(a in BYTE_MUTATIONS) - Number(b in BYTE_MUTATIONS));
  let bytes: Uint8Array | undefined;
  for (const name of names) {
    const t = TEXT_MUTATIONS[name];
    if (t) {
      const r = t(text, rng, kind);
      text = r.text;
      steps.push(`${name}(${r.what})`);
      continue;
    }
    const r = BYTE_MUTATIONS[name](bytes ?? enc.encode(text), rng);
    bytes = r.bytes;
    steps.push(`${name}(${r.what})`);
  }
  return { bytes: bytes ?? enc.encode(text), steps };
}
