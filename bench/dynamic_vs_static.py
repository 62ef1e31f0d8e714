#!/usr/bin/env python3
"""Latency of a dynamic-shape build against the static build, same shape.

For the encoder block and the CNN of test/Dynamic/models.py: one library
compiled with symbolic dims (the encoder with --dim batch=1..8
--dim seq=1..128) and, per shape, one compiled with --input-shape pinning
that shape. Both are checked against ONNX's reference evaluator, then timed
with `kiln-run --bench N`, alternating dynamic and static for --rounds
rounds; the best median of each is reported with the ratio dynamic/static.

Usage: bench/dynamic_vs_static.py --kilnc build/bin/kilnc \\
           --kiln-run build/bin/kiln-run [--runs 50] [--rounds 3]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "Dynamic"))
import models  # noqa: E402

CASES = [
    ("encoder", (1, 7)), ("encoder", (3, 128)), ("encoder", (8, 33)),
    ("cnn", (1,)), ("cnn", (5,)),
]
DYNAMIC_FLAGS = {"encoder": ["--dim", "batch=1..8", "--dim", "seq=1..128"],
                 "cnn": []}


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def median_us(opts, lib, data):
    out = run([opts.kiln_run, lib, "--inputs", data, "--bench",
               str(opts.runs)])
    return float(re.search(r"median ([0-9.]+)", out).group(1))


def pinned_flags(model, shape):
    flags = []
    for inp in model.graph.input:
        dims = []
        for d in inp.type.tensor_type.shape.dim:
            if d.dim_param == "batch":
                dims.append(shape[0])
            elif d.dim_param == "seq":
                dims.append(shape[1])
            else:
                dims.append(d.dim_value)
        flags += ["--input-shape", inp.name + "=" + "x".join(map(str, dims))]
    return flags


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    work = tempfile.mkdtemp(prefix="kiln-dynbench-")
    print(f"{'model':8} {'shape':>9} {'dynamic us':>11} {'static us':>10} "
          f"{'ratio':>6}")
    libs = {}
    for name, shape in CASES:
        model = (models.encoder if name == "encoder" else models.cnn)(
            np.random.default_rng(2026))
        path = os.path.join(work, name + ".onnx")
        onnx.save(model, path)
        if name not in libs:
            libs[name] = os.path.join(work, name + ".so")
            run([opts.kilnc, path, "-o", libs[name]] + DYNAMIC_FLAGS[name])
        tag = "x".join(map(str, shape))
        static = os.path.join(work, f"{name}_{tag}.so")
        run([opts.kilnc, path, "-o", static] + pinned_flags(model, shape))
        data = os.path.join(work, f"{name}_{tag}")
        models.write_data(model, name, shape, data, np.random.default_rng(7))
        for lib in (libs[name], static):
            run([opts.kiln_run, lib, "--check", data, "--rtol=1e-3",
                 "--atol=1e-5"])
        dynamic_us, static_us = [], []
        for _ in range(opts.rounds):
            dynamic_us.append(median_us(opts, libs[name], data))
            static_us.append(median_us(opts, static, data))
        d, s = min(dynamic_us), min(static_us)
        print(f"{name:8} {tag:>9} {d:11.1f} {s:10.1f} {d / s:6.2f}")


if __name__ == "__main__":
    main()
