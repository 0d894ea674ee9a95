#pragma once

#include <cstdint>

namespace arcflow {

// A random 64-bit number, for names that must not collide and for jitter; not for secrets.
// Thread-safe: each thread draws from its own generator, seeded once from std::random_device,
// the clock and the pid, and seeded again in a forked child, so that processes forked from one
// parent never draw the same numbers.
uint64_t RandomUint64();

}  // namespace arcflow
