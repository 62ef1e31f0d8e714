//===- ModelSignature.h - what a compiled model's ABI describes -*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The inputs and outputs of the graph function (names, ONNX dtypes, dims,
// symbolic dim names) and how the model was built. The header, the metadata
// JSON and the ABI's descriptor tables are all written from this one value.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_MODELSIGNATURE_H
#define KILN_TARGET_CPU_MODELSIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace kiln::cpu {

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

/// The module attribute kilnc's --dim writes: {name = array<i64: min, max>}.
inline constexpr llvm::StringLiteral kDimBoundsAttr = "kiln.dim_bounds";

/// How the model's code was produced, for reproducing a compile.
struct BuildInfo {
  std::string prefix;
  std::string compilerVersion;
  std::string compilerFlags;
  std::string targetTriple;
  std::string targetCPU;
  std::string targetFeatures;
  std::string pipeline;
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
/// importer writes it) and the module's ONNX attributes. Emits an error at
/// the function and fails for an element type the ABI has no dtype for.
mlir::FailureOr<ModelSignature> getModelSignature(mlir::ModuleOp module,
                                                  llvm::StringRef funcName);

/// The lower-case ONNX name of a dtype ("float32", "int64", ...).
llvm::StringRef getDTypeName(int64_t dtype);

/// "x: float32[batch,3,224,224]".
std::string formatTensor(const TensorSignature &tensor);

/// The metadata JSON every compiled model returns from
/// `<prefix>_metadata_json()`.
void writeMetadataJSON(const ModelSignature &signature, const BuildInfo &build,
                       llvm::raw_ostream &os);

/// A valid C identifier prefix from a file name: lower-case, `[a-z_]`
/// first, `[a-z0-9_]` after.
std::string getDefaultPrefix(llvm::StringRef path);

/// Whether `prefix` matches `[a-z_][a-z0-9_]*`.
bool isValidPrefix(llvm::StringRef prefix);

} // namespace kiln::cpu

#endif // KILN_TARGET_CPU_MODELSIGNATURE_H
