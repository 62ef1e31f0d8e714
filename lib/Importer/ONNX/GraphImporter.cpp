//===- GraphImporter.cpp - an ONNX graph into a func.func -----------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"
#include "AttributeImporter.h"
#include "OpsetAdapters.h"

#include "kiln/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Verifier.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"

#include <deque>
#include <map>

using namespace mlir;
using namespace kiln::onnx;

namespace kiln::importer {

/// The default ONNX domain has two spellings.
static StringRef canonicalDomain(StringRef domain) {
  return domain.empty() ? "ai.onnx" : domain;
}

Location GraphImporter::valueLoc(StringRef name) {
  return NameLoc::get(StringAttr::get(ctx, name),
                      FileLineColLoc::get(ctx, fileName, 0, 0));
}

std::string GraphImporter::nodeLabel(const ::onnx::NodeProto &node, int index) {
  if (!node.name().empty())
    return node.name();
  return "#" + std::to_string(index) + " " + node.op_type();
}

Location GraphImporter::nodeLoc(const ::onnx::NodeProto &node, int index) {
  return valueLoc(nodeLabel(node, index));
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

FailureOr<Type>
GraphImporter::adjustInputType(StringRef name, Type type,
                               SmallVectorImpl<std::string> &params) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  auto pinned = options.inputShapes.find(name);
  if (pinned != options.inputShapes.end()) {
    if (!ranked || ranked.getRank() != (int64_t)pinned->second.size())
      return diags.usage(valueLoc(name))
             << "--input-shape gives graph input '" << name << "' rank "
             << pinned->second.size() << ", but it is declared as " << type;
    for (auto [i, dim] : llvm::enumerate(ranked.getShape()))
      if (!ShapedType::isDynamic(dim) && dim != pinned->second[i])
        return diags.usage(valueLoc(name))
               << "--input-shape gives graph input '" << name << "' dim " << i
               << " = " << pinned->second[i] << ", but it is declared as "
               << dim;
    params.assign(pinned->second.size(), "");
    return Type(ranked.clone(pinned->second));
  }
  if (!ranked)
    return type;
  SmallVector<int64_t> dims(ranked.getShape());
  for (auto [i, dim] : llvm::enumerate(dims)) {
    if (options.forceDynamic)
      dim = ShapedType::kDynamic;
    if (i < params.size() && !params[i].empty()) {
      auto fixed = options.fixedDims.find(params[i]);
      if (fixed != options.fixedDims.end()) {
        dim = fixed->second;
        usedFixedDims.insert(params[i]);
        params[i].clear();
      }
    }
  }
  return Type(ranked.clone(dims));
}

LogicalResult
GraphImporter::collectDeclaredTypes(const ::onnx::GraphProto &graph) {
  bool ok = true;
  auto collect = [&](const ::onnx::ValueInfoProto &info, StringRef kind,
                     bool required) {
    std::string what = kind.str() + " '" + info.name() + "'";
    if (info.name().empty()) {
      diags.invalid(valueLoc(kind)) << "a " << kind << " has no name";
      ok = false;
      return;
    }
    if (!info.has_type()) {
      if (required) {
        diags.invalid(valueLoc(info.name())) << what << " has no type";
        ok = false;
      }
      return;
    }
    SmallVector<std::string> params;
    FailureOr<Type> type =
        tensors.importType(info.type(), valueLoc(info.name()), what, &params);
    if (failed(type)) {
      ok = false;
      return;
    }
    bool isInput = kind == "graph input";
    if (isInput) {
      FailureOr<Type> adjusted = adjustInputType(info.name(), *type, params);
      if (failed(adjusted)) {
        ok = false;
        return;
      }
      type = *adjusted;
    }
    if (llvm::any_of(params, [](const std::string &p) { return !p.empty(); }))
      dimParams[info.name()] = params;
    // Forced-dynamic compiles trust only the graph inputs' element types and
    // ranks; every other shape comes from inference.
    if (!isInput && options.forceDynamic)
      return;
    declared[info.name()] = *type;
  };
  llvm::StringSet<> initializers;
  for (const ::onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  for (const ::onnx::ValueInfoProto &v : graph.input())
    collect(v, "graph input", !initializers.contains(v.name()));
  for (const ::onnx::ValueInfoProto &v : graph.output())
    collect(v, "graph output", /*required=*/false);
  for (const ::onnx::ValueInfoProto &v : graph.value_info())
    collect(v, "value", /*required=*/false);
  for (const auto &fixed : options.fixedDims) {
    if (usedFixedDims.contains(fixed.getKey()))
      continue;
    diags.usage(valueLoc(fixed.getKey()))
        << "--dim names '" << fixed.getKey()
        << "', which no graph input dim is named";
    ok = false;
  }
  return success(ok);
}

LogicalResult GraphImporter::sortNodes(const ::onnx::GraphProto &graph,
                                       SmallVectorImpl<int> &order) {
  // Who defines each name: -1 for graph inputs and initializers.
  llvm::StringMap<int> producer;
  bool ok = true;
  for (const ::onnx::TensorProto &t : graph.initializer()) {
    if (t.name().empty()) {
      diags.invalid(valueLoc("initializer")) << "an initializer has no name";
      ok = false;
    } else if (!producer.try_emplace(t.name(), -1).second) {
      diags.invalid(valueLoc(t.name()))
          << "initializer '" << t.name() << "' is defined twice";
      ok = false;
    }
  }
  for (const ::onnx::ValueInfoProto &v : graph.input())
    producer.try_emplace(v.name(), -1); // May repeat an initializer (IR < 4).
  int n = graph.node_size();
  for (int i = 0; i < n; ++i) {
    const ::onnx::NodeProto &node = graph.node(i);
    for (const std::string &out : node.output()) {
      if (out.empty())
        continue;
      auto [it, inserted] = producer.try_emplace(out, i);
      if (!inserted) {
        diags.invalid(nodeLoc(node, i))
            << "node '" << nodeLabel(node, i) << "' (" << node.op_type()
            << ") defines '" << out << "', which is already defined"
            << (it->second >= 0
                    ? " by node '" +
                          nodeLabel(graph.node(it->second), it->second) + "'"
                    : std::string(" as a graph input or initializer"));
        ok = false;
      }
    }
  }
  if (!ok)
    return failure();

  // Kahn's algorithm over node dependencies.
  SmallVector<int> pending(n, 0);
  SmallVector<SmallVector<int>> users(n);
  for (int i = 0; i < n; ++i) {
    const ::onnx::NodeProto &node = graph.node(i);
    for (const std::string &in : node.input()) {
      if (in.empty())
        continue;
      auto it = producer.find(in);
      if (it == producer.end()) {
        diags.invalid(nodeLoc(node, i))
            << "node '" << nodeLabel(node, i) << "' (" << node.op_type()
            << ") reads '" << in
            << "', which no node, graph input or initializer produces";
        ok = false;
        continue;
      }
      if (it->second >= 0) {
        ++pending[i];
        users[it->second].push_back(i);
      }
    }
  }
  for (const ::onnx::ValueInfoProto &v : graph.output())
    if (!producer.contains(v.name())) {
      diags.invalid(valueLoc(v.name()))
          << "graph output '" << v.name() << "' is not produced by any node";
      ok = false;
    }
  if (!ok)
    return failure();
  std::deque<int> ready;
  for (int i = 0; i < n; ++i)
    if (pending[i] == 0)
      ready.push_back(i);
  while (!ready.empty()) {
    int i = ready.front();
    ready.pop_front();
    order.push_back(i);
    for (int u : users[i])
      if (--pending[u] == 0)
        ready.push_back(u);
  }
  if ((int)order.size() == n)
    return success();
  // Nodes left over are on a cycle or downstream of one: peel off those
  // whose outputs feed no other leftover node, so the report names the cycle.
  SmallVector<bool> onCycle(n);
  for (int i = 0; i < n; ++i)
    onCycle[i] = pending[i] > 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < n; ++i)
      if (onCycle[i] &&
          llvm::none_of(users[i], [&](int u) { return onCycle[u]; })) {
        onCycle[i] = false;
        changed = true;
      }
  }
  std::string cycle;
  int shown = 0, count = 0, first = -1;
  for (int i = 0; i < n; ++i) {
    if (!onCycle[i])
      continue;
    ++count;
    if (first < 0)
      first = i;
    if (shown < 8)
      cycle += (shown++ ? ", '" : "'") + nodeLabel(graph.node(i), i) + "'";
  }
  return diags.invalid(nodeLoc(graph.node(first), first))
         << "the graph has a cycle through " << count << " nodes: " << cycle;
}

