#pragma once

#include <string_view>

namespace arcflow::internal {

// Prints the failed condition with its location and aborts. Used only for programmer
// errors: user input must never reach an ARCFLOW_CHECK or ARCFLOW_DCHECK.
[[noreturn]] void CheckFailed(const char* condition, std::string_view message, const char* file,
                              int line);

}  // namespace arcflow::internal

// Aborts when `condition` is false, in every build. For invariants whose violation would
// corrupt data if execution went on.
#define ARCFLOW_CHECK(condition, message)                                          \
  do {                                                                             \
    if (!(condition)) [[unlikely]] {                                               \
      ::arcflow::internal::CheckFailed(#condition, (message), __FILE__, __LINE__); \
    }                                                                              \
  } while (false)

// Like ARCFLOW_CHECK, but compiled out of release builds (NDEBUG).
#ifdef NDEBUG
#define ARCFLOW_DCHECK(condition) \
  do {                            \
    (void)sizeof(condition);      \
  } while (false)
#else
#define ARCFLOW_DCHECK(condition) ARCFLOW_CHECK(condition, "")
#endif
