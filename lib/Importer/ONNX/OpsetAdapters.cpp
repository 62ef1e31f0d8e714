//===- OpsetAdapters.cpp - older opset forms into the dialect's -----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "OpsetAdapters.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::importer {

int64_t getMinSupportedOpset(StringRef opType) {
  // Before these versions the operators had `consumed_inputs`, legacy
  // `broadcast`/`axis` attributes, string-typed Cast targets or other
  // semantics the dialect does not model.
  // clang-format off
  static const llvm::StringMap<int64_t> minOpset = {
      {"Abs", 6}, {"Add", 7}, {"AffineGrid", 20}, {"Attention", 23}, {"BitCast", 26}, {"CenterCropPad", 18},
      {"GridSample", 16}, {"GroupNormalization", 21}, {"ReverseSequence", 10}, {"RotaryEmbedding", 23}, {"SwiGLU", 28}, {"And", 7}, {"AveragePool", 7},
      {"BatchNormalization", 9}, {"Ceil", 6}, {"Clip", 6}, {"Concat", 4},
      {"ConstantOfShape", 9}, {"Cast", 6}, {"Cos", 7}, {"Div", 7},
      {"Dropout", 7}, {"Elu", 6}, {"Equal", 7}, {"Erf", 9}, {"Exp", 6},
      {"Expand", 8}, {"Floor", 6}, {"Gelu", 20}, {"Gemm", 7}, {"Greater", 7},
      {"GreaterOrEqual", 12}, {"HardSigmoid", 6}, {"LayerNormalization", 17},
      {"LeakyRelu", 6}, {"Less", 7}, {"LessOrEqual", 12}, {"Log", 6},
      {"Max", 8}, {"Mean", 8}, {"Min", 8}, {"Mod", 10}, {"Mul", 7},
      {"Neg", 6}, {"Or", 7}, {"Pow", 7}, {"PRelu", 7}, {"Reciprocal", 6},
      {"Relu", 6}, {"Round", 11}, {"Sigmoid", 6}, {"Sign", 9}, {"Sin", 7},
      {"Split", 2}, {"Sqrt", 6}, {"Sub", 7}, {"Sum", 8}, {"Tanh", 6},
      {"Where", 9}, {"Xor", 7},
      {"Acos", 7}, {"Acosh", 9}, {"Asin", 7}, {"Asinh", 9}, {"Atan", 7},
      {"Atanh", 9}, {"BitShift", 11}, {"BitwiseAnd", 18}, {"BitwiseNot", 18},
      {"BitwiseOr", 18}, {"BitwiseXor", 18}, {"CastLike", 15}, {"Celu", 12},
      {"Cosh", 9}, {"CumSum", 11}, {"GatherElements", 11}, {"GatherND", 11},
      {"HardSwish", 14}, {"InstanceNormalization", 6}, {"IsInf", 10},
      {"IsNaN", 9}, {"MeanVarianceNormalization", 9}, {"Mish", 18},
      {"OneHot", 9}, {"Pad", 2}, {"Range", 11}, {"Scatter", 9}, {"ScatterElements", 11}, {"Upsample", 9},
      {"ScatterND", 11}, {"Selu", 6}, {"Shrink", 9}, {"Sinh", 9}, {"Tan", 7},
      {"ThresholdedRelu", 10}, {"Tile", 6}, {"Trilu", 14},
      {"ConvInteger", 10}, {"CumProd", 26}, {"DequantizeLinear", 10}, {"DynamicQuantizeLinear", 11},
      {"EyeLike", 9}, {"LpPool", 11}, {"MatMulInteger", 10},
      {"NegativeLogLikelihoodLoss", 12}, {"QLinearConv", 10},
      {"QLinearMatMul", 10},
      {"QuantizeLinear", 10}, {"RMSNormalization", 23}, {"Resize", 11},
      {"SoftmaxCrossEntropyLoss", 12}};
  // clang-format on
  auto it = minOpset.find(opType);
  return it == minOpset.end() ? 1 : it->second;
}

namespace {
/// An attribute that became input `index` at opset `since`.
struct AttrToInput {
  const char *op;
  int64_t since;
  const char *attr;
  unsigned index;
  enum Kind { Ints, FloatScalar, IntScalarVector } kind;
};
} // namespace

