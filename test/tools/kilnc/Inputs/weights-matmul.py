"""Writes an ONNX text model Y = A x W with W an initializer (a layer's
weights): MatMul with W as K x N, or with `transB`, Gemm<transB=1> with W as
N x K (the same weights, transposed). W holds small exact values.

With `left`, Y = W x A instead: W (M x K) the initializer, A (K x N) the
input, as a 1x1 convolution's filters times its pixels.

Usage: weights-matmul.py M K N [transB | left]
"""
import sys

m, k, n = (int(x) for x in sys.argv[1:4])
trans = sys.argv[4:] == ["transB"]
left = sys.argv[4:] == ["left"]


def weight(row, col):
    """W[row][col] of the K x N weights."""
    return repr((((row * n + col) * 7919) % 97 - 48) / 64.0)


order = ([(r, c) for c in range(n) for r in range(k)] if trans else
         [(r, c) for r in range(k) for c in range(n)])
values = ", ".join(weight(r, c) for r, c in order)
if left:
    values = ", ".join(
        repr((((r * k + c) * 7919) % 97 - 48) / 64.0) for r in range(m)
        for c in range(k))
    print('<ir_version: 8, opset_import: ["" : 17], producer_name: "kiln-test">')
    print(f"weights (float[{k},{n}] A) => (float[{m},{n}] Y)")
    print(f"  <float[{m},{k}] W = {{{values}}}>")
    print("{\n  Y = MatMul(W, A)\n}")
    sys.exit(0)
print('<ir_version: 8, opset_import: ["" : 17], producer_name: "kiln-test">')
print(f"weights (float[{m},{k}] A) => (float[{m},{n}] Y)")
print(f"  <float[{f'{n},{k}' if trans else f'{k},{n}'}] W = {{{values}}}>")
print("{")
print("  Y = Gemm<transB = 1>(A, W)" if trans else "  Y = MatMul(A, W)")
print("}")
