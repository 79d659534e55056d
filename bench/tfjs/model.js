// The browser presets in TF.js layers, built from convscope's own description of each network
// (`convscope summary --arch NAME --tree`), so both sides train the same layers. TF.js works
// channels-last; PyTorch-style explicit padding becomes a zero-padding layer (pooling pads only
// after ReLUs here, where zeros and PyTorch's -inf padding give the same maximum).

function pad(tf, x, padding) {
  return padding > 0 ? tf.layers.zeroPadding2d({ padding }).apply(x) : x;
}

function conv(tf, x, { out_channels, kernel, stride, padding }) {
  return tf.layers.conv2d({ filters: out_channels, kernelSize: kernel, strides: stride, padding: 'valid' })
    .apply(pad(tf, x, padding));
}

function pool(tf, x, { kernel, stride, padding }) {
  return tf.layers.maxPooling2d({ poolSize: kernel, strides: stride, padding: 'valid' }).apply(pad(tf, x, padding));
}

const relu = (tf, x) => tf.layers.reLU().apply(x);
const batchNorm = (tf, x) => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(x);

// A block's convolutions come listed with the parallel path each lies on, in forward order.
function inception(tf, x, { convs, branch4_pool }) {
  const branches = [x, x, x, pool(tf, x, branch4_pool)];
  for (const { path, spec } of convs) branches[path] = relu(tf, conv(tf, branches[path], spec));
  return tf.layers.concatenate({ axis: -1 }).apply(branches);
}

// Main path: conv, BatchNorm, ReLU, conv, BatchNorm; shortcut: its 1×1 conv, or the input.
function residual(tf, x, { convs }) {
  const paths = [x, x];
  let mainConvs = 0;
  for (const { path, spec } of convs) {
    let y = conv(tf, paths[path], spec);
    if (path === 0) {
      y = batchNorm(tf, y);
      mainConvs += 1;
      if (mainConvs === 1) y = relu(tf, y);
    }
    paths[path] = y;
  }
  return relu(tf, tf.layers.add().apply(paths));
}

function apply(tf, node, x) {
  const op = node.op;
  if (op === 'Relu') return relu(tf, x);
  if (op === 'BatchNorm2d') return batchNorm(tf, x);
  // TF.js's global pooling already drops the spatial axes that PyTorch keeps as 1×1.
  if (op === 'Flatten') return x.shape.length > 2 ? tf.layers.flatten().apply(x) : x;
  if (op === 'GlobalAvgPool2d') return tf.layers.globalAveragePooling2d({}).apply(x);
  const [kind, spec] = Object.entries(op)[0];
  switch (kind) {
    case 'Conv2d': return conv(tf, x, spec);
    case 'MaxPool2d': return pool(tf, x, spec);
    case 'Dropout': return tf.layers.dropout({ rate: spec.prob }).apply(x);
    case 'Linear': return tf.layers.dense({ units: spec.out_features }).apply(x);
    case 'Sequential': return spec.reduce((y, child) => apply(tf, child, y), x);
    case 'Inception': return inception(tf, x, node);
    case 'Residual': return residual(tf, x, node);
    default: throw new Error(`no TF.js layer for ${kind}`);
  }
}

/** A `tf.LayersModel` from convscope's architecture tree; input `[batch, h, w, c]`, logits out. */
export function buildModel(tf, architecture) {
  const [channels, height, width] = architecture.input;
  const input = tf.input({ shape: [height, width, channels] });
  const output = architecture.root.reduce((x, node) => apply(tf, node, x), input);
  return tf.model({ inputs: input, outputs: output });
}
