// A small harness for the browser tests and benchmarks: serves dist/ under a sub-path,
// launches the system Chromium through playwright-core, and runs named tests in order.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const DIST = path.join(ROOT, 'dist');
/** The app is served below a sub-path, as on GitHub Pages, to prove its URLs are relative. */
export const SUB_PATH = '/convscope/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.gz': 'application/gzip',
  '.safetensors': 'application/octet-stream',
};

/** Serves `dir` at `SUB_PATH`; anything else is a 404 and is recorded in `strays`. */
export async function serve(dir = DIST) {
  const strays = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (!url.pathname.startsWith(SUB_PATH)) {
      strays.push(url.pathname);
      response.writeHead(404).end();
      return;
    }
    let file = path.join(dir, decodeURIComponent(url.pathname.slice(SUB_PATH.length)));
    if (!file.startsWith(dir)) { response.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (error, data) => {
      if (error) { response.writeHead(404).end(); return; }
      response.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': data.length,
      });
      response.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${SUB_PATH}`, origin: `http://127.0.0.1:${port}`, strays, close: () => server.close() };
}

export async function launch({ webgpu = true } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-chromium-'));
  const args = [
    '--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic',
  ];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Runs tests in order; prints one line each and a summary; returns the failure count. */
export async function runTests(tests, filter) {
  let passed = 0;
  let failed = 0;
  for (const [name, test] of tests) {
    if (filter && !name.includes(filter)) continue;
    const started = Date.now();
    try {
      await test();
      passed += 1;
      console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n     ${error.stack ?? error}`);
    }
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed;
}
