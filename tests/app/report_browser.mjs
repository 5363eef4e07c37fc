// `sesim report` pages in a real browser: Debian's Chromium, headless, driven by playwright-core
// (report/package-lock.json; scripts/setup runs npm ci). Called by report_browser.sh with
//   node report_browser.mjs PLAYWRIGHT_DIR WORK_DIR
// where WORK_DIR holds report-en.html, report-nl.html and compare.csv (`sesim compare --csv`
// of the same file). Checks, for both languages:
//   - the page loads from file:// with no console message of level warning or error, no page
//     error, and no request but the page itself (every request is intercepted);
//   - every number of the summary table equals the CSV of `sesim compare` as text (all 17
//     digits), every CSV row is in the table, and the shown text is that number rounded;
//   - choosing another policy, outcome or region redraws the charts with other content;
//   - opening the page takes under 2 s of the renderer's main-thread CPU, and the charts are
//     drawn within 10 s of wall-clock time (scripts/bench-report measures the large case);
//   - a screenshot of the fan chart is not blank (pixel variance), and printing gives a PDF
//     without the chart controls.
import fs from 'node:fs';
import path from 'node:path';

const [playwrightDir, work] = process.argv.slice(2);
const { chromium } = await import(path.resolve(playwrightDir, 'index.mjs'));

let failures = 0;
function check(ok, what) {
  if (!ok) {
    failures += 1;
    console.error('FAIL: ' + what);
  }
}

// RFC 4180 CSV as `sesim compare --csv` writes it.
function parseCsv(text) {
  const rows = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = [''];
    let quoted = false;
    for (let i = 0; i < line.length; ++i) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { fields[fields.length - 1] += '"'; ++i; }
        else if (c === '"') quoted = false;
        else fields[fields.length - 1] += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') fields.push('');
      else fields[fields.length - 1] += c;
    }
    rows.push(fields);
  }
  const header = rows.shift();
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

// The number a table cell shows, read back: "+EUR 1,22 mln" -> 1220000 (nl), "1,341" -> 1341.
function readShown(text, lang) {
  let t = text.trim().replace('EUR ', '');
  let scale = 1;
  const suffixes = lang === 'nl' ? [[' mld', 1e9], [' mln', 1e6]] : [['bn', 1e9], ['m', 1e6], ['k', 1e3]];
  for (const [s, f] of suffixes) if (t.endsWith(s)) { t = t.slice(0, -s.length); scale = f; break; }
  t = lang === 'nl' ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  return Number(t) * scale;
}

const launchArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const userData = fs.mkdtempSync(path.join(work, 'chromium-profile-'));
const context = await chromium.launchPersistentContext(userData, {
  executablePath: '/usr/bin/chromium', headless: true, args: launchArgs,
  viewport: { width: 1200, height: 900 },
});

const csv = parseCsv(fs.readFileSync(path.join(work, 'compare.csv'), 'utf8'));
const scenarioCount = () => new Set(csv.map((r) => r.scenario)).size;

async function openPage(url, html) {
  const page = await context.newPage();
  const messages = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => messages.push('page error: ' + e.message));
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    if (route.request().url() === url) return route.continue();
    return route.abort();
  });
  // CPU time of the renderer's main thread from here to the charts drawn (Chrome's
  // "ThreadTime" metric): the cost of opening the page, which other work on the machine
  // does not inflate as it does the wall-clock time.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (html === undefined) await page.goto(url);
  else await page.setContent(html);
  await page.waitForSelector('html[data-ready="1"]', { timeout: 30000 });
  const readyMs = Number(await page.getAttribute('html', 'data-ready-ms'));
  const { metrics } = await cdp.send('Performance.getMetrics');
  const cpuMs = 1000 * metrics.find((m) => m.name === 'ThreadTime').value;
  return { page, messages, requests, readyMs, cpuMs };
}

// The fan chart's SVG after it is drawn for `key`.
async function fanSvg(page, key) {
  await page.waitForSelector(`#fan-chart[data-rendered="${key}"] svg`, { timeout: 10000 });
  return page.$eval('#fan-chart svg', (svg) => svg.outerHTML);
}

// Pixel variance of a PNG, computed by the page itself on a canvas.
async function pixelVariance(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let sum = 0, sq = 0, n = 0;
    for (let i = 0; i < d.length; i += 4) {
      const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      sum += y; sq += y * y; ++n;
    }
    const mean = sum / n;
    return sq / n - mean * mean;
  }, png.toString('base64'));
}

