#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace arcflow {

// A UUID as its 16 bytes, in the order of its text form.
using UuidBytes = std::array<uint8_t, 16>;

// A random (version 4, RFC 4122 variant) UUID, of RandomUint64's numbers: thread-safe, and
// processes forked from one parent never draw the same UUIDs.
UuidBytes RandomUuidBytes();

// The 36-character lowercase text form, e.g. "123e4567-e89b-42d3-a456-426614174000".
std::string FormatUuid(std::span<const uint8_t, 16> bytes);

// FormatUuid(RandomUuidBytes()).
std::string RandomUuid();

}  // namespace arcflow
