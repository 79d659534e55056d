// Browser tests of the race between browser presets (Compare tab): turns, budget, accuracy
// measurements, the table and curves, pause, a reload that keeps it, and WebGPU.
import { assert, suite } from './harness.mjs';
import { closeWithoutPageErrors, openedOn, pressTrainControl, showTab, testid } from './app.mjs';
import { setTraining, waitForStatus } from './training.mjs';

async function setRace(page, { presets, amount, unit, order }) {
  await showTab(page, 'compare');
  for (const box of await page.$$(`${testid('race-presets')} input[type=checkbox]`)) {
    const want = presets.includes(await box.getAttribute('value'));
    if (want !== await box.isChecked()) await box.click();
  }
  await page.selectOption(testid('race-budget-unit'), unit);
  // The number commits on change, which leaving the field fires.
  await page.fill(testid('race-budget'), String(amount));
  await page.press(testid('race-budget'), 'Tab');
  await page.selectOption(testid('race-order'), order);
}

const raceStatus = (page) => page.getAttribute(testid('race-status'), 'data-status');

async function waitForRace(page, status, timeout = 300_000) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="race-status"]')?.dataset.status === want,
    status, { timeout });
}

/** The table's rows: preset, images, seconds, accuracy measurements, last accuracy (%). */
async function lanes(page) {
  return page.$$eval(`${testid('race-table')} tbody tr`, (rows) => rows.map((row) => ({
    preset: row.dataset.preset,
    images: Number(row.dataset.images),
    seconds: Number(row.dataset.seconds),
    measured: Number(row.dataset.measured),
    accuracy: row.dataset.accuracy === undefined ? null : Number(row.dataset.accuracy),
  })));
}

/** Points of each lane's curve in one of the two charts. */
async function curvePoints(page, measure) {
  return page.$$eval(`${testid('race-chart')} svg[data-measure="${measure}"] polyline`,
    (lines) => Object.fromEntries(lines.map((l) => [l.dataset.preset, Number(l.dataset.points)])));
}