for (const lang of ['en', 'nl']) {
  const file = path.join(work, `report-${lang}.html`);
  const url = 'file://' + file;
  const { page, messages, requests, readyMs, cpuMs } = await openPage(url);
  check(messages.length === 0, `${lang}: console messages: ${messages.join(' | ')}`);
  check(requests.length === 1 && requests[0] === url, `${lang}: requests other than the page: ${requests.join(', ')}`);
  // Wall-clock time grows with whatever else the machine runs, so only a gross regression
  // fails on it; the 2 s of issue 11 is checked on the main-thread CPU time. The large case
  // (200 x 10 x 240) is scripts/bench-report (docs/performance.md).
  check(readyMs < 10000, `${lang}: ready after ${readyMs.toFixed(0)} ms, more than 10 s`);
  check(cpuMs < 2000, `${lang}: opening took ${cpuMs.toFixed(0)} ms of main-thread CPU, more than 2 s`);
  console.log(`${lang}: charts drawn ${readyMs.toFixed(0)} ms after navigation, ${cpuMs.toFixed(0)} ms main-thread CPU`);
  check(await page.getAttribute('html', 'lang') === lang, `${lang}: <html lang>`);
  const h2 = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent));
  const expected = lang === 'en' ? ['Headlines', 'Summary table', 'Charts', 'Reproducibility']
    : ['Kernpunten', 'Overzichtstabel', 'Grafieken', 'Reproduceerbaarheid'];
  for (const e of expected) check(h2.includes(e), `${lang}: no section '${e}' (have ${h2.join(', ')})`);
  check((await page.textContent('#repro-digest')).trim().length === 64, `${lang}: no data digest`);

  // The summary table against the CSV.
  const cells = await page.$$eval('#summary-table tr[data-output]', (trs) => trs.map((tr) => ({
    key: [tr.dataset.scenario, tr.dataset.output, tr.dataset.date].join('|'),
    fields: Object.fromEntries([...tr.querySelectorAll('[data-field]')].map((td) => [td.dataset.field,
      { value: td.dataset.value, low: td.dataset.low, high: td.dataset.high, text: td.textContent }])),
  })));
  const byKey = new Map(cells.map((c) => [c.key, c]));
  check(cells.length === csv.length, `${lang}: ${cells.length} table rows, ${csv.length} CSV rows`);
  let compared = 0;
  for (const r of csv) {
    const key = [r.scenario, r.output, r.date].join('|');
    const row = byKey.get(key);
    if (!row) { check(false, `${lang}: no table row ${key}`); continue; }
    const f = row.fields;
    if (r.measure === 'ratio') {
      check(f.difference.value === r.difference, `${lang}: ${key} ${f.difference.value} != CSV ${r.difference}`);
      compared += 1;
      continue;
    }
    for (const [field, csvField] of [['baseline_mean', 'baseline_mean'], ['scenario_mean', 'scenario_mean'],
      ['difference', 'difference'], ['relative_change', 'relative_change']]) {
      check(f[field].value === r[csvField], `${lang}: ${key} ${field} ${f[field].value} != CSV ${r[csvField]}`);
      compared += 1;
    }
    check(f.ci.low === r.ci_low && f.ci.high === r.ci_high, `${lang}: ${key} interval ${f.ci.low}..${f.ci.high} != CSV ${r.ci_low}..${r.ci_high}`);
    // The text is the number at three significant digits (or whole from 999.5 on).
    for (const field of ['baseline_mean', 'scenario_mean', 'difference']) {
      const v = Number(r[field]);
      const shown = readShown(f[field].text, lang);
      const tol = 0.0051 * Math.abs(v) + (Math.abs(v) >= 999.5 && r.units !== 'EUR' ? 0.5 : 0) + 1e-12;
      check(Math.abs(shown - v) <= tol, `${lang}: ${key} ${field} shows '${f[field].text}' for ${v}`);
    }
  }
  console.log(`${lang}: ${compared} table numbers equal the CSV`);

  // The English headlines are the sentences `sesim compare` prints (wrapped there).
  if (lang === 'en') {
    const terminal = fs.readFileSync(path.join(work, 'compare.txt'), 'utf8').replace(/\s+/g, ' ');
    const sentences = await page.$$eval('#headlines .sentence', (ps) => ps.map((p) => p.textContent));
    check(sentences.length === scenarioCount(), `en: ${sentences.length} headlines`);
    for (const s of sentences) check(terminal.includes(s.replace(/\s+/g, ' ')), `en: headline not in sesim compare's output: ${s}`);
  }
  // The sensitivity table, largest index first (the Dutch page has the CSV).
  if (lang === 'nl') {
    const params = await page.$$eval('#sensitivity tbody th code', (cs) => cs.map((c) => c.textContent));
    check(params.join(' ') === 'haarlem.accelerator_budget zwolle.municipality.adoption zwolle.population',
      `nl: sensitivity rows ${params.join(' ')}`);
  } else {
    check(await page.isVisible('#sensitivity-absent'), 'en: no note that the sensitivity is absent');
  }
  if (lang === 'nl') check(/\d,\d/.test(await page.textContent('#summary-table')), 'nl: no decimal comma in the table');

  // Choices redraw the charts.
  const scenarios = await page.$$eval('#select-scenario option', (os) => os.map((o) => o.value));
  const output0 = await page.inputValue('#select-output');
  const before = await fanSvg(page, `total|${scenarios[0]}|${output0}`);
  await page.selectOption('#select-scenario', scenarios[1]);
  const after = await fanSvg(page, `total|${scenarios[1]}|${output0}`);
  check(before !== after, `${lang}: choosing policy ${scenarios[1]} did not change the fan chart`);
  const outputs = await page.$$eval('#select-output option', (os) => os.map((o) => o.value));
  const effectsBefore = await page.$eval('#effects-chart svg', (s) => s.outerHTML);
  await page.selectOption('#select-output', outputs[2]);
  await page.waitForSelector(`#effects-chart[data-rendered^="${outputs[2]}|"] svg`);
  check(effectsBefore !== await page.$eval('#effects-chart svg', (s) => s.outerHTML), `${lang}: choosing an outcome did not change the effects chart`);
  const fanOutput = await fanSvg(page, `total|${scenarios[1]}|${outputs[2]}`);
  check(fanOutput !== after, `${lang}: choosing an outcome did not change the fan chart`);
  check((await page.getAttribute('#fan-chart', 'aria-label')).length > 40, `${lang}: fan chart lacks a text alternative`);
  check(await page.isHidden('#region-control'), `${lang}: a region choice with totals only`);

  // Not blank: a blank (white) chart has variance 0; bands, lines and labels give hundreds.
  const shot = await (await page.$('#fan-chart')).screenshot();
  const variance = await pixelVariance(page, shot);
  check(variance > 100, `${lang}: fan chart screenshot variance ${variance.toFixed(1)}, blank?`);
  console.log(`${lang}: fan chart pixel variance ${variance.toFixed(0)}`);

  // Printing: the controls go, the document stays.
  await page.emulateMedia({ media: 'print' });
  check(await page.isHidden('#controls'), `${lang}: chart controls printed`);
  await page.emulateMedia({ media: 'screen' });
  const pdf = await page.pdf({ format: 'A4' });
  check(pdf.subarray(0, 4).toString() === '%PDF' && pdf.length > 20000, `${lang}: printing gave no PDF`);
  await page.close();
}

