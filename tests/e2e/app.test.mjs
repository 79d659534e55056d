// End-to-end tests of the web app (issue: web app) in headless Debian Chromium.
// Most run on the CPU backend; one per network on WebGPU (SwiftShader here, slow).
import {
  BROWSER_PRESETS, assert, badge, blankTaps, closeWithoutPageErrors, dismissError, drawSeven, errorText, expectedTaps,
  fixture, inferences, inputVersion, openChannel, openedOn, pressTrainControl, prediction, selectPreset, tapNames, testid, upload, waitForError,
  waitForAnswer, waitForRerun, weightsFile,
} from './app.mjs';
import { cli, suite } from './harness.mjs';
import { hugePng } from './images.mjs';

async function checkAllTapsDrawn(page, preset) {
  const expected = expectedTaps(preset);
  const shown = await tapNames(page);
  assert(JSON.stringify(shown.slice().sort()) === JSON.stringify(expected.slice().sort()),
    `${preset}: the page shows taps ${shown.join(', ')}; PyTorch has ${expected.join(', ')}`);
  // Canvases are drawn by effects after the result lands: give them a frame or two.
  await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
  const blank = await blankTaps(page);
  assert(blank.length === 0, `${preset}: blank feature maps: ${blank.join(', ')}`);
}

export async function drawAndCheck(page, preset) {
  await selectPreset(page, preset);
  await page.click(testid('clear-button'));
  const before = await inputVersion(page);
  await drawSeven(page);
  await waitForAnswer(page, before);
  const digit = await prediction(page);
  assert(/^[0-9]$/.test(digit), `${preset}: prediction is "${digit}"`);
  const bars = await page.$$(`${testid('probabilities')} li`);
  assert(bars.length === 10, `${preset}: ${bars.length} probability bars`);
  await checkAllTapsDrawn(page, preset);
  assert(await errorText(page) === null, `${preset}: error banner: ${await errorText(page)}`);
}

export async function uploadAndExpect(page, name, buffer, label, mimeType) {
  const before = await inputVersion(page);
  await upload(page, 'upload-input', name, buffer, mimeType);
  await waitForAnswer(page, before);
  const digit = await prediction(page);
  assert(digit === String(label), `${name}: predicted ${digit}, expected ${label}`);
}

async function uploadAndExpectAny(page, before) {
  await upload(page, 'upload-input', '7_photo.jpg', fixture('7_photo.jpg'), 'image/jpeg');
  await waitForAnswer(page, before, 300_000);
  assert(/^[0-9]$/.test(await prediction(page)), 'no prediction');
}

/** The class `convscope infer` gives MNIST test digit `index` with the shipped weights. */
async function cliPrediction(preset, index) {
  const output = await cli(['infer', '--arch', preset, '--mnist-test', String(index), '--json']);
  return JSON.parse(output).class;
}

/**
 * On `preset`, the page's probabilities for MNIST test digit 0 (the page opens on it) are the
 * CLI's on the CPU: log-probabilities within 1e-3 of their range, as logits would be compared.
 * On WebGPU this is the backend's numerical check against burn Flex, on every layer kind.
 */
