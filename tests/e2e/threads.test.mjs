// Browser tests of the CPU backend on several threads: on a cross-origin isolated page the engine
// worker loads the engine built with threads (dist/threads/, scripts/threads.sh), and falls back
// to the app's single-threaded module when that cannot load.
import fs from 'node:fs';
import path from 'node:path';
import { DIST, assert, suite } from './harness.mjs';
import {
  badge, closeWithoutPageErrors, fixture, inferences, inputVersion, openedOn, prediction, pressTrainControl, selectPreset, testid,
  upload, waitForAnswer, waitForRerun,
} from './app.mjs';
import { openedInFirefox, pageDownload } from './firefox.mjs';
import { exportWeights, safetensorsFloats, setTraining, waitForStatus } from './training.mjs';

/** Whether this build has the engine with threads (CONVSCOPE_THREADS=1). */
export const HAS_THREADS = fs.existsSync(path.join(DIST, 'threads', 'convscope-web_bg.wasm'));

const threadCount = (text) => Number(text.match(/(\d+) (threads|个线程)/)?.[1] ?? 1);

/** The pool `engine-worker.js` starts on this machine: every core, up to 8. */
const poolSize = (page) => page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8));

/** The largest difference between two weights files' floats. */
const largestDifference = (a, b) => a.reduce((most, value, i) => Math.max(most, Math.abs(value - b[i])), 0);

/**
 * The weights after a short run from the preset's own: the run's seed gives the same digits in
 * the same order, and the same dropout masks.
 */
async function weightsAfterShortRun(page, weightsOf = chromiumWeights) {
  await setTraining(page, { epochs: 1, batch: 32, lr: 0.0005, optimizer: 'adam', size: 1024, schedule: 'constant' });
  await pressTrainControl(page, 'train-start');
  await waitForStatus(page, 'stopped');
  return weightsOf(page);
}

/** The network's weights, through the export button. */
async function chromiumWeights(page) {
  return safetensorsFloats(await exportWeights(page));
}

/** The same in Firefox, whose downloads the page hands over itself. */
async function firefoxWeights(page) {
  const { bytes } = await pageDownload(page, () => pressTrainControl(page, 'export-weights'));
  return safetensorsFloats(Buffer.from(bytes));
}

/** The network's probabilities for a photo of a 7. */
async function probabilitiesOfSeven(page) {
  const before = await inputVersion(page);
  await upload(page, 'upload-input', '7_photo.jpg', fixture('7_photo.jpg'), 'image/jpeg');
  await waitForAnswer(page, before);
  return page.evaluate(() => Array.from(window.convscope.lastProbabilities));
}

