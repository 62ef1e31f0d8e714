#!/usr/bin/env python3
"""Quantized whole models: kiln's int8 against its f32 and against ONNX
Runtime's int8, in one run, latency and output quality.

For each f32 model (the zoo's exports, e.g. build/models-full/resnet50/
model.onnx): ONNX Runtime's quantize_static writes a QDQ model (u8
activations, s8 weights, per channel; MinMax on --calibration seeded
inputs, the zoo's own input shapes and token ids where it has them). Then,
one thread each, side by side:
  - latency: kiln f32, kiln int8 (the QDQ model), kiln's own int8 (kilnc
    --quantize=int8 calibrated on the same inputs, --calibration-method,
    first and last layers f32), kiln's auto (--quantize=auto within
    --budget dB, sensitivities measured and predicted), ONNX Runtime f32,
    ONNX Runtime int8 (the QDQ model, all graph optimizations: its QDQ
    fusions);
  - quality on --eval other seeded inputs: SQNR of each int8 output against
    its f32 model's, and top-1 agreement of the last dim (classes, tokens).
kiln compiles with --mcpu=host (VNNI where the CPU has it).

Prints (and with --markdown FILE writes) the table.
Usage: bench/quantized_models.py --kilnc build/bin/kilnc
       --kiln-run build/bin/kiln-run MODEL.onnx ... [--markdown FILE]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime
from onnx import numpy_helper
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                      QuantType, quantize_static)

import benchlib
from compare_ort import ort_median, ort_session


LABELS = {"measure": "measured", "predict": "predicted"}


def make_inputs(session, model_path, rng, count):
    """`count` input sets: the zoo's token ids where it has them (with a
    few ids changed per set), else seeded normal floats."""
    given = os.path.join(os.path.dirname(model_path), "test_data_set_0")
    sets = []
    for _ in range(count):
        feeds = {}
        for i, inp in enumerate(session.get_inputs()):
            saved = os.path.join(given, f"input_{i}.pb")
            shape = [d if isinstance(d, int) else 1 for d in inp.shape]
            if os.path.exists(saved):
                value = numpy_helper.to_array(onnx.load_tensor(saved)).copy()
                if value.dtype.kind in "iu" and value.size > 1:
                    flat = value.reshape(-1)
                    top = int(flat.max()) + 1
                    for j in rng.integers(0, flat.size, 4):
                        flat[j] = rng.integers(0, top)
            else:
                value = rng.standard_normal(shape).astype(np.float32)
            feeds[inp.name] = value
        sets.append(feeds)
    return sets


class Reader(CalibrationDataReader):
    def __init__(self, sets):
        self.sets = iter(sets)

    def get_next(self):
        return next(self.sets, None)


def sqnr(reference, y):
    noise = np.sum((reference.astype(np.float64) - y) ** 2)
    return 10 * np.log10(np.sum(reference.astype(np.float64) ** 2) /
                         max(noise, 1e-30))


def write_set(folder, session, feeds):
    os.makedirs(folder, exist_ok=True)
    for i, inp in enumerate(session.get_inputs()):
        with open(os.path.join(folder, f"input_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(feeds[inp.name], inp.name)
                    .SerializeToString())


def kiln_outputs(opts, lib, folder):
    out = folder + "-out"
    subprocess.run([opts.kiln_run, lib, "--inputs", folder, "--outputs", out],
                   check=True, capture_output=True)
    with open(os.path.join(out, "output_0.pb"), "rb") as f:
        return numpy_helper.to_array(onnx.TensorProto.FromString(f.read()))


def kiln_latency(opts, lib, folder):
    run = subprocess.run([opts.kiln_run, lib, "--inputs", folder,
                          "--bench", str(opts.runs)],
                         capture_output=True, text=True, check=True)
    return float(re.search(r"median ([0-9.]+)", run.stdout).group(1))


def compile_lib(opts, path, lib, *flags):
    run = subprocess.run([opts.kilnc, path, "--mcpu=host", "--explain",
                          "--emit=lib", "--header=none", *flags, "-o", lib],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{path}: kilnc failed:\n{run.stderr[-4000:]}")
    # The integer-kernel decisions (onnx-integer-qdq's), one per layer.
    precisions = re.findall(r"precision of \w+: (\w+) \((?:an integer|an "
                            r"operand|a scale|a grouped|its integer|not an|an "
                            r"input)", run.stderr)
    return sum(p == "int8" for p in precisions), len(precisions)


def compile_calibrated(opts, model_path, session, calibration, lib, work,
                       *flags):
    """kilnc's own int8: calibrated on the same input sets."""
    folder = os.path.join(work, benchlib.model_name(model_path) + "-calib")
    for i, feeds in enumerate(calibration):
        write_set(os.path.join(folder, f"set_{i:03d}"), session, feeds)
    return compile_lib(opts, model_path, lib, "--calibration-data", folder,
                       "--calibration-method", opts.calibration_method,
                       *(flags or ["--quantize=int8"]))