// Regions: today's files hold totals only, so give the English page a second region (the
// totals halved) the way a file with a region dimension would, and choose it.
{
  const html = fs.readFileSync(path.join(work, 'report-en.html'), 'utf8');
  const m = html.match(/<script type="application\/json" id="sesim-data">([\s\S]*?)<\/script>/);
  const data = JSON.parse(m[1]);
  data.regions = ['total', 'zwolle'];
  data.fan.zwolle = JSON.parse(JSON.stringify(data.fan.total), (k, v) => (typeof v === 'number' ? v / 2 : v));
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const edited = html.replace(m[0], () => `<script type="application/json" id="sesim-data">${json}</script>`);
  const { page, messages, requests } = await openPage('about:blank', edited);
  check(messages.length === 0, `regions: console messages: ${messages.join(' | ')}`);
  check(requests.every((u) => u === 'about:blank'), `regions: requests: ${requests.join(', ')}`);
  check(await page.isVisible('#region-control'), 'regions: no region choice with two regions');
  const policy = await page.inputValue('#select-scenario');
  const output = await page.inputValue('#select-output');
  const total = await fanSvg(page, `total|${policy}|${output}`);
  await page.selectOption('#select-region', 'zwolle');
  const zwolle = await fanSvg(page, `zwolle|${policy}|${output}`);
  check(total !== zwolle, 'regions: choosing a region did not change the fan chart');
  check((await page.textContent('#fan-caption')).includes('zwolle'), 'regions: the caption does not name the region');
  await page.close();
}

await context.close();
fs.rmSync(userData, { recursive: true, force: true });
if (failures > 0) {
  console.error(`report_browser: ${failures} failure(s)`);
  process.exit(1);
}
console.log('report_browser: both pages load offline without console messages, agree with sesim compare --csv, and redraw on every choice');
