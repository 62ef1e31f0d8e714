#!/usr/bin/env python3
"""Weight-only int4 (kilnc --quantize=int4-weights): weight bytes, latency
and output quality against kiln's f32, in one run.

For each f32 model (the zoo's exports, e.g. build/models-full/bert_base/
model.onnx) and each block size: the weight bytes of the compile report,
the latency on one thread (kiln-run --bench, the zoo's own inputs in
test_data_set_0), and the SQNR of each output against the f32 model's.
kiln compiles with --mcpu=host.

Prints (and with --markdown FILE writes) the table.
Usage: bench/int4_weights.py --kilnc build/bin/kilnc
       --kiln-run build/bin/kiln-run MODEL.onnx ... [--markdown FILE]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

import benchlib


def compile_lib(opts, model, lib, *flags):
    report = lib + ".json"
    subprocess.run([opts.kilnc, model, "--mcpu=host", "--emit=lib",
                    "--header=none", f"--report={report}", *flags, "-o", lib],
                   check=True, capture_output=True)
    with open(report) as f:
        return json.load(f)["weight_bytes"]


def run(opts, lib, data, out):
    done = subprocess.run([opts.kiln_run, lib, "--inputs", data, "--outputs",
                           out, "--bench", str(opts.runs)],
                          capture_output=True, text=True, check=True)
    outputs = [numpy_helper.to_array(onnx.load_tensor(p)).astype(np.float64)
               for p in sorted(glob.glob(os.path.join(out, "output_*.pb")))]
    return float(re.search(r"median ([0-9.]+)", done.stdout).group(1)), outputs


def sqnr(reference, y):
    noise = np.sum((reference - y) ** 2)
    return 10 * np.log10(np.sum(reference ** 2) / max(noise, 1e-30))


def measure(opts, model, work):
    name = benchlib.model_name(model)
    data = os.path.join(os.path.dirname(model), "test_data_set_0")
    f32_lib = os.path.join(work, name + ".so")
    f32_bytes = compile_lib(opts, model, f32_lib)
    f32_us, f32_out = run(opts, f32_lib, data, os.path.join(work, "f32"))
    rows = []
    for block in opts.blocks:
        lib = os.path.join(work, f"{name}.int4.{block}.so")
        nbytes = compile_lib(opts, model, lib, "--quantize=int4-weights",
                             f"--int4-block-size={block}")
        us, out = run(opts, lib, data, os.path.join(work, f"int4-{block}"))
        quality = ", ".join(f"{sqnr(r, y):.1f}" for r, y in zip(f32_out, out))
        rows.append(f"| {name} | {block} | {f32_bytes / 2**20:.1f} / "
                    f"{nbytes / 2**20:.1f} MiB | 1/{f32_bytes / nbytes:.2f} | "
                    f"{us / f32_us:.2f} | {quality} |")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--blocks", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--markdown")
    parser.add_argument("models", nargs="+")
    opts = parser.parse_args()
    lines = [
        f"CPU: {benchlib.cpu_name()}; one thread; median of {opts.runs} "
        "runs; weight bytes from the compile report; SQNR of each output "
        "against kiln's f32 model on the zoo's input.",
        "",
        "| model | block | weights f32 / int4 | int4 / f32 bytes | int4 / "
        "f32 latency | SQNR per output (dB) |",
        "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as work:
        for model in opts.models:
            lines += measure(opts, model, work)
    print("\n".join(lines))
    if opts.markdown:
        benchlib.write_section(opts.markdown, "int4-weights",
                               "Weight-only int4 (bench/int4_weights.py)",
                               lines)


if __name__ == "__main__":
    sys.exit(main())
