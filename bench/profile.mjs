// Where a pen move's time goes, function by function, on the page and in the engine worker:
// Chromium's sampling profiler on both threads while the bench draws one stroke of timed moves
// (as bench/web.mjs does) on one preset on the CPU. Prints each thread's functions by self time
// and by total time, per move. Usage: node bench/profile.mjs [preset] [moves] [--top N]
// A release build has no function names (wasm-opt drops them): profile a dev build
// (`trunk build`, the `wasm-ci` profile) and read the shares, not the absolute times.
import { launch, serve } from '../tests/e2e/harness.mjs';
import { inputVersion, openApp, selectPreset, testid, waitForAnswer } from '../tests/e2e/app.mjs';

const [preset = 'googlenet-lite', moves = '60'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const topIndex = process.argv.indexOf('--top');
const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
const count = Number(moves);

/** Self and total microseconds per function name (a recursive function counted once). */
function tally(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const spent = new Map();
  profile.samples.forEach((id, i) => spent.set(id, (spent.get(id) ?? 0) + profile.timeDeltas[i]));
  const self = new Map();
  const total = new Map();
  const add = (map, key, value) => map.set(key, (map.get(key) ?? 0) + value);
  const name = (id) => nodes.get(id).callFrame.functionName.replace(/::h[0-9a-f]{16}/g, '') || '(anonymous)';
  for (const [id, micros] of spent) {
    add(self, name(id), micros);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) {
      if (!seen.has(name(at))) add(total, name(at), micros);
      seen.add(name(at));
    }
  }
  return { self, total };
}

function print(thread, profile) {
  const { self, total } = tally(profile);
  const idle = new Set(['(idle)', '(program)', '(root)', '(garbage collector)']);
  const rows = (map) => [...map].filter(([key]) => !idle.has(key)).sort((a, b) => b[1] - a[1]).slice(0, top);
  const perMove = (micros) => (micros / 1000 / count).toFixed(3).padStart(7);
  console.log(`\n${thread}: ms per move, by self time`);
  for (const [key, micros] of rows(self)) console.log(`${perMove(micros)}  ${key.slice(0, 140)}`);
  console.log(`\n${thread}: ms per move, by total time`);
  for (const [key, micros] of rows(total)) console.log(`${perMove(micros)}  ${key.slice(0, 140)}`);
}

const server = await serve();
const browser = await launch();
const page = await openApp(browser.context, server, '?backend=cpu');
await page.waitForFunction(() => window.convscope.firstPredictionMs !== undefined, null, { timeout: 300_000 });
await selectPreset(page, preset);
await page.click(testid('clear-button'));
await page.click(testid('tab-lesson'));

// The page's session, and through it (auto-attach, messages wrapped for the target) the
// worker's: Playwright opens sessions on pages and frames only.
const session = await browser.context.newCDPSession(page);
let workerSession = null;
let nextId = 1;
const pending = new Map();
session.on('Target.attachedToTarget', (event) => {
  if (event.targetInfo.type === 'worker') workerSession = event.sessionId;
});
session.on('Target.receivedMessageFromTarget', (event) => {
  const message = JSON.parse(event.message);
  pending.get(message.id)?.(message);
  pending.delete(message.id);
});
const inWorker = (method, params = {}) => new Promise((resolve) => {
  const id = nextId++;
  pending.set(id, resolve);
  session.send('Target.sendMessageToTarget', { sessionId: workerSession, message: JSON.stringify({ id, method, params }) });
});
await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
for (let i = 0; i < 100 && !workerSession; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
if (!workerSession) throw new Error('the engine worker did not show up');

const box = await (await page.$(testid('draw-canvas'))).boundingBox();
const at = (i) => [box.x + box.width * (0.1 + (0.8 * i) / count), box.y + box.height * 0.6];
let before = await inputVersion(page);
await page.mouse.move(...at(0));
await page.mouse.down();
await waitForAnswer(page, before, 300_000);
for (const send of [(m, p) => session.send(m, p), inWorker]) {
  await send('Profiler.enable', {});
  await send('Profiler.setSamplingInterval', { interval: 50 });
  await send('Profiler.start', {});
}
for (let i = 1; i <= count; i += 1) {
  await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
  before = await inputVersion(page);
  await page.mouse.move(...at(i));
  await waitForAnswer(page, before, 300_000);
}
const pageProfile = (await session.send('Profiler.stop')).profile;
const workerProfile = (await inWorker('Profiler.stop')).result.profile;
await page.mouse.up();
console.log(`${preset}: ${count} pen moves on the CPU; the bench's own calls into the page are in the page's figures`);
print('page', pageProfile);
print('engine worker', workerProfile);
await browser.close();
server.close();
