#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/base/status.h"
#include "arcflow/codec/codec_type.h"

namespace arcflow::codec {

// Compresses and decompresses whole blocks of bytes with one codec at one level, as Parquet
// pages and compressed JSON/CSV files need.
//
// Thread-safe: a Codec is immutable after MakeCodec, and implementations keep any library
// context they reuse in thread_local storage, so one Codec may serve many threads at once.
// Input and output spans are borrowed for the duration of a call only.
//
// Every decompression treats its input as hostile: malformed or truncated data is Corruption,
// never a crash or an access outside the given spans.
class Codec {
 public:
  virtual ~Codec() = default;
  Codec(const Codec&) = delete;
  Codec& operator=(const Codec&) = delete;

  CodecType type() const { return type_; }
  std::string_view name() const { return CodecTypeName(type_); }
  // The compression level in the codec's own scale, after defaults are resolved; 0 for
  // codecs without levels.
  int level() const { return level_; }

  // Decompresses `input`, which must decode to exactly output.size() bytes (Parquet records
  // the uncompressed size of every page). Returns output.size(). Corruption when the input is
  // malformed or truncated, or decodes to more or fewer bytes. Empty input with empty output
  // is accepted by every codec, since some writers store empty pages with no codec bytes.
  Result<int64_t> Decompress(std::span<const uint8_t> input, std::span<uint8_t> output) const;

  // Decompresses `input` whose decompressed size is not known in advance, as for ".gz" or
  // ".zst" files. Memory use is bounded by about max_output bytes whatever the input claims;
  // Invalid when the data decompresses to more than max_output bytes (a decompression bomb
  // or a limit set too low), Corruption when it is malformed or truncated.
  // REQUIRES: max_output >= 0.
  Result<std::shared_ptr<Buffer>> DecompressUnknownSize(std::span<const uint8_t> input,
                                                        int64_t max_output) const;

  // Returns how many bytes Compress may write for `input_length` bytes of input.
  // REQUIRES: 0 <= input_length < 2^62.
  virtual int64_t MaxCompressedLength(int64_t input_length) const = 0;

  // Compresses `input` into `output` and returns the compressed size. Invalid when the input
  // is larger than the codec supports or `output` is too small; sizing it with
  // MaxCompressedLength always suffices.
  Result<int64_t> Compress(std::span<const uint8_t> input, std::span<uint8_t> output) const;

  // Compresses `input` and appends the result to `out`.
  Status Compress(std::span<const uint8_t> input, BufferBuilder* out) const;

 protected:
  Codec(CodecType type, int level) : type_(type), level_(level) {}

  // The per-codec work behind the public methods, which have already handled empty input and
  // replaced null data pointers of empty spans with valid ones, so libraries that reject null
  // pointers never see one.
  virtual Result<int64_t> DoDecompress(std::span<const uint8_t> input,
                                       std::span<uint8_t> output) const = 0;
  virtual Result<std::shared_ptr<Buffer>> DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                                  int64_t max_output) const = 0;
  virtual Result<int64_t> DoCompress(std::span<const uint8_t> input,
                                     std::span<uint8_t> output) const = 0;

 private:
  const CodecType type_;
  const int level_;
};

// Creates the codec for `type` at `level` (kDefaultCompressionLevel for the codec's default;
// see CompressionLevels). Invalid for a level the codec does not accept, NotImplemented for
// LZO, which arcflow does not support.
Result<std::unique_ptr<Codec>> MakeCodec(CodecType type, int level = kDefaultCompressionLevel);

}  // namespace arcflow::codec
