//===- ModelModule.cpp - a model as one LLVM module with its C ABI --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/ModelModule.h"
#include "EmbeddedFiles.h"
#include "kiln/Dialect/Kiln/IR/KilnDialect.h"
#include "kiln/Target/CPU/TargetMachine.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/IPO/Internalize.h"

using namespace llvm;

namespace kiln::cpu {

using abi::BuildInfo;
using abi::DimSymbol;
using abi::ModelSignature;
using abi::TensorSignature;

namespace {

Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// Writes the `kiln_gen_*` globals model_abi.c declares.
class TableWriter {
public:
  TableWriter(Module &module)
      : module(module), context(module.getContext()),
        ptrType(PointerType::getUnqual(context)),
        i32(Type::getInt32Ty(context)), i64(Type::getInt64Ty(context)) {}

  /// A private NUL-terminated string constant.
  Constant *string(StringRef text) {
    auto it = strings.find(text);
    if (it != strings.end())
      return it->second;
    Constant *data = ConstantDataArray::getString(context, text);
    auto *global =
        new GlobalVariable(module, data->getType(), true,
                           GlobalValue::PrivateLinkage, data, ".kiln.str");
    global->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    global->setAlignment(Align(1));
    return strings[text] = global;
  }

  /// A private constant array, or null for an empty one.
  Constant *array(Type *element, ArrayRef<Constant *> values) {
    if (values.empty())
      return ConstantPointerNull::get(ptrType);
    auto *type = ArrayType::get(element, values.size());
    return new GlobalVariable(module, type, true, GlobalValue::PrivateLinkage,
                              ConstantArray::get(type, values), ".kiln.table");
  }

  Constant *int64Array(ArrayRef<int64_t> values) {
    SmallVector<Constant *> constants;
    for (int64_t v : values)
      constants.push_back(ConstantInt::get(i64, v));
    return array(i64, constants);
  }

  /// An external constant model_abi.c refers to by name.
  void define(StringRef name, Constant *value) {
    auto *global =
        new GlobalVariable(module, value->getType(), true,
                           GlobalValue::ExternalLinkage, value, name);
    global->setAlignment(Align(8));
  }

  /// kiln_tensor_desc {u32 struct_size, ptr name, i32 dtype, i32 rank,
  /// ptr dims, ptr dim_names}.
  void defineDescriptors(StringRef name, ArrayRef<TensorSignature> tensors) {
    auto *type =
        StructType::get(context, {i32, ptrType, i32, i32, ptrType, ptrType});
    uint64_t size = module.getDataLayout().getTypeAllocSize(type);
    SmallVector<Constant *> descs;
    for (const TensorSignature &tensor : tensors) {
      SmallVector<Constant *> names;
      for (const std::string &dimName : tensor.dimNames)
        names.push_back(string(dimName));
      descs.push_back(ConstantStruct::get(
          type, {ConstantInt::get(i32, size), string(tensor.name),
                 ConstantInt::get(i32, tensor.dtype),
                 ConstantInt::get(i32, tensor.dims.size()),
                 int64Array(tensor.dims), array(ptrType, names)}));
    }
    // A zero-length array still needs a definition.
    auto *arrayType = ArrayType::get(type, descs.size());
    define(name, ConstantArray::get(arrayType, descs));
  }

  /// kiln_dim_symbol {u32 struct_size, ptr name, i64 min, i64 max}, and per
  /// input a table of each dim's symbol index (-1 for none).
  void defineSymbols(const ModelSignature &signature) {
    auto *type = StructType::get(context, {i32, ptrType, i64, i64});
    uint64_t size = module.getDataLayout().getTypeAllocSize(type);
    SmallVector<Constant *> symbols;
    for (const DimSymbol &symbol : signature.symbols)
      symbols.push_back(ConstantStruct::get(
          type, {ConstantInt::get(i32, size), string(symbol.name),
                 ConstantInt::get(i64, symbol.min),
                 ConstantInt::get(i64, symbol.max)}));
    define("kiln_gen_num_dim_symbols",
           ConstantInt::get(i32, signature.symbols.size()));
    define("kiln_gen_dim_symbols",
           ConstantArray::get(ArrayType::get(type, symbols.size()), symbols));
    SmallVector<Constant *> tables;
    for (const TensorSignature &tensor : signature.inputs) {
      SmallVector<Constant *> indices;
      for (int32_t index : tensor.dimSymbols)
        indices.push_back(ConstantInt::get(i32, index));
      tables.push_back(array(i32, indices));
    }
    define("kiln_gen_input_dim_symbols",
           ConstantArray::get(ArrayType::get(ptrType, tables.size()), tables));
  }

