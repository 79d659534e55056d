// Page-level helpers shared by the tests and the benchmark.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, assert, launch } from './harness.mjs';

export const BROWSER_PRESETS = ['alexnet-lite', 'vgg-lite', 'googlenet-lite', 'resnet18-lite'];
/** Tap names of each browser preset as PyTorch forward hooks saw them (tools/torch_reference.py). */
export function expectedTaps(preset) {
  const file = path.join(ROOT, 'tests/fixtures/parity', preset, 'expected.json');
  return Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).taps);
}

export const testid = (id) => `[data-testid="${id}"]`;

/** Opens the app; `query` e.g. "?backend=cpu". Collects page errors and off-origin requests. */
export async function openApp(context, server, query = '') {
  const page = await context.newPage();
  page.pageErrors = [];
  page.offOrigin = [];
  page.on('pageerror', (error) => page.pageErrors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(server.origin) && !url.startsWith('blob:') && !url.startsWith('data:')) {
      page.offOrigin.push(url);
    }
  });
  page.on('console', (message) => {
    if (process.env.E2E_CONSOLE) console.log(`     [console.${message.type()}] ${message.text()}`);
  });
  await page.goto(server.url + query);
  await engineStarted(page);
  return page;
}

/** The engine has started (the badge says on what), or, where no badge shows, a network loaded. */
export async function engineStarted(page) {
  await page.waitForFunction(() => {
    const badge = document.querySelector('[data-testid="backend-badge"]');
    return (badge && !/Starting|正在启动/.test(badge.textContent)) || window.convscope?.networksLoaded > 0;
  }, null, { timeout: 60_000 });
}

export async function badge(page) {
  return (await page.textContent(testid('backend-badge'))).trim();
}

/** Waits for the engine to hold `preset` (weights downloaded and loaded). */
export async function selectPreset(page, preset) {
  const before = await page.evaluate(() => window.convscope.networksLoaded ?? 0);
  await page.selectOption(testid('arch-select'), preset);
  await page.waitForFunction(
    ([name, count]) => window.convscope.networksLoaded > count && window.convscope.network === name,
    [preset, before], { timeout: 120_000 });
}

/** Draws a 7 with mouse moves, the way a person would. */
export async function drawSeven(page) {
  const canvas = await page.$(testid('draw-canvas'));
  const box = await canvas.boundingBox();
  const at = (x, y) => [box.x + (x * box.width) / 28, box.y + (y * box.height) / 28];
  const stroke = async (points) => {
    await page.mouse.move(...at(...points[0]));
    await page.mouse.down();
    for (const point of points.slice(1)) await page.mouse.move(...at(...point), { steps: 6 });
    await page.mouse.up();
  };
  await stroke([[7, 7], [14, 7], [21, 7], [18, 13], [15, 18], [13, 23]]);
}

/** The page's input counter: pass it to `waitForAnswer` after giving a new input. */
export async function inputVersion(page) {
  return page.evaluate(() => window.convscope.inputVersion ?? 0);
}

/** Waits until the newest input, given after `version`, has its result on the page. */
export async function waitForAnswer(page, version, timeout = 120_000) {
  await page.waitForFunction(
    (after) => {
      const hooks = window.convscope;
      return hooks.inputVersion > after && hooks.answeredInput === hooks.inputVersion;
    }, version, { timeout });
}

/** Results shown so far (any input): for reruns that come without a new input. */
export async function inferences(page) {
  return page.evaluate(() => window.convscope.inferences ?? 0);
}

export async function waitForRerun(page, count, timeout = 120_000) {
  await page.waitForFunction((after) => window.convscope.inferences > after, count, { timeout });
}

/** Shows one of the tabs under the overview (lesson, channels, train, layers). */
export async function showTab(page, name) {
  if (await page.getAttribute(testid(`tab-${name}`), 'aria-selected') !== 'true') {
    await page.click(testid(`tab-${name}`));
  }
}

/** Clicks a control of the training tab (training, weights), showing the tab first. */
export async function pressTrainControl(page, id) {
  await showTab(page, 'train');
  await page.click(testid(id));
}

/** Opens a tap from the overview (Enter on its tile), then its first channel large (Enter). */
export async function openChannel(page, tap) {
  await page.focus(`${testid('overview')} [data-block="${tap}"]`);
  await page.keyboard.press('Enter');
  // While the code shows, a tile marks its lines instead of switching views.
  await showTab(page, 'channels');
  await page.waitForSelector(`${testid('channels')} [data-tap="${tap}"] canvas`);
  await page.focus(`${testid('channels')} [data-tap="${tap}"] canvas`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.enlarged');
}

export async function prediction(page) {
  return (await page.textContent(testid('prediction'))).trim();
}

/** Names of the taps whose canvases were not drawn (no heatmap pixel at all). */
export async function blankTaps(page) {
  return page.evaluate(() => {
    const blank = [];
    for (const block of document.querySelectorAll('[data-testid="feature-maps"] [data-block]')) {
      const canvases = block.querySelectorAll(':scope > canvas');
      let drawn = canvases.length > 0;
      for (const canvas of canvases) {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let heat = false;
        for (let i = 0; i < data.length && !heat; i += 4) {
          // Tiles are opaque colormap pixels; the gaps between them are the panel color.
          const gap = data[i] === 246 && data[i + 1] === 247 && data[i + 2] === 249;
          heat = data[i + 3] === 255 && !gap;
        }
        if (canvas.width <= 1 || !heat) drawn = false;
      }
      if (!drawn) blank.push(block.dataset.block);
    }
    return blank;
  });
}

export async function tapNames(page) {
  return page.$$eval('[data-testid="feature-maps"] [data-block]', (els) => els.map((e) => e.dataset.block));
}

export async function errorText(page) {
  const banner = await page.$(testid('error-banner'));
  return banner && (await banner.isVisible()) ? (await banner.textContent()).trim() : null;
}

export async function waitForError(page, timeout = 60_000) {
  await page.waitForSelector(testid('error-banner'), { state: 'visible', timeout });
  return errorText(page);
}

export async function dismissError(page) {
  await page.click(`${testid('error-banner')} button`);
  await page.waitForSelector(testid('error-banner'), { state: 'detached' });
}

export async function upload(page, testId, name, buffer, mimeType = 'image/png') {
  await page.setInputFiles(testid(testId), { name, mimeType, buffer });
}

export function fixture(name) {
  return fs.readFileSync(path.join(ROOT, 'tests/fixtures/images', name));
}

export function weightsFile(preset) {
  return fs.readFileSync(path.join(ROOT, 'assets/weights', `${preset}.safetensors`));
}

export { assert };

/** A suite's setup: a fresh browser with the app open at `query`. */
export function openedOn(server, query, options) {
  return async () => {
    const browser = await launch(options);
    try {
      return { browser, page: await openApp(browser.context, server, query) };
    } catch (error) {
      await browser.close();
      throw error;
    }
  };
}

/** A suite's teardown: the page threw nothing uncaught, then the browser closes. */
export async function closeWithoutPageErrors({ browser, page }) {
  const errors = page.pageErrors;
  await browser.close();
  assert(errors.length === 0, `page errors: ${errors}`);
}
