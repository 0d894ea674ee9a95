#include "arcflow/codec/codec.h"

#include "arcflow/codec/brotli_codec.h"
#include "arcflow/codec/gzip_codec.h"
#include "arcflow/codec/lz4_codec.h"
#include "arcflow/codec/snappy_codec.h"
#include "arcflow/codec/uncompressed_codec.h"
#include "arcflow/codec/zstd_codec.h"

namespace arcflow::codec {
namespace {

// Stands in for the data pointer of an empty span, which may be null: some libraries reject
// a null pointer even with a zero length. Nothing is ever read from or written to it.
uint8_t empty_span_byte = 0;

std::span<uint8_t> NonNull(std::span<uint8_t> span) {
  return span.data() != nullptr ? span : std::span<uint8_t>(&empty_span_byte, 0);
}

}  // namespace

Result<int64_t> Codec::Decompress(std::span<const uint8_t> input, std::span<uint8_t> output) const {
  if (input.empty()) {
    if (output.empty()) return 0;
    return Status::Corruption("{}: no compressed bytes for {} expected decompressed bytes", name(),
                              output.size());
  }
  return DoDecompress(input, NonNull(output));
}

Result<std::shared_ptr<Buffer>> Codec::DecompressUnknownSize(std::span<const uint8_t> input,
                                                             int64_t max_output) const {
  if (max_output < 0) {
    return Status::Invalid("{}: negative decompression limit ({})", name(), max_output);
  }
  if (input.empty()) return Buffer::Allocate(0);
  return DoDecompressUnknownSize(input, max_output);
}

Result<int64_t> Codec::Compress(std::span<const uint8_t> input, std::span<uint8_t> output) const {
  if (input.data() == nullptr) input = std::span<const uint8_t>(&empty_span_byte, 0);
  return DoCompress(input, NonNull(output));
}

Status Codec::Compress(std::span<const uint8_t> input, BufferBuilder* out) const {
  int64_t start = out->size();
  int64_t bound = MaxCompressedLength(static_cast<int64_t>(input.size()));
  // BufferBuilder offers no way to extend its size without zeroing the new bytes, so this
  // zeroes the bound once; that costs far less than compressing the same bytes.
  out->Resize(start + bound);
  Result<int64_t> written =
      Compress(input, std::span<uint8_t>(out->data() + start, static_cast<size_t>(bound)));
  if (!written.ok()) {
    out->Resize(start);
    return written.status();
  }
  out->Resize(start + *written);
  return Status::OK();
}

Result<std::unique_ptr<Codec>> MakeCodec(CodecType type, int level) {
  if (type == CodecType::kLzo) {
    return Status::NotImplemented(
        "codec: LZO compression is not supported (no maintained, compatibly licensed "
        "library); rewrite the data with another codec");
  }
  ARCFLOW_ASSIGN_OR_RETURN(int resolved, ResolveCompressionLevel(type, level));
  switch (type) {
    case CodecType::kUncompressed:
      return std::make_unique<UncompressedCodec>();
    case CodecType::kSnappy:
      return std::make_unique<SnappyCodec>();
    case CodecType::kGzip:
      return std::make_unique<GzipCodec>(resolved);
    case CodecType::kBrotli:
      return std::make_unique<BrotliCodec>(resolved);
    case CodecType::kLz4Hadoop:
      return std::make_unique<Lz4HadoopCodec>(resolved);
    case CodecType::kZstd:
      return std::make_unique<ZstdCodec>(resolved);
    case CodecType::kLz4Raw:
      return std::make_unique<Lz4RawCodec>(resolved);
    case CodecType::kLzo:
      break;
  }
  return Status::Invalid("codec: unknown codec type {}", static_cast<int>(type));
}

}  // namespace arcflow::codec
