// Browser tests of the Probe tab: saliency and Grad-CAM live on every browser preset, knock-outs
// (whole parts and channels) with their test accuracy checked against the CLI, distortions and
// the shift curve, the probes in a link; and the same computations on WebGPU.
import { assert, cli, suite } from './harness.mjs';
import {
  BROWSER_PRESETS, closeWithoutPageErrors, dismissError, drawSeven, errorText, fixture, inputVersion, openApp, openChannel,
  openedOn, selectPreset, showTab, testid, upload, waitForAnswer,
} from './app.mjs';

/** The default Grad-CAM tap of each preset: its last convolutional map of at least 3×3. */
const DEFAULT_CAM = {
  'alexnet-lite': 'conv5', 'vgg-lite': 'block4.conv2', 'googlenet-lite': 'b4.inception5', 'resnet18-lite': 'b4.residual2',
};

/** Does something (a click, a slider) that reruns the input, and waits for its answer. */
async function rerunBy(page, action) {
  const before = await inputVersion(page);
  await action();
  await waitForAnswer(page, before);
}

async function showDigit(page, name = '1_dark.png', type = 'image/png') {
  await rerunBy(page, () => upload(page, 'upload-input', name, fixture(name), type));
}

/** A canvas's pixels, as one string, once the next frame has drawn it. */
async function pixels(page, selector) {
  await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
  return page.$eval(selector, (c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join(','));
}

/** The lowest and highest opacity of a canvas's pixels: a map shows where it is high. */
async function alphaRange(page, selector) {
  return page.$eval(selector, (c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let [low, high] = [255, 0];
    for (let i = 3; i < data.length; i += 4) [low, high] = [Math.min(low, data[i]), Math.max(high, data[i])];
    return [low, high];
  });
}

async function probabilities(page) {
  return page.$$eval(`${testid('probabilities')} li`, (items) => items.map((li) => li.querySelector('.percent').textContent).join(' '));
}

async function toggleKnockout(page, target) {
  await rerunBy(page, () => page.click(`${testid('knockout')}[data-target="${target}"]`));
}

async function setSlider(page, id, value) {
  await rerunBy(page, () => page.$eval(testid(id), (input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value));
}

/** Runs the test accuracy of the current knock-outs on `digits` test digits; returns the new row. */
async function measure(page, digits) {
  const rows = await page.$$eval(`${testid('knockout-table')} tbody tr`, (r) => r.length);
  await page.selectOption(testid('knockout-digits'), String(digits));
  await page.click(testid('knockout-accuracy'));
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="knockout-table"] tbody tr').length > count,
    rows, { timeout: 300_000 });
  return page.$eval(`${testid('knockout-table')} tbody tr:last-child`, (row) => ({
    accuracy: Number(row.dataset.accuracy), intact: Number(row.dataset.intact), set: row.querySelector('.knockout-set').textContent,
  }));
}

async function cliAccuracy(preset, digits, knockouts) {
  const args = ['eval', '--arch', preset, '--limit', String(digits), '--json', ...knockouts.flatMap((k) => ['--knockout', k])];
  return 100 * JSON.parse(await cli(args)).accuracy;
}

/** Switches saliency on (if off) and waits for the maps. */
async function explainOn(page) {
  await showTab(page, 'probe');
  if (await page.getAttribute(testid('saliency-toggle'), 'aria-pressed') !== 'true') {
    await rerunBy(page, () => page.click(testid('saliency-toggle')));
  }
  await page.waitForSelector(`${testid('cam-map')}[data-max]`);
}

