// plainlyWellFormed lets parse.ts skip fast-xml-parser's validator on plainly well-formed text.
// That is safe only if "plainly well-formed" implies "the validator accepts it": checked here on
// one input per error the validator can report (each must be refused by the fast scan, so the
// validator still runs and the problem lands where it always did) and on thousands of mutated
// exports (whatever the scan accepts, the validator must accept too).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { parseTaskSequence } from '../../server/src/model/parse';
import { plainlyWellFormed, type ScanFacts } from '../../server/src/model/wellFormed';
import { shortenLongText } from '../../server/src/model/longText';
import { markers, spanOf } from './helpers/markers';

const valid = (text: string): boolean => XMLValidator.validate(text, { allowBooleanAttributes: false }) === true;

/**
 * One input per error message of XMLValidator (fast-xml-parser 5, src/validator.js), with the
 * place parse.ts reports it marked `⟦p|⟧`. The validator's message must match `msg`, so a new
 * parser version that changes its errors shows up here.
 */
const ERRORS: { name: string; text: string; msg: RegExp }[] = [
  { name: 'space after <', text: '<sequence><⟦p|⟧ step/></sequence>', msg: /Invalid space after '<'/ },
  { name: 'invalid tag name', text: '<sequence><1step⟦p|⟧/></sequence>', msg: /is an invalid name/ },
  { name: 'open quote', text: '<sequence><step⟦p|⟧ name="a/></sequence>', msg: /have open quote/ },
  { name: 'closing tag without >', text: '<sequence><step>⟦p|⟧</step', msg: /doesn't have proper closing/ },
  { name: 'closing tag with attributes', text: '<sequence><step>⟦p|⟧</step x="1"></sequence>', msg: /can't have attributes/ },
  { name: 'closing tag never opened', text: '<sequence></sequence>⟦p|⟧</step>', msg: /has not been opened/ },
  { name: 'mismatched closing tag', text: '<sequence><step>⟦p|⟧</stepp></sequence>', msg: /Expected closing tag 'step'/ },
  { name: 'no space before attribute', text: '<sequence><step a="1"⟦p|⟧b="2"/></sequence>', msg: /has no space in starting/ },
  { name: 'attribute without value', text: '<sequence><step ⟦p|⟧a= /></sequence>', msg: /is without value/ },
  { name: 'boolean attribute', text: '<sequence><step ⟦p|⟧disabled/></sequence>', msg: /boolean attribute/ },
  { name: 'invalid attribute name', text: '<sequence><step ⟦p|⟧1a="x"/></sequence>', msg: /Attribute '1a' is an invalid name/ },
  { name: 'repeated attribute', text: '<sequence><step a="1" ⟦p|⟧a="2"/></sequence>', msg: /is repeated/ },
  { name: 'two roots', text: '<sequence></sequence><sequence⟦p|⟧></sequence>', msg: /Multiple possible root nodes/ },
  { name: 'bare &', text: '<sequence><step><action>a ⟦p|⟧& b</action></step></sequence>', msg: /char '&' is not expected/ },
  { name: 'bad character reference', text: '<sequence><step><action>a ⟦p|⟧&#xZ; b</action></step></sequence>', msg: /char '&' is not expected/ },
  { name: 'text after the root', text: '<sequence></sequence>\n⟦p|⟧junk', msg: /Extra text at the end/ },
  { name: 'text before the root', text: '⟦p|⟧junk<sequence></sequence>', msg: /char 'j' is not expected/ },
  { name: 'no element at all', text: '⟦p|⟧<!-- nothing -->', msg: /Start tag expected/ },
  { name: 'one unclosed tag', text: '⟦p|⟧<sequence>', msg: /Unclosed tag 'sequence'/ },
  { name: 'several unclosed tags', text: '<sequence>⟦p|⟧<group>', msg: /Invalid '\[.*\]' found/ },
  { name: 'declaration not at the start', text: '\n⟦p|⟧<?xml version="1.0"?><sequence/>', msg: /XML declaration allowed only at the start/ },
];

describe('plainlyWellFormed never vouches for text the validator rejects', () => {
  for (const e of ERRORS) {
    test(`${e.name}: refused, so the validator runs and reports it where it always did`, () => {
      const m = markers(e.text);
      const r = XMLValidator.validate(m.text, { allowBooleanAttributes: false });
      assert.notEqual(r, true, 'the validator must reject this input');
      if (r !== true) assert.match(r.err.msg, e.msg);
      assert.equal(plainlyWellFormed(m.text), false);
      const problems = parseTaskSequence(m.text).problems;
      assert.ok(problems.some((p) => p.span.start === m.spans.p.start), `no problem at ${m.spans.p.start}: ${JSON.stringify(problems)}`);
    });
  }

  test('conservative: what it does not know (PIs, non-ASCII names, DOCTYPE) goes to the validator, which decides', () => {
    const cases = [
      '<?xml version="1.0"?><?pi data?><sequence/>',
      '<sequence><étape/></sequence>',
      '<!DOCTYPE sequence><sequence/>',
      '<sequence><step><action>&#X41;</action></step></sequence>',
      // The validator misses a declaration inside an element; the scan refuses it all the same.
      '<sequence><?xml version="1.0"?></sequence>',
    ];
    for (const text of cases) {
      assert.equal(plainlyWellFormed(text), false, text);
      assert.doesNotThrow(() => parseTaskSequence(text));
    }
  });

  test('mutated exports: whatever it accepts, the validator accepts', () => {
    const dir = join(__dirname, '..', 'fixtures', 'model');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => markers(readFileSync(join(dir, f), 'utf8')).text);
    const pieces = ['<', '>', '/', '"', "'", '&', '&amp;', '&#x41;', '&#;', '&bogus;', '<!--', '-->', '<![CDATA[', ']]>', '<?xml ?>',
      '<?pi x?>', ' ', '\n', '=', 'a', '<x>', '</x>', '<x/>', '</step>', '\ufeff', 'é', ':', '-', ' a="1"', " b='2'", '<1>'];
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let accepted = 0;
    for (let k = 0; k < 4000; k++) {
      let s = sources[k % sources.length];
      for (let j = 1 + Math.floor(rnd() * 2); j > 0; j--) {
        const at = Math.floor(rnd() * s.length);
        const op = rnd();
        if (op < 0.5) s = s.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + s.slice(at);
        else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3));
        else s = s.slice(0, at) + s.slice(at, at + 2).split('').reverse().join('') + s.slice(at + 2);
      }
      if (!plainlyWellFormed(s)) continue;
      accepted++;
      assert.ok(valid(s), `accepted, but the validator rejects: ${JSON.stringify(s)}`);
    }
    // The property means something only if many mutants are accepted.
    assert.ok(accepted > 500, `only ${accepted} mutants accepted`);
  });

  test('it does vouch for ordinary exports, so the validator is skipped on them', () => {
    const dir = join(__dirname, '..', 'fixtures', 'model');
    for (const f of ['cm-bare.xml', 'mdt-ts.xml', 'package-export.xml', 'object.xml']) {
      const text = markers(readFileSync(join(dir, f), 'utf8')).text;
      assert.equal(plainlyWellFormed(text), valid(text), f);
      assert.equal(plainlyWellFormed(text), true, f);
    }
    assert.equal(plainlyWellFormed('\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<!-- c -->\r\n<sequence a=\'1\' b = "2"><x><![CDATA[<&>]]>&amp;&#65;&#x41;</x><y/></sequence>\r\n<!-- after -->\r\n'), true);
  });
});

