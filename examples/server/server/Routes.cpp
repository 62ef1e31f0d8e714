//===- Routes.cpp - the protocol's endpoints on an httplib server ---------===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "server/Routes.h"

#include "server/Protocol.h"

using namespace kiln_server;
using nlohmann::json;

namespace {
constexpr const char *kJson = "application/json";

void send(httplib::Response &res, const Reply &reply) {
  res.status = reply.status;
  if (reply.status == 503)
    res.set_header("Retry-After", "1");
  res.set_content(reply.body, kJson);
}

void sendJson(httplib::Response &res, const json &value) {
  send(res, {200, replyText(value)});
}

/// The message of an error httplib answered before any handler ran.
std::string httpErrorMessage(const httplib::Request &req, int status,
                             size_t maxBodyBytes) {
  switch (status) {
  case 404:
    return "no endpoint " + req.method + " " + abbreviate(req.path);
  case 413:
    // httplib parses a form's body as form fields, up to 8192 bytes.
    if (req.get_header_value("Content-Type")
            .rfind("application/x-www-form-urlencoded", 0) == 0)
      return "a form-urlencoded body is limited to 8192 bytes; send "
             "Content-Type: application/json";
    return "the request body is over the server's limit of " +
           std::to_string(maxBodyBytes) + " bytes (--max-body-bytes)";
  case 400:
    return "malformed HTTP request";
  default:
    return "HTTP status " + std::to_string(status);
  }
}

void installErrorHandlers(httplib::Server &server, size_t maxBodyBytes) {
  // Called for every reply with status >= 400: it fills only those no
  // handler wrote.
  using HandlerResponse = httplib::Server::HandlerResponse;
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [maxBodyBytes](const httplib::Request &req, httplib::Response &res) {
        if (!res.body.empty())
          return HandlerResponse::Unhandled;
        Error error{res.status,
                    httpErrorMessage(req, res.status, maxBodyBytes)};
        send(res, errorReply(error));
        return HandlerResponse::Handled;
      }));
  server.set_exception_handler([](const httplib::Request &,
                                  httplib::Response &res,
                                  std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception &e) {
      what = e.what();
    } catch (...) {
    }
    send(res, errorReply(Error::internal("internal error: " + what)));
  });
}
} // namespace

void kiln_server::installRoutes(httplib::Server &server,
                                const ModelRepository &models,
                                InferService &service, size_t maxBodyBytes) {
  server.Get("/v2/health/live",
             [](const httplib::Request &, httplib::Response &res) {
               sendJson(res, {{"live", true}});
             });
  server.Get("/v2/health/ready",
             [](const httplib::Request &, httplib::Response &res) {
               sendJson(res, {{"ready", true}});
             });
  server.Get("/v2",
             [&models](const httplib::Request &, httplib::Response &res) {
               sendJson(res, serverMetadata(models.compilerVersion()));
             });
  server.Get("/v2/models/([^/]+)",
             [&models](const httplib::Request &req, httplib::Response &res) {
               const ServedModel *model = models.find(req.matches[1]);
               if (!model)
                 return send(res, errorReply(unknownModel(req.matches[1])));
               sendJson(res, modelMetadata(model->name(), model->api()));
             });
  server.Get("/v2/models/([^/]+)/ready",
             [&models](const httplib::Request &req, httplib::Response &res) {
               const ServedModel *model = models.find(req.matches[1]);
               if (!model)
                 return send(res, errorReply(unknownModel(req.matches[1])));
               sendJson(res, {{"name", model->name()}, {"ready", true}});
             });
  server.Post("/v2/models/([^/]+)/infer",
              [&service](const httplib::Request &req, httplib::Response &res) {
                send(res, service.infer(req.matches[1], req.body));
              });
  installErrorHandlers(server, maxBodyBytes);
}
