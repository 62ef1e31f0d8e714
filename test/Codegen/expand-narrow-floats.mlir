// RUN: kiln-opt %s --kiln-expand-narrow-floats | FileCheck %s
// RUN: kiln-opt %s --kiln-expand-narrow-floats | FileCheck %s --check-prefix=NOT

// The NOT prefix holds only labels and CHECK-NOTs: each NOT-NOT scans its
// whole function, so an original op left anywhere in it fails.

// A select of bf16 picks between the bits.
// CHECK-LABEL: func.func @select_bf16(
// CHECK-SAME: %[[C:.*]]: i1, %[[A:.*]]: bf16, %[[B:.*]]: bf16)
// CHECK-DAG: %[[AI:.*]] = arith.bitcast %[[A]] : bf16 to i16
// CHECK-DAG: %[[BI:.*]] = arith.bitcast %[[B]] : bf16 to i16
// CHECK: %[[S:.*]] = arith.select %[[C]], %[[AI]], %[[BI]] : i16
// CHECK: %[[R:.*]] = arith.bitcast %[[S]] : i16 to bf16
// CHECK: return %[[R]]
// NOT-LABEL: func.func @select_bf16(
// NOT-NOT: arith.select {{.*}} : bf16
func.func @select_bf16(%c: i1, %a: bf16, %b: bf16) -> bf16 {
  %s = arith.select %c, %a, %b : bf16
  return %s : bf16
}

// f32 -> f8E4M3FN: rebias by 127 - 7, keep 3 mantissa bits, round to
// nearest even, overflow (past 0x7E) to the NaN 0x7F, then the sign.
// CHECK-LABEL: func.func @trunc_e4m3fn(
// CHECK-SAME: %[[X:[^:]*]]: f32)
// CHECK: %[[BITS:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK: %[[C31:.*]] = arith.constant 31 : i32
// CHECK: %[[SIGN:.*]] = arith.shrui %[[BITS]], %[[C31]] : i32
// CHECK: %[[CMAG:.*]] = arith.constant 2147483647 : i32
// CHECK: %[[MAG:.*]] = arith.andi %[[BITS]], %[[CMAG]] : i32
// CHECK: %[[CINF:.*]] = arith.constant 2139095040 : i32
// CHECK: %[[ISNAN:.*]] = arith.cmpi ugt, %[[MAG]], %[[CINF]] : i32
// CHECK: %[[C23:.*]] = arith.constant 23 : i32
// CHECK: %[[EXPB:.*]] = arith.shrui %[[MAG]], %[[C23]] : i32
// CHECK: %[[C127:.*]] = arith.constant 127 : i32
// CHECK: %[[EXP:.*]] = arith.subi %[[EXPB]], %[[C127]] : i32
// CHECK: %[[C7:.*]] = arith.constant 7 : i32
// CHECK: %[[REB:.*]] = arith.addi %[[EXP]], %[[C7]] : i32
// Round to nearest even: the kept bits plus the carry.
// CHECK: %[[CARRY:.*]] = arith.extui %{{.*}} : i1 to i32
// CHECK: %[[ROUNDED:.*]] = arith.addi %{{.*}}, %[[CARRY]] : i32
// CHECK: %[[C126:.*]] = arith.constant 126 : i32
// CHECK: %[[OVF:.*]] = arith.cmpi sgt, %[[ROUNDED]], %[[C126]] : i32
// CHECK: %[[C127B:.*]] = arith.constant 127 : i32
// CHECK: %[[SAT:.*]] = arith.select %[[OVF]], %[[C127B]], %[[ROUNDED]] : i32
// CHECK: %[[C7B:.*]] = arith.constant 7 : i32
// CHECK: %[[SIGNBIT:.*]] = arith.shli %[[SIGN]], %[[C7B]] : i32
// CHECK: %[[VAL:.*]] = arith.ori %[[SAT]], %[[SIGNBIT]] : i32
// CHECK: %[[C127C:.*]] = arith.constant 127 : i32
// CHECK: %[[NAN:.*]] = arith.ori %[[C127C]], %[[SIGNBIT]] : i32
// CHECK: %[[OUT:.*]] = arith.select %[[ISNAN]], %[[NAN]], %[[VAL]] : i32
// CHECK: %[[B8:.*]] = arith.trunci %[[OUT]] : i32 to i8
// CHECK: %[[R:.*]] = arith.bitcast %[[B8]] : i8 to f8E4M3FN
// CHECK: return %[[R]]
// NOT-LABEL: func.func @trunc_e4m3fn(
// NOT-NOT: arith.truncf
func.func @trunc_e4m3fn(%x: f32) -> f8E4M3FN {
  %t = arith.truncf %x : f32 to f8E4M3FN
  return %t : f8E4M3FN
}

