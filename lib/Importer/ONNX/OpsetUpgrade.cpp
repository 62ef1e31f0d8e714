//===- OpsetUpgrade.cpp - old models brought to opsets kiln reads ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "OpsetUpgrade.h"
#include "OpsetAdapters.h"

#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

#include <algorithm>
#include <exception>
#include <map>

namespace kiln::importer {

int64_t getNeededOpset(const ::onnx::GraphProto &graph, int64_t opset) {
  int64_t needed = opset;
  for (const ::onnx::NodeProto &node : graph.node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      continue;
    needed = std::max(needed, getMinSupportedOpset(node.op_type()));
  }
  return needed;
}

namespace {
/// The ranks of the graph's values that shape inference or the model
/// gives.
std::map<std::string, int64_t> getRanks(const ::onnx::GraphProto &graph) {
  std::map<std::string, int64_t> ranks;
  auto add = [&](const ::onnx::ValueInfoProto &value) {
    if (value.type().tensor_type().has_shape())
      ranks[value.name()] = value.type().tensor_type().shape().dim_size();
  };
  for (const auto &value : graph.input())
    add(value);
  for (const auto &value : graph.value_info())
    add(value);
  for (const auto &value : graph.output())
    add(value);
  for (const auto &tensor : graph.initializer())
    ranks[tensor.name()] = tensor.dims_size();
  return ranks;
}

const ::onnx::AttributeProto *findAttribute(const ::onnx::NodeProto &node,
                                            const std::string &name) {
  for (const ::onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

/// A new Unsqueeze in `nodes` appending `count` dims of 1 to `value` of
/// rank `rank` (the attribute form of opsets before 13); its output.
std::string
appendUnsqueeze(google::protobuf::RepeatedPtrField<::onnx::NodeProto> &nodes,
                const std::string &value, int64_t rank, int64_t count,
                int &fresh) {
  ::onnx::NodeProto *unsqueeze = nodes.Add();
  unsqueeze->set_op_type("Unsqueeze");
  unsqueeze->add_input(value);
  std::string aligned = value + "_kiln_aligned_" + std::to_string(fresh++);
  unsqueeze->add_output(aligned);
  ::onnx::AttributeProto *axes = unsqueeze->add_attribute();
  axes->set_name("axes");
  axes->set_type(::onnx::AttributeProto::INTS);
  for (int64_t d = 0; d < count; ++d)
    axes->add_ints(rank + d);
  return aligned;
}

void removeAttribute(::onnx::NodeProto &node, const std::string &name) {
  auto *attrs = node.mutable_attribute();
  for (int i = attrs->size() - 1; i >= 0; --i)
    if (attrs->Get(i).name() == name)
      attrs->DeleteSubrange(i, 1);
}

/// One `broadcast = 1, axis = k` node: B unsqueezed (into `nodes`) to end
/// at A's last dim, and `axis` dropped.
bool alignBroadcast(
    ::onnx::NodeProto &node, int64_t axis,
    const std::map<std::string, int64_t> &ranks,
    google::protobuf::RepeatedPtrField<::onnx::NodeProto> &nodes, int &fresh,
    std::string &error) {
  auto a = ranks.find(node.input(0)), b = ranks.find(node.input(1));
  if (a == ranks.end() || b == ranks.end()) {
    error = "node '" + node.name() + "' (" + node.op_type() +
            ") broadcasts along an axis, and its inputs' ranks are unknown";
    return false;
  }
  int64_t trailing = a->second - axis - b->second;
  if (trailing > 0)
    node.set_input(
        1, appendUnsqueeze(nodes, node.input(1), b->second, trailing, fresh));
  removeAttribute(node, "axis");
  return true;
}

/// Before opset 7, `broadcast = 1, axis = k` aligned B with A's dims from
/// k. libonnx's adapter unsqueezes B by the wrong count when B does not
/// end at A's last dim, so kiln does that part, leaving numpy broadcasting.
/// Shape inference does not know the oldest forms, so the output of a
/// legacy node (broadcast or consumed_inputs: elementwise ops and
/// BatchNormalization's Y) takes its first input's rank here.
bool alignLegacyBroadcasts(::onnx::GraphProto &graph, std::string &error) {
  std::map<std::string, int64_t> ranks = getRanks(graph);
  google::protobuf::RepeatedPtrField<::onnx::NodeProto> nodes;
  int fresh = 0;
  for (::onnx::NodeProto &node : *graph.mutable_node()) {
    const ::onnx::AttributeProto *broadcast = findAttribute(node, "broadcast");
    const ::onnx::AttributeProto *axis = findAttribute(node, "axis");
    bool legacy = broadcast || findAttribute(node, "consumed_inputs");
    if (node.domain().empty() && broadcast && broadcast->i() == 1 && axis &&
        node.input_size() == 2 &&
        !alignBroadcast(node, axis->i(), ranks, nodes, fresh, error))
      return false;
    if (legacy && node.output_size() >= 1 && node.input_size() >= 1 &&
        !ranks.count(node.output(0)) && ranks.count(node.input(0)))
      ranks[node.output(0)] = ranks[node.input(0)];
    *nodes.Add() = node;
  }
  graph.mutable_node()->Swap(&nodes);
  return true;
}
} // namespace

int64_t getModelOpset(const ::onnx::ModelProto &model) {
  for (const ::onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      return id.version();
  return 1;
}

bool upgradeOpset(::onnx::ModelProto &model, int64_t target,
                  std::string &error) {
  // libonnx reports what it cannot adapt by throwing.
  try {
    // The converter trusts its input (an undefined graph output crashes
    // it): ONNX's checker refuses what it cannot read first.
    ::onnx::checker::check_model(model);
    // Opset 6 first: before it, shape inference knows too few ops (Add
    // with consumed_inputs...), and the adapters up to 6 need no shapes.
    if (getModelOpset(model) < 6 && target > 6)
      model = ::onnx::version_conversion::ConvertVersion(model, 6);
    // The later adapters read the shapes of the values they rewrite.
    ::onnx::shape_inference::InferShapes(model);
    if (!alignLegacyBroadcasts(*model.mutable_graph(), error))
      return false;
    ::onnx::shape_inference::InferShapes(model);
    model = ::onnx::version_conversion::ConvertVersion(model, (int)target);
    return true;
  } catch (const std::exception &e) {
    error = e.what();
  } catch (...) {
    error = "unknown failure";
  }
  return false;
}

} // namespace kiln::importer
