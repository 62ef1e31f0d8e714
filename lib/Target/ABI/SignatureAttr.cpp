//===- SignatureAttr.cpp - the signature recorded on the module -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// `kiln.signature` is a dictionary:
//   {graph_name, producer, opsets = {domain = version},
//    inputs = [{name, dtype, dims, dim_names, dim_symbols}], outputs = [...],
//    symbols = [{name, min, max}]}
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Target/ABI/Signature.h"

#include "mlir/IR/Builders.h"

using namespace mlir;

namespace kiln::abi {

namespace {
Attribute encodeTensor(Builder &b, const TensorSignature &tensor) {
  SmallVector<StringRef> names(tensor.dimNames.begin(), tensor.dimNames.end());
  SmallVector<int64_t> symbols(tensor.dimSymbols.begin(),
                               tensor.dimSymbols.end());
  return b.getDictionaryAttr({
      b.getNamedAttr("name", b.getStringAttr(tensor.name)),
      b.getNamedAttr("dtype", b.getI64IntegerAttr(tensor.dtype)),
      b.getNamedAttr("dims", b.getDenseI64ArrayAttr(tensor.dims)),
      b.getNamedAttr("dim_names", b.getStrArrayAttr(names)),
      b.getNamedAttr("dim_symbols", b.getDenseI64ArrayAttr(symbols)),
  });
}

Attribute encodeTensors(Builder &b, ArrayRef<TensorSignature> tensors) {
  SmallVector<Attribute> attrs;
  for (const TensorSignature &tensor : tensors)
    attrs.push_back(encodeTensor(b, tensor));
  return b.getArrayAttr(attrs);
}

FailureOr<TensorSignature> decodeTensor(Attribute attr) {
  auto dict = dyn_cast<DictionaryAttr>(attr);
  auto name = dict ? dict.getAs<StringAttr>("name") : nullptr;
  auto dtype = dict ? dict.getAs<IntegerAttr>("dtype") : nullptr;
  auto dims = dict ? dict.getAs<DenseI64ArrayAttr>("dims") : nullptr;
  auto names = dict ? dict.getAs<ArrayAttr>("dim_names") : nullptr;
  auto symbols = dict ? dict.getAs<DenseI64ArrayAttr>("dim_symbols") : nullptr;
  if (!name || !dtype || !dims || !names || names.size() != dims.size())
    return failure();
  TensorSignature tensor;
  tensor.name = name.str();
  tensor.dtype = dtype.getInt();
  tensor.dims.assign(dims.asArrayRef().begin(), dims.asArrayRef().end());
  for (Attribute n : names)
    tensor.dimNames.push_back(cast<StringAttr>(n).str());
  if (symbols)
    for (int64_t s : symbols.asArrayRef())
      tensor.dimSymbols.push_back((int32_t)s);
  return tensor;
}

LogicalResult decodeTensors(DictionaryAttr dict, StringRef key,
                            SmallVectorImpl<TensorSignature> &tensors) {
  auto array = dict.getAs<ArrayAttr>(key);
  if (!array)
    return failure();
  for (Attribute attr : array) {
    FailureOr<TensorSignature> tensor = decodeTensor(attr);
    if (failed(tensor))
      return failure();
    tensors.push_back(std::move(*tensor));
  }
  return success();
}

LogicalResult decodeSymbols(DictionaryAttr dict, ModelSignature &signature) {
  auto array = dict.getAs<ArrayAttr>("symbols");
  if (!array)
    return failure();
  for (Attribute attr : array) {
    auto symbol = dyn_cast<DictionaryAttr>(attr);
    auto name = symbol ? symbol.getAs<StringAttr>("name") : nullptr;
    auto min = symbol ? symbol.getAs<IntegerAttr>("min") : nullptr;
    auto max = symbol ? symbol.getAs<IntegerAttr>("max") : nullptr;
    if (!name || !min || !max)
      return failure();
    signature.symbols.push_back({name.str(), min.getInt(), max.getInt()});
  }
  return success();
}
} // namespace

void recordSignature(ModuleOp module, const ModelSignature &signature) {
  Builder b(module.getContext());
  SmallVector<NamedAttribute> opsets, symbols;
  for (const auto &[domain, version] : signature.opsets)
    opsets.push_back(b.getNamedAttr(domain, b.getI64IntegerAttr(version)));
  SmallVector<Attribute> symbolAttrs;
  for (const DimSymbol &symbol : signature.symbols)
    symbolAttrs.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("name", b.getStringAttr(symbol.name)),
         b.getNamedAttr("min", b.getI64IntegerAttr(symbol.min)),
         b.getNamedAttr("max", b.getI64IntegerAttr(symbol.max))}));
  module->setAttr(
      KilnDialect::kSignatureAttrName,
      b.getDictionaryAttr({
          b.getNamedAttr("graph_name", b.getStringAttr(signature.graphName)),
          b.getNamedAttr("producer", b.getStringAttr(signature.producer)),
          b.getNamedAttr("opsets", b.getDictionaryAttr(opsets)),
          b.getNamedAttr("inputs", encodeTensors(b, signature.inputs)),
          b.getNamedAttr("outputs", encodeTensors(b, signature.outputs)),
          b.getNamedAttr("symbols", b.getArrayAttr(symbolAttrs)),
      }));
}

FailureOr<ModelSignature> getRecordedSignature(ModuleOp module) {
  auto dict =
      module->getAttrOfType<DictionaryAttr>(KilnDialect::kSignatureAttrName);
  if (!dict)
    return module.emitError()
           << "no '" << KilnDialect::kSignatureAttrName
           << "' attribute: the signature is recorded at import";
  ModelSignature signature;
  auto graphName = dict.getAs<StringAttr>("graph_name");
  auto producer = dict.getAs<StringAttr>("producer");
  auto opsets = dict.getAs<DictionaryAttr>("opsets");
  if (!graphName || !producer || !opsets ||
      failed(decodeTensors(dict, "inputs", signature.inputs)) ||
      failed(decodeTensors(dict, "outputs", signature.outputs)) ||
      failed(decodeSymbols(dict, signature)))
    return module.emitError()
           << "malformed '" << KilnDialect::kSignatureAttrName << "'";
  signature.graphName = graphName.str();
  signature.producer = producer.str();
  for (NamedAttribute opset : opsets)
    if (auto version = dyn_cast<IntegerAttr>(opset.getValue()))
      signature.opsets.push_back({opset.getName().str(), version.getInt()});
  return signature;
}

} // namespace kiln::abi
