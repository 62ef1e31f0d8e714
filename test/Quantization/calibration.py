#!/usr/bin/env python3
"""kilnc's own post-training quantization on a CNN with trained weights.

The model (test/Quantization/digits/digits_cnn.onnx, made by
train_digits.py) classifies the 8x8 digits of third_party/digits. For each
calibration method, kilnc --quantize=int8 calibrates on the 64 images of
calibration.npy (one input set each: the model is compiled with batch 1)
and writes the calibration table; a second compile, batch 540, reads that
table back. The test fails unless:
  - the table holds a range for every Conv and Gemm, from 64 samples;
  - the middle layers run on the integer kernels and the first and last
    stay f32 (by default), and --keep-float keeps a named one in f32;
  - the model as exported (dynamic batch) also runs its convolution int8;
  - kiln's f32 model classifies the 540 test images as ONNX Runtime does;
  - the int8 model loses at most 0.5 points of accuracy against f32
    (accuracy, agreement and logit SQNR printed);
  - missing calibration input and a bad table are usage errors (exit 1);
  - --quantize=auto at budgets of 40, 45 and 60 dB keeps the test set's
    logit SQNR within 1 dB of the budget (it is checked on the calibration
    data), with fewer int8 layers as the budget rises;
  - --precision-search=predict (the learned predictor; this model is not
    in its training data) at 40 dB writes no sensitivities, keeps the
    logit SQNR within 1 dB of the budget with some layers int8, and ranks
    the 4 layers as the measured sensitivities do (Spearman >= 0.6);
  - --quantize=int4-weights makes both Gemms int4, its weight bytes (the
    compile report's) under a third of f32's, losing at most 0.5 points.

Usage: calibration.py --kilnc KILNC --kiln-run KILN_RUN --work DIR
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "test", "Quantization", "digits", "digits_cnn.onnx")
DATA = os.path.join(ROOT, "third_party", "digits")
LAYERS = ["/0/Conv", "/2/Conv", "/6/Gemm", "/8/Gemm"]


def kilnc(args, *flags, expect=0):
    done = subprocess.run([args.kilnc, MODEL, "--mcpu=host", *flags],
                          capture_output=True, text=True)
    if done.returncode != expect:
        raise SystemExit(f"kilnc {' '.join(flags)}: exit {done.returncode}, "
                         f"expected {expect}\n{done.stderr}")
    return done.stderr


def precisions(stderr):
    """The policy's decisions: node -> precision."""
    return dict(re.findall(
        r"node '([^']+)': precision of \w+: (\w+) \((?:calibrated|the first|"
        r"kept|the calibration|its )", stderr))


