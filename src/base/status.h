// Status and Result<T>: expected failures of operations on files and
// databases (not user-input mistakes, which are Diagnostics). Exceptions
// never cross a layer; a Status carries the message and the context added
// as it propagates ("applying 0003_phase1.up.sql: statement 4: ...").
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace strata {

enum class StatusCode {
  kOk,
  kInvalidInput,  // the user's input is wrong (maps to exit code 2)
  kNotFound,
  kCorruption,    // checksum mismatch, unreadable sum file
  kBusy,          // database locked by another process
  kDatabase,      // an SQLite error
  kIOError,
  kNotSupported,
  kRefused,       // a safety rule stopped the command before it changed anything (exit 1)
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return {}; }
  static Status Error(StatusCode code, std::string message) { return Status(code, std::move(message)); }
  static Status InvalidInput(std::string m) { return Error(StatusCode::kInvalidInput, std::move(m)); }
  static Status NotFound(std::string m) { return Error(StatusCode::kNotFound, std::move(m)); }
  static Status Database(std::string m) { return Error(StatusCode::kDatabase, std::move(m)); }
  static Status IOError(std::string m) { return Error(StatusCode::kIOError, std::move(m)); }
  static Status Busy(std::string m) { return Error(StatusCode::kBusy, std::move(m)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with where the failure happened.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace strata
