// The outermost kiln.parallel loop that runs more than once moves into a
// task function over [begin, end) of its iterations; the loop becomes a
// call over [0, trip count). Marks inside it and on loops that stay are
// removed.
// RUN: kiln-opt %s --split-input-file --kiln-outline-parallel-loops | FileCheck %s

func.func @rows(%in: memref<64x32xf32>, %out: memref<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %cst = arith.constant 2.0 : f32
  scf.for %i = %c4 to %c64 step %c4 {
    // Scratch of the body: each task's own, on its stack.
    %tmp = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
    scf.for %j = %c0 to %c32 step %c1 {
      %x = memref.load %in[%i, %j] : memref<64x32xf32>
      %y = arith.mulf %x, %cst : f32
      memref.store %y, %tmp[%j] : memref<32xf32>
    } {kiln.parallel}
    scf.for %j = %c0 to %c32 step %c1 {
      %y = memref.load %tmp[%j] : memref<32xf32>
      memref.store %y, %out[%i, %j] : memref<64x32xf32>
    }
  } {kiln.parallel}
  return
}
// CHECK-LABEL: func.func @rows
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[RANGE:.*]] = arith.subi %[[C64]], %[[C4]]
// CHECK: %[[TRIPS:.*]] = arith.ceildivsi %[[RANGE]], %[[C4]]
// CHECK: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK: call @rows_task0(%[[ZERO]], %[[TRIPS]], %arg0, %arg1)
// CHECK-NOT: scf.for
// CHECK: return

// CHECK: func.func private @rows_task0(%[[BEGIN:.*]]: index, %[[END:.*]]: index, %{{.*}}: memref<64x32xf32>, %{{.*}}: memref<64x32xf32>)
// CHECK-SAME: kiln.parallel_task
// CHECK-SAME: passthrough = ["noinline"]
// CHECK: %[[TMP:.*]] = memref.alloca() {alignment = 64 : i64} : memref<32xf32>
// CHECK: %[[STEP:.*]] = arith.constant 4 : index
// CHECK: scf.for %[[I:.*]] = %[[BEGIN]] to %[[END]] step
// CHECK: %[[OFFSET:.*]] = arith.muli %[[I]], %[[STEP]]
// CHECK: %[[ROW:.*]] = arith.addi %[[STEP]], %[[OFFSET]]
// CHECK-NOT: memref.alloc()
// CHECK: memref.load %arg2[%[[ROW]]
// CHECK: memref.store {{.*}}, %[[TMP]]
// CHECK-NOT: kiln.parallel
// CHECK: return

// -----

// Not tasks: a loop that runs once (its marked inner loop is the task
// instead), a loop with results, one whose scratch is dynamic, and an
// unmarked loop.
func.func @not_tasks(%out: memref<8x16xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %cst = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c8 step %c8 {
    scf.for %j = %c0 to %c16 step %c1 {
      memref.store %cst, %out[%i, %j] : memref<8x16xf32>
    } {kiln.parallel}
  } {kiln.parallel}
  %sum = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %cst) -> (f32) {
    %x = memref.load %out[%i, %c0] : memref<8x16xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  } {kiln.parallel}
  scf.for %i = %c0 to %c8 step %c1 {
    %tmp = memref.alloc(%n) : memref<?xf32>
    memref.store %cst, %tmp[%c0] : memref<?xf32>
  } {kiln.parallel}
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %cst, %out[%i, %c0] : memref<8x16xf32>
  }
  return %sum : f32
}
// CHECK-LABEL: func.func @not_tasks
// CHECK: scf.for {{.*}} to %c8 step %c8 {
// CHECK-NOT: scf.for
// CHECK: call @not_tasks_task0
// CHECK: scf.for {{.*}} iter_args
// CHECK: scf.for
// CHECK: memref.alloc(
// CHECK: scf.for
// CHECK-NOT: kiln.parallel
// CHECK: func.func private @not_tasks_task0

// -----

// A band: a marked loop with constant bounds that is the only op with
// effects in the body of the one before collapses into one range of
// 3 x 8 iterations, the inner loop's index the faster.
func.func @band(%out: memref<6x64xf32>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c6 = arith.constant 6 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %cst = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c6 step %c2 {
    %rows = memref.subview %out[%i, 0] [2, 64] [1, 1] : memref<6x64xf32> to memref<2x64xf32, strided<[64, 1], offset: ?>>
    scf.for %j = %c0 to %c64 step %c8 {
      memref.store %cst, %rows[%c0, %j] : memref<2x64xf32, strided<[64, 1], offset: ?>>
    } {kiln.parallel}
  } {kiln.parallel}
  return
}
// CHECK-LABEL: func.func @band
// CHECK: %[[TRIPS:.*]] = arith.muli %{{.*}}, %[[C8:.*]] : index
// CHECK: call @band_task0(%{{.*}}, %[[TRIPS]], %arg0)
// CHECK: func.func private @band_task0
// CHECK: scf.for %[[FLAT:.*]] = %arg0 to %arg1
// CHECK: %[[J:.*]] = arith.remui %[[FLAT]], %[[EIGHT:.*]] : index
// CHECK: %[[I:.*]] = arith.divui %[[FLAT]], %[[EIGHT]] : index
// CHECK: arith.muli %[[J]]
// CHECK: arith.muli %[[I]]
// CHECK: memref.subview
// CHECK-NOT: scf.for
// CHECK: memref.store
