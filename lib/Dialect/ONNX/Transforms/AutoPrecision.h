//===- AutoPrecision.h - int8 layers within an accuracy budget --*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// --quantize=auto's policy: which layers go int8 so that the output SQNR
// stays within a budget, from each layer's measured sensitivity.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DIALECT_ONNX_TRANSFORMS_AUTOPRECISION_H
#define KILN_LIB_DIALECT_ONNX_TRANSFORMS_AUTOPRECISION_H

#include "QuantizableLayers.h"

#include "kiln/Quantization/Calibration.h"

#include "llvm/ADT/StringSet.h"

namespace kiln::onnx {

/// One layer's choice: int8, or f32 and why.
struct PrecisionChoice {
  mlir::Operation *op;
  bool int8;
  std::string why;
};

/// The multiply-adds of a layer (dynamic dims counted as 1).
int64_t getMultiplyAdds(const QuantizableLayer &layer);

/// Where a layer's sensitivity comes from: the table's measurement, or
/// the learned predictor (quant::predictSensitivity).
enum class SensitivitySource { Measured, Predicted };

/// Each layer's noise-to-signal ratio (int8 alone) is taken to add up at
/// the output. Layers go int8 in order of multiply-adds per unit of noise
/// while the sum stays under 10^(-budgetDb / 10); those `kept` names, and
/// those without a range or a sensitivity (or, predicted, the
/// features), stay f32.
std::vector<PrecisionChoice>
chooseWithinBudget(llvm::ArrayRef<QuantizableLayer> layers,
                   const quant::CalibrationTable &table, double budgetDb,
                   const llvm::StringSet<> &kept, SensitivitySource source);

} // namespace kiln::onnx

#endif // KILN_LIB_DIALECT_ONNX_TRANSFORMS_AUTOPRECISION_H