// clang-format off
static const AttrToInput kAttrToInput[] = {
    {"ReduceSum", 13, "axes", 1, AttrToInput::Ints},
    {"ReduceMean", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceMax", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceMin", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceProd", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceL1", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceL2", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceLogSum", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceLogSumExp", 18, "axes", 1, AttrToInput::Ints},
    {"ReduceSumSquare", 18, "axes", 1, AttrToInput::Ints},
    {"Split", 13, "split", 1, AttrToInput::Ints},
    {"Squeeze", 13, "axes", 1, AttrToInput::Ints},
    {"Unsqueeze", 13, "axes", 1, AttrToInput::Ints},
    {"Slice", 10, "starts", 1, AttrToInput::Ints},
    {"Slice", 10, "ends", 2, AttrToInput::Ints},
    {"Slice", 10, "axes", 3, AttrToInput::Ints},
    {"Reshape", 5, "shape", 1, AttrToInput::Ints},
    {"Pad", 11, "pads", 1, AttrToInput::Ints},
    {"Pad", 11, "value", 2, AttrToInput::FloatScalar},
    {"TopK", 10, "k", 1, AttrToInput::IntScalarVector},
    {"Clip", 11, "min", 1, AttrToInput::FloatScalar},
    {"Clip", 11, "max", 2, AttrToInput::FloatScalar},
    {"Dropout", 12, "ratio", 1, AttrToInput::FloatScalar},
};
// clang-format on

void upgradeAttributesToInputs(StringRef opType, int64_t opset,
                               OpBuilder &builder, Location loc, Value noValue,
                               SmallVectorImpl<Value> &operands,
                               NamedAttrList &attrs) {
  for (const AttrToInput &rule : kAttrToInput) {
    if (opType != rule.op || opset >= rule.since)
      continue;
    Attribute attr = attrs.erase(rule.attr);
    if (!attr)
      continue;
    DenseElementsAttr value;
    if (rule.kind == AttrToInput::IntScalarVector) {
      auto i = dyn_cast<IntegerAttr>(attr);
      if (!i) {
        attrs.set(rule.attr, attr);
        continue;
      }
      value = DenseElementsAttr::get(
          RankedTensorType::get({1}, builder.getI64Type()), i.getInt());
    } else if (rule.kind == AttrToInput::FloatScalar) {
      auto f = dyn_cast<FloatAttr>(attr);
      if (!f) {
        attrs.set(rule.attr, attr); // Reported as an unexpected attribute.
        continue;
      }
      // Clip bounds and the Pad value take the input's element type.
      Type elt = opType == "Dropout"
                     ? builder.getF32Type()
                     : getElementTypeOrSelf(operands[0].getType());
      if (!isa<FloatType>(elt))
        elt = builder.getF32Type();
      value = DenseElementsAttr::get(RankedTensorType::get({}, elt),
                                     FloatAttr::get(elt, f.getValueAsDouble()));
    } else {
      auto ints = dyn_cast<ArrayAttr>(attr);
      if (!ints || !llvm::all_of(ints, llvm::IsaPred<IntegerAttr>)) {
        attrs.set(rule.attr, attr);
        continue;
      }
      SmallVector<int64_t> v = getI64s(ints);
      value = DenseElementsAttr::get(
          RankedTensorType::get({(int64_t)v.size()}, builder.getI64Type()),
          ArrayRef<int64_t>(v));
    }
    if (operands.size() <= rule.index)
      operands.resize(rule.index + 1, noValue);
    operands[rule.index] = ONNXConstantOp::create(builder, loc, value);
  }
}

bool isUpgradedAttribute(StringRef opType, int64_t opset, StringRef attr) {
  return llvm::any_of(kAttrToInput, [&](const AttrToInput &rule) {
    return opType == rule.op && opset < rule.since && attr == rule.attr;
  });
}

bool hasCoercedSoftmaxSemantics(StringRef opType, int64_t opset) {
  return (opType == "Softmax" || opType == "LogSoftmax" ||
          opType == "Hardmax") &&
         opset < 13;
}

StringRef getDialectOpType(StringRef opType) {
  if (opType == "Scatter")
    return "ScatterElements";
  if (opType == "Upsample")
    return "Resize";
  return opType;
}

void rewriteLegacyOperator(StringRef opType, OpBuilder &builder, Value noValue,
                           SmallVectorImpl<Value> &operands,
                           NamedAttrList &attrs) {
  if (opType != "Upsample")
    return;
  // Upsample reads input index floor(out / scale): Resize's asymmetric
  // transformation (and floor rounding for nearest).
  SmallVector<Value> resized = {
      operands.empty() ? noValue : operands[0], noValue,
      operands.size() > 1 ? operands[1] : noValue, noValue};
  operands.assign(resized.begin(), resized.end());
  attrs.set("coordinate_transformation_mode",
            builder.getStringAttr("asymmetric"));
  attrs.set("nearest_mode", builder.getStringAttr("floor"));
}

} // namespace kiln::importer
