#include "arcflow/codec/uncompressed_codec.h"

#include <cstring>

namespace arcflow::codec {

Result<int64_t> UncompressedCodec::DoDecompress(std::span<const uint8_t> input,
                                                std::span<uint8_t> output) const {
  if (input.size() != output.size()) {
    return Status::Corruption("uncompressed: data is {} bytes but {} were expected", input.size(),
                              output.size());
  }
  std::memcpy(output.data(), input.data(), input.size());
  return static_cast<int64_t>(output.size());
}

Result<std::shared_ptr<Buffer>> UncompressedCodec::DoDecompressUnknownSize(
    std::span<const uint8_t> input, int64_t max_output) const {
  if (static_cast<int64_t>(input.size()) > max_output) {
    return Status::Invalid("uncompressed: data of {} bytes exceeds the limit of {} bytes",
                           input.size(), max_output);
  }
  return Buffer::CopyOf(input);
}

Result<int64_t> UncompressedCodec::DoCompress(std::span<const uint8_t> input,
                                              std::span<uint8_t> output) const {
  if (output.size() < input.size()) {
    return Status::Invalid("uncompressed: output buffer of {} bytes is too small for {} bytes",
                           output.size(), input.size());
  }
  std::memcpy(output.data(), input.data(), input.size());
  return static_cast<int64_t>(input.size());
}

}  // namespace arcflow::codec
