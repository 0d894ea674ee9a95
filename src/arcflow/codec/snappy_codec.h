#pragma once

#include "arcflow/codec/codec.h"

namespace arcflow::codec {

// Snappy's raw format, as Parquet stores it: a varint of the decompressed length, then
// literal and copy elements. Snappy has no levels. Thread-safe (stateless).
class SnappyCodec final : public Codec {
 public:
  SnappyCodec() : Codec(CodecType::kSnappy, 0) {}

  int64_t MaxCompressedLength(int64_t input_length) const override;

 protected:
  Result<int64_t> DoDecompress(std::span<const uint8_t> input,
                               std::span<uint8_t> output) const override;
  Result<std::shared_ptr<Buffer>> DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                          int64_t max_output) const override;
  Result<int64_t> DoCompress(std::span<const uint8_t> input,
                             std::span<uint8_t> output) const override;
};

}  // namespace arcflow::codec
