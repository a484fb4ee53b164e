#pragma once
// The one error type that crosses layers. Services and validation throw it; the HTTP
// layer turns it into the documented error shape, choosing the status from its kind.
#include <stdexcept>
#include <string>

namespace cc::domain {

enum class ErrorKind {
  bad_request,      // 400: malformed JSON or request
  unauthenticated,  // 401
  forbidden,        // 403 (also csrf)
  not_found,        // 404
  method_not_allowed,  // 405
  conflict,         // 409: state does not allow it
  too_large,        // 413
  unsupported_media,  // 415
  validation,       // 422
  rate_limited,     // 429
  internal,         // 500
  unavailable,      // 503: storage cannot take writes now
};

class Error : public std::runtime_error {
public:
  Error(ErrorKind kind, std::string code, std::string message, std::string field = {})
      : std::runtime_error(std::move(message)), kind_(kind), code_(std::move(code)), field_(std::move(field)) {}

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& field() const noexcept { return field_; }
  int retry_after() const noexcept { return retry_after_; }
  Error& with_retry_after(int seconds) { retry_after_ = seconds; return *this; }

private:
  ErrorKind kind_;
  std::string code_;
  std::string field_;
  int retry_after_ = 0;
};

inline Error validation_error(std::string field, std::string message) {
  return Error(ErrorKind::validation, "validation_failed", std::move(message), std::move(field));
}
inline Error not_found(std::string what) {
  return Error(ErrorKind::not_found, "not_found", std::move(what) + " was not found");
}
inline Error conflict(std::string message, std::string field = {}) {
  return Error(ErrorKind::conflict, "conflict", std::move(message), std::move(field));
}
inline Error forbidden(std::string message = "you are not allowed to do this") {
  return Error(ErrorKind::forbidden, "forbidden", std::move(message));
}

}  // namespace cc::domain