describe('the same pass measures the longest text run (issue 20: one pass, not three)', () => {
  /** Every .xml under the fixtures, as written (markers left in: they are text). */
  const fixtures = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? fixtures(join(dir, e.name)) : e.name.endsWith('.xml') ? [join(dir, e.name)] : []);
  const markup = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(?:[^>"']|"[^"]*"|'[^']*')*>/g;
  /** Independently: the longest stretch between two pieces of markup. */
  const widest = (text: string): number => Math.max(0, ...text.replace(markup, (m) => '\0'.repeat(m.length)).split(/\0+/).map((r) => r.length));

  test('on every fixture the scan vouches for, it is the longest stretch between markup', () => {
    let files = 0;
    for (const file of fixtures(join(__dirname, '..', 'fixtures'))) {
      const text = readFileSync(file, 'utf8');
      const facts: ScanFacts = { widestText: -1 };
      if (!plainlyWellFormed(text, facts)) continue;
      files++;
      assert.equal(facts.widestText, widest(text), file);
    }
    assert.ok(files > 100, `only ${files} fixtures compared`);
  });

  test('a long text is measured, and the long-text cut trusts the measure both ways', () => {
    const long = 'x'.repeat(70_000);
    const text = `<sequence><step name="a &amp; b"><action>${long} &lt; y</action></step>${'<step/>'.repeat(10)}</sequence>`;
    const facts: ScanFacts = { widestText: -1 };
    assert.equal(plainlyWellFormed(text, facts), true);
    assert.equal(facts.widestText, long.length + 7);
    assert.ok(shortenLongText(text, facts.widestText));
    assert.equal(shortenLongText(`<sequence>${'<step name="s"/>\n'.repeat(5000)}</sequence>`, 1), undefined);
    // The model is the same as ever: the action's text read back whole from the source.
    assert.equal(parseTaskSequence(text).model.steps[0].action?.text, `${long} < y`);
  });
});

describe('characters XML forbids', () => {
  // XML 1.0 §2.2 Char: no C0 control but tab, LF and CR; no U+FFFE, U+FFFF; no lone surrogate.
  const cases: { where: string; text: string }[] = [
    { where: 'attribute value', text: '<sequence><step name="A⟦p|\u0001⟧B"/></sequence>' },
    { where: 'text', text: '<sequence><step><action>cmd ⟦p|\u000B⟧</action></step></sequence>' },
    { where: 'text (NUL)', text: '<sequence><step><action>a⟦p|\u0000⟧</action></step></sequence>' },
    { where: 'comment', text: '<sequence><!-- x⟦p|\u001E⟧ --><step/></sequence>' },
    { where: 'CDATA', text: '<sequence><step><action><![CDATA[x⟦p|\uFFFE⟧]]></action></step></sequence>' },
    { where: 'lone surrogate', text: '<sequence><step name="⟦p|\uD800⟧x"/></sequence>' },
  ];
  for (const c of cases) {
    test(`in ${c.where}: an xml-syntax error at its position`, () => {
      const m = markers(c.text);
      const { problems } = parseTaskSequence(m.text);
      const at = problems.filter((p) => /is not allowed in an XML document/.test(p.message));
      assert.equal(at.length, 1, JSON.stringify(problems));
      assert.equal(at[0].code, 'xml-syntax');
      assert.deepEqual(at[0].span, spanOf(m, 'p'));
    });
  }

  test('tab, LF, CR, a surrogate pair and U+FFFD are allowed', () => {
    const { problems } = parseTaskSequence('<sequence>\r\n\t<step name="\uD83D\uDE00 \uFFFD"/>\n</sequence>');
    assert.deepEqual(problems, []);
  });

  test('each one is reported, in order', () => {
    const { problems } = parseTaskSequence('<sequence><step name="\u0001\u0002"/>\u0003</sequence>');
    assert.deepEqual(problems.map((p) => p.span.start), [22, 23, 27]);
  });
});
