// RUN: kiln-opt %s --kiln-plan-workspace --split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-plan-workspace=alignment=128 --split-input-file | FileCheck %s --check-prefix=ALIGN

// Three buffers: %a (512 bytes) and %b (400, padded to 448) are live
// together; %c only after %a's last use, so %c reuses %a's bytes.
// CHECK-LABEL: func.func @reuse(
// CHECK-SAME: %{{.*}}: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>, %[[WS:.*]]: memref<960xi8> {kiln.workspace})
// CHECK-SAME: attributes {kiln.workspace_bytes = 960 : i64}
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[C0]]][] : memref<960xi8> to memref<128xf32>
// CHECK: %[[C512:.*]] = arith.constant 512 : index
// CHECK: memref.view %[[WS]][%[[C512]]][] : memref<960xi8> to memref<100xf32>
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[C0B]]][] : memref<960xi8> to memref<112xf32>
// CHECK-NOT: memref.alloc
// With 128-byte alignment %b takes 512 bytes.
// ALIGN: kiln.workspace_bytes = 1024
func.func @reuse(%in: memref<4xf32>, %out: memref<4xf32>) {
  %f = arith.constant 1.0 : f32
  %a = memref.alloc() : memref<128xf32>
  %b = memref.alloc() : memref<100xf32>
  linalg.fill ins(%f : f32) outs(%a : memref<128xf32>)
  %sub = memref.subview %a[0] [64] [1] : memref<128xf32> to memref<64xf32, strided<[1]>>
  %bsub = memref.subview %b[0] [64] [1] : memref<100xf32> to memref<64xf32, strided<[1]>>
  memref.copy %sub, %bsub : memref<64xf32, strided<[1]>> to memref<64xf32, strided<[1]>>
  %c = memref.alloc() : memref<112xf32>
  linalg.fill ins(%f : f32) outs(%c : memref<112xf32>)
  %s2 = memref.subview %b[0] [4] [1] : memref<100xf32> to memref<4xf32, strided<[1]>>
  memref.copy %s2, %out : memref<4xf32, strided<[1]>> to memref<4xf32>
  %s3 = memref.subview %c[0] [4] [1] : memref<112xf32> to memref<4xf32, strided<[1]>>
  memref.copy %s3, %out : memref<4xf32, strided<[1]>> to memref<4xf32>
  return
}

// -----

// Dynamic allocs and returned buffers stay; a function without buffers
// still gets an empty workspace.
// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME: %{{.*}}: index, %{{.*}}: memref<0xi8> {kiln.workspace}) -> memref<4xf32>
// CHECK-SAME: kiln.workspace_bytes = 0
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: memref.alloc() : memref<4xf32>
func.func @dynamic(%n: index) -> memref<4xf32> {
  %d = memref.alloc(%n) : memref<?xf32>
  %r = memref.alloc() : memref<4xf32>
  memref.dealloc %d : memref<?xf32>
  return %r : memref<4xf32>
}
