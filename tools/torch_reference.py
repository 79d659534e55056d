"""PyTorch references for convscope's tests: fixtures made from the seed code.

Run once by a developer (never in CI), with torch and safetensors installed:

    python tools/torch_reference.py --seed-models ../shared/reference/seed_models.py

It writes, under tests/fixtures/:
- seed_models.json: for each seed network, its state_dict keys with shapes and dtypes, its
  parameter count, and the output shape of every layer (as our layer table lists them);
- parity/<variant>/{weights.safetensors,input.npy,expected.json}: networks of the seed's
  structure with random weights (BatchNorm running stats included), one input, PyTorch's
  logits and statistics of every activation tap, for numerical parity tests;
- parity/resnet18-lite/{train_input.npy,running_after_train_forward.safetensors}: BatchNorm
  running statistics after one forward in training mode.

The variants are the seed's own classes with their channel counts scaled down, written here
with parameters instead of constants; everything else is the seed code line for line.
"""
import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from torch import nn
from torch.nn import functional as F

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def load_seed(path):
    spec = importlib.util.spec_from_file_location("seed_models", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the seed's classes, with channel counts as parameters --------------------------------

class AlexNet(nn.Module):
    def __init__(self, convs, hidden, input_size):
        super().__init__()
        c1, c2, c3, c4, c5 = convs
        features = [
            nn.Conv2d(1, c1, kernel_size=11, stride=4, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(c1, c2, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(c2, c3, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(c3, c4, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(c4, c5, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Flatten()]
        flat = nn.Sequential(*features)(torch.zeros(1, *input_size)).shape[1]
        self.net = nn.Sequential(
            *features,
            nn.Linear(flat, hidden), nn.ReLU(),
            nn.Dropout(p=0.5),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Dropout(p=0.5),
            nn.Linear(hidden, 10))

    def forward(self, x):
        return self.net(x)


class VGGBlock(nn.Module):
    def __init__(self, num_convs, in_channels, out_channels):
        super().__init__()
        layers = []
        for _ in range(num_convs):
            layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
            layers.append(nn.ReLU())
            in_channels = out_channels
        layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class VGGNet(nn.Module):
    def __init__(self, conv_arch, hidden, input_size):
        super().__init__()
        self.net1 = nn.Sequential()
        in_channels = input_size[0]
        for num_convs, out_channels in conv_arch:
            self.net1.append(VGGBlock(num_convs, in_channels, out_channels))
            in_channels = out_channels
        side = input_size[1] // 2 ** len(conv_arch)
        self.net2 = nn.Sequential(nn.Flatten(), nn.Linear(in_channels * side * side, hidden), nn.ReLU(),
                                  nn.Dropout(0.5), nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(0.5),
                                  nn.Linear(hidden, 10))

    def forward(self, x):
        return self.net2(self.net1(x))


class Inception(nn.Module):
    def __init__(self, in_channels, c1, c2, c3, c4):
        super().__init__()
        self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)

    def branches(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        return p1, p2, p3, p4

    def forward(self, x):
        return torch.cat(self.branches(x), dim=1)


class GoogLeNet(nn.Module):
    def __init__(self, ratio):
        super().__init__()
        r = lambda c: c // ratio
        rr = lambda c: (c[0] // ratio, c[1] // ratio)
        b1 = nn.Sequential(nn.Conv2d(1, r(64), kernel_size=7, stride=2, padding=3),
                           nn.ReLU(),
                           nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        b2 = nn.Sequential(nn.Conv2d(r(64), r(64), kernel_size=1),
                           nn.ReLU(),
                           nn.Conv2d(r(64), r(192), kernel_size=3, padding=1),
                           nn.ReLU(),
                           nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        b3 = nn.Sequential(Inception(r(192), r(64), rr((96, 128)), rr((16, 32)), r(32)),
                           Inception(r(256), r(128), rr((128, 192)), rr((32, 96)), r(64)),
                           nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        b4 = nn.Sequential(Inception(r(480), r(192), rr((96, 208)), rr((16, 48)), r(64)),
                           Inception(r(512), r(160), rr((112, 224)), rr((24, 64)), r(64)),
                           Inception(r(512), r(128), rr((128, 256)), rr((24, 64)), r(64)),
                           Inception(r(512), r(112), rr((144, 288)), rr((32, 64)), r(64)),
                           Inception(r(528), r(256), rr((160, 320)), rr((32, 128)), r(128)),
                           nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        b5 = nn.Sequential(Inception(r(832), r(256), rr((160, 320)), rr((32, 128)), r(128)),
                           Inception(r(832), r(384), rr((192, 384)), rr((48, 128)), r(128)),
                           nn.AdaptiveAvgPool2d((1, 1)),
                           nn.Flatten())
        self.net = nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(r(1024), 10))

    def forward(self, x):
        return self.net(x)


class Residual(nn.Module):
    def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)

    def parts(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        if self.conv3:
            x = self.conv3(x)
        return y, x

    def forward(self, x):
        y, x = self.parts(x)
        y += x
        return F.relu(y)


class ResBlock(nn.Module):
    def __init__(self, in_channels, num_channels, num_residuals, first_block=False):
        super().__init__()
        self.blk = nn.Sequential()
        for i in range(num_residuals):
            if i == 0 and not first_block:
                self.blk.append(Residual(in_channels, num_channels, use_1x1conv=True, strides=2))
            else:
                self.blk.append(Residual(num_channels, num_channels))

    def forward(self, x):
        return self.blk(x)


class ResNet(nn.Module):
    def __init__(self, stages):
        super().__init__()
        s1, s2, s3, s4 = stages
        b1 = nn.Sequential(nn.Conv2d(1, s1, kernel_size=7, stride=2, padding=3),
                           nn.BatchNorm2d(s1), nn.ReLU(),
                           nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        b2 = ResBlock(s1, s1, 2, first_block=True)
        b3 = ResBlock(s1, s2, 2)
        b4 = ResBlock(s2, s3, 2)
        b5 = ResBlock(s3, s4, 2)
        self.net = nn.Sequential(b1, b2, b3, b4, b5, nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(s4, 10))

    def forward(self, x):
        return self.net(x)


# ---- the variants: (model, input size, tap names by module path) ----------------------------

def alexnet_taps():
    names = {1: "conv1", 2: "pool1", 4: "conv2", 5: "pool2", 7: "conv3", 9: "conv4", 11: "conv5",
             12: "pool3", 15: "fc1", 18: "fc2"}
    return {f"net.{i}": name for i, name in names.items()}


def vgg_taps(conv_arch):
    taps = {}
    for b, (num_convs, _) in enumerate(conv_arch):
        for c in range(num_convs):
            taps[f"net1.{b}.net.{2 * c + 1}"] = f"block{b + 1}.conv{c + 1}"
        taps[f"net1.{b}"] = f"block{b + 1}"
    taps["net2.2"] = "fc1"
    taps["net2.5"] = "fc2"
    return taps


def googlenet_taps():
    taps = {"net.0.1": "b1.conv", "net.0": "b1", "net.1.1": "b2.conv1", "net.1.3": "b2.conv2", "net.1": "b2"}
    for block, count in ((2, 2), (3, 5), (4, 2)):
        for i in range(count):
            taps[f"net.{block}.{i}"] = f"b{block + 1}.inception{i + 1}"
        taps[f"net.{block}"] = f"b{block + 1}"
    return taps


def resnet_taps():
    taps = {"net.0.2": "b1.conv", "net.0": "b1", "net.5": "avgpool"}
    for block in range(1, 5):
        for i in range(2):
            taps[f"net.{block}.blk.{i}"] = f"b{block + 1}.residual{i + 1}"
    return taps


SEED_VGG = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))


def variants():
    vgg_lite = tuple((n, c // 8) for n, c in SEED_VGG)
    vgg_tiny = tuple((n, c // 16) for n, c in SEED_VGG)
    return {
        # The browser presets, as convscope defines them.
        "alexnet-lite": (AlexNet((16, 32, 48, 48, 32), 256, (1, 96, 96)), (1, 96, 96), alexnet_taps()),
        "vgg-lite": (VGGNet(vgg_lite, 128, (3, 32, 32)), (3, 32, 32), vgg_taps(vgg_lite)),
        "googlenet-lite": (GoogLeNet(4), (1, 48, 48), googlenet_taps()),
        "resnet18-lite": (ResNet((8, 16, 32, 64)), (1, 48, 48), resnet_taps()),
        # The seed's AlexNet and VGG at their own input sizes, with fewer channels.
        "alexnet-tiny": (AlexNet((6, 16, 24, 24, 16), 64, (1, 224, 224)), (1, 224, 224), alexnet_taps()),
        "vgg-tiny": (VGGNet(vgg_tiny, 64, (3, 224, 224)), (3, 224, 224), vgg_taps(vgg_tiny)),
    }


def randomize(model, generator):
    """Weights with a spread like a trained network's, and non-trivial BatchNorm statistics."""
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if name.endswith("num_batches_tracked"):
                tensor.fill_(7)
            elif name.endswith("running_var"):
                tensor.copy_(torch.rand(tensor.shape, generator=generator) + 0.5)
            elif name.endswith("running_mean") or name.endswith("bias"):
                tensor.copy_(torch.randn(tensor.shape, generator=generator) * 0.1)
            elif tensor.dim() == 1:  # BatchNorm weight
                tensor.copy_(torch.rand(tensor.shape, generator=generator) + 0.5)
            else:
                fan_in = tensor[0].numel()
                tensor.copy_(torch.randn(tensor.shape, generator=generator) * (2.0 / fan_in) ** 0.5)


def record_taps(model, tap_paths):
    """Forward hooks that collect every tap as convscope names it."""
    recorded = {}
    modules = dict(model.named_modules())
    hooks = []
    for path, name in tap_paths.items():
        module = modules[path]

        def hook(module, inputs, output, name=name):
            if isinstance(module, Inception):
                for i, branch in enumerate(module.branches(inputs[0])):
                    recorded[f"{name}.branch{i + 1}"] = branch
            if isinstance(module, Residual):
                main, shortcut = module.parts(inputs[0])
                recorded[f"{name}.main"] = main
                recorded[f"{name}.shortcut"] = shortcut
            recorded[name] = output
        hooks.append(module.register_forward_hook(hook))
    return recorded, hooks


def tap_stats(tensor):
    array = tensor.detach().double().numpy()
    if array.ndim == 2:  # hidden layers are [batch, features, 1, 1] in convscope
        array = array[:, :, None, None]
    return {
        "shape": list(array.shape),
        "mean": float(array.mean()),
        "std": float(array.std()),
        "head": [float(v) for v in array.reshape(-1)[:8]],
    }


def make_parity(name, model, input_size, tap_paths):
    generator = torch.Generator().manual_seed(sum(map(ord, name)))
    randomize(model, generator)
    model.eval()
    x = torch.rand((1, *input_size), generator=generator) * 2.0 - 0.5
    recorded, hooks = record_taps(model, tap_paths)
    with torch.no_grad():
        logits = model(x)
    for hook in hooks:
        hook.remove()
    out = FIXTURES / "parity" / name
    out.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, out / "weights.safetensors")
    np.save(out / "input.npy", x.numpy().astype(np.float32))
    expected = {
        "logits": [float(v) for v in logits[0]],
        "taps": {tap: tap_stats(t) for tap, t in recorded.items()},
    }
    (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    return model


def make_batchnorm_step(name, model, input_size):
    """BatchNorm running statistics after one forward in training mode (unbiased variance)."""
    generator = torch.Generator().manual_seed(1234)
    x = torch.rand((4, *input_size), generator=generator)
    model.train()
    with torch.no_grad():
        model(x)
    out = FIXTURES / "parity" / name
    np.save(out / "train_input.npy", x.numpy().astype(np.float32))
    running = {k: v.contiguous() for k, v in model.state_dict().items() if "running_" in k}
    save_file(running, out / "running_after_train_forward.safetensors")


def layer_rows(model, seed_module, input_size):
    """Output shapes of the layers our table lists: leaves, with Inception and Residual whole."""
    blocks = (seed_module.Inception, seed_module.Residual)
    rows, hooks = [], []
    inside_block = set()
    for path, module in model.named_modules():
        if any(path.startswith(prefix + ".") for prefix in inside_block):
            continue
        if isinstance(module, blocks):
            inside_block.add(path)
        elif list(module.children()):
            continue
        def hook(module, inputs, output, path=path):
            rows.append({"name": path, "kind": type(module).__name__, "output_shape": list(output.shape)})
        hooks.append(module.register_forward_hook(hook))
    with torch.no_grad():
        model.eval()(torch.zeros(1, *input_size))
    for hook in hooks:
        hook.remove()
    return rows


def make_seed_fixture(seed_module):
    FIXTURES.mkdir(parents=True, exist_ok=True)
    fixture = {}
    for name, (cls, input_size) in seed_module.SEED_MODELS.items():
        torch.manual_seed(0)
        model = cls()
        fixture[name] = {
            "input": list(input_size),
            "total_params": sum(p.numel() for p in model.parameters()),
            "state_dict": [[k, list(v.shape), str(v.dtype).replace("torch.", "")]
                           for k, v in model.state_dict().items()],
            "layers": layer_rows(model, seed_module, input_size),
        }
    (FIXTURES / "seed_models.json").write_text(json.dumps(fixture, indent=1) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed-models", default="../shared/reference/seed_models.py")
    args = parser.parse_args()
    make_seed_fixture(load_seed(args.seed_models))
    for name, (model, input_size, taps) in variants().items():
        model = make_parity(name, model, input_size, taps)
        if name == "resnet18-lite":
            make_batchnorm_step(name, model, input_size)


if __name__ == "__main__":
    main()
