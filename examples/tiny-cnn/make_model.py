#!/usr/bin/env python3
"""Writes model.onnxtxt: a small CNN for 8x8 digit images in ONNX text format.

The weights are fixed pseudo-random values (a seeded LCG, stdlib only), not
trained ones: the model exercises the importer and the graph phase. Run it to
regenerate the committed file byte for byte.
"""
import os

state = 12345


def rand():
    global state
    state = (1103515245 * state + 12345) % (1 << 31)
    return state / (1 << 31) - 0.5


def tensor(dtype, name, dims, values):
    body = ", ".join(f"{v:.6g}" if isinstance(v, float) else str(v)
                     for v in values)
    return f"{dtype}[{', '.join(map(str, dims))}] {name} = {{{body}}}"


def weights(name, dims, scale=0.5):
    n = 1
    for d in dims:
        n *= d
    return tensor("float", name, dims, [scale * rand() for _ in range(n)])


inits = [
    weights("conv1_w", [4, 1, 3, 3]),
    weights("conv1_b", [4], 0.1),
    tensor("float", "bn_scale", [4], [1.0, 0.9, 1.1, 1.0]),
    tensor("float", "bn_bias", [4], [0.0, 0.1, -0.1, 0.05]),
    tensor("float", "bn_mean", [4], [0.01, -0.02, 0.0, 0.03]),
    tensor("float", "bn_var", [4], [1.0, 0.8, 1.2, 0.9]),
    weights("conv2_w", [8, 4, 3, 3]),
    weights("conv2_b", [8], 0.1),
    weights("fc_w", [10, 8]),
    weights("fc_b", [10], 0.1),
]

initializers = ",\n  ".join(inits)
text = f"""<
  ir_version: 8,
  opset_import: ["" : 17],
  producer_name: "kiln examples/tiny-cnn/make_model.py"
>
tiny_cnn (float[batch, 1, 8, 8] image) => (float[batch, 10] probabilities)
<
  {initializers}
>
{{
  c1 = Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (image, conv1_w, conv1_b)
  n1 = BatchNormalization <epsilon = 0.00001> (c1, bn_scale, bn_bias, bn_mean, bn_var)
  r1 = Relu(n1)
  p1 = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (r1)
  c2 = Conv <kernel_shape = [3, 3], pads = [1, 1, 1, 1]> (p1, conv2_w, conv2_b)
  r2 = Relu(c2)
  g = GlobalAveragePool(r2)
  f = Flatten <axis = 1> (g)
  logits = Gemm <transB = 1> (f, fc_w, fc_b)
  probabilities = Softmax <axis = 1> (logits)
}}
"""

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "model.onnxtxt"), "w") as out:
    out.write(text)
