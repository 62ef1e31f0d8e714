//===- Passes.td - kiln codegen passes ---------------------*- tablegen -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PASSES_TD
#define KILN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldConstantTransposesPass
    : Pass<"kiln-fold-constant-transposes", "::mlir::func::FuncOp"> {
  let summary = "Transpose constant weights at compile time";
  let description = [{
    A `linalg.transpose` of a constant (Gemm's `transB` of its weights)
    becomes the transposed constant, a resource blob, so that the model
    does not copy its weights into a new layout on every run.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def FuseElementwisePass
    : Pass<"kiln-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse chains of elementwise ops into one pass over memory";
  let description = [{
    Each ONNX elementwise node becomes its own `linalg.generic`: a GELU or
    a LayerNorm is then a chain of loops, each reading and writing a whole
    tensor. This pass fuses an elementwise producer into the generic that
    reads it (upstream's elementwise fusion), so the chain computes each
    element once, in registers. It fuses only where that computes nothing
    twice and keeps what later decisions rely on:
    - the producer is all-parallel, its body plain arithmetic (no indices,
      no `tensor.extract`), and the consumer is its only user;
    - the consumer reads it through a permutation of its loops (once per
      element: no broadcast that would recompute it), so a contraction or
      convolution, which reads its inputs through projections, keeps its
      form.
    Splat constants and fills read by a generic become scalars in its body.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def SelectLoweringConfigPass
    : Pass<"kiln-select-lowering-config", "::mlir::ModuleOp"> {
  let summary = "Decide how each compute op is lowered (the policy pass)";
  let description = [{
    Writes a `#kiln.lowering_config` on every linalg op on tensors and a
    `#kiln.translation_info` on every function that has one. It decides
    nothing itself: a `LoweringConfigAdvisor` (kiln/Tuning) does, for the
    target of the module's `llvm.target` attribute (a generic x86-64
    without one). With `tuning-db`, the configs recorded there for an op
    (keyed by its ONNX node, op name and index within the node) are
    replayed; the heuristic decides the others. With `explain`, each
    decision is a remark at the op, with its reason. Ops that already have
    a config keep it.
  }];
  let options = [
    Option<"tuningDB", "tuning-db", "std::string", /*default=*/"",
           "A JSON file of lowering configs to replay">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Emit a remark per decision, with its reason">,
  ];
  let dependentDialects = ["::kiln::KilnDialect"];
}

def TransposeOutputByConfigPass
    : Pass<"kiln-transpose-output-by-config", "::mlir::func::FuncOp"> {
  let summary = "Contractions whose config says so, computed transposed";
  let description = [{
    A mechanism pass: a contraction (two inputs, one accumulator, f32)
    whose `#kiln.lowering_config` has `strategy = "transposed_output"` is
    rewritten into the same contraction with its inputs in swapped order
    into a zero-filled result whose last two dims are swapped, and an
    elementwise op that adds that result, transposed back, to the original
    accumulator. The contraction's former rows are then its columns, which
    the register tile vectorizes. The new ops have no config: the policy
    pass decides for them when it runs again.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def Im2ColByConfigPass
    : Pass<"kiln-im2col-by-config", "::mlir::func::FuncOp"> {
  let summary = "Convolutions whose config says so, as im2col and a matmul";
  let description = [{
    A mechanism pass: a `linalg.conv_2d_nchw_fchw` whose
    `#kiln.lowering_config` has `strategy = "im2col"` is rewritten into a
    copy of its input windows (a `C*KH*KW x OH*OW` matrix per image, the
    form of upstream's `linalg::rewriteInIm2Col`, but copied a row of
    output pixels at a time, the innermost loop reading the input in
    order) and a contraction of the filters with it, whose output columns
    are contiguous. A 1x1 filter with unit strides and dilations needs no
    copy: the contraction reads the input with its pixels collapsed. The
    new ops have no config: the policy pass decides for them when it runs
    again. The elementwise op that alone reads a rewritten convolution's
    result is reshaped to iterate over the contraction's own shape
    (upstream's reshape propagation), so that it reads that result in
    place and `kiln-tile-by-config` can compute it in the contraction's
    tiles; so is the op that alone computes its init (a bias broadcast).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def PackByConfigPass : Pass<"kiln-pack-by-config", "::mlir::func::FuncOp"> {
  let summary = "Pack each op's operands as its #kiln.lowering_config says";
  let description = [{
    A mechanism pass (data tiling): an op whose `#kiln.lowering_config`
    has `packing` (one inner tile per loop, 1 for a loop left unpacked)
    is rewritten by upstream's `linalg::pack` into an op on packed
    operands, and its config into the same decisions in the packed op's
    loops. A constant operand (a layer's weights) is packed now, at
    compile time, with its tiled dims outermost, so that every tile the
    inner kernel reads is one contiguous panel. Packs and unpacks that
    only reshape become `tensor.expand_shape`/`collapse_shape`; the
    packs of run-time values that are left are lowered to pads,
    reshapes and transposes.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def TileByConfigPass : Pass<"kiln-tile-by-config", "::mlir::func::FuncOp"> {
  let summary = "Tile each op by the levels of its #kiln.lowering_config";
  let description = [{
    A mechanism pass: reads the tile sizes of each level of each op's
    `#kiln.lowering_config`, outermost first, and tiles the op with
    upstream's TilingInterface (`scf::tileUsingSCF`) into `scf.for` loops
    over `tensor.extract_slice`s; each level tiles the op the level before
    made. Ops without a config, and levels that tile nothing, are left
    alone. The tiled op keeps the config.

    Into the loops of an op's first level go the pads it reads and the
    untiled copies only it reads (computed a tile at a time), and the
    elementwise op that alone reads its result element for element (its
    bias, activation or residual add): that epilogue runs on each tile
    while the tile is in cache, inside the loops that precede any
    reduction loop, and is then tiled by its own config. Where the first
    level tiles no reduction loop, so does the all-parallel op that alone
    computes its init (a bias broadcast), into the tile the loops pass
    along; it is tiled by its own config after every other op.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect"];
}

def VectorizeByConfigPass
    : Pass<"kiln-vectorize-by-config", "::mlir::func::FuncOp"> {
  let summary = "Vectorize the ops tiled to their config's vector sizes";
  let description = [{
    A mechanism pass: a linalg op whose static loop ranges equal the
    `vector_sizes` of its `#kiln.lowering_config` (the innermost tile that
    `kiln-tile-by-config` made) is vectorized with upstream's linalg
    vectorizer; contractions become `vector.contract`. A contraction's
    partial tile at the edge of its loops (static once
    `kiln-tile-by-config` peeled it, and smaller) vectorizes to its own
    shape. Then the accumulators of the enclosing `scf.for` loops are
    hoisted out of them (upstream's loop-invariant subset hoisting), so
    they live in registers across the reduction loop, and each
    `vector.contract` is lowered to
    `vector.outerproduct`s, one per reduction step: a row of broadcast
    fused multiply-adds. A tile whose config names the `dot_u8s8`
    microkernel becomes x86 VNNI `vpdpbusd` intrinsics instead (see
    VectorizeDotProduct.h). Ops of other shapes are left alone.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::kiln::KilnDialect"];
}

def SplitEmptyTensorsPass
    : Pass<"kiln-split-empty-tensors", "::mlir::func::FuncOp"> {
  let summary = "One tensor.empty per use, before bufferization";
  let description = [{
    CSE merges identical `tensor.empty` ops, so that a chain of N
    elementwise ops all name one destination. One-Shot Bufferize then
    weighs every write into it against every other: its analysis grows
    faster than N^2 and its result copies. This pass gives each use of a
    `tensor.empty` its own clone, placed right before the user, so every
    destination is a fresh tensor, the analysis stays linear, and each
    buffer's live range starts where it is written (`kiln-plan-workspace`
    reuses bytes by live range). A `linalg.fill` of a `tensor.empty` that
    several ops use as their destination (CSE shares the zero accumulator
    of every matmul of one shape) is cloned per use the same way.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def OutlineKernelsPass : Pass<"kiln-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Each linalg op on buffers in a function of its own";
  let description = [{
    Moves every linalg op of a function (on memrefs, after bufferization)
    into a new private function `@<func>_kernel<N>` that it calls; the
    buffers and scalars it uses become arguments, constants it uses are
    cloned in. Outlined functions are LLVM `noinline` (set through
    `passthrough`).

    A graph of N nodes otherwise reaches LLVM as one function of N loop
    nests, and LLVM's per-function analyses (the dominator tree, scalar
    evolution's guards, the machine scheduler over the straight-line code
    of unrolled loops) grow faster than N. As separate functions, code
    generation stays linear in the graph.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def OutlineSegmentsPass : Pass<"kiln-outline-segments", "::mlir::ModuleOp"> {
  let summary = "Split a long graph function into noinline segments";
  let description = [{
    Runs after `kiln-outline-kernels`, when a graph function is mostly a
    sequence of kernel calls. Each run of at most `calls-per-segment` calls
    (with the side-effect-free ops between them) moves into a private
    `noinline` function `@<func>_segment<N>` that the graph function calls.
    Side-effect-free values a segment uses (views into the workspace or
    the weights, index arithmetic) are recomputed inside it; other values
    (the function's arguments, buffers allocated at run time) become its
    arguments. Ops with side effects other than calls stay where they are
    and end a run.

    A graph of N kernels otherwise makes one straight-line function of N
    calls, and LLVM's register allocator splits live ranges in it in time
    that grows as N^2.
  }];
  let options = [
    Option<"callsPerSegment", "calls-per-segment", "int64_t", "64",
           "The most kernel calls in one segment">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def GlobalizeConstantsPass
    : Pass<"kiln-globalize-constants", "::mlir::ModuleOp"> {
  let summary = "Tensor constants as memref.globals, before bufferization";
  let description = [{
    Replaces every `arith.constant` of tensor type in a function with a
    new private constant `memref.global` (`alignment`-byte aligned), read
    at each use by its own `memref.get_global` and `bufferization.to_tensor
    restrict` right before the user: what One-Shot Bufferize would make of
    it, without its cost. Upstream finds the global for each constant by
    scanning every global in the module (quadratic in the number of
    weights; CSE has already merged equal constants, so each constant op
    gets its own global here), and one tensor read by thousands of ops (a
    Reshape's shape, a scalar) makes an alias set that its analysis walks
    for each of them. The tensors are not writable, so no op writes into a
    global in place and the reads of one global cannot conflict.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64",
           "Byte alignment of the globals">,
  ];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect"];
}

def OutlineDimsPass : Pass<"kiln-outline-dims", "::mlir::ModuleOp"> {
  let summary = "Build the function that computes a model's output dims "
                "from its inputs";
  let description = [{
    Runs on bufferized public functions that still return their results
    (before `buffer-results-to-out-params`). For each function `@f` it adds
    `@f_dims(inputs..., %dims: memref<?xi64>)` that stores, from the inputs
    alone, 0 at `%dims[0]` (the workspace size, which `kiln-plan-workspace`
    fills in) and then every dim of every result in order. It rebuilds
    result dims from input dims, input contents (a Reshape's shape input)
    and pure arithmetic; a result whose dims depend on computed values is
    an error. Requirements the lowering asserted with `cf.assert` (a
    MatMul's inner dims equal, a dim that broadcasts) move into `@f_dims`
    as checks: its last slot gets 0, or 1 + the index of the first failing
    check, whose message is in the attribute `kiln.shape_checks`; `@f`
    keeps no assert. `@f` gets `kiln.dims_function = @f_dims` and `@f_dims`
    gets `kiln.dims_of = @f`. A compiled model's `query` and `run` call `@f_dims`
    to size outputs and the workspace before any work.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::cf::ControlFlowDialect",
                           "::mlir::memref::MemRefDialect"];
}

def PlanWorkspacePass : Pass<"kiln-plan-workspace", "::mlir::ModuleOp"> {
  let summary = "Place intermediate buffers in one caller-owned workspace";
  let description = [{
    Runs on bufferized public functions, before their results become
    out-params. Every `memref.alloc` with an identity layout in a function
    body becomes a `memref.view` into a new trailing argument, the
    workspace, and no buffer is allocated at run time:

    - Statically shaped buffers get fixed offsets in the first N bytes.
      Buffers whose live ranges (from the alloc to the last use of it or of
      any view of it, in body order) do not overlap share bytes.
    - Dynamically shaped buffers follow, each at a run-time offset: the
      sum of the sizes before it. Their sizes must be computable from the
      function's inputs (see `kiln-outline-dims`); the workspace is then
      `memref<?xi8>` and the function's dims function stores the total
      size at `%dims[0]`.

    Each offset is a multiple of `alignment`. The function gets the
    attribute `kiln.workspace_bytes` = N. Allocs nested in regions, dynamic
    ones whose sizes need computed values, and those that escape through
    `return` are left for the deallocation pipeline.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64",
           "Byte alignment of every buffer placed in the workspace">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def DistinctResultsPass : Pass<"kiln-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give every returned tensor its own value";
  let description = [{
    Each result of a compiled model is written into its own caller-owned
    buffer. A value returned more than once (two graph outputs naming one
    tensor, or an Identity folded away) is copied with `linalg.copy` for
    each repeat, so bufferization gives every result a buffer of its own.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def LowerStridedCopiesPass
    : Pass<"kiln-lower-strided-copies", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between non-contiguous buffers into "
                "linalg.copy";
  let description = [{
    Upstream lowers a `memref.copy` whose operands are not both contiguous
    to a call of `memrefCopy` from the MLIR runner library, which compiled
    models must not need. This pass rewrites those copies to `linalg.copy`,
    which lowers to loops; a static copy whose rows are contiguous (a pad's
    plane into its padded buffer) becomes loops over the rows, each row
    one vector read and write. Copies between contiguous buffers stay:
    they become `memcpy`.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::ub::UBDialect",
                           "::mlir::vector::VectorDialect"];
}

def LowerDotProductsPass
    : Pass<"kiln-lower-dot-products", "::mlir::func::FuncOp"> {
  let summary = "Lower kiln's dot-product ops to their LLVM intrinsics";
  let description = [{
    `kiln.dot_u8s8` becomes a call of `llvm.x86.avx512.vpdpbusd.512` (or
    `.256`) with the same operands. It runs after bufferization: the
    intrinsic call has no declared memory effects, which bufferization's
    ownership analysis refuses, while the kiln op is pure.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def LowerDynamicExpandShapePass
    : Pass<"kiln-lower-dynamic-expand-shape", "::mlir::func::FuncOp"> {
  let summary = "Write memref.expand_shape with several dynamic dims in a "
                "group as memref.reinterpret_cast";
  let description = [{
    Upstream `expand-strided-metadata` cannot expand one dim into several
    dynamic ones (batch x seq from batch * seq), which dynamic reshapes
    produce. Between identity-layout memrefs such an expansion is new sizes
    and row-major strides: this pass writes it as `memref.reinterpret_cast`
    with offset 0 and strides computed from the sizes.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def ApproximateVectorMathPass
    : Pass<"kiln-approximate-vector-math", "::mlir::func::FuncOp"> {
  let summary = "Polynomial approximations of math.erf, math.tanh and "
                "math.exp on f32 vectors";
  let description = [{
    LLVM has no vector erf, tanh or exp on x86: a `math.erf` on
    `vector<16xf32>` became 16 calls of libm's `erff` (7.8% of BERT-base's
    time, in its GELUs; `expf`, in its softmaxes, 1.5%). This pass rewrites
    `math.erf`, `math.tanh` and `math.exp` on f32 vectors with
    upstream's polynomial approximations (`populateMathPolynomial-
    ApproximationPatterns`), which vectorize; scalar ones keep libm.
    A `math.powf` with a constant exponent (vector or scalar) goes through
    upstream's algebraic simplification (`populateMathAlgebraicSimplification-
    Patterns`): x^2 and x^3 become products, x^0.5 a square root and so on,
    where LLVM called `powf` per lane (GPT-2's GELU cubes its input: 14% of
    its time in `powf`). Runs in the llvm phase, before the math
    conversions.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def ExpandNarrowFloatsPass
    : Pass<"kiln-expand-narrow-floats", "::mlir::func::FuncOp"> {
  let summary = "Write selects and conversions of narrow floats (bf16, "
                "float8, float4) as integer code";
  let description = [{
    LLVM has no float8 or float4 types and its x86 backend promotes a
    `select` of bfloat through a libgcc call (`__truncsfbf2`), which
    compiled models must not need. Run after `arith-expand`, this pass
    rewrites:

    - `arith.select` of bf16 and narrower floats as a select of their bits;
    - `arith.truncf` from f32 or f16 to f8E4M3FN, f8E4M3FNUZ, f8E5M2,
      f8E5M2FNUZ and f4E2M1FN as integer code that rounds to nearest even;
      values beyond the largest finite one become infinity where the
      format has it, else NaN (callers that saturate clamp first);
    - `arith.extf` from those formats to f32 or f16 (exact).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TestInjectInvalidIRPass
    : Pass<"kiln-test-inject-invalid-ir", "::mlir::func::FuncOp"> {
  let summary = "Testing only: leave IR that fails to verify";
  let description = [{
    Adds an `arith.constant` whose value's type differs from its result's,
    so the verifier after this pass fails. `kilnc --inject-fault=invalid-ir`
    runs it at the end of the linalg phase, to show that IR a kiln pass
    leaves invalid is an internal error (exit 4) naming the pass, never an
    "unsupported" model.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def OutlineParallelLoopsPass
    : Pass<"kiln-outline-parallel-loops", "::mlir::ModuleOp"> {
  let summary = "Each outermost parallel tile loop in a task function";
  let description = [{
    Runs after bufferization, before buffer-loop-hoisting. In every public
    function, the outermost `scf.for` marked `kiln.parallel` (by
    kiln-tile-by-config, from the config's `parallel_dims`) that runs more
    than once, yields nothing, asserts nothing and allocates at most
    `max-scratch-bytes` of static buffers moves into a private `noinline`
    function `@<func>_task<N>(%begin, %end, captured...)` marked
    `kiln.parallel_task`. It runs the loop's iterations [begin, end); the
    loop becomes a call over [0, trip count). Buffers the body allocates
    become stack buffers at the task's entry, so each task has its own
    scratch. Loops marked inside a chosen loop run serially in its task;
    the marks are then removed.
  }];
  let options = [
    Option<"maxScratchBytes", "max-scratch-bytes", "int64_t",
           /*default=*/"65536",
           "Largest stack scratch a task may allocate (bytes)">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect"];
}

def LowerParallelCallsPass
    : Pass<"kiln-lower-parallel-calls", "::mlir::ModuleOp"> {
  let summary = "Calls of task functions through the caller's parallel_for";
  let description = [{
    Runs on the LLVM dialect. A call `@task(0, n, captured...)` of a
    function marked `kiln.parallel_task` becomes a call of the ABI
    runtime's `kiln_rt_parallel_for(n, @task_entry, args)`: the captured
    values are stored in a struct on the caller's stack, and
    `@task_entry(args, begin, end)`, the `kiln_task_fn` the hook calls,
    loads them and calls `@task(begin, end, captured...)`. The runtime calls
    the `parallel_for` of the model's `kiln_hooks`, or runs [0, n) itself
    when there is none.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def PackWeightsPass : Pass<"kiln-pack-weights", "::mlir::ModuleOp"> {
  let summary = "Gather constant buffers into one aligned byte blob";
  let description = [{
    Every constant `memref.global` with an identity layout, a byte-sized
    element type and at least `min-bytes` bytes of non-splat initial value
    moves into one private constant global, `@__kiln_weights :
    memref<Nxi8>`, at an offset that is a multiple of `alignment`. Each
    `memref.get_global` of a moved global becomes a `memref.get_global` of
    the blob and a `memref.view` at the tensor's offset.

    The blob reaches LLVM as one `[N x i8]` array, which the translation
    builds from raw bytes and the object writer copies as they are, instead
    of one nested constant per innermost row. The resource blobs the moved
    globals held are released once nothing else in the module refers to
    them, unless `release-moved=false` (a portable object's variants each
    pack copies of the same graph's weights).
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64",
           "Byte alignment of the blob and of every tensor in it">,
    Option<"minBytes", "min-bytes", "int64_t", "256",
           "Smaller constants stay separate globals">,
    Option<"releaseMoved", "release-moved", "bool", "true",
           "Free the resource bytes of the moved globals">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // KILN_CODEGEN_PASSES_TD
