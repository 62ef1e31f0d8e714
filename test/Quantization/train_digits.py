#!/usr/bin/env python3
# Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
"""Trains the small digits CNN and writes the files the quantization tests use.

Run once by hand to regenerate the committed files; the tests themselves read
only the outputs and need neither scikit-learn nor torch.

Data: scikit-learn's bundled "digits" set (load_digits: 1797 images, 8x8,
pixel counts 0..16, 10 classes), from the UCI "Optical Recognition of
Handwritten Digits" data set (CC BY 4.0, see third_party/digits). Pixels are
divided by 16 to lie in [0, 1]; a stratified split with a fixed seed gives
1257 training and 540 test images.

Net (PyTorch, CPU, fixed seeds, deterministic algorithms, one thread):
  Conv2d(1,16,3,p=1) ReLU  Conv2d(16,32,3,p=1) ReLU  MaxPool2d(2)  Flatten
  Linear(512,64) ReLU  Linear(64,10)
exported to ONNX opset 17 by the TorchScript exporter (dynamo=False): input
"image" [N,1,8,8] (N dynamic), output "logits" [N,10], weights inside the file.

Writes (paths relative to the repository root):
  test/Quantization/digits/digits_cnn.onnx  the model
  third_party/digits/calibration.npy        float32 [64,1,8,8], 64 training images
  third_party/digits/test_images.npy        float32 [540,1,8,8]
  third_party/digits/test_labels.npy        int64 [540]
and prints the test accuracy of the f32 model run by ONNX Runtime.

Needs: torch, onnx, onnxruntime, scikit-learn, numpy.
Usage: train_digits.py [--root REPO_ROOT]
"""
import argparse
import os
import random

import numpy as np
import onnx
import onnxruntime as ort
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

SEED = 0
TEST_SIZE = 540
CALIBRATION = 64
EPOCHS = 40
BATCH = 32
LR = 1e-3


def load_split():
    digits = load_digits()
    x = (digits.images.astype(np.float32) / np.float32(16.0))[:, None, :, :]
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_SIZE, stratify=y, random_state=SEED)
    return (np.ascontiguousarray(x_train), np.ascontiguousarray(y_train),
            np.ascontiguousarray(x_test), np.ascontiguousarray(y_test))


def make_net():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(512, 64), nn.ReLU(),
        nn.Linear(64, 10))


def train(x_train, y_train):
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    net = make_net()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    xs = torch.from_numpy(x_train)
    ys = torch.from_numpy(y_train)
    gen = torch.Generator().manual_seed(SEED)
    net.train()
    for _ in range(EPOCHS):
        order = torch.randperm(len(xs), generator=gen)
        for i in range(0, len(xs), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            loss_fn(net(xs[idx]), ys[idx]).backward()
            opt.step()
    net.eval()
    return net


def export(net, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.onnx.export(
        net, (torch.zeros(1, 1, 8, 8),), path,
        input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
        opset_version=17, do_constant_folding=True, dynamo=False)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    for init in model.graph.initializer:
        assert init.data_location != onnx.TensorProto.EXTERNAL, init.name


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                    help="repository root (default: two folders up from this script)")
    args = ap.parse_args()

    x_train, y_train, x_test, y_test = load_split()
    net = train(x_train, y_train)
    with torch.no_grad():
        torch_acc = float((net(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean())

    model_path = os.path.join(args.root, "test", "Quantization", "digits", "digits_cnn.onnx")
    export(net, model_path)

    data_dir = os.path.join(args.root, "third_party", "digits")
    os.makedirs(data_dir, exist_ok=True)
    np.save(os.path.join(data_dir, "calibration.npy"), x_train[:CALIBRATION])
    np.save(os.path.join(data_dir, "test_images.npy"), x_test)
    np.save(os.path.join(data_dir, "test_labels.npy"), y_test)

    sess = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    logits = sess.run(["logits"], {"image": x_test})[0]
    acc = float((logits.argmax(1) == y_test).mean())
    ops = sorted({n.op_type for n in onnx.load(model_path).graph.node})
    print(f"torch f32 test accuracy: {torch_acc:.4f}")
    print(f"onnxruntime f32 test accuracy: {acc:.4f} ({int(round(acc * len(y_test)))}/{len(y_test)})")
    print(f"ops: {' '.join(ops)}")
    print(f"wrote {model_path} ({os.path.getsize(model_path)} bytes) and {data_dir}/*.npy")


if __name__ == "__main__":
    main()
