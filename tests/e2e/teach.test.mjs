// Browser tests of the teaching views: the input beside the whole network on one screen, the
// lessons tied to taps, receptive fields from the overview.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert, cli, ROOT, suite } from './harness.mjs';
import {
  BROWSER_PRESETS, closeWithoutPageErrors, dismissError, drawSeven, expectedTaps, fixture, inferences, inputVersion, openApp, openChannel, openedOn,
  prediction, selectPreset,
  showTab, testid, upload, waitForAnswer, waitForError, waitForRerun,
} from './app.mjs';

/** Whether an element lies wholly inside the viewport. */
async function inView(page, selector) {
  return page.$eval(selector, (element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth && box.width > 0;
  });
}

async function showDigit(page) {
  const before = await inputVersion(page);
  await upload(page, 'upload-input', '1_dark.png', fixture('1_dark.png'), 'image/png');
  await waitForAnswer(page, before);
}

/** The receptive-field column of the CLI's layer table, by tap name. */
async function cliFields(preset) {
  const layers = JSON.parse(await cli(['summary', '--arch', preset, '--json'])).layers;
  return Object.fromEntries(layers.filter((l) => l.tap).map((l) => [l.tap, l]));
}

/** Each kind of pixel maths, by preset: the tap to open, and what its maths must show. */
const PIXEL_MATHS = {
  'alexnet-lite': [
    ['conv1', '.pixel-term canvas.patch'], ['pool1', '.number-grid .winner'], ['fc1', '.pixel-term'],
  ],
  'vgg-lite': [['block3.conv2', '.pixel-steps'], ['block1', '.number-grid .winner']],
  'googlenet-lite': [
    ['b3.inception1', 'code'], ['b3.inception1.branch2', '.pixel-term .number-grid'], ['b5', '.formula'],
  ],
  'resnet18-lite': [
    ['b1.conv', '.pixel-steps'], ['b2.residual1', '.formula'], ['b2.residual1.shortcut', '.formula'],
    ['b3.residual1.shortcut', '.pixel-term'], ['b3.residual1.main', '.pixel-steps'], ['avgpool', '.formula'],
  ],
};

/** Opens `tap`'s first channel large and clicks its middle pixel; returns the pixel maths. */
async function pixelMaths(page, tap) {
  await openChannel(page, tap);
  await page.waitForFunction(() => document.querySelector('.enlarged-canvas')?.width >= 1);
  const canvas = await page.$('.enlarged-canvas');
  const [width, height] = await canvas.evaluate((c) => [c.width, c.height]);
  const box = await canvas.boundingBox();
  const [x, y] = [Math.floor(width / 2), Math.floor(height / 2)];
  await page.mouse.click(box.x + ((x + 0.5) * box.width) / width, box.y + ((y + 0.5) * box.height) / height);
  const math = await page.waitForSelector(testid('pixel-math'), { timeout: 60_000 });
  const [value, sum, title] = await math.evaluate((m) => [Number(m.dataset.value), Number(m.dataset.sum), m.querySelector('h4').textContent]);
  assert(title.includes(`x=${x} y=${y}`), `${tap}: asked for x=${x} y=${y}, the maths is of ${title}`);
  return { math, value, sum };
}

async function expectPixelMaths(page, preset, tap, shows) {
  const { math, value, sum } = await pixelMaths(page, tap);
  assert(Number.isFinite(value) && Math.abs(value - sum) <= 1e-4 * (1 + Math.abs(value)),
    `${preset} ${tap}: the page shows ${value}, its maths add up to ${sum}`);
  assert(await math.$(shows), `${preset} ${tap}: the maths show no ${shows}`);
  await page.keyboard.press('Escape');
  await page.waitForSelector('.enlarged', { state: 'detached' });
}

