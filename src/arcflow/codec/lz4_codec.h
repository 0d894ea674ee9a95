#pragma once

#include "arcflow/codec/codec.h"

namespace arcflow::codec {

// LZ4 codecs. Levels: 1 is LZ4's fast compressor, 2 to 12 its high-compression (HC) one at
// that level; decompression speed does not depend on the level. Thread-safe: the HC state
// and the frame decoder are kept per thread.

// A bare LZ4 block (Parquet's LZ4_RAW). A block records neither its sizes nor a checksum.
class Lz4RawCodec final : public Codec {
 public:
  // REQUIRES: `level` within CompressionLevels(CodecType::kLz4Raw).
  explicit Lz4RawCodec(int level) : Codec(CodecType::kLz4Raw, level) {}

  int64_t MaxCompressedLength(int64_t input_length) const override;

 protected:
  Result<int64_t> DoDecompress(std::span<const uint8_t> input,
                               std::span<uint8_t> output) const override;
  Result<std::shared_ptr<Buffer>> DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                          int64_t max_output) const override;
  Result<int64_t> DoCompress(std::span<const uint8_t> input,
                             std::span<uint8_t> output) const override;
};

// Parquet's deprecated LZ4 id, which writers filled three ways. Hadoop's framing, a sequence
// of blocks each laid out as
//   [decompressed size: 4 bytes big-endian][compressed size: 4 bytes big-endian][LZ4 block],
// is what parquet-mr writes and what Spark's ".lz4" files hold; older parquet-cpp wrote a
// bare LZ4 block; some tools wrote the LZ4 frame format. Decompression tries them in that
// order and accepts the first that decodes the whole input consistently. Compression writes
// Hadoop framing with blocks of at most 256 KiB, the buffer size Hadoop's decoder assumes;
// new Parquet files should use LZ4_RAW instead.
class Lz4HadoopCodec final : public Codec {
 public:
  // REQUIRES: `level` within CompressionLevels(CodecType::kLz4Hadoop).
  explicit Lz4HadoopCodec(int level) : Codec(CodecType::kLz4Hadoop, level) {}

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
