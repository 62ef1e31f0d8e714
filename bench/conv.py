#!/usr/bin/env python3
"""Conv layers of ResNet-50 and MobileNetV2: kiln against ONNX Runtime.

Each distinct conv layer of the two networks at 224x224, batch 1, is a
one-node ONNX model (Conv with seeded random weights and bias as
initializers), compiled by kilnc for the host, checked with
`kiln-run --check` against ONNX Runtime's output, then timed by
`kiln-run --bench` and by ONNX Runtime's InferenceSession (one thread,
CPU provider, all graph optimisations), in the same run: alternating
rounds of timed runs, the fastest round's median of each counting. Also
the FMA peak of bench/fma_peak.c.

Prints (and with --markdown FILE writes its section of) GFLOP/s, fraction
of peak, and the speed ratio kiln / ORT (ORT's time over kiln's: above 1
kiln is faster), with the geometric mean and the slowest layer.

Usage: bench/conv.py --kilnc build/bin/kilnc --kiln-run build/bin/kiln-run
       [--filter REGEX] [--rounds N] [--markdown docs/performance.md]
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import tempfile
import time

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

import benchlib


def resnet50_layers():
    """(name, C, F, HxW in, kernel, stride, groups) of each distinct conv."""
    layers = [("r50.conv1", 3, 64, 224, 7, 2, 1)]
    size, cin = 56, 64
    for stage, (width, blocks_stride) in enumerate(
            [(64, 1), (128, 2), (256, 2), (512, 2)], start=1):
        out = width * 4
        stride = blocks_stride
        p = f"r50.l{stage}"
        layers += [(f"{p}.a1x1", cin, width, size, 1, 1, 1),
                   (f"{p}.a3x3s{stride}", width, width, size, 3, stride, 1)]
        size //= stride
        layers += [(f"{p}.c1x1", width, out, size, 1, 1, 1),
                   (f"{p}.down", cin, out, size * stride, 1, stride, 1),
                   (f"{p}.b1x1", out, width, size, 1, 1, 1)]
        if stride != 1:
            layers.append((f"{p}.b3x3", width, width, size, 3, 1, 1))
        cin = out
    return layers


def mobilenet_v2_layers():
    """Each distinct conv of MobileNetV2 (width 1.0)."""
    layers = [("mv2.stem", 3, 32, 224, 3, 2, 1)]
    size, cin = 112, 32
    # (expansion, channels, repeats, stride) of the inverted residuals.
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2),
                       (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                       (6, 320, 1, 1)]:
        for i in range(min(n, 2)):
            stride = s if i == 0 else 1
            hidden = cin * t
            p = f"mv2.{c}.{i}"
            if t != 1:
                layers.append((f"{p}.expand", cin, hidden, size, 1, 1, 1))
            layers.append((f"{p}.dw{stride}", hidden, hidden, size, 3, stride,
                           hidden))
            size //= stride
            layers.append((f"{p}.project", hidden, c, size, 1, 1, 1))
            cin = c
    layers.append(("mv2.head", cin, 1280, size, 1, 1, 1))
    return layers


def conv_model(c, f, size, kernel, stride, groups):
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((f, c // groups, kernel, kernel)) *
         (1.0 / math.sqrt(c // groups * kernel * kernel))).astype(np.float32)
    b = rng.standard_normal(f).astype(np.float32)
    pad = kernel // 2
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"],
                            kernel_shape=[kernel, kernel],
                            strides=[stride, stride], pads=[pad] * 4,
                            group=groups)
    out = (size + 2 * pad - kernel) // stride + 1
    graph = helper.make_graph(
        [node], "conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [1, c, size, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [1, f, out, out])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    flops = 2.0 * f * out * out * (c // groups) * kernel * kernel
    return model, flops


def ort_session(path):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        path, options, providers=["CPUExecutionProvider"])


def ort_seconds(session, feeds, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(opts, work, layer):
    name, c, f, size, kernel, stride, groups = layer
    model, flops = conv_model(c, f, size, kernel, stride, groups)
    path = os.path.join(work, name + ".onnx")
    onnx.save(model, path)
    x = np.random.default_rng(1).standard_normal(
        (1, c, size, size)).astype(np.float32)
    runs = int(max(5, min(200, 5e9 / flops)))
    session = ort_session(path)
    outputs = session.run(None, {"x": x})
    data = os.path.join(work, name + "_data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "input_0.pb"), "wb") as fh:
        fh.write(numpy_helper.from_array(x, "x").SerializeToString())
    with open(os.path.join(data, "output_0.pb"), "wb") as fh:
        fh.write(numpy_helper.from_array(outputs[0]).SerializeToString())
    lib = os.path.join(work, name + ".so")
    subprocess.run([opts.kilnc, path, "-o", lib, "--header=none"],
                   check=True)
    # Alternating rounds, the fastest median of each: a burst of other
    # work on the machine slows one round, not the comparison.
    kiln_s = ort_s = math.inf
    for _ in range(opts.rounds):
        ort_s = min(ort_s, ort_seconds(session, {"x": x}, runs))
        kiln_s = min(kiln_s, benchlib.kiln_seconds(opts.kiln_run, lib, data,
                                                   runs, 1e-4))
    return flops, kiln_s, ort_s


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--filter", default="", help="layers matching REGEX")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating timed rounds (the fastest counts)")
    parser.add_argument("--markdown", help="also write the section here")
    opts = parser.parse_args()
    layers = [l for l in resnet50_layers() + mobilenet_v2_layers()
              if re.search(opts.filter, l[0])]
    ratios = []
    with tempfile.TemporaryDirectory() as work:
        peak, peak_text = benchlib.fma_peak(work)
        lines = [f"CPU: {benchlib.cpu_name()}; one thread; onnxruntime "
                 f"{onnxruntime.__version__}. FMA peak (bench/fma_peak.c): "
                 f"{peak_text}.", "",
                 "| layer | C -> F, HxW, kernel/stride/groups | kiln GFLOP/s "
                 "| ORT GFLOP/s | kiln / peak | kiln speed / ORT |",
                 "|---|---|---:|---:|---:|---:|"]
        for line in lines:
            print(line)
        for layer in layers:
            name, c, f, size, kernel, stride, groups = layer
            flops, kiln_s, ort_s = measure(opts, work, layer)
            ratios.append((ort_s / kiln_s, name))
            line = (f"| {name} | {c} -> {f}, {size}x{size}, "
                    f"{kernel}x{kernel}/{stride}/{groups} | "
                    f"{flops / kiln_s * 1e-9:.1f} | "
                    f"{flops / ort_s * 1e-9:.1f} | "
                    f"{flops / kiln_s * 1e-9 / peak:.2f} | "
                    f"{ort_s / kiln_s:.2f} |")
            print(line, flush=True)
            lines.append(line)
    geomean = math.exp(statistics.fmean(math.log(r) for r, _ in ratios))
    worst = min(ratios)
    summary = (f"Geometric mean of kiln's speed over ORT's: {geomean:.2f}; "
               f"slowest layer: {worst[1]} at {worst[0]:.2f}.")
    print(summary)
    lines += ["", summary]
    if opts.markdown:
        benchlib.write_section(
            opts.markdown, "conv", "Conv layers of ResNet-50 and MobileNetV2",
            ["`.venv/bin/python bench/conv.py --kilnc build/bin/kilnc "
             "--kiln-run build/bin/kiln-run --markdown docs/performance.md`: "
             "one-node Conv models at 224x224, batch 1, against ONNX "
             f"Runtime in the same run: {opts.rounds} alternating rounds, "
             "the fastest round's median of timed runs of each.", ""] + lines)


if __name__ == "__main__":
    main()
