// Checks `dangjian serve` in headless Chromium (called by site-checks.sh): the open page
// reloads by itself after a narrative is saved, a broken record shows the error overlay
// (file, line, message) over the last good page, and the fix reloads the page without it.
// Usage: node serve-check.js URL PROJECT_ROOT SCREENSHOT_DIR
// URL: the served site (http://127.0.0.1:PORT/); PROJECT_ROOT: the project it serves (a
// copy: this script edits it and puts the files back).
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [url, rootArg, shotsArg] = process.argv.slice(2);
if (!url || !rootArg || !shotsArg) { console.error('usage: node serve-check.js URL PROJECT_ROOT SCREENSHOT_DIR'); process.exit(2); }
const root = path.resolve(rootArg);
const shots = path.resolve(shotsArg);
fs.mkdirSync(shots, { recursive: true });
let failures = 0;
const fail = (msg) => { failures++; console.log('FAIL ' + msg); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A branch of the latest year with a narrative.
const latest = fs.readdirSync(path.join(root, 'content')).filter((d) => /^\d{4}$/.test(d)).sort().pop();
function findNarrative(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { const f = findNarrative(p); if (f) return f; }
    else if (e.name.endsWith('.md') && fs.existsSync(p.replace(/\.md$/, '.yaml'))) return p;
  }
  return null;
}
const narrative = findNarrative(path.join(root, 'content', latest));
const record = narrative.replace(/\.md$/, '.yaml');
const id = path.basename(record, '.yaml');
const pageUrl = new URL(`${latest}/branch/${encodeURIComponent(id)}.html`, url).href;

async function main() {
  const exe = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
  const browser = await puppeteer.launch({
    executablePath: exe, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const md = fs.readFileSync(narrative, 'utf8');
  const yaml = fs.readFileSync(record, 'utf8');
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pageUrl, { waitUntil: 'load' });
    // The script is in the page and its event stream is open.
    await page.waitForFunction(() => !!document.querySelector('script[src="/__dangjian/livereload.js"]'), { timeout: 10000 });
    await sleep(500);

    // (1) A narrative saved: the page reloads by itself and shows it.
    const marker = '浏览器预览检查：自动刷新。';
    // A mark on the old document: a reload makes a new one without it. (The page's `load`
    // event can come after the new text is already there, so it cannot tell.)
    await page.evaluate(() => { window.__dangjianOldDocument = true; });
    const saved = Date.now();
    fs.writeFileSync(narrative, md + '\n\n' + marker + '\n');
    try {
      await page.waitForFunction((m) => document.body.innerText.includes(m), { timeout: 30000 }, marker);
      const reloaded = await page.evaluate(() => window.__dangjianOldDocument !== true);
      console.log(`reloaded by itself ${Date.now() - saved} ms after the save (new document: ${reloaded})`);
      if (!reloaded) fail('the page changed without a reload');
    } catch (e) { fail('the page did not reload after the narrative was saved'); }
    await page.screenshot({ path: path.join(shots, 'serve-reloaded.png') });

    // (2) A broken record: the overlay names the file and line; the page stays.
    fs.writeFileSync(record, yaml.replace(/^members: /m, 'members: -'));
    try {
      await page.waitForSelector('#dangjian-errors', { timeout: 30000 });
      const text = await page.$eval('#dangjian-errors', (e) => e.innerText);
      const rel = path.relative(root, record).split(path.sep).join('/');
      if (!new RegExp(rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ':\\d+:\\d+: error:').test(text)) fail('the overlay lacks the located error: ' + text);
      if (!(await page.evaluate((m) => document.body.innerText.includes(m), marker))) fail('the last good page is gone');
      console.log('overlay: ' + text.split('\n').slice(0, 3).join(' | '));
    } catch (e) { fail('no error overlay after a broken save'); }
    await page.screenshot({ path: path.join(shots, 'serve-error-overlay.png') });

    // (3) Fixed: the page reloads and the overlay is gone.
    fs.writeFileSync(record, yaml);
    try {
      await page.waitForFunction(() => !document.querySelector('#dangjian-errors'), { timeout: 30000 });
      await page.waitForFunction(() => document.readyState === 'complete', { timeout: 30000 });
    } catch (e) { fail('the overlay stayed after the fix'); }
    await sleep(300);
    await page.screenshot({ path: path.join(shots, 'serve-fixed.png') });
    problems.forEach((p) => fail(p));
  } finally {
    fs.writeFileSync(narrative, md);
    fs.writeFileSync(record, yaml);
    await browser.close();
  }
  if (failures) { console.log(`${failures} serve check(s) failed`); process.exit(1); }
  console.log('serve: reload, error overlay and recovery work in Chromium');
}
main().catch((e) => { console.error(e); process.exit(1); });
