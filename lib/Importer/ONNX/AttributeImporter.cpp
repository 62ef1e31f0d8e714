//===- AttributeImporter.cpp - ONNX attributes into MLIR ------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "AttributeImporter.h"

#include "mlir/IR/Builders.h"

using namespace mlir;

namespace kiln::importer {

using AttrProto = ::onnx::AttributeProto;

/// The attribute's kind; IR versions before 3 may leave `type` unset.
static AttrProto::AttributeType getKind(const AttrProto &a) {
  if (a.type() != AttrProto::UNDEFINED)
    return a.type();
  if (a.has_f())
    return AttrProto::FLOAT;
  if (a.has_i())
    return AttrProto::INT;
  if (a.has_s())
    return AttrProto::STRING;
  if (a.has_t())
    return AttrProto::TENSOR;
  if (a.floats_size())
    return AttrProto::FLOATS;
  if (a.ints_size())
    return AttrProto::INTS;
  if (a.strings_size())
    return AttrProto::STRINGS;
  return AttrProto::UNDEFINED;
}

/// A scalar or 1-D constant from Constant's value_float(s)/value_int(s).
static ElementsAttr makeConstantValue(Builder &b, AttrProto &a,
                                      AttrProto::AttributeType kind) {
  switch (kind) {
  case AttrProto::FLOAT:
    return DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                  a.f());
  case AttrProto::INT:
    return DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                  (int64_t)a.i());
  case AttrProto::FLOATS: {
    SmallVector<float> v(a.floats().begin(), a.floats().end());
    return DenseElementsAttr::get(
        RankedTensorType::get({(int64_t)v.size()}, b.getF32Type()),
        ArrayRef<float>(v));
  }
  case AttrProto::INTS: {
    SmallVector<int64_t> v(a.ints().begin(), a.ints().end());
    return DenseElementsAttr::get(
        RankedTensorType::get({(int64_t)v.size()}, b.getI64Type()),
        ArrayRef<int64_t>(v));
  }
  default:
    return {};
  }
}

LogicalResult importAttributes(::onnx::NodeProto &node, Location loc,
                               StringRef label, TensorImporter &tensors,
                               ImportDiagnostics &diags, NamedAttrList &attrs) {
  Builder b(loc.getContext());
  bool isConstant = node.op_type() == "Constant";
  for (AttrProto &a : *node.mutable_attribute()) {
    if (a.name().empty())
      return diags.invalid(loc) << "node '" << label << "' (" << node.op_type()
                                << ") has an attribute without a name";
    if (!a.ref_attr_name().empty())
      return diags.invalid(loc) << "node '" << label << "' (" << node.op_type()
                                << ") refers to a function attribute '"
                                << a.ref_attr_name() << "' outside a function";
    if (attrs.get(a.name()))
      return diags.invalid(loc) << "node '" << label << "' (" << node.op_type()
                                << ") repeats attribute '" << a.name() << "'";
    AttrProto::AttributeType kind = getKind(a);
    std::string what = "attribute '" + a.name() + "' of node '" + label.str() +
                       "' (" + node.op_type() + ")";
    if (isConstant && a.name() != "value") {
      if (a.name() == "value_string" || a.name() == "value_strings" ||
          a.name() == "sparse_value")
        return diags.unsupported(loc)
               << "Constant node '" << label << "' uses " << a.name();
      ElementsAttr v = makeConstantValue(b, a, kind);
      if (!v || !StringRef(a.name()).starts_with("value_"))
        return diags.invalid(loc)
               << what << " is not a valid Constant attribute";
      attrs.set("value", v);
      continue;
    }
    Attribute value;
    switch (kind) {
    case AttrProto::FLOAT:
      value = b.getF32FloatAttr(a.f());
      break;
    case AttrProto::INT:
      value = b.getI64IntegerAttr(a.i());
      break;
    case AttrProto::STRING:
      value = b.getStringAttr(a.s());
      break;
    case AttrProto::FLOATS:
      value = b.getF32ArrayAttr(
          SmallVector<float>(a.floats().begin(), a.floats().end()));
      break;
    case AttrProto::INTS:
      value = b.getI64ArrayAttr(
          SmallVector<int64_t>(a.ints().begin(), a.ints().end()));
      break;
    case AttrProto::STRINGS: {
      SmallVector<StringRef> s(a.strings().begin(), a.strings().end());
      value = b.getStrArrayAttr(s);
      break;
    }
    case AttrProto::TENSOR: {
      FailureOr<ElementsAttr> t =
          tensors.importTensor(*a.mutable_t(), loc, what);
      if (failed(t))
        return failure();
      value = *t;
      break;
    }
    case AttrProto::UNDEFINED:
      return diags.invalid(loc) << what << " has no value";
    default:
      return diags.unsupported(loc)
             << what << " has kind " << AttrProto::AttributeType_Name(kind)
             << " (graphs, sparse tensors and type protos are not supported)";
    }
    attrs.set(a.name(), value);
  }
  return success();
}

} // namespace kiln::importer
