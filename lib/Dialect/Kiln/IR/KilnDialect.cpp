//===- KilnDialect.cpp - the kiln dialect ---------------------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/Kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln;

#include "kiln/Dialect/Kiln/IR/KilnDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/Dialect/Kiln/IR/KilnAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "kiln/Dialect/Kiln/IR/KilnOps.cpp.inc"

void KilnDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "kiln/Dialect/Kiln/IR/KilnAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "kiln/Dialect/Kiln/IR/KilnOps.cpp.inc"
      >();
}

LogicalResult DotU8S8Op::verify() {
  if (getA().getType().getNumElements() !=
      4 * getAcc().getType().getNumElements())
    return emitOpError("needs 4 bytes of each operand per i32 lane");
  return success();
}

namespace {
/// Whether `value` is a dictionary of `array<i64: min, max>` with
/// 0 <= min and (max == -1 or min <= max).
bool isDimBounds(Attribute value) {
  auto dict = dyn_cast<DictionaryAttr>(value);
  return dict && llvm::all_of(dict, [](NamedAttribute bound) {
           auto range = dyn_cast<DenseI64ArrayAttr>(bound.getValue());
           return range && range.size() == 2 && range[0] >= 0 &&
                  (range[1] == -1 || range[0] <= range[1]);
         });
}

/// What the attribute named `name` must hold; empty if it may hold `value`.
StringRef checkAttribute(StringRef name, Attribute value) {
  if (name == KilnDialect::kLoweringConfigAttrName)
    return isa<LoweringConfigAttr>(value) ? "" : "a #kiln.lowering_config";
  if (name == KilnDialect::kTranslationInfoAttrName)
    return isa<TranslationInfoAttr>(value) ? "" : "a #kiln.translation_info";
  if (name == KilnDialect::kSignatureAttrName)
    return isa<DictionaryAttr>(value) ? "" : "a dictionary";
  if (name == KilnDialect::kDimBoundsAttrName)
    return isDimBounds(value) ? "" : "a dictionary of array<i64: min, max>";
  if (name == KilnDialect::kPrecisionAttrName) {
    auto precision = dyn_cast<StringAttr>(value);
    return precision && llvm::is_contained({"int8", "int4", "f32"},
                                           precision.getValue())
               ? ""
               : "\"int8\", \"int4\" or \"f32\"";
  }
  if (name == KilnDialect::kBlockSizeAttrName) {
    auto block = dyn_cast<IntegerAttr>(value);
    return block && block.getInt() >= 2 && block.getInt() % 2 == 0
               ? ""
               : "an even integer of at least 2";
  }
  if (name == KilnDialect::kActivationRangeAttrName) {
    auto range = dyn_cast<DenseF64ArrayAttr>(value);
    return range && range.size() == 2 && range[0] <= range[1]
               ? ""
               : "an array<f64: min, max> with min <= max";
  }
  if (name == KilnDialect::kWorkspaceBytesAttrName)
    return isa<IntegerAttr>(value) ? "" : "an integer";
  if (name == KilnDialect::kDimsFunctionAttrName ||
      name == KilnDialect::kDimsOfAttrName)
    return isa<FlatSymbolRefAttr>(value) ? "" : "a symbol reference";
  if (name == KilnDialect::kShapeChecksAttrName)
    return isa<ArrayAttr>(value) ? "" : "an array of messages";
  if (name == KilnDialect::kWorkspaceAttrName ||
      name == KilnDialect::kParallelAttrName ||
      name == KilnDialect::kParallelTaskAttrName)
    return isa<UnitAttr>(value) ? "" : "a unit attribute";
  return "one of the kiln dialect's attribute names";
}
} // namespace

LogicalResult KilnDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  StringRef expected = checkAttribute(attr.getName(), attr.getValue());
  if (expected.empty())
    return success();
  return op->emitError() << "'" << attr.getName().getValue() << "' must be "
                         << expected;
}

LogicalResult KilnDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                    unsigned,
                                                    NamedAttribute attr) {
  return verifyOperationAttribute(op, attr);
}
