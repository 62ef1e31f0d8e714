#!/usr/bin/env python3
"""Measures the sensitivity predictor's training data over the model zoo.

For each model in the zoo layout (MODELS/<model>/model.onnx with
test_data_set_0, as test/Models/export_models.py writes it), this script
draws calibration sets like the model's test inputs (floats with the same
mean and spread, integers within the same bounds, seeded), then runs

    kilnc model.onnx --quantize=auto --calibration-data SETS \\
        --dump-sensitivity-features FEATURES ...

so that kilnc measures each quantizable layer's sensitivity (its output's
noise-to-signal ratio when it alone is int8, from the instrumented build)
and writes it with the layer's features. The lines, tagged with the model
and its family, go to OUT (JSON lines), which train.py reads.

    .venv/bin/python utils/sensitivity/collect.py --kilnc build/bin/kilnc \\
        --models build/test/models-ci --work /tmp/sensitivity \\
        --out utils/sensitivity/data.jsonl
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import numpy as np
from onnx import numpy_helper, TensorProto


def read_inputs(directory):
    """The arrays of test_data_set_0's input_<i>.pb, in order."""
    arrays, i = [], 0
    while os.path.exists(os.path.join(directory, f"input_{i}.pb")):
        tensor = TensorProto()
        with open(os.path.join(directory, f"input_{i}.pb"), "rb") as f:
            tensor.ParseFromString(f.read())
        arrays.append(numpy_helper.to_array(tensor))
        i += 1
    return arrays


def draw_like(array, rng):
    """A random array of `array`'s shape and dtype, drawn like it."""
    if np.issubdtype(array.dtype, np.floating):
        spread = float(array.std()) or 1.0
        values = rng.normal(float(array.mean()), spread, array.shape)
        return values.astype(array.dtype)
    if array.dtype == np.bool_:
        return rng.integers(0, 2, array.shape).astype(np.bool_)
    low, high = int(array.min()), int(array.max())
    return rng.integers(low, high + 1, array.shape).astype(array.dtype)


def write_sets(model_dir, out, count, seed):
    inputs = read_inputs(os.path.join(model_dir, "test_data_set_0"))
    rng = np.random.default_rng(seed)
    shutil.rmtree(out, ignore_errors=True)
    for s in range(count):
        directory = os.path.join(out, f"set_{s}")
        os.makedirs(directory, exist_ok=True)
        for i, array in enumerate(inputs):
            tensor = numpy_helper.from_array(draw_like(array, rng))
            with open(os.path.join(directory, f"input_{i}.pb"), "wb") as f:
                f.write(tensor.SerializeToString())


def collect(opts, name):
    """The feature lines of one model, or None if kilnc failed."""
    model_dir = os.path.join(opts.models, name)
    work = os.path.join(opts.work, name)
    sets = os.path.join(work, "sets")
    write_sets(model_dir, sets, opts.sets, opts.seed)
    features = os.path.join(work, "features.jsonl")
    if os.path.exists(features):
        os.remove(features)
    command = [opts.kilnc, os.path.join(model_dir, "model.onnx"),
               "--quantize=auto", "--calibration-data", sets,
               "--calibration-table", os.path.join(work, "table.json"),
               "--dump-sensitivity-features", features,
               "--compile-to=import", "-o", os.path.join(work, "model.mlir")]
    run = subprocess.run(command, capture_output=True, text=True,
                         timeout=opts.timeout)
    if run.returncode != 0 or not os.path.exists(features):
        print(f"{name}: kilnc failed ({run.returncode}): "
              f"{run.stderr.strip()[-400:]}", file=sys.stderr)
        return None
    family = name
    info = os.path.join(model_dir, "info.json")
    if os.path.exists(info):
        with open(info) as f:
            family = json.load(f).get("family", name)
    lines = []
    with open(features) as f:
        for line in f:
            record = json.loads(line)
            record["model"], record["family"] = name, family
            lines.append(record)
    return lines


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--models", required=True,
                        help="the zoo: <model>/model.onnx, test_data_set_0")
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True, help="JSON lines to write")
    parser.add_argument("--only", action="append", help="just this model")
    parser.add_argument("--sets", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=int, default=900)
    opts = parser.parse_args()
    names = opts.only or sorted(
        n for n in os.listdir(opts.models)
        if os.path.exists(os.path.join(opts.models, n, "model.onnx")))
    records, done = [], 0
    for name in names:
        lines = collect(opts, name)
        if lines is None:
            continue
        done += 1
        measured = sum(r["measured"] is not None for r in lines)
        print(f"{name}: {len(lines)} layers, {measured} measured")
        records.extend(lines)
    with open(opts.out, "w") as f:
        for record in records:
            f.write(json.dumps(record, sort_keys=True) + "\n")
    print(f"{len(records)} layers from {done} models -> {opts.out}")


if __name__ == "__main__":
    main()
