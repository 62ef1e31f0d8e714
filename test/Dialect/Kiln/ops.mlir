// The kiln dialect's ops print and parse back.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @dot_u8s8
// CHECK: kiln.dot_u8s8 %{{.*}}, %{{.*}}, %{{.*}} : vector<64xi8> into vector<16xi32>
// CHECK: kiln.dot_u8s8 %{{.*}}, %{{.*}}, %{{.*}} : vector<32xi8> into vector<8xi32>
func.func @dot_u8s8(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>,
                    %acc8: vector<8xi32>, %a32: vector<32xi8>) -> (vector<16xi32>, vector<8xi32>) {
  %0 = kiln.dot_u8s8 %acc, %a, %b : vector<64xi8> into vector<16xi32>
  %1 = kiln.dot_u8s8 %acc8, %a32, %a32 : vector<32xi8> into vector<8xi32>
  return %0, %1 : vector<16xi32>, vector<8xi32>
}
