//===- Signature.cpp - what a compiled model's ABI describes --------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/ABI/Signature.h"
#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Dialect/ONNX/IR/ONNXDataType.h"
#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"
#include "kiln_types.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;

namespace kiln::abi {

namespace {

FailureOr<TensorSignature> getTensorSignature(func::FuncOp func, Type type,
                                              DictionaryAttr attrs,
                                              StringRef kind, unsigned index) {
  TensorSignature tensor;
  auto ranked = dyn_cast<RankedTensorType>(type);
  std::optional<int64_t> dtype =
      ranked ? onnx::getONNXDataType(ranked.getElementType()) : std::nullopt;
  if (!dtype || !getDTypeName(*dtype).size()) {
    func.emitError() << kind << " " << index << " has type " << type
                     << ", which the C ABI cannot pass";
    return failure();
  }
  tensor.dtype = *dtype;
  tensor.name = (kind + Twine(index)).str();
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>(onnx::ONNXDialect::kNameAttrName))
      tensor.name = name.str();
  for (int64_t dim : ranked.getShape())
    tensor.dims.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  tensor.dimNames.assign(tensor.dims.size(), "");
  if (attrs)
    if (auto names =
            attrs.getAs<ArrayAttr>(onnx::ONNXDialect::kDimParamsAttrName))
      for (auto [i, name] : llvm::enumerate(names))
        if (auto str = dyn_cast<StringAttr>(name);
            str && i < tensor.dimNames.size())
          tensor.dimNames[i] = str.str();
  return tensor;
}

} // namespace

FailureOr<ModelSignature> readGraphSignature(ModuleOp module,
                                             StringRef funcName) {
  auto func = module.lookupSymbol<func::FuncOp>(funcName);
  if (!func) {
    module.emitError() << "no function '" << funcName << "'";
    return failure();
  }
  ModelSignature signature;
  FunctionType type = func.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    FailureOr<TensorSignature> tensor = getTensorSignature(
        func, type.getInput(i), func.getArgAttrDict(i), "input", i);
    if (failed(tensor))
      return failure();
    signature.inputs.push_back(std::move(*tensor));
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    FailureOr<TensorSignature> tensor = getTensorSignature(
        func, type.getResult(i), func.getResultAttrDict(i), "output", i);
    if (failed(tensor))
      return failure();
    signature.outputs.push_back(std::move(*tensor));
  }
  // Inputs that name the same dim must agree; bounds come from --dim.
  llvm::StringMap<int32_t> symbolIndex;
  for (TensorSignature &tensor : signature.inputs) {
    tensor.dimSymbols.assign(tensor.dims.size(), -1);
    for (auto [d, name] : llvm::enumerate(tensor.dimNames)) {
      if (name.empty() || tensor.dims[d] >= 0)
        continue;
      auto [it, inserted] =
          symbolIndex.try_emplace(name, (int32_t)signature.symbols.size());
      if (inserted)
        signature.symbols.push_back({name});
      tensor.dimSymbols[d] = it->second;
    }
  }
  if (auto bounds = module->getAttrOfType<DictionaryAttr>(
          KilnDialect::kDimBoundsAttrName)) {
    for (NamedAttribute bound : bounds) {
      auto values = dyn_cast<DenseI64ArrayAttr>(bound.getValue());
      auto it = symbolIndex.find(bound.getName().getValue());
      if (it == symbolIndex.end()) {
        func.emitError() << "--dim bounds '" << bound.getName().getValue()
                         << "', which no dynamic input dim names";
        return failure();
      }
      if (!values || values.size() != 2) {
        func.emitError() << "bad bounds for '" << bound.getName().getValue()
                         << "'";
        return failure();
      }
      signature.symbols[it->second].min = values[0];
      signature.symbols[it->second].max = values[1];
    }
  }
  if (auto name = module->getAttrOfType<StringAttr>(
          onnx::ONNXDialect::kGraphNameAttrName))
    signature.graphName = name.str();
  if (auto producer = module->getAttrOfType<StringAttr>(
          onnx::ONNXDialect::kProducerNameAttrName))
    signature.producer = producer.str();
  if (auto version = module->getAttrOfType<StringAttr>(
          onnx::ONNXDialect::kProducerVersionAttrName);
      version && !version.getValue().empty())
    signature.producer += " " + version.str();
  if (auto opsets = module->getAttrOfType<DictionaryAttr>(
          onnx::ONNXDialect::kOpsetImportAttrName))
    for (NamedAttribute opset : opsets)
      if (auto version = dyn_cast<IntegerAttr>(opset.getValue()))
        signature.opsets.push_back(
            {opset.getName().str(), version.getValue().getSExtValue()});
  return signature;
}

StringRef getDTypeName(int64_t dtype) {
  const char *name = kiln_dtype_name(static_cast<kiln_dtype>(dtype));
  return name ? name : "";
}

std::string formatTensor(const TensorSignature &tensor) {
  std::string text =
      tensor.name + ": " + getDTypeName(tensor.dtype).str() + "[";
  for (auto [i, dim] : llvm::enumerate(tensor.dims)) {
    if (i)
      text += ",";
    if (dim >= 0)
      text += std::to_string(dim);
    else if (!tensor.dimNames[i].empty())
      text += tensor.dimNames[i];
    else
      text += "?";
  }
  return text + "]";
}

} // namespace kiln::abi
