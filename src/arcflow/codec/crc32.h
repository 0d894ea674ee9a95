#pragma once

#include <cstdint>
#include <span>

namespace arcflow::codec {

// Returns the CRC-32 of `bytes` with the IEEE polynomial, as zlib, gzip and Parquet page
// checksums compute it. Pass a previous result as `seed` to continue a checksum over data
// that arrives in pieces: Crc32(b, Crc32(a)) == Crc32(a followed by b). Thread-safe.
uint32_t Crc32(std::span<const uint8_t> bytes, uint32_t seed = 0);

}  // namespace arcflow::codec
