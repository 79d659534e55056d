// The browser tests that matter, in Firefox ESR too (puppeteer-core over WebDriver BiDi):
// drawing and every tap's maps on each browser preset on both backends, uploads, weights out
// and back in, a short training run, and a reload that keeps the trained weights.
import { assert, suite } from './harness.mjs';
import {
  BROWSER_PRESETS, badge, closeWithoutPageErrors, dismissError, fixture, inferences, pressTrainControl, selectPreset,
  testid, upload, waitForError, waitForRerun,
} from './app.mjs';
import { drawAndCheck, expectCliNumbers, uploadAndExpect } from './app.test.mjs';
import { openedInFirefox, pageDownload } from './firefox.mjs';
import { lossPoints, safetensorsFloats, setTraining, waitForLossPoints, waitForStatus } from './training.mjs';

const weightsStatus = async (page) => (await page.textContent(testid('weights-status'))).trim();

async function exportedWeights(page) {
  const { name, bytes } = await pageDownload(page, () => pressTrainControl(page, 'export-weights'));
  return { name, bytes };
}

export function firefoxSuites(server) {
  const cpu = suite('firefox cpu', openedInFirefox(server, '?backend=cpu'), closeWithoutPageErrors);

  cpu.test('the app starts on the CPU', async ({ page }) => {
    assert((await badge(page)).includes('CPU'), `badge: ${await badge(page)}`);
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

  cpu.test('exported weights import back with the same output', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    const { name, bytes } = await exportedWeights(page);
    assert(name === 'alexnet-lite.safetensors', `file name: ${name}`);
    const probabilities = await page.textContent(testid('probabilities'));
    const before = await inferences(page);
    await upload(page, 'weights-input', 'mine.safetensors', bytes, 'application/octet-stream');
    await waitForRerun(page, before);
    assert((await weightsStatus(page)).includes('mine.safetensors'), `weights: ${await weightsStatus(page)}`);
    assert(await page.textContent(testid('probabilities')) === probabilities, 'the output changed');
  });

  let trained;
  cpu.test('a short training run trains and keeps its weights', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await setTraining(page, { epochs: 1, batch: 32, size: 512 });
    await pressTrainControl(page, 'train-start');
    await waitForStatus(page, 'stopped');
    assert((await lossPoints(page)).length >= 2, 'no loss curve');
    await page.waitForFunction(() => {
      const shown = document.querySelector('[data-testid="weights-status"]').textContent.match(/trained here.*?(\d+)$/);
      return shown && window.convscope.savedSteps === Number(shown[1]);
    }, null, { timeout: 60_000 });
    trained = (await exportedWeights(page)).bytes;
    assert(safetensorsFloats(trained).every(Number.isFinite), 'the trained weights are not all finite');
  });

  cpu.test('a reload restores the trained weights', async ({ page }) => {
    await page.reload();
    await page.waitForFunction(
      () => /restored/.test(document.querySelector('[data-testid="weights-status"]')?.textContent ?? '')
        && window.convscope.network === 'resnet18-lite',
      null, { timeout: 60_000 });
    assert((await exportedWeights(page)).bytes.equals(trained), 'the restored weights differ from the trained ones');
  });

  const webgpu = suite('firefox webgpu', openedInFirefox(server, '?backend=webgpu'), closeWithoutPageErrors);

  webgpu.test('the badge names WebGPU', async ({ page }) => {
    assert((await badge(page)).includes('WebGPU'), `badge: ${await badge(page)}`);
  });

  webgpu.test('every browser preset gives the CLI\'s CPU numbers for MNIST test #0', async ({ page }) => {
    for (const preset of BROWSER_PRESETS) await expectCliNumbers(page, preset);
  });

  for (const preset of BROWSER_PRESETS) {
    webgpu.test(`${preset}: drawing gives a prediction and every tap's feature maps`, async ({ page }) => {
      await drawAndCheck(page, preset);
    });
  }

  webgpu.test('a seed network too large for this GPU\'s buffers is refused in words; the network stays', async ({ page }) => {
    // Firefox on lavapipe binds at most 128 MiB; the seed VGG's first linear layer is 412 MB.
    await selectPreset(page, 'alexnet-lite');
    const shown = await page.textContent(testid('probabilities'));
    await page.selectOption(testid('arch-select'), 'vgg');
    const message = await waitForError(page);
    assert(/vgg cannot run on this GPU: its layer net2\.1 needs 412 MB in one buffer, and this GPU allows \d+ MB/.test(message),
      `message: ${message}`);
    assert(await page.$eval(testid('arch-select'), (select) => select.value) === 'alexnet-lite', 'the picker left the network in use');
    await dismissError(page);
    await drawAndCheck(page, 'alexnet-lite');
    assert(shown.length > 0, 'no probabilities before');
  });

  webgpu.test('a short training run trains on WebGPU', async ({ page }) => {
    await selectPreset(page, 'resnet18-lite');
    await setTraining(page, { epochs: 1, batch: 32, size: 2048 });
    await pressTrainControl(page, 'train-start');
    await waitForLossPoints(page, 2);
    await pressTrainControl(page, 'train-stop');
    await waitForStatus(page, 'stopped', 120_000);
    assert(/trained here/.test(await weightsStatus(page)), `weights: ${await weightsStatus(page)}`);
  });

  return [cpu, webgpu];
}
