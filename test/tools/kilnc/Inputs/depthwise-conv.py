"""Writes an ONNX text model Y = Conv(X, W, B) with group = C, one filter
per channel (depthwise), W and B initializers of small exact values.

Usage: depthwise-conv.py C H W K STRIDE DILATION PAD
"""
import sys

c, h, w, k, stride, dilation, pad = (int(x) for x in sys.argv[1:8])
oh = (h + 2 * pad - dilation * (k - 1) - 1) // stride + 1
ow = (w + 2 * pad - dilation * (k - 1) - 1) // stride + 1
weights = ", ".join(
    repr(((i * 7919) % 97 - 48) / 64.0) for i in range(c * k * k))
bias = ", ".join(repr((i % 13 - 6) / 8.0) for i in range(c))
print('<ir_version: 8, opset_import: ["" : 17], producer_name: "kiln-test">')
print(f"depthwise (float[1,{c},{h},{w}] X) => (float[1,{c},{oh},{ow}] Y)")
print(f"  <float[{c},1,{k},{k}] W = {{{weights}}}, float[{c}] B = {{{bias}}}>")
print("{")
print(f"  Y = Conv<group = {c}, kernel_shape = [{k}, {k}], "
      f"strides = [{stride}, {stride}], dilations = [{dilation}, {dilation}], "
      f"pads = [{pad}, {pad}, {pad}, {pad}]>(X, W, B)")
print("}")