  /// kiln_model_info, field for field as kiln_types.h declares it.
  void defineModelInfo(const ModelSignature &signature, const BuildInfo &build,
                       int32_t numParallelLoops) {
    SmallVector<Type *> fields{i32, i32};
    fields.append(9, ptrType);
    fields.append({i32, ptrType, ptrType, i32, i32, ptrType});
    auto *type = StructType::get(context, fields);
    SmallVector<Constant *> domains;
    SmallVector<int64_t> versions;
    for (const auto &[domain, version] : signature.opsets) {
      domains.push_back(string(domain.empty() ? "ai.onnx" : domain));
      versions.push_back(version);
    }
    SmallVector<Constant *> variants;
    for (const std::string &variant : abi::getVariantCPUs(build))
      variants.push_back(string(variant));
    define("kiln_gen_model_info",
           ConstantStruct::get(
               type,
               {ConstantInt::get(i32,
                                 module.getDataLayout().getTypeAllocSize(type)),
                ConstantInt::get(i32, 1), string(build.prefix),
                string(signature.graphName), string(signature.producer),
                string(build.compilerVersion), string(build.compilerFlags),
                string(build.targetTriple), string(build.targetCPU),
                string(build.targetFeatures), string(build.pipeline),
                ConstantInt::get(i32, domains.size()), array(ptrType, domains),
                int64Array(versions), ConstantInt::get(i32, numParallelLoops),
                ConstantInt::get(i32, variants.size()),
                array(ptrType, variants)}));
  }

