#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace arcflow {

// Says who is at fault. Invalid, NotFound, IOError, Corruption, Conflict, NotImplemented and
// Cancelled describe the input or the environment; Internal is always a bug in arcflow.
enum class StatusCode : char {
  kOk = 0,
  kInvalid,
  kNotFound,
  kAlreadyExists,
  kIOError,
  kCorruption,
  kConflict,
  kNotImplemented,
  kCancelled,
  kOutOfMemory,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

// The outcome of an operation: OK, or a code and a message saying what went wrong and where.
// Cheap to copy and move when OK (a single null pointer). Thread-compatible.
//
// Messages put the static part first and the values after it, e.g.
//   "parquet: page header runs past column chunk (file=a.parquet, column=x, offset=123)".
class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message);

  Status(const Status& other)
      : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}
  Status& operator=(const Status& other) {
    state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }

#define ARCFLOW_STATUS_FACTORY(Name, Code)                                             \
  template <typename... Args>                                                          \
  static Status Name(fmt::format_string<Args...> format, Args&&... args) {             \
    return Status(StatusCode::Code, fmt::format(format, std::forward<Args>(args)...)); \
  }
  ARCFLOW_STATUS_FACTORY(Invalid, kInvalid)
  ARCFLOW_STATUS_FACTORY(NotFound, kNotFound)
  ARCFLOW_STATUS_FACTORY(AlreadyExists, kAlreadyExists)
  ARCFLOW_STATUS_FACTORY(IOError, kIOError)
  ARCFLOW_STATUS_FACTORY(Corruption, kCorruption)
  ARCFLOW_STATUS_FACTORY(Conflict, kConflict)
  ARCFLOW_STATUS_FACTORY(NotImplemented, kNotImplemented)
  ARCFLOW_STATUS_FACTORY(Cancelled, kCancelled)
  ARCFLOW_STATUS_FACTORY(OutOfMemory, kOutOfMemory)
  ARCFLOW_STATUS_FACTORY(Internal, kInternal)
#undef ARCFLOW_STATUS_FACTORY

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  const std::string& message() const;

  bool IsInvalid() const { return code() == StatusCode::kInvalid; }
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code() == StatusCode::kAlreadyExists; }
  bool IsIOError() const { return code() == StatusCode::kIOError; }
  bool IsCorruption() const { return code() == StatusCode::kCorruption; }
  bool IsConflict() const { return code() == StatusCode::kConflict; }
  bool IsNotImplemented() const { return code() == StatusCode::kNotImplemented; }
  bool IsInternal() const { return code() == StatusCode::kInternal; }

  // Returns a copy whose message ends with "; <context>", so that errors collect where they
  // happened as they propagate ("...; while reading orders.json"). OK stays OK.
  Status WithContext(std::string_view context) const;

  // "Invalid: <message>", or "OK".
  std::string ToString() const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

}  // namespace arcflow

// Returns from the current function if `expr` yields a non-OK Status.
#define ARCFLOW_RETURN_NOT_OK(expr)                    \
  do {                                                 \
    ::arcflow::Status _arcflow_status = (expr);        \
    if (!_arcflow_status.ok()) return _arcflow_status; \
  } while (false)

// Like ARCFLOW_RETURN_NOT_OK, adding context to the message on the way out.
#define ARCFLOW_RETURN_NOT_OK_CTX(expr, context)                            \
  do {                                                                      \
    ::arcflow::Status _arcflow_status = (expr);                             \
    if (!_arcflow_status.ok()) return _arcflow_status.WithContext(context); \
  } while (false)
