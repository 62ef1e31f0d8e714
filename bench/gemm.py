#!/usr/bin/env python3
"""f32 GEMM: kiln against OpenBLAS and the machine's FMA peak, in one run.

For each shape M x K x N: a one-node ONNX model Y = MatMul(A, B) with B a
seeded random initializer (a layer's weights), compiled by kilnc for the
host; `kiln-run --check` against numpy's product, then `kiln-run --bench`.
The reference is numpy's OpenBLAS sgemm on one thread, with the fastest of
its kernel sets for this CPU: each shape is timed in a child process per
OPENBLAS_CORETYPE (its own choice, Haswell, Zen, and SkylakeX where the CPU
has AVX-512), since its dispatch may pick a slower set on CPUs it does not
know, and the best is the reference. The FMA peak comes from bench/fma_peak.c,
built here with -march=native and run in the same process tree.

Prints (and with --markdown FILE writes) GFLOP/s, fraction of peak and the
ratio kiln / OpenBLAS (higher is better for kiln).

Usage: bench/gemm.py --kilnc build/bin/kilnc --kiln-run build/bin/kiln-run
       [--shapes 256x256x256,...] [--markdown docs/performance.md]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import benchlib

SHAPES = ["256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
          "128x768x768", "128x768x3072", "128x3072x768"]


def matmul_model(m, k, n):
    rng = np.random.default_rng(0)
    b = rng.standard_normal((k, n)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["a", "b"], ["y"])], "gemm",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model, b


def runs_for(flops):
    """Enough runs for about a second at 100 GFLOP/s, 5 to 200."""
    return int(max(5, min(200, 100e9 / flops)))


def openblas_core():
    """The kernel set numpy's OpenBLAS runs, as it reports it."""
    try:
        import ctypes
        import glob
        libs = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs",
                                      "libscipy_openblas*"))
        corename = ctypes.CDLL(libs[0]).scipy_openblas_get_corename64_
        corename.restype = ctypes.c_char_p
        return corename().decode()
    except (IndexError, OSError, AttributeError):
        return "unknown"


def core_types():
    """OPENBLAS_CORETYPE values to try ("" is OpenBLAS's own choice)."""
    try:
        with open("/proc/cpuinfo") as f:
            avx512 = " avx512f" in f.read()
    except OSError:
        avx512 = False
    return ["", "Haswell", "Zen"] + (["SkylakeX"] if avx512 else [])


def openblas_worker(shape, runs):
    """In a child process: median seconds of numpy's sgemm for `shape`."""
    m, k, n = (int(x) for x in shape.split("x"))
    a = np.random.default_rng(1).standard_normal((m, k)).astype(np.float32)
    b = np.random.default_rng(0).standard_normal((k, n)).astype(np.float32)
    c = np.empty((m, n), np.float32)
    np.matmul(a, b, out=c)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - start)
    print(statistics.median(times), openblas_core())


def openblas_seconds(shape, runs):
    """The fastest kernel set's median seconds, and its name."""
    best = None
    for core in core_types():
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        env.pop("OPENBLAS_CORETYPE", None)
        if core:
            env["OPENBLAS_CORETYPE"] = core
        out = subprocess.run(
            [sys.executable, __file__, "--openblas-worker", shape,
             str(runs)], env=env, check=True, capture_output=True,
            text=True).stdout.split()
        seconds, name = float(out[0]), out[1]
        if best is None or seconds < best[0]:
            best = (seconds, name)
    return best


def kiln_seconds(opts, work, shape, m, k, n, runs):
    model, b = matmul_model(m, k, n)
    path = os.path.join(work, f"gemm_{shape}.onnx")
    onnx.save(model, path)
    lib = os.path.join(work, f"gemm_{shape}.so")
    subprocess.run([opts.kilnc, path, "-o", lib, "--header=none"], check=True)
    data = os.path.join(work, f"data_{shape}")
    os.makedirs(data, exist_ok=True)
    a = np.random.default_rng(1).standard_normal((m, k)).astype(np.float32)
    with open(os.path.join(data, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(a, "a").SerializeToString())
    expected = (a.astype(np.float64) @ b.astype(np.float64)).astype(np.float32)
    with open(os.path.join(data, "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(expected).SerializeToString())
    # Sums of K products of unit normals: rounding grows with K.
    return benchlib.kiln_seconds(opts.kiln_run, lib, data, runs, 1e-5 * k)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc")
    parser.add_argument("--kiln-run")
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help="MxKxN,... (default: the issue's shapes)")
    parser.add_argument("--markdown", help="also write the table here")
    parser.add_argument("--openblas-worker", nargs=2, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.openblas_worker:
        return openblas_worker(opts.openblas_worker[0],
                               int(opts.openblas_worker[1]))
    if not opts.kilnc or not opts.kiln_run:
        parser.error("--kilnc and --kiln-run are required")
    lines = []
    with tempfile.TemporaryDirectory() as work:
        peak, peak_text = benchlib.fma_peak(work)
        cpu = benchlib.cpu_name()
        lines += [f"CPU: {cpu}; one thread. FMA peak (bench/fma_peak.c): "
                  f"{peak_text}.", "",
                  "| M x K x N | kiln GFLOP/s | OpenBLAS GFLOP/s "
                  "(fastest kernels) | kiln / peak | kiln / OpenBLAS |",
                  "|---|---:|---:|---:|---:|"]
        for line in lines:
            print(line)
        for shape in opts.shapes.split(","):
            m, k, n = (int(x) for x in shape.split("x"))
            flops = 2.0 * m * k * n
            runs = runs_for(flops)
            kiln_s = kiln_seconds(opts, work, shape, m, k, n, runs)
            blas_s, core = openblas_seconds(shape, runs)
            kiln_g, blas_g = flops / kiln_s * 1e-9, flops / blas_s * 1e-9
            line = (f"| {shape} | {kiln_g:.1f} | {blas_g:.1f} ({core}) | "
                    f"{kiln_g / peak:.2f} | {kiln_g / blas_g:.2f} |")
            print(line, flush=True)
            lines.append(line)
    if opts.markdown:
        benchlib.write_section(
            opts.markdown, "gemm", "f32 GEMM",
            ["`.venv/bin/python bench/gemm.py --kilnc build/bin/kilnc "
             "--kiln-run build/bin/kiln-run --markdown docs/performance.md`: "
             "median of timed runs; MatMul with B as an initializer.", ""]
            + lines)


if __name__ == "__main__":
    main()
