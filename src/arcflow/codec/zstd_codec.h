#pragma once

#include "arcflow/codec/codec.h"

namespace arcflow::codec {

// Zstandard frames (RFC 8878); several frames back to back decode to their concatenation.
// Thread-safe: reuses one compression and one decompression context per thread, since
// creating them costs more than decoding a small page.
class ZstdCodec final : public Codec {
 public:
  // REQUIRES: `level` within CompressionLevels(CodecType::kZstd).
  explicit ZstdCodec(int level) : Codec(CodecType::kZstd, level) {}

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
