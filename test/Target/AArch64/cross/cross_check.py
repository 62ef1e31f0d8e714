#!/usr/bin/env python3
"""AArch64 against x86-64: each model compiled for both, run on the same
inputs, outputs compared.

The x86-64 library runs in kiln-run; the AArch64 one (`kilnc
--mtriple=aarch64-linux-gnu`, linked by the cross gcc kilnc finds itself)
runs under qemu-aarch64 in run_raw.c, built here with the cross gcc.
Inputs come from the model's test_data_set_0 when it has one, else
`kiln-run --random`. Floating outputs must agree within --atol/--rtol
(the two targets contract and vectorise differently); others bit for bit.

Usage: cross_check.py --kilnc K --kiln-run R --work DIR
           [--node-tests DIR --node-filter REGEX] [--model PATH]...
Prints a line per model and "N of N models match x86-64"; exit 1 if any
does not.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from onnx import TensorProto, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
SYSROOT = "/usr/aarch64-linux-gnu"


def sh(cmd, timeout=600):
    """Runs cmd; (exit code, stdout + stderr)."""
    proc = subprocess.run(cmd, capture_output=True, text=True,
                          timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


def read_pb(path):
    tensor = TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return tensor.data_type, numpy_helper.to_array(tensor)


def pb_files(folder, kind):
    names = [n for n in os.listdir(folder)
             if re.fullmatch(kind + r"_(\d+)\.pb", n)]
    names.sort(key=lambda n: int(re.findall(r"\d+", n)[0]))
    return [os.path.join(folder, n) for n in names]


def write_spec(inputs, work):
    """The run_raw spec for the input .pb files; its path."""
    lines = []
    for i, path in enumerate(inputs):
        dtype, array = read_pb(path)
        raw = os.path.join(work, f"input_{i}.bin")
        np.ascontiguousarray(array).tofile(raw)
        dims = " ".join(str(d) for d in array.shape)
        lines.append(f"{dtype} {array.ndim} {dims} {raw}".replace("  ", " "))
    spec = os.path.join(work, "inputs.txt")
    with open(spec, "w") as f:
        f.write("\n".join(lines) + "\n")
    return spec


def compare(x86_outputs, raw_lines, work, opts):
    """None if the AArch64 outputs equal x86-64's, else what differs."""
    if len(raw_lines) != len(x86_outputs):
        return f"{len(raw_lines)} outputs, x86-64 has {len(x86_outputs)}"
    for i, (path, line) in enumerate(zip(x86_outputs, raw_lines)):
        _, want = read_pb(path)
        fields = [int(v) for v in line.split()[1:]]
        shape = tuple(fields[3:3 + fields[2]])
        if shape != want.shape:
            return f"output {i}: shape {shape}, x86-64 {want.shape}"
        got = np.fromfile(os.path.join(work, f"output_{i}.bin"),
                          dtype=want.dtype).reshape(shape)
        if want.dtype.kind == "f":
            ok = np.allclose(got, want, atol=opts.atol, rtol=opts.rtol,
                             equal_nan=True)
        else:
            ok = np.array_equal(got, want)
        if not ok:
            diff = np.nanmax(np.abs(got.astype(np.float64) - want)) \
                if got.size else 0
            return f"output {i}: differs (max abs difference {diff:.3g})"
    return None


def inputs_of(name, model, work, opts):
    """x86-64 outputs (.pb) for the model's inputs; (inputs, outputs) or
    an error string."""
    lib = os.path.join(work, "x86.so")
    rc, out = sh([opts.kilnc, model, "-o", lib])
    if rc:
        return f"x86-64 compile failed: {out.strip()[-300:]}"
    data = os.path.join(os.path.dirname(model), "test_data_set_0")
    x86_out = os.path.join(work, "x86-out")
    os.makedirs(x86_out)
    if os.path.isdir(data):
        cmd = [opts.kiln_run, lib, "--inputs", data, "--outputs", x86_out]
    else:
        data = os.path.join(work, "inputs")
        cmd = [opts.kiln_run, lib, "--random", "--seed", "7",
               "--save-inputs", data, "--outputs", x86_out]
    rc, out = sh(cmd)
    if rc:
        return f"x86-64 run failed: {out.strip()[-300:]}"
    return pb_files(data, "input"), pb_files(x86_out, "output")


def check(name, model, opts):
    """(name, None) when the model's AArch64 outputs match, else an error."""
    work = os.path.join(opts.work, name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    io = inputs_of(name, model, work, opts)
    if isinstance(io, str):
        return name, io
    inputs, x86_outputs = io
    lib = os.path.join(work, "aarch64.so")
    rc, out = sh([opts.kilnc, model, "--mtriple=aarch64-linux-gnu", "-o", lib])
    if rc:
        return name, f"AArch64 compile failed: {out.strip()[-300:]}"
    spec = write_spec(inputs, work)
    rc, out = sh(["qemu-aarch64", "-L", SYSROOT, opts.runner, lib, spec, work])
    if rc or not out.rstrip().endswith("ran"):
        return name, f"AArch64 run failed: {out.strip()[-300:]}"
    lines = [l for l in out.splitlines() if l.startswith("output ")]
    return name, compare(x86_outputs, lines, work, opts)


def build_runner(work):
    runner = os.path.join(work, "run_raw")
    rc, out = sh(["aarch64-linux-gnu-gcc", "-std=c99", "-O2", "-Wall",
                  "-Werror", "-I", os.path.join(ROOT, "include"),
                  os.path.join(HERE, "run_raw.c"), "-ldl", "-o", runner])
    if rc:
        sys.exit(f"cross_check: building run_raw failed:\n{out}")
    return runner


def collect(opts):
    """[(name, model path)]."""
    models = []
    if opts.node_tests:
        pattern = re.compile(opts.node_filter)
        for test in sorted(os.listdir(opts.node_tests)):
            if pattern.search(test):
                models.append((test, os.path.join(opts.node_tests, test,
                                                  "model.onnx")))
    for path in opts.model:
        if os.path.isdir(path):
            path = os.path.join(path, "model.onnx")
        stem = os.path.basename(path).split(".")[0]
        if stem == "model":
            stem = os.path.basename(os.path.dirname(os.path.abspath(path)))
        models.append((stem, path))
    return models


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--node-tests")
    parser.add_argument("--node-filter", default="^$")
    parser.add_argument("--model", action="append", default=[])
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--jobs", type=int, default=2)
    return parser.parse_args()


def main():
    opts = parse_args()
    os.makedirs(opts.work, exist_ok=True)
    opts.runner = build_runner(opts.work)
    models = collect(opts)
    with ThreadPoolExecutor(opts.jobs) as pool:
        results = list(pool.map(lambda m: check(m[0], m[1], opts), models))
    bad = 0
    for name, error in results:
        print(f"{name}: {'ok' if error is None else 'FAIL: ' + error}")
        bad += error is not None
    print(f"{len(results) - bad} of {len(results)} models match x86-64")
    return 1 if bad or not results else 0


if __name__ == "__main__":
    sys.exit(main())