  Module &module;
  LLVMContext &context;
  PointerType *ptrType;
  IntegerType *i32, *i64;
  StringMap<Constant *> strings;
};

/// The loops the code runs through the caller's `parallel_for`: one task
/// function each (kiln-outline-parallel-loops).
int32_t countParallelLoops(mlir::ModuleOp module) {
  return llvm::count_if(module.getOps<mlir::LLVM::LLVMFuncOp>(),
                        [](mlir::LLVM::LLVMFuncOp f) {
                          return f->hasAttr(KilnDialect::kParallelTaskAttrName);
                        });
}

/// `void <name>(void **descriptors)`: unpacks one memref descriptor per
/// argument ({allocated, aligned, offset, sizes[r], strides[r]}) into the
/// expanded arguments the MLIR LLVM lowering gives `compute`.
Error defineEntry(Module &module, Function &compute, StringRef name,
                  ArrayRef<int64_t> ranks) {
  LLVMContext &context = module.getContext();
  Type *ptrType = PointerType::getUnqual(context);
  Type *i64 = Type::getInt64Ty(context);
  int64_t expected = 0;
  for (int64_t rank : ranks)
    expected += 3 + 2 * rank;
  if ((int64_t)compute.arg_size() != expected)
    return makeError("the graph function takes " + Twine(compute.arg_size()) +
                     " LLVM arguments, expected " + Twine(expected));
  auto *type = FunctionType::get(Type::getVoidTy(context), {ptrType}, false);
  Function *entry =
      Function::Create(type, GlobalValue::ExternalLinkage, name, module);
  IRBuilder<> builder(BasicBlock::Create(context, "entry", entry));
  SmallVector<Value *> args;
  for (auto [index, rank] : llvm::enumerate(ranks)) {
    Value *slot = builder.CreateConstGEP1_64(ptrType, entry->getArg(0), index);
    Value *desc = builder.CreateLoad(ptrType, slot);
    for (int64_t field = 0; field < 3 + 2 * rank; ++field) {
      Type *fieldType = field < 2 ? ptrType : i64;
      if (compute.getArg(args.size())->getType() != fieldType)
        return makeError("unexpected type of LLVM argument " +
                         Twine(args.size()) + " of the graph function");
      Value *at = builder.CreateConstGEP1_64(i64, desc, field);
      args.push_back(builder.CreateLoad(fieldType, at));
    }
  }
  builder.CreateCall(&compute, args);
  builder.CreateRetVoid();
  return Error::success();
}

Expected<std::unique_ptr<Module>> loadRuntime(const Triple &triple,
                                              LLVMContext &context) {
  StringRef bitcode = getABIRuntimeBitcode(triple.getArchName());
  if (bitcode.empty())
    bitcode = getABIRuntimeBitcode(Triple::getArchTypeName(triple.getArch()));
  if (bitcode.empty())
    return makeError("kiln has no ABI runtime for the architecture '" +
                     triple.getArchName() + "' (x86_64 and aarch64 only)");
  return parseBitcodeFile(MemoryBufferRef(bitcode, "model_abi.bc"), context);
}

} // namespace

Error exportABI(Module &module, StringRef prefix, bool exportGenericAPI) {
  StringSet<> exported;
  for (Function &function : module) {
    StringRef name = function.getName();
    if (function.isDeclaration() || !name.consume_front("kiln_abi_"))
      continue;
    std::string renamed = (prefix + "_" + name).str();
    if (Function *clash = module.getFunction(renamed))
      clash->setName(renamed + ".internal");
    function.setName(renamed);
    function.setVisibility(GlobalValue::DefaultVisibility);
    exported.insert(renamed);
  }
  if (exportGenericAPI) {
    Function *api = module.getFunction((prefix + "_get_model_api").str());
    if (!api)
      return makeError("the ABI runtime defines no get_model_api");
    GlobalAlias *alias = GlobalAlias::create(GlobalValue::ExternalLinkage,
                                             "kiln_get_model_api", api);
    alias->setVisibility(GlobalValue::DefaultVisibility);
    exported.insert(alias->getName());
  }
  internalizeModule(module, [&](const GlobalValue &value) {
    return exported.contains(value.getName());
  });
  return Error::success();
}

void optimizeModule(Module &module, TargetMachine &machine) {
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder builder(&machine);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  ModulePassManager mpm;
  switch (machine.getOptLevel()) {
  case CodeGenOptLevel::None:
    mpm = builder.buildO0DefaultPipeline(OptimizationLevel::O0);
    break;
  case CodeGenOptLevel::Less:
    mpm = builder.buildPerModuleDefaultPipeline(OptimizationLevel::O1);
    break;
  case CodeGenOptLevel::Default:
    mpm = builder.buildPerModuleDefaultPipeline(OptimizationLevel::O2);
    break;
  case CodeGenOptLevel::Aggressive:
    mpm = builder.buildPerModuleDefaultPipeline(OptimizationLevel::O3);
    break;
  }
  mpm.run(module, mam);
}

Expected<std::unique_ptr<Module>>
buildModelModule(mlir::ModuleOp mlirModule, const ModelSignature &signature,
                 const BuildInfo &build, TargetMachine &machine,
                 LLVMContext &context, const ModelModuleOptions &options) {
  auto graph =
      mlirModule.lookupSymbol<mlir::LLVM::LLVMFuncOp>(options.funcName);
  if (!graph)
    return makeError("no LLVM function '" + options.funcName + "'");
  uint64_t workspaceBytes = 0;
  if (auto bytes = graph->getAttrOfType<mlir::IntegerAttr>(
          KilnDialect::kWorkspaceBytesAttrName))
    workspaceBytes = bytes.getInt();
  SmallVector<std::string> checks;
  if (auto dimsFunc = mlirModule.lookupSymbol<mlir::LLVM::LLVMFuncOp>(
          options.funcName + "_dims"))
    if (auto messages = dimsFunc->getAttrOfType<mlir::ArrayAttr>(
            KilnDialect::kShapeChecksAttrName))
      for (auto message : messages.getAsValueRange<mlir::StringAttr>())
        checks.push_back(message.str());

  std::unique_ptr<Module> module =
      mlir::translateModuleToLLVMIR(mlirModule, context, build.prefix);
  if (!module)
    return makeError("cannot translate the llvm-phase module to LLVM IR");
  module->setTargetTriple(machine.getTargetTriple());
  module->setDataLayout(machine.createDataLayout());

  Function *compute = module->getFunction(options.funcName);
  if (!compute)
    return makeError("the graph function is missing from the LLVM module");
  compute->setName("kiln_gen_compute");
  Function *dims = module->getFunction(options.funcName + "_dims");
  if (!dims)
    return makeError("the dims function is missing from the LLVM module");
  dims->setName("kiln_gen_dims_compute");
  // compute(inputs, workspace, outputs); dims(inputs, memref<?xi64>).
  SmallVector<int64_t> ranks;
  for (const TensorSignature &tensor : signature.inputs)
    ranks.push_back(tensor.dims.size());
  ranks.push_back(1);
  if (Error err = defineEntry(*module, *dims, "kiln_gen_dims", ranks))
    return std::move(err);
  for (const TensorSignature &tensor : signature.outputs)
    ranks.push_back(tensor.dims.size());
  if (Error err = defineEntry(*module, *compute, "kiln_gen_entry", ranks))
    return std::move(err);

  TableWriter tables(*module);
  tables.define("kiln_gen_num_inputs",
                ConstantInt::get(tables.i32, signature.inputs.size()));
  tables.define("kiln_gen_num_outputs",
                ConstantInt::get(tables.i32, signature.outputs.size()));
  tables.defineDescriptors("kiln_gen_input_descs", signature.inputs);
  tables.defineDescriptors("kiln_gen_output_descs", signature.outputs);
  tables.defineModelInfo(signature, build, countParallelLoops(mlirModule));
  tables.defineSymbols(signature);
  std::string json;
  raw_string_ostream jsonStream(json);
  abi::writeMetadataJSON(signature, build, jsonStream);
  tables.define("kiln_gen_metadata_json",
                ConstantDataArray::getString(context, json));
  SmallVector<Constant *> messages;
  for (const std::string &check : checks)
    messages.push_back(tables.string(check));
  tables.define("kiln_gen_num_shape_checks",
                ConstantInt::get(tables.i32, messages.size()));
  tables.define("kiln_gen_shape_checks",
                ConstantArray::get(
                    ArrayType::get(tables.ptrType, messages.size()), messages));
  tables.define("kiln_gen_workspace_bytes",
                ConstantInt::get(tables.i64, workspaceBytes));
  tables.define("kiln_gen_x86_features",
                ConstantInt::get(tables.i32, getRequiredX86Features(machine)));

  Expected<std::unique_ptr<Module>> runtime =
      loadRuntime(machine.getTargetTriple(), context);
  if (!runtime)
    return runtime.takeError();
  (*runtime)->setTargetTriple(machine.getTargetTriple());
  (*runtime)->setDataLayout(machine.createDataLayout());
  if (Linker::linkModules(*module, std::move(*runtime)))
    return makeError("cannot link the ABI runtime into the model");

  if (Error err = exportABI(*module,
                            options.symbolPrefix.empty() ? build.prefix
                                                         : options.symbolPrefix,
                            options.exportGenericAPI))
    return std::move(err);

  std::string errors;
  raw_string_ostream errorStream(errors);
  if (verifyModule(*module, &errorStream))
    return makeError("the model's LLVM module is invalid: " + errors);
  if (options.optimize)
    optimizeModule(*module, machine);
  return std::move(module);
}

void releaseResourceData(mlir::ModuleOp module) {
  module.walk([](mlir::Operation *op) {
    for (mlir::NamedAttribute attr : op->getAttrs())
      if (auto resource =
              dyn_cast<mlir::DenseResourceElementsAttr>(attr.getValue()))
        if (auto *entry = resource.getRawHandle().getResource())
          entry->setBlob(mlir::AsmResourceBlob());
  });
}

} // namespace kiln::cpu
