// Checks a built dangjian site in headless Chromium, from file:// (called by site-checks.sh).
// Links and anchors are checked by one checker only, tests/site_build.rs (`broken_links`),
// on the bundled example's site and the golden fixture's.
// Usage: node site-check.js SITE_DIR SCREENSHOT_DIR
// - axe-core on the home, an organisation, a branch and the indicator page: no serious or
//   critical violation;
// - screenshots of those pages at 1280×900 and 375 px wide (full page too);
// - no console error, no page error, no request leaving file://;
// - no horizontal overflow at 375 px;
// - a search for a Chinese branch name, typed with the keyboard, returns that branch.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg || !shotsArg) { console.error('usage: node site-check.js SITE_DIR SCREENSHOT_DIR'); process.exit(2); }
const site = path.resolve(siteArg);
const shots = path.resolve(shotsArg);
fs.mkdirSync(shots, { recursive: true });
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let failures = 0;
const fail = (msg) => { failures++; console.log('FAIL ' + msg); };

// The page in screen-sized parts (readable, unlike one very tall image): NAME-WIDTH-partN.png.
async function chunks(page, name, width, height) {
  const total = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0, i = 1; y < total && i <= 40; y += height, i++) {
    await page.screenshot({ path: path.join(shots, `${name}-${width}-part${i}.png`), clip: { x: 0, y, width, height: Math.min(height, total - y) }, captureBeyondViewport: true });
  }
}

async function browserChecks() {
  const latest = fs.readdirSync(site).filter((d) => /^\d{4}$/.test(d)).sort().pop();
  const first = (dir) => fs.readdirSync(path.join(site, latest, dir)).filter((f) => f.endsWith('.html')).sort()[0];
  const targets = [
    ['home', 'index.html'],
    ['org', `${latest}/org/${first('org')}`],
    ['branch', `${latest}/branch/${first('branch')}`],
    ['indicators', `${latest}/indicators.html`],
    ['rulebook', `${latest}/rulebook.html`],
  ];
  const exe = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
  const browser = await puppeteer.launch({
    executablePath: exe, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const [name, rel] of targets) {
      const url = 'file://' + path.join(site, rel).split(path.sep).map(encodeURIComponent).join('/').replace(/^file:\/\/%2F/, 'file:///');
      const page = await browser.newPage();
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
      page.on('pageerror', (e) => problems.push('page error: ' + e.message));
      page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));
      page.on('request', (r) => { const u = r.url(); if (!u.startsWith('file://') && !u.startsWith('data:')) problems.push('external request: ' + u); });
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(url, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(shots, `${name}-1280x900.png`) });
      await page.screenshot({ path: path.join(shots, `${name}-1280-full.png`), fullPage: true });
      await chunks(page, name, 1280, 900);

      await page.evaluate(axeSource);
      const res = await page.evaluate(() => axe.run(document, { preload: false, runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] }));
      for (const v of res.violations) console.log(`  axe ${name} ${v.impact}: ${v.id} — ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      console.log(`axe ${name}: ${res.violations.length} violations, ${bad.length} serious/critical`);
      if (bad.length) fail(`axe: ${bad.length} serious/critical violations on ${rel}`);

      if (name === 'home') {
        // The index is loaded when the search is first used, not with every page.
        if (await page.evaluate(() => window.DANGJIAN_SEARCH !== undefined)) fail('the search index is loaded before the search is used');
        // Search for a Chinese branch name, with the keyboard only.
        await page.keyboard.press('/');
        const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
        if (focused !== 'search-input') fail(`"/" focuses ${focused}, not the search box`);
        await page.waitForFunction(() => window.DANGJIAN_SEARCH !== undefined, { timeout: 5000 }).catch(() => {});
        const doc = await page.evaluate(() => (window.DANGJIAN_SEARCH ? window.DANGJIAN_SEARCH.docs.filter((d) => d.k === 'branch' && /[\u4e00-\u9fff]/.test(d.t)).pop() : null));
        if (!doc) fail('focusing the search box does not load an index with a Chinese branch name');
        else {
          await page.keyboard.type(doc.t);
          await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0, { timeout: 3000 }).catch(() => {});
          const hrefs = await page.$$eval('#search-results a', (as) => as.map((a) => a.getAttribute('href')));
          await page.screenshot({ path: path.join(shots, 'search-1280x900.png') });
          const want = await page.evaluate((u) => document.documentElement.getAttribute('data-root') + u, doc.u);
          console.log(`search "${doc.t}": ${hrefs.length} results, first ${hrefs[0]}`);
          if (!hrefs.includes(want)) fail(`search for "${doc.t}" does not return ${want}`);
          await page.keyboard.press('ArrowDown');
          const act = await page.evaluate(() => document.activeElement.getAttribute('href'));
          if (!act) fail('ArrowDown does not move focus to a search result');
          await page.keyboard.press('Escape');
        }
      }

      await page.setViewport({ width: 375, height: 800 });
      await page.goto(url, { waitUntil: 'load' });
      await page.screenshot({ path: path.join(shots, `${name}-375x800.png`) });
      await page.screenshot({ path: path.join(shots, `${name}-375-full.png`), fullPage: true });
      await chunks(page, name, 375, 800);
      const sw = await page.evaluate(() => document.documentElement.scrollWidth);
      console.log(`${name}: 375 px wide page is ${sw} px wide`);
      if (sw > 375) fail(`${rel} overflows a 375 px screen (${sw} px)`);
      await page.emulateMediaType('print');
      await page.screenshot({ path: path.join(shots, `${name}-print.png`), fullPage: true });

      for (const p of problems) fail(`${rel}: ${p}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

(async () => {
  await browserChecks();
  console.log(failures ? `site checks: ${failures} failures` : 'site checks: all passed');
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
