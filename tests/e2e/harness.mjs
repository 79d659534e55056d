// A small harness for the browser tests and benchmarks: serves dist/ under a sub-path,
// launches the system Chromium through playwright-core, and runs suites of named tests. A suite
// sets up what its tests share (a browser, a page) before its first selected test and tears it
// down after its last, so any filter runs on its own.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
// CONVSCOPE_DIST: another build of the app for the benches (bench/gpu.sh's fusion build).
export const DIST = process.env.CONVSCOPE_DIST ?? path.join(ROOT, 'dist');
/** The native CLI, for tests that compare the page with it: the test command names its `ci` build, else a release build. */
export const CLI = process.env.CONVSCOPE_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache/convscope/target'), 'release/convscope');
/**
 * The CLI's output for `args`. The test command starts the browser tests while the CLI is still
 * being built: it names in CONVSCOPE_CLI_READY a file that the native build writes once it has
 * ended ("ok", or why not), so a test that needs the CLI waits for it and no other test does.
 */
export async function cli(args) {
  const ready = process.env.CONVSCOPE_CLI_READY;
  if (ready) {
    while (!fs.existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 1000));
    const state = fs.readFileSync(ready, 'utf8').trim();
    if (state !== 'ok') throw new Error(`no CLI to compare with: the native build ended with "${state}"`);
  }
  return execFileSync(CLI, args, { encoding: 'utf8' });
}

/** The app is served below a sub-path, as on GitHub Pages, to prove its URLs are relative. */
export const SUB_PATH = '/convscope/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.gz': 'application/gzip',
  '.safetensors': 'application/octet-stream',
};

/**
 * Serves `dir` at `SUB_PATH`; anything else is a 404 and is recorded in `strays`. `isolated`:
 * with the headers that make the page cross-origin isolated (COOP/COEP), as scripts/serve.sh.
 */
export async function serve(dir = DIST, { isolated = false } = {}) {
  const isolation = isolated
    ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    : {};
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
        ...isolation,
      });
      response.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${SUB_PATH}`, origin: `http://127.0.0.1:${port}`, strays, close: () => server.close() };
}

/**
 * A fresh headless Chromium. Service workers are blocked unless asked for: a cached app would
 * bypass the routes some tests put on the network (the offline tests allow them).
 */
export async function launch({ webgpu = true, webgl = false, serviceWorkers = 'block' } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-chromium-'));
  const args = [
    '--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic',
  ];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  // Extra flags, e.g. bench/gpu.sh's for a real GPU; without them WebGL (TF.js's default
  // backend) runs on ANGLE over SwiftShader when asked for.
  const extra = process.env.CONVSCOPE_CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? [];
  if (webgl && extra.length === 0) args.push('--enable-unsafe-swiftshader', '--use-angle=swiftshader');
  args.push(...extra);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    serviceWorkers,
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

/**
 * A group of tests sharing what `setup()` returns (passed to each test and to `teardown`).
 * Tests are named `${name}: ${title}`; they run in the order added. `skipped`: why this build
 * cannot run them (they are listed and counted as skipped, never run).
 */
export function suite(name, setup = async () => ({}), teardown = async () => {}, { skipped = null } = {}) {
  const tests = [];
  return {
    name, setup, teardown, tests, skipped,
    test(title, fn) { tests.push([`${name}: ${title}`, fn]); },
  };
}

function report(ok, name, started, error) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (ok) console.log(`ok   ${name} (${seconds} s)`);
  else console.log(`FAIL ${name} (${seconds} s)\n     ${error?.stack ?? error}`);
}

/**
 * Runs the tests whose full name contains `filter` (all without one), suite by suite; prints one
 * line each and a summary; returns the failure count.
 */
export async function runSuites(suites, filter) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const group of suites) {
    const selected = group.tests.filter(([name]) => !filter || name.includes(filter));
    if (selected.length === 0) continue;
    if (group.skipped) {
      for (const [name] of selected) console.log(`skip ${name} (${group.skipped})`);
      skipped += selected.length;
      continue;
    }
    const started = Date.now();
    let shared;
    try {
      shared = await group.setup();
    } catch (error) {
      for (const [name] of selected) report(false, name, started, error);
      failed += selected.length;
      continue;
    }
    for (const [name, test] of selected) {
      const testStarted = Date.now();
      try {
        await test(shared);
        passed += 1;
        report(true, name, testStarted);
      } catch (error) {
        failed += 1;
        report(false, name, testStarted, error);
      }
    }
    try {
      await group.teardown(shared);
    } catch (error) {
      failed += 1;
      report(false, `${group.name}: teardown`, started, error);
    }
  }
  console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed;
}
