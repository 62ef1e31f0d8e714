#!/usr/bin/env python3
"""Dynamic shapes end to end: one library per model, run at several shapes.

Builds the encoder block and the CNN of models.py, compiles each once with
kilnc (the encoder with --dim batch=1..8 --dim seq=1..128), and checks
with `kiln-run --check` against ONNX's reference evaluator at:
  encoder (batch, seq): (1,1), (1,7), (3,128), (8,33)
  cnn batch: 1, 2, 5
Whole-model outputs use atol 1e-5 (rtol 1e-3): the static build of the
encoder differs from the reference by up to 1.9e-6 in absolute terms too,
float32 sums in another order. Then checks that `run` rejects inputs
whose dims disagree on a symbol or leave its bounds, naming input and dim.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import models  # noqa: E402

ENCODER_SHAPES = [(1, 1), (1, 7), (3, 128), (8, 33)]
CNN_BATCHES = [1, 2, 5]
failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def write_inputs(directory, arrays):
    os.makedirs(directory, exist_ok=True)
    for i, (name, array) in enumerate(arrays):
        with open(os.path.join(directory, f"input_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(array, name).SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--work", required=True)
    opts = parser.parse_args()
    os.makedirs(opts.work, exist_ok=True)

    for name, shapes, flags in [
            ("encoder", ENCODER_SHAPES,
             ["--dim", "batch=1..8", "--dim", "seq=1..128"]),
            ("cnn", [(b,) for b in CNN_BATCHES], [])]:
        onnx_path = os.path.join(opts.work, name + ".onnx")
        data = {s: os.path.join(opts.work, name + "_" +
                                "x".join(map(str, s))) for s in shapes}
        model = (models.encoder if name == "encoder" else models.cnn)(
            np.random.default_rng(2026))
        onnx.save(model, onnx_path)
        for shape, directory in data.items():
            models.write_data(model, name, shape, directory,
                              np.random.default_rng(7))
        lib = os.path.join(opts.work, name + ".so")
        rc, out = run([opts.kilnc, onnx_path, "-o", lib] + flags)
        check(rc == 0, f"{name}: kilnc {' '.join(flags)} (exit {rc}) {out}")
        if rc != 0:
            continue
        for shape, directory in data.items():
            rc, out = run([opts.kiln_run, lib, "--check", directory,
                           "--rtol=1e-3", "--atol=1e-5"])
            check(rc == 0, f"{name} at {shape}: {out.strip()}")

    # Run-time rejection, from the same encoder library.
    lib = os.path.join(opts.work, "encoder.so")
    rng = np.random.default_rng(1)
    cases = [
        ("batch disagrees", (2, 7), (3, 7),
         "input 1 'mask': dim 0 ('batch') is 3, but input 0 'x' dim 0 "
         "('batch') is 2"),
        ("seq disagrees", (2, 7), (2, 6),
         "input 1 'mask': dim 1 ('seq') is 6, but input 0 'x' dim 1 "
         "('seq') is 7"),
        ("seq above bound", (1, 129), (1, 129),
         "input 0 'x': dim 1 ('seq') is 129, outside its bounds 1..128"),
        ("batch below bound", (0, 4), (0, 4),
         "input 0 'x': dim 0 ('batch') is 0, outside its bounds 1..8"),
    ]
    for what, xs, ms, message in cases:
        directory = os.path.join(opts.work, "reject_" + what.replace(" ", "_"))
        write_inputs(directory, [
            ("x", rng.standard_normal(xs + (models.D,)).astype(np.float32)),
            ("mask", np.ones(ms, np.float32))])
        rc, out = run([opts.kiln_run, lib, "--inputs", directory])
        check(rc == 2 and message in out,
              f"encoder rejects {what}: exit {rc}: {out.strip()}")

    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
