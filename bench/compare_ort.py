#!/usr/bin/env python3
"""Latency of kiln-compiled models against ONNX Runtime, in one run.

For each model: `kilnc --emit=lib`, random inputs written as input_<i>.pb,
`kiln-run --check` against ONNX Runtime's outputs (so the numbers compared
are the same computation), then `kiln-run --bench N` and N timed
`InferenceSession.run` calls (one thread each: kiln's code is serial).
Prints median latencies and the ratio kiln / ONNX Runtime.

Models: the shipped digits classifier, and a residual CNN block generated
here (Conv 3x3 64->64 on 1x64x56x56, ReLU, Conv, Add, ReLU,
GlobalAveragePool, Gemm), with seeded random weights.

Needs numpy, onnx and onnxruntime (e.g. .venv/bin/pip install onnxruntime).
Usage: bench/compare_ort.py --kilnc build/bin/kilnc --kiln-run build/bin/kiln-run
       [--runs N] [MODEL.onnx ...]
"""
import argparse
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

HERE = os.path.dirname(os.path.abspath(__file__))


def residual_block():
    rng = np.random.default_rng(0)
    c = 64

    def weight(name, shape):
        return numpy_helper.from_array(
            (rng.standard_normal(shape) * 0.05).astype(np.float32), name)

    inits = [weight("w1", (c, c, 3, 3)), weight("b1", (c,)),
             weight("w2", (c, c, 3, 3)), weight("b2", (c,)),
             weight("fc", (c, 10)), weight("fcb", (10,))]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "x"], ["s"]),
        helper.make_node("Relu", ["s"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "fc", "fcb"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "residual_block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, 56, 56])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def bench(name, model_path, opts, work):
    lib = os.path.join(work, name + ".so")
    subprocess.run([opts.kilnc, model_path, "-o", lib, "--emit=lib",
                    "--header=none"], check=True)
    model = onnx.load(model_path)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        model_path, options, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    feeds = {}
    data = os.path.join(work, name + "_data")
    os.makedirs(data, exist_ok=True)
    given = os.path.join(os.path.dirname(model_path), "test_data_set_0")
    for i, inp in enumerate(session.get_inputs()):
        saved = os.path.join(given, f"input_{i}.pb")
        if os.path.exists(saved):  # the zoo's inputs (token ids, ...)
            value = numpy_helper.to_array(onnx.load_tensor(saved))
        else:
            shape = [d if isinstance(d, int) else 1 for d in inp.shape]
            value = (rng.standard_normal(shape) * 4 + 8).astype(np.float32)
        feeds[inp.name] = value
        with open(os.path.join(data, f"input_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(value, inp.name).SerializeToString())
    outputs = session.run(None, feeds)
    for i, out in enumerate(outputs):
        with open(os.path.join(data, f"output_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(out).SerializeToString())
    # The model zoo's tolerance (test/Models): random weights through deep
    # nets give outputs near zero, where rtol alone is too strict.
    check = subprocess.run([opts.kiln_run, lib, "--check", data,
                            "--rtol", "1e-3", "--atol", "1e-4",
                            "--bench", str(opts.runs)],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"{name}: kiln-run failed:\n{check.stdout}{check.stderr}")
    kiln_median = float(re.search(r"median ([0-9.]+)", check.stdout).group(1))
    session.run(None, feeds)  # warm-up
    times = []
    for _ in range(opts.runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e6)
    ort_median = statistics.median(times)
    print(f"| {name} | {kiln_median:.1f} | {ort_median:.1f} | "
          f"{kiln_median / ort_median:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("models", nargs="*",
                        help="more ONNX models to compare (e.g. the model "
                             "zoo's full size, test/Models/export_models.py)")
    opts = parser.parse_args()
    print(f"onnxruntime {onnxruntime.__version__}, 1 thread; median latency "
          f"of {opts.runs} runs in microseconds")
    print("| model | kiln | ONNX Runtime | kiln / ORT |\n|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as work:
        bench("digits", os.path.join(HERE, "..", "examples", "digits",
                                     "digits.onnx"), opts, work)
        block = os.path.join(work, "residual_block.onnx")
        onnx.save(residual_block(), block)
        bench("residual_block", block, opts, work)
        for path in opts.models:
            name = os.path.splitext(os.path.basename(path))[0]
            if name == "model":  # the zoo's layout: <name>/model.onnx
                name = os.path.basename(os.path.dirname(os.path.abspath(path)))
            bench(name, path, opts, work)


if __name__ == "__main__":
    main()
