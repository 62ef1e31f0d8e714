#!/usr/bin/env python3
"""Writes tiny_cnn_test_set.txt: inputs of the tiny CNN and ONNX Runtime's
outputs for them, the reference kiln-load-client checks the server against.

The images are those of ../digits/test_set.txt (pixel values 0..16), in
batches of 1 to 8 (the model's batch dim is dynamic). Each line holds a
batch size B, B*64 pixels and B*10 probabilities.

Needs: onnx, onnxruntime, numpy (e.g. in kiln's .venv).
Run from anywhere: .venv/bin/python examples/server/make_tiny_cnn_reference.py
"""
import os

import numpy as np
import onnx
import onnx.parser
import onnxruntime

HERE = os.path.dirname(os.path.abspath(__file__))
BATCHES = [1, 2, 3, 4, 6, 8, 8]  # 32 images, the digits test set's count


def read_images():
    images = []
    with open(os.path.join(HERE, "..", "digits", "test_set.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                images.append([float(v) for v in line.split()[1:65]])
    return np.array(images, dtype=np.float32)


def main():
    with open(os.path.join(HERE, "..", "tiny-cnn", "model.onnxtxt")) as f:
        model = onnx.parser.parse_model(f.read())
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"])
    images = read_images()
    lines, start = [], 0
    for batch in BATCHES:
        x = images[start:start + batch].reshape(batch, 1, 8, 8)
        start += batch
        probs = session.run(None, {"image": x})[0]
        pixels = " ".join(str(int(p)) for p in x.flatten())
        ref = " ".join(f"{p:.9g}" for p in probs.flatten())
        lines.append(f"{batch} {pixels} {ref}\n")
    path = os.path.join(HERE, "tiny_cnn_test_set.txt")
    with open(path, "w") as f:
        f.write("# batch B, B*64 pixels (0..16), B*10 probabilities from ONNX "
                f"Runtime {onnxruntime.__version__}; written by "
                "make_tiny_cnn_reference.py\n")
        f.writelines(lines)
    print(f"wrote {path}: {len(lines)} batches")


if __name__ == "__main__":
    main()
