#include "arcflow/base/uuid.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <random>

namespace arcflow {

namespace {

// A generator seeded afresh in every process. A forked child inherits its parent's generator
// state, so without the reseed parent and child (or two children forked from one parent) draw
// the same UUIDs, and writers in those processes pick the same data file names.
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

UuidBytes RandomUuidBytes() {
  thread_local ProcessGenerator generator;
  UuidBytes bytes;
  for (size_t i = 0; i < bytes.size(); i += 8) {
    const uint64_t word = generator.Next();
    std::memcpy(bytes.data() + i, &word, 8);
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // Version 4.
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant.
  return bytes;
}

std::string FormatUuid(std::span<const uint8_t, 16> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0xF]);
  }
  return text;
}

std::string RandomUuid() {
  const UuidBytes bytes = RandomUuidBytes();
  return FormatUuid(bytes);
}

}  // namespace arcflow
