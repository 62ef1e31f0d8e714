//===- Metadata.cpp - how a model was built, and its prefix ---------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/ABI/Metadata.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace kiln::abi {

namespace {
llvm::json::Array toJSON(ArrayRef<TensorSignature> tensors) {
  llvm::json::Array array;
  for (const TensorSignature &tensor : tensors) {
    llvm::json::Array dims, names;
    for (auto [dim, name] : llvm::zip(tensor.dims, tensor.dimNames)) {
      dims.push_back(dim);
      names.push_back(name);
    }
    array.push_back(llvm::json::Object{
        {"name", tensor.name},
        {"dtype", getDTypeName(tensor.dtype)},
        {"dims", std::move(dims)},
        {"dim_names", std::move(names)},
    });
  }
  return array;
}
} // namespace

void writeMetadataJSON(const ModelSignature &signature, const BuildInfo &build,
                       llvm::raw_ostream &os) {
  llvm::json::Object opsets;
  for (const auto &[domain, version] : signature.opsets)
    opsets[domain.empty() ? "ai.onnx" : domain] = version;
  llvm::json::Array symbols;
  for (const DimSymbol &symbol : signature.symbols)
    symbols.push_back(llvm::json::Object{
        {"name", symbol.name},
        {"min", symbol.min},
        {"max", symbol.max < 0 ? llvm::json::Value(nullptr)
                               : llvm::json::Value(symbol.max)}});
  llvm::json::Object root{
      {"abi_version", 1},
      {"prefix", build.prefix},
      {"graph_name", signature.graphName},
      {"producer", signature.producer},
      {"opsets", std::move(opsets)},
      {"inputs", toJSON(signature.inputs)},
      {"dim_symbols", std::move(symbols)},
      {"outputs", toJSON(signature.outputs)},
      {"compiler", llvm::json::Object{{"name", "kilnc"},
                                      {"version", build.compilerVersion},
                                      {"flags", build.compilerFlags},
                                      {"pipeline", build.pipeline}}},
      {"target", llvm::json::Object{{"triple", build.targetTriple},
                                    {"cpu", build.targetCPU},
                                    {"features", build.targetFeatures}}},
      {"variants", llvm::json::Array(getVariantCPUs(build))},
  };
  os << llvm::json::Value(std::move(root));
}

std::vector<std::string> getVariantCPUs(const BuildInfo &build) {
  if (build.variants.empty())
    return {build.targetCPU};
  return build.variants;
}

std::string getDefaultPrefix(StringRef path) {
  StringRef stem = llvm::sys::path::stem(path);
  // "model.onnx.txt" and the like: drop every extension.
  stem = stem.split('.').first;
  std::string prefix;
  for (char c : stem)
    prefix += llvm::isAlnum(c) ? llvm::toLower(c) : '_';
  if (prefix.empty() || llvm::isDigit(prefix[0]) || isReservedPrefix(prefix))
    prefix = "m_" + prefix;
  return prefix;
}

bool isValidPrefix(StringRef prefix) {
  if (prefix.empty() || !(llvm::isLower(prefix[0]) || prefix[0] == '_'))
    return false;
  return llvm::all_of(prefix, [](char c) {
    return llvm::isLower(c) || llvm::isDigit(c) || c == '_';
  });
}

bool isReservedPrefix(StringRef prefix) {
  return prefix == "kiln" || prefix.starts_with("kiln_");
}

} // namespace kiln::abi
