"""Writes an ONNX text model Y = Conv(X, W, B), one group, W and B
initializers of small exact values.

Usage: conv.py C F H W K STRIDE DILATION PAD
"""
import sys

c, f, h, w, k, stride, dilation, pad = (int(x) for x in sys.argv[1:9])
oh = (h + 2 * pad - dilation * (k - 1) - 1) // stride + 1
ow = (w + 2 * pad - dilation * (k - 1) - 1) // stride + 1
weights = ", ".join(
    repr(((i * 7919) % 97 - 48) / 256.0) for i in range(f * c * k * k))
bias = ", ".join(repr((i % 13 - 6) / 8.0) for i in range(f))
print('<ir_version: 8, opset_import: ["" : 17], producer_name: "kiln-test">')
print(f"conv (float[1,{c},{h},{w}] X) => (float[1,{f},{oh},{ow}] Y)")
print(f"  <float[{f},{c},{k},{k}] W = {{{weights}}}, float[{f}] B = {{{bias}}}>")
print("{")
print(f"  Y = Conv<kernel_shape = [{k}, {k}], "
      f"strides = [{stride}, {stride}], dilations = [{dilation}, {dilation}], "
      f"pads = [{pad}, {pad}, {pad}, {pad}]>(X, W, B)")
print("}")
