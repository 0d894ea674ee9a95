#include "arcflow/base/random.h"

#include <unistd.h>

#include <chrono>
#include <random>

namespace arcflow {

namespace {

// A generator seeded afresh in every process. A forked child inherits its parent's generator
// state, so without the reseed parent and child (or two children forked from one parent) draw
// the same numbers, and writers in those processes pick the same data file names.
class ProcessGenerator {
 public:
  uint64_t Next() {
    const pid_t pid = getpid();
    if (pid != pid_) {
      // The clock and pid are mixed in because std::random_device may be deterministic on some
      // platforms.
      generator_.seed(
          (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}() ^
          static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
          (static_cast<uint64_t>(pid) << 40));
      pid_ = pid;
    }
    return generator_();
  }

 private:
  pid_t pid_ = -1;
  std::mt19937_64 generator_;
};

}  // namespace

uint64_t RandomUint64() {
  thread_local ProcessGenerator generator;
  return generator.Next();
}

}  // namespace arcflow