//===----------------------------------------------------------------------===//
// Support
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::checkSupport(const ::onnx::GraphProto &graph) {
  // One error per distinct problem, naming every node that has it.
  struct Problem {
    Location loc;
    std::string message;
    SmallVector<std::string> nodes;
  };
  llvm::MapVector<std::string, Problem, std::map<std::string, unsigned>>
      problems;
  auto report = [&](const std::string &key, Location loc,
                    const std::string &message, std::string label) {
    auto [it, inserted] = problems.insert({key, Problem{loc, message, {}}});
    it->second.nodes.push_back(std::move(label));
  };
  bool invalid = false;
  for (int i = 0; i < graph.node_size(); ++i) {
    const ::onnx::NodeProto &node = graph.node(i);
    std::string label = nodeLabel(node, i);
    Location loc = nodeLoc(node, i);
    StringRef domain = canonicalDomain(node.domain());
    auto opsetIt = opsets.find(domain);
    if (opsetIt == opsets.end()) {
      diags.invalid(loc) << "node '" << label << "' (" << node.op_type()
                         << ") uses domain '" << domain
                         << "', which the model does not import";
      invalid = true;
      continue;
    }
    int64_t opset = opsetIt->second;
    std::string where = node.op_type() + " (domain '" + domain.str() +
                        "', opset " + std::to_string(opset) + ")";
    if (domain != "ai.onnx") {
      report("op:" + domain.str() + ":" + node.op_type(), loc,
             "operator " + where + " is not supported", label);
      continue;
    }
    std::optional<RegisteredOperationName> name =
        RegisteredOperationName::lookup(
            ("onnx." + getDialectOpType(node.op_type())).str(), ctx);
    if (!name || node.op_type() == "NoValue") {
      report("op:" + node.op_type(), loc,
             "operator " + where + " is not supported", label);
      continue;
    }
    int64_t minOpset = getMinSupportedOpset(node.op_type());
    if (opset < minOpset || opset > kMaxKnownOpset) {
      report("opset:" + node.op_type() + ":" + std::to_string(opset), loc,
             "operator " + where + " is supported at opsets " +
                 std::to_string(minOpset) + " to " +
                 std::to_string(kMaxKnownOpset),
             label);
      continue;
    }
    for (const ::onnx::AttributeProto &a : node.attribute()) {
      bool known = llvm::any_of(name->getAttributeNames(),
                                [&](StringAttr n) { return n == a.name(); }) ||
                   isUpgradedAttribute(node.op_type(), opset, a.name()) ||
                   (node.op_type() == "Constant" &&
                    StringRef(a.name()).starts_with("value_")) ||
                   (node.op_type() == "Constant" && a.name() == "sparse_value");
      if (!known)
        report("attr:" + node.op_type() + ":" + a.name(), loc,
               "attribute '" + a.name() + "' of operator " + where +
                   " is not supported",
               label);
    }
  }
  for (auto &[key, p] : problems) {
    InFlightDiagnostic d = diags.unsupported(p.loc) << p.message << " (node";
    if (p.nodes.size() > 1)
      d << "s";
    size_t shown = std::min<size_t>(p.nodes.size(), 16);
    for (size_t i = 0; i < shown; ++i)
      d << (i ? ", '" : " '") << p.nodes[i] << "'";
    if (p.nodes.size() > shown)
      d << " and " << p.nodes.size() - shown << " more";
    d << ")";
  }
  return success(problems.empty() && !invalid);
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

/// The op's own verifier checks its attributes before its types: when its
/// first error is about an attribute (missing, or of the wrong kind), the
/// node is invalid, before shape inference reads that attribute. Errors
/// about the placeholder result types are left to the checks that follow.
LogicalResult GraphImporter::checkInherentAttributes(Operation *op,
                                                     Location loc,
                                                     StringRef label) {
  std::string first;
  {
    ScopedDiagnosticHandler capture(op->getContext(), [&](Diagnostic &diag) {
      if (first.empty())
        first = diag.str();
      return success();
    });
    (void)op->getName().verifyInvariants(op);
  }
  if (!StringRef(first).contains("attribute '"))
    return success();
  return diags.invalid(loc) << "node '" << label << "': " << first;
}

FailureOr<Operation *>
GraphImporter::buildInferred(OpBuilder &builder, Location loc, StringRef label,
                             OperationName name, ValueRange operands,
                             const NamedAttrList &attrs,
                             ArrayRef<std::string> outputNames) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addAttributes(attrs.getAttrs());
  Type placeholder = UnrankedTensorType::get(builder.getF32Type());
  for (const std::string &out : outputNames)
    state.addTypes(out.empty() ? Type(builder.getNoneType()) : placeholder);
  Operation *op = builder.create(state);
  if (failed(checkInherentAttributes(op, loc, label)))
    return failure();

  SmallVector<Type> inferred;
  auto iface = dyn_cast<ShapeInferenceOpInterface>(op);
  if (!iface || failed(iface.inferResultTypes(inferred)) ||
      inferred.size() != op->getNumResults()) {
    ++diags.numInvalid;
    return failure();
  }
  for (auto [i, result] : llvm::enumerate(op->getResults())) {
    if (isa<NoneType>(result.getType()))
      continue;
    Type type = inferred[i];
    auto it = declared.find(outputNames[i]);
    if (it != declared.end()) {
      if (!areCompatibleTypes(it->second, type))
        return diags.invalid(loc)
               << "node '" << label << "' output '" << outputNames[i]
               << "' is declared as " << it->second << " but its inputs give "
               << type;
      type = refineType(it->second, type);
    }
    result.setType(type);
  }
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    ++diags.numInvalid;
    return failure();
  }
  return op;
}

