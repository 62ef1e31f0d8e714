#!/usr/bin/env python3
"""QDQ models from ONNX Runtime's quantize_static run on kiln's integer kernel.

A small CNN and MLP (two Conv, two MatMul), with seeded random weights, is
quantized by onnxruntime.quantization.quantize_static (QDQ format, u8
activations, s8 weights, per tensor and per channel) on seeded calibration
data. kilnc compiles each QDQ model for the host with --explain; the test
fails unless:
  - every Conv and MatMul is reported as int8 (onnx-integer-qdq took it);
  - kiln's outputs equal ONNX Runtime's on the same QDQ model (its graph
    optimizations off, so it runs the QDQ graph as written) within one
    quantization step of the output;
  - they are as close to the f32 model's as ONNX Runtime's are (SQNR within
    1 dB, printed).

Usage: qdq_models.py --kilnc KILNC --kiln-run KILN_RUN --work DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                      QuantType, quantize_static)

INPUT_SHAPE = (1, 3, 16, 16)


def float_model(rng):
    def init(name, *shape, scale):
        return numpy_helper.from_array(
            (rng.standard_normal(shape) * scale).astype(np.float32), name)
    inits = [init("w1", 16, 3, 3, 3, scale=0.3), init("b1", 16, scale=0.1),
             init("w2", 32, 16, 3, 3, scale=0.1), init("b2", 32, scale=0.1),
             init("w3", 32 * 8 * 8, 64, scale=0.02),
             init("w4", 64, 16, scale=0.1),
             numpy_helper.from_array(np.array([1, -1], np.int64), "shape")]
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1] * 4),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], pads=[1] * 4,
                         strides=[2, 2]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Reshape", ["r2", "shape"], ["f"]),
        helper.make_node("MatMul", ["f", "w3"], ["m3"]),
        helper.make_node("Relu", ["m3"], ["r3"]),
        helper.make_node("MatMul", ["r3", "w4"], ["y"])]
    graph = helper.make_graph(
        nodes, "qcnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, INPUT_SHAPE)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


class Calibration(CalibrationDataReader):
    def __init__(self, rng):
        self.data = iter([{"x": rng.standard_normal(INPUT_SHAPE)
                           .astype(np.float32)} for _ in range(16)])

    def get_next(self):
        return next(self.data, None)


def run_ort(path, x):
    options = ort.SessionOptions()
    options.graph_optimization_level = \
        ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, options,
                                   providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def sqnr(reference, y):
    noise = np.sum((reference - y) ** 2)
    return 10 * np.log10(np.sum(reference ** 2) / max(noise, 1e-30))


def output_step(model):
    """The scale of the DequantizeLinear that gives the graph output."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    for node in model.graph.node:
        if node.output[0] == model.graph.output[0].name:
            return float(inits[node.input[1]])
    raise SystemExit("the QDQ model's output is not a DequantizeLinear")


def check(args, per_channel):
    name = "per-channel" if per_channel else "per-tensor"
    work = os.path.join(args.work, name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "data"))
    rng = np.random.default_rng(0)
    f32_path = os.path.join(work, "f32.onnx")
    qdq_path = os.path.join(work, "qdq.onnx")
    onnx.save(float_model(rng), f32_path)
    quantize_static(f32_path, qdq_path, Calibration(rng),
                    quant_format=QuantFormat.QDQ, per_channel=per_channel,
                    activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8)
    x = rng.standard_normal(INPUT_SHAPE).astype(np.float32)
    y_ort = run_ort(qdq_path, x)
    y_f32 = run_ort(f32_path, x)
    for file, array, tensor in (("input_0.pb", x, "x"),
                                ("output_0.pb", y_ort, "y")):
        with open(os.path.join(work, "data", file), "wb") as f:
            f.write(numpy_helper.from_array(array, tensor).SerializeToString())
    lib = os.path.join(work, "qdq.so")
    compiled = subprocess.run(
        [args.kilnc, qdq_path, "--mcpu=host", "--explain", "-o", lib],
        capture_output=True, text=True)
    if compiled.returncode != 0:
        raise SystemExit(f"{name}: kilnc failed:\n{compiled.stderr}")
    precisions = re.findall(r"precision of (\w+): (\w+)", compiled.stderr)
    print(f"{name}: precisions {precisions}")
    if sorted(precisions) != [("Conv", "int8")] * 2 + [("MatMul", "int8")] * 2:
        raise SystemExit(f"{name}: not every layer on the integer kernel")
    out = os.path.join(work, "out")
    step = output_step(onnx.load(qdq_path))
    ran = subprocess.run(
        [args.kiln_run, lib, "--check", os.path.join(work, "data"),
         "--rtol", "0", "--atol", str(step * 1.01), "--outputs", out],
        capture_output=True, text=True)
    print(ran.stdout.strip())
    if ran.returncode != 0:
        raise SystemExit(f"{name}: kiln's output differs from ONNX Runtime's "
                         f"by more than one step ({step})")
    with open(os.path.join(out, "output_0.pb"), "rb") as f:
        y_kiln = numpy_helper.to_array(onnx.TensorProto.FromString(f.read()))
    kiln_db, ort_db = sqnr(y_f32, y_kiln), sqnr(y_f32, y_ort)
    print(f"{name}: SQNR against f32: kiln {kiln_db:.2f} dB, "
          f"ONNX Runtime {ort_db:.2f} dB")
    if kiln_db < ort_db - 1.0:
        raise SystemExit(f"{name}: kiln's SQNR is more than 1 dB below "
                         "ONNX Runtime's")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kilnc", required=True)
    parser.add_argument("--kiln-run", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    for per_channel in (False, True):
        check(args, per_channel)
    print("qdq models: ok")


if __name__ == "__main__":
    sys.exit(main())
