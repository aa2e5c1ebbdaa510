// VS Code (code-server) driven by Playwright in Debian's Chromium, with the packaged extension
// installed: the task sequence gets its language, inlay hints number its steps as smsts.log does, the Problems panel lists the expected
// diagnostics with their codes (a closed file's too), hover shows a step's docs, completion
// inside type=" lists step types, the outline lists the groups, the unknown-step-type quick fix
// applies and the diagnostic clears, a state-store fix picked from the lightbulb inserts Request State Store and its diagnostic clears, editing the site description in
// the editor re-checks the open sequence, Format Document restores the console layout, F2 renames a
// variable, a rule link opens the rendered rule, the walkthrough opens, and the
// create-site-description command works; Preview Documentation opens the sequence's page beside it
// and follows a save, and Compare With… (another file, through the file dialog; then git's HEAD) opens the semantic
// diff whose step links reveal the step; a smsts.log opened beside its sequence is attached on
// request, its failure lands in the Problems panel and the hints show each step's outcome and duration.
// Expectations come from test/e2e/plan.ts (E2E_* variables). Every wait is bounded; a failed
// check leaves a screenshot in OUT_DIR. Prints "N passed, N failed"; exit 1 on any failure.
// Env: CS_URL, WS (the workspace copy code-server opened), OUT_DIR, E2E_*.
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const BASE = process.env.CS_URL;
const WS = process.env.WS;
const OUT = process.env.OUT_DIR;
const E = (k) => {
  const v = process.env[`E2E_${k}`];
  if (v === undefined) throw new Error(`E2E_${k} is not set`);
  return v;
};
const TYPO_FILE = E('TYPO_FILE');
const TYPO_BASE = path.basename(TYPO_FILE);
const FIX_TYPE = E('FIX_TITLE').replace(/^Change to /, '');
fs.mkdirSync(OUT, { recursive: true });
/** The sequence as it was before the tests edited it: the old side of the compare view. */
const ORIGINAL = fs.readFileSync(path.join(WS, TYPO_FILE), 'utf8');

const results = [];
let page;
let t = Date.now();
async function step(name, fn) {
  const start = Date.now();
  let ok = false;
  let detail = '';
  try {
    detail = (await fn()) || '';
    ok = true;
  } catch (e) {
    detail = String(e && e.message ? e.message : e).split('\n')[0].slice(0, 300);
    const shot = path.join(OUT, `fail-${results.length + 1}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    detail += ` [screenshot ${shot}]`;
  }
  results.push({ name, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name} (${Date.now() - start} ms)${detail ? ' -- ' + String(detail).replace(/\s+/g, ' ').slice(0, 240) : ''}`);
  t = Date.now();
  return ok;
}

/** Polls `fn` until it returns a truthy value, for at most `ms`. */
async function until(what, fn, ms = 20000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn().catch((e) => { last = e; return undefined; });
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await page.waitForTimeout(100);
  }
}

const editorLines = () => page.locator('.editor-instance .monaco-editor .view-lines');

/** Opens a workspace file with Quick Open (Ctrl+P); the first search of a fresh window can be slow, so it retries. */
async function quickOpen(rel) {
  const base = path.basename(rel);
  await until(`Quick Open lists ${rel}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await input.fill(rel);
    // Click the row itself: Enter could pick a stale first row while results still come in.
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first();
    await row.waitFor({ state: 'visible', timeout: 5000 });
    await row.click();
    return true;
  }, 90000);
  // .first(): a preview beside the editor has an active tab too, named after the file.
  await page.locator('.tabs-container .tab.active', { hasText: base }).first().waitFor({ timeout: 15000 });
}

/** A problem row's source and code as the Problems panel renders them ("cmts(code)" or "cmts code"). */
const hasCode = (text, code) => new RegExp(`cmts\\W{0,3}${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text);

/** Go to Line from the keyboard, in the focused editor (no click: a breadcrumb hover can cover the editor's corner). */
async function goToKeys(line, col) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10000 });
}