export function teachSuites(server) {
  const desktop = suite('teach desktop', openedOn(server, '?backend=cpu'), closeWithoutPageErrors);

  for (const preset of BROWSER_PRESETS) {
    desktop.test(`${preset}: at 1366×768 the drawing and prediction stay in view beside every tap of the overview`, async ({ page }) => {
      await page.setViewportSize({ width: 1366, height: 768 });
      await selectPreset(page, preset);
      await page.click(testid('clear-button'));
      const before = await inputVersion(page);
      await drawSeven(page);
      await waitForAnswer(page, before);
      const overview = testid('overview');
      const shown = await page.$$eval(`${overview} [data-block]`, (tiles) => tiles.map((t) => t.dataset.block));
      assert(JSON.stringify(shown) === JSON.stringify(expectedTaps(preset)),
        `${preset}: overview taps ${shown.join(' ')}; PyTorch order ${expectedTaps(preset).join(' ')}`);
      // The overview starts on the first screen, level with the input: nothing sits between them.
      const top = (selector) => page.$eval(selector, (e) => e.getBoundingClientRect().top);
      const [maps, input] = [await top(testid('feature-maps')), await top('.input-strip')];
      assert(Math.abs(maps - input) < 4 && maps < 768 / 3, `${preset}: the maps start at ${maps} px, the input at ${input}`);
      for (const tap of [shown[0], shown[Math.floor(shown.length / 2)], shown.at(-1)]) {
        await page.$eval(`${overview} [data-block="${tap}"]`, (t) => t.scrollIntoView({ block: 'center' }));
        assert(await inView(page, `${overview} [data-block="${tap}"]`), `${preset}: ${tap} not in view`);
        assert(await inView(page, testid('draw-canvas')), `${preset}: the canvas left the screen at ${tap}`);
        assert(await inView(page, testid('prediction')), `${preset}: the prediction left the screen at ${tap}`);
      }
      // Reaching the input column's lower controls (it scrolls on its own) keeps the drawing in view.
      await page.$eval(testid('mnist-random'), (b) => b.scrollIntoView({ block: 'end' }));
      assert(await inView(page, testid('draw-canvas')), `${preset}: the MNIST picker scrolled the canvas away`);
      // Enter on a tile opens its channels under the overview, one tile per channel.
      const last = shown.findLast((name) => !/fc|avgpool/.test(name));
      await page.focus(`${overview} [data-block="${last}"]`);
      await page.keyboard.press('Enter');
      const grid = `${testid('channels')} [data-tap="${last}"] canvas`;
      await page.waitForFunction((selector) => document.querySelector(selector)?.width > 1, grid);
      assert(await page.getAttribute(testid('tab-channels'), 'aria-selected') === 'true', 'channels tab not shown');
      assert(await page.getAttribute(`${overview} [data-block="${last}"]`, 'aria-pressed') === 'true', 'tile not marked open');
      const explanation = await page.textContent(testid('tap-explanation'));
      assert(explanation.length > 40, `no explanation for ${last}: ${explanation}`);
    });
  }

  desktop.test('drawing redraws the overview live (the tiles change with the input)', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    const pixels = () => page.$eval(`${testid('overview')} [data-block="conv1"] canvas`,
      (c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join(','));
    await page.waitForFunction(() => document.querySelector('[data-testid="overview"] [data-block="conv1"] canvas')?.width > 1);
    await page.click(testid('clear-button'));
    // Clear blanks the tile and keeps its size, so the next drawing's maps need no resize.
    await page.waitForFunction(() => {
      const canvas = document.querySelector('[data-testid="overview"] [data-block="conv1"] canvas');
      return canvas.width > 1 && canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.every((v) => v === 0);
    }, null, { timeout: 10_000 });
    let before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    const seven = await pixels();
    before = await inputVersion(page);
    await upload(page, 'upload-input', '0_white.bmp', fixture('0_white.bmp'), 'image/bmp');
    await waitForAnswer(page, before);
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
    assert(await pixels() !== seven, 'conv1 looks the same for a 7 and a 0');
  });

  desktop.test('hovering or arrowing over an overview pixel outlines its receptive field on the network input', async ({ page }) => {
    const preset = 'resnet18-lite';
    await selectPreset(page, preset);
    await showDigit(page);
    const fields = await cliFields(preset);
    const tile = `${testid('overview')} [data-block="b1.conv"]`;
    const canvas = await page.$(`${tile} canvas`);
    const [width, height] = await canvas.evaluate((c) => [c.width, c.height]);
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + (width / 2 + 0.5) * (box.width / width), box.y + (height / 2 + 0.5) * (box.height / height));
    const outline = `.network-input ${testid('rf-outline')}`;
    const read = () => page.$eval(outline, (o) => ['x0', 'y0', 'x1', 'y1'].map((k) => Number(o.dataset[k])));
    await page.waitForSelector(outline);
    const [x0, y0, x1, y1] = await read();
    assert(x1 - x0 + 1 === fields['b1.conv'].receptive_field && y1 - y0 + 1 === fields['b1.conv'].receptive_field,
      `b1.conv's centre sees ${x0}..${x1} × ${y0}..${y1}; the table says ${fields['b1.conv'].receptive_field}`);
    // The keyboard: focus puts the probe at the centre, arrows move it by one tap pixel.
    await page.mouse.move(0, 0);
    await page.waitForSelector(outline, { state: 'detached' });
    await page.focus(tile);
    const [cx0] = await read();
    await page.keyboard.press('ArrowRight');
    const [nx0] = await read();
    assert(nx0 - cx0 === fields['b1.conv'].jump, `one step right moved the field by ${nx0 - cx0}, not ${fields['b1.conv'].jump}`);
    // A deep tap sees most of the input.
    await page.focus(`${testid('overview')} [data-block="b5.residual2"]`);
    const [dx0, dy0, dx1, dy1] = await read();
    const side = await page.$eval('.network-input canvas', (c) => c.width);
    assert(dx1 - dx0 + 1 === side && dy1 - dy0 + 1 === side, `b5.residual2 sees ${dx0}..${dx1} of ${side}`);
    assert(/b5\.residual2/.test(await page.textContent('.probe-caption')), 'the caption does not name the tap');
  });

  desktop.test('while the drawing is the input, the probed field is also outlined on the drawing', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await page.click(testid('clear-button'));
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    const widths = async (tap) => {
      await page.focus(`${testid('overview')} [data-block="${tap}"]`);
      await page.waitForSelector(testid('rf-outline-drawing'));
      const box = (selector) => page.$eval(selector, (e) => e.getBoundingClientRect().toJSON());
      const [drawing, canvas, input] = await Promise.all([
        box(testid('rf-outline-drawing')), box(testid('draw-canvas')), box(`.network-input ${testid('rf-outline')}`),
      ]);
      assert(drawing.left >= canvas.left - 1 && drawing.right <= canvas.right + 1, `${tap}: the outline leaves the drawing`);
      return [drawing.width, input.width];
    };
    // The map from the network input back to the drawing is linear: two unclipped fields keep their ratio.
    const [conv1OnDrawing, conv1OnInput] = await widths('conv1');
    const [pool1OnDrawing, pool1OnInput] = await widths('pool1');
    assert(pool1OnInput > conv1OnInput, 'pool1 should see more than conv1');
    const ratio = (pool1OnDrawing / conv1OnDrawing) / (pool1OnInput / conv1OnInput);
    assert(Math.abs(ratio - 1) < 0.05, `drawing and input outlines disagree (ratio ${ratio})`);
    await showDigit(page);
    await page.focus(`${testid('overview')} [data-block="conv1"]`);
    assert(await page.$(testid('rf-outline-drawing')) === null, 'an upload is the input, yet the drawing is outlined');
  });

  for (const preset of [...BROWSER_PRESETS, 'googlenet']) {
    desktop.test(`${preset}: the lesson names taps that light up in the overview and open on click, in both languages`, async ({ page }) => {
      await selectPreset(page, preset);
      await showTab(page, 'lesson');
      const items = await page.$$eval(`${testid('lesson')} ${testid('lesson-item')}`,
        (list) => list.map((item) => ({ blocks: item.dataset.blocks.split(' '), text: item.textContent })));
      assert(items.length >= 4, `${preset}: ${items.length} lesson points`);
      const taps = new Set(expectedTaps(preset.replace(/^googlenet$/, 'googlenet-lite')));
      const words = (await page.textContent(testid('lesson'))).split(/\s+/).length;
      assert(words >= 150, `${preset}: the lesson has ${words} words`);
      for (const [index, item] of items.entries()) {
        assert(item.blocks.length > 0 && item.blocks.every((b) => taps.has(b)), `${preset}: point ${index} names ${item.blocks}`);
        await page.hover(`${testid('lesson-item')}:nth-child(${index + 1})`);
        const lit = await page.$$eval(`${testid('overview')} .highlighted`, (tiles) => tiles.map((t) => t.dataset.block));
        assert(JSON.stringify(lit) === JSON.stringify(item.blocks), `${preset}: point ${index} lights ${lit}, names ${item.blocks}`);
      }
      await page.click(`${testid('lesson-item')}:nth-child(1)`);
      const first = items[0].blocks[0];
      await page.waitForSelector(`${testid('channels')} [data-tap="${first}"]`);
      assert(await page.getAttribute(testid('tab-channels'), 'aria-selected') === 'true', 'the click did not open the tap');
      await page.selectOption(testid('lang-select'), 'zh-CN');
      await showTab(page, 'lesson');
      const chinese = await page.textContent(testid('lesson'));
      const han = (chinese.match(/[\u4e00-\u9fff]/g) ?? []).length;
      assert(han >= 225, `${preset}: ${han} Chinese characters in the lesson`);
      assert(!/\b(the|and|of)\b/.test(chinese), `${preset}: English words in the Chinese lesson`);
      await page.selectOption(testid('lang-select'), 'en');
    });
  }

  desktop.test('a line under the title names the network and brings its lesson to the top of the screen, from any tab', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await selectPreset(page, 'googlenet-lite');
    await showTab(page, 'code');
    await page.evaluate(() => window.scrollTo(0, 0));
    assert(await inView(page, testid('lesson-jump')), 'the lesson line is not on the first screen');
    assert(!(await inView(page, '#lesson-title')), 'the lesson is on the first screen already: nothing to test');
    assert(await page.textContent(testid('lesson-jump')) === 'Why is GoogLeNet built this way? Its lesson ↓', 'the line does not name the network');
    await page.click(testid('lesson-jump'));
    assert(await page.getAttribute(testid('tab-lesson'), 'aria-selected') === 'true', 'the lesson tab is not shown');
    await page.waitForFunction(() => document.activeElement?.id === 'tab-lesson');
    assert(await inView(page, '#lesson-title'), 'the lesson title is not in view');
    assert(!new URL(page.url()).hash, `the URL took a hash: ${page.url()}`);
    await page.selectOption(testid('lang-select'), 'zh-CN');
    assert(await page.textContent(testid('lesson-jump')) === 'GoogLeNet 为什么这样设计？看它的讲解 ↓', 'not in Chinese');
    await page.selectOption(testid('lang-select'), 'en');
  });

  desktop.test('each lesson leads to the next network in the post\'s order, by its title; the last to the four side by side', async ({ page }) => {
    // Picked by hand once, an option no longer follows its `selected` attribute: the picker
    // must follow the network all the same.
    await selectPreset(page, 'vgg-lite');
    await selectPreset(page, 'alexnet-lite');
    await showTab(page, 'lesson');
    assert(await page.$(testid('lesson-before')) === null, 'something before AlexNet');
    const after = await page.textContent(testid('lesson-after'));
    assert(after === 'Next in the post: VGG: one block, repeated →', `after AlexNet: ${after}`);
    const runs = await inferences(page);
    await page.click(testid('lesson-after'));
    await page.waitForFunction(() => window.convscope.network === 'vgg-lite');
    await waitForRerun(page, runs);
    assert(/^VGG/.test(await page.textContent('#lesson-title')), 'the lesson did not follow');
    assert(await page.$eval(testid('arch-select'), (select) => select.value) === 'vgg-lite', 'the picker did not follow');
    assert(await page.getAttribute(testid('lesson-before'), 'data-preset') === 'alexnet-lite', 'VGG does not lead back to AlexNet');
    await page.click(testid('lesson-after'));
    await page.waitForFunction(() => window.convscope.network === 'googlenet-lite');
    await page.click(testid('lesson-after'));
    await page.waitForFunction(() => window.convscope.network === 'resnet18-lite');
    assert(await page.$(testid('lesson-after')) === null, 'something after ResNet');
    await page.selectOption(testid('lang-select'), 'zh-CN');
    assert(/^原文到此结束/.test(await page.textContent(testid('lesson-compare'))), 'the last step is not in Chinese');
    await page.selectOption(testid('lang-select'), 'en');
    await page.click(testid('lesson-compare'));
    assert(await page.getAttribute(testid('tab-compare'), 'aria-selected') === 'true', 'the compare view did not open');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-card"]').length === 4, null, { timeout: 120_000 });
  });

  for (const preset of [...BROWSER_PRESETS, 'googlenet']) {
    desktop.test(`${preset}: the post's code beside the network: a tap marks the lines that build it, a line opens its tap`, async ({ page }) => {
      await selectPreset(page, preset);
      await showTab(page, 'code');
      const code = testid('seed-code');
      const lines = await page.$$eval(`${code} ${testid('code-line')}`, (all) => all.map((l) => ({
        block: l.dataset.block ?? null, blocks: l.dataset.blocks ? l.dataset.blocks.split(' ') : [],
        differs: l.classList.contains('differs'), title: l.title, text: l.textContent,
      })));
      assert(lines.length > 10, `${preset}: ${lines.length} lines of code`);
      assert(lines.some((l) => /nn\.Conv2d\(/.test(l.text)), `${preset}: no convolution in the code`);
      const differing = lines.filter((l) => l.differs);
      if (preset === 'googlenet') {
        assert(differing.length === 0, `the seed preset differs from the post in ${differing.length} lines`);
      } else {
        assert(differing.length > 0 && differing.every((l) => /the post writes: /.test(l.title)),
          `${preset}: ${differing.length} lines say how the post differs`);
        // And say it in Chinese in Chinese mode.
        await page.selectOption(testid('lang-select'), 'zh-CN');
        const zhTitles = await page.$$eval(`${code} .code-line.differs`, (all) => all.map((l) => l.title));
        await page.selectOption(testid('lang-select'), 'en');
        assert(zhTitles.length === differing.length && zhTitles.every((t) => t.startsWith('原文为: ')),
          `${preset} in Chinese: ${zhTitles[0]}`);
      }
      // Every tap is built by some line.
      const taps = new Set(expectedTaps(preset.replace(/^googlenet$/, 'googlenet-lite')));
      const built = new Set(lines.flatMap((l) => l.blocks));
      assert([...taps].every((t) => built.has(t)), `${preset}: taps without a line: ${[...taps].filter((t) => !built.has(t))}`);
      // A tile opened while the code shows marks the lines that build it (the code stays shown).
      const tap = lines.find((l) => l.block)?.block;
      await page.click(`${testid('overview')} [data-block="${tap}"]`);
      assert(await page.getAttribute(testid('tab-code'), 'aria-selected') === 'true', 'the code tab closed');
      const current = await page.$$eval(`${code} [aria-current="true"]`, (all) => all.map((l) => l.dataset.blocks.split(' ')));
      assert(current.length > 0 && current.every((blocks) => blocks.includes(tap)), `${preset}: ${tap} marks ${JSON.stringify(current)}`);
      // Clicking another module's line opens its tap in the overview.
      const other = lines.filter((l) => l.block && l.block !== tap).at(-1).block;
      await page.click(`${code} [data-block="${other}"]`);
      assert(await page.getAttribute(`${testid('overview')} [data-block="${other}"]`, 'aria-pressed') === 'true',
        `${preset}: clicking the line of ${other} did not open it`);
    });
  }

  for (const [preset, taps] of Object.entries(PIXEL_MATHS)) {
    desktop.test(`${preset}: a clicked pixel's maths (patch and kernel, pooling window, branch, main path and shortcut) add up to the value shown`, async ({ page }) => {
      await selectPreset(page, preset);
      await showDigit(page);
      for (const [tap, shows] of taps) await expectPixelMaths(page, preset, tap, shows);
    });
  }

  desktop.test('the pixel maths of a convolution: strongest input channels, bias, ReLU; in Chinese too', async ({ page }) => {
    await selectPreset(page, 'vgg-lite');
    await showDigit(page);
    const { math } = await pixelMaths(page, 'block4.conv1');
    // 32 input channels: the strongest four one by one, the 28 others in one line.
    assert((await math.$$('.pixel-term')).length === 4, 'not four input channels shown');
    assert(/\+ 28 other input channels/.test(await math.textContent()), 'the other channels are not summed up');
    const rows = await math.$$eval('.pixel-steps th', (all) => all.map((th) => th.textContent));
    assert(JSON.stringify(rows) === JSON.stringify(['Σ input × weight', '+ bias', 'ReLU']), `steps: ${rows}`);
    // From the keyboard: the focused map's arrow keys move the chosen pixel, not the channel.
    const [x, y] = (await page.textContent(`${testid('pixel-math')} h4`)).match(/x=(\d+) y=(\d+)/).slice(1).map(Number);
    await page.focus(testid('enlarged-canvas'));
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction((expected) => document.querySelector('[data-testid="pixel-math"] h4')?.textContent.includes(expected),
      `x=${x - 1} y=${y - 1}`);
    assert((await page.textContent('#enlarged-title')).includes('channel 0 /'), 'the arrows changed the channel');
    await page.keyboard.press('Escape');
    await page.selectOption(testid('lang-select'), 'zh-CN');
    const zh = await pixelMaths(page, 'block4.conv1');
    assert(/个其他输入通道/.test(await zh.math.textContent()) && /偏置/.test(await zh.math.textContent()), 'not in Chinese');
    await page.keyboard.press('Escape');
    await page.selectOption(testid('lang-select'), 'en');
  });

  desktop.test('a link restores network, language, view, tap, channel, pixel and MNIST digit; the URL follows the page', async ({ page }) => {
    const link = '?net=resnet18-lite&backend=cpu&lang=zh&view=channels&tap=b3.residual1&channel=2&pixel=1,2&input=mnist:7';
    await page.goto(server.url + link);
    await page.waitForSelector('.enlarged', { timeout: 120_000 });
    assert(await page.$eval(testid('arch-select'), (s) => s.value) === 'resnet18-lite', 'not the link\'s network');
    assert(await page.getAttribute('html', 'lang') === 'zh-CN', 'not in Chinese');
    assert(await page.getAttribute(testid('tab-channels'), 'aria-selected') === 'true', 'not the channels view');
    const title = await page.textContent('#enlarged-title');
    assert(title.startsWith('b3.residual1 ·') && title.includes(' 2 /'), `enlarged: ${title}`);
    const math = await page.waitForSelector(testid('pixel-math'), { timeout: 60_000 });
    assert((await math.textContent()).includes('x=1 y=2'), 'not the link\'s pixel');
    assert((await page.textContent('.prediction-detail')).includes('7'), 'not MNIST test digit 7');
    assert(new URL(page.url()).searchParams.get('input') === 'mnist:7', `the URL lost its input: ${page.url()}`);
    // The URL follows the page: closing the channel drops channel and pixel; another view.
    await page.keyboard.press('Escape');
    await page.click(testid('tab-code'));
    await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'code');
    const params = new URL(page.url()).searchParams;
    assert(!params.has('channel') && !params.has('pixel') && params.get('tap') === 'b3.residual1', `URL: ${page.url()}`);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.click(testid('copy-link'));
    await page.waitForSelector(`${testid('copy-link')}:has-text("已复制")`);
    assert(await page.evaluate(() => navigator.clipboard.readText()) === page.url(), 'the clipboard does not hold the URL');
    await page.selectOption(testid('lang-select'), 'en');
  });

  desktop.test('a link carries the drawing: opened, it draws the same strokes and gets the same probabilities', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await page.click(testid('clear-button'));
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    const probabilities = () => page.$$eval(`${testid('probabilities')} [role="meter"]`, (all) => all.map((m) => m.getAttribute('aria-valuenow')));
    const drawn = await probabilities();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('input')?.startsWith('draw:'));
    const url = page.url();
    const other = await openApp(page.context(), { ...server, url: url.split('?')[0] }, `?${url.split('?')[1]}`);
    await other.waitForFunction(() => window.convscope.inferences > 0, null, { timeout: 120_000 });
    await other.waitForFunction((expected) => {
      const now = [...document.querySelectorAll('[data-testid="probabilities"] [role="meter"]')].map((m) => m.getAttribute('aria-valuenow'));
      return JSON.stringify(now) === JSON.stringify(expected);
    }, drawn, { timeout: 60_000 }).catch(async () => {
      throw new Error(`the link's drawing gives ${await other.$$eval('[role="meter"]', (a) => a.map((m) => m.getAttribute('aria-valuenow')))}, the drawing ${drawn}`);
    });
    assert(await prediction(other) === await prediction(page), 'another prediction');
    // The input is the drawing (not the MNIST digit the page opens on), with ink on the canvas.
    assert(!(await other.textContent('.prediction-detail')).includes('MNIST'), 'the link opened on an MNIST digit');
    const ink = await other.$eval(testid('draw-canvas'), (c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark += 1;
      return dark;
    });
    assert(ink > 500, `the link's canvas has ${ink} inked pixels`);
    await other.close();
  });

  desktop.test('a link with values the page cannot use opens the default view and says which', async ({ page }) => {
    await page.goto(`${server.url}?backend=cpu&net=lenet&view=slides&tap=nope&input=mnist:abc`);
    await page.waitForSelector(`${testid('backend-badge')}:not(:text("Starting"))`, { timeout: 60_000 });
    const message = await waitForError(page);
    for (const part of ['net=lenet', 'view=slides', 'tap=nope', 'input=mnist:abc']) {
      assert(message.includes(part), `the message does not name ${part}: ${message}`);
    }
    assert(BROWSER_PRESETS.includes(await page.$eval(testid('arch-select'), (s) => s.value)), 'no network shown');
    assert(await page.getAttribute(testid('tab-lesson'), 'aria-selected') === 'true', 'not the default view');
    await dismissError(page);
    // The page still works: it opens on a digit of its own.
    await page.waitForFunction(() => window.convscope.inferences > 0, null, { timeout: 120_000 });
  });

  desktop.test('a tap\'s channels and the first-layer kernels save as PNG figures with a caption', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await showDigit(page);
    await openChannel(page, 'conv1');
    await page.keyboard.press('Escape');
    const figure = `${testid('channels')} [data-tap="conv1"]`;
    for (const [where, names] of [[figure, ['alexnet-lite', 'conv1', 'uploaded image', 'pretrained']], [`${testid('channels')} .kernels`, ['First-layer kernels']]]) {
      const button = `${where} ${testid('export-figure')}`;
      const caption = await page.getAttribute(button, 'data-caption');
      assert(names.every((n) => caption.includes(n)), `caption: ${caption}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      assert(download.suggestedFilename().endsWith('.png'), download.suggestedFilename());
      const png = fs.readFileSync(await download.path());
      assert(png.subarray(1, 4).toString() === 'PNG', 'not a PNG');
      const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      const shown = await page.$eval(`${where} canvas`, (c) => [c.width, c.height]);
      // Magnified, with room for the caption under the picture.
      assert(width >= 480 && height > shown[1] * Math.floor(640 / Math.max(...shown)), `${width}×${height} for a ${shown} canvas`);
    }
  });

  desktop.test('in Chinese the errors about a file, an image and weights say it in Chinese', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await page.selectOption(testid('lang-select'), 'zh-CN');
    try {
      const full = fs.readFileSync(path.join(ROOT, 'assets/weights/alexnet-lite.safetensors'));
      const vgg = fs.readFileSync(path.join(ROOT, 'assets/weights/vgg-lite.safetensors'));
      const cases = [
        ['upload-input', 'notes.png', Buffer.from('just text'), /不是可读取的图片/],
        ['weights-input', 'cut.safetensors', full.subarray(0, full.length / 2), /不是可读取的 \.safetensors 文件.*文件是否不完整/],
        ['weights-input', 'vgg-lite.safetensors', vgg, /这些权重与此网络不匹配.它们适用于 `vgg-lite`/],
      ];
      for (const [input, name, bytes, chinese] of cases) {
        if (input === 'weights-input') await showTab(page, 'train');
        await upload(page, input, name, bytes, 'application/octet-stream');
        const message = await waitForError(page);
        // Only names (files, tensor keys, formats) may stay in Latin letters.
        const english = message.replace(/[\w.-]*\.(png|safetensors)|`[^`]*`|[\w.]+\.(weight|bias)|safetensors|MNIST|PNG|HTTP/g, '');
        assert(chinese.test(message) && !/[A-Za-z]{3,}/.test(english), `${name}: ${message}`);
        await dismissError(page);
      }
    } finally {
      await page.selectOption(testid('lang-select'), 'en');
    }
  });

  desktop.test('the layer table says where the weights and the work are, and from which map a pixel sees the whole input', async ({ page }) => {
    await showTab(page, 'layers');
    const table = '.layer-table';
    for (const preset of [...BROWSER_PRESETS, 'alexnet']) {
      await selectPreset(page, preset);
      await page.waitForSelector(`${table} tbody tr[data-layer]`);
      const rows = await page.$$eval(`${table} tbody tr`, (trs) => trs.map((tr) => {
        const cells = [...tr.cells].map((td) => td.textContent.trim());
        const number = (text) => Number(text.replace(/,/g, ''));
        return {
          name: cells[0], kind: cells[1], tap: cells[2], params: number(cells[4]), macs: number(cells[5]),
          field: Number(cells[6].split('×')[0]), marked: tr.classList.contains('whole-view'),
        };
      }));
      // The facts against the table's own numbers.
      const sum = (list, key) => list.reduce((total, row) => total + row[key], 0);
      const linear = rows.filter((row) => row.kind === 'Linear');
      const share = (key) => (100 * sum(linear, key)) / sum(rows, key);
      const shown = (await page.textContent(testid('linear-share'))).match(/([\d.]+)%|<0\.1%/g);
      const printed = (value) => (value >= 9.95 ? value.toFixed(0) : value >= 0.05 ? value.toFixed(1) : '<0.1') + '%';
      assert(JSON.stringify(shown) === JSON.stringify([printed(share('params')), printed(share('macs'))]),
        `${preset}: the page says ${shown}, its table ${printed(share('params'))} and ${printed(share('macs'))}`);
      const side = Number((await page.$eval(testid('arch-select'), (s) => s.selectedOptions[0].textContent)).match(/×(\d+)\)/)[1]);
      const whole = rows.find((row) => row.tap && row.field >= side);
      const marked = rows.filter((row) => row.marked).map((row) => row.name);
      assert(JSON.stringify(marked) === JSON.stringify([whole.name]), `${preset}: marked ${marked}, the first tap to see ${side} px is ${whole.name}`);
      const fact = await page.textContent(testid('whole-view'));
      assert(fact.includes(`${whole.tap} (${whole.name})`) && fact.includes(`${side}×${side}`) && fact.includes(`${whole.field}×${whole.field}`),
        `${preset}: ${fact}`);
    }
    // The seed AlexNet's classifier holds nine weights in ten: the page says why that matters.
    assert((await page.textContent(testid('linear-share'))).includes('dropout'), 'no reason given for a classifier this large');
    await page.selectOption(testid('lang-select'), 'zh-CN');
    const zh = await page.textContent(testid('layer-facts'));
    assert(/全连接层占全部参数的 92%、乘加的 4\.6%;其余都在卷积层。这个网络/.test(zh), `in Chinese: ${zh}`);
    await page.selectOption(testid('lang-select'), 'en');
    await selectPreset(page, 'alexnet-lite');
  });

  desktop.test('the compare view runs the input through the four networks: predictions, top three, costs, time, weights', async ({ page }) => {
    await selectPreset(page, 'vgg-lite');
    await showDigit(page);
    await showTab(page, 'compare');
    const cards = `${testid('compare-view')} ${testid('compare-card')}`;
    await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 4, cards, { timeout: 120_000 });
    const shown = await page.$$eval(cards, (all) => all.map((card) => ({
      preset: card.dataset.preset,
      prediction: card.querySelector('[data-testid="prediction"]').textContent.trim(),
      top: card.querySelectorAll('[data-testid="compare-top"] li').length,
      params: Number(card.querySelector('[data-testid="compare-params"]').textContent.replaceAll(',', '')),
      weights: card.querySelector('[data-testid="compare-weights"]').textContent,
      current: card.classList.contains('current'),
    })));
    assert(JSON.stringify(shown.map((c) => c.preset)) === JSON.stringify(BROWSER_PRESETS), `cards: ${shown.map((c) => c.preset)}`);
    for (const card of shown) {
      // Shipped weights read the fixture's 1 (and the picked network is the one marked).
      assert(card.prediction === '1' && card.top === 3, `${card.preset}: ${card.prediction}, top ${card.top}`);
      const summary = JSON.parse(await cli(['summary', '--arch', card.preset, '--json']));
      assert(card.params === summary.total_params, `${card.preset}: ${card.params} parameters, the CLI says ${summary.total_params}`);
      assert(card.current === (card.preset === 'vgg-lite') && /pretrained/.test(card.weights), `${card.preset}: ${JSON.stringify(card)}`);
    }
    const rows = await page.$$eval(`${testid('compare-depth')} tbody tr`, (all) => all.map((r) => r.cells[0].textContent));
    assert(rows[0] === '×1' && rows.length >= 5, `depth rows: ${rows}`);
    // At a laptop's width (1280 px here) all four networks' columns are in view, none cut off.
    const cut = await page.$eval(testid('compare-depth'), (table) => table.scrollWidth - table.parentElement.clientWidth);
    assert(cut <= 0, `the depth table runs ${cut} px past its box`);
    // A new input compares again.
    const before = await page.$eval(cards, (card) => card.querySelector('[data-testid="compare-top"]').textContent);
    await upload(page, 'upload-input', '7_photo.jpg', fixture('7_photo.jpg'), 'image/jpeg');
    await page.waitForFunction(([selector, old]) => document.querySelector(selector)?.querySelector('[data-testid="compare-top"]').textContent !== old,
      [cards, before], { timeout: 120_000 });
    await showTab(page, 'lesson');
  });

  const gpu = suite('teach webgpu', openedOn(server, '?backend=webgpu'), closeWithoutPageErrors);
  gpu.test('on WebGPU a pixel\'s maths (BatchNorm, residual sum) add up to the value shown', async ({ page }) => {
    await page.waitForSelector(`${testid('backend-badge')}:has-text("WebGPU")`, { timeout: 120_000 });
    await selectPreset(page, 'resnet18-lite');
    await showDigit(page);
    for (const [tap, shows] of [['b1.conv', '.pixel-steps'], ['b3.residual1', '.formula']]) {
      await expectPixelMaths(page, 'resnet18-lite', tap, shows);
    }
  });

  const offline = suite('offline', openedOn(server, '?backend=cpu', { serviceWorkers: 'allow' }), closeWithoutPageErrors);
  offline.test('after the first visit the app opens and predicts offline, at a link\'s URL too', async ({ browser, page }) => {
    await page.waitForSelector(testid('offline-ready'), { timeout: 120_000 });
    const version = await page.evaluate(async () => (await (await fetch('./sw.js')).text()).match(/VERSION = '(\w+)'/)[1]);
    const caches = await page.evaluate(() => caches.keys());
    assert(caches.includes(`convscope-${version}`), `caches ${caches} do not hold version ${version}`);
    await browser.context.setOffline(true);
    try {
      await page.goto(`${server.url}?backend=cpu&net=vgg-lite&view=code`);
      await page.waitForSelector(`${testid('backend-badge')}:not(:text("Starting"))`, { timeout: 60_000 });
      await page.waitForFunction(() => window.convscope.network === 'vgg-lite', null, { timeout: 60_000 });
      await page.click(testid('clear-button'));
      const before = await inputVersion(page);
      await drawSeven(page);
      await waitForAnswer(page, before);
      assert(/^\d$/.test(await prediction(page)), `offline prediction: ${await prediction(page)}`);
      assert(await page.getAttribute(testid('tab-code'), 'aria-selected') === 'true', 'the link\'s view is lost offline');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  offline.test('the service worker is versioned by the files it keeps; the training set is fetched later', async () => {
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-sw-'));
    try {
      fs.mkdirSync(path.join(staging, 'mnist'));
      fs.writeFileSync(path.join(staging, 'index.html'), '<!doctype html>');
      fs.writeFileSync(path.join(staging, 'mnist/t10k-images-idx3-ubyte.gz'), 'test');
      fs.writeFileSync(path.join(staging, 'mnist/train-images-idx3-ubyte.gz'), 'train');
      const build = () => {
        execFileSync('node', [path.join(ROOT, 'tools/service-worker.mjs')], { env: { ...process.env, TRUNK_STAGING_DIR: staging } });
        const text = fs.readFileSync(path.join(staging, 'sw.js'), 'utf8');
        return { version: text.match(/VERSION = '(\w+)'/)[1], text };
      };
      const first = build();
      assert(first.text.includes('"./mnist/t10k-images-idx3-ubyte.gz"') && !first.text.includes('train-images'),
        'the test set is not kept, or the training set is');
      assert(build().version === first.version, 'the same files gave another version');
      fs.writeFileSync(path.join(staging, 'index.html'), '<!doctype html><title>new deploy</title>');
      assert(build().version !== first.version, 'a changed file kept the version');
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });

  const classroom = suite('classroom', openedOn(server, '?backend=cpu&present&net=googlenet-lite'), closeWithoutPageErrors);
  classroom.test('?present: large type, controls folded away, ←/→ and the buttons walk the network block by block', async ({ page }) => {
    const stop = () => page.getAttribute(testid('present-stop'), 'data-block');
    // The link's network opens on its title card: what is new in it, and its size.
    await page.waitForSelector(`${testid('present-title')}[data-preset="googlenet-lite"]`);
    const title = await page.textContent(`${testid('present-title')} h2`);
    assert(/GoogLeNet/.test(title), `title card: ${title}`);
    const facts = await page.textContent(testid('present-facts'));
    assert(/^googlenet-lite: input 1×48×48 · 17 blocks · [\d,]+ parameters/.test(facts), `facts: ${facts}`);
    assert((await page.textContent(testid('present-position'))).trim() === '17 blocks ahead', 'position on the title card');
    assert(!(await page.isVisible(testid('arch-select'))) && !(await page.$(testid('tab-lesson'))), 'controls or tabs in the way');
    const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert(fontSize >= 20, `type is ${fontSize}px`);
    await page.keyboard.press('ArrowRight');
    assert(await stop() === 'b1.conv', `→ from the title went to ${await stop()}`);
    assert(/^1 \/ 17 · b1\.conv$/.test((await page.textContent(testid('present-position'))).trim()), 'position');
    await page.keyboard.press('ArrowRight');
    assert(await stop() === 'b1', `→ went to ${await stop()}`);
    await page.click(testid('present-next'));
    await page.click(testid('present-prev'));
    assert(await stop() === 'b1', `next then previous went to ${await stop()}`);
    // On to the first Inception block: its lesson, the line that builds it, its maps, lit in the overview.
    for (let i = 0; i < 20 && await stop() !== 'b3.inception1'; i += 1) await page.keyboard.press('ArrowRight');
    assert(await stop() === 'b3.inception1', 'no stop at the first Inception block');
    const text = await page.textContent(testid('present-stop'));
    assert(/Inception\(/.test(await page.textContent(testid('present-code'))), 'no code line for the block');
    // The code fits its box on a projector: a long line wraps under itself, indents kept.
    const code = await page.$eval(testid('present-code'), (pre) => ({
      overflow: pre.scrollWidth - pre.clientWidth,
      lines: pre.textContent.split('\n'),
      margins: [...pre.children].map((line) => parseFloat(getComputedStyle(line).paddingLeft)),
      // The class line is short: one line of type, not two (a newline must not add a blank one).
      firstHeight: pre.children[0].getBoundingClientRect().height / parseFloat(getComputedStyle(pre).fontSize),
    }));
    assert(code.firstHeight < 2, `a short line is ${code.firstHeight} ems high`);
    assert(code.overflow <= 0, `the code runs ${code.overflow} px past its box`);
    assert(code.lines[0] === 'class Inception(nn.Module):', `the excerpt starts with "${code.lines[0]}"`);
    assert(code.margins[1] > code.margins[0], `a method's line is not indented under its class: ${code.margins}`);
    // On a 1280×720 projector the block's maps are on the first screen, above its code.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => document.querySelector('[data-testid="present-stop"] canvas')?.width > 1);
    assert(await page.$eval(`${testid('present-stop')} canvas`, (canvas) => {
      const box = canvas.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= innerHeight;
    }), 'the block\'s maps are below the first screen');
    await page.setViewportSize({ width: 1280, height: 900 });
    assert(/branch/i.test(text) && text.length > 200, 'no lesson text at the block');
    assert(await page.getAttribute(`${testid('overview')} [data-block="b3.inception1"]`, 'aria-pressed') === 'true', 'not lit in the overview');
    await page.waitForFunction(() => document.querySelector('[data-testid="present-stop"] canvas')?.width > 1);
    const url = new URL(page.url());
    assert(url.searchParams.has('present') && url.searchParams.get('tap') === 'b3.inception1', `URL: ${url}`);
    // Drawing still runs the network.
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    // In Chinese, from the folded controls.
    await page.click('.tucked summary');
    await page.selectOption(testid('lang-select'), 'zh-CN');
    assert((await page.textContent(testid('present-next'))).includes('下一块'), 'not in Chinese');
    await page.selectOption(testid('lang-select'), 'en');
  });

  classroom.test('the walk goes on through the four networks in the post\'s order to the four side by side: the last block leads to the next network\'s title card, ← back, and the bar jumps to any of them', async ({ page }) => {
    const title = () => page.getAttribute(testid('present-title'), 'data-preset');
    const networks = () => page.$$eval(testid('present-network'), (buttons) => buttons.map((b) => `${b.dataset.preset}${b.getAttribute('aria-current') ? '*' : ''}`).join());
    await page.goto(`${server.url}?backend=cpu&present&net=googlenet-lite&tap=b5`);
    await page.waitForSelector(`${testid('present-stop')}[data-block="b5"]`);
    assert(await networks() === 'alexnet-lite,vgg-lite,googlenet-lite*,resnet18-lite,together', `networks: ${await networks()}`);
    // The last block of GoogLeNet: the next button names where it leads.
    assert((await page.textContent(testid('present-position'))).trim() === '17 / 17 · b5', 'not at the last block');
    assert((await page.textContent(testid('present-next'))).trim() === 'On to ResNet-18 →', `next: ${await page.textContent(testid('present-next'))}`);
    const runs = await inferences(page);
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`${testid('present-title')}[data-preset="resnet18-lite"]`);
    // The class's input goes through the new network.
    await page.waitForFunction(() => window.convscope.network === 'resnet18-lite');
    await waitForRerun(page, runs);
    assert(await networks() === 'alexnet-lite,vgg-lite,googlenet-lite,resnet18-lite*,together', `networks: ${await networks()}`);
    assert(new URL(page.url()).searchParams.get('net') === 'resnet18-lite' && !new URL(page.url()).searchParams.has('tap'), `URL: ${page.url()}`);
    assert((await page.textContent(testid('present-prev'))).trim() === '← Back to GoogLeNet', 'previous does not name GoogLeNet');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`${testid('present-stop')}[data-block="b5"]`);
    await page.waitForFunction(() => window.convscope.network === 'googlenet-lite');
    // The lesson ends with the four side by side on the class's input: from the bar, or after
    // ResNet's last block.
    await page.click(`${testid('present-network')}[data-preset="together"]`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="present-together"] [data-testid="compare-card"]').length === 4, null, { timeout: 120_000 });
    assert((await page.textContent(testid('present-position'))).trim() === 'side by side', 'position at the end');
    assert(await networks() === 'alexnet-lite,vgg-lite,googlenet-lite,resnet18-lite,together*', `networks: ${await networks()}`);
    assert(await page.isDisabled(testid('present-next')), 'something after the four together');
    assert((await page.textContent(testid('present-prev'))).trim() === '← Back to ResNet-18', `previous: ${await page.textContent(testid('present-prev'))}`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`${testid('present-stop')}[data-block="avgpool"]`);
    await page.waitForFunction(() => window.convscope.network === 'resnet18-lite');
    assert((await page.textContent(testid('present-next'))).trim() === 'On to all four →', `next: ${await page.textContent(testid('present-next'))}`);
    assert(new URL(page.url()).searchParams.get('view') !== 'compare', `URL: ${page.url()}`);
    // The bar jumps to a network's title card; the walk starts at AlexNet's.
    await page.click(`${testid('present-network')}[data-preset="alexnet-lite"]`);
    await page.waitForSelector(`${testid('present-title')}[data-preset="alexnet-lite"]`);
    assert(await page.isDisabled(testid('present-prev')), 'the walk has something before AlexNet');
    assert(/AlexNet/.test(await page.textContent(`${testid('present-title')} h2`)), 'not AlexNet\'s title');
    // In Chinese.
    await page.click('.tucked summary');
    await page.selectOption(testid('lang-select'), 'zh-CN');
    const facts = await page.textContent(testid('present-facts'));
    assert(/^alexnet-lite:输入 1×96×96/.test(facts) && /前面有 \d+ 块/.test(await page.textContent(testid('present-position'))), `Chinese: ${facts}`);
    await page.selectOption(testid('lang-select'), 'en');
    assert(await title() === 'alexnet-lite', 'the language switch moved the walk');
  });

  classroom.test('?embed=tap, ?embed=overview and ?embed=compare show one view and its input, no page around it', async ({ page }) => {
    await page.goto(`${server.url}?backend=cpu&embed=tap&net=alexnet-lite&tap=conv2&input=mnist:3`);
    await page.waitForSelector(`${testid('embedded-tap')}[data-block="conv2"] canvas`, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="embedded-tap"] canvas').width > 1, null, { timeout: 60_000 });
    assert(!(await page.$('header')) && !(await page.$(testid('tab-lesson'))), 'page chrome around the embedded view');
    assert((await page.textContent('.prediction-detail')).includes('#3'), 'not the link\'s input');
    await page.goto(`${server.url}?backend=cpu&embed=overview&net=resnet18-lite`);
    await page.waitForSelector(`${testid('embedded')}[data-view="overview"] ${testid('overview')} [data-block="avgpool"]`, { timeout: 60_000 });
    assert(!(await page.$('header')), 'a header around the embedded overview');
    await page.goto(`${server.url}?backend=cpu&embed=compare&net=resnet18-lite&input=mnist:3`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-card"]').length === 4, null, { timeout: 120_000 });
    assert(!(await page.$('header')), 'a header around the embedded compare view');
    await page.goto(`${server.url}?backend=cpu&embed=slides`);
    assert((await waitForError(page)).includes('embed=slides'), 'an unknown view is not named');
    assert(await page.$('header'), 'an unknown view does not open the whole page');
  });

  const phone = suite('teach phone', openedOn(server, '?backend=cpu'), closeWithoutPageErrors);
  phone.test('on a 360×740 phone the first screen shows the drawing and the first feature maps, the drawing stays reachable at the bottom of the page, and nothing overflows', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await selectPreset(page, 'googlenet-lite');
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    await page.evaluate(() => window.scrollTo(0, 0));
    assert(await inView(page, testid('draw-canvas')), 'the canvas is not on the first screen');
    assert(await inView(page, `${testid('overview')} canvas`), 'the first feature map is not on the first screen');
    // The lesson, below the maps, is one tap away; it lands under the sticky strip, not behind it.
    await showTab(page, 'code');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click(testid('lesson-jump'));
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
    const [title, stripBox] = await Promise.all(['#lesson-title', '.input-strip'].map((s) => page.$eval(s, (e) => e.getBoundingClientRect().toJSON())));
    assert(title.top >= stripBox.bottom && title.bottom <= 740, `the lesson title at ${title.top}–${title.bottom}, the strip ends at ${stripBox.bottom}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
    assert(await page.evaluate(() => window.scrollY) > 740, 'the page is too short to test scrolling');
    assert(await inView(page, testid('draw-canvas')), 'the canvas scrolled away');
    assert(await inView(page, testid('prediction')), 'the prediction scrolled away');
    // No tab's panel widens the page (a wide table or chart scrolls inside its own box).
    for (const tab of ['lesson', 'code', 'channels', 'probe', 'compare', 'train', 'layers']) {
      await showTab(page, tab);
      await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 360, `with the ${tab} tab the page is ${width} px wide`);
      if (tab === 'compare') {
        // Its stages-by-scale table fits without scrolling: a block per scale, a line per network, named.
        await page.waitForSelector(testid('compare-depth'));
        const depth = await page.$eval(testid('compare-depth'), (table) => {
          const cells = [...table.rows[1].cells].filter((cell) => cell.tagName === 'TD' && getComputedStyle(cell).display !== 'none');
          return {
            cut: table.scrollWidth - table.parentElement.clientWidth,
            stacked: cells.every((cell, i) => i === 0 || cell.getBoundingClientRect().top >= cells[i - 1].getBoundingClientRect().bottom - 1),
            labels: cells.map((cell) => getComputedStyle(cell, '::before').content),
          };
        });
        assert(depth.cut <= 0 && depth.stacked && depth.labels.length > 0 && depth.labels.every((label) => /-lite/.test(label)),
          `the depth table on a phone: ${JSON.stringify(depth)}`);
      }
      if (tab === 'layers') {
        // Scrolled to its last column, the layer table still names each row.
        const layers = await page.$eval('.layer-table .table-scroll', (box) => {
          box.scrollLeft = box.scrollWidth;
          const row = box.querySelector('tbody tr');
          const [name, jump, frame] = [row.cells[0], row.cells[row.cells.length - 1], box].map((e) => e.getBoundingClientRect());
          return { scrolled: box.scrollLeft, nameLeft: name.left, jumpRight: jump.right, frameLeft: frame.left, frameRight: frame.right };
        });
        assert(layers.scrolled > 0 && Math.abs(layers.nameLeft - layers.frameLeft) < 1 && layers.jumpRight <= layers.frameRight + 1,
          `the layer table scrolled on a phone: ${JSON.stringify(layers)}`);
        await page.$eval('.layer-table .table-scroll', (box) => { box.scrollLeft = 0; });
      }
    }
    await showTab(page, 'lesson');
    // Scrolled into view, the overview lands below the strip, not under it.
    await page.$eval(testid('feature-maps'), (maps) => maps.scrollIntoView());
    const [strip, maps] = await Promise.all(['.input-strip', testid('feature-maps')]
      .map((selector) => page.$eval(selector, (e) => e.getBoundingClientRect().toJSON())));
    assert(maps.top >= strip.bottom - 1, `the overview starts at ${maps.top}, under the strip (bottom ${strip.bottom})`);
  });

  return [desktop, gpu, offline, classroom, phone];
}
