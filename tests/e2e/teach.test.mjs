// Browser tests of the teaching views: the input beside the whole network on one screen, the
// lessons tied to taps, receptive fields from the overview.
import { execFileSync } from 'node:child_process';
import { assert, CLI, suite } from './harness.mjs';
import {
  BROWSER_PRESETS, closeWithoutPageErrors, drawSeven, expectedTaps, fixture, inputVersion, openedOn, selectPreset,
  showTab, testid, upload, waitForAnswer,
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
function cliFields(preset) {
  const layers = JSON.parse(execFileSync(CLI, ['summary', '--arch', preset, '--json'])).layers;
  return Object.fromEntries(layers.filter((l) => l.tap).map((l) => [l.tap, l]));
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
    await page.click(testid('clear-button'));
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
    const fields = cliFields(preset);
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

  const phone = suite('teach phone', openedOn(server, '?backend=cpu'), closeWithoutPageErrors);
  phone.test('on a 360×740 phone the drawing stays reachable at the bottom of the page, and nothing overflows', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await selectPreset(page, 'googlenet-lite');
    const before = await inputVersion(page);
    await drawSeven(page);
    await waitForAnswer(page, before);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
    assert(await page.evaluate(() => window.scrollY) > 740, 'the page is too short to test scrolling');
    assert(await inView(page, testid('draw-canvas')), 'the canvas scrolled away');
    assert(await inView(page, testid('prediction')), 'the prediction scrolled away');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `the page is ${width} px wide`);
    // Scrolled into view, the overview lands below the strip, not under it.
    await page.$eval(testid('feature-maps'), (maps) => maps.scrollIntoView());
    const [strip, maps] = await Promise.all(['.input-strip', testid('feature-maps')]
      .map((selector) => page.$eval(selector, (e) => e.getBoundingClientRect().toJSON())));
    assert(maps.top >= strip.bottom - 1, `the overview starts at ${maps.top}, under the strip (bottom ${strip.bottom})`);
  });

  return [desktop, phone];
}