export function probeSuites(server) {
  const cpu = suite('probe cpu', openedOn(server, '?backend=cpu'), closeWithoutPageErrors);

  for (const preset of BROWSER_PRESETS) {
    cpu.test(`${preset}: saliency and Grad-CAM show over the input, for the predicted class or a chosen one, at any map`, async ({ page }) => {
      await selectPreset(page, preset);
      await showDigit(page);
      await explainOn(page);
      assert(await page.getAttribute(testid('cam-map'), 'data-tap') === DEFAULT_CAM[preset],
        `${preset}: Grad-CAM at ${await page.getAttribute(testid('cam-map'), 'data-tap')}`);
      for (const map of ['saliency-map', 'cam-map']) {
        assert(Number(await page.getAttribute(testid(map), 'data-max')) > 0, `${preset}: ${map} is empty`);
      }
      const predicted = await page.textContent(testid('prediction'));
      assert(await page.getAttribute(testid('explained-class'), 'data-class') === predicted.trim(), 'not the predicted class');
      // The overlay lies on the network input, at its size, and is partly lit.
      const overlay = `.network-input ${testid('saliency-overlay')}`;
      assert(await page.isVisible(overlay), 'no overlay on the network input');
      const [overlayWidth, inputWidth] = await page.$eval('.network-input', (figure) => [
        figure.querySelector('[data-testid="saliency-overlay"]').width, figure.querySelector('.step-canvas').width]);
      assert(overlayWidth === inputWidth, `overlay ${overlayWidth} px wide, input ${inputWidth}`);
      const [low, high] = await alphaRange(page, overlay);
      assert(high > 100 && high - low > 60, `${preset}: overlay alpha from ${low} to ${high}`);
      // Another class, another map.
      const saliency = await pixels(page, testid('saliency-map'));
      const other = predicted.trim() === '3' ? '5' : '3';
      await rerunBy(page, () => page.selectOption(testid('class-select'), other));
      assert(await page.getAttribute(testid('explained-class'), 'data-class') === other, 'the chosen class is not explained');
      assert(await pixels(page, testid('saliency-map')) !== saliency, `${preset}: class ${other} has the same saliency`);
      // An earlier map for Grad-CAM.
      const taps = await page.$$eval(`${testid('cam-tap')} option`, (options) => options.map((o) => o.value).filter(Boolean));
      await rerunBy(page, () => page.selectOption(testid('cam-tap'), taps[0]));
      assert(await page.getAttribute(testid('cam-map'), 'data-tap') === taps[0], 'the chosen tap is not used');
      await rerunBy(page, () => page.selectOption(testid('class-select'), ''));
      await rerunBy(page, () => page.selectOption(testid('cam-tap'), ''));
    });
  }

  cpu.test('while drawing, the maps follow the strokes and lie on the drawing where the input came from', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await explainOn(page);
    await page.click(testid('clear-button'));
    await rerunBy(page, () => drawSeven(page));
    const drawingOverlay = testid('saliency-overlay-drawing');
    assert(await page.isVisible(drawingOverlay), 'no overlay on the drawing');
    const [frame, box] = [await page.$eval('.draw-frame', (f) => f.getBoundingClientRect().toJSON()), await page.$eval(drawingOverlay, (c) => c.getBoundingClientRect().toJSON())];
    // The 28×28 field is the 20-pixel ink box with 4 pixels either side: larger than the ink, around it.
    assert(box.width > 0.3 * frame.width && box.width < 2 * frame.width, `overlay ${box.width} px on a ${frame.width} px drawing`);
    const cam = await pixels(page, testid('cam-map'));
    const canvas = await page.$(testid('draw-canvas'));
    const area = await canvas.boundingBox();
    await rerunBy(page, async () => {
      await page.mouse.move(area.x + area.width * 0.2, area.y + area.height * 0.55);
      await page.mouse.down();
      await page.mouse.move(area.x + area.width * 0.8, area.y + area.height * 0.55, { steps: 8 });
      await page.mouse.up();
    });
    assert(await pixels(page, testid('cam-map')) !== cam, 'Grad-CAM did not follow the new stroke');
    // Distorted, the digit no longer lies where it was drawn: the drawing's overlay steps aside.
    await setSlider(page, 'shift-x', 3);
    assert(!(await page.isVisible(drawingOverlay)), 'the drawing overlay stayed while the digit moved');
    await rerunBy(page, () => page.click(testid('distortion-reset')));
    await rerunBy(page, () => page.click(testid('saliency-toggle')));
    assert(!(await page.isVisible(`.network-input ${testid('saliency-overlay')}`)), 'the overlay stayed after switching off');
  });

  cpu.test('resnet18-lite without a shortcut: the prediction changes live, and its test accuracy matches the CLI\'s', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await showDigit(page, '7_photo.jpg', 'image/jpeg');
    await showTab(page, 'probe');
    const intact = await probabilities(page);
    const target = 'b3.residual1.shortcut';
    await toggleKnockout(page, target);
    assert(await page.getAttribute(`${testid('knockout')}[data-target="${target}"]`, 'aria-pressed') === 'true', 'not marked off');
    assert(await probabilities(page) !== intact, 'the probabilities did not change');
    assert(decodeURIComponent(page.url()).includes(`knockouts=${target}`), `the link lacks the knock-out: ${page.url()}`);
    const row = await measure(page, 1000);
    assert(row.set === target, `row for ${row.set}`);
    const [cliKnocked, cliIntact] = [await cliAccuracy('resnet18-lite', 1000, [target]), await cliAccuracy('resnet18-lite', 1000, [])];
    assert(Math.abs(row.accuracy - cliKnocked) < 0.15 && Math.abs(row.intact - cliIntact) < 0.15,
      `page ${row.accuracy} / ${row.intact}, CLI ${cliKnocked} / ${cliIntact}`);
    assert(row.accuracy < row.intact, `no damage: ${row.accuracy} ≥ ${row.intact}`);
    // Back on: the same probabilities as before; the table keeps the tried set.
    await toggleKnockout(page, target);
    assert(await probabilities(page) === intact, 'switching back on did not restore the prediction');
    const second = await measure(page, 1000);
    assert(second.set.length > 0 && Math.abs(second.accuracy - second.intact) < 1e-9, `intact row ${JSON.stringify(second)}`);
    assert(await page.$$eval(`${testid('knockout-table')} tbody tr`, (r) => r.length) === 2, 'the table lost a row');
    // A long run can be cancelled: no row, the button is back.
    await page.selectOption(testid('knockout-digits'), '10000');
    await page.click(testid('knockout-accuracy'));
    await page.waitForSelector(testid('knockout-progress'));
    await page.click(testid('knockout-cancel'));
    await page.waitForSelector(testid('knockout-progress'), { state: 'detached' });
    assert(await page.isEnabled(testid('knockout-accuracy')), 'the accuracy button stays disabled');
    await page.waitForTimeout(500);
    assert(await page.$$eval(`${testid('knockout-table')} tbody tr`, (r) => r.length) === 2, 'a cancelled run left a row');
  });

  cpu.test('a channel switched off from its enlarged map reads zero, and a network switch forgets knock-outs', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await showDigit(page);
    assert(await page.$(`${testid('knockout')}[data-target]`) === null, 'alexnet-lite offers whole parts');
    await openChannel(page, 'conv2');
    const uniform = () => page.$eval(testid('enlarged-canvas'), (c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      return data.every((v, i) => v === data[i % 4]);
    });
    // A channel that fires on this digit (its map is not one colour).
    for (let tries = 0; tries < 16 && await uniform(); tries += 1) {
      await page.click('.enlarged .buttons button:has-text("Next")');
      await pixels(page, testid('enlarged-canvas'));
    }
    assert(!(await uniform()), 'no conv2 channel fires on this digit');
    const toggle = `.enlarged ${testid('knockout')}`;
    const target = await page.getAttribute(toggle, 'data-target');
    assert(/^conv2:\d+$/.test(target), `the dialog's toggle is for ${target}`);
    await rerunBy(page, () => page.click(toggle));
    await pixels(page, testid('enlarged-canvas'));
    assert(await uniform(), `${target} switched off is not one colour`);
    assert(await page.getAttribute(toggle, 'aria-pressed') === 'true', 'the toggle is not marked');
    await page.keyboard.press('Escape');
    await showTab(page, 'probe');
    assert(await page.isVisible(`${testid('knockout-channels')} [data-target="${target}"]`), 'the channel is not listed');
    for (const [preset, target] of [['vgg-lite', 'block5'], ['googlenet-lite', 'b3.inception1.branch2']]) {
      await selectPreset(page, preset);
      assert(await page.$(`${testid('knockout-channels')} [data-target]`) === null, `${preset}: knock-outs of another network kept`);
      await page.waitForFunction(() => window.convscope.answeredInput === window.convscope.inputVersion);
      const tile = `${testid('overview')} [data-block="${target}"] canvas`;
      const before = await pixels(page, tile);
      await toggleKnockout(page, target);
      assert(await pixels(page, tile) !== before, `${preset}: ${target} looks the same`);
    }
  });

  cpu.test('what a channel detects: its nine strongest test digits (where it fired outlined) and an input made to excite it', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await showDigit(page);
    await openChannel(page, 'conv3');
    await page.click(testid('detect-channel-button'));
    assert(await page.getAttribute(testid('tab-probe'), 'aria-selected') === 'true', 'the Probe tab is not shown');
    assert(await page.$eval(testid('detect-tap'), (s) => s.value) === 'conv3', 'the tap is not chosen');
    await page.fill(testid('detect-channel'), '5');
    await page.dispatchEvent(testid('detect-channel'), 'change');
    await page.selectOption(testid('top-examples-digits'), '1000');
    await page.click(testid('top-examples-run'));
    await page.waitForSelector(testid('top-examples-progress'));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="top-examples"] .top-example').length === 9, null, { timeout: 300_000 });
    const found = await page.$$eval(`${testid('top-examples')} .top-example`, (figures) => figures.map((f) => ({
      index: Number(f.dataset.index), value: Number(f.dataset.value), outlined: !!f.querySelector('.rf-outline'),
      drawn: f.querySelector('canvas').width === 28,
    })));
    assert(found.every((f, i) => i === 0 || f.value <= found[i - 1].value), `not strongest first: ${found.map((f) => f.value)}`);
    assert(found.every((f) => f.outlined && f.drawn && f.index < 1000), JSON.stringify(found));
    assert(new Set(found.map((f) => f.index)).size === 9, 'a digit found twice');
    // The weights have not changed: asking again is answered at once, with the same digits.
    await page.click(testid('top-examples-run'));
    await page.waitForFunction(() => !document.querySelector('[data-testid="top-examples-progress"]'));
    const again = await page.$$eval(`${testid('top-examples')} .top-example`, (figures) => figures.map((f) => Number(f.dataset.index)));
    assert(JSON.stringify(again) === JSON.stringify(found.map((f) => f.index)), 'another answer for the same weights');
    // Another channel: the search can be cancelled.
    await page.fill(testid('detect-channel'), '6');
    await page.dispatchEvent(testid('detect-channel'), 'change');
    await page.selectOption(testid('top-examples-digits'), '10000');
    await page.click(testid('top-examples-run'));
    await page.waitForSelector(testid('top-examples-progress'));
    await page.click(testid('top-examples-cancel'));
    await page.waitForSelector(testid('top-examples-progress'), { state: 'detached' });
    assert(await page.$$eval(`${testid('top-examples')} .top-example`, (f) => f.length) === 0, 'a cancelled search showed digits');
    await page.click(testid('activation-max-run'));
    await page.waitForFunction(() => document.querySelector('[data-testid="activation-max"]').width === 96, null, { timeout: 120_000 });
    const distinct = await page.$eval(testid('activation-max'), (c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      return new Set(Array.from(data).filter((_, i) => i % 4 === 0)).size;
    });
    assert(distinct > 20, `the made input has ${distinct} gray levels`);
  });

  cpu.test('distortion sliders change the input live; the shift curve of four networks is centred on the digit', async ({ page }) => {
    await selectPreset(page, 'googlenet-lite');
    await showTab(page, 'probe');
    if (await page.isEnabled(testid('knockout-clear'))) await rerunBy(page, () => page.click(testid('knockout-clear')));
    await showDigit(page, '7_photo.jpg', 'image/jpeg');
    const curve = testid('shift-curve');
    await page.waitForSelector(`${curve}[aria-busy="false"]`, { timeout: 120_000 });
    assert(await page.$$eval(`${curve} polyline`, (lines) => lines.length) === 8, 'not two curves for each of four networks');
    const predicted = Number(await page.textContent(testid('prediction')));
    assert(Number(await page.getAttribute(curve, 'data-class')) === predicted, 'the curve is not of the predicted class');
    const line = (preset, axis) => page.$eval(`${curve} polyline[data-preset="${preset}"][data-axis="${axis}"]`,
      (p) => p.dataset.values.split(',').map(Number));
    const shown = Number((await page.textContent(`${testid('probabilities')} li[data-digit="${predicted}"] .percent`)).replace('%', ''));
    for (const axis of ['x', 'y']) {
      const values = await line('googlenet-lite', axis);
      assert(values.length === 17, `${axis}: ${values.length} points`);
      assert(Math.abs(100 * values[8] - shown) < 0.06, `${axis}: ${100 * values[8]}% at 0 px, ${shown}% shown`);
    }
    const digit = await pixels(page, '.steps .step:nth-of-type(3) canvas');
    const before = await probabilities(page);
    for (const [id, value] of [['shift-x', 6], ['rotate', 40], ['thickness', 2], ['noise', 0.3], ['scale', 0.7], ['shift-y', -5]]) {
      await setSlider(page, id, value);
    }
    assert(await probabilities(page) !== before, 'distortions changed no probability');
    assert(await pixels(page, '.steps .step:nth-of-type(3) canvas') !== digit, 'the digit step shows no distortion');
    assert(decodeURIComponent(page.url()).includes('distort=6,-5,40,0.7,2,0.3'), `link: ${page.url()}`);
    await rerunBy(page, () => page.click(testid('distortion-reset')));
    assert(await probabilities(page) === before, 'undo did not bring the prediction back');
  });

  cpu.test('a link restores knock-outs, the explanation and the distortion, and names what it cannot use', async ({ browser }) => {
    const page = await openApp(browser.context, server,
      '?backend=cpu&net=resnet18-lite&input=mnist:3&view=probe&knockouts=b3.residual1.shortcut,b9.nothing&explain=3&cam=b4.residual1&distort=2,0,0,1,0,0');
    await page.waitForSelector(`${testid('cam-map')}[data-tap="b4.residual1"]`, { timeout: 120_000 });
    assert(await page.getAttribute(testid('explained-class'), 'data-class') === '3', 'class 3 is not explained');
    assert(await page.getAttribute(`${testid('knockout')}[data-target="b3.residual1.shortcut"]`, 'aria-pressed') === 'true', 'knock-out not restored');
    assert(await page.$eval(testid('shift-x'), (s) => s.value) === '2', 'shift not restored');
    const error = await errorText(page);
    assert(error?.includes('knockouts=b9.nothing'), `error: ${error}`);
    await dismissError(page);
    await page.close();
  });

  const gpu = suite('probe webgpu', openedOn(server, '?backend=webgpu'), closeWithoutPageErrors);
  gpu.test('on WebGPU: saliency, Grad-CAM, a knock-out\'s accuracy, the shift curves and an input made to excite a channel', async ({ page }) => {
    await page.waitForSelector(`${testid('backend-badge')}:has-text("WebGPU")`, { timeout: 120_000 });
    await selectPreset(page, 'resnet18-lite');
    await showDigit(page);
    await explainOn(page);
    assert(Number(await page.getAttribute(testid('cam-map'), 'data-max')) > 0, 'empty Grad-CAM on WebGPU');
    assert(Number(await page.getAttribute(testid('saliency-map'), 'data-max')) > 0, 'empty saliency on WebGPU');
    await toggleKnockout(page, 'b2.residual1.main');
    const row = await measure(page, 1000);
    const expected = await cliAccuracy('resnet18-lite', 1000, ['b2.residual1.main']);
    assert(Math.abs(row.accuracy - expected) < 0.35, `WebGPU ${row.accuracy}%, CLI ${expected}%`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="shift-curve"] polyline').length === 8, null, { timeout: 120_000 });
    await page.selectOption(testid('detect-tap'), 'b3.residual1');
    await page.click(testid('activation-max-run'));
    await page.waitForFunction(() => document.querySelector('[data-testid="activation-max"]').width === 48, null, { timeout: 120_000 });
  });

  return [cpu, gpu];
}
