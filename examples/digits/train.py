#!/usr/bin/env python3
"""Trains the digits classifier that kiln's main-job example compiles.

The data set is scikit-learn's copy of the UCI optical digits (8x8 images,
pixel values 0..16, 1797 samples), which the package ships. A two-layer
perceptron (64 -> 32 -> 10) is trained with numpy (full-batch Adam, fixed
seed) and written as digits.onnx:

    pixels float[1, 64] -> Mul(1/16) -> Gemm -> Relu -> Gemm -> Softmax
      -> probabilities float[1, 10]

test_set.txt holds held-out images, their true labels, and the
probabilities ONNX Runtime computes for them: the reference the C++ program
(main.cpp) checks kiln's code against.

Needs: numpy, onnx, onnxruntime, scikit-learn (e.g. in kiln's .venv).
Run from anywhere: python3 examples/digits/train.py
"""
import os

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
HIDDEN = 32
NUM_TEST_LINES = 32


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def train(x, y, epochs=600, lr=0.01, seed=0):
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0, np.sqrt(2 / 64), (64, HIDDEN)).astype(np.float32)
    b1 = np.zeros(HIDDEN, np.float32)
    w2 = rng.normal(0, np.sqrt(2 / HIDDEN), (HIDDEN, 10)).astype(np.float32)
    b2 = np.zeros(10, np.float32)
    params = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    onehot = np.eye(10, dtype=np.float32)[y]
    for step in range(1, epochs + 1):
        h = np.maximum(x @ w1 + b1, 0)
        p = softmax(h @ w2 + b2)
        g_logits = (p - onehot) / len(x)
        g_w2 = h.T @ g_logits
        g_b2 = g_logits.sum(0)
        g_h = g_logits @ w2.T * (h > 0)
        g_w1 = x.T @ g_h
        g_b1 = g_h.sum(0)
        for i, g in enumerate([g_w1, g_b1, g_w2, g_b2]):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            mh = m[i] / (1 - 0.9 ** step)
            vh = v[i] / (1 - 0.999 ** step)
            params[i] -= (lr * mh / (np.sqrt(vh) + 1e-8)).astype(np.float32)
    return params


def make_model(w1, b1, w2, b2):
    inits = [
        numpy_helper.from_array(np.array([1 / 16], np.float32), "scale"),
        numpy_helper.from_array(w1, "w1"),
        numpy_helper.from_array(b1, "b1"),
        numpy_helper.from_array(w2, "w2"),
        numpy_helper.from_array(b2, "b2"),
    ]
    nodes = [
        helper.make_node("Mul", ["pixels", "scale"], ["x"], name="normalize"),
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], name="hidden"),
        helper.make_node("Relu", ["h"], ["r"], name="relu"),
        helper.make_node("Gemm", ["r", "w2", "b2"], ["logits"], name="logits"),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1,
                         name="softmax"),
    ]
    graph = helper.make_graph(
        nodes, "digits",
        [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, [1, 64])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                       [1, 10])],
        inits)
    model = helper.make_model(
        graph, producer_name="kiln examples/digits/train.py",
        opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    digits = load_digits()
    images = digits.data.astype(np.float32)  # 0..16
    labels = digits.target
    order = np.random.default_rng(1).permutation(len(images))
    train_idx, test_idx = order[:1500], order[1500:]
    params = train(images[train_idx] / 16, labels[train_idx])
    model = make_model(*params)
    path = os.path.join(HERE, "digits.onnx")
    onnx.save(model, path)

    session = onnxruntime.InferenceSession(
        path, providers=["CPUExecutionProvider"])
    correct = 0
    lines = []
    for n, i in enumerate(test_idx):
        probs = session.run(None, {"pixels": images[i:i + 1]})[0][0]
        correct += int(probs.argmax() == labels[i])
        if n < NUM_TEST_LINES:
            pixels = " ".join(str(int(p)) for p in images[i])
            ref = " ".join(f"{p:.9g}" for p in probs)
            lines.append(f"{labels[i]} {pixels} {ref}\n")
    with open(os.path.join(HERE, "test_set.txt"), "w") as f:
        f.write("# label, 64 pixels (0..16), 10 probabilities from ONNX "
                f"Runtime {onnxruntime.__version__}; written by train.py\n")
        f.writelines(lines)
    print(f"wrote {path}; held-out accuracy (ONNX Runtime) "
          f"{correct}/{len(test_idx)} = {correct / len(test_idx):.3f}")


if __name__ == "__main__":
    main()
