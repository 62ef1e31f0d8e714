#!/usr/bin/env python3
"""A portable object's code variants against a build for the host's CPU.

kilnc's default x86-64 object carries x86-64-v2, -v3 and -v4 code and runs
the best the CPU has (docs/abi.md). For each model this compiles the
portable library and a `--mcpu=host` one, checks that every variant the
CPU runs (forced with KILN_CPU_VARIANT) gives the host build's outputs
within the zoo's tolerance, and times each on the same random inputs with
`kiln-run --bench` at one thread. The timings are interleaved over
--rounds rounds, in a shuffled order each, and the median of the rounds'
medians is reported, as a
ratio to the host build: the v4 variant should be no slower on an AVX-512
machine. Also each library's size and compile time.

Models: the shipped digits classifier, compare_ort.py's residual CNN
block, and any ONNX models given (e.g. the zoo's, from
test/Models/export_models.py).

Usage: bench/variants.py --kilnc build/bin/kilnc --kiln-run build/bin/kiln-run
       [--runs N] [--rounds R] [--report docs/performance.md] [MODEL.onnx ...]
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

import onnx

import benchlib
from compare_ort import residual_block

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = ["x86-64-v2", "x86-64-v3", "x86-64-v4"]
TOLERANCE = ["--rtol", "1e-3", "--atol", "1e-4"]


def kiln_run(opts, lib, args, variant=None):
    env = dict(os.environ)
    env.pop("KILN_CPU_VARIANT", None)
    if variant:
        env["KILN_CPU_VARIANT"] = variant
    return subprocess.run([opts.kiln_run, lib] + args, env=env,
                          capture_output=True, text=True)


def compile_lib(opts, model_path, lib, flags):
    start = time.perf_counter()
    subprocess.run([opts.kilnc, model_path, "-o", lib, "--header=none"] +
                   flags, check=True)
    return time.perf_counter() - start


def runnable_variants(opts, lib, expected):
    """The variants this CPU runs, each checked against `expected`."""
    runs = []
    for variant in VARIANTS:
        ran = kiln_run(opts, lib, ["--inputs", expected, "--check", expected]
                       + TOLERANCE, variant)
        if ran.returncode == 2 and "the CPU lacks" in ran.stderr + ran.stdout:
            continue
        if ran.returncode != 0:
            sys.exit(f"{lib} ({variant}): kiln-run failed:\n"
                     f"{ran.stdout}{ran.stderr}")
        runs.append(variant)
    return runs


def median_us(opts, lib, data, variant):
    ran = kiln_run(opts, lib, ["--inputs", data, "--bench", str(opts.runs)],
                   variant)
    if ran.returncode != 0:
        sys.exit(f"{lib}: kiln-run failed:\n{ran.stdout}{ran.stderr}")
    return float(re.search(r"median ([0-9.]+)", ran.stdout).group(1))


def bench(name, model_path, opts, work):
    portable, host = (os.path.join(work, f"{name}-{kind}.so")
                      for kind in ("portable", "host"))
    portable_s = compile_lib(opts, model_path, portable, [])
    host_s = compile_lib(opts, model_path, host, ["--mcpu=host"])
    data = os.path.join(work, f"{name}-data")
    made = kiln_run(opts, host, ["--random", "--save-inputs", data,
                                 "--outputs", data])
    if made.returncode != 0:
        sys.exit(f"{name}: kiln-run failed:\n{made.stdout}{made.stderr}")
    variants = runnable_variants(opts, portable, data)
    configs = [(portable, v) for v in variants] + [(host, None)]
    rounds = {config: [] for config in configs}
    order = random.Random(0)
    for _ in range(opts.rounds):
        # A fresh order each round, so no build always follows another.
        for config in order.sample(configs, len(configs)):
            lib, variant = config
            rounds[config].append(median_us(opts, lib, data, variant))
    medians = {config: statistics.median(times)
               for config, times in rounds.items()}
    host_us = medians[(host, None)]
    cells = [name, f"{host_us:.1f}"]
    for variant in VARIANTS:
        us = medians.get((portable, variant))
        cells += [f"{us:.1f}", f"{us / host_us:.2f}"] if us else ["-", "-"]
    cells += [f"{os.path.getsize(host) / 1e6:.2f}",
              f"{os.path.getsize(portable) / 1e6:.2f}",
              f"{host_s:.1f}", f"{portable_s:.1f}"]
    line = "| " + " | ".join(cells) + " |"
    print(line, flush=True)
    return line


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--runs", type=int, default=50,
                        help="runs per kiln-run --bench (%(default)s)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds (%(default)s)")
    parser.add_argument("--report",
                        help="write the table as a section of this page "
                             "(docs/performance.md)")
    parser.add_argument("models", nargs="*")
    opts = parser.parse_args()
    command = sys.argv[1:]
    host_cpu = subprocess.run(["llc-22", "--version"], capture_output=True,
                              text=True).stdout
    host_cpu = re.search(r"Host CPU: (\S+)", host_cpu)
    lines = [
        f"Each variant of the portable library (kilnc's default), forced with "
        f"KILN_CPU_VARIANT, against a `--mcpu=host` build "
        f"({host_cpu.group(1) if host_cpu else 'host'}) on "
        f"{benchlib.cpu_name()}: median latency in microseconds at one "
        f"thread (the median over {opts.rounds} rounds of "
        f"{opts.runs} runs, the builds in a shuffled order each round), the "
        f"ratio to the host build (below 1 is "
        f"faster), each library's size in MB and its compile seconds. A "
        f"variant the CPU lacks is '-'.", "",
        "| model | host us | v2 us | v2 / host | v3 us | v3 / host | v4 us "
        "| v4 / host | host MB | portable MB | host compile s "
        "| portable compile s |",
        "|---|" + "---:|" * 11]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory() as work:
        block = os.path.join(work, "residual_block.onnx")
        onnx.save(residual_block(), block)
        models = [("digits", os.path.join(HERE, "..", "examples", "digits",
                                          "digits.onnx")),
                  ("residual_block", block)]
        models += [(benchlib.model_name(path), path) for path in opts.models]
        for name, path in models:
            lines.append(bench(name, path, opts, work))
    if opts.report:
        lines += ["", f"Command: `bench/variants.py {' '.join(command)}`"]
        benchlib.write_section(opts.report, "variants",
                               "Portable objects: code variants against the "
                               "host's CPU", lines)


if __name__ == "__main__":
    main()
