#include "arcflow/base/uuid.h"

#include <cstring>

#include "arcflow/base/random.h"

namespace arcflow {

UuidBytes RandomUuidBytes() {
  UuidBytes bytes;
  for (size_t i = 0; i < bytes.size(); i += 8) {
    const uint64_t word = RandomUint64();
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
