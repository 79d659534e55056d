import { launch, serve } from './tests/e2e/harness.mjs';
import { openApp, showTab, testid, drawSeven, inputVersion, waitForAnswer } from './tests/e2e/app.mjs';
const server = await serve();
const browser = await launch();
const page = await openApp(browser.context, server, '?backend=cpu');
await page.waitForFunction(() => window.convscope.firstPredictionMs !== undefined, null, { timeout: 120000 });
for (const [w, h, name] of [[1366, 768, 'wide'], [360, 740, 'phone']]) {
  await page.setViewportSize({ width: w, height: h });
  for (const code of ['en', 'zh-CN']) {
    await page.selectOption(testid('lang-select'), code);
    await showTab(page, 'lesson');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click(testid('clear-button'));
    const before = await inputVersion(page);
    await drawSeven(page); await waitForAnswer(page, before);
    await page.screenshot({ path: `/tmp/final-${name}-${code}.png` });
    await showTab(page, 'train');
    await page.$eval('.training-panel', (el) => el.scrollIntoView());
    await page.screenshot({ path: `/tmp/final-train-${name}-${code}.png` });
  }
}
await browser.close(); server.close();
