#include "arcflow/base/logging.h"

#include <cstdio>
#include <cstdlib>

namespace arcflow::internal {

void CheckFailed(const char* condition, std::string_view message, const char* file, int line) {
  std::fprintf(stderr, "arcflow: internal check failed at %s:%d: %s %.*s\n", file, line, condition,
               static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace arcflow::internal
