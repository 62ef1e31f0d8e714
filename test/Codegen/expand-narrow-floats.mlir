// RUN: kiln-opt %s --kiln-expand-narrow-floats | FileCheck %s

// A select of bf16 picks between the bits.
// CHECK-LABEL: func.func @select_bf16(
// CHECK-SAME: %[[C:.*]]: i1, %[[A:.*]]: bf16, %[[B:.*]]: bf16)
// CHECK-DAG: %[[AI:.*]] = arith.bitcast %[[A]] : bf16 to i16
// CHECK-DAG: %[[BI:.*]] = arith.bitcast %[[B]] : bf16 to i16
// CHECK: %[[S:.*]] = arith.select %[[C]], %[[AI]], %[[BI]] : i16
// CHECK: %[[R:.*]] = arith.bitcast %[[S]] : i16 to bf16
// CHECK: return %[[R]]
func.func @select_bf16(%c: i1, %a: bf16, %b: bf16) -> bf16 {
  %s = arith.select %c, %a, %b : bf16
  return %s : bf16
}

// f32 -> f8E4M3FN: rebias by 127 - 7, keep 3 mantissa bits, round to
// nearest even, overflow (past 0x7E) to the NaN 0x7F, then the sign.
// CHECK-LABEL: func.func @trunc_e4m3fn(
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK-DAG: arith.constant 2139095040 : i32
// CHECK-DAG: arith.constant 126 : i32
// CHECK-DAG: arith.constant 127 : i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[R:.*]] = arith.bitcast %{{.*}} : i8 to f8E4M3FN
// CHECK-NOT: arith.truncf
// CHECK: return %[[R]]
func.func @trunc_e4m3fn(%x: f32) -> f8E4M3FN {
  %t = arith.truncf %x : f32 to f8E4M3FN
  return %t : f8E4M3FN
}

// f16 sources widen to f32 first.
// CHECK-LABEL: func.func @trunc_f16_e5m2(
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @trunc_f16_e5m2(%x: f16) -> f8E5M2 {
  %t = arith.truncf %x : f16 to f8E5M2
  return %t : f8E5M2
}

// f8E5M2FNUZ -> f32: subnormals scale the mantissa by 2^(1 - 16 - 2); the
// NaN is 0x80 alone.
// CHECK-LABEL: func.func @ext_e5m2fnuz(
// CHECK: arith.bitcast %{{.*}} : f8E5M2FNUZ to i8
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.constant 7.62939453E-6 : f32
// CHECK: arith.constant 128 : i32
// CHECK: arith.constant 0x7FC00000 : f32
// CHECK-NOT: arith.extf
func.func @ext_e5m2fnuz(%x: f8E5M2FNUZ) -> f32 {
  %e = arith.extf %x : f8E5M2FNUZ to f32
  return %e : f32
}

// Other conversions are left alone.
// CHECK-LABEL: func.func @f16_to_f32(
// CHECK: arith.extf %{{.*}} : f16 to f32
func.func @f16_to_f32(%x: f16) -> f32 {
  %e = arith.extf %x : f16 to f32
  return %e : f32
}
