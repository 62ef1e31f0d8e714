//===- Samples.h - requests with ONNX Runtime's answers ---------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// What the load client sends and expects: an input of one model and the
// output ONNX Runtime computed for it, read from the examples' reference
// files, with the request body made once.
//
//   ../digits/test_set.txt     label, 64 pixels, 10 probabilities
//   tiny_cnn_test_set.txt      batch B, B*64 pixels, B*10 probabilities
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LOAD_CLIENT_SAMPLES_H
#define KILN_LOAD_CLIENT_SAMPLES_H

#include <cstdint>
#include <string>
#include <vector>

namespace kiln_client {

struct Sample {
  std::string model;               // served name: "digits", "tiny_cnn"
  std::string inputName;           // "pixels", "image"
  std::vector<int64_t> inputShape; // [1, 64], [B, 1, 8, 8]
  std::vector<float> input;
  std::vector<int64_t> outputShape; // [1, 10], [B, 10]
  std::vector<float> expected;      // ONNX Runtime's output
  std::string body;                 // the infer request's JSON

  std::string path() const { return "/v2/models/" + model + "/infer"; }
};

/// The digits test set as requests to model "digits".
bool readDigitsSamples(const std::string &path, std::vector<Sample> &samples,
                       std::string &error);

/// tiny_cnn_test_set.txt as requests to model "tiny_cnn".
bool readTinyCnnSamples(const std::string &path, std::vector<Sample> &samples,
                        std::string &error);

/// The infer request of `sample` (with `extra` members spliced into the
/// body's object, e.g. "\"id\": \"7\"").
std::string inferBody(const Sample &sample, const std::string &extra = "");

} // namespace kiln_client

#endif // KILN_LOAD_CLIENT_SAMPLES_H
