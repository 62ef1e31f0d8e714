// RUN: kiln-opt %s --kiln-outline-segments=calls-per-segment=2 | FileCheck %s

// Runs of at most two kernel calls become noinline segments. The views the
// calls use are recomputed inside each segment from the segment's
// arguments (the graph's own); the run-time alloc and the copy, which have
// side effects, stay in the graph function and end a run; a run of one
// call is left alone. The views left unused go in the next canonicalization.
// CHECK-LABEL: func.func @graph(
// CHECK-SAME: %[[X:[^:]*]]: memref<8xf32>, %[[W:[^:]*]]: memref<128xi8>, %[[Y:[^:]*]]: memref<8xf32>)
// CHECK: call @graph_segment0(%[[X]], %[[W]]) : (memref<8xf32>, memref<128xi8>) -> ()
// CHECK-NEXT: call @graph_segment1(%[[W]]) : (memref<128xi8>) -> ()
// CHECK: %[[A:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT: memref.copy %{{.*}}, %[[A]]
// CHECK-NEXT: call @k(%[[A]], %[[Y]])
// CHECK-NEXT: return
// CHECK: func.func private @graph_segment0(%[[SX:.*]]: memref<8xf32>, %[[SW:.*]]: memref<128xi8>) attributes {passthrough = ["noinline"]}
// CHECK: %[[V0:.*]] = memref.view %[[SW]][%{{.*}}][] : memref<128xi8> to memref<8xf32>
// CHECK-NEXT: call @k(%[[SX]], %[[V0]])
// CHECK: %[[V1:.*]] = memref.view %[[SW]]
// CHECK-NEXT: call @k(%[[V0]], %[[V1]])
// CHECK-NEXT: return
// CHECK: func.func private @graph_segment1(
// CHECK-COUNT-2: call @k(
// CHECK-NEXT: return
func.func private @k(memref<8xf32>, memref<8xf32>)
func.func @graph(%x: memref<8xf32>, %ws: memref<128xi8>, %y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %a = memref.view %ws[%c0][] : memref<128xi8> to memref<8xf32>
  %b = memref.view %ws[%c64][] : memref<128xi8> to memref<8xf32>
  call @k(%x, %a) : (memref<8xf32>, memref<8xf32>) -> ()
  call @k(%a, %b) : (memref<8xf32>, memref<8xf32>) -> ()
  call @k(%b, %a) : (memref<8xf32>, memref<8xf32>) -> ()
  call @k(%a, %b) : (memref<8xf32>, memref<8xf32>) -> ()
  %t = memref.alloc() : memref<8xf32>
  memref.copy %b, %t : memref<8xf32> to memref<8xf32>
  call @k(%t, %y) : (memref<8xf32>, memref<8xf32>) -> ()
  return
}
