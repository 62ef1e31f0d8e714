#!/usr/bin/env python3
"""Models with dynamic dims for kiln's dynamic-shape tests and benchmark.

encoder: a transformer encoder block on x: float[batch, seq, 64] and
  mask: float[batch, seq] (1 keeps a position, 0 pads it): 4-head self
  attention (MatMul, Reshape/Transpose for the heads, Softmax), residual and
  LayerNormalization, a Gelu feed-forward layer (64 -> 128 -> 64), residual
  and LayerNormalization.
cnn: x: float[batch, 3, 32, 32] -> Conv 3x3 (16) -> Relu -> MaxPool 2x2 ->
  Conv 3x3 (32) -> Relu -> GlobalAveragePool -> Flatten -> Gemm (10) ->
  Softmax.

Weights come from a fixed seed. With --data, reference outputs for the
given shapes come from ONNX's own reference evaluator
(onnx.reference.ReferenceEvaluator) and are written as ONNX test data
(input_<i>.pb, output_<i>.pb) for `kiln-run --check`.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

D, HEADS, FFN = 64, 4, 128


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def encoder(rng):
    def weight(name, *shape, scale=0.15):
        return const(name, (rng.standard_normal(shape) * scale)
                     .astype(np.float32))

    inits = [
        weight("wq", D, D), weight("bq", D), weight("wk", D, D),
        weight("bk", D), weight("wv", D, D), weight("bv", D),
        weight("wo", D, D), weight("bo", D), weight("w1", D, FFN),
        weight("b1", FFN), weight("w2", FFN, D), weight("b2", D),
        const("g1", (1 + rng.standard_normal(D) * 0.1).astype(np.float32)),
        weight("be1", D),
        const("g2", (1 + rng.standard_normal(D) * 0.1).astype(np.float32)),
        weight("be2", D),
        const("heads_shape", np.array([0, 0, HEADS, D // HEADS], np.int64)),
        const("merge_shape", np.array([0, 0, D], np.int64)),
        const("scale", np.array(1.0 / np.sqrt(D // HEADS), np.float32)),
        const("one", np.array(1.0, np.float32)),
        const("neg", np.array(-1e4, np.float32)),
        const("mask_axes", np.array([1, 2], np.int64)),
    ]
    n = helper.make_node
    nodes = []
    for p in "qkv":
        nodes += [n("MatMul", ["x", "w" + p], [p + "_mm"]),
                  n("Add", [p + "_mm", "b" + p], [p]),
                  n("Reshape", [p, "heads_shape"], [p + "_split"])]
    nodes += [
        n("Transpose", ["q_split"], ["qh"], perm=[0, 2, 1, 3]),
        n("Transpose", ["k_split"], ["kt"], perm=[0, 2, 3, 1]),
        n("Transpose", ["v_split"], ["vh"], perm=[0, 2, 1, 3]),
        n("MatMul", ["qh", "kt"], ["scores_raw"]),
        n("Mul", ["scores_raw", "scale"], ["scores_scaled"]),
        # Padding positions get -1e4 before the softmax.
        n("Sub", ["one", "mask"], ["pad"]),
        n("Mul", ["pad", "neg"], ["pad_bias"]),
        n("Unsqueeze", ["pad_bias", "mask_axes"], ["bias"]),
        n("Add", ["scores_scaled", "bias"], ["scores"]),
        n("Softmax", ["scores"], ["probs"], axis=-1),
        n("MatMul", ["probs", "vh"], ["ctx_heads"]),
        n("Transpose", ["ctx_heads"], ["ctx_t"], perm=[0, 2, 1, 3]),
        n("Reshape", ["ctx_t", "merge_shape"], ["ctx"]),
        n("MatMul", ["ctx", "wo"], ["attn_mm"]),
        n("Add", ["attn_mm", "bo"], ["attn"]),
        n("Add", ["x", "attn"], ["res1"]),
        n("LayerNormalization", ["res1", "g1", "be1"], ["h"], axis=-1,
          epsilon=1e-5),
        n("MatMul", ["h", "w1"], ["f1_mm"]),
        n("Add", ["f1_mm", "b1"], ["f1"]),
        n("Gelu", ["f1"], ["f1_act"]),
        n("MatMul", ["f1_act", "w2"], ["f2_mm"]),
        n("Add", ["f2_mm", "b2"], ["f2"]),
        n("Add", ["h", "f2"], ["res2"]),
        n("LayerNormalization", ["res2", "g2", "be2"], ["y"], axis=-1,
          epsilon=1e-5),
    ]
    graph = helper.make_graph(
        nodes, "encoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["batch", "seq", D]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT,
                                       ["batch", "seq"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       ["batch", "seq", D])],
        inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)],
                             producer_name="kiln test/Dynamic/models.py")


def cnn(rng):
    def weight(name, *shape):
        fan_in = np.prod(shape[1:]) if len(shape) > 1 else 1
        return const(name, (rng.standard_normal(shape) / np.sqrt(fan_in))
                     .astype(np.float32))

    inits = [weight("c1w", 16, 3, 3, 3), weight("c1b", 16),
             weight("c2w", 32, 16, 3, 3), weight("c2b", 32),
             weight("fw", 32, 10), weight("fb", 10)]
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "c1w", "c1b"], ["c1"], pads=[1, 1, 1, 1]),
        n("Relu", ["c1"], ["r1"]),
        n("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        n("Conv", ["p1", "c2w", "c2b"], ["c2"], pads=[1, 1, 1, 1]),
        n("Relu", ["c2"], ["r2"]),
        n("GlobalAveragePool", ["r2"], ["g"]),
        n("Flatten", ["g"], ["f"]),
        n("Gemm", ["f", "fw", "fb"], ["logits"]),
        n("Softmax", ["logits"], ["probs"], axis=1),
    ]
    graph = helper.make_graph(
        nodes, "cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["batch", 3, 32, 32])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT,
                                       ["batch", 10])],
        inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                             producer_name="kiln test/Dynamic/models.py")


def inputs_for(name, shape, rng):
    if name == "encoder":
        batch, seq = shape
        x = rng.standard_normal((batch, seq, D)).astype(np.float32)
        mask = np.ones((batch, seq), np.float32)
        # Later sequences of the batch are shorter: their tails are padding.
        for b in range(batch):
            keep = max(1, seq - b * seq // (batch + 1))
            mask[b, keep:] = 0
        return {"x": x, "mask": mask}
    (batch,) = shape
    return {"x": rng.standard_normal((batch, 3, 32, 32)).astype(np.float32)}


def write_data(model, name, shape, directory, rng):
    from onnx.reference import ReferenceEvaluator
    feeds = inputs_for(name, shape, rng)
    outputs = ReferenceEvaluator(model).run(None, feeds)
    os.makedirs(directory, exist_ok=True)
    for i, inp in enumerate(model.graph.input):
        tensor = numpy_helper.from_array(feeds[inp.name], inp.name)
        with open(os.path.join(directory, f"input_{i}.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    for i, (out, value) in enumerate(zip(model.graph.output, outputs)):
        tensor = numpy_helper.from_array(np.asarray(value, np.float32),
                                         out.name)
        with open(os.path.join(directory, f"output_{i}.pb"), "wb") as f:
            f.write(tensor.SerializeToString())


def parse_shape(text):
    return tuple(int(d) for d in text.split("x"))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", choices=["encoder", "cnn"])
    parser.add_argument("-o", "--output", required=True, help="model.onnx")
    parser.add_argument("--data", action="append", default=[],
                        help="SHAPE=DIR: reference data, SHAPE as 3x128 "
                             "(encoder: batch x seq) or 5 (cnn: batch)")
    opts = parser.parse_args()
    model = (encoder if opts.model == "encoder" else cnn)(
        np.random.default_rng(2026))
    onnx.checker.check_model(model)
    onnx.save(model, opts.output)
    for spec in opts.data:
        shape, _, directory = spec.partition("=")
        write_data(model, opts.model, parse_shape(shape), directory,
                   np.random.default_rng(7))


if __name__ == "__main__":
    main()
