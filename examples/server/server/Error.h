//===- Error.h - why a request failed ---------------------------*- C++ -*-===//
//
// Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// What a step of a request returns: nothing (it worked) or the HTTP status
// to answer and the message the client gets as {"error": "..."}.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SERVER_ERROR_H
#define KILN_SERVER_ERROR_H

#include <string>
#include <utility>

namespace kiln_server {

struct Error {
  int httpStatus = 0; // 0: no error
  std::string message;

  static Error none() { return {}; }
  static Error badRequest(std::string message) {
    return {400, std::move(message)};
  }
  static Error notFound(std::string message) {
    return {404, std::move(message)};
  }
  static Error internal(std::string message) {
    return {500, std::move(message)};
  }
  static Error unavailable(std::string message) {
    return {503, std::move(message)};
  }

  explicit operator bool() const { return httpStatus != 0; }
};

/// `text` cut to at most `max` characters, for quoting in a message.
inline std::string abbreviate(std::string text, size_t max = 40) {
  if (text.size() > max)
    text = text.substr(0, max - 3) + "...";
  return text;
}

} // namespace kiln_server

#endif // KILN_SERVER_ERROR_H
