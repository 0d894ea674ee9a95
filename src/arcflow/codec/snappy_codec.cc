#include "arcflow/codec/snappy_codec.h"

#include <snappy.h>

#include <cstdint>
#include <limits>

namespace arcflow::codec {
namespace {

const char* AsChars(const uint8_t* bytes) { return reinterpret_cast<const char*>(bytes); }

// Reads the decompressed length from the stream's varint prefix.
Result<int64_t> ReadDecompressedLength(std::span<const uint8_t> input) {
  size_t length = 0;
  if (!snappy::GetUncompressedLength(AsChars(input.data()), input.size(), &length)) {
    return Status::Corruption("snappy: malformed length prefix (input size={})", input.size());
  }
  return static_cast<int64_t>(length);
}

// Decodes after the caller has checked that `output` is exactly the size the prefix claims;
// snappy then never writes past it.
Status DecodeInto(std::span<const uint8_t> input, std::span<uint8_t> output) {
  if (!snappy::RawUncompress(AsChars(input.data()), input.size(),
                             reinterpret_cast<char*>(output.data()))) {
    return Status::Corruption("snappy: malformed compressed data (input size={}, output size={})",
                              input.size(), output.size());
  }
  return Status::OK();
}

// A snappy element of n input bytes yields at most this many times n output bytes (a
// three-byte copy of 64 bytes is the best case), so a prefix claiming more is corrupt. The
// check keeps a short hostile input from making DecompressUnknownSize allocate its limit.
constexpr int64_t kMaxExpansion = 22;

}  // namespace

int64_t SnappyCodec::MaxCompressedLength(int64_t input_length) const {
  return static_cast<int64_t>(snappy::MaxCompressedLength(static_cast<size_t>(input_length)));
}

Result<int64_t> SnappyCodec::DoDecompress(std::span<const uint8_t> input,
                                          std::span<uint8_t> output) const {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t claimed, ReadDecompressedLength(input));
  if (claimed != static_cast<int64_t>(output.size())) {
    return Status::Corruption("snappy: data decompresses to {} bytes but {} were expected", claimed,
                              output.size());
  }
  ARCFLOW_RETURN_NOT_OK(DecodeInto(input, output));
  return claimed;
}

Result<std::shared_ptr<Buffer>> SnappyCodec::DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                                     int64_t max_output) const {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t claimed, ReadDecompressedLength(input));
  if (claimed > max_output) {
    return Status::Invalid("snappy: decompressed size {} exceeds the limit of {} bytes", claimed,
                           max_output);
  }
  if (claimed > kMaxExpansion * static_cast<int64_t>(input.size()) + 64) {
    return Status::Corruption(
        "snappy: length prefix claims {} bytes, more than {} input bytes can hold", claimed,
        input.size());
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer, Buffer::Allocate(claimed));
  ARCFLOW_RETURN_NOT_OK(
      DecodeInto(input, std::span<uint8_t>(buffer->mutable_data(), static_cast<size_t>(claimed))));
  return buffer;
}

Result<int64_t> SnappyCodec::DoCompress(std::span<const uint8_t> input,
                                        std::span<uint8_t> output) const {
  // The length prefix is a 32-bit varint.
  if (input.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::Invalid("snappy: input of {} bytes exceeds the format's 4 GiB limit",
                           input.size());
  }
  // RawCompress trusts its output to be large enough, so check it here.
  size_t bound = snappy::MaxCompressedLength(input.size());
  if (output.size() < bound) {
    return Status::Invalid("snappy: output buffer of {} bytes is smaller than the bound {}",
                           output.size(), bound);
  }
  size_t written = 0;
  snappy::RawCompress(AsChars(input.data()), input.size(), reinterpret_cast<char*>(output.data()),
                      &written);
  return static_cast<int64_t>(written);
}

}  // namespace arcflow::codec