def measure(opts, model_path, work):
    name = benchlib.model_name(model_path)
    rng = np.random.default_rng(0)
    session = ort_session(model_path, 1)
    calibration = make_inputs(session, model_path, rng, opts.calibration)
    evaluation = make_inputs(session, model_path, rng, opts.eval)
    qdq_path = os.path.join(work, name + ".qdq.onnx")
    quantize_static(model_path, qdq_path, Reader(calibration),
                    quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8)
    f32_lib = os.path.join(work, name + ".so")
    int8_lib = os.path.join(work, name + ".int8.so")
    compile_lib(opts, model_path, f32_lib)
    int8_layers, layers = compile_lib(opts, qdq_path, int8_lib)
    own_lib = os.path.join(work, name + ".own.so")
    own_layers, _ = compile_calibrated(opts, model_path, session, calibration,
                                       own_lib, work)
    row = {"name": name, "layers": f"{int8_layers}/{layers}",
           "own_layers": f"{own_layers}/{layers}"}
    libs = {"kiln": int8_lib, "own": own_lib}
    for search in ("measure", "predict"):
        libs[search] = os.path.join(work, f"{name}.{search}.so")
        start = time.monotonic()
        auto_layers, _ = compile_calibrated(
            opts, model_path, session, calibration, libs[search], work,
            "--quantize=auto", f"--accuracy-budget={opts.budget}",
            f"--precision-search={search}")
        row[f"compile_{search}"] = time.monotonic() - start
        row[f"layers_{search}"] = f"{auto_layers}/{layers}"
    qsession = ort_session(qdq_path, 1)
    sq = {who: [] for who in (*libs, "ort")}
    agree = {who: 0 for who in sq}
    for i, feeds in enumerate(evaluation):
        folder = os.path.join(work, f"{name}-eval-{i}")
        write_set(folder, session, feeds)
        reference = session.run(None, feeds)[0]
        outputs = {who: kiln_outputs(opts, lib, folder)
                   for who, lib in libs.items()}
        outputs["ort"] = qsession.run(None, feeds)[0]
        for who, y in outputs.items():
            sq[who].append(sqnr(reference, y))
            agree[who] += np.mean(np.argmax(y, -1) == np.argmax(reference, -1))
    for who in sq:
        row[f"sqnr_{who}"] = float(np.mean(sq[who]))
        row[f"top1_{who}"] = agree[who] / len(evaluation)
    folder = os.path.join(work, f"{name}-eval-0")
    row["kiln_f32"] = kiln_latency(opts, f32_lib, folder)
    row["kiln_int8"] = kiln_latency(opts, int8_lib, folder)
    row["kiln_own"] = kiln_latency(opts, own_lib, folder)
    for search in ("measure", "predict"):
        row[f"kiln_{search}"] = kiln_latency(opts, libs[search], folder)
    row["ort_f32"] = ort_median(session, evaluation[0], opts.runs)
    row["ort_int8"] = ort_median(qsession, evaluation[0], opts.runs)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--calibration", type=int, default=8)
    parser.add_argument("--eval", type=int, default=4)
    parser.add_argument("--calibration-method", default="minmax")
    parser.add_argument("--budget", type=float, default=25.0,
                        help="--quantize=auto's --accuracy-budget (dB)")
    parser.add_argument("--markdown")
    parser.add_argument("models", nargs="+")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        rows = [measure(opts, m, work) for m in opts.models]
    lines = [
        f"CPU: {benchlib.cpu_name()}; one thread; median of {opts.runs} "
        f"runs; quantize_static QDQ (u8 activations, s8 weights per "
        f"channel, MinMax on {opts.calibration} seeded inputs); quality on "
        f"{opts.eval} other inputs against each runtime's f32 model. "
        f"kiln's own int8: kilnc --quantize=int8 calibrated on the same "
        f"inputs ({opts.calibration_method}), first and last layers f32.",
        "",
        "| model | int8 layers (kiln) | kiln f32 / int8 | kiln int8 / ORT "
        "int8 | ORT f32 / int8 | SQNR kiln / ORT (dB) | top-1 kiln / ORT |",
        "|---|---|---|---|---|---|---|"]
    own = [
        "",
        "| model | int8 layers (kiln's own) | kiln f32 / own int8 | own int8 "
        "/ ORT int8 | SQNR own / ORT (dB) | top-1 own / ORT |",
        "|---|---|---|---|---|---|"]
    for r in rows:
        own.append(
            f"| {r['name']} | {r['own_layers']} | "
            f"{r['kiln_f32'] / r['kiln_own']:.2f}x | "
            f"{r['kiln_own'] / r['ort_int8']:.2f} | "
            f"{r['sqnr_own']:.1f} / {r['sqnr_ort']:.1f} | "
            f"{r['top1_own']:.2f} / {r['top1_ort']:.2f} |")
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['layers']} | "
            f"{r['kiln_f32'] / r['kiln_int8']:.2f}x | "
            f"{r['kiln_int8'] / r['ort_int8']:.2f} | "
            f"{r['ort_f32'] / r['ort_int8']:.2f}x | "
            f"{r['sqnr_kiln']:.1f} / {r['sqnr_ort']:.1f} | "
            f"{r['top1_kiln']:.2f} / {r['top1_ort']:.2f} |")
    lines += own
    lines += [
        "",
        f"kilnc --quantize=auto --accuracy-budget={opts.budget:g} (checked "
        "on the calibration inputs; SQNR here on the other inputs), each "
        "layer's sensitivity measured by an instrumented build or predicted "
        "by the learned model; compile time includes calibration:",
        "",
        "| model | sensitivities | int8 layers | kiln f32 / auto | SQNR (dB) "
        "| top-1 | compile (s) |",
        "|---|---|---|---|---|---|---|"]
    for r in rows:
        for search in ("measure", "predict"):
            lines.append(
                f"| {r['name']} | {LABELS[search]} | "
                f"{r[f'layers_{search}']} | "
                f"{r['kiln_f32'] / r[f'kiln_{search}']:.2f}x | "
                f"{r[f'sqnr_{search}']:.1f} | {r[f'top1_{search}']:.2f} | "
                f"{r[f'compile_{search}']:.0f} |")
    print("\n".join(lines))
    if opts.markdown:
        benchlib.write_section(opts.markdown, "quantized-models",
                               "Quantized models (bench/quantized_models.py)",
                               lines)


if __name__ == "__main__":
    sys.exit(main())
