// Time to a good network: each browser preset trained from random weights with the app's own
// default settings (a fresh browser profile, nothing changed), timed from Start to the first
// test accuracy of 97 % the page reports (the first 1,000 test digits a few times an epoch, all
// 10,000 at its end). Prints a Markdown table.
// Usage: node bench/accuracy.mjs [--only PRESET,...] [--backend cpu|webgpu] [--isolated]
// (after a trunk build). --isolated serves the page cross-origin isolated: the CPU on several
// threads, when the build has the engine with threads (CONVSCOPE_THREADS=1).
import os from 'node:os';
import { launch, serve } from '../tests/e2e/harness.mjs';
import { BROWSER_PRESETS, badge, openApp, selectPreset, showTab, testid } from '../tests/e2e/app.mjs';
import { trainStatus } from '../tests/e2e/training.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const presets = option('--only')?.split(',').filter(Boolean) ?? BROWSER_PRESETS;
const backend = option('--backend') ?? 'cpu';
const isolated = args.includes('--isolated');
const TARGET = 0.97;

const server = await serve(undefined, { isolated });
const browser = await launch();
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; backend ${backend}${isolated ? ', isolated page' : ''}`);
const rows = [];
for (const preset of presets) {
  const page = await openApp(browser.context, server, `?backend=${backend}`);
  await selectPreset(page, preset);
  await showTab(page, 'train');
  const loaded = await page.evaluate(() => window.convscope.networksLoaded);
  await page.click(testid('reset-random'));
  await page.waitForFunction((n) => window.convscope.networksLoaded > n, loaded);
  const settings = await page.evaluate(() => ['train-epochs', 'train-batch', 'train-lr', 'train-optimizer', 'train-schedule', 'train-size']
    .map((id) => document.querySelector(`[data-testid="${id}"]`).value).join(', '));
  await page.evaluate(() => { delete window.convscope.accuracyPoints; });
  const started = await page.evaluate(() => performance.now());
  await page.click(testid('train-start'));
  let reached;
  let points = [];
  for (;;) {
    await page.waitForTimeout(1000);
    points = await page.evaluate(() => window.convscope.accuracyPoints ?? []);
    reached = points.find(([, accuracy]) => accuracy >= TARGET);
    if (reached || (await trainStatus(page)) !== 'training') break;
  }
  const seconds = (point) => ((point[3] - started) / 1000).toFixed(0);
  const curve = points.map((p) => `${(100 * p[1]).toFixed(1)} % at ${seconds(p)} s${p[2] ? ' (all)' : ''}`).join(', ');
  console.log(`${preset} (${settings}; ${await badge(page)}): ${curve}`);
  const batch = Number(settings.split(', ')[1]);
  // Training speed over the run: images over the time from Start to the last step (downloading
  // the training set and the test evaluations included).
  const { trainedImages, trainedAtMs } = await page.evaluate(() => window.convscope);
  const speed = trainedImages / ((trainedAtMs - started) / 1000);
  rows.push(reached
    ? `| ${preset} | ${seconds(reached)} s | ${reached[2] ? 'all 10,000' : 'first 1,000'} | ${(reached[0] * batch).toLocaleString('en')} | ${speed.toFixed(0)} | ${curve} |`
    : `| ${preset} | not reached | | | ${speed.toFixed(0)} | ${curve} |`);
  await page.close();
}
await browser.close();
server.close();
console.log('\n| preset | 97 % reached after | on the test digits | images trained | images/s, all in | every measurement |');
console.log('|---|---:|---|---:|---:|---|');
for (const row of rows) console.log(row);
