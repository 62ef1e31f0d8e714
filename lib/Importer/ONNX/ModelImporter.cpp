//===- ModelImporter.cpp - ONNX model files into MLIR modules -------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Importer/ONNX/ONNXImporter.h"

#include "GraphImporter.h"
#include "OpsetUpgrade.h"
#include "TextFormat.h"

#include "kiln/Dialect/ONNX/IR/ONNXDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <climits>

using namespace mlir;

namespace kiln::importer {

void loadImporterDialects(MLIRContext &context) {
  context.loadDialect<kiln::onnx::ONNXDialect, func::FuncDialect>();
}

static ImportResult fail(ImportDiagnostics &diags, ImportStatus status) {
  ImportResult r;
  r.status = status;
  r.numInvalid = diags.numInvalid;
  r.numUnsupported = diags.numUnsupported;
  return r;
}

/// Parses binary protobuf, refusing trailing garbage and truncation.
static bool parseBinary(StringRef buffer, ::onnx::ModelProto &model) {
  if (buffer.size() > (size_t)INT_MAX)
    return false;
  google::protobuf::io::ArrayInputStream stream(buffer.data(),
                                                (int)buffer.size());
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  return model.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage();
}

/// A model older than kiln reads (Add before opset 7, BatchNormalization
/// before 9...) brought to the opset its ops need by ONNX's version
/// converter; unsupported if it cannot be.
static LogicalResult upgradeOldOpset(::onnx::ModelProto &model,
                                     ImportDiagnostics &diags, Location loc) {
  int64_t opset = getModelOpset(model);
  if (opset < 1)
    return success(); // refused as invalid below
  int64_t needed = getNeededOpset(model.graph(), opset);
  if (needed <= opset)
    return success();
  std::string error;
  if (upgradeOpset(model, needed, error))
    return success();
  diags.unsupported(loc) << "the model's opset " << opset
                         << " is older than its ops need here (" << needed
                         << "), and ONNX's version converter could not "
                            "upgrade it: "
                         << error;
  return failure();
}

ImportResult importONNXBuffer(StringRef buffer, bool isText,
                              StringRef modelPath, MLIRContext &context,
                              const ImportOptions &options) {
  loadImporterDialects(context);
  ImportDiagnostics diags;
  Location fileLoc = FileLineColLoc::get(&context, modelPath, 0, 0);

  ::onnx::ModelProto model;
  if (buffer.empty()) {
    diags.invalid(fileLoc) << "the model file is empty";
    return fail(diags, ImportStatus::InvalidModel);
  }
  if (isText) {
    std::string error;
    if (!parseONNXText(buffer.str(), model, error)) {
      diags.invalid(fileLoc) << "malformed ONNX text: " << error;
      return fail(diags, ImportStatus::InvalidModel);
    }
  } else if (!parseBinary(buffer, model)) {
    diags.invalid(fileLoc)
        << "not a valid ONNX protobuf (malformed or truncated, "
        << buffer.size() << " bytes)";
    return fail(diags, ImportStatus::InvalidModel);
  }
  if (!model.has_ir_version() || model.ir_version() <= 0) {
    diags.invalid(fileLoc) << "the model has no ir_version (is it an ONNX "
                              "model?)";
    return fail(diags, ImportStatus::InvalidModel);
  }
  if (!model.has_graph()) {
    diags.invalid(fileLoc) << "the model has no graph";
    return fail(diags, ImportStatus::InvalidModel);
  }

  if (failed(upgradeOldOpset(model, diags, fileLoc)))
    return fail(diags, ImportStatus::Unsupported);

  llvm::StringMap<int64_t> opsets;
  Builder b(&context);
  SmallVector<NamedAttribute> opsetAttrs;
  for (const ::onnx::OperatorSetIdProto &id : model.opset_import()) {
    std::string domain = id.domain().empty() ? "ai.onnx" : id.domain();
    if (id.version() <= 0) {
      diags.invalid(fileLoc) << "opset import of domain '" << domain
                             << "' has invalid version " << id.version();
      return fail(diags, ImportStatus::InvalidModel);
    }
    if (!opsets.try_emplace(domain, id.version()).second) {
      diags.invalid(fileLoc)
          << "domain '" << domain << "' is imported more than once";
      return fail(diags, ImportStatus::InvalidModel);
    }
    opsetAttrs.push_back(
        b.getNamedAttr(domain, b.getI64IntegerAttr(id.version())));
  }
  // IR version 3 and later require opset_import; older models mean opset 1.
  if (opsets.empty())
    opsets["ai.onnx"] = 1;

  OwningOpRef<ModuleOp> module(ModuleOp::create(fileLoc));
  OpBuilder builder(module->getBodyRegion());
  auto setAttr = [&](StringRef name, Attribute a) {
    (*module)->setAttr(name, a);
  };
  setAttr(onnx::ONNXDialect::kIRVersionAttrName,
          b.getI64IntegerAttr(model.ir_version()));
  setAttr(onnx::ONNXDialect::kOpsetImportAttrName,
          b.getDictionaryAttr(opsetAttrs));
  if (!model.producer_name().empty())
    setAttr(onnx::ONNXDialect::kProducerNameAttrName,
            b.getStringAttr(model.producer_name()));
  if (!model.producer_version().empty())
    setAttr(onnx::ONNXDialect::kProducerVersionAttrName,
            b.getStringAttr(model.producer_version()));
  if (!model.graph().name().empty())
    setAttr(onnx::ONNXDialect::kGraphNameAttrName,
            b.getStringAttr(model.graph().name()));

  std::string modelDir = llvm::sys::path::parent_path(modelPath).str();
  TensorImporter tensors(&context, diags, modelDir,
                         options.denseResourceThreshold);
  GraphImporter graph(&context, diags, tensors, modelPath, opsets, options);
  if (failed(graph.import(*model.mutable_graph(), builder, options.funcName)))
    return fail(diags, diags.numUsage     ? ImportStatus::BadOption
                       : diags.numInvalid ? ImportStatus::InvalidModel
                                          : ImportStatus::Unsupported);
  ImportResult result;
  result.module = std::move(module);
  return result;
}

static bool isTextPath(StringRef path) {
  StringRef ext = llvm::sys::path::extension(path);
  return ext == ".onnxtxt" || ext == ".onnxtext";
}

ImportResult importONNXFile(StringRef path, MLIRContext &context,
                            const ImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file) {
    emitError(FileLineColLoc::get(&context, path, 0, 0))
        << "cannot read the model: " << file.getError().message();
    ImportResult r;
    r.status = ImportStatus::IOError;
    return r;
  }
  return importONNXBuffer((*file)->getBuffer(), isTextPath(path), path, context,
                          options);
}

} // namespace kiln::importer
