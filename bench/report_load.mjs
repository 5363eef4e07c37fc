// Times the opening of a `sesim report` page in headless Chromium (scripts/bench-report):
// per load, a fresh page, from the start of navigation until both charts are drawn (the page
// records it in <html data-ready-ms>, report/report.js), and the time to the first
// contentful paint (the text and the table, before the charts), and the CPU time of the
// renderer's main thread, which a machine busy with other work does not inflate.
//   node bench/report_load.mjs PLAYWRIGHT_DIR PAGE.html [LOADS]
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';

const [playwrightDir, page, loads = '7'] = process.argv.slice(2);
const { chromium } = await import(path.resolve(playwrightDir, 'index.mjs'));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sesim-bench-report-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1200, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ready = [];
const paint = [];
const cpu = [];
for (let i = 0; i < Number(loads); ++i) {
  const p = await context.newPage();
  // CPU time of the page's renderer main thread (Chrome's Performance.getMetrics
  // "ThreadTime", seconds, counted from Performance.enable): what the opening costs
  // whatever else the machine runs.
  const cdp = await context.newCDPSession(p);
  await cdp.send('Performance.enable');
  await p.goto('file://' + path.resolve(page));
  await p.waitForSelector('html[data-ready="1"]', { timeout: 30000 });
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  cpu.push(Math.round(1000 * m.ThreadTime));
  ready.push(Number(await p.getAttribute('html', 'data-ready-ms')));
  paint.push(await p.evaluate(() => {
    const e = performance.getEntriesByName('first-contentful-paint')[0];
    return e ? Math.round(e.startTime) : NaN;
  }));
  await p.close();
}
await context.close();
fs.rmSync(profile, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`loads ${ready.length}: charts drawn after median ${median(ready)} ms ` +
  `(min ${Math.min(...ready)}, max ${Math.max(...ready)}); first contentful paint median ` +
  `${median(paint)} ms; renderer main-thread CPU median ${median(cpu)} ms ` +
  `(min ${Math.min(...cpu)}, max ${Math.max(...cpu)}); load average ${os.loadavg()[0].toFixed(2)}`);
