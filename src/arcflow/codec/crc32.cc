#include "arcflow/codec/crc32.h"

#include <zlib.h>

namespace arcflow::codec {

uint32_t Crc32(std::span<const uint8_t> bytes, uint32_t seed) {
  if (bytes.empty()) return seed;
  // crc32_z takes a size_t length, so no chunking is needed for large inputs.
  return static_cast<uint32_t>(crc32_z(seed, bytes.data(), bytes.size()));
}

}  // namespace arcflow::codec