async function goTo(line, col) {
  await editorLines().click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10000 });
}

/** The Problems panel's text with a filter typed in (the panel is virtualised: filtering keeps rows few). */
async function problems(filter) {
  const input = page.locator('input[aria-label="Filter Problems"]');
  if (!(await input.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  if ((await input.inputValue()) !== filter) await input.fill(filter);
  return (await page.locator('.markers-panel').innerText()).replace(/\s+/g, ' ');
}

/** The text of the webview (any frame) whose body holds `needle`, with its frame. */
async function webview(needle) {
  for (const f of page.frames()) {
    const text = await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
    if (text.includes(needle) && f !== page.mainFrame()) return { frame: f, text };
  }
  return undefined;
}

/** Runs a command from the palette (F1) by its title. */
async function palette(title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^cmts: /, '') }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
}

function positionOf(rel, needle) {
  const text = fs.readFileSync(path.join(WS, rel), 'utf8');
  const before = text.slice(0, text.indexOf(needle)).split(/\r\n|\r|\n/);
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

(async () => {
  const t0 = Date.now();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cmts-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = ctx.pages()[0] || (await ctx.newPage());
  page.setDefaultTimeout(20000);
  try {
    await step('workbench and explorer loaded', async () => {
      await page.goto(`${BASE}/?folder=${encodeURIComponent(WS)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    });

    await step(`opening ${TYPO_BASE} gives it the Task Sequence XML language`, async () => {
      await quickOpen(TYPO_FILE);
      await editorLines().filter({ hasText: '<' }).waitFor({ timeout: 15000 });
      await page.locator('[id="status.editor.mode"]', { hasText: 'Task Sequence XML' }).waitFor({ timeout: 45000 });
      return 'status bar: Task Sequence XML';
    });

    await step('inlay hints show each step\'s smsts.log instruction number and run context', async () => {
      // The first item of a sequence is instruction 0 (docs/smsts-log.md); every hint names a context.
      const hint = /#\d+ · (Windows PE|full OS|either|never runs)/;
      const text = await until('inlay hints in the editor', async () => {
        const t = (await editorLines().innerText()).replace(/\s+/g, ' ');
        return /#0 · /.test(t) && hint.test(t) ? t : undefined;
      }, 30000);
      await page.screenshot({ path: path.join(OUT, 'step-numbers.png') });
      return text.match(hint)[0];
    });

    await step('the language status names the site description', async () => {
      const site = path.dirname(path.dirname(TYPO_FILE));
      let seen = '';
      return until('language status with the site', async () => {
        await page.locator('[id="status.languageStatus"]').click();
        const hover = page.locator('.monaco-hover, .context-view').filter({ hasText: 'Site' });
        await hover.first().waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined);
        seen = (await page.locator('.monaco-hover, .context-view').allInnerTexts()).join(' ').replace(/\s+/g, ' ');
        await page.keyboard.press('Escape');
        return seen.includes(`Site: ${site}/configmgr-site.json`) ? seen.slice(0, 120) : undefined;
      }).catch((e) => {
        throw new Error(`${e.message}; the language status showed: ${seen.slice(0, 200)}`);
      });
    });

    const expected = E('TYPO_DIAGS').split(';').filter(Boolean).map((s) => {
      const [rule, pos] = s.split('@');
      const [line, col] = pos.split(':');
      return { rule, line, col };
    });
    await step(`the Problems panel lists ${TYPO_BASE}'s ${expected.length} diagnostics with their codes`, async () => {
      for (const d of expected) {
        await until(`${d.rule} at ${d.line}:${d.col}`, async () => {
          const text = await problems(`${d.rule}, **/${TYPO_BASE}`);
          return text.includes(TYPO_BASE) && hasCode(text, d.rule) && text.includes(`[Ln ${d.line}, Col ${d.col}]`);
        }, 30000);
      }
      return expected.map((d) => d.rule).join(', ');
    });

    await step(`a diagnostic of the closed file ${path.basename(E('CLOSED_FILE'))} is listed`, async () => {
      const base = path.basename(E('CLOSED_FILE'));
      const text = await until('closed file row', async () => {
        const x = await problems(`${E('CLOSED_CODE')}, **/${base}`);
        return x.includes(base) && hasCode(x, E('CLOSED_CODE')) && x.includes(`[${E('CLOSED_POS')}]`) ? x : undefined;
      }, 30000);
      const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
      if (tabs.some((x) => x.includes(base))) throw new Error(`${base} is open in a tab`);
      return text.slice(0, 160);
    });

    await step(`hover on a step shows "${E('HOVER_EXPECT')}"`, async () => {
      const p = positionOf(TYPO_FILE, E('HOVER_NEEDLE'));
      await goTo(p.line, p.col + 3);
      return until('hover', async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const hover = page.locator('.monaco-hover', { hasText: E('HOVER_EXPECT') }).first();
        await hover.waitFor({ state: 'visible', timeout: 3000 });
        const text = (await hover.innerText()).replace(/\s+/g, ' ');
        if (!/Documentation/.test(text)) return undefined;
        await page.screenshot({ path: path.join(OUT, 'hover.png') });
        return text.slice(0, 140);
      });
    });
    await page.keyboard.press('Escape');

    await step('completion inside type=" lists the step types with their display names', async () => {
      const p = positionOf(TYPO_FILE, `type="${E('HOVER_NEEDLE')}"`);
      await goTo(p.line, p.col + 'type="'.length);
      const row = page.locator('.suggest-widget .monaco-list-row', { hasText: /SMS_TaskSequence_\w+Action/ });
      await until('suggestions', async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Space');
        await row.first().waitFor({ state: 'visible', timeout: 3000 });
        return true;
      });
      await page.screenshot({ path: path.join(OUT, 'completion.png') });
      // The focused row shows its display name next to the class (cut short on screen, whole in the DOM).
      const names = JSON.parse(E('STEP_NAMES'));
      const focused = (await page.locator('.suggest-widget .monaco-list-row.focused').first().innerText()).replace(/\s+/g, ' ');
      const type = Object.keys(names).find((k) => focused.includes(k));
      const n = await row.count();
      await page.keyboard.press('Escape');
      if (n < 5) throw new Error(`only ${n} step types listed`);
      if (!type || !focused.includes(names[type])) throw new Error(`focused row "${focused}" shows no display name`);
      return `${n} step types visible; focused: ${focused.slice(0, 120)}`;
    });

    await step(`the outline shows the group "${E('OUTLINE_GROUP')}" and its step "${E('OUTLINE_STEP')}"`, async () => {
      const header = page.locator('.pane-header', { hasText: /^\s*Outline/ }).first();
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      const rows = page.locator('.outline-pane .monaco-list-row, .pane-body .monaco-list-row[aria-label]');
      await until('outline rows', async () => {
        const texts = (await page.locator('.outline-pane').allInnerTexts()).join(' ').replace(/\s+/g, ' ');
        return texts.includes(E('OUTLINE_GROUP')) && texts.includes(E('OUTLINE_STEP'));
      }, 20000);
      await page.screenshot({ path: path.join(OUT, 'outline.png') });
      await header.click();
      return `${await rows.count()} rows`;
    });

    let applied = false;
    await step(`quick fix "${E('FIX_TITLE')}" offered with Ctrl+.`, async () => {
      await goTo(E('TYPO_LINE'), Number(E('TYPO_COL')) + 3);
      const item = page.locator('.action-widget .monaco-list-row', { hasText: E('FIX_TITLE') }).first();
      await until('quick fix menu', async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+.');
        await item.waitFor({ state: 'visible', timeout: 3000 });
        return true;
      });
      await page.screenshot({ path: path.join(OUT, 'quickfix.png') });
      await item.click();
      applied = true;
    });

    await step('the fix is applied, saved, and its diagnostic clears', async () => {
      if (!applied) throw new Error('no quick fix was applied');
      await editorLines().filter({ hasText: `"${FIX_TYPE}"` }).waitFor({ timeout: 10000 });
      await page.keyboard.press('Control+S');
      const file = path.join(WS, TYPO_FILE);
      await until('saved to disk', async () => !fs.readFileSync(file, 'utf8').includes(E('TYPO_TEXT')), 10000);
      await until('unknown-step-type gone from the Problems panel', async () => {
        const text = await problems(`unknown-step-type, **/${TYPO_BASE}`);
        return !text.includes(E('TYPO_TEXT'));
      }, 20000);
      await page.screenshot({ path: path.join(OUT, 'fixed.png') });
    });

    const siteRel = `${path.dirname(path.dirname(TYPO_FILE))}/configmgr-site.json`;
    await step('editing the site description in the editor re-checks the open sequence (no-site-description appears)', async () => {
      await quickOpen(siteRel);
      await editorLines().filter({ hasText: '"site"' }).waitFor({ timeout: 10000 });
      await editorLines().click({ position: { x: 5, y: 5 } });
      // Replaced by `null`: an unusable site description, so the sequence is checked without one.
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.type('null');
      await page.keyboard.press('Control+S');
      await until('site file saved', async () => fs.readFileSync(path.join(WS, siteRel), 'utf8').trim() === 'null', 10000);
      await until('no-site-description on the open sequence', async () => {
        const text = await problems(`no-site-description, **/${TYPO_BASE}`);
        return text.includes(TYPO_BASE) && hasCode(text, 'no-site-description');
      }, 20000);
    });

    await step('undoing the edit re-checks it again (no-site-description disappears)', async () => {
      await editorLines().click({ position: { x: 5, y: 5 } });
      // Typing and deleting are separate undo steps: undo until the original is back.
      await until('site file restored', async () => {
        await page.keyboard.press('Control+Z');
        await page.keyboard.press('Control+S');
        await page.waitForTimeout(200);
        return fs.readFileSync(path.join(WS, siteRel), 'utf8').includes('"site"');
      }, 15000);
      await until('no-site-description gone', async () => {
        const text = await problems(`no-site-description, **/${TYPO_BASE}`);
        return !hasCode(text, 'no-site-description');
      }, 20000);
    });

    // A step inserted by a quick fix, picked from the lightbulb (not Ctrl+.): the Problems panel clears.
    const refresh = 'cm2007-sp1/sequences/vista-refresh.xml';
    const storeFix = 'Insert Request State Store (capture) before this step';
    let inserted = false;
    await step(`state-store quick fix "${storeFix}" applied through the lightbulb`, async () => {
      await quickOpen(refresh);
      await until('state-store-request listed', async () => {
        const text = await problems(`state-store-request, **/${path.basename(refresh)}`);
        return text.includes(path.basename(refresh)) && hasCode(text, 'state-store-request');
      }, 30000);
      const p = positionOf(refresh, 'name="Capture User State"');
      await goTo(p.line, p.col + 8);
      const item = page.locator('.action-widget .monaco-list-row', { hasText: storeFix }).first();
      await until('lightbulb menu', async () => {
        await page.keyboard.press('Escape');
        const bulb = page.locator('.lightBulbWidget').first();
        await bulb.waitFor({ state: 'visible', timeout: 3000 });
        await bulb.click();
        await item.waitFor({ state: 'visible', timeout: 3000 });
        return true;
      });
      await page.screenshot({ path: path.join(OUT, 'lightbulb.png') });
      await item.click();
      inserted = true;
    });

    await step('the inserted Request State Store is saved and state-store-request leaves the Problems panel', async () => {
      if (!inserted) throw new Error('the state-store fix was not applied');
      await editorLines().filter({ hasText: 'osdsmpclient.exe /capture' }).waitFor({ timeout: 10000 });
      await page.keyboard.press('Control+S');
      await until('saved to disk', async () => fs.readFileSync(path.join(WS, refresh), 'utf8').includes('<action>osdsmpclient.exe /capture</action>'), 10000);
      await until('state-store-request gone', async () => {
        const text = await problems(`state-store-request, **/${path.basename(refresh)}`);
        return !hasCode(text, 'state-store-request');
      }, 20000);
      await page.screenshot({ path: path.join(OUT, 'state-store-fixed.png') });
    });

    // The editing features (issue 19) on a small sequence of their own.
    const ring = 'zz-editing/ring.xml';
    const ringFile = path.join(WS, ring);
    await step('Format Document puts a hand-indented line back in the console layout', async () => {
      const original = fs.readFileSync(ringFile, 'utf8');
      await quickOpen(ring);
      await page.locator('[id="status.editor.mode"]', { hasText: 'Task Sequence XML' }).waitFor({ timeout: 45000 });
      // From the keyboard (Quick Open left the editor focused): a click on the editor's corner
      // timed out once in CI under the tooltip of the tab the pointer had stopped on.
      await goToKeys(3, 1);
      await page.keyboard.type('      ');
      await page.keyboard.press('Control+S');
      await until('the extra indentation saved', async () => fs.readFileSync(ringFile, 'utf8') !== original, 10000);
      await until('formatted back to the original', async () => {
        // From the command palette: the key (Ctrl+Shift+I on Linux, Shift+Alt+F elsewhere) varies.
        await page.keyboard.press('Escape');
        await page.keyboard.press('F1');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
        await page.keyboard.type('Format Document');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Format Document' }).first().click();
        await page.waitForTimeout(500);
        await page.keyboard.press('Control+S');
        await page.waitForTimeout(200);
        return fs.readFileSync(ringFile, 'utf8') === original;
      }, 20000);
      await page.screenshot({ path: path.join(OUT, 'format.png') });
    });

    await step('F2 renames a variable everywhere in the sequence', async () => {
      const p = positionOf(ring, '%Ring%');
      await goToKeys(p.line, p.col + 2);
      await until('rename box', async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('F2');
        await page.locator('.rename-box input').waitFor({ state: 'visible', timeout: 3000 });
        return true;
      });
      await page.locator('.rename-box input').fill('DeployRing');
      await page.keyboard.press('Enter');
      await until('renamed and saved', async () => {
        await page.keyboard.press('Control+S');
        const text = fs.readFileSync(ringFile, 'utf8');
        return (text.match(/DeployRing/g) || []).length === 3 && !/[>%]Ring[<%]/.test(text);
      }, 15000);
      await page.screenshot({ path: path.join(OUT, 'rename.png') });
      return '3 places';
    });

    await step('a rule link in the Problems panel opens that rule, rendered', async () => {
      await until('no-site-description listed with its link', async () => {
        const text = await problems(`no-site-description, **/ring.xml`);
        return text.includes('ring.xml') && hasCode(text, 'no-site-description');
      }, 30000);
      const link = page.locator('.markers-panel .monaco-list-row a, .markers-panel .monaco-list-row .monaco-link', { hasText: 'no-site-description' }).first();
      await link.click();
      await page.locator('.tabs-container .tab', { hasText: 'cmts: no-site-description' }).waitFor({ timeout: 15000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(OUT, 'rule.png') });
      return 'tab "cmts: no-site-description"';
    });

    await step('the getting-started walkthrough opens with its four steps', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
      await page.keyboard.type('Open Walkthrough');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Walkthrough' }).first().click();
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with cmts' }).first();
      await row.waitFor({ timeout: 10000 });
      await row.click();
      for (const title of ['Open a task sequence', 'Create or import the site description', 'Read a finding', 'Apply a fix']) {
        await page.locator('.gettingStartedContainer', { hasText: title }).first().waitFor({ timeout: 15000 });
      }
      await page.screenshot({ path: path.join(OUT, 'walkthrough.png') });
    });

    await step('"cmts: Create Site Description" writes and opens configmgr-site.json', async () => {
      await quickOpen(TYPO_FILE);
      const target = path.join(WS, 'configmgr-site.json');
      if (fs.existsSync(target)) throw new Error('the workspace root already has a configmgr-site.json');
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
      await page.keyboard.type('cmts: Create Site Description');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Create Site Description' }).first().waitFor({ timeout: 10000 });
      await page.keyboard.press('Enter');
      // site init writes only what the sequences say: the site code and the content they name (issue 14).
      await until('file written', async () => fs.existsSync(target) && fs.readFileSync(target, 'utf8').includes('"packageId"'), 15000);
      await page.locator('.tabs-container .tab.active', { hasText: 'configmgr-site.json' }).waitFor({ timeout: 10000 });
      const n = (fs.readFileSync(target, 'utf8').match(/"packageId":/g) || []).length;
      return `${n} content entries listed`;
    });
    // The outline's name carries the step's number ("1. Partition Disk 0"); the file has the name alone.
    const stepName = E('OUTLINE_STEP').replace(/^\d+\. /, '');
    const renamed = `Renamed ${stepName}`;
    let previewed = false;
    await step('"cmts: Preview Documentation" opens the page beside the editor', async () => {
      await quickOpen(TYPO_FILE);
      await palette('cmts: Preview Documentation');
      const found = await until(`the preview webview (of ${page.frames().length} frames)`, () => webview(stepName), 30000);
      if (!/Steps/.test(found.text)) throw new Error(`the preview shows no step list: ${found.text.slice(0, 160)}`);
      await page.locator('.tabs-container .tab', { hasText: `Preview ${TYPO_BASE}` }).first().waitFor({ timeout: 10000 });
      await page.screenshot({ path: path.join(OUT, 'doc-preview.png') });
      previewed = true;
      return found.text.split('\n')[0].slice(0, 100);
    });

    await step('the preview follows a save (a renamed step shows)', async () => {
      if (!previewed) throw new Error('no preview is open');
      const p = positionOf(TYPO_FILE, `name="${stepName}"`);
      await quickOpen(TYPO_FILE);
      await goToKeys(p.line, p.col + 'name="'.length);
      await page.keyboard.type('Renamed ');
      await page.keyboard.press('Control+S');
      await until('saved to disk', async () => fs.readFileSync(path.join(WS, TYPO_FILE), 'utf8').includes(`name="${renamed}`), 10000);
      const found = await until('the renamed step in the preview', () => webview(renamed), 20000);
      await page.screenshot({ path: path.join(OUT, 'doc-preview-saved.png') });
      return `${found.text.length} characters of page`;
    });

    let compared;
    await step('"cmts: Compare With…" another file opens the semantic diff', async () => {
      const oldFile = path.join(WS, path.dirname(TYPO_FILE), 'compare-old.xml');
      fs.writeFileSync(oldFile, ORIGINAL);
      await quickOpen(TYPO_FILE);
      await palette('cmts: Compare With…');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Another File' }).first().click({ timeout: 10000 });
      // code-server's own file dialog: a quick input holding a path.
      const input = page.locator('.quick-input-widget input');
      await until('the file dialog', async () => (await input.inputValue()).startsWith('/'), 10000);
      // The dialog puts its folder back in the input when its listing arrives (later when git
      // decorates the explorer): type the path until it stays.
      let kept = 0;
      await until('the path kept in the file dialog', async () => {
        if ((await input.inputValue()) !== oldFile) {
          kept = 0;
          await input.fill(oldFile);
        } else kept++;
        await page.waitForTimeout(300);
        return kept >= 2;
      }, 15000);
      await page.keyboard.press('Enter');
      compared = await until('the compare webview', () => webview('Task sequence changes'), 30000);
      if (!compared.text.includes(renamed) || !/renamed/.test(compared.text)) throw new Error(`the rename is not listed: ${compared.text.slice(0, 300)}`);
      await page.screenshot({ path: path.join(OUT, 'compare.png') });
      return compared.text.replace(/\s+/g, ' ').slice(0, 140);
    });

    await step('a step link in the compare view reveals the step in the editor', async () => {
      if (!compared) throw new Error('no compare view');
      const p = positionOf(TYPO_FILE, `name="${renamed}"`);
      await quickOpen(TYPO_FILE);
      await goToKeys(1, 1);
      const status = page.locator('[id="status.editor.selection"]');
      await until('the cursor on line 1', async () => (await status.innerText()).includes('Ln 1,'), 10000);
      const link = compared.frame.locator('a', { hasText: renamed }).first();
      await link.click({ timeout: 10000 });
      await until(`the cursor on line ${p.line}`, async () => (await status.innerText()).includes(`Ln ${p.line},`), 15000);
      return (await status.innerText()).trim();
    });

    await step('"cmts: Compare With…" the version in git HEAD (the workspace is a repository) lists the rename', async () => {
      await quickOpen(TYPO_FILE);
      await palette('cmts: Compare With…');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Version in Git HEAD' }).first().click({ timeout: 10000 });
      const head = await until('the compare webview against HEAD', () => webview('(HEAD)'), 30000);
      if (!head.text.includes(renamed) || !/renamed/.test(head.text)) throw new Error(`the rename is not listed: ${head.text.slice(0, 300)}`);
      await page.screenshot({ path: path.join(OUT, 'compare-head.png') });
      return head.text.replace(/\s+/g, ' ').slice(0, 140);
    });

    // smsts.log against the sequence (issue 18): the log fixtures' sequence and a failed run, copied
    // in now (no earlier step sees them); opening the log while the sequence is active offers to attach it.
    const LOG_DIR = 'zz-log';
    fs.mkdirSync(path.join(WS, LOG_DIR), { recursive: true });
    const LOG_FIXTURES = path.join(__dirname, '..', 'fixtures', 'log');
    for (const f of ['deploy.xml', 'child.xml', 'configmgr-site.json']) fs.copyFileSync(path.join(LOG_FIXTURES, f), path.join(WS, LOG_DIR, f));
    fs.copyFileSync(path.join(LOG_FIXTURES, 'failed.log'), path.join(WS, LOG_DIR, 'smsts.log'));
    let attached = false;
    await step('a smsts.log opened while its sequence is active: "Attach Log" is offered and the failed step is a problem (source smsts.log)', async () => {
      await quickOpen(`${LOG_DIR}/deploy.xml`);
      await until('the step labels in deploy.xml', async () => /#11 · full OS/.test((await editorLines().innerText()).replace(/\s+/g, ' ')), 30000);
      await quickOpen(`${LOG_DIR}/smsts.log`);
      const attach = page.locator('.notifications-toasts .monaco-button', { hasText: 'Attach Log' }).first();
      await attach.waitFor({ state: 'visible', timeout: 20000 });
      await attach.click();
      attached = true;
      const text = await until('the failure in the Problems panel', async () => {
        const t = await problems('Step 11 failed');
        return /Step 11 failed in this run \(smsts\.log:21\)/.test(t) && /smsts\.log\W{0,3}1603/.test(t) ? t : undefined;
      }, 30000);
      await page.keyboard.press('Escape');
      return text.match(/Step 11 failed[^(]*\([^)]*\)[^.]*/)[0];
    });

    await step('with the log attached, the hints give each step\'s outcome and duration', async () => {
      if (!attached) throw new Error('no log attached');
      await quickOpen(`${LOG_DIR}/deploy.xml`);
      const text = await until('durations in the hints', async () => {
        const t = (await editorLines().innerText()).replace(/\s+/g, ' ');
        return t.includes('#6 · Windows PE · 30s') && t.includes('#11 · full OS · failed 2m 00s') ? t : undefined;
      }, 30000);
      await page.screenshot({ path: path.join(OUT, 'smsts-log.png') });
      return text.match(/#11 · full OS · failed 2m 00s/)[0];
    });
  } catch (e) {
    results.push({ name: 'unexpected error', ok: false });
    console.log(`FAIL unexpected error -- ${String(e).slice(0, 400)}`);
    await page.screenshot({ path: path.join(OUT, 'fail-unexpected.png') }).catch(() => undefined);
  } finally {
    await ctx.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`total ${Date.now() - t0} ms`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
