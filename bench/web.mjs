// Web app benchmark: wasm size, time to first prediction, and per preset and backend the
// inference latency, the draw-to-feature-maps-on-screen latency and the inference latency with
// saliency and Grad-CAM switched on; then the seed networks (the post's sizes, random weights):
// inference, drawing to maps, and the engine's memory; in headless Chromium. Per preset and
// backend, a further stroke under Chromium's trace gives the engine worker's own CPU time per
// move beside its wall time: the work, and the work plus its waits.
// Prints Markdown tables. Usage: node bench/web.mjs [repetitions] [--seeds-only | --presets-only] [--cpu-only]
// [--preset NAME ...] [--isolated] (after a trunk build). --preset times only the browser presets named. --isolated serves the page cross-origin isolated: the CPU
// on several threads when the build has the engine with threads (CONVSCOPE_THREADS=1).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { CLI, DIST, launch, serve } from '../tests/e2e/harness.mjs';
import { median, p95 } from './stats.mjs';
import { recordThreadTasks } from '../tests/e2e/thread-tasks.mjs';
import { BROWSER_PRESETS, drawSeven, inputVersion, openApp, selectPreset, testid, waitForAnswer } from '../tests/e2e/app.mjs';

const repetitions = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
const seedsOnly = process.argv.includes('--seeds-only');
const cpuOnly = process.argv.includes('--cpu-only');
const BACKENDS = cpuOnly ? ['cpu'] : ['cpu', 'webgpu'];
/** `--presets-only`: the browser presets' tables, without the seed networks. */
const presetsOnly = process.argv.includes('--presets-only');
const presetsNamed = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--preset' ? [arg] : []));
const unknown = presetsNamed.filter((p) => !BROWSER_PRESETS.includes(p));
if (unknown.length > 0) throw new Error(`no browser preset ${unknown.join(', ')}; they are ${BROWSER_PRESETS.join(', ')}`);
const PRESETS = presetsNamed.length > 0 ? BROWSER_PRESETS.filter((p) => presetsNamed.includes(p)) : BROWSER_PRESETS;
const SEED_PRESETS = ['alexnet', 'vgg', 'googlenet', 'resnet18'];
/** A seed network's inference takes seconds: fewer dots. */
const SEED_REPETITIONS = 3;
const ms = (value) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

