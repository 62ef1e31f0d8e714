//===- ReplayAdvisor.cpp - lowering configs from a tuning database --------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/LoweringConfigAdvisor.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace kiln {

namespace {
std::string getKeyString(StringRef node, StringRef op, unsigned index) {
  return (node + "\n" + op + "\n" + Twine(index)).str();
}

llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The integers of `array` (of `field`) as an array<i64>.
llvm::Expected<DenseI64ArrayAttr> readIntegers(MLIRContext *ctx,
                                               const llvm::json::Array &array,
                                               StringRef field) {
  SmallVector<int64_t> sizes;
  for (const llvm::json::Value &v : array) {
    std::optional<int64_t> n = v.getAsInteger();
    if (!n)
      return makeError("'" + field + "' must hold integers");
    sizes.push_back(*n);
  }
  return DenseI64ArrayAttr::get(ctx, sizes);
}

/// `entry[field]` as an array<i64>, or null if absent.
llvm::Expected<DenseI64ArrayAttr>
readSizes(MLIRContext *ctx, const llvm::json::Object &entry, StringRef field) {
  const llvm::json::Array *array = entry.getArray(field);
  if (!array)
    return nullptr;
  return readIntegers(ctx, *array, field);
}

/// A list of integer lists (one per tiling level) as an ArrayAttr of
/// array<i64>; null if absent.
llvm::Expected<ArrayAttr>
readLevels(MLIRContext *ctx, const llvm::json::Object &entry, StringRef field) {
  const llvm::json::Array *levels = entry.getArray(field);
  if (!levels)
    return nullptr;
  SmallVector<Attribute> attrs;
  for (const llvm::json::Value &level : *levels) {
    const llvm::json::Array *sizes = level.getAsArray();
    if (!sizes)
      return makeError("'" + field + "' must be a list of lists");
    auto attr = readIntegers(ctx, *sizes, field);
    if (!attr)
      return attr.takeError();
    attrs.push_back(*attr);
  }
  return ArrayAttr::get(ctx, attrs);
}

llvm::Expected<LoweringConfigAttr> readConfig(MLIRContext *ctx,
                                              const llvm::json::Object &entry) {
  auto tiles = readLevels(ctx, entry, "tile_sizes");
  auto interchange = readLevels(ctx, entry, "tile_interchange");
  for (auto *levels : {&tiles, &interchange})
    if (!*levels)
      return levels->takeError();
  auto vector = readSizes(ctx, entry, "vector_sizes");
  auto packing = readSizes(ctx, entry, "packing");
  auto parallel = readSizes(ctx, entry, "parallel_dims");
  for (auto *sizes : {&vector, &packing, &parallel})
    if (!*sizes)
      return sizes->takeError();
  StringAttr microkernel, strategy;
  if (std::optional<StringRef> name = entry.getString("microkernel"))
    microkernel = StringAttr::get(ctx, *name);
  if (std::optional<StringRef> name = entry.getString("strategy"))
    strategy = StringAttr::get(ctx, *name);
  auto emit = [&]() {
    return emitError(UnknownLoc::get(ctx), "in the tuning database: ");
  };
  if (failed(LoweringConfigAttr::verifyInvariants(
          emit, *tiles, *vector, *packing, microkernel, *parallel, strategy,
          *interchange)))
    return makeError("an invalid lowering config");
  return LoweringConfigAttr::get(ctx, *tiles, *vector, *packing, microkernel,
                                 *parallel, strategy, *interchange);
}

class ReplayAdvisor : public LoweringConfigAdvisor {
public:
  ReplayAdvisor(std::string name,
                std::unique_ptr<LoweringConfigAdvisor> fallback)
      : name(std::move(name)), fallback(std::move(fallback)) {}

  llvm::Error load(const llvm::json::Value &root, MLIRContext *ctx) {
    const llvm::json::Object *object = root.getAsObject();
    const llvm::json::Array *entries =
        object ? object->getArray("configs") : nullptr;
    if (!entries)
      return makeError("expected {\"version\": 1, \"configs\": [...]}");
    for (auto [i, value] : llvm::enumerate(*entries)) {
      const llvm::json::Object *entry = value.getAsObject();
      std::optional<StringRef> node =
          entry ? entry->getString("node") : std::nullopt;
      std::optional<StringRef> op =
          entry ? entry->getString("op") : std::nullopt;
      if (!node || !op)
        return makeError("config " + Twine(i) + ": needs \"node\" and \"op\"");
      auto config = readConfig(ctx, *entry);
      if (!config)
        return makeError("config " + Twine(i) + ": " +
                         llvm::toString(config.takeError()));
      unsigned index = entry->getInteger("index").value_or(0);
      configs[getKeyString(*node, *op, index)] = *config;
    }
    return llvm::Error::success();
  }

  LoweringDecision decide(linalg::LinalgOp op, const OpKey &key,
                          const TargetInfo &target) override {
    auto it = configs.find(getKeyString(key.node, key.opName, key.index));
    if (it != configs.end())
      return {it->second, "replayed from the tuning database " + name};
    LoweringDecision decision = fallback->decide(op, key, target);
    decision.reason = "not in " + name + ", " + fallback->getName().str() +
                      ": " + decision.reason;
    return decision;
  }

  StringRef getName() const override { return name; }

private:
  std::string name;
  std::unique_ptr<LoweringConfigAdvisor> fallback;
  llvm::StringMap<LoweringConfigAttr> configs;
};
} // namespace

llvm::Expected<std::unique_ptr<LoweringConfigAdvisor>>
createReplayAdvisor(StringRef path, MLIRContext *context,
                    std::unique_ptr<LoweringConfigAdvisor> fallback) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return makeError("cannot read the tuning database '" + path +
                     "': " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> root =
      llvm::json::parse((*buffer)->getBuffer());
  if (!root)
    return makeError("tuning database '" + path +
                     "': " + llvm::toString(root.takeError()));
  context->getOrLoadDialect<KilnDialect>();
  auto advisor = std::make_unique<ReplayAdvisor>(
      llvm::sys::path::filename(path).str(), std::move(fallback));
  if (llvm::Error err = advisor->load(*root, context))
    return makeError("tuning database '" + path +
                     "': " + llvm::toString(std::move(err)));
  return std::move(advisor);
}

} // namespace kiln
