// Page-level helpers for training: settings, the run's status, the loss curve, weights files.
import { pressTrainControl, selectPreset, showTab, testid } from './app.mjs';

export async function setTraining(page, { epochs, batch, lr, optimizer, size, schedule }) {
  await showTab(page, 'train');
  // Number fields commit on change, which leaving them fires.
  const type = async (id, value) => {
    await page.fill(testid(id), String(value));
    await page.press(testid(id), 'Tab');
  };
  if (epochs !== undefined) await type('train-epochs', epochs);
  if (batch !== undefined) await page.selectOption(testid('train-batch'), String(batch));
  if (lr !== undefined) await type('train-lr', lr);
  if (optimizer !== undefined) await page.selectOption(testid('train-optimizer'), optimizer);
  if (size !== undefined) await type('train-size', size);
  if (schedule !== undefined) await page.selectOption(testid('train-schedule'), schedule);
}

/** The Train tab's fields as they read: epochs, batch size, learning rate, schedule, digits. */
export async function trainingValues(page) {
  return Promise.all(['train-epochs', 'train-batch', 'train-lr', 'train-schedule', 'train-size']
    .map((id) => page.$eval(testid(id), (field) => field.value)));
}

export async function trainStatus(page) {
  return page.getAttribute(testid('train-status'), 'data-status');
}

export async function waitForStatus(page, status, timeout = 300_000) {
  await page.waitForFunction(
    ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.dataset.status === want,
    ['train-status', status], { timeout });
}

/** The loss of every point on the chart, in order (from each point's tooltip). */
export async function lossPoints(page) {
  return page.$$eval(`${testid('loss-chart')} circle.point title`,
    (titles) => titles.map((title) => parseFloat(title.textContent.split(': ')[1])));
}

/** A chart's dashed "a guess" line: its value and height, or null when it is out of range. */
export async function guessLine(page, chart) {
  return page.$eval(testid(chart), (svg) => {
    const line = svg.querySelector('line.guide');
    return line && { value: Number(line.dataset.value), y: Number(line.getAttribute('y1')) };
  });
}

/** The height of the chart's first point. */
export async function firstPointHeight(page, chart) {
  return page.$eval(`${testid(chart)} circle.point`, (circle) => Number(circle.getAttribute('cy')));
}

export async function waitForLossPoints(page, count, timeout = 300_000) {
  await page.waitForFunction(
    (want) => document.querySelectorAll('[data-testid="loss-chart"] circle.point').length >= want,
    count, { timeout });
}

export async function testAccuracy(page) {
  return parseFloat(await page.textContent(testid('test-accuracy')));
}

/** Downloads the network's weights through the export button. */
export async function exportWeights(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), pressTrainControl(page, 'export-weights')]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Every float of a `.safetensors` file (all our tensors are F32). */
export function safetensorsFloats(bytes) {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const data = bytes.subarray(8 + headerLength);
  const floats = [];
  for (const [name, tensor] of Object.entries(header)) {
    if (name === '__metadata__' || tensor.dtype !== 'F32') continue;
    const [start, end] = tensor.data_offsets;
    for (let offset = start; offset < end; offset += 4) floats.push(data.readFloatLE(offset));
  }
  return floats;
}

const trainedSoFar = (page) => page.evaluate(() => ({ images: window.convscope.trainedImages ?? 0, at: window.convscope.trainedAtMs ?? 0 }));

/**
 * Images per second `preset` trains at on `page` (batch `batch`, Adam), over `seconds` after a
 * warm-up; for the benchmarks.
 */
export async function trainingRate(page, preset, batch, seconds) {
  // The measured page is in front, as a user's would be (a page behind others measured the same here).
  await page.bringToFront();
  await selectPreset(page, preset);
  await setTraining(page, { epochs: 1, batch, lr: 0.001, optimizer: 'adam', size: 60000 });
  await page.evaluate(() => { window.convscope.trainedImages = 0; });
  await page.click(testid('train-start'));
  // Warm-up: the first slices compile shaders and allocate.
  await page.waitForFunction((size) => (window.convscope.trainedImages ?? 0) >= 3 * size, batch, { timeout: 600_000 });
  const start = await trainedSoFar(page);
  await page.waitForFunction(([from, ms]) => window.convscope.trainedAtMs - from >= ms, [start.at, seconds * 1000],
    { timeout: 600_000, polling: 200 });
  const end = await trainedSoFar(page);
  await page.click(testid('train-stop'));
  await waitForStatus(page, 'stopped', 600_000);
  return ((end.images - start.images) * 1000) / (end.at - start.at);
}
