// Screenshots of the app for the README (after a trunk build): node tools/screenshots.mjs [dir]
// At 1366×768 (the commonest laptop) and 360×740 (a phone), in English and Chinese.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, launch, serve } from '../tests/e2e/harness.mjs';
import { drawSeven, inputVersion, openApp, selectPreset, showTab, testid, waitForAnswer } from '../tests/e2e/app.mjs';

// Without a font for Chinese the zh shots show boxes where the text should be.
function hasChineseFont() {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}
if (!hasChineseFont()) {
  console.error('screenshots: no font for Chinese here; the zh shots would show boxes. On Debian: apt-get install fonts-noto-cjk');
  process.exit(1);
}

const dir = process.argv[2] ?? path.join(ROOT, 'docs/screenshots');
const out = (name) => path.join(dir, name);
const server = await serve();
const browser = await launch();
const page = await openApp(browser.context, server, '?backend=cpu');

async function drawn(preset) {
  await selectPreset(page, preset);
  await page.click(testid('clear-button'));
  const before = await inputVersion(page);
  await drawSeven(page);
  await waitForAnswer(page, before);
}

async function language(code) {
  await page.selectOption(testid('lang-select'), code);
}

await page.setViewportSize({ width: 1366, height: 768 });
for (const [code, suffix] of [['en', ''], ['zh-CN', '-zh']]) {
  await language(code);
  await drawn('googlenet-lite');
  await showTab(page, 'lesson');
  await page.evaluate(() => window.scrollTo(0, 0));
  // A lesson point under the pointer lights up its taps (without scrolling to it).
  await page.$eval(`${testid('lesson-item')}:nth-child(1)`, (item) => item.dispatchEvent(new MouseEvent('mouseenter')));
  await page.screenshot({ path: out(`desktop${suffix}.png`) });
}
await language('en');

// A residual block opened, a pixel of its sum probed: its field on the input and the drawing.
await drawn('resnet18-lite');
await page.focus(`${testid('overview')} [data-block="b2.residual1"]`);
await page.keyboard.press('Enter');
await page.keyboard.press('ArrowRight');
await page.screenshot({ path: out('channels.png') });

// The post's code beside the network: a projected shortcut opened, its lines marked.
await showTab(page, 'code');
await page.click(`${testid('overview')} [data-block="b3.residual1.shortcut"]`);
await page.evaluate(() => window.scrollTo(0, 0));
await page.$eval(`${testid('seed-code')} [aria-current="true"]`, (line) => line.scrollIntoView({ block: 'center' }));
await page.screenshot({ path: out('code.png') });

/** Opens `tap`'s first channel large and clicks the pixel at (x, y); waits for its maths. */
async function pixelMaths(tap, x, y) {
  await page.focus(`${testid('overview')} [data-block="${tap}"]`);
  await page.keyboard.press('Enter');
  await showTab(page, 'channels');
  await page.focus(`${testid('channels')} [data-tap="${tap}"] canvas`);
  await page.keyboard.press('Enter');
  const canvas = await page.waitForSelector(testid('enlarged-canvas'));
  await page.waitForFunction(() => document.querySelector('[data-testid="enlarged-canvas"]').width > 1);
  const [width, height] = await canvas.evaluate((c) => [c.width, c.height]);
  const box = await canvas.boundingBox();
  await page.mouse.click(box.x + ((x + 0.5) * box.width) / width, box.y + ((y + 0.5) * box.height) / height);
  await page.waitForSelector(testid('pixel-math'));
}

// The maths of one pixel: a 3×3 convolution over 32 input channels.
await drawn('vgg-lite');
await pixelMaths('block3.conv2', 5, 4);
await page.screenshot({ path: out('pixel-math.png') });
await page.keyboard.press('Escape');

// The four networks side by side.
await showTab(page, 'compare');
await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-card"]').length === 4);
await page.$eval(testid('compare-view'), (view) => view.scrollIntoView());
await page.screenshot({ path: out('compare.png') });

// A race of the four networks, 3,200 images each (kept in IndexedDB for the phone shot).
await page.selectOption(testid('race-budget-unit'), 'images');
await page.fill(testid('race-budget'), '3200');
await page.press(testid('race-budget'), 'Tab');
await page.click(testid('race-start'));
await page.waitForFunction(() => document.querySelector('[data-testid="race-status"]')?.dataset.status === 'finished',
  null, { timeout: 600_000 });
await page.$eval(testid('race-chart'), (chart) => chart.scrollIntoView());
await page.evaluate(() => window.scrollBy(0, -150));
await page.screenshot({ path: out('race.png') });

// The probes: where ResNet-18-lite looked at a drawn 7, without one shortcut, measured.
await drawn('resnet18-lite');
await showTab(page, 'probe');
let before = await inputVersion(page);
await page.click(testid('saliency-toggle'));
await waitForAnswer(page, before);
before = await inputVersion(page);
await page.click(`${testid('knockout')}[data-target="b3.residual1.shortcut"]`);
await waitForAnswer(page, before);
await page.selectOption(testid('knockout-digits'), '1000');
await page.click(testid('knockout-accuracy'));
await page.waitForSelector(`${testid('knockout-table')} tbody tr`, { timeout: 300_000 });
await page.$eval(testid('probe-panel'), (panel) => panel.scrollIntoView());
await page.screenshot({ path: out('probe.png') });
await page.$eval('#knockout-title', (title) => title.scrollIntoView());
await page.screenshot({ path: out('probe-knockouts.png') });
before = await inputVersion(page);
await page.click(`${testid('knockout')}[data-target="b3.residual1.shortcut"]`);
await waitForAnswer(page, before);

