//===- LayerFeatures.h - what the sensitivity predictor reads ---*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_DIALECT_ONNX_TRANSFORMS_LAYERFEATURES_H
#define KILN_LIB_DIALECT_ONNX_TRANSFORMS_LAYERFEATURES_H

#include "QuantizableLayers.h"

#include "kiln/Quantization/Calibration.h"
#include "kiln/Quantization/SensitivityModel.h"

namespace kiln::onnx {

/// The predictor's features of `layers[index]`, from its weights, the
/// table's range and mean square of its activation and mean square of
/// its output; none if the table lacks one or the weights cannot be read.
std::optional<quant::LayerFeatures>
getLayerFeatures(llvm::ArrayRef<QuantizableLayer> layers, size_t index,
                 const quant::CalibrationTable &table);

/// Writes one JSON line per layer of `layers`: its key, op, multiply-adds,
/// features and the table's measured sensitivity (null if none), the
/// predictor's training data (utils/sensitivity/collect.py).
void writeLayerFeatures(llvm::ArrayRef<QuantizableLayer> layers,
                        const quant::CalibrationTable &table,
                        llvm::raw_ostream &os);

/// The reduced length of a layer: C x kh x kw for a Conv, K otherwise.
int64_t getReducedLength(const QuantizableLayer &layer);

} // namespace kiln::onnx

#endif // KILN_LIB_DIALECT_ONNX_TRANSFORMS_LAYERFEATURES_H
