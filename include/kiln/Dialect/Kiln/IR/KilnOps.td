//===- KilnOps.td - the kiln dialect's ops -----------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Vector operations that kiln's microkernels need and upstream MLIR has no
// op for, each lowered to its instruction's LLVM intrinsic in the llvm
// phase (kiln-lower-dot-products).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_KILN_IR_KILNOPS_TD
#define KILN_DIALECT_KILN_IR_KILNOPS_TD

include "kiln/Dialect/Kiln/IR/KilnBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kiln_DotU8S8Op : Op<Kiln_Dialect, "dot_u8s8",
    [Pure, AllTypesMatch<["acc", "result"]>, AllTypesMatch<["a", "b"]>]> {
  let summary = "Sums of 4 u8 x s8 products added to each i32 lane";
  let description = [{
    Lane i of the result is `acc[i] + sum_{j<4} zext(a[4i+j]) * sext(b[4i+j])`,
    wrapping in i32: x86 VNNI's `vpdpbusd` (AVX512-VNNI on 512 bits,
    AVX-VNNI or AVX512-VNNI with VL on 256). `a` holds the unsigned bytes,
    `b` the signed ones.

    ```mlir
    %r = kiln.dot_u8s8 %acc, %a, %b : vector<64xi8> into vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[8, 16], [I32]>:$acc,
                       VectorOfLengthAndType<[32, 64], [I8]>:$a,
                       VectorOfLengthAndType<[32, 64], [I8]>:$b);
  let results = (outs VectorOfLengthAndType<[8, 16], [I32]>:$result);
  let assemblyFormat =
      "$acc `,` $a `,` $b attr-dict `:` type($a) `into` type($acc)";
  let hasVerifier = 1;
}

#endif // KILN_DIALECT_KILN_IR_KILNOPS_TD
