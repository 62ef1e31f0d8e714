// A call of a kiln.parallel_task function over [0, n) becomes a call of
// the ABI runtime's kiln_rt_parallel_for(n, entry, args): the captured
// values are stored in a struct on the caller's stack (allocated at its
// entry), and the entry, a kiln_task_fn, loads them and calls the task.
// RUN: kiln-opt %s --kiln-lower-parallel-calls | FileCheck %s

llvm.func @task(%begin: i64, %end: i64, %data: !llvm.ptr, %scale: f32) attributes {kiln.parallel_task} {
  llvm.return
}

llvm.func @graph(%data: !llvm.ptr, %scale: f32, %n: i64) {
  %zero = llvm.mlir.constant(0 : i64) : i64
  llvm.call @task(%zero, %n, %data, %scale) : (i64, i64, !llvm.ptr, f32) -> ()
  llvm.return
}
// CHECK-LABEL: llvm.func internal @task_entry
// CHECK-SAME: (%[[ARGS:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0, 0] {{.*}} !llvm.struct<(ptr, f32)>
// CHECK: %[[DATA:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[ARGS]][0, 1]
// CHECK: %[[SCALE:.*]] = llvm.load %[[P1]] : !llvm.ptr -> f32
// CHECK: llvm.call @task(%[[BEGIN]], %[[END]], %[[DATA]], %[[SCALE]])

// CHECK-LABEL: llvm.func @graph
// CHECK-SAME: (%[[D:.*]]: !llvm.ptr, %[[S:.*]]: f32, %[[N:.*]]: i64)
// CHECK: %[[STRUCT:.*]] = llvm.alloca {{.*}} x !llvm.struct<(ptr, f32)>
// CHECK: %[[F0:.*]] = llvm.getelementptr %[[STRUCT]][0, 0]
// CHECK: llvm.store %[[D]], %[[F0]]
// CHECK: %[[F1:.*]] = llvm.getelementptr %[[STRUCT]][0, 1]
// CHECK: llvm.store %[[S]], %[[F1]]
// CHECK: %[[FN:.*]] = llvm.mlir.addressof @task_entry
// CHECK: llvm.call @kiln_rt_parallel_for(%[[N]], %[[FN]], %[[STRUCT]])
// CHECK-NOT: llvm.call @task(
// CHECK: llvm.return

// CHECK: llvm.func @kiln_rt_parallel_for(i64, !llvm.ptr, !llvm.ptr)
