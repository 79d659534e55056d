// The CPU backend on one thread and on several: training speed of each browser preset on a plain
// page (the app's module) and on a cross-origin isolated one (the engine with threads), rounds
// interleaved in one headless Chromium. Prints a Markdown table.
// Usage: node bench/threads.mjs [seconds per measurement] [--rounds N] [--only PRESET,...]
// (after `CONVSCOPE_THREADS=1 trunk build --release`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, launch, serve } from '../tests/e2e/harness.mjs';
import { BROWSER_PRESETS, badge, openApp } from '../tests/e2e/app.mjs';
import { trainingRate } from '../tests/e2e/training.mjs';
import { median } from './stats.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const seconds = /^\d+$/.test(args[0] ?? '') ? Number(args[0]) : 15;
const rounds = Number(option('--rounds') ?? 2);
const presets = option('--only')?.split(',').filter(Boolean) ?? BROWSER_PRESETS;
const BATCHES = [32, 64];

if (!fs.existsSync(path.join(DIST, 'threads'))) {
  throw new Error(`${DIST} has no threads/: build it with CONVSCOPE_THREADS=1 trunk build --release`);
}
const plain = await serve();
const isolated = await serve(DIST, { isolated: true });
const browser = await launch();
const pages = {
  one: await openApp(browser.context, plain, '?backend=cpu'),
  several: await openApp(browser.context, isolated, '?backend=cpu'),
};
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; one thread: ${await badge(pages.one)}; `
  + `several: ${await badge(pages.several)}; ${seconds} s per measurement, Adam, ${rounds} rounds\n`);

const rows = [];
for (const preset of presets) {
  for (const batch of BATCHES) {
    const rates = { one: [], several: [] };
    for (let round = 0; round < rounds; round += 1) {
      for (const side of round % 2 ? ['several', 'one'] : ['one', 'several']) {
        rates[side].push(await trainingRate(pages[side], preset, batch, seconds));
      }
    }
    const [one, several] = [median(rates.one), median(rates.several)];
    const spread = (values) => values.map((v) => v.toFixed(0)).join(', ');
    rows.push(`| ${preset} | ${batch} | ${one.toFixed(0)} (${spread(rates.one)}) | ${several.toFixed(0)} (${spread(rates.several)}) | ${(several / one).toFixed(2)}× |`);
    console.log(rows.at(-1));
  }
}
console.log('\n| preset | batch | one thread, img/s (each round) | several threads, img/s (each round) | speed-up |');
console.log('|---|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
await browser.close();
plain.close();
isolated.close();