export async function expectCliNumbers(page, preset) {
  // Switching clears the shown answer: the next one is the new network's.
  await selectPreset(page, preset);
  await page.waitForFunction(
    () => /#0,/.test(document.querySelector('.prediction-detail')?.textContent ?? ''), null, { timeout: 120_000 });
  const shown = await page.evaluate(() => Array.from(window.convscope.lastProbabilities));
  const output = await cli(['infer', '--arch', preset, '--mnist-test', '0', '--json']);
  const expected = JSON.parse(output).probabilities;
  const logs = (probabilities) => probabilities.map((p) => Math.log(Math.max(p, 1e-30)));
  const [cpu, onPage] = [logs(expected), logs(shown)];
  const scale = Math.max(1, ...cpu.map(Math.abs));
  const worst = Math.max(...cpu.map((value, i) => Math.abs(value - onPage[i])));
  assert(shown.length === expected.length && worst <= 1e-3 * scale,
    `${preset}: log-probabilities differ by ${worst} (range ${scale}): page ${shown}, CLI ${expected}`);
}

export function appSuites(server) {
  const cpu = suite('cpu', openedOn(server, '?backend=cpu'), closeWithoutPageErrors);

  cpu.test('the app starts on the forced CPU backend, from a sub-path, with no off-origin request', async ({ page }) => {
    assert((await badge(page)).includes('CPU'), `badge: ${await badge(page)}`);
    assert(server.strays.length === 0, `requests outside ${server.url}: ${server.strays}`);
    assert(page.offOrigin.length === 0, `off-origin requests: ${page.offOrigin}`);
  });

  cpu.test('the pad says which input the network shows when it is not the drawing, and how the drawing comes back', async ({ page }) => {
    const caption = () => page.$(testid('pad-caption'));
    const setAside = () => page.$eval('.draw-frame', (frame) => frame.classList.contains('set-aside'));
    await page.waitForSelector(testid('pad-caption'), { timeout: 60_000 });
    const text = await page.textContent(testid('pad-caption'));
    const detail = await page.textContent('.prediction-detail');
    assert(/MNIST test #0, label 7/.test(text) && /Draw here/.test(text), `caption: ${text}`);
    assert(/#0\b/.test(detail), `the prediction is not about test digit #0: ${detail}`);
    // The caption shows the digit it names: MNIST's 28×28, white on black.
    const shown = () => page.$eval(testid('pad-shown'), (canvas) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const bright = data.filter((value, i) => i % 4 === 0 && value > 128).length;
      return { width: canvas.width, height: canvas.height, bright, pixels: data.join(',') };
    });
    const digit = await shown();
    assert(digit.width === 28 && digit.height === 28 && digit.bright > 40, `the caption's picture: ${digit.width}×${digit.height}, ${digit.bright} bright`);
    // Strokes reach the canvas through the caption.
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    assert(await caption() === null, 'the caption stays over a drawing');
    assert(!/#\d/.test(await page.textContent('.prediction-detail')), 'the prediction still names a test digit');
    // A pick sets the drawing aside, faded, without erasing it; Run brings it back.
    const picked = await inputVersion(page);
    await page.click(testid('mnist-random'));
    await waitForAnswer(page, picked);
    const aside = await page.textContent(testid('pad-caption'));
    const index = (await page.textContent('.prediction-detail')).match(/#(\d+)/)?.[1];
    assert(index && aside.includes(`#${index},`) && /drawing is kept/.test(aside), `caption over the set-aside drawing: ${aside}`);
    assert(await setAside(), 'the drawing is not faded while another input is shown');
    const rerun = await inputVersion(page);
    await page.click(testid('run-button'));
    await waitForAnswer(page, rerun);
    assert(await caption() === null && !(await setAside()), 'Run did not bring the drawing back');
    assert(!/#\d/.test(await page.textContent('.prediction-detail')), 'after Run the prediction still names a test digit');
    // An upload is named as one.
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
    assert(/an uploaded image/.test(await page.textContent(testid('pad-caption'))), 'the caption does not name the upload');
    assert((await shown()).pixels !== digit.pixels, 'the caption still shows the test digit over an upload');
    assert(await setAside(), 'the drawing is not faded under an upload');
    await page.click(testid('clear-button'));
    await page.selectOption(testid('lang-select'), 'zh-CN');
    const again = await inputVersion(page);
    await page.click(testid('mnist-random'));
    await waitForAnswer(page, again);
    const zh = await page.textContent(testid('pad-caption'));
    assert(/当前显示.*MNIST 测试样本 #\d+, 标签 \d.*在这里画/.test(zh), `caption in Chinese: ${zh}`);
    assert(!(await setAside()), 'an empty pad is faded');
    await page.selectOption(testid('lang-select'), 'en');
  });

  for (const preset of BROWSER_PRESETS) {
    cpu.test(`${preset}: drawing gives a prediction and every tap's feature maps`, async ({ page }) => {
      await drawAndCheck(page, preset);
    });
  }

  cpu.test('uploaded digits are classified right (PNG, transparent PNG, JPEG photo, BMP)', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
    await uploadAndExpect(page, '2_transparent.png', fixture('2_transparent.png'), 2, 'image/png');
    await uploadAndExpect(page, '7_photo.jpg', fixture('7_photo.jpg'), 7, 'image/jpeg');
    await uploadAndExpect(page, '0_white.bmp', fixture('0_white.bmp'), 0, 'image/bmp');
  });

  cpu.test('an MNIST test digit of a chosen class is picked and classified as the CLI classifies it', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await page.selectOption(testid('mnist-class'), '3');
    const before = await inputVersion(page);
    await page.click(testid('mnist-random'));
    await waitForAnswer(page, before);
    const detail = await page.textContent('.prediction-detail');
    assert(/label 3/.test(detail), `detail: ${detail}`);
    const index = Number(detail.match(/#(\d+)/)?.[1]);
    assert(Number.isInteger(index), `no test digit number in: ${detail}`);
    const expected = await cliPrediction('resnet18-lite', index);
    assert(await prediction(page) === String(expected), `digit #${index}: the page says ${await prediction(page)}, the CLI ${expected}`);
  });

  cpu.test('a dropped file and a pasted image are classified', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    const deliver = async (how, name, bytes) => {
      const before = await inputVersion(page);
      await page.evaluate(([kind, fileName, data]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], fileName, { type: 'image/png' }));
        if (kind === 'drop') {
          const panel = document.querySelector('.upload-panel');
          panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
          panel.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        } else {
          window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
        }
      }, [how, name, [...bytes]]);
      await waitForAnswer(page, before);
    };
    await deliver('drop', '2_transparent.png', fixture('2_transparent.png'));
    assert(await prediction(page) === '2', `dropped: ${await prediction(page)}`);
    await deliver('paste', '1_dark.png', fixture('1_dark.png'));
    assert(await prediction(page) === '1', `pasted: ${await prediction(page)}`);
  });

  cpu.test('a seed network (ResNet-18 at 96×96, random weights) shows all its feature maps', async ({ page }) => {
    await selectPreset(page, 'resnet18');
    assert(/random/.test(await page.textContent(testid('weights-status'))), 'seed weights are not random');
    const before = await inputVersion(page);
    await uploadAndExpectAny(page, before);
    const blank = await blankTaps(page);
    assert(blank.length === 0, `blank feature maps: ${blank.join(', ')}`);
    // The seed network has the browser preset's blocks, so the same taps.
    const expected = expectedTaps('resnet18-lite').sort();
    assert(JSON.stringify((await tapNames(page)).sort()) === JSON.stringify(expected), 'taps differ');
    await selectPreset(page, 'resnet18-lite');
  });

  cpu.test('drawing flashes no spinner: a quick answer changes the prediction\'s text, nothing else', async ({ page }) => {
    // A spinner for every pen move made the browser lay out and repaint the page in the
    // frame that shows the new ink; answers within a glance (here a few milliseconds) show none.
    await page.evaluate(() => {
      window.detailChanges = [];
      new MutationObserver((records) => {
        for (const record of records) window.detailChanges.push(`${record.type} ${record.attributeName ?? ''}`);
      }).observe(document.querySelector('.prediction-detail'), { subtree: true, childList: true, attributes: true });
    });
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    const changes = await page.evaluate(() => window.detailChanges);
    assert(changes.length === 0, `while drawing, the prediction's line changed: ${changes.join(', ')}`);
    assert(await page.$('.prediction-detail .spinner') === null, 'a spinner is left after the answer');
  });

  cpu.test('a non-image file shows the error banner, then the app still works', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await upload(page, 'upload-input', 'notes.png', Buffer.from('these are not pixels, just text'), 'image/png');
    const message = await waitForError(page);
    assert(/not an image/.test(message), `message: ${message}`);
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
    await page.waitForSelector(testid('error-banner'), { state: 'detached', timeout: 5_000 });
  });

  cpu.test('a 12000×12000 PNG is refused with a message, the page stays usable', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await upload(page, 'upload-input', 'huge.png', hugePng(12000), 'image/png');
    const message = await waitForError(page);
    assert(/12000×12000/.test(message), `message: ${message}`);
    await dismissError(page);
    await uploadAndExpect(page, '7_photo.jpg', fixture('7_photo.jpg'), 7, 'image/jpeg');
  });

  cpu.test('running an empty canvas says to draw first', async ({ page }) => {
    await page.click(testid('clear-button'));
    await page.click(testid('run-button'));
    const message = await waitForError(page);
    assert(/empty/.test(message), `message: ${message}`);
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    // The banner goes with the next render after the answer.
    await page.waitForSelector(testid('error-banner'), { state: 'detached', timeout: 5_000 });
  });

  cpu.test('truncated and wrong-network weights are refused; the network keeps its weights', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
    const status = await page.textContent(testid('weights-status'));
    const probabilities = await page.textContent(testid('probabilities'));
    const full = weightsFile('alexnet-lite');
    await upload(page, 'weights-input', 'cut.safetensors', full.subarray(0, full.length / 2), 'application/octet-stream');
    let message = await waitForError(page);
    assert(/truncat|incomplete|invalid|read/i.test(message), `truncated: ${message}`);
    await dismissError(page);
    await upload(page, 'weights-input', 'vgg-lite.safetensors', weightsFile('vgg-lite'), 'application/octet-stream');
    message = await waitForError(page);
    assert(/vgg-lite/.test(message), `wrong network: ${message}`);
    await dismissError(page);
    assert(await page.textContent(testid('weights-status')) === status, 'weights status changed');
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
    assert(await page.textContent(testid('probabilities')) === probabilities, 'the output changed');
  });

  cpu.test('exported weights download as .safetensors and import back with the same output', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      pressTrainControl(page, 'export-weights'),
    ]);
    assert(download.suggestedFilename() === 'alexnet-lite.safetensors', download.suggestedFilename());
    const bytes = await (await import('node:fs')).promises.readFile(await download.path());
    const probabilities = await page.textContent(testid('probabilities'));
    const before = await inferences(page);
    await upload(page, 'weights-input', 'mine.safetensors', bytes, 'application/octet-stream');
    await waitForRerun(page, before);
    assert((await page.textContent(testid('weights-status'))).includes('mine.safetensors'), 'status');
    assert(await page.textContent(testid('probabilities')) === probabilities, 'the output changed');
  });

  cpu.test('the language switch changes the UI and is remembered', async ({ page }) => {
    await page.selectOption(testid('lang-select'), 'zh-CN');
    assert((await page.textContent('#maps-title')) === '特征图', 'not switched');
    await page.reload();
    await page.waitForSelector(`${testid('backend-badge')}:has-text("CPU")`, { timeout: 60_000 });
    assert((await page.textContent('#maps-title')) === '特征图', 'not remembered');
    assert(await page.getAttribute('html', 'lang') === 'zh-CN', 'html lang');
    await page.selectOption(testid('lang-select'), 'en');
  });

  cpu.test('keyboard: a feature map opens large with values, arrows and Escape work', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
    await openChannel(page, 'b1.conv');
    const title = await page.textContent('#enlarged-title');
    await page.keyboard.press('ArrowRight');
    assert(await page.textContent('#enlarged-title') !== title, 'arrow did not change channel');
    const canvas = await page.$('.enlarged-canvas');
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    assert(/x=\d+ y=\d+: /.test(await page.textContent('.hover-value')), 'no value on hover');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.enlarged', { state: 'detached' });
  });

  cpu.test('hovering a pixel of a large feature map outlines its receptive field on the network input', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
    await openChannel(page, 'conv1');
    await page.waitForFunction(() => document.querySelector('.enlarged-canvas')?.width > 1);
    const canvas = await page.$('.enlarged-canvas');
    const [width, height] = await canvas.evaluate((c) => [c.width, c.height]);
    const box = await canvas.boundingBox();
    const hover = async (x, y) => {
      await page.mouse.move(box.x + ((x + 0.5) * box.width) / width, box.y + ((y + 0.5) * box.height) / height);
      const outline = await page.waitForSelector(testid('rf-outline'));
      return outline.evaluate((o) => ['x0', 'y0', 'x1', 'y1'].map((k) => Number(o.dataset[k])));
    };
    // The layer table of the CLI says what one pixel of conv1 sees: an 11×11 square, every 4 pixels.
    const layers = JSON.parse(await cli(['summary', '--arch', 'alexnet-lite', '--json'])).layers;
    const conv1 = layers.find((layer) => layer.tap === 'conv1');
    const [x0, y0, x1, y1] = await hover(5, 5);
    assert(x1 - x0 + 1 === conv1.receptive_field && y1 - y0 + 1 === conv1.receptive_field,
      `pixel (5, 5) sees ${x0}..${x1} × ${y0}..${y1}; the table says ${conv1.receptive_field}`);
    const [nextX0, , nextX1] = await hover(6, 5);
    assert(nextX0 - x0 === conv1.jump && nextX1 - x1 === conv1.jump, `one pixel right moved the field by ${nextX0 - x0}, not ${conv1.jump}`);
    // A corner pixel's field is clipped to the input.
    const [cornerX0, cornerY0] = await hover(0, 0);
    assert(cornerX0 === 0 && cornerY0 === 0, `corner: ${cornerX0}, ${cornerY0}`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('.enlarged', { state: 'detached' });
  });

  cpu.test('on a 360 px wide phone screen nothing overflows sideways', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.setViewportSize({ width: 1280, height: 900 });
    assert(width <= 360, `the page is ${width} px wide`);
  });

  const webgpu = suite('webgpu', openedOn(server, '?backend=webgpu'), closeWithoutPageErrors);

  webgpu.test('the badge names WebGPU and its adapter', async ({ page: gpuPage }) => {
    const text = await badge(gpuPage);
    assert(text.includes('WebGPU'), `badge: ${text}`);
  });

  webgpu.test('every browser preset gives the CLI\'s CPU numbers for MNIST test #0', async ({ page }) => {
    for (const preset of BROWSER_PRESETS) await expectCliNumbers(page, preset);
  });

  for (const preset of BROWSER_PRESETS) {
    webgpu.test(`${preset}: drawing gives a prediction and every tap's feature maps`, async ({ page }) => {
      await drawAndCheck(page, preset);
    });
  }

  webgpu.test('an answer that takes a while shows a spinner until it comes (the seed GoogLeNet)', async ({ page }) => {
    // About a second an answer on SwiftShader: well past the glance after which the page says it works.
    // At a phone's width, where the prediction's details are otherwise left out.
    await page.setViewportSize({ width: 360, height: 740 });
    await selectPreset(page, 'googlenet');
    await page.evaluate(() => {
      const detail = document.querySelector('.prediction-detail');
      const look = () => {
        if (detail.querySelector('.spinner') && detail.getAttribute('aria-busy') === 'true') {
          window.spinnerShown ||= detail.offsetWidth > 0;
          // The new network has no answer yet: the line says one is coming.
          if (!document.querySelector('[data-testid="prediction"]').textContent.trim()) window.waitingText = detail.textContent;
        }
      };
      window.spinnerShown = false;
      look();
      new MutationObserver(look).observe(detail, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await uploadAndExpectAny(page, await inputVersion(page));
    assert(await page.evaluate(() => window.spinnerShown), 'no spinner in sight while the answer was on its way');
    const waiting = await page.evaluate(() => window.waitingText);
    assert(/working on this digit/.test(waiting ?? ''), `while the new network's first answer comes: ${waiting}`);
    await page.waitForSelector('.prediction-detail[aria-busy="false"]', { state: 'attached', timeout: 60_000 });
    assert(await page.$('.prediction-detail .spinner') === null, 'the spinner stays after the answer');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  webgpu.test('a lost GPU device falls back to the CPU, keeping input and weights', async ({ page: gpuPage }) => {
    await selectPreset(gpuPage, 'resnet18-lite');
    await uploadAndExpect(gpuPage, '2_transparent.png', fixture('2_transparent.png'), 2, 'image/png');
    const status = await gpuPage.textContent(testid('weights-status'));
    const before = await inferences(gpuPage);
    await gpuPage.evaluate(() => window.convscope.loseGpuDevice());
    const message = await waitForError(gpuPage);
    assert(/GPU/.test(message), `message: ${message}`);
    await gpuPage.waitForSelector(`${testid('backend-badge')}:has-text("CPU")`, { timeout: 60_000 });
    await waitForRerun(gpuPage, before);
    assert(await prediction(gpuPage) === '2', `after the loss: ${await prediction(gpuPage)}`);
    assert(await gpuPage.textContent(testid('weights-status')) === status, 'weights changed');
  });

  const noWebGpu = suite('no WebGPU', openedOn(server, '?backend=webgpu', { webgpu: false }), closeWithoutPageErrors);
  noWebGpu.test('asking for it says so and runs on the CPU', async ({ page }) => {
    assert((await badge(page)).includes('CPU'), `badge: ${await badge(page)}`);
    const message = await waitForError(page);
    assert(/WebGPU/.test(message), `message: ${message}`);
    await uploadAndExpect(page, '1_dark.png', fixture('1_dark.png'), 1, 'image/png');
  });

  // The worker's own loader (www/engine-worker.js) reports a module that will not load in the
  // engine's `Panicked` message, written by hand in JavaScript: the page must understand it.
  const engineLoad = suite('engine load', openedOn(server, '?backend=cpu'), async ({ browser }) => browser.close());
  engineLoad.test('a worker whose module will not load is reported, not left hanging', async ({ browser, page }) => {
    await browser.context.route('**/*_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.selectOption(testid('backend-select'), 'auto');
    await page.waitForFunction(
      () => /could not load/.test(document.querySelector('[data-testid="error-banner"]')?.textContent ?? ''),
      null, { timeout: 60_000 });
    const message = await errorText(page);
    assert(/engine/i.test(message), `message: ${message}`);
  });

  return [cpu, webgpu, noWebGpu, engineLoad];
}
