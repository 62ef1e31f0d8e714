//===- Signature.h - what a compiled model's ABI describes ------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The inputs and outputs of the graph function (names, ONNX dtypes, dims,
// symbolic dim names and their bounds) and the model's ONNX provenance.
// kilnc reads it once, from the import-level function, and records it on
// the module as `kiln.signature`; the object phase reads only that
// attribute, so llvm-phase IR alone makes an object. The header, the
// metadata JSON and the ABI's descriptor tables are written from it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_ABI_SIGNATURE_H
#define KILN_TARGET_ABI_SIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace kiln::abi {

struct TensorSignature {
  std::string name;
  int64_t dtype = 0;               // ONNX TensorProto.DataType
  llvm::SmallVector<int64_t> dims; // -1 for a dynamic dim
  llvm::SmallVector<std::string> dimNames;
  /// Per dim, the index in ModelSignature::symbols, or -1.
  llvm::SmallVector<int32_t> dimSymbols;
};

/// A symbolic dim of the inputs (an ONNX dim_param) and its bounds.
struct DimSymbol {
  std::string name;
  int64_t min = 0;
  int64_t max = -1; // -1: unbounded
};

struct ModelSignature {
  std::string graphName;
  std::string producer;
  llvm::SmallVector<std::pair<std::string, int64_t>> opsets;
  llvm::SmallVector<TensorSignature> inputs, outputs;
  /// Every symbolic dim the inputs name, in order of first appearance.
  llvm::SmallVector<DimSymbol> symbols;
};

/// Reads the signature of `funcName` (a tensor-level function as the
/// importer writes it), the module's ONNX attributes and its
/// `kiln.dim_bounds`. Emits an error at the function and fails for an
/// element type the ABI has no dtype for, or a bound no input dim names.
mlir::FailureOr<ModelSignature> readGraphSignature(mlir::ModuleOp module,
                                                   llvm::StringRef funcName);

/// Records `signature` on `module` as the `kiln.signature` attribute.
void recordSignature(mlir::ModuleOp module, const ModelSignature &signature);

/// The signature recorded on `module`; emits an error and fails if there
/// is none, or it is malformed.
mlir::FailureOr<ModelSignature> getRecordedSignature(mlir::ModuleOp module);

/// The lower-case name of an ONNX dtype ("float32", "int64", ...); empty
/// for one the ABI cannot pass.
llvm::StringRef getDTypeName(int64_t dtype);

/// "x: float32[batch,3,224,224]".
std::string formatTensor(const TensorSignature &tensor);

} // namespace kiln::abi

#endif // KILN_TARGET_ABI_SIGNATURE_H
