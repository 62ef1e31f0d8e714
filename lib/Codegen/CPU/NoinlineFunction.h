//===- NoinlineFunction.h - private functions LLVM keeps apart --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_NOINLINEFUNCTION_H
#define KILN_LIB_CODEGEN_NOINLINEFUNCTION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"

namespace kiln {

/// A private `func.func` that LLVM does not inline back into its caller
/// (func-to-llvm keeps `passthrough`, which becomes LLVM's noinline), with
/// an entry block: the kernels and segments the outlining passes make.
inline mlir::func::FuncOp createNoinlineFunction(mlir::OpBuilder &builder,
                                                 mlir::Location loc,
                                                 llvm::StringRef name,
                                                 mlir::FunctionType type) {
  auto func = mlir::func::FuncOp::create(builder, loc, name, type);
  func.setPrivate();
  func->setAttr("passthrough",
                builder.getArrayAttr({builder.getStringAttr("noinline")}));
  func.addEntryBlock();
  return func;
}

/// Whether an outlining pass clones `value` into the new function rather
/// than passing it: a constant without operands.
inline bool isClonableConstant(mlir::Value value) {
  mlir::Operation *def = value.getDefiningOp();
  return def && def->getNumOperands() == 0 &&
         def->hasTrait<mlir::OpTrait::ConstantLike>();
}

/// The values an outlined function takes as arguments: those of `captured`
/// it does not clone.
inline llvm::SmallVector<mlir::Value>
getOutlinedArguments(const llvm::SetVector<mlir::Value> &captured) {
  return llvm::filter_to_vector(
      captured, [](mlir::Value value) { return !isClonableConstant(value); });
}

/// Maps `arguments` to `params` and clones the constants of `captured` at
/// `builder`: what the outlined body uses in place of the captured values.
inline void mapCapturedValues(mlir::OpBuilder &builder,
                              const llvm::SetVector<mlir::Value> &captured,
                              llvm::ArrayRef<mlir::Value> arguments,
                              mlir::ValueRange params,
                              mlir::IRMapping &mapping) {
  mapping.map(arguments, params);
  for (mlir::Value value : captured)
    if (isClonableConstant(value))
      mapping.map(value, builder.clone(*value.getDefiningOp())->getResult(0));
}

} // namespace kiln

#endif // KILN_LIB_CODEGEN_NOINLINEFUNCTION_H
