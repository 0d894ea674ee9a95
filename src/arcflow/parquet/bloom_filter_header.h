#pragma once

#include <cstdint>
#include <span>

#include "arcflow/base/result.h"
#include "arcflow/base/status.h"

namespace arcflow::parquet {

class ThriftCompactReader;
class ThriftCompactWriter;

// The BloomFilterHeader struct of parquet.thrift, in front of a column chunk's bloom filter
// bitset at ColumnMetaData::bloom_filter_offset. Its three unions each have one member today;
// a member this reader does not know decodes as kUnknown, and such a filter must not be used.
struct BloomFilterHeader {
  enum class Algorithm : int8_t { kUnknown, kSplitBlock };
  enum class Hash : int8_t { kUnknown, kXxHash };
  enum class Compression : int8_t { kUnknown, kUncompressed };

  int32_t num_bytes = 0;                                 // field 1: size of the bitset
  Algorithm algorithm = Algorithm::kSplitBlock;          // field 2
  Hash hash = Hash::kXxHash;                             // field 3
  Compression compression = Compression::kUncompressed;  // field 4

  bool operator==(const BloomFilterHeader&) const = default;
};

// Thrift codec. Decoding fails with Corruption on malformed input or a missing required field.
Status Decode(ThriftCompactReader& reader, BloomFilterHeader* out);
void Encode(const BloomFilterHeader& value, ThriftCompactWriter& writer);

// Decodes the header at the start of `bytes` (the bitset follows) and stores its encoded
// length in `*header_length`. `base_offset` is the file offset of bytes[0].
Result<BloomFilterHeader> DecodeBloomFilterHeader(std::span<const uint8_t> bytes,
                                                  int64_t base_offset, int64_t* header_length);

}  // namespace arcflow::parquet
