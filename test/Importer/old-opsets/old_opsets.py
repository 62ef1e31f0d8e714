#!/usr/bin/env python3
"""Models written at opsets 1 to 6 compile and match ONNX Runtime.

For each old opset, a small CNN-like graph in that opset's forms (legacy
`broadcast`/`axis` attributes, `consumed_inputs`, `is_test`, Gemm's
`broadcast`, Sum and Max without broadcasting). kilnc compiles the old
model itself (it upgrades it on import: ONNX's version converter, with
kiln's own alignment of axis broadcasts); the reference is ONNX Runtime
running the same computation written at opset 13 (the onnx package's converter
fails on the axis broadcasts, as libonnx's does without kiln's help). A model
kiln cannot upgrade must be refused with exit 3, naming the node.

Usage: old_opsets.py --kilnc K --kiln-run R --work DIR
Prints a line per model and "N of N old-opset models match"; exit 1 if any
does not.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

RNG = np.random.default_rng(5)


def weights():
    shapes = {"B": (3,), "S": (3,), "Mean": (3,), "Var": (3,),
              "P": (3, 1, 1), "W": (48, 5), "C": (5,)}
    return {name: RNG.uniform(0.25, 1.5, shape).astype(np.float32)
            for name, shape in shapes.items()}


WEIGHTS = weights()


def legacy(opset, op, inputs, outputs, **attrs):
    """A node in `opset`'s form: consumed_inputs before 6 where the op had
    it, broadcast attributes before 7."""
    if opset < 6 and op in ("Add", "Mul", "Relu", "BatchNormalization"):
        attrs["consumed_inputs"] = [0] * (len(inputs) if op != "BatchNormalization" else 5)
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


def build(opset):
    """The model at `opset` (ir_version 3: initializers are also inputs);
    at opset 13 the same computation in today's forms (B and S given
    aligned for Add and Mul instead of an axis), the reference."""
    old = opset < 7
    aligned = ["B", "S"] if old else ["B3", "S3"]
    binary = dict(broadcast=1, axis=1) if old else {}
    nodes = [
        legacy(opset, "Add", ["X", aligned[0]], ["a"], **binary),
        legacy(opset, "Mul", ["a", aligned[1]], ["m"], **binary),
        legacy(opset, "BatchNormalization", ["m", "S", "B", "Mean", "Var"],
               ["n"], epsilon=1e-5, **(dict(is_test=1) if old else {})),
        legacy(opset, "Relu", ["n"], ["r"]),
        legacy(opset, "PRelu", ["r", "P"], ["p"]),
        legacy(opset, "Sum", ["p", "Z"], ["s"]),
        legacy(opset, "Max", ["s", "X"], ["x"]),
        legacy(opset, "AveragePool", ["x"], ["Y"], kernel_shape=[2, 2],
               strides=[2, 2]),
        legacy(opset, "Flatten", ["x"], ["f"], axis=1),
        legacy(opset, "Gemm", ["f", "W", "C"], ["G"],
               **(dict(broadcast=1) if old else {})),
    ]
    inits = [numpy_helper.from_array(value, name)
             for name, value in WEIGHTS.items()]
    if not old:
        inits += [numpy_helper.from_array(WEIGHTS[n].reshape(3, 1, 1), n + "3")
                  for n in ("B", "S")]
    values = [helper.make_tensor_value_info(
        t.name, TensorProto.FLOAT, list(t.dims)) for t in inits] if old else []
    graph = helper.make_graph(
        nodes, f"opset{opset}",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 3, 4, 4]),
         helper.make_tensor_value_info("Z", TensorProto.FLOAT, [2, 3, 4, 4])]
        + values,
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2, 3, 2, 2]),
         helper.make_tensor_value_info("G", TensorProto.FLOAT, [2, 5])],
        inits)
    return helper.make_model(graph, ir_version=3 if old else 7,
                             opset_imports=[helper.make_opsetid("", opset)])


def write_case(model, work):
    """The model and test_data_set_0: ORT's outputs for the same
    computation at opset 13."""
    os.makedirs(os.path.join(work, "test_data_set_0"), exist_ok=True)
    onnx.save(model, os.path.join(work, "model.onnx"))
    modern = build(13)
    session = onnxruntime.InferenceSession(modern.SerializeToString())
    feeds = {"X": RNG.standard_normal((2, 3, 4, 4)).astype(np.float32),
             "Z": RNG.standard_normal((2, 3, 4, 4)).astype(np.float32)}
    outputs = session.run(None, feeds)
    data = os.path.join(work, "test_data_set_0")
    for i, name in enumerate(("X", "Z")):
        with open(os.path.join(data, f"input_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(feeds[name], name)
                    .SerializeToString())
    for i, (out, value) in enumerate(zip(session.get_outputs(), outputs)):
        with open(os.path.join(data, f"output_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(value, out.name)
                    .SerializeToString())


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def check_opset(opset, opts):
    """None when the model at `opset` compiles and matches, else why."""
    work = os.path.join(opts.work, f"opset{opset}")
    write_case(build(opset), work)
    lib = os.path.join(work, "model.so")
    rc, out = run([opts.kilnc, os.path.join(work, "model.onnx"), "-o", lib])
    if rc:
        return f"kilnc exit {rc}: {out[-300:]}"
    rc, out = run([opts.kiln_run, lib, "--check",
                   os.path.join(work, "test_data_set_0"),
                   "--atol", "1e-5", "--rtol", "1e-4"])
    return None if rc == 0 else f"kiln-run exit {rc}: {out[-300:]}"


def check_refused(opts):
    """An axis broadcast of a value whose rank nothing tells (the output of
    an op of another domain): refused with exit 3, naming the node."""
    nodes = [helper.make_node("Opaque", ["X"], ["B"], name="opaque",
                              domain="com.example"),
             helper.make_node("Add", ["X", "B"], ["Y"], name="add_axis",
                              broadcast=1, axis=1)]
    graph = helper.make_graph(
        nodes, "refused",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2, 3])])
    model = helper.make_model(graph, ir_version=3, opset_imports=[
        helper.make_opsetid("", 6), helper.make_opsetid("com.example", 1)])
    path = os.path.join(opts.work, "refused.onnx")
    onnx.save(model, path)
    rc, out = run([opts.kilnc, path, "-o", path + ".o"])
    want = "node 'add_axis' (Add) broadcasts along an axis"
    if rc == 3 and want in out:
        return None
    return f"expected exit 3 naming the node, got exit {rc}: {out[-300:]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--work", required=True)
    opts = parser.parse_args()
    os.makedirs(opts.work, exist_ok=True)
    results = [(f"opset {o}", check_opset(o, opts)) for o in range(1, 7)]
    results.append(("not upgradable", check_refused(opts)))
    for name, error in results:
        print(f"{name}: {'ok' if error is None else 'FAIL: ' + error}")
    bad = sum(error is not None for _, error in results)
    print(f"{len(results) - bad} of {len(results)} old-opset models match")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
