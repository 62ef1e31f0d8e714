//===- ProtocolChecks.cpp - check the server's endpoints ------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/ProtocolChecks.h"

#include "client/Verify.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>

using namespace kiln_client;
using nlohmann::json;

namespace {
/// A GET whose JSON reply must satisfy `valid`.
struct Endpoint {
  std::string path;
  std::function<bool(const json &)> valid;
};

json tensor(const char *name, json shape) {
  return {{"name", name}, {"datatype", "FP32"}, {"shape", shape}};
}

bool hasSignature(const json &reply, const char *name, const json &inputs,
                  const json &outputs) {
  return reply.value("name", "") == name &&
         reply.value("platform", "") == "kiln" &&
         reply.value("inputs", json()) == inputs &&
         reply.value("outputs", json()) == outputs;
}

std::vector<Endpoint> endpoints() {
  return {
      {"/v2/health/live", [](const json &) { return true; }},
      {"/v2/health/ready", [](const json &) { return true; }},
      {"/v2",
       [](const json &r) {
         return r.value("name", "") == "kiln-server" &&
                !r.value("version", "").empty();
       }},
      {"/v2/models/digits",
       [](const json &r) {
         return hasSignature(r, "digits",
                             json::array({tensor("pixels", {1, 64})}),
                             json::array({tensor("probabilities", {1, 10})}));
       }},
      {"/v2/models/tiny_cnn",
       [](const json &r) {
         return hasSignature(r, "tiny_cnn",
                             json::array({tensor("image", {-1, 1, 8, 8})}),
                             json::array({tensor("probabilities", {-1, 10})}));
       }},
      {"/v2/models/digits/ready",
       [](const json &r) { return r.value("ready", false); }},
  };
}

bool checkEndpoint(httplib::Client &client, const Endpoint &endpoint) {
  httplib::Result result = client.Get(endpoint.path);
  bool ok = result && result->status == 200;
  json reply = ok ? json::parse(result->body, nullptr, false) : json();
  ok = ok && reply.is_object() && endpoint.valid(reply);
  std::printf("GET %s: %s %s\n", endpoint.path.c_str(), ok ? "ok" : "FAILED",
              result ? result->body.c_str() : describe(result).c_str());
  return ok;
}

/// An infer request with an id and the output named: the reply echoes the
/// id and holds the right values.
bool checkInfer(httplib::Client &client, const Sample &sample,
                double tolerance) {
  json body = json::parse(sample.body);
  body["id"] = "request-7";
  body["outputs"] = json::array({json{{"name", "probabilities"}}});
  httplib::Result result =
      client.Post(sample.path(), body.dump(), "application/json");
  std::string problem;
  if (!result || result->status != 200) {
    problem = describe(result);
  } else {
    Verdict verdict = verifyReply(sample, result->body, tolerance);
    json reply = json::parse(result->body, nullptr, false);
    if (!verdict.ok)
      problem = verdict.why;
    else if (reply.value("id", "") != "request-7")
      problem = "the reply does not echo the id";
  }
  std::printf("POST %s (id, outputs): %s%s\n", sample.path().c_str(),
              problem.empty() ? "ok" : "FAILED ", problem.c_str());
  return problem.empty();
}
} // namespace

bool kiln_client::runProtocolChecks(const ServerAddress &server,
                                    const std::vector<Sample> &digits,
                                    const std::vector<Sample> &tinyCnn,
                                    double tolerance) {
  std::unique_ptr<httplib::Client> client = connect(server);
  bool ok = true;
  for (const Endpoint &endpoint : endpoints())
    ok &= checkEndpoint(*client, endpoint);
  ok &= checkInfer(*client, digits.front(), tolerance);
  ok &= checkInfer(*client, tinyCnn.back(), tolerance);
  std::printf("protocol: %s\n", ok ? "PASS" : "FAIL");
  return ok;
}
