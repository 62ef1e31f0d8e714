//===- InputSlice.h - values rebuilt from a function's inputs --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The dims function of a compiled model (what `query` calls) recomputes
// output dims and workspace sizes from the inputs alone. InputSliceCloner
// rebuilds a value of the bufferized graph function in another function
// that takes the same inputs: from input dims, input contents and pure
// arithmetic. A value that needs anything the model computes cannot be
// rebuilt.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_INPUTSLICE_H
#define KILN_LIB_CODEGEN_INPUTSLICE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace kiln {

class InputSliceCloner {
public:
  /// Values of `source` whose slice reaches only its first `numInputs`
  /// arguments are rebuilt at `builder`'s insertion point in a function
  /// whose first arguments have the same types.
  InputSliceCloner(mlir::func::FuncOp source, mlir::func::FuncOp target,
                   unsigned numInputs, mlir::OpBuilder &builder)
      : source(source), target(target), numInputs(numInputs), builder(builder) {
  }

  /// `value` of the source rebuilt in the target, or failure.
  mlir::FailureOr<mlir::Value> clone(mlir::Value value);
  /// Dim `dim` of a memref of the source, as an index in the target.
  mlir::FailureOr<mlir::Value> cloneDim(mlir::Value memref, int64_t dim);

private:
  mlir::FailureOr<mlir::Value> cloneFoldResult(mlir::OpFoldResult size);
  /// Whether `value` is one of the inputs.
  bool isInput(mlir::Value value);
  /// Whether `op` and everything nested in it only read the inputs.
  bool readsOnlyInputs(mlir::Operation *op);

  mlir::func::FuncOp source, target;
  unsigned numInputs;
  mlir::OpBuilder &builder;
  mlir::IRMapping mapping;
  static constexpr int kMaxDepth = 512;
  int depth = 0;
};

/// `(value + alignment - 1) & -alignment` for a power-of-two alignment.
mlir::Value createAlignUp(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value value, int64_t alignment);

} // namespace kiln

#endif // KILN_LIB_CODEGEN_INPUTSLICE_H
