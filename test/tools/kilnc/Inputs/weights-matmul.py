"""Writes an ONNX text model Y = A x W with W an initializer (a layer's
weights): MatMul with W as K x N, or with `transB`, Gemm<transB=1> with W as
N x K (the same weights, transposed). W holds small exact values.

Usage: weights-matmul.py M K N [transB]
"""
import sys

m, k, n = (int(x) for x in sys.argv[1:4])
trans = sys.argv[4:] == ["transB"]


def weight(row, col):
    """W[row][col] of the K x N weights."""
    return repr((((row * n + col) * 7919) % 97 - 48) / 64.0)


order = ([(r, c) for c in range(n) for r in range(k)] if trans else
         [(r, c) for r in range(k) for c in range(n)])
values = ", ".join(weight(r, c) for r, c in order)
print('<ir_version: 8, opset_import: ["" : 17], producer_name: "kiln-test">')
print(f"weights (float[{m},{k}] A) => (float[{m},{n}] Y)")
print(f"  <float[{f'{n},{k}' if trans else f'{k},{n}'}] W = {{{values}}}>")
print("{")
print("  Y = Gemm<transB = 1>(A, W)" if trans else "  Y = MatMul(A, W)")
print("}")