// f16 sources widen to f32 first. E5M2 rebiases by 15, overflows (past
// 0x7B) to the infinity 0x7C, and its NaN is 0x7E.
// CHECK-LABEL: func.func @trunc_f16_e5m2(
// CHECK-SAME: %[[X:[^:]*]]: f16)
// CHECK: %[[W:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK: %[[BITS:.*]] = arith.bitcast %[[W]] : f32 to i32
// CHECK: %[[C15:.*]] = arith.constant 15 : i32
// CHECK: arith.addi %{{.*}}, %[[C15]] : i32
// CHECK: %[[C123:.*]] = arith.constant 123 : i32
// CHECK: %[[OVF:.*]] = arith.cmpi sgt, %[[ROUNDED:.*]], %[[C123]] : i32
// CHECK: %[[C124:.*]] = arith.constant 124 : i32
// CHECK: %[[SAT:.*]] = arith.select %[[OVF]], %[[C124]], %[[ROUNDED]] : i32
// CHECK: %[[SIGNBIT:.*]] = arith.shli
// CHECK: %[[VAL:.*]] = arith.ori %[[SAT]], %[[SIGNBIT]] : i32
// CHECK: %[[C126:.*]] = arith.constant 126 : i32
// CHECK: %[[NAN:.*]] = arith.ori %[[C126]], %[[SIGNBIT]] : i32
// CHECK: %[[OUT:.*]] = arith.select %{{.*}}, %[[NAN]], %[[VAL]] : i32
// CHECK: %[[B8:.*]] = arith.trunci %[[OUT]] : i32 to i8
// CHECK: %[[R:.*]] = arith.bitcast %[[B8]] : i8 to f8E5M2
// CHECK: return %[[R]]
// NOT-LABEL: func.func @trunc_f16_e5m2(
// NOT-NOT: arith.truncf
func.func @trunc_f16_e5m2(%x: f16) -> f8E5M2 {
  %t = arith.truncf %x : f16 to f8E5M2
  return %t : f8E5M2
}

// f8E5M2FNUZ -> f32: subnormals scale the mantissa by 2^(1 - 16 - 2); the
// NaN is 0x80 alone. Normal values rebias by 127 - 16 = 111.
// CHECK-LABEL: func.func @ext_e5m2fnuz(
// CHECK-SAME: %[[X:[^:]*]]: f8E5M2FNUZ)
// CHECK: %[[B8:.*]] = arith.bitcast %[[X]] : f8E5M2FNUZ to i8
// CHECK: %[[BITS:.*]] = arith.extui %[[B8]] : i8 to i32
// CHECK: %[[C127:.*]] = arith.constant 127 : i32
// CHECK: %[[MAG:.*]] = arith.andi %[[BITS]], %[[C127]] : i32
// CHECK: %[[C2:.*]] = arith.constant 2 : i32
// CHECK: %[[EXP:.*]] = arith.shrui %[[MAG]], %[[C2]] : i32
// CHECK: %[[C3:.*]] = arith.constant 3 : i32
// CHECK: %[[MAN:.*]] = arith.andi %[[MAG]], %[[C3]] : i32
// CHECK: %[[C111:.*]] = arith.constant 111 : i32
// CHECK: %[[REB:.*]] = arith.addi %[[EXP]], %[[C111]] : i32
// CHECK: %[[C23:.*]] = arith.constant 23 : i32
// CHECK: %[[EBITS:.*]] = arith.shli %[[REB]], %[[C23]] : i32
// CHECK: %[[C21:.*]] = arith.constant 21 : i32
// CHECK: %[[MBITS:.*]] = arith.shli %[[MAN]], %[[C21]] : i32
// CHECK: %[[NBITS:.*]] = arith.ori %[[EBITS]], %[[MBITS]] : i32
// CHECK: %[[NORMAL:.*]] = arith.bitcast %[[NBITS]] : i32 to f32
// CHECK: %[[MANF:.*]] = arith.uitofp %[[MAN]] : i32 to f32
// CHECK: %[[SCALE:.*]] = arith.constant 7.62939453E-6 : f32
// CHECK: %[[SUB:.*]] = arith.mulf %[[MANF]], %[[SCALE]] : f32
// CHECK: %[[C0:.*]] = arith.constant 0 : i32
// CHECK: %[[ISSUB:.*]] = arith.cmpi eq, %[[EXP]], %[[C0]] : i32
// CHECK: %[[ABS:.*]] = arith.select %[[ISSUB]], %[[SUB]], %[[NORMAL]] : f32
// CHECK: %[[C7:.*]] = arith.constant 7 : i32
// CHECK: %[[SBIT:.*]] = arith.shrui %[[BITS]], %[[C7]] : i32
// CHECK: %[[NEG:.*]] = arith.cmpi ne, %[[SBIT]], %{{.*}} : i32
// CHECK: %[[MINUS:.*]] = arith.negf %[[ABS]] : f32
// CHECK: %[[SIGNED:.*]] = arith.select %[[NEG]], %[[MINUS]], %[[ABS]] : f32
// CHECK: %[[C128:.*]] = arith.constant 128 : i32
// CHECK: %[[ISNAN:.*]] = arith.cmpi eq, %[[BITS]], %[[C128]] : i32
// CHECK: %[[QNAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK: %[[R:.*]] = arith.select %[[ISNAN]], %[[QNAN]], %[[SIGNED]] : f32
// CHECK: return %[[R]]
// NOT-LABEL: func.func @ext_e5m2fnuz(
// NOT-NOT: arith.extf
func.func @ext_e5m2fnuz(%x: f8E5M2FNUZ) -> f32 {
  %e = arith.extf %x : f8E5M2FNUZ to f32
  return %e : f32
}

// Other conversions are left alone.
// CHECK-LABEL: func.func @f16_to_f32(
// CHECK-SAME: %[[X:[^:]*]]: f16)
// CHECK: %[[E:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK: return %[[E]]
// NOT-LABEL: func.func @f16_to_f32(
// NOT-NOT: arith.bitcast
func.func @f16_to_f32(%x: f16) -> f32 {
  %e = arith.extf %x : f16 to f32
  return %e : f32
}
