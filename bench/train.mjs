// Training speed in headless Chromium: convscope (its CPU and WebGPU backends) against the same
// networks in TF.js (WebGPU, WebGL — its default — and wasm or else its CPU backend), batch 64,
// Adam, MNIST digits resized to each network's input on the device. Prints a Markdown table.
// Usage: node bench/train.mjs [seconds per measurement] [--only PRESET,...] [--accuracy PRESET]
// [--gpu-only] (after a trunk build). --gpu-only times the GPU APIs alone (our WebGPU against TF.js
// WebGPU and WebGL): TF.js's plain-JS CPU backend takes minutes to warm up on a fast GPU machine.
// Then, unless --gpu-only, what the page's main thread does while our CPU backend trains.
import os from 'node:os';
import { launch, serve } from '../tests/e2e/harness.mjs';
import { architecture, openTfjs } from './tfjs.mjs';
import { BROWSER_PRESETS, openApp, selectPreset, testid } from '../tests/e2e/app.mjs';
import { setTraining, trainingRate } from '../tests/e2e/training.mjs';
import { recordThreadTasks } from '../tests/e2e/thread-tasks.mjs';

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const accuracyPreset = option('--accuracy');
const presets = option('--only')?.split(',').filter(Boolean) ?? BROWSER_PRESETS;
const gpuOnly = args.includes('--gpu-only');
const BATCH = 64;
const TARGET = 0.97;

const ours = (page, preset) => trainingRate(page, preset, BATCH, seconds);

async function theirs(page, backend, arch) {
  await page.bringToFront();
  return page.evaluate(({ backend, architecture, batchSize, seconds }) =>
    window.tfjsBench.imagesPerSecond({ backend, architecture, batchSize, seconds }).catch((error) => ({ error: String(error) })),
  { backend, architecture: arch, batchSize: BATCH, seconds });
}

async function tfjsCpuSide(page, arch) {
  const wasm = await theirs(page, 'wasm', arch);
  if (!wasm.error) return { ...wasm, name: 'wasm' };
  console.log(`  TF.js wasm failed (${wasm.error.slice(0, 120)}); using its CPU backend`);
  return { ...(await theirs(page, 'cpu', arch)), name: 'cpu' };
}

const ratio = (a, b) => (b?.imagesPerSecond ? (a / b.imagesPerSecond).toFixed(2) : 'n/a');
const fmt = (r) => (r.error ? `failed: ${r.error.slice(0, 60)}` : r.imagesPerSecond.toFixed(1));
// TF.js's best backend among `results`, as a TF.js user would pick it.
const bestOf = (results) => results.filter((r) => !r.error).sort((a, b) => b.imagesPerSecond - a.imagesPerSecond)[0];

// A row's cells with the CPU sides measured too: ours on burn Flex, TF.js on wasm or its CPU backend.
async function withCpuColumns(preset, arch, ourGpu, tfGpu, tfGl) {
  const ourCpu = await ours(app.cpu, preset);
  const tfCpu = await tfjsCpuSide(tfjsPage, arch);
  const best = ratio(Math.max(ourGpu, ourCpu), bestOf([tfGpu, tfGl, tfCpu]));
  return [ourGpu.toFixed(1), ourCpu.toFixed(1), fmt(tfGpu), fmt(tfGl), `${fmt(tfCpu)} (${tfCpu.name})`, best];
}