const wasm = fs.readFileSync(path.join(DIST, 'convscope-web_bg.wasm'));
const gzip = zlib.gzipSync(wasm, { level: 9 });
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; ${process.env.CHROMIUM ?? '/usr/bin/chromium'}`);
console.log(`wasm: ${(wasm.length / 1e6).toFixed(2)} MB raw, ${(gzip.length / 1e6).toFixed(2)} MB gzip -9\n`);

/** Where an inference's time goes (`window.convscope.lastStages`), in the order it is spent. */
const STAGES = ['inputToSend', 'toWorker', 'preprocess', 'forward', 'readback', 'explain', 'package', 'toPage', 'decode', 'render'];

/** One pointer event's answer, timed from its handler to its maps drawn and to the next frame. */
async function timeAnswer(page, act) {
  // Let any queued work finish and a frame pass, so the event starts from a quiet page.
  await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
  const before = await inputVersion(page);
  const from = await page.evaluate(() => {
    window.convscope.lastStages = undefined;
    window.convscope.lastOnScreenMs = undefined;
    return performance.now();
  });
  await act();
  await waitForAnswer(page, before, 300_000);
  await page.waitForFunction(() => window.convscope.lastStages !== undefined
    && window.convscope.lastOnScreenMs !== undefined);
  const answer = await page.evaluate(() => ({ ...window.convscope, to: performance.now() }));
  return { ...answer, from };
}

/** What `count` timed answers gave, stage by stage. */
function collect(answers) {
  return {
    compute: answers.map((a) => a.lastComputeMs),
    drawn: answers.map((a) => a.lastMapsDrawnMs),
    onScreen: answers.map((a) => a.lastOnScreenMs),
    stages: answers.map((a) => a.lastStages),
    windows: answers.map((a) => [a.from, a.to]),
  };
}

/**
 * A thread's CPU and wall time in each window (`[from, to]`, page clock): its traced tasks that
 * started there. Between answers the worker is idle, and the page nearly so.
 */
function threadTime(windows, tasks) {
  const inWindow = windows.map(([from, to]) => tasks.filter((task) => task.startMs >= from && task.startMs < to));
  const sum = (list, key) => list.reduce((total, task) => total + task[key], 0);
  return { cpu: inWindow.map((list) => sum(list, 'cpuMs')), wall: inWindow.map((list) => sum(list, 'wallMs')) };
}

/**
 * Adds `count` dots to the drawing at height `row` (a stroke of one point each: a pointer
 * press and release, the start of every stroke), each timed from its pointer event to its
 * maps drawn on the page and to the next frame, with the stages.
 */
async function timeDots(page, row, count = repetitions) {
  const answers = [];
  const box = await (await page.$(testid('draw-canvas'))).boundingBox();
  for (let i = 0; i < count; i += 1) {
    answers.push(await timeAnswer(page, async () => {
      await page.mouse.move(box.x + box.width * (0.15 + 0.035 * (i % 20)), box.y + box.height * row);
      await page.mouse.down();
      await page.mouse.up();
    }));
  }
  return collect(answers);
}

/**
 * Draws one stroke across the canvas at height `row`, timing `count` of its pointer moves
 * (what drawing is, once the pen is down) the same way.
 */
async function timeMoves(page, row, count = repetitions) {
  const answers = [];
  const box = await (await page.$(testid('draw-canvas'))).boundingBox();
  const at = (i) => [box.x + box.width * (0.1 + (0.8 * i) / count), box.y + box.height * row];
  const before = await inputVersion(page);
  await page.mouse.move(...at(0));
  await page.mouse.down();
  await waitForAnswer(page, before, 300_000);
  for (let i = 1; i <= count; i += 1) {
    answers.push(await timeAnswer(page, () => page.mouse.move(...at(i))));
  }
  await page.mouse.up();
  return collect(answers);
}

/** The median of each stage over the timed answers. */
const stageMedians = (stages) => STAGES.map((stage) => median(stages.map((s) => s[stage] ?? 0)));

const server = await serve(undefined, { isolated: process.argv.includes('--isolated') });
const browser = await launch();
const rows = [];
const stageRows = [];
const workRows = [];
for (const backend of seedsOnly ? [] : BACKENDS) {
  const started = Date.now();
  const page = await openApp(browser.context, server, `?backend=${backend}`);
  // The page shows MNIST test digit #0 on its own once the default network is in.
  await page.waitForFunction(() => window.convscope.firstPredictionMs !== undefined, null, { timeout: 300_000 });
  const firstPrediction = await page.evaluate(() => window.convscope.firstPredictionMs);
  const adapter = (await page.textContent(testid('backend-badge'))).trim();
  console.log(`${adapter}: navigation to first prediction ${ms(firstPrediction)} (wall ${Date.now() - started} ms)`);
  for (const preset of PRESETS) {
    await selectPreset(page, preset);
    await page.click(testid('clear-button'));
    let before = await inputVersion(page);
    await drawSeven(page); // warm-up: first run compiles shaders / allocates
    await waitForAnswer(page, before, 300_000);
    // The plain pipeline with the default tab: the Probe tab adds its shift curves.
    await page.click(testid('tab-lesson'));
    const moves = await timeMoves(page, 0.7);
    const plain = await timeDots(page, 0.8);
    // The same with saliency and Grad-CAM computed for every input (the maps are drawn in the
    // Probe tab and over the network input; the timing is the worker's).
    await page.click(testid('tab-probe'));
    before = await inputVersion(page);
    await page.click(testid('saliency-toggle'));
    await waitForAnswer(page, before, 300_000);
    await page.click(testid('tab-lesson'));
    const explained = await timeDots(page, 0.9);
    await page.click(testid('tab-probe'));
    before = await inputVersion(page);
    await page.click(testid('saliency-toggle'));
    await waitForAnswer(page, before, 300_000);
    // A stroke under the trace, apart from the timed ones: tracing adds load of its own.
    await page.click(testid('tab-lesson'));
    const recording = await recordThreadTasks(browser.context, page);
    const traced = await timeMoves(page, 0.6);
    const threads = await recording.stop();
    const [workerWork, pageWork] = [threads.worker, threads.main].map((tasks) => threadTime(traced.windows, tasks));
    const spread = (values) => `${ms(median(values))} / ${ms(p95(values))}`;
    workRows.push(`| ${preset} | ${adapter} | ${spread(workerWork.cpu)} | ${spread(workerWork.wall)} | ${spread(pageWork.cpu)} | ${spread(traced.drawn)} |`);
    rows.push(`| ${preset} | ${adapter} | ${ms(median(moves.compute))} | ${spread(moves.drawn)} | ${spread(moves.onScreen)} | ${spread(plain.drawn)} | ${spread(plain.onScreen)} | ${ms(median(explained.compute))} |`);
    stageRows.push(`| ${preset} | ${adapter} | move | ${stageMedians(moves.stages).map(ms).join(' | ')} |`);
    stageRows.push(`| ${preset} | ${adapter} | dot | ${stageMedians(plain.stages).map(ms).join(' | ')} |`);
    console.log(rows.at(-1));
  }
  await page.close();
}

/** The CLI's layer table of a preset (for its parameter count). */
function summary(preset) {
  return JSON.parse(execFileSync(CLI, ['summary', '--arch', preset, '--json'], { encoding: 'utf8' }));
}

/** The engine worker's wasm memory: its high-water mark (linear memory never shrinks). */
async function engineMemoryMb(page) {
  for (const worker of page.workers()) {
    const bytes = await worker.evaluate(() => self.convscopeMemory?.buffer.byteLength ?? null);
    if (bytes !== null) return bytes / 1e6;
  }
  return NaN;
}

const seedRows = [];
for (const backend of presetsOnly ? [] : BACKENDS) {
  for (const preset of SEED_PRESETS) {
    // A fresh page each, so the worker's memory is this network's alone.
    const page = await openApp(browser.context, server, `?backend=${backend}&net=${preset}`);
    await page.waitForFunction((name) => window.convscope.network === name, preset, { timeout: 600_000 });
    const adapter = (await page.textContent(testid('backend-badge'))).trim();
    const weightsMb = (4 * summary(preset).total_params) / 1e6;
    await page.click(testid('clear-button'));
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before, 600_000);
    const timed = await timeDots(page, 0.8, SEED_REPETITIONS);
    const memory = await engineMemoryMb(page);
    seedRows.push(`| ${preset} | ${adapter} | ${ms(median(timed.compute))} | ${ms(median(timed.onScreen))} | ${memory.toFixed(0)} MB | ${weightsMb.toFixed(0)} MB |`);
    console.log(seedRows.at(-1));
    await page.close();
  }
}
await browser.close();
server.close();
console.log('\n| seed network (random weights) | backend | inference (worker) | draw → feature maps on screen | engine wasm memory | its weights (f32) |');
console.log('|---|---|---:|---:|---:|---:|');
for (const row of seedRows) console.log(row);
console.log(`\n${repetitions} pointer moves of a stroke and ${repetitions} dots each; "a / b" is the median / the 95th percentile.`);
console.log('\n| preset | backend | inference (worker) | move → maps drawn | move → next frame | dot → maps drawn | dot → next frame | inference with saliency + Grad-CAM |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('\nWhere the time goes (median of each stage, ms):\n');
console.log(`| preset | backend | event | ${STAGES.join(' | ')} |`);
console.log(`|---|---|---|${STAGES.map(() => '---:').join('|')}|`);
for (const row of stageRows) console.log(row);
console.log('\nThe threads\' own time per move, from Chromium\'s trace of a further stroke of'
  + ` ${repetitions} moves (median / 95th percentile): CPU time is the work, wall time adds the waits (for a core;`
  + ' on WebGPU, for the GPU too). The page\'s figure includes the bench\'s own calls into it. Tracing adds load of its own.\n');
console.log('| preset | backend | engine worker CPU per move | its wall time | page main thread CPU per move | move → maps drawn, traced |');
console.log('|---|---|---:|---:|---:|---:|');
for (const row of workRows) console.log(row);
