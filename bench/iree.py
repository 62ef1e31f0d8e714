"""IREE as a peer in bench/compare_ort.py: the ONNX model imported with
iree-import-onnx, compiled by iree-compile for llvm-cpu on the host CPU,
checked against ONNX Runtime's outputs with iree-run-module, and timed with
iree-benchmark-module on the local-task device."""
import os
import re
import subprocess
import time
from dataclasses import dataclass, field

import numpy as np
import onnx


# "<model>: what failed", for the report.
FAILURES = []


def _fail(name, what, stderr=""):
    print(f"{name}: IREE: {what}: {stderr[-2000:]}", flush=True)
    errors = [l for l in stderr.splitlines() if "error:" in l]
    first = errors[0].split("error:", 1)[1].strip() if errors else ""
    FAILURES.append(f"{name} ({what}{': ' + first if first else ''})")


@dataclass
class Compiled:
    vmfb: str
    function: str
    inputs: list = field(default_factory=list)
    compile_s: float = 0.0


def _tool(bindir, name):
    return os.path.join(bindir, name)


def version(bindir):
    out = subprocess.run([_tool(bindir, "iree-compile"), "--version"],
                         capture_output=True, text=True).stdout
    match = re.search(r"IREE \(https://iree.dev\):\s*\n\s*IREE compiler "
                      r"version (\S+)", out) or re.search(r"version (\S+)", out)
    return match.group(1) if match else "(unknown version)"


def compile_and_check(bindir, model_path, feeds, expected, work, name):
    """Compiles the model; None (and a note) if IREE fails or its outputs
    differ from ONNX Runtime's (rtol 1e-3, atol 1e-4, as kiln's)."""
    mlir = os.path.join(work, name + ".iree.mlir")
    vmfb = os.path.join(work, name + ".vmfb")
    start = time.perf_counter()
    steps = [[_tool(bindir, "iree-import-onnx"), model_path, "-o", mlir],
             [_tool(bindir, "iree-compile"), mlir,
              "--iree-hal-target-device=local",
              "--iree-hal-local-target-device-backends=llvm-cpu",
              "--iree-llvmcpu-target-cpu=host", "-o", vmfb]]
    for step in steps:
        run = subprocess.run(step, capture_output=True, text=True)
        if run.returncode != 0:
            _fail(name, f"{os.path.basename(step[0])} failed", run.stderr)
            return None
    compiled = Compiled(vmfb, onnx.load(model_path,
                                        load_external_data=False).graph.name)
    compiled.compile_s = time.perf_counter() - start
    for i, value in enumerate(feeds.values()):
        path = os.path.join(work, f"{name}.iree_input_{i}.npy")
        np.save(path, value)
        compiled.inputs.append(path)
    outputs = [os.path.join(work, f"{name}.iree_output_{i}.npy")
               for i in range(len(expected))]
    run = subprocess.run(
        [_tool(bindir, "iree-run-module"), "--device=local-task",
         f"--module={vmfb}", f"--function={compiled.function}"] +
        [f"--input=@{p}" for p in compiled.inputs] +
        [f"--output=@{p}" for p in outputs], capture_output=True, text=True)
    if run.returncode != 0:
        _fail(name, "iree-run-module failed", run.stderr)
        return None
    for path, want in zip(outputs, expected):
        got = np.load(path)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-3,
                                                      atol=1e-4):
            _fail(name, "its output differs from ONNX Runtime's")
            return None
    return compiled


def median_us(bindir, compiled, threads, runs):
    """The median latency of `runs` runs on `threads` workers, in us."""
    out = subprocess.run(
        [_tool(bindir, "iree-benchmark-module"), "--device=local-task",
         f"--task_topology_max_group_count={threads}",
         f"--module={compiled.vmfb}", f"--function={compiled.function}",
         f"--benchmark_repetitions={runs}", "--benchmark_min_time=1x"] +
        [f"--input=@{p}" for p in compiled.inputs],
        capture_output=True, text=True, check=True).stdout
    match = re.search(r"real_time_median\s+([0-9.]+) (ns|us|ms|s)\b", out)
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[match.group(2)]
    return float(match.group(1)) * scale