const server = await serve();
const browser = await launch({ webgl: true });
const app = { cpu: await openApp(browser.context, server, '?backend=cpu'), webgpu: await openApp(browser.context, server, '?backend=webgpu') };
const adapter = (await app.webgpu.textContent(testid('backend-badge'))).trim();
const tfjs = await openTfjs(browser);
const tfjsPage = tfjs.page;
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; WebGPU: ${adapter}; ${seconds} s per measurement, batch ${BATCH}, Adam\n`);

const rows = [];
for (const preset of presets) {
  const arch = architecture(preset);
  const ourGpu = await ours(app.webgpu, preset);
  const tfGpu = await theirs(tfjsPage, 'webgpu', arch);
  const tfGl = await theirs(tfjsPage, 'webgl', arch);
  const cells = gpuOnly
    ? [ourGpu.toFixed(1), fmt(tfGpu), fmt(tfGl), ratio(ourGpu, bestOf([tfGpu, tfGl]))]
    : await withCpuColumns(preset, arch, ourGpu, tfGpu, tfGl);
  rows.push(`| ${preset} | ${cells.join(' | ')} |`);
  console.log(rows.at(-1));
}
const header = gpuOnly
  ? ['convscope WebGPU img/s', 'TF.js WebGPU img/s', 'TF.js WebGL img/s', 'ours ÷ TF.js best GPU backend']
  : ['convscope WebGPU img/s', 'convscope CPU img/s', 'TF.js WebGPU img/s', 'TF.js WebGL img/s', 'TF.js wasm/cpu img/s', 'our best ÷ TF.js best'];
console.log(`\n| preset | ${header.join(' | ')} |`);
console.log(`|---|${header.map(() => '---:').join('|')}|`);
for (const row of rows) console.log(row);

// Training runs in the engine's worker; the page draws the progress it posts. Wall times count
// what the user feels, CPU times the page's own work (a busy machine stretches only the former).
if (!gpuOnly) {
  console.log('\nthe page\'s main thread while our CPU backend trains (Chromium trace, warm-up and stop included):\n');
  console.log('| preset | tasks | longest (wall ms) | most CPU in one task (ms) | tasks over 50 ms wall |');
  console.log('|---|---:|---:|---:|---:|');
  for (const preset of presets) {
    const recording = await recordThreadTasks(browser.context, app.cpu);
    await ours(app.cpu, preset);
    const tasks = (await recording.stop()).main.sort((a, b) => b.wallMs - a.wallMs);
    const mostCpu = Math.max(...tasks.map((task) => task.cpuMs));
    const over = tasks.filter((task) => task.wallMs > 50).length;
    console.log(`| ${preset} | ${tasks.length} | ${tasks[0].wallMs.toFixed(1)} | ${mostCpu.toFixed(1)} | ${over} |`);
  }
}

if (accuracyPreset) {
  const page = app.cpu;
  await page.bringToFront();
  await selectPreset(page, accuracyPreset);
  const loaded = await page.evaluate(() => window.convscope.networksLoaded);
  await page.click(testid('reset-random'));
  await page.waitForFunction((n) => window.convscope.networksLoaded > n, loaded);
  await setTraining(page, { epochs: 5, batch: BATCH, lr: 0.001, optimizer: 'adam', size: 60000 });
  await page.evaluate(() => { delete window.convscope.accuracyPoints; });
  const started = await page.evaluate(() => performance.now());
  await page.click(testid('train-start'));
  let reached;
  for (let shown = 0; !reached;) {
    await page.waitForTimeout(2000);
    const points = await page.evaluate(() => window.convscope.accuracyPoints ?? []);
    for (const [step, accuracy, , at] of points.slice(shown)) {
      console.log(`  convscope step ${step}: ${(100 * accuracy).toFixed(1)}% after ${((at - started) / 1000).toFixed(0)} s`);
    }
    shown = points.length;
    reached = points.find(([, accuracy]) => accuracy >= TARGET);
    const status = await page.getAttribute(testid('train-status'), 'data-status');
    if (!reached && status !== 'training') throw new Error(`the run ended (${status}) below ${TARGET * 100}%`);
  }
  const ourSeconds = (reached[3] - started) / 1000;
  await page.click(testid('train-stop'));
  console.log(`\nconvscope CPU reached ${TARGET * 100}% after ${ourSeconds.toFixed(0)} s (step ${reached[0]}); TF.js next`);
  // TF.js's wasm backend cannot train convolutions (no Conv2DBackpropFilter): its CPU backend then.
  const limitSeconds = Math.min(120, 1.5 * ourSeconds);
  let tf = null;
  await tfjsPage.bringToFront();
  for (const backend of ['wasm', 'cpu']) {
    tf = await tfjsPage.evaluate(({ backend, architecture, batchSize, target, limitSeconds }) =>
      window.tfjsBench.timeToAccuracy({ backend, architecture, batchSize, target, limitSeconds })
        .catch((error) => ({ error: String(error) })),
    { backend, architecture: architecture(accuracyPreset), batchSize: BATCH, target: TARGET, limitSeconds });
    tf.backend = backend;
    if (!tf.error) break;
  }
  const theirs = tf.error ? `failed: ${tf.error}` : tf.seconds ? `${tf.seconds.toFixed(0)} s` : `not reached in ${limitSeconds.toFixed(0)} s (${(100 * (tf.accuracy ?? 0)).toFixed(1)}%)`;
  console.log(`\ntime to ${TARGET * 100}% on the first 1,000 test digits (checked every quarter epoch), ${accuracyPreset}:`);
  console.log(`convscope CPU: ${ourSeconds.toFixed(0)} s (step ${reached[0]}); TF.js ${tf.backend}: ${theirs}`);
}

await browser.close();
server.close();
tfjs.close();
