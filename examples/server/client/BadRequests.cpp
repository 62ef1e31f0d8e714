//===- BadRequests.cpp - requests the server must refuse ------------------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "client/BadRequests.h"

#include "client/Verify.h"

#include <nlohmann/json.hpp>

#include <cstdio>

using namespace kiln_client;
using nlohmann::json;

namespace {
struct BadRequest {
  std::string name;
  std::string method; // GET or POST
  std::string path;
  std::string body;
  int status;
  std::vector<std::string> mentions; // the error message must hold these
};

/// A digits request for input `name` with this shape, datatype and data.
std::string pixels(const std::string &name, json shape,
                   const std::string &datatype, json data) {
  json input = {
      {"name", name}, {"shape", shape}, {"datatype", datatype}, {"data", data}};
  return json{{"inputs", json::array({input})}}.dump();
}

std::vector<BadRequest> badRequests(size_t bodyLimit, const Sample &digit) {
  const std::string infer = "/v2/models/digits/infer";
  const json values = digit.input;
  std::vector<int> ints(64, 1);
  json twice = json::parse(digit.body);
  twice["inputs"].push_back(twice["inputs"][0]);
  json unknownOutput = json::parse(digit.body);
  unknownOutput["outputs"] = json::array({json{{"name", "logits"}}});
  std::string tooLarge =
      "{\"inputs\": [], \"padding\": \"" + std::string(bodyLimit, 'x') + "\"}";
  return {
      {"unknown model",
       "POST",
       "/v2/models/nosuch/infer",
       digit.body,
       404,
       {"no model named 'nosuch'"}},
      {"malformed JSON",
       "POST",
       infer,
       "{\"inputs\": [",
       400,
       {"malformed JSON"}},
      {"not an object", "POST", infer, "[1, 2]", 400, {"not a JSON object"}},
      {"wrong shape",
       "POST",
       infer,
       pixels("pixels", {1, 63}, "FP32", std::vector<float>(63, 0.f)),
       400,
       {"dim mismatch", "input 0 'pixels': dim 1 is 63, expected 64"}},
      {"wrong rank",
       "POST",
       infer,
       pixels("pixels", {64}, "FP32", values),
       400,
       {"rank mismatch", "input 0 'pixels': rank is 1, expected 2"}},
      {"wrong dtype",
       "POST",
       infer,
       pixels("pixels", {1, 64}, "INT64", ints),
       400,
       {"dtype mismatch", "dtype is int64, expected float32"}},
      {"unknown datatype",
       "POST",
       infer,
       pixels("pixels", {1, 64}, "FP33", values),
       400,
       {"unknown datatype \"FP33\""}},
      {"data short of the shape",
       "POST",
       infer,
       pixels("pixels", {1, 64}, "FP32", std::vector<float>(10, 0.f)),
       400,
       {"shape has 64 elements, data has 10"}},
      {"data not numbers",
       "POST",
       infer,
       pixels("pixels", {1, 2}, "FP32", json::array({"a", "b"})),
       400,
       {"value 0 (\"a\") is not a valid number"}},
      {"unknown input",
       "POST",
       infer,
       pixels("image", {1, 64}, "FP32", values),
       400,
       {"no input 'image'"}},
      {"missing input",
       "POST",
       infer,
       "{\"inputs\": []}",
       400,
       {"missing input 'pixels'"}},
      {"input given twice", "POST", infer, twice.dump(), 400, {"given twice"}},
      {"unknown output",
       "POST",
       infer,
       unknownOutput.dump(),
       400,
       {"no output \"logits\""}},
      {"body over the limit",
       "POST",
       infer,
       tooLarge,
       413,
       {"limit of " + std::to_string(bodyLimit) + " bytes"}},
      {"tiny_cnn wrong dims",
       "POST",
       "/v2/models/tiny_cnn/infer",
       pixels("image", {1, 1, 8, 9}, "FP32", std::vector<float>(72, 0.f)),
       400,
       {"input 0 'image': dim 3 is 9, expected 8"}},
      {"unknown model metadata",
       "GET",
       "/v2/models/nosuch",
       "",
       404,
       {"no model named 'nosuch'"}},
      {"unknown model ready",
       "GET",
       "/v2/models/nosuch/ready",
       "",
       404,
       {"no model named 'nosuch'"}},
      {"no such endpoint", "GET", "/v3", "", 404, {"no endpoint GET /v3"}},
  };
}

/// Why the reply is not what `expected` wants; "" if it is.
std::string judge(const BadRequest &expected, const httplib::Result &result) {
  if (!result)
    return describe(result);
  if (result->status != expected.status)
    return "status " + std::to_string(result->status) + ", expected " +
           std::to_string(expected.status);
  if (result->get_header_value("Content-Type") != "application/json")
    return "the reply is not application/json";
  json body = json::parse(result->body, nullptr, false);
  if (!body.is_object() || !body.contains("error") ||
      !body["error"].is_string())
    return "the reply has no {\"error\": \"...\"}";
  std::string message = body["error"].get<std::string>();
  for (const std::string &mention : expected.mentions)
    if (message.find(mention) == std::string::npos)
      return "the message does not say \"" + mention + "\"";
  return "";
}

httplib::Result send(httplib::Client &client, const BadRequest &request) {
  if (request.method == "GET")
    return client.Get(request.path);
  return client.Post(request.path, request.body, "application/json");
}

/// The error message of a reply, for the log.
std::string messageOf(const httplib::Result &result) {
  if (!result)
    return "";
  json body = json::parse(result->body, nullptr, false);
  return body.is_object() && body.contains("error") && body["error"].is_string()
             ? body["error"].get<std::string>()
             : "";
}
} // namespace

bool kiln_client::runBadRequests(const ServerAddress &server, size_t bodyLimit,
                                 const std::vector<Sample> &digits,
                                 const std::vector<Sample> &tinyCnn,
                                 double tolerance) {
  std::unique_ptr<httplib::Client> client = connect(server);
  size_t failures = 0, count = 0;
  for (const BadRequest &request : badRequests(bodyLimit, digits.front())) {
    httplib::Result result = send(*client, request);
    std::string problem = judge(request, result);
    ++count;
    failures += !problem.empty();
    std::printf("bad request '%s': %s %d %s\n", request.name.c_str(),
                problem.empty() ? "ok" : "FAILED", result ? result->status : 0,
                problem.empty() ? messageOf(result).c_str() : problem.c_str());
  }
  // The server must still answer good requests correctly.
  for (const Sample *sample : {&digits.front(), &tinyCnn.front()}) {
    httplib::Result result =
        client->Post(sample->path(), sample->body, "application/json");
    bool ok = result && result->status == 200 &&
              verifyReply(*sample, result->body, tolerance).ok;
    failures += !ok;
    std::printf("good %s request afterwards: %s\n", sample->model.c_str(),
                ok ? "ok" : describe(result).c_str());
  }
  std::printf("bad requests: %zu cases, %zu failures\n", count, failures);
  std::printf("bad requests: %s\n", failures ? "FAIL" : "PASS");
  return failures == 0;
}
