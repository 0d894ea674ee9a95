#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "arcflow/base/logging.h"
#include "arcflow/base/status.h"

namespace arcflow {

// Either a value of type T or a non-OK Status saying why there is none. Modelled on
// arrow::Result. Thread-compatible.
template <typename T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok(). An OK status without a value is a programming error and is
  // turned into an Internal error rather than trusted.
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Status::Internal("Result constructed from an OK Status");
  }
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  template <typename U,
            typename = std::enable_if_t<
                std::is_convertible_v<U&&, T> && !std::is_same_v<std::decay_t<U>, Status> &&
                !std::is_same_v<std::decay_t<U>, Result<T>> && !std::is_same_v<std::decay_t<U>, T>>>
  Result(U&& value) : value_(T(std::forward<U>(value))) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  const T& ValueOrDie() const& {
    ARCFLOW_CHECK(ok(), status_.ToString());
    return *value_;
  }
  T& ValueOrDie() & {
    ARCFLOW_CHECK(ok(), status_.ToString());
    return *value_;
  }
  T ValueOrDie() && {
    ARCFLOW_CHECK(ok(), status_.ToString());
    return std::move(*value_);
  }
  const T& operator*() const& { return ValueOrDie(); }
  T& operator*() & { return ValueOrDie(); }
  T operator*() && { return std::move(*this).ValueOrDie(); }
  const T* operator->() const { return &ValueOrDie(); }
  T* operator->() { return &ValueOrDie(); }

  T ValueOr(T fallback) && { return ok() ? std::move(*value_) : std::move(fallback); }

  // Moves the value out. REQUIRES: ok().
  T MoveValueUnsafe() { return std::move(*value_); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace arcflow

#define ARCFLOW_CONCAT_INNER(a, b) a##b
#define ARCFLOW_CONCAT(a, b) ARCFLOW_CONCAT_INNER(a, b)

#define ARCFLOW_ASSIGN_OR_RETURN_IMPL(result_name, lhs, rexpr) \
  auto&& result_name = (rexpr);                                \
  if (!result_name.ok()) return result_name.status();          \
  lhs = std::move(result_name).MoveValueUnsafe();

// Evaluates `rexpr` (a Result<T>); returns its Status if not OK, else assigns the value to
// `lhs`, which may be a declaration such as `auto x`.
#define ARCFLOW_ASSIGN_OR_RETURN(lhs, rexpr) \
  ARCFLOW_ASSIGN_OR_RETURN_IMPL(ARCFLOW_CONCAT(_arcflow_result_, __COUNTER__), lhs, rexpr)