def run_kiln(args, lib, images, work):
    inputs, outputs = os.path.join(work, "in"), os.path.join(work, "out")
    os.makedirs(inputs, exist_ok=True)
    with open(os.path.join(inputs, "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(images, "image").SerializeToString())
    ran = subprocess.run([args.kiln_run, lib, "--inputs", inputs,
                          "--outputs", outputs], capture_output=True, text=True)
    if ran.returncode != 0:
        raise SystemExit(f"kiln-run {lib} failed:\n{ran.stderr}")
    with open(os.path.join(outputs, "output_0.pb"), "rb") as f:
        return numpy_helper.to_array(onnx.TensorProto.FromString(f.read()))


def sqnr(reference, y):
    noise = np.sum((reference - y) ** 2)
    return 10 * np.log10(np.sum(reference ** 2) / max(noise, 1e-30))


def check_table(path, method):
    with open(path) as f:
        table = json.load(f)
    if table["method"] != method or table["samples"] != 64:
        raise SystemExit(f"{path}: method {table['method']}, samples "
                         f"{table['samples']}; expected {method}, 64")
    if sorted(table["ranges"]) != sorted(LAYERS):
        raise SystemExit(f"{path}: ranges for {sorted(table['ranges'])}")


def check_method(args, method, images, labels, f32_logits):
    work = os.path.join(args.work, method)
    os.makedirs(work)
    table = os.path.join(work, "table.json")
    stderr = kilnc(args, "--dim", "N=1", "--quantize=int8",
                   "--calibration-data", args.calibration,
                   "--calibration-method", method, "--calibration-table",
                   table, "--explain", "-o", os.path.join(work, "b1.so"))
    chosen = precisions(stderr)
    expected = {"/0/Conv": "f32", "/2/Conv": "int8", "/6/Gemm": "int8",
                "/8/Gemm": "f32"}
    if chosen != expected:
        raise SystemExit(f"{method}: precisions {chosen}, expected {expected}")
    if "precision of Conv: int8 (an integer product" not in stderr or \
       "precision of MatMul: int8 (an integer product" not in stderr:
        raise SystemExit(f"{method}: not on the integer kernels\n{stderr}")
    check_table(table, method)
    lib = os.path.join(work, "int8.so")
    kilnc(args, "--dim", "N=540", "--quantize=int8", "--calibration-table",
          table, "-o", lib)
    logits = run_kiln(args, lib, images, work)
    accuracy = np.mean(logits.argmax(1) == labels) * 100
    f32_accuracy = np.mean(f32_logits.argmax(1) == labels) * 100
    agreement = np.mean(logits.argmax(1) == f32_logits.argmax(1)) * 100
    print(f"{method}: accuracy int8 {accuracy:.2f}% (f32 {f32_accuracy:.2f}%)"
          f", top-1 agreement {agreement:.2f}%, logit SQNR "
          f"{sqnr(f32_logits, logits):.1f} dB")
    if accuracy < f32_accuracy - 0.5:
        raise SystemExit(f"{method}: int8 loses more than 0.5 points")
    return table


def check_dynamic_batch(args, table, images, labels, f32_logits):
    """The model as exported, batch N: the int8 convolution takes it."""
    work = os.path.join(args.work, "dynamic")
    os.makedirs(work)
    lib = os.path.join(work, "int8.so")
    stderr = kilnc(args, "--quantize=int8", "--calibration-table", table,
                   "--explain", "-o", lib)
    if "node '/2/Conv': precision of Conv: int8 (an integer" not in stderr:
        raise SystemExit(f"dynamic batch: /2/Conv not int8\n{stderr}")
    logits = run_kiln(args, lib, images, work)
    accuracy = np.mean(logits.argmax(1) == labels) * 100
    f32_accuracy = np.mean(f32_logits.argmax(1) == labels) * 100
    print(f"dynamic batch: accuracy int8 {accuracy:.2f}%")
    if accuracy < f32_accuracy - 0.5:
        raise SystemExit("dynamic batch: int8 loses more than 0.5 points")


def check_errors(args):
    work = os.path.join(args.work, "errors")
    os.makedirs(work)
    out = os.path.join(work, "m.so")
    stderr = kilnc(args, "--quantize=int8", "-o", out, expect=1)
    print("no calibration:", stderr.strip())
    stderr = kilnc(args, "--quantize=int8", "--calibration-data",
                   os.path.join(work, "missing"), "-o", out, expect=1)
    print("missing data:", stderr.strip())
    bad = os.path.join(work, "bad.json")
    with open(bad, "w") as f:
        f.write("{\"ranges\": 3}")
    stderr = kilnc(args, "--quantize=int8", "--calibration-table", bad,
                   "-o", out, expect=1)
    print("bad table:", stderr.strip())
    stderr = kilnc(args, "--dim", "N=1", "--quantize=int8",
                   "--calibration-data", args.calibration, "--keep-float",
                   "/2/Conv", "--explain", "-o", out)
    if precisions(stderr).get("/2/Conv") != "f32":
        raise SystemExit("--keep-float=/2/Conv did not keep it in f32")


def check_auto(args, images, labels, f32_logits):
    work = os.path.join(args.work, "auto")
    os.makedirs(work)
    table = os.path.join(work, "table.json")
    counts = []
    for budget in (40, 45, 60):
        lib = os.path.join(work, f"auto{budget}.so")
        kilnc(args, "--dim", "N=1", "--quantize=auto", "--accuracy-budget",
              str(budget), "--calibration-data", args.calibration,
              "--calibration-table", table, "-o", os.path.join(work, "b1.so"))
        stderr = kilnc(args, "--dim", "N=540", "--quantize=auto",
                       "--accuracy-budget", str(budget), "--calibration-table",
                       table, "--explain", "-o", lib)
        chosen = precisions(stderr)
        int8 = sorted(k for k, v in chosen.items() if v == "int8")
        logits = run_kiln(args, lib, images, work)
        db = sqnr(f32_logits, logits)
        accuracy = np.mean(logits.argmax(1) == labels) * 100
        print(f"auto {budget} dB: int8 {int8}, logit SQNR {db:.1f} dB, "
              f"accuracy {accuracy:.2f}%")
        if db < budget - 1.0:
            raise SystemExit(f"auto {budget} dB: SQNR {db:.1f} dB")
        counts.append(len(int8))
    if counts != sorted(counts, reverse=True) or counts[0] == 0:
        raise SystemExit(f"auto: int8 layers by budget {counts}")
    return table


def predicted_db(stderr):
    """Each layer's predicted sensitivity (dB) from --explain's remarks."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(
        r"node '([^']+)': precision of \w+: .*?predicted (-?[0-9.]+) dB",
        stderr)}


def check_predict(args, images, labels, f32_logits, measured_table):
    """--precision-search=predict on a model the predictor never saw (its
    training data are the zoo's random-weight models): the budget holds on
    the test set, some layers go int8, and the predictions order the
    layers as the measurements do."""
    work = os.path.join(args.work, "predict")
    os.makedirs(work)
    table, budget = os.path.join(work, "table.json"), 40
    lib = os.path.join(work, "predict.so")
    kilnc(args, "--dim", "N=1", "--quantize=auto", "--precision-search",
          "predict", "--accuracy-budget", str(budget), "--calibration-data",
          args.calibration, "--calibration-table", table, "-o",
          os.path.join(work, "b1.so"))
    with open(table) as f:
        written = json.load(f)
    if "sensitivity" in written or len(written.get("mean_square", {})) != 4:
        raise SystemExit(f"predict: the table {written}")
    stderr = kilnc(args, "--dim", "N=540", "--quantize=auto",
                   "--precision-search", "predict", "--accuracy-budget",
                   str(budget), "--calibration-table", table, "--explain",
                   "-o", lib)
    if "sensitivities predicted by the rounding-noise estimate" not in stderr:
        raise SystemExit(f"predict: no trained predictor named\n{stderr}")
    predicted = predicted_db(stderr)
    with open(measured_table) as f:
        measured = json.load(f)["sensitivity"]
    keys = sorted(predicted)
    rho = spearman([predicted[k] for k in keys],
                   [10 * np.log10(measured[k]) for k in keys])
    chosen = precisions(stderr)
    int8 = sorted(k for k, v in chosen.items() if v == "int8")
    logits = run_kiln(args, lib, images, work)
    db = sqnr(f32_logits, logits)
    accuracy = np.mean(logits.argmax(1) == labels) * 100
    for k in keys:
        print(f"  {k}: predicted {predicted[k]:.1f} dB, measured "
              f"{10 * np.log10(measured[k]):.1f} dB")
    print(f"predict {budget} dB: int8 {int8}, logit SQNR {db:.1f} dB, "
          f"accuracy {accuracy:.2f}%, Spearman predicted/measured "
          f"{rho:.2f} over {len(keys)} layers")
    if db < budget - 1.0 or not int8 or len(keys) != 4 or rho < 0.6:
        raise SystemExit("predict: budget, layers or ranking missed")


def ranks(values):
    """Ranks from 0, ties given their mean rank."""
    values = np.asarray(values)
    return np.array([np.mean(np.flatnonzero(np.sort(values) == v))
                     for v in values])


def spearman(a, b):
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def weight_bytes(report):
    with open(report) as f:
        return json.load(f)["weight_bytes"]


def check_int4(args, images, labels, f32_logits):
    work = os.path.join(args.work, "int4")
    os.makedirs(work)
    lib, report = os.path.join(work, "int4.so"), os.path.join(work, "r.json")
    stderr = kilnc(args, "--dim", "N=540", "--quantize=int4-weights",
                   "--explain", f"--report={report}", "-o", lib)
    int4 = re.findall(r"node '([^']+)': precision of \w+: int4 weights",
                      stderr)
    if int4 != ["/6/Gemm", "/8/Gemm"]:
        raise SystemExit(f"int4: layers {int4}, expected both Gemms")
    f32_report = os.path.join(args.work, "f32.json")
    ratio = weight_bytes(f32_report) / weight_bytes(report)
    logits = run_kiln(args, lib, images, work)
    accuracy = np.mean(logits.argmax(1) == labels) * 100
    f32_accuracy = np.mean(f32_logits.argmax(1) == labels) * 100
    print(f"int4-weights: accuracy {accuracy:.2f}% (f32 {f32_accuracy:.2f}%)"
          f", weight bytes 1/{ratio:.2f} of f32, logit SQNR "
          f"{sqnr(f32_logits, logits):.1f} dB")
    if ratio < 3 or accuracy < f32_accuracy - 0.5:
        raise SystemExit("int4-weights: too many bytes or too much loss")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.calibration = os.path.join(args.work, "calibration")
    os.makedirs(args.calibration)
    shutil.copy(os.path.join(DATA, "calibration.npy"), args.calibration)
    images = np.load(os.path.join(DATA, "test_images.npy"))
    labels = np.load(os.path.join(DATA, "test_labels.npy"))
    f32_lib = os.path.join(args.work, "f32.so")
    kilnc(args, "--dim", "N=540", "-o", f32_lib,
          "--report=" + os.path.join(args.work, "f32.json"))
    f32_logits = run_kiln(args, f32_lib, images, os.path.join(args.work, "f32"))
    ort_logits = ort.InferenceSession(MODEL).run(None, {"image": images})[0]
    if not np.array_equal(f32_logits.argmax(1), ort_logits.argmax(1)):
        raise SystemExit("kiln's f32 classes differ from ONNX Runtime's")
    tables = [check_method(args, method, images, labels, f32_logits)
              for method in ("minmax", "percentile", "entropy")]
    check_dynamic_batch(args, tables[0], images, labels, f32_logits)
    measured = check_auto(args, images, labels, f32_logits)
    check_predict(args, images, labels, f32_logits, measured)
    check_int4(args, images, labels, f32_logits)
    check_errors(args)
    print("calibration: ok")


if __name__ == "__main__":
    sys.exit(main())
