#!/usr/bin/env python3
"""Latency of kiln-compiled models against ONNX Runtime, in one run.

For each model: `kilnc --emit=lib`, random inputs written as input_<i>.pb,
`kiln-run --check` against ONNX Runtime's outputs (so the numbers compared
are the same computation), then, at each thread count of --threads,
`kiln-run --bench N --threads T` (kiln's parallel loops on a pool of T
threads) and N timed `InferenceSession.run` calls of a session with T
intra-op threads. Prints median latencies, the ratio kiln / ONNX Runtime
at each count, and kiln's speedup from the first count to the others.

Models: the shipped digits classifier, and a residual CNN block generated
here (Conv 3x3 64->64 on 1x64x56x56, ReLU, Conv, Add, ReLU,
GlobalAveragePool, Gemm), with seeded random weights.

Needs numpy, onnx and onnxruntime (e.g. .venv/bin/pip install onnxruntime).
Usage: bench/compare_ort.py --kilnc build/bin/kilnc --kiln-run build/bin/kiln-run
       [--runs N] [--threads 1,2] [MODEL.onnx ...]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

import benchlib
import iree
import memory

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


def ort_session(model_path, threads):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        model_path, options, providers=["CPUExecutionProvider"])


def write_data(session, model_path, data):
    """Inputs (the zoo's own where it has them, else seeded random) and
    ONNX Runtime's outputs as input_<i>.pb and output_<i>.pb; the feeds."""
    rng = np.random.default_rng(1)
    feeds = {}
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
    return feeds


def kiln_median(opts, name, lib, data, threads):
    # The model zoo's tolerance (test/Models): random weights through deep
    # nets give outputs near zero, where rtol alone is too strict.
    check = subprocess.run([opts.kiln_run, lib, "--check", data,
                            "--rtol", "1e-3", "--atol", "1e-4",
                            "--bench", str(opts.runs), "--threads", str(threads)],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"{name}: kiln-run failed:\n{check.stdout}{check.stderr}")
    return float(re.search(r"median ([0-9.]+)", check.stdout).group(1))


def ort_median(session, feeds, runs):
    session.run(None, feeds)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def bench(name, model_path, opts, work):
    lib = os.path.join(work, name + ".so")
    start = time.perf_counter()
    subprocess.run([opts.kilnc, model_path, "-o", lib, "--emit=lib",
                    "--header=none"], check=True)
    compile_s = time.perf_counter() - start
    data = os.path.join(work, name + "_data")
    session = ort_session(model_path, 1)
    feeds = write_data(session, model_path, data)
    peer = None
    if opts.iree:
        peer = iree.compile_and_check(opts.iree, model_path, feeds,
                                      session.run(None, feeds), work, name)
    cells = []
    kiln_times = []
    for threads in opts.threads:
        kiln = kiln_median(opts, name, lib, data, threads)
        ort = ort_median(ort_session(model_path, threads), feeds, opts.runs)
        kiln_times.append(kiln)
        cells += [f"{kiln:.1f}", f"{ort:.1f}", f"{kiln / ort:.2f}"]
        if peer:
            peer_us = iree.median_us(opts.iree, peer, threads, opts.runs)
            cells += [f"{peer_us:.1f}", f"{kiln / peer_us:.2f}"]
        elif opts.iree:
            cells += ["-", "-"]
    speedups = [f"{kiln_times[0] / t:.2f}" for t in kiln_times[1:]]
    line = "| " + " | ".join([name] + cells + speedups) + " |"
    print(line, flush=True)
    usage = memory_line(opts, name, model_path, lib, data, compile_s, peer)
    print(usage, flush=True)
    return line, usage


def memory_line(opts, name, model_path, lib, data, compile_s, peer):
    """Compile seconds, workspace bytes and the peak resident set of a
    run over the runner's own (with the digits model), kiln against ONNX
    Runtime (and IREE)."""
    kiln_mb = memory.kiln_run_mb(opts.kiln_run, lib, data) - opts.kiln_base_mb
    ort_mb = memory.ort_run_mb(model_path, data) - opts.ort_base_mb
    ratio = f"{kiln_mb / ort_mb:.2f}" if ort_mb >= 1 else "-"
    cells = [name, f"{compile_s:.1f}",
             f"{memory.workspace_bytes(opts.kiln_run, lib, data) / 2**20:.1f}",
             f"{kiln_mb:.1f}", f"{ort_mb:.1f}", ratio]
    if opts.iree:
        cells.insert(2, f"{peer.compile_s:.1f}" if peer else "-")
    return "| " + " | ".join(cells) + " |"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--threads", default="1",
                        type=lambda text: [int(t) for t in text.split(",")],
                        help="thread counts, comma-separated (default 1)")
    parser.add_argument("models", nargs="*",
                        help="more ONNX models to compare (e.g. the model "
                             "zoo's full size, test/Models/export_models.py)")
    parser.add_argument("--iree", metavar="BINDIR",
                        help="also IREE, with iree-import-onnx, iree-compile "
                             "and iree-benchmark-module from BINDIR (e.g. "
                             ".venv/bin: pip install iree-base-compiler[onnx] "
                             "iree-base-runtime)")
    parser.add_argument("--report",
                        help="write the table as a section of this page "
                             "(docs/performance.md)")
    opts = parser.parse_args()
    opts.command = sys.argv[1:]
    lines = [f"onnxruntime {onnxruntime.__version__} against kiln on "
             f"{benchlib.cpu_name()}; median latency of {opts.runs} runs in "
             f"microseconds at each thread count (kiln: `kiln-run --threads "
             f"T`, a pool through the parallel_for hook; ONNX Runtime: T "
             f"intra-op threads, all graph optimisations).", ""]
    if opts.iree:
        lines[0] += (f" IREE {iree.version(opts.iree)}: llvm-cpu for the host "
                     "CPU, `iree-benchmark-module` on the local-task device "
                     "with T workers.")
    head = ["model"]
    for t in opts.threads:
        head += [f"kiln {t}T", f"ORT {t}T", f"kiln / ORT {t}T"]
        if opts.iree:
            head += [f"IREE {t}T", f"kiln / IREE {t}T"]
    head += [f"kiln {opts.threads[0]}T / {t}T" for t in opts.threads[1:]]
    lines += ["| " + " | ".join(head) + " |",
              "|---|" + "---:|" * (len(head) - 1)]
    print("\n".join(lines), flush=True)
    memory_lines = []
    with tempfile.TemporaryDirectory() as work:
        digits = os.path.join(HERE, "..", "examples", "digits", "digits.onnx")
        opts.kiln_base_mb, opts.ort_base_mb = memory.runner_base_mb(
            opts.kilnc, opts.kiln_run, digits, work)
        block = os.path.join(work, "residual_block.onnx")
        onnx.save(residual_block(), block)
        models = [("digits", digits), ("residual_block", block)]
        models += [(benchlib.model_name(path), path) for path in opts.models]
        for name, path in models:
            line, usage = bench(name, path, opts, work)
            lines.append(line)
            if name != "digits":  # the runners' own footprint
                memory_lines.append(usage)
    lines += ["", memory.EXPLAINED, ""] + memory.header(opts.iree) + \
        memory_lines
    if iree.FAILURES:
        lines += ["", "IREE failed on: " + "; ".join(iree.FAILURES) + "."]
    if opts.report:
        lines += ["", "Command: `bench/compare_ort.py " +
                  " ".join(opts.command) + "`"]
        benchlib.write_section(opts.report, "models",
                               "Whole models against ONNX Runtime", lines)


if __name__ == "__main__":
    main()