export function raceSuites(server) {
  const cpu = suite('race cpu', openedOn(server, '?backend=cpu'), closeWithoutPageErrors);

  cpu.test('a race that cannot work is refused in words and does not start', async ({ page }) => {
    await setRace(page, { presets: ['vgg-lite'], amount: 256, unit: 'images', order: 'interleaved' });
    await page.click(testid('race-start'));
    const status = await page.textContent(testid('race-status'));
    assert(/2 to 4 networks/.test(status), `status: ${status}`);
    assert(await raceStatus(page) === 'idle', `race: ${await raceStatus(page)}`);
  });

  cpu.test('two networks take turns on 256 images each; both are measured; table, curves and winners fill', async ({ page }) => {
    // The race trains with the Train tab's batch size; the counts below are for 64.
    await setTraining(page, { batch: 64 });
    await setRace(page, { presets: ['alexnet-lite', 'resnet18-lite'], amount: 256, unit: 'images', order: 'interleaved' });
    await page.click(testid('race-start'));
    // Taking turns: the second lane has trained before the first is done.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="race-table"] tbody tr')];
      return rows.length === 2 && Number(rows[1].dataset.images) > 0;
    }, null, { timeout: 300_000 });
    const early = await lanes(page);
    assert(early[0].images < 256, `the first lane finished before the second started: ${JSON.stringify(early)}`);
    await waitForRace(page, 'finished');
    const done = await lanes(page);
    assert(done.map((l) => l.preset).join() === 'alexnet-lite,resnet18-lite', `lanes: ${JSON.stringify(done)}`);
    for (const lane of done) {
      assert(lane.images === 256, `${lane.preset} saw ${lane.images} images`);
      assert(lane.seconds > 0, `${lane.preset}: ${lane.seconds} s`);
      // Batch 64: each step is a quarter of the budget, past another tenth each time.
      assert(lane.measured === 4, `${lane.preset} measured ${lane.measured} times`);
      assert(lane.accuracy > 0 && lane.accuracy <= 100, `${lane.preset}: ${lane.accuracy} %`);
    }
    const accuracy = await curvePoints(page, 'accuracy');
    const loss = await curvePoints(page, 'loss');
    for (const preset of ['alexnet-lite', 'resnet18-lite']) {
      assert(accuracy[preset] === 4, `${preset}: ${accuracy[preset]} accuracy points`);
      assert(loss[preset] >= 1, `${preset}: ${loss[preset]} loss points`);
    }
    // Both networks start from random weights: the loss chart shows the guess they start at.
    const guides = await page.$$eval(`${testid('race-chart')} svg[data-measure="loss"] line.guide`, (l) => l.map((g) => Number(g.dataset.value)));
    assert(guides.length === 1 && Math.abs(guides[0] - Math.log(10)) < 1e-3, `loss guides: ${guides}`);
    const winners = await page.textContent(testid('race-winners'));
    assert(/First to 95%/.test(winners) && /First to 98%/.test(winners), `winners: ${winners}`);
    // 256 images are far from 95 %: once the race is over, nobody got there, not "nobody yet".
    assert(/95%: nobody/.test(winners) && !/yet/.test(winners), `winners: ${winners}`);
    const cells = await page.$$eval(`${testid('race-table')} tbody td`, (tds) => tds.map((td) => td.textContent));
    assert(cells.filter((text) => text === 'not reached').length === 4, `cells: ${cells}`);
    // The x axis switches to seconds.
    await page.selectOption(testid('race-axis'), 'seconds');
    assert(await page.getAttribute(testid('race-chart'), 'data-axis') === 'seconds', 'the axis did not switch');
    assert(await page.isDisabled(testid('race-pause')), 'a finished race offers to resume');
  });

  cpu.test('a paused race survives a reload and goes on to its budget', async ({ page }) => {
    await setRace(page, { presets: ['vgg-lite', 'resnet18-lite'], amount: 640, unit: 'images', order: 'one-after-another' });
    await page.click(testid('race-start'));
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="race-table"] tbody tr')?.dataset.images) >= 128,
      null, { timeout: 300_000 });
    await page.click(testid('race-pause'));
    await waitForRace(page, 'paused');
    const paused = await lanes(page);
    const images = paused.reduce((sum, lane) => sum + lane.images, 0);
    await page.waitForFunction((want) => window.convscope.raceSavedImages === want, images, { timeout: 60_000 });
    assert(paused[0].images >= 128 && paused[0].images < 640 && paused[1].images === 0,
      `one after another: ${JSON.stringify(paused)}`);

    await page.reload();
    await showTab(page, 'compare');
    await waitForRace(page, 'paused', 60_000);
    const restored = await lanes(page);
    assert(JSON.stringify(restored) === JSON.stringify(paused), `restored ${JSON.stringify(restored)}, kept ${JSON.stringify(paused)}`);
    await page.click(testid('race-pause'));
    await waitForRace(page, 'finished');
    const done = await lanes(page);
    for (const lane of done) assert(lane.images === 640, `${lane.preset} saw ${lane.images} images`);
    assert(done[0].measured >= paused[0].measured + 1, `measurements: ${paused[0].measured} → ${done[0].measured}`);
    assert(done[0].seconds > paused[0].seconds, 'the clock did not go on from the checkpoint');
  });

  cpu.test('a training run and a race share the worker: starting one pauses the other', async ({ page }) => {
    await setRace(page, { presets: ['alexnet-lite', 'vgg-lite'], amount: 1280, unit: 'images', order: 'interleaved' });
    await page.click(testid('race-start'));
    await waitForRace(page, 'running', 120_000);
    await setTraining(page, { epochs: 1, size: 256 });
    await pressTrainControl(page, 'train-start');
    await waitForRace(page, 'paused', 60_000);
    const paused = await lanes(page);
    await waitForStatus(page, 'stopped');
    assert(JSON.stringify(await lanes(page)) === JSON.stringify(paused), 'the race went on while the run trained');
    await showTab(page, 'compare');
    await page.click(testid('race-pause'));
    await waitForRace(page, 'finished');
    for (const lane of await lanes(page)) assert(lane.images === 1280, `${lane.preset} saw ${lane.images} images`);
  });

  const webgpu = suite('race webgpu', openedOn(server, '?backend=webgpu'), closeWithoutPageErrors);

  webgpu.test('a race runs on WebGPU to its budget', async ({ page }) => {
    await setTraining(page, { batch: 64 });
    await setRace(page, { presets: ['vgg-lite', 'resnet18-lite'], amount: 64, unit: 'images', order: 'interleaved' });
    await page.click(testid('race-start'));
    await waitForRace(page, 'finished', 480_000);
    for (const lane of await lanes(page)) {
      assert(lane.images === 64 && lane.measured === 1, `${JSON.stringify(lane)}`);
      assert(lane.accuracy > 0 && lane.accuracy <= 100, `${lane.preset}: ${lane.accuracy} %`);
    }
  });

  return [cpu, webgpu];
}
