"""Test images for preprocessing: real MNIST test digits photographed, drawn and inverted.

Run once by a developer (numpy and pillow): python tools/make_test_images.py
Writes tests/fixtures/images/, each file named <label>_<case>.<ext> (or a bad-input name).
"""
import gzip
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "images"


def mnist_test():
    with gzip.open(ROOT / "assets/mnist/t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(ROOT / "assets/mnist/t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images, labels


def upscale(digit, size):
    return Image.fromarray(digit).resize((size, size), Image.BICUBIC).filter(ImageFilter.GaussianBlur(1.5))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    images, labels = mnist_test()
    rng = np.random.default_rng(7)

    # A photo: dark ink on uneven gray paper with noise, digit off-center, JPEG.
    index = 0  # a 7
    ink = np.asarray(upscale(images[index], 300), np.float32) / 255
    paper = np.linspace(0.75, 0.92, 640)[None, :] * np.ones((480, 1))
    photo = paper + rng.normal(0, 0.02, paper.shape)
    photo[100:400, 250:550] -= 0.6 * ink
    Image.fromarray((np.clip(photo, 0, 1) * 255).astype(np.uint8)).convert("RGB").save(
        OUT / f"{labels[index]}_photo.jpg", quality=85)

    # A canvas drawing: black strokes on a transparent layer, PNG with alpha.
    index = 1  # a 2
    alpha = np.asarray(upscale(images[index], 200))
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[40:240, 60:260, 3] = alpha
    Image.fromarray(rgba, "RGBA").save(OUT / f"{labels[index]}_transparent.png")

    # Light ink on a dark background, small and in a corner, like MNIST itself but larger.
    index = 2  # a 1
    dark = np.zeros((200, 300), np.uint8)
    dark[10:122, 170:282] = np.asarray(upscale(images[index], 112))
    Image.fromarray(dark).save(OUT / f"{labels[index]}_dark.png")

    # A wide grayscale BMP of a 0 on white paper.
    index = 3  # a 0
    white = np.full((150, 400), 255, np.uint8)
    white[10:140, 50:180] = 255 - np.asarray(upscale(images[index], 130))
    Image.fromarray(white).save(OUT / f"{labels[index]}_white.bmp")

    Image.fromarray(np.full((64, 64), 250, np.uint8)).save(OUT / "blank.png")
    (OUT / "not_an_image.png").write_text("this is text, not a PNG\n")


if __name__ == "__main__":
    main()
