"""Peak resident memory of one model's runs, for kiln and ONNX Runtime.

Each runner is a fresh process that loads the model and runs it three
times; its peak resident set (ru_maxrss, from wait4) less that of the same
runner with the shipped digits model (the runner's own code, libraries
and heap) is what the model's weights, workspace and buffers take.
"""
import os
import re
import subprocess
import sys
import tempfile

import benchlib

EXPLAINED = (
    "Compile seconds (wall), kiln's workspace bytes, and the peak resident "
    "memory of a process that loads the model and runs it three times, "
    "less that of the same runner with the digits model (kiln: `kiln-run "
    "--threads 1`; ONNX Runtime: a Python process with a one-thread "
    "session), in MiB.")

_ORT_RUNNER = r"""
import os, sys
import numpy as np, onnx, onnxruntime
from onnx import numpy_helper
model, data = sys.argv[1], sys.argv[2]
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1
session = onnxruntime.InferenceSession(model, options,
                                       providers=["CPUExecutionProvider"])
feeds = {}
for i, inp in enumerate(session.get_inputs()):
    path = os.path.join(data, f"input_{i}.pb")
    if os.path.exists(path):
        feeds[inp.name] = numpy_helper.to_array(onnx.load_tensor(path))
    else:
        shape = [d if isinstance(d, int) else 1 for d in inp.shape]
        feeds[inp.name] = np.zeros(shape, np.float32)
for _ in range(3):
    session.run(None, feeds)
"""


def _peak_mb(command):
    """The peak resident set of `command`, in MiB, through benchlib's
    launcher (not this process's memory); it must succeed."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = os.path.join(tmp, "stats")
        run = subprocess.run(
            [sys.executable, "-S", "-c", benchlib.LAUNCHER, stats] + command,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        code, _, _, kib = benchlib.read_launched(stats)
    if run.returncode != 0 or code != "0":
        raise SystemExit(f"{command[0]} failed: {run.stderr[-2000:]}")
    return int(kib) / 1024


def kiln_run_mb(kiln_run, lib, data):
    return _peak_mb([kiln_run, lib, "--inputs", data, "--bench", "2"])


def ort_run_mb(model_path, data):
    return _peak_mb([sys.executable, "-c", _ORT_RUNNER, model_path, data])


def runner_base_mb(kilnc, kiln_run, digits, work):
    """Both runners' peak with the digits model (zeros for its input)."""
    lib = os.path.join(work, "memory_digits.so")
    subprocess.run([kilnc, digits, "-o", lib, "--emit=lib", "--header=none"],
                   check=True)
    data = os.path.join(work, "memory_digits_data")
    subprocess.run([kiln_run, lib, "--zeros", "--save-inputs", data],
                   stdout=subprocess.DEVNULL, check=True)
    return kiln_run_mb(kiln_run, lib, data), ort_run_mb(digits, data)


def workspace_bytes(kiln_run, lib, data):
    out = subprocess.run([kiln_run, lib, "--inputs", data, "--bench", "1"],
                         capture_output=True, text=True, check=True).stdout
    return int(re.search(r"workspace bytes (\d+)", out).group(1))


def header(with_iree):
    head = ["model", "kilnc s"]
    if with_iree:
        head.append("iree-compile s")
    head += ["kiln workspace MiB", "kiln peak MiB", "ORT peak MiB",
             "kiln / ORT peak"]
    return ["| " + " | ".join(head) + " |",
            "|---|" + "---:|" * (len(head) - 1)]
