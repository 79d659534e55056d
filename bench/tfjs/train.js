// TF.js training and inference in the page, driven by bench/train.mjs and bench/inference.mjs
// through `window.tfjsBench`.
import { buildModel } from './model.js';

const MEAN = 0.1307;
const STD = 0.3081;
const SIDE = 28;

async function gunzipped(url) {
  const response = await fetch(url);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function mnist(split) {
  const images = await gunzipped(`mnist/${split}-images-idx3-ubyte.gz`);
  const labels = await gunzipped(`mnist/${split}-labels-idx1-ubyte.gz`);
  return { images: images.subarray(16), labels: labels.subarray(8), count: labels.length - 8 };
}

function batch(tf, data, indices) {
  const pixels = new Float32Array(indices.length * SIDE * SIDE);
  indices.forEach((index, i) => {
    const image = data.images.subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE);
    for (let p = 0; p < image.length; p += 1) pixels[i * SIDE * SIDE + p] = (image[p] / 255 - MEAN) / STD;
  });
  return {
    xs: tf.tensor4d(pixels, [indices.length, SIDE, SIDE, 1]),
    labels: Array.from(indices, (index) => data.labels[index]),
  };
}

function shuffled(count) {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

async function setup(backend, architecture) {
  if (backend === 'wasm') tf.wasm.setWasmPaths('./');
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js has no ${backend} backend here`);
  await tf.ready();
  const model = buildModel(tf, architecture);
  const classes = model.outputs[0].shape[1];
  const [channels, height, width] = architecture.input;
  const optimizer = tf.train.adam(1e-3);
  // Resizing to the network's input (and repeating gray for VGG's three channels) is part of
  // the step, as in convscope.
  const networkInput = (xs) => {
    const sized = height === SIDE && width === SIDE ? xs : tf.image.resizeBilinear(xs, [height, width]);
    return channels > 1 ? tf.tile(sized, [1, 1, 1, channels]) : sized;
  };
  const step = ({ xs, labels }, readLoss) => {
    const cost = optimizer.minimize(() => {
      const logits = model.apply(networkInput(xs), { training: true });
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), logits);
    }, readLoss);
    xs.dispose();
    return cost;
  };
  const logits = ({ xs }) => tf.tidy(() => model.apply(networkInput(xs), { training: false }));
  const predict = (input) => tf.tidy(() => logits(input).argMax(1));
  return { model, step, logits, predict };
}

/** Trains for about `seconds` after a warm-up; reads the loss every 5 steps (convscope reads
 * once per slice of training, at most 25 steps or 120 ms). */
async function imagesPerSecond({ backend, architecture, batchSize, seconds, warmup = 1 }) {
  const train = await mnist('train');
  const { step } = await setup(backend, architecture);
  const order = shuffled(train.count);
  const at = (i) => {
    const from = (i * batchSize) % (train.count - batchSize);
    return order.slice(from, from + batchSize);
  };
  for (let i = 0; i < warmup; i += 1) {
    const cost = step(batch(tf, train, at(i)), true);
    await cost.data();
    cost.dispose();
  }
  const started = performance.now();
  let steps = 0;
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < 5; i += 1, steps += 1) {
      const cost = step(batch(tf, train, at(warmup + steps)), i === 4);
      if (cost) {
        await cost.data();
        cost.dispose();
      }
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  return { imagesPerSecond: (steps * batchSize) / elapsed, backend: tf.getBackend() };
}

/** Trains until the first 1,000 test digits reach `target` accuracy, checked every quarter epoch. */
async function timeToAccuracy({ backend, architecture, batchSize, target, limitSeconds }) {
  const [train, test] = [await mnist('train'), await mnist('t10k')];
  const { step, predict } = await setup(backend, architecture);
  const quarter = Math.floor(train.count / batchSize / 4);
  const testIndices = Array.from({ length: 1000 }, (_, i) => i);
  const started = performance.now();
  for (let epoch = 0; ; epoch += 1) {
    const order = shuffled(train.count);
    for (let s = 0; s * batchSize < train.count; s += 1) {
      const cost = step(batch(tf, train, order.slice(s * batchSize, (s + 1) * batchSize)), (s + 1) % 25 === 0);
      if (cost) { await cost.data(); cost.dispose(); }
      const overTime = (performance.now() - started) / 1000 > limitSeconds;
      if ((s + 1) % quarter !== 0 && !overTime) continue;
      let correct = 0;
      for (let from = 0; from < testIndices.length; from += 250) {
        const indices = testIndices.slice(from, from + 250);
        const input = batch(tf, test, indices);
        const predicted = predict(input);
        const classes = await predicted.data();
        input.xs.dispose();
        predicted.dispose();
        indices.forEach((index, i) => { if (classes[i] === test.labels[index]) correct += 1; });
      }
      const seconds = (performance.now() - started) / 1000;
      const accuracy = correct / testIndices.length;
      if (accuracy >= target) return { seconds, accuracy, epochs: epoch + (s + 1) * batchSize / train.count };
      if (overTime) return { seconds: null, accuracy, epochs: epoch + (s + 1) * batchSize / train.count };
    }
  }
}

/** Batch-1 inference: a test digit made a tensor, resized like the app's, through the network,
 * its logits read back; `runs` times after a warm-up. Median and 95th percentile, in ms. */
async function inferenceMs({ backend, architecture, runs, warmup = 5 }) {
  const test = await mnist('t10k');
  const { model, logits } = await setup(backend, architecture);
  const times = [];
  for (let i = 0; i < warmup + runs; i += 1) {
    const started = performance.now();
    const input = batch(tf, test, [i]);
    const output = logits(input);
    await output.data();
    const elapsed = performance.now() - started;
    input.xs.dispose();
    output.dispose();
    if (i >= warmup) times.push(elapsed);
  }
  model.dispose();
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    p95: times[Math.ceil(times.length * 0.95) - 1],
    backend: tf.getBackend(),
  };
}

window.tfjsBench = { imagesPerSecond, timeToAccuracy, inferenceMs };
window.tfjsBenchReady = true;
