// Debian's Firefox ESR through npm puppeteer-core (WebDriver BiDi), dressed in the part of
// playwright's page API our helpers use, so the same test bodies run in both browsers.
// WebGPU there is Firefox's own wgpu-based implementation, on Mesa lavapipe (Vulkan) here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { openApp } from './app.mjs';

// Files handed to Firefox's file inputs: it reads them when the page does, so they stay until the
// tests' process ends, in one folder it then removes.
let uploadsFolder = null;
function uploadsDir() {
  if (!uploadsFolder) {
    uploadsFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-upload-'));
    process.on('exit', () => fs.rmSync(uploadsFolder, { recursive: true, force: true }));
  }
  return uploadsFolder;
}

export async function launchFirefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    // Long waits (a training run) are one command to the browser: let them take their time.
    protocolTimeout: 900_000,
    extraPrefsFirefox: {
      'dom.webgpu.enabled': true,
      'gfx.webgpu.ignore-blocklist': true,
      // A download would open a dialog; our tests read exported files from the page instead.
      'browser.download.useDownloadDir': true,
    },
  });
  return {
    context: { newPage: async () => playwrightLike(await browser.newPage()) },
    close: () => browser.close(),
  };
}

/** A suite's setup: Firefox with the app open at `query`. */
export function openedInFirefox(server, query) {
  return async () => {
    const browser = await launchFirefox();
    try {
      const page = await openApp(browser.context, server, query);
      await page.setViewportSize({ width: 1280, height: 900 });
      return { browser, page };
    } catch (error) {
      await browser.close();
      throw error;
    }
  };
}

/** An element handle with playwright's `textContent()` and `isChecked()`. */
function handle(element) {
  if (!element) return element;
  return new Proxy(element, {
    get(target, key) {
      if (key === 'textContent') return () => target.evaluate((e) => e.textContent);
      if (key === 'isChecked') return () => target.evaluate((e) => e.checked);
      if (key === 'getAttribute') return (name) => target.evaluate((e, n) => e.getAttribute(n), name);
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function playwrightLike(page) {
  const shims = {
    // playwright: (fn, arg, options); puppeteer: (fn, options, ...args).
    waitForFunction: (fn, arg, options = {}) => page.waitForFunction(fn, { timeout: options.timeout ?? 30_000 }, arg),
    waitForSelector: (selector, options = {}) => page.waitForSelector(selector, {
      timeout: options.timeout ?? 30_000,
      visible: options.state === 'visible' || undefined,
      hidden: options.state === 'detached' || options.state === 'hidden' || undefined,
    }),
    waitForTimeout: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    textContent: (selector) => page.$eval(selector, (e) => e.textContent),
    getAttribute: (selector, name) => page.$eval(selector, (e, n) => e.getAttribute(n), name),
    isDisabled: (selector) => page.$eval(selector, (e) => e.disabled),
    selectOption: (selector, value) => page.select(selector, value),
    // A person typing fires input, and change once they leave the field: a value set from
    // script fires neither, so both are sent.
    fill: (selector, value) => page.$eval(selector, (e, v) => {
      e.value = v;
      e.dispatchEvent(new Event('input', { bubbles: true }));
      e.dispatchEvent(new Event('change', { bubbles: true }));
    }, value),
    press: async (selector, key) => {
      await page.focus(selector);
      await page.keyboard.press(key);
    },
    setInputFiles: async (selector, { name, buffer }) => {
      const file = path.join(fs.mkdtempSync(path.join(uploadsDir(), 'file-')), name);
      fs.writeFileSync(file, buffer);
      await (await page.$(selector)).uploadFile(file);
    },
    setViewportSize: ({ width, height }) => page.setViewport({ width, height }),
    $: async (selector) => handle(await page.$(selector)),
    $$: async (selector) => (await page.$$(selector)).map(handle),
    reload: () => page.reload(),
  };
  return new Proxy(page, {
    get(target, key) {
      if (key in shims) return shims[key];
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, key, value) {
      return Reflect.set(target, key, value);
    },
  });
}

/**
 * The bytes of the file `action` makes the page download: the app saves through an `<a download>`
 * on a blob URL, which the page reads back here (puppeteer cannot hand Firefox's downloads over).
 */
export async function pageDownload(page, action) {
  await page.evaluate(() => {
    window.capturedDownload = null;
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function capture() {
      if (this.download) {
        window.capturedDownload = fetch(this.href)
          .then((response) => response.arrayBuffer())
          .then((buffer) => ({ name: this.download, bytes: Array.from(new Uint8Array(buffer)) }));
        HTMLAnchorElement.prototype.click = click;
        return undefined;
      }
      return click.call(this);
    };
  });
  await action();
  await page.waitForFunction(() => window.capturedDownload !== null, null, { timeout: 60_000 });
  const { name, bytes } = await page.evaluate(() => window.capturedDownload);
  return { name, bytes: Buffer.from(bytes) };
}
