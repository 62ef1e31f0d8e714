// erf, tanh and exp on f32 vectors become upstream's polynomial approximations
// (LLVM would call libm once per lane); scalars, and other element types,
// keep their math op for libm.
// RUN: kiln-opt %s --kiln-approximate-vector-math | FileCheck %s

func.func @gelu_parts(%x: vector<16xf32>, %s: f32, %d: vector<4xf64>) -> (vector<16xf32>, f32, vector<4xf64>) {
  %e = math.exp %x : vector<16xf32>
  %0 = math.erf %e : vector<16xf32>
  %1 = math.tanh %0 : vector<16xf32>
  %2 = math.erf %s : f32
  %3 = math.tanh %d : vector<4xf64>
  return %1, %2, %3 : vector<16xf32>, f32, vector<4xf64>
}
// CHECK-LABEL: func.func @gelu_parts
// CHECK-NOT: math.exp {{.*}} : vector<16xf32>
// CHECK-NOT: math.erf {{.*}} : vector<16xf32>
// CHECK-NOT: math.tanh {{.*}} : vector<16xf32>
// CHECK-DAG: math.fma {{.*}} : vector<16xf32>
// CHECK-DAG: math.erf %{{.*}} : f32
// CHECK-DAG: math.tanh %{{.*}} : vector<4xf64>

// A power with a constant exponent becomes products (x^3: x * x * x) or a
// square root (x^0.5); one with a computed exponent stays math.powf.
func.func @powers(%x: vector<16xf32>, %s: f32, %e: f32) -> (vector<16xf32>, f32, f32) {
  %three = arith.constant dense<3.0> : vector<16xf32>
  %half = arith.constant 0.5 : f32
  %0 = math.powf %x, %three : vector<16xf32>
  %1 = math.powf %s, %half : f32
  %2 = math.powf %s, %e : f32
  return %0, %1, %2 : vector<16xf32>, f32, f32
}
// CHECK-LABEL: func.func @powers
// CHECK: %[[SQ:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: arith.mulf %{{.*}}, %[[SQ]] : vector<16xf32>
// CHECK: math.sqrt %{{.*}} : f32
// CHECK: math.powf %{{.*}}, %{{.*}} : f32
// CHECK-NOT: math.powf
