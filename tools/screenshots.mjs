// Screenshots of the app for the README (after a trunk build): node tools/screenshots.mjs [dir]
// At 1366×768 (the commonest laptop) and 360×740 (a phone), in English and Chinese.
import path from 'node:path';
import { ROOT, launch, serve } from '../tests/e2e/harness.mjs';
import { drawSeven, inputVersion, openApp, selectPreset, showTab, testid, waitForAnswer } from '../tests/e2e/app.mjs';

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
await browser.close();
server.close();
console.log(`screenshots written to ${dir}`);
