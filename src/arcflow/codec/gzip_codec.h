#pragma once

#include "arcflow/codec/codec.h"

namespace arcflow::codec {

// GZIP (RFC 1952) through zlib. Decompression accepts several gzip members back to back (they
// decode to their concatenation, as gzip(1) does; some Parquet writers emit such pages) and
// zlib-wrapped (RFC 1950) data; compression writes one gzip member.
// Thread-safe: reuses one inflate and one deflate stream per thread, so the 32 KiB window and
// the deflate state are not allocated on every call.
class GzipCodec final : public Codec {
 public:
  // REQUIRES: `level` within CompressionLevels(CodecType::kGzip).
  explicit GzipCodec(int level) : Codec(CodecType::kGzip, level) {}

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
