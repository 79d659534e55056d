// The TF.js side of the benchmarks that compare with it (bench/train.mjs, bench/inference.mjs):
// the pinned TF.js (installed into bench/tfjs/ on first use), its bench page served beside the
// app's MNIST files, and convscope's own description of each network, which that page builds
// its layers from.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DIST, ROOT, serve } from '../tests/e2e/harness.mjs';

const TFJS = path.join(ROOT, 'bench/tfjs');

/** convscope's architecture tree of `preset` (`convscope summary --arch P --tree`). */
export function architecture(preset) {
  const output = execFileSync(CLI, ['summary', '--arch', preset, '--tree'], { encoding: 'utf8' });
  return JSON.parse(output);
}

/** A folder with the TF.js bench page, TF.js's builds and the app's MNIST files. */
function tfjsSite() {
  if (!fs.existsSync(path.join(TFJS, 'node_modules/@tensorflow/tfjs'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', TFJS], { stdio: 'inherit' });
  }
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-tfjs-'));
  const link = (from, name = path.basename(from)) => fs.symlinkSync(from, path.join(site, name));
  for (const file of ['bench.html', 'model.js', 'train.js']) link(path.join(TFJS, file));
  const modules = path.join(TFJS, 'node_modules/@tensorflow');
  link(path.join(modules, 'tfjs/dist/tf.min.js'));
  link(path.join(modules, 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js'));
  const wasmDist = path.join(modules, 'tfjs-backend-wasm/dist');
  link(path.join(wasmDist, 'tf-backend-wasm.min.js'));
  for (const file of fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) link(path.join(wasmDist, file));
  link(path.join(DIST, 'mnist'));
  return site;
}

/** The TF.js bench page, ready, in `browser`, and what stops serving it. */
export async function openTfjs(browser) {
  const site = tfjsSite();
  const server = await serve(site);
  const page = await browser.context.newPage();
  await page.goto(`${server.url}bench.html`);
  await page.waitForFunction(() => window.tfjsBenchReady === true);
  const close = () => {
    server.close();
    fs.rmSync(site, { recursive: true, force: true });
  };
  return { page, close };
}
