// Screenshots of the app for the README (after a trunk build): node tools/screenshots.mjs
import path from 'node:path';
import { ROOT, launch, serve } from '../tests/e2e/harness.mjs';
import { drawSeven, inputVersion, openApp, selectPreset, waitForAnswer } from '../tests/e2e/app.mjs';

const out = (name) => path.join(ROOT, 'docs/screenshots', name);
const server = await serve();
const browser = await launch();
const page = await openApp(browser.context, server, '?backend=cpu');
await selectPreset(page, 'googlenet-lite');
await page.click('[data-testid="clear-button"]');
let before = await inputVersion(page);
await drawSeven(page);
await waitForAnswer(page, before);
await page.screenshot({ path: out('desktop.png') });
await page.screenshot({ path: out('inception-maps.png'), clip: await (await page.$('[data-block="b3.inception1"]')).evaluate((el) => {
  const r = el.parentElement.getBoundingClientRect();
  return { x: r.x, y: r.y + window.scrollY, width: Math.min(r.width, 1200), height: Math.min(r.height, 700) };
}), fullPage: true });
await selectPreset(page, 'resnet18-lite');
before = await inputVersion(page);
await page.click('[data-testid="mnist-random"]');
await waitForAnswer(page, before);
await page.setViewportSize({ width: 360, height: 780 });
await page.screenshot({ path: out('phone.png') });
await browser.close();
server.close();
console.log('screenshots written to docs/screenshots/');
