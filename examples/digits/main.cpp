//===- main.cpp - classify digits with a model compiled by kilnc ----------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Links digits.o (from `kilnc digits.onnx -o digits.o`) through the
// generated digits.h: no dlopen, no kiln library. Reads test_set.txt (label,
// 64 pixels, ONNX Runtime's 10 probabilities per line), classifies each
// image and checks kiln's probabilities against ONNX Runtime's. The model
// runs its parallel loops on this program's threads through the
// `parallel_for` hook (a server would hand it its own pool).
//
// Usage: digits test_set.txt
//
//===----------------------------------------------------------------------===//

#include "digits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {
struct ModelDeleter {
  void operator()(digits_model *m) const { digits_model_destroy(m); }
};
struct CtxDeleter {
  void operator()(digits_ctx *c) const { digits_ctx_destroy(c); }
};

/// kiln_hooks.parallel_for: fn over disjoint parts of [0, n), one per
/// hardware thread, the caller running the first. A thread per part keeps
/// the example short; a server would use its pool's threads.
void parallelFor(void *, int64_t n, kiln_task_fn fn, void *arg) {
  int64_t parts = std::min<int64_t>(n, std::thread::hardware_concurrency());
  std::vector<std::thread> helpers;
  for (int64_t p = 1; p < parts; ++p)
    helpers.emplace_back(fn, arg, n * p / parts, n * (p + 1) / parts);
  fn(arg, 0, n / std::max<int64_t>(parts, 1));
  for (std::thread &helper : helpers)
    helper.join();
}
} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s test_set.txt\n", argv[0]);
    return 1;
  }
  char msg[256];
  if (digits_check_host(msg, sizeof msg) != KILN_STATUS_OK) {
    std::fprintf(stderr, "this CPU cannot run the model: %s\n", msg);
    return 1;
  }
  kiln_hooks hooks = {};
  hooks.struct_size = sizeof hooks;
  hooks.parallel_for = parallelFor;
  digits_model *rawModel = nullptr;
  if (digits_model_create(&hooks, nullptr, 0, &rawModel, msg, sizeof msg)) {
    std::fprintf(stderr, "model_create: %s\n", msg);
    return 1;
  }
  std::unique_ptr<digits_model, ModelDeleter> model(rawModel);
  std::printf("the model runs %d loops through parallel_for\n",
              digits_model_info()->num_parallel_loops);
  digits_ctx *rawCtx = nullptr;
  if (digits_ctx_create(model.get(), &rawCtx))
    return 1;
  std::unique_ptr<digits_ctx, CtxDeleter> ctx(rawCtx);

  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  int images = 0, agree = 0, correct = 0;
  double maxDiff = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream fields(line);
    int label;
    float pixels[DIGITS_INPUT_0_ELEMENTS], reference[DIGITS_OUTPUT_0_ELEMENTS];
    fields >> label;
    for (float &p : pixels)
      fields >> p;
    for (float &p : reference)
      fields >> p;
    if (!fields) {
      std::fprintf(stderr, "bad line in %s\n", argv[1]);
      return 1;
    }

    float probs[DIGITS_OUTPUT_0_ELEMENTS];
    int64_t inDims[] = {1, 64}, outDims[2];
    kiln_tensor input = {KILN_DTYPE_FLOAT32, 2, inDims, pixels, sizeof pixels};
    kiln_tensor output = {KILN_DTYPE_FLOAT32, 2, outDims, probs, sizeof probs};
    kiln_status status =
        digits_run(ctx.get(), nullptr, &input, 1, &output, 1, nullptr, 0);
    if (status != KILN_STATUS_OK) {
      std::fprintf(stderr, "run: %s: %s\n", digits_status_string(status),
                   digits_ctx_last_error(ctx.get()));
      return 1;
    }
    int predicted = int(std::max_element(probs, probs + 10) - probs);
    int expected = int(std::max_element(reference, reference + 10) - reference);
    for (int i = 0; i < 10; ++i)
      maxDiff = std::max(maxDiff, (double)std::fabs(probs[i] - reference[i]));
    std::printf("image %2d: kiln predicts %d (p = %.4f), ONNX Runtime %d, "
                "true label %d\n",
                images, predicted, probs[predicted], expected, label);
    ++images;
    agree += predicted == expected;
    correct += predicted == label;
  }
  std::printf("%d/%d predictions equal ONNX Runtime's; largest probability "
              "difference %.2g; %d/%d correct\n",
              agree, images, maxDiff, correct, images);
  bool ok = images > 0 && agree == images && maxDiff <= 1e-5;
  std::printf("%s\n", ok ? "MATCH" : "MISMATCH");
  return ok ? 0 : 1;
}