// What a channel of AlexNet-lite's conv3 detects.
await drawn('alexnet-lite');
await showTab(page, 'probe');
await page.selectOption(testid('detect-tap'), 'conv3');
await page.fill(testid('detect-channel'), '5');
await page.dispatchEvent(testid('detect-channel'), 'change');
await page.click(testid('top-examples-run'));
await page.waitForFunction(() => document.querySelectorAll('[data-testid="top-examples"] .top-example').length === 9, null, { timeout: 300_000 });
await page.click(testid('activation-max-run'));
await page.waitForFunction(() => document.querySelector('[data-testid="activation-max"]').width > 1, null, { timeout: 120_000 });
await page.$eval('#detect-title', (title) => title.scrollIntoView());
await page.screenshot({ path: out('probe-detect.png') });

// A turned digit and the four networks' shift curves.
for (const [id, value] of [['rotate', 25], ['thickness', 1]]) {
  before = await inputVersion(page);
  await page.$eval(testid(id), (input, v) => { input.value = String(v); input.dispatchEvent(new Event('input', { bubbles: true })); }, value);
  await waitForAnswer(page, before);
}
await page.waitForSelector(`${testid('shift-curve')}[aria-busy="false"]`, { timeout: 120_000 });
await page.$eval('#robustness-title', (title) => title.scrollIntoView());
await page.screenshot({ path: out('probe-robustness.png') });
before = await inputVersion(page);
await page.click(testid('distortion-reset'));
await waitForAnswer(page, before);
before = await inputVersion(page);
await page.click(testid('saliency-toggle'));
await waitForAnswer(page, before);

// The layer table and what it says: where the weights and the work are, the whole view.
await showTab(page, 'layers');
await page.$eval('#layers-title', (title) => title.scrollIntoView());
await page.screenshot({ path: out('layers.png') });

// Classroom mode and an embedded view.
await page.goto(`${server.url}?backend=cpu&present&net=googlenet-lite&tap=b3.inception1&input=mnist:0`);
await page.waitForSelector(`${testid('present-stop')} canvas`);
await page.waitForFunction(() => document.querySelector('[data-testid="present-stop"] canvas').width > 1);
await page.screenshot({ path: out('present.png') });
// The next network's title card, where the class's walk goes on after GoogLeNet's last block.
await page.goto(`${server.url}?backend=cpu&present&net=resnet18-lite&input=mnist:0`);
await page.waitForSelector(testid('present-title'));
await page.waitForFunction(() => document.querySelector('[data-testid="overview"] canvas')?.width > 1);
await page.screenshot({ path: out('present-title.png') });
await page.setViewportSize({ width: 800, height: 450 });
await page.goto(`${server.url}?backend=cpu&embed=tap&net=alexnet-lite&tap=conv2&input=mnist:3`);
await page.waitForFunction(() => document.querySelector('[data-testid="embedded-tap"] canvas')?.width > 1);
await page.screenshot({ path: out('embed.png') });
await page.goto(`${server.url}?backend=cpu`);
await page.waitForSelector(testid('arch-select'));

await page.setViewportSize({ width: 360, height: 740 });
await showTab(page, 'lesson');
for (const [code, suffix] of [['en', ''], ['zh-CN', '-zh']]) {
  await language(code);
  await drawn('alexnet-lite');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out(`phone${suffix}.png`) });
  await page.evaluate(() => document.querySelector('[data-testid="feature-maps"]').scrollIntoView());
  await page.screenshot({ path: out(`phone-scrolled${suffix}.png`) });
}
await pixelMaths('conv2', 4, 4);
await page.screenshot({ path: out('phone-pixel-math-zh.png') });
await page.keyboard.press('Escape');
await showTab(page, 'compare');
await page.waitForFunction(() => document.querySelectorAll('[data-testid="compare-card"]').length === 4);
await page.$eval(testid('compare-view'), (view) => view.scrollIntoView());
await page.screenshot({ path: out('phone-compare-zh.png') });
await page.waitForFunction(() => document.querySelector('[data-testid="race-status"]')?.dataset.status === 'finished');
await page.$eval(testid('race-chart'), (chart) => chart.scrollIntoView());
await page.screenshot({ path: out('phone-race-zh.png') });
await showTab(page, 'probe');
let shown = await inputVersion(page);
await page.click(testid('saliency-toggle'));
await waitForAnswer(page, shown);
await page.$eval(testid('probe-panel'), (panel) => panel.scrollIntoView());
await page.screenshot({ path: out('phone-probe-zh.png') });
await browser.close();
server.close();
console.log(`screenshots written to ${dir}`);
