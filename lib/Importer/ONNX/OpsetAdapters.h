//===- OpsetAdapters.h - older opset forms into the dialect's ---*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The onnx dialect carries each operator in its newest form. Models written
// for older opsets pass attributes that later became inputs (Reduce* axes,
// Split sizes, Clip bounds, Slice bounds...); these adapters move them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_IMPORTER_ONNX_OPSETADAPTERS_H
#define KILN_LIB_IMPORTER_ONNX_OPSETADAPTERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OperationSupport.h"

namespace kiln::importer {

/// The oldest default-domain opset at which kiln imports `opType` (earlier
/// versions had different attributes or semantics).
int64_t getMinSupportedOpset(llvm::StringRef opType);

/// The newest default-domain opset whose operator history kiln knows (ONNX
/// 1.23). Every operator in the dialect carries its newest form up to it;
/// later opsets may change any operator, so they are refused.
constexpr int64_t kMaxKnownOpset = 28;

/// Rewrites attributes of an older opset that became inputs into constant
/// operands at their input positions. `operands` is padded with `noValue`.
void upgradeAttributesToInputs(llvm::StringRef opType, int64_t opset,
                               mlir::OpBuilder &builder, mlir::Location loc,
                               mlir::Value noValue,
                               llvm::SmallVectorImpl<mlir::Value> &operands,
                               mlir::NamedAttrList &attrs);

/// The dialect op that carries a legacy operator: Scatter (opsets 9-10) is
/// ScatterElements, Upsample (opset 9) is Resize; others are themselves.
llvm::StringRef getDialectOpType(llvm::StringRef opType);

/// Moves a legacy operator's operands and attributes to its dialect op's
/// form: Upsample(X, scales) becomes Resize(X, none, scales, none) with
/// asymmetric coordinates (and floor for nearest).
void rewriteLegacyOperator(llvm::StringRef opType, mlir::OpBuilder &builder,
                           mlir::Value noValue,
                           llvm::SmallVectorImpl<mlir::Value> &operands,
                           mlir::NamedAttrList &attrs);

/// Whether `attr` of `opType` at `opset` is moved to an input.
bool isUpgradedAttribute(llvm::StringRef opType, int64_t opset,
                         llvm::StringRef attr);

/// Softmax, LogSoftmax, Hardmax before opset 13 coerce the input to 2-D at
/// `axis`.
bool hasCoercedSoftmaxSemantics(llvm::StringRef opType, int64_t opset);

} // namespace kiln::importer

#endif // KILN_LIB_IMPORTER_ONNX_OPSETADAPTERS_H
