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

function inception(tf, x, { c1, c2, c3, c4 }) {
  const unit = (y, out_channels, kernel, padding) =>
    relu(tf, conv(tf, y, { out_channels, kernel, stride: 1, padding }));
  const p1 = unit(x, c1, 1, 0);
  const p2 = unit(unit(x, c2[0], 1, 0), c2[1], 3, 1);
  const p3 = unit(unit(x, c3[0], 1, 0), c3[1], 5, 2);
  const p4 = unit(pool(tf, x, { kernel: 3, stride: 1, padding: 1 }), c4, 1, 0);
  return tf.layers.concatenate({ axis: -1 }).apply([p1, p2, p3, p4]);
}

function residual(tf, x, { channels, use_1x1conv, stride }) {
  const conv3 = (y, s) => conv(tf, y, { out_channels: channels, kernel: 3, stride: s, padding: 1 });
  const main = batchNorm(tf, conv3(relu(tf, batchNorm(tf, conv3(x, stride))), 1));
  const shortcut = use_1x1conv ? conv(tf, x, { out_channels: channels, kernel: 1, stride, padding: 0 }) : x;
  return relu(tf, tf.layers.add().apply([main, shortcut]));
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
    case 'Inception': return inception(tf, x, spec);
    case 'Residual': return residual(tf, x, spec);
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
