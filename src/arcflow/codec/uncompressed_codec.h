#pragma once

#include "arcflow/codec/codec.h"

namespace arcflow::codec {

// The identity codec, so that callers can treat uncompressed data like any other. Thread-safe
// (stateless).
class UncompressedCodec final : public Codec {
 public:
  UncompressedCodec() : Codec(CodecType::kUncompressed, 0) {}

  int64_t MaxCompressedLength(int64_t input_length) const override { return input_length; }

 protected:
  Result<int64_t> DoDecompress(std::span<const uint8_t> input,
                               std::span<uint8_t> output) const override;
  Result<std::shared_ptr<Buffer>> DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                          int64_t max_output) const override;
  Result<int64_t> DoCompress(std::span<const uint8_t> input,
                             std::span<uint8_t> output) const override;
};

}  // namespace arcflow::codec