LogicalResult GraphImporter::importNode(::onnx::NodeProto &node, int index,
                                        OpBuilder &builder) {
  std::string label = nodeLabel(node, index);
  Location loc = nodeLoc(node, index);
  StringRef opType = node.op_type();
  int64_t opset = opsets.lookup(canonicalDomain(node.domain()));
  RegisteredOperationName name = *RegisteredOperationName::lookup(
      ("onnx." + getDialectOpType(opType)).str(), ctx);
  auto *arity = name.getInterface<ONNXOpInterface>();

  NamedAttrList attrs;
  if (failed(importAttributes(node, loc, label, tensors, diags, attrs)))
    return failure();

  SmallVector<Value> operands;
  for (const std::string &in : node.input())
    operands.push_back(in.empty() ? noValue : values.lookup(in));
  upgradeAttributesToInputs(opType, opset, builder, loc, noValue, operands,
                            attrs);
  rewriteLegacyOperator(opType, builder, noValue, operands, attrs);
  int numInputs = arity->getNumONNXInputs();
  if (numInputs >= 0) {
    if ((int)operands.size() > numInputs)
      return diags.invalid(loc)
             << "node '" << label << "' (" << opType << ") has "
             << operands.size() << " inputs; the operator takes at most "
             << numInputs;
    operands.resize(numInputs, noValue);
  }

  SmallVector<std::string> outputs(node.output().begin(), node.output().end());
  int numOutputs = arity->getNumONNXOutputs();
  if (numOutputs >= 0) {
    if ((int)outputs.size() > numOutputs)
      return diags.unsupported(loc)
             << "node '" << label << "' (" << opType << ", opset " << opset
             << ") has " << outputs.size() << " outputs; kiln supports "
             << numOutputs;
    outputs.resize(numOutputs);
  }

  auto emitError = [&]() {
    ++diags.numInvalid;
    return mlir::emitError(loc)
           << "node '" << label << "' (" << opType << "): ";
  };
  if (failed(name.verifyInherentAttrs(attrs, emitError)))
    return failure();

  Operation *op;
  if (hasCoercedSoftmaxSemantics(opType, opset)) {
    // Before opset 13: softmax over the input flattened to 2-D at `axis`.
    Value x = operands[0];
    auto axis = dyn_cast_or_null<IntegerAttr>(attrs.get("axis"));
    NamedAttrList flattenAttrs;
    flattenAttrs.set("axis", axis ? axis : builder.getI64IntegerAttr(1));
    auto flatName = *RegisteredOperationName::lookup("onnx.Flatten", ctx);
    auto shapeName = *RegisteredOperationName::lookup("onnx.Shape", ctx);
    auto reshapeName = *RegisteredOperationName::lookup("onnx.Reshape", ctx);
    FailureOr<Operation *> flat = buildInferred(
        builder, loc, label, flatName, {x}, flattenAttrs, {label + "_2d"});
    if (failed(flat))
      return failure();
    attrs.set("axis", builder.getI64IntegerAttr(1));
    FailureOr<Operation *> soft =
        buildInferred(builder, loc, label, name, {(*flat)->getResult(0)}, attrs,
                      {label + "_2d_out"});
    if (failed(soft))
      return failure();
    FailureOr<Operation *> shape = buildInferred(builder, loc, label, shapeName,
                                                 {x}, {}, {label + "_shape"});
    if (failed(shape))
      return failure();
    FailureOr<Operation *> reshape = buildInferred(
        builder, loc, label, reshapeName,
        {(*soft)->getResult(0), (*shape)->getResult(0)}, {}, outputs);
    if (failed(reshape))
      return failure();
    op = *reshape;
  } else {
    FailureOr<Operation *> built =
        buildInferred(builder, loc, label, name, operands, attrs, outputs);
    if (failed(built))
      return failure();
    op = *built;
  }
  for (auto [out, result] : llvm::zip(outputs, op->getResults()))
    if (!out.empty())
      values[out] = result;
  return success();
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

FailureOr<func::FuncOp> GraphImporter::import(::onnx::GraphProto &graph,
                                              OpBuilder &builder,
                                              StringRef funcName) {
  bool typesOk = succeeded(collectDeclaredTypes(graph));
  SmallVector<int> order;
  bool structureOk = succeeded(sortNodes(graph, order));
  bool supportOk = succeeded(checkSupport(graph));
  if (!typesOk || !structureOk || !supportOk)
    return failure();

  llvm::StringSet<> initializerNames;
  for (const ::onnx::TensorProto &t : graph.initializer())
    initializerNames.insert(t.name());
  for (const ::onnx::SparseTensorProto &t : graph.sparse_initializer())
    return diags.unsupported(valueLoc(t.values().name()))
           << "sparse initializer '" << t.values().name() << "'";

  SmallVector<Type> argTypes;
  SmallVector<const ::onnx::ValueInfoProto *> args;
  for (const ::onnx::ValueInfoProto &v : graph.input()) {
    if (initializerNames.contains(v.name()))
      continue;
    args.push_back(&v);
    argTypes.push_back(declared.lookup(v.name()));
  }
  auto func = func::FuncOp::create(
      builder, valueLoc(graph.name().empty() ? "graph" : graph.name()),
      funcName, builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(entry);

  auto setNameAttrs = [&](auto setAttr, StringRef name) {
    setAttr(ONNXDialect::kNameAttrName, builder.getStringAttr(name));
    auto it = dimParams.find(name);
    if (it != dimParams.end()) {
      SmallVector<StringRef> params(it->second.begin(), it->second.end());
      setAttr(ONNXDialect::kDimParamsAttrName, builder.getStrArrayAttr(params));
    }
  };
  for (unsigned i = 0; i < args.size(); ++i) {
    const ::onnx::ValueInfoProto *v = args[i];
    values[v->name()] = entry->getArgument(i);
    setNameAttrs([&](StringRef n, Attribute a) { func.setArgAttr(i, n, a); },
                 v->name());
  }

  noValue =
      ONNXNoValueOp::create(builder, func.getLoc(), builder.getNoneType());
  bool ok = true;
  for (::onnx::TensorProto &t : *graph.mutable_initializer()) {
    std::string name = t.name();
    FailureOr<ElementsAttr> value =
        tensors.importTensor(t, valueLoc(name), "initializer '" + name + "'");
    if (failed(value)) {
      ok = false;
      continue;
    }
    values[name] = ONNXConstantOp::create(builder, valueLoc(name), *value);
  }
  if (!ok)
    return failure();

  for (int i : order)
    if (failed(importNode(*graph.mutable_node(i), i, builder)))
      return failure();

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const ::onnx::ValueInfoProto &v : graph.output()) {
    Value value = values.lookup(v.name());
    auto it = declared.find(v.name());
    if (it != declared.end() &&
        !areCompatibleTypes(it->second, value.getType()))
      return diags.invalid(valueLoc(v.name()))
             << "graph output '" << v.name() << "' is declared as "
             << it->second << " but computed as " << value.getType();
    results.push_back(value);
    resultTypes.push_back(value.getType());
  }
  func::ReturnOp::create(builder, func.getLoc(), results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (int i = 0; i < graph.output_size(); ++i)
    setNameAttrs([&](StringRef n, Attribute a) { func.setResultAttr(i, n, a); },
                 graph.output(i).name());
  if (noValue.use_empty())
    noValue.getDefiningOp()->erase();
  return func;
}

} // namespace kiln::importer
