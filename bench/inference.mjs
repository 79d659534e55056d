// Batch-1 inference against TF.js, in headless Chromium: for each browser preset and each of
// our backends, the app's compare view times every network on each new drawing, logits only
// (the digit to the network's input, the forward pass, the logits read back, in the worker);
// beside it our all-taps inference (every feature map read back, in the worker: what drawing
// costs). TF.js runs the same networks (built from our architecture tree) on WebGL, WebGPU and
// wasm (SIMD; one thread, as this page is not cross-origin isolated), the same steps: a digit
// made a tensor, resized, through the network, logits read back. Median and 95th percentile.
// Prints a Markdown table. Usage: node bench/inference.mjs [runs] [--only PRESET,...]
// (after a trunk build)
import os from 'node:os';
import { launch, serve } from '../tests/e2e/harness.mjs';
import { BROWSER_PRESETS, drawSeven, inputVersion, openApp, selectPreset, showTab, testid, waitForAnswer } from '../tests/e2e/app.mjs';
import { median, p95 } from './stats.mjs';
import { architecture, openTfjs } from './tfjs.mjs';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 20);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const presets = option('--only')?.split(',').filter(Boolean) ?? BROWSER_PRESETS;
const WARMUP = 3;

const fixed = (value) => value.toFixed(value < 10 ? 2 : 1);
/** A `{ median, p95 }` summary as "median (95th percentile)". */
const cell = (summary) => `${fixed(summary.median)} (${fixed(summary.p95)})`;

/** A seven, then dots added one by one on the compare view; each gives a comparison of every
 * network. */
async function ours(page, preset) {
  await selectPreset(page, preset);
  await showTab(page, 'compare');
  await page.click(testid('clear-button'));
  const version = await inputVersion(page);
  await drawSeven(page);
  await waitForAnswer(page, version, 300_000);
  const box = await (await page.$(testid('draw-canvas'))).boundingBox();
  const logits = [];
  const allTaps = [];
  for (let i = 0; i < WARMUP + runs; i += 1) {
    const [comparisons, inferences] = await page.evaluate(() => [window.convscope.comparisons ?? 0, window.convscope.inferences]);
    await page.mouse.move(box.x + box.width * (0.15 + 0.035 * (i % 20)), box.y + box.height * (0.8 + 0.05 * Math.floor(i / 20)));
    await page.mouse.down();
    await page.mouse.up();
    // A comparison asked for after this drawing's inference was shown (any comparison times
    // the same networks: it is the forward passes that are measured, not the answer).
    await page.waitForFunction(([c, n]) => window.convscope.inferences > n && window.convscope.comparisons > c
      && window.convscope.answeredInput === window.convscope.inputVersion, [comparisons, inferences], { timeout: 300_000 });
    const stats = await page.evaluate(() => ({ ...window.convscope }));
    if (i < WARMUP) continue;
    logits.push(stats.lastComparedMs[preset]);
    allTaps.push(stats.lastComputeMs);
  }
  return { logits: { median: median(logits), p95: p95(logits) }, allTaps: { median: median(allTaps), p95: p95(allTaps) } };
}

async function theirs(page, backend, preset) {
  const result = await page.evaluate(({ backend, architecture, runs }) =>
    window.tfjsBench.inferenceMs({ backend, architecture, runs }).catch((error) => ({ error: String(error) })),
  { backend, architecture: architecture(preset), runs });
  return result.error ? `failed: ${result.error.slice(0, 60)}` : cell(result);
}

const server = await serve();
const browser = await launch({ webgl: true });
const app = { cpu: await openApp(browser.context, server, '?backend=cpu'), webgpu: await openApp(browser.context, server, '?backend=webgpu') };
const adapter = (await app.webgpu.textContent(testid('backend-badge'))).trim();
const tfjs = await openTfjs(browser);
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; WebGPU: ${adapter}; ${runs} runs after ${WARMUP} (ours) or 5 (TF.js) warm-ups; ms, median (95th percentile)\n`);

const rows = [];
for (const preset of presets) {
  const our = {};
  for (const [backend, page] of Object.entries(app)) {
    await page.bringToFront();
    our[backend] = await ours(page, preset);
  }
  await tfjs.page.bringToFront();
  const their = {};
  for (const backend of ['webgl', 'webgpu', 'wasm']) their[backend] = await theirs(tfjs.page, backend, preset);
  rows.push(`| ${preset} | ${cell(our.cpu.logits)} | ${cell(our.webgpu.logits)} | ${their.wasm} | ${their.webgl} | ${their.webgpu} | ${cell(our.cpu.allTaps)} | ${cell(our.webgpu.allTaps)} |`);
  console.log(rows.at(-1));
}
console.log('\n| preset | convscope CPU, logits | convscope WebGPU, logits | TF.js wasm | TF.js WebGL | TF.js WebGPU | convscope CPU, all taps | convscope WebGPU, all taps |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);

await browser.close();
server.close();
tfjs.close();
