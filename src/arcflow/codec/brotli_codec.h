#pragma once

#include "arcflow/codec/codec.h"

namespace arcflow::codec {

// Brotli (RFC 7932) streams. Thread-safe (no state between calls: brotli's decoder cannot
// be reset for reuse, so each call creates its own).
class BrotliCodec final : public Codec {
 public:
  // REQUIRES: `level` within CompressionLevels(CodecType::kBrotli).
  explicit BrotliCodec(int level) : Codec(CodecType::kBrotli, level) {}

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
