// The kiln dialect checks what its attributes hold.
// RUN: kiln-opt %s --split-input-file --verify-diagnostics

// expected-error @below {{'kiln.lowering_config' must be a #kiln.lowering_config}}
func.func @config() attributes {kiln.lowering_config = 3} { return }

// -----

// expected-error @below {{'kiln.workspace_bytes' must be an integer}}
func.func @workspace() attributes {kiln.workspace_bytes = "x"} { return }

// -----

// expected-error @below {{'kiln.dim_bounds' must be a dictionary of array<i64: min, max>}}
module attributes {kiln.dim_bounds = {batch = array<i64: 4, 1>}} {}

// -----

// expected-error @below {{tile sizes must be >= 0}}
func.func @negative() attributes {kiln.lowering_config = #kiln.lowering_config<tile_sizes = [array<i64: -1>]>} { return }

// -----

// expected-error @below {{unknown strategy 'winograd' (expected 'im2col' or 'transposed_output')}}
func.func @strategy() attributes {kiln.lowering_config = #kiln.lowering_config<strategy = "winograd">} { return }

// -----

// expected-error @below {{each tile_interchange must be a permutation}}
func.func @interchange() attributes {kiln.lowering_config = #kiln.lowering_config<tile_interchange = [array<i64: 0, 0, 1>]>} { return }

// -----

func.func @dot_u8s8_lanes(%acc: vector<16xi32>, %a: vector<32xi8>) -> vector<16xi32> {
  // expected-error @below {{needs 4 bytes of each operand per i32 lane}}
  %0 = kiln.dot_u8s8 %acc, %a, %a : vector<32xi8> into vector<16xi32>
  return %0 : vector<16xi32>
}
