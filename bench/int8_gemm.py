#!/usr/bin/env python3
"""int8 GEMM and convolution: kiln's u8 x s8 kernel against its own f32
code and ONNX Runtime's integer operators, in one run.

For each shape M x K x N, two one-node ONNX models with seeded random
weights B (a layer's):
  - f32:  Y = MatMul(A, B);
  - int8: Y = MatMulInteger(A, B, a_zero_point) with A u8, B s8 and an
    activation zero point of 128 (as quantize_static's u8 activations have):
    the i32 result, checked exactly against numpy's.
And for each convolution C x F x HxW x KxK (pads to keep HxW), likewise a
Conv and a ConvInteger (zero point 128, s8 filters).
Both are compiled by kilnc for the host (`--mcpu=host`: the portable
default's x86-64-v4 variant has no VNNI), checked, and timed with
`kiln-run --bench` on one thread; ONNX Runtime runs the int8 model on one
thread as the reference (its ConvInteger, where it takes s8 filters).

Prints (and with --markdown FILE writes) GOP/s (2 M K N operations), the
int8 speedup over kiln's f32, and kiln / ONNX Runtime latency (lower is
better for kiln).

Usage: bench/int8_gemm.py --kilnc build/bin/kilnc --kiln-run build/bin/kiln-run
       [--shapes 128x768x768,...] [--convs 64x64x56x3,...]
       [--markdown docs/performance.md]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import benchlib

SHAPES = ["128x768x768", "128x768x3072", "128x3072x768", "512x512x512",
          "1024x1024x1024"]
CONVS = ["64x64x56x3", "128x128x28x3", "256x256x14x3", "512x512x7x3",
         "256x64x56x1"]
ZERO_POINT = 128


def save(model, path):
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def one_node(name, node, a_type, y_type, m, k, n, inits):
    graph = helper.make_graph(
        [node], name, [helper.make_tensor_value_info("a", a_type, [m, k])],
        [helper.make_tensor_value_info("y", y_type, [m, n])], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def models(m, k, n):
    """The f32 and int8 models, and their inputs and expected outputs."""
    rng = np.random.default_rng(0)
    b8 = rng.integers(-128, 128, (k, n), dtype=np.int8)
    a8 = rng.integers(0, 256, (m, k), dtype=np.uint8)
    f32 = one_node("gemm_f32", helper.make_node("MatMul", ["a", "b"], ["y"]),
                   TensorProto.FLOAT, TensorProto.FLOAT, m, k, n,
                   [numpy_helper.from_array(b8.astype(np.float32), "b")])
    int8 = one_node(
        "gemm_int8",
        helper.make_node("MatMulInteger", ["a", "b", "az"], ["y"]),
        TensorProto.UINT8, TensorProto.INT32, m, k, n,
        [numpy_helper.from_array(b8, "b"),
         numpy_helper.from_array(np.array(ZERO_POINT, np.uint8), "az")])
    a32 = a8.astype(np.int64) - ZERO_POINT
    y = (a32 @ b8.astype(np.int64)).astype(np.int32)
    return (f32, a32.astype(np.float32), y.astype(np.float32)), (int8, a8, y)


def reference_conv(x, w, pad):
    """The exact i32 convolution of x less its zero point by w."""
    xp = np.pad(x.astype(np.int64) - ZERO_POINT,
                ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    k = w.shape[2]
    h = xp.shape[2] - k + 1
    y = np.zeros((1, w.shape[0], h, h), np.int64)
    for i in range(k):
        for j in range(k):
            y += np.einsum("nchw,fc->nfhw", xp[:, :, i:i + h, j:j + h],
                           w[:, :, i, j].astype(np.int64))
    return y.astype(np.int32)


def conv_models(c, f, hw, k):
    """The f32 Conv and the ConvInteger models, inputs and outputs."""
    rng = np.random.default_rng(0)
    w8 = rng.integers(-128, 128, (f, c, k, k), dtype=np.int8)
    x8 = rng.integers(0, 256, (1, c, hw, hw), dtype=np.uint8)
    pad = k // 2
    x_shape, y_shape = [1, c, hw, hw], [1, f, hw, hw]

    def model(name, node, x_type, y_type, inits):
        graph = helper.make_graph(
            [node], name, [helper.make_tensor_value_info("a", x_type, x_shape)],
            [helper.make_tensor_value_info("y", y_type, y_shape)], inits)
        m = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
        m.ir_version = 8
        return m

    f32 = model("conv_f32",
                helper.make_node("Conv", ["a", "w"], ["y"], pads=[pad] * 4),
                TensorProto.FLOAT, TensorProto.FLOAT,
                [numpy_helper.from_array(w8.astype(np.float32), "w")])
    int8 = model("conv_int8",
                 helper.make_node("ConvInteger", ["a", "w", "az"], ["y"],
                                  pads=[pad] * 4),
                 TensorProto.UINT8, TensorProto.INT32,
                 [numpy_helper.from_array(w8, "w"),
                  numpy_helper.from_array(np.array(ZERO_POINT, np.uint8),
                                          "az")])
    y = reference_conv(x8, w8, pad)
    a32 = x8.astype(np.float32) - ZERO_POINT
    return (f32, a32, y.astype(np.float32)), (int8, x8, y), \
        2.0 * f * c * k * k * hw * hw


def write_data(folder, a, y):
    os.makedirs(folder)
    for name, array in (("input_0.pb", numpy_helper.from_array(a, "a")),
                        ("output_0.pb", numpy_helper.from_array(y, "y"))):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(array.SerializeToString())


def compile_model(kilnc, model, work, name):
    path = os.path.join(work, name + ".onnx")
    lib = os.path.join(work, name + ".so")
    save(model, path)
    subprocess.run([kilnc, path, "--mcpu=host", "-o", lib], check=True)
    return path, lib


def ort_seconds(path, a, runs):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options,
                                   providers=["CPUExecutionProvider"])
    session.run(None, {"a": a})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, {"a": a})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(args, shape, work, conv=False):
    dims = [int(x) for x in shape.split("x")]
    if conv:
        f32, int8, ops = conv_models(*dims)
        built = (f32, int8)
    else:
        built = models(*dims)
        ops = 2.0 * dims[0] * dims[1] * dims[2]
    runs = int(max(5, min(200, 50e9 / ops)))
    row = {"shape": shape}
    for kind, (model, a, y) in zip(("f32", "int8"), built):
        data = os.path.join(work, f"{shape}-{kind}")
        write_data(data, a, y)
        path, lib = compile_model(args.kilnc, model, work, f"{shape}-{kind}")
        row[kind] = benchlib.kiln_seconds(args.kiln_run, lib, data, runs, 0)
        if kind == "int8":
            try:
                row["ort"] = ort_seconds(path, a, runs)
            except Exception:  # ONNX Runtime may lack the type pair.
                row["ort"] = None
    row["gops"] = ops / row["int8"] * 1e-9
    return row


def table_row(r):
    ort = f"{r['int8'] / r['ort']:.2f}" if r["ort"] else "n/a"
    return (f"| {r['shape']} | {r['gops']:.0f} | "
            f"{r['f32'] / r['int8']:.2f}x | {ort} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--convs", default=",".join(CONVS))
    parser.add_argument("--markdown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        rows = [measure(args, s, work) for s in args.shapes.split(",") if s]
        convs = [measure(args, s, work, conv=True)
                 for s in args.convs.split(",") if s]
    lines = [
        f"CPU: {benchlib.cpu_name()}; one thread; `kilnc --mcpu=host`; "
        "median of `kiln-run --bench` runs and of as many ONNX Runtime "
        "runs; int8 outputs checked exactly.",
        "",
        "| MatMulInteger M x K x N | kiln int8 GOP/s | kiln f32 / int8 | "
        "kiln int8 / ORT |",
        "|---|---|---|---|"]
    lines += [table_row(r) for r in rows]
    lines += ["", "| ConvInteger C x F x HxW x KxK | kiln int8 GOP/s | "
              "kiln f32 / int8 | kiln int8 / ORT |", "|---|---|---|---|"]
    lines += [table_row(r) for r in convs]
    print("\n".join(lines))
    if args.markdown:
        benchlib.write_section(args.markdown, "int8-gemm",
                               "int8 GEMM (bench/int8_gemm.py)", lines)


if __name__ == "__main__":
    sys.exit(main())
