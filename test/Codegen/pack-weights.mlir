// RUN: kiln-opt %s --kiln-pack-weights=min-bytes=16 | FileCheck %s
// RUN: kiln-opt %s --kiln-pack-weights=min-bytes=16 --kiln-llvm-pipeline \
// RUN:   | FileCheck %s --check-prefix=LLVM

// Non-splat constants of at least 16 bytes move into one blob, each at a
// multiple of 64 bytes: @a (dense) at 0, @r (a resource) at 64, @c at 128.
// The splat, the small constant, the bit-packed i1 constant and the
// mutable global stay separate globals.
// CHECK: memref.global "private" constant @__kiln_weights : memref<160xi8> = dense_resource<__kiln_weights> {alignment = 64 : i64}
// CHECK-NOT: @a :
// CHECK-NOT: @r :
// CHECK-NOT: @c :
// CHECK-DAG: memref.global "private" constant @b : memref<4x2xi32> = dense<7>
// CHECK-DAG: memref.global "private" constant @small : memref<2xf32>
// CHECK-DAG: memref.global "private" constant @bits : memref<24xi1>
// CHECK-DAG: memref.global "private" @mutable : memref<8xf32>
// CHECK-LABEL: func.func @use
// CHECK: %[[W0:.*]] = memref.get_global @__kiln_weights : memref<160xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[W0]][%[[C0]]][] : memref<160xi8> to memref<2x3xf32>
// CHECK: memref.get_global @b
// CHECK: %[[W1:.*]] = memref.get_global @__kiln_weights
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[R:.*]] = memref.view %[[W1]][%[[C64]]][] : memref<160xi8> to memref<4xi32>
// CHECK: %[[W2:.*]] = memref.get_global @__kiln_weights
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[C:.*]] = memref.view %[[W2]][%[[C128]]][] : memref<160xi8> to memref<4x2xi32>
// CHECK: return %[[A]], %{{.*}}, %[[R]], %[[C]],
// The blob holds @a's bytes (little-endian 1.0 ... 2.0), zeros to 64, @r's
// (1, 2, 3, 4), zeros to 128, then @c's (7, 0 ..., -1). The resource @r
// held is released: it is no longer printed.
// CHECK-NOT: r_bytes
// CHECK: __kiln_weights: "0x40000000
// CHECK-SAME: 0000803F0000803F0000803F0000803F0000803F0000004000000000000000000000000000000000000000000000000000000000000000000000000000000000
// CHECK-SAME: 01000000020000000300000004000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
// CHECK-SAME: 07000000000000000000000000000000000000000000000000000000FFFFFFFF"
// CHECK-NOT: r_bytes

// The LLVM phase reads the tensors at byte offsets into one i8 array.
// LLVM: llvm.mlir.global private constant @__kiln_weights(dense_resource<__kiln_weights> : tensor<160xi8>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<160 x i8>
// LLVM: %[[W:.*]] = llvm.mlir.addressof @__kiln_weights : !llvm.ptr
// LLVM: llvm.getelementptr %[[W]][0, 0]
// LLVM: %[[P64:.*]] = llvm.getelementptr %[[W]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.array<160 x i8>
// LLVM: llvm.getelementptr %[[P64]][64] : (!llvm.ptr) -> !llvm.ptr, i8
// LLVM: %[[P128:.*]] = llvm.getelementptr %[[W]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.array<160 x i8>
// LLVM: llvm.getelementptr %[[P128]][128] : (!llvm.ptr) -> !llvm.ptr, i8

memref.global "private" constant @a : memref<2x3xf32> = dense<[[1.0, 1.0, 1.0], [1.0, 1.0, 2.0]]>
memref.global "private" constant @b : memref<4x2xi32> = dense<7>
memref.global "private" constant @r : memref<4xi32> = dense_resource<r_bytes>
memref.global "private" constant @c : memref<4x2xi32> = dense<[[7, 0], [0, 0], [0, 0], [0, -1]]>
memref.global "private" constant @small : memref<2xf32> = dense<[1.0, 2.0]>
memref.global "private" constant @bits : memref<24xi1> = dense<[true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false, true, false]>
memref.global "private" @mutable : memref<8xf32> = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]>
func.func @use() -> (memref<2x3xf32>, memref<4x2xi32>, memref<4xi32>, memref<4x2xi32>, memref<2xf32>, memref<24xi1>, memref<8xf32>) {
  %a = memref.get_global @a : memref<2x3xf32>
  %b = memref.get_global @b : memref<4x2xi32>
  %r = memref.get_global @r : memref<4xi32>
  %c = memref.get_global @c : memref<4x2xi32>
  %s = memref.get_global @small : memref<2xf32>
  %i = memref.get_global @bits : memref<24xi1>
  %m = memref.get_global @mutable : memref<8xf32>
  return %a, %b, %r, %c, %s, %i, %m : memref<2x3xf32>, memref<4x2xi32>, memref<4xi32>, memref<4x2xi32>, memref<2xf32>, memref<24xi1>, memref<8xf32>
}

{-#
  dialect_resources: {
    builtin: {
      r_bytes: "0x0400000001000000020000000300000004000000"
    }
  }
#-}