/** `isolatedServer` serves the same build with COOP/COEP. */
export function threadsSuites(plainServer, isolatedServer) {

  // Without the engine with threads (a build without CONVSCOPE_THREADS, or a file that will not
  // load), an isolated page runs on one thread as anywhere else.
  const fallback = suite('threads fallback', openedOn(isolatedServer, '?backend=cpu'), closeWithoutPageErrors);
  fallback.test('an isolated page whose engine with threads cannot load runs on one thread', async ({ browser, page }) => {
    assert(await page.evaluate(() => window.crossOriginIsolated), 'the page is not cross-origin isolated');
    await browser.context.route('**/threads/**', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.selectOption(testid('backend-select'), 'auto');
    await page.selectOption(testid('backend-select'), 'cpu');
    await page.waitForFunction(() => /^CPU/.test(document.querySelector('[data-testid="backend-badge"]')?.textContent ?? ''),
      null, { timeout: 60_000 });
    assert(threadCount(await badge(page)) === 1, `badge: ${await badge(page)}`);
    const probabilities = await probabilitiesOfSeven(page);
    assert(probabilities.length === 10, `probabilities: ${probabilities}`);
    await browser.context.unroute('**/threads/**');
  });

  // The engine with threads is a build option (`CONVSCOPE_THREADS=1 scripts/test.sh` builds
  // it): without it these are listed as skipped.
  const needsThreads = { skipped: HAS_THREADS ? null : 'this build has no engine with threads (CONVSCOPE_THREADS=1)' };
  const threads = suite('threads', openedOn(isolatedServer, '?backend=cpu'), closeWithoutPageErrors, needsThreads);
  threads.test('on an isolated page the CPU computes on several threads, and gives what one thread gives', async ({ page }) => {
    const expected = await poolSize(page);
    assert(expected >= 2, `this machine has ${expected} core(s): no pool to test`);
    assert(threadCount(await badge(page)) === expected, `badge: ${await badge(page)} (${expected} cores)`);
    await selectPreset(page, 'alexnet-lite');
    const shipped = await chromiumWeights(page);
    const threaded = { probabilities: await probabilitiesOfSeven(page), weights: await weightsAfterShortRun(page) };

    // The same on a plain page: the app's module, one thread.
    const single = await openedOn(plainServer, '?backend=cpu')();
    try {
      assert(threadCount(await badge(single.page)) === 1, `plain page's badge: ${await badge(single.page)}`);
      await selectPreset(single.page, 'alexnet-lite');
      const probabilities = await probabilitiesOfSeven(single.page);
      const weights = await weightsAfterShortRun(single.page);
      const gap = Math.max(...probabilities.map((p, i) => Math.abs(p - threaded.probabilities[i])));
      assert(gap < 1e-5, `probabilities differ by ${gap}: ${probabilities} against ${threaded.probabilities}`);
      assert(weights.length === shipped.length && threaded.weights.length === shipped.length, 'weights files of different sizes');
      // Both runs trained (32 Adam steps at 0.0005 move weights by up to about 0.016)...
      assert(largestDifference(weights, shipped) > 1e-3, `one thread's run left the weights as they were (${largestDifference(weights, shipped)})`);
      // ...to the same weights, up to rounding: sums split across threads add in another order.
      const apart = largestDifference(weights, threaded.weights);
      assert(apart < 1e-4, `the runs' weights differ by up to ${apart}`);
    } finally {
      await closeWithoutPageErrors(single);
    }
  });

  threads.test('a pool whose workers never start gives way to one thread instead of a page left starting', async ({ browser, page }) => {
    // The pool's workers fetch wasm-bindgen-rayon's helper script: the first fetch (the
    // module's own import) goes through, the workers' fetches never answer.
    const helper = '**/snippets/wasm-bindgen-rayon-*/**';
    let seen = 0;
    await browser.context.route(helper, (route) => {
      seen += 1;
      if (seen === 1) route.continue();
    });
    const answered = await inferences(page);
    await page.selectOption(testid('backend-select'), 'auto');
    await page.selectOption(testid('backend-select'), 'cpu');
    await page.waitForFunction(() => /^CPU/.test(document.querySelector('[data-testid="backend-badge"]')?.textContent ?? ''),
      null, { timeout: 60_000 });
    assert(seen >= 2, `the helper was fetched ${seen} time(s): the pool was not started`);
    assert(threadCount(await badge(page)) === 1, `badge: ${await badge(page)}`);
    await waitForRerun(page, answered);
    assert(/^\d$/.test(await prediction(page)), `prediction: ${await prediction(page)}`);
    await browser.context.unroute(helper);
  });

  // "auto" on a browser without a WebGPU adapter is the CPU: threads too.
  const auto = suite('threads auto', openedOn(isolatedServer, '?backend=auto', { webgpu: false }), closeWithoutPageErrors,
    needsThreads);
  auto.test('"auto" without a WebGPU adapter computes on several threads', async ({ page }) => {
    const expected = await poolSize(page);
    assert(threadCount(await badge(page)) === expected, `badge: ${await badge(page)}`);
    await page.waitForFunction(() => window.convscope.inferences > 0, null, { timeout: 60_000 });
    assert(/^\d$/.test(await prediction(page)), `prediction: ${await prediction(page)}`);
  });

  const firefox = suite('firefox threads', openedInFirefox(isolatedServer, '?backend=cpu'), closeWithoutPageErrors,
    needsThreads);
  firefox.test('Firefox on an isolated page computes on several threads: a digit, and a short run that trains', async ({ page }) => {
    const expected = await poolSize(page);
    assert(threadCount(await badge(page)) === expected, `badge: ${await badge(page)} (${expected} cores)`);
    const probabilities = await probabilitiesOfSeven(page);
    assert(probabilities.indexOf(Math.max(...probabilities)) === 7, `probabilities of a 7: ${probabilities}`);
    const before = await firefoxWeights(page);
    const after = await weightsAfterShortRun(page, firefoxWeights);
    const moved = largestDifference(after, before);
    assert(after.every(Number.isFinite) && moved > 1e-3, `the run moved the weights by up to ${moved}`);
  });

  return [fallback, threads, auto, firefox];
}
