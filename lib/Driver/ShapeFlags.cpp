//===- ShapeFlags.cpp - --dim and --input-shape ---------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "ShapeFlags.h"
#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace kiln::driver {

namespace {
std::optional<int64_t> parseDim(llvm::StringRef text) {
  int64_t value;
  if (text.getAsInteger(10, value) || value < 0)
    return std::nullopt;
  return value;
}

llvm::Error parseDimFlag(llvm::StringRef flag,
                         importer::ImportOptions &importOptions,
                         DimBounds &bounds) {
  auto [name, range] = flag.split('=');
  auto [lo, hi] = range.split("..");
  std::optional<int64_t> min = parseDim(lo);
  std::optional<int64_t> max = range.contains("..") ? parseDim(hi) : min;
  if (name.empty() || !min || !max || *min > *max)
    return makeError(ErrorKind::Usage,
                     "bad --dim '" + flag +
                         "': expected NAME=MIN..MAX or NAME=N");
  if (*min == *max)
    importOptions.fixedDims[name] = *min;
  else
    bounds[name] = {*min, *max};
  return llvm::Error::success();
}

llvm::Error parseInputShapeFlag(llvm::StringRef flag,
                                importer::ImportOptions &importOptions) {
  auto [name, shape] = flag.split('=');
  llvm::SmallVector<int64_t> dims;
  llvm::SmallVector<llvm::StringRef> parts;
  if (!shape.empty())
    shape.split(parts, 'x');
  bool ok = !name.empty() && flag.contains('=');
  for (llvm::StringRef part : parts) {
    std::optional<int64_t> dim = parseDim(part);
    ok &= dim.has_value();
    dims.push_back(dim.value_or(0));
  }
  if (!ok)
    return makeError(ErrorKind::Usage,
                     "bad --input-shape '" + flag +
                         "': expected NAME=1x3x224x224 (NAME= for a scalar)");
  importOptions.inputShapes[name] = dims;
  return llvm::Error::success();
}
} // namespace

llvm::Error parseShapeFlags(const CompileOptions &options,
                            importer::ImportOptions &importOptions,
                            DimBounds &bounds) {
  for (llvm::StringRef flag : options.dimBounds)
    if (llvm::Error err = parseDimFlag(flag, importOptions, bounds))
      return err;
  importOptions.forceDynamic = options.forceDynamic;
  for (llvm::StringRef flag : options.inputShapes)
    if (llvm::Error err = parseInputShapeFlag(flag, importOptions))
      return err;
  return llvm::Error::success();
}

llvm::Error applyShapeFlags(const CompileOptions &options, ModuleOp module,
                            const DimBounds &bounds) {
  auto func = module.lookupSymbol<func::FuncOp>(options.funcName);
  llvm::StringSet<> names, dimNames;
  for (unsigned i = 0; func && i < func.getNumArguments(); ++i) {
    if (auto name = func.getArgAttrOfType<StringAttr>(
            i, onnx::ONNXDialect::kNameAttrName))
      names.insert(name.getValue());
    if (auto params = func.getArgAttrOfType<ArrayAttr>(
            i, onnx::ONNXDialect::kDimParamsAttrName))
      for (auto param : params.getAsValueRange<StringAttr>())
        dimNames.insert(param);
  }
  for (llvm::StringRef flag : options.inputShapes) {
    llvm::StringRef name = flag.split('=').first;
    if (!names.contains(name))
      return makeError(ErrorKind::Usage,
                       "--input-shape: the model has no graph input '" + name +
                           "'");
  }
  if (bounds.empty())
    return llvm::Error::success();
  Builder builder(module.getContext());
  llvm::SmallVector<NamedAttribute> attrs;
  for (const auto &entry : bounds) {
    if (!dimNames.contains(entry.getKey()))
      return makeError(ErrorKind::Usage,
                       "--dim names '" + entry.getKey() +
                           "', which no dynamic graph input dim is named");
    attrs.push_back(builder.getNamedAttr(
        entry.getKey(),
        builder.getDenseI64ArrayAttr(
            {entry.getValue().first, entry.getValue().second})));
  }
  module->setAttr(KilnDialect::kDimBoundsAttrName,
                  builder.getDictionaryAttr(attrs));
  return llvm::Error::success();
}

} // namespace kiln::driver
