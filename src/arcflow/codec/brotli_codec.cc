#include "arcflow/codec/brotli_codec.h"

#include <brotli/decode.h>
#include <brotli/encode.h>

#include <memory>

#include "arcflow/codec/decompression_sink.h"

namespace arcflow::codec {
namespace {

struct DecoderDeleter {
  void operator()(BrotliDecoderState* state) const { BrotliDecoderDestroyInstance(state); }
};

// Decodes the single brotli stream in `input` into `sink`; bytes after the stream's end are
// Corruption.
Status Decode(std::span<const uint8_t> input, DecompressionSink* sink) {
  std::unique_ptr<BrotliDecoderState, DecoderDeleter> decoder(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr));
  if (decoder == nullptr) return Status::OutOfMemory("brotli: cannot create a decoder");
  size_t available_in = input.size();
  const uint8_t* next_in = input.data();
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(std::span<uint8_t> space, sink->FreeSpace());
    if (space.empty()) return sink->Exceeded();
    size_t available_out = space.size();
    uint8_t* next_out = space.data();
    BrotliDecoderResult result = BrotliDecoderDecompressStream(
        decoder.get(), &available_in, &next_in, &available_out, &next_out, nullptr);
    sink->Commit(static_cast<int64_t>(space.size() - available_out));
    if (sink->exceeded()) return sink->Exceeded();
    size_t offset = input.size() - available_in;
    switch (result) {
      case BROTLI_DECODER_RESULT_SUCCESS:
        if (available_in != 0) {
          return Status::Corruption(
              "brotli: {} unexpected bytes after the stream's end (offset={})", available_in,
              offset);
        }
        return sink->CheckComplete();
      case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
        break;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
        return Status::Corruption(
            "brotli: data is truncated (input size={}, decompressed so far={})", input.size(),
            sink->size());
      case BROTLI_DECODER_RESULT_ERROR:
      default: {
        BrotliDecoderErrorCode code = BrotliDecoderGetErrorCode(decoder.get());
        if (code <= BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES &&
            code >= BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES) {
          return Status::OutOfMemory("brotli: out of memory while decompressing");
        }
        return Status::Corruption("brotli: malformed data near input offset {} ({})", offset,
                                  BrotliDecoderErrorString(code));
      }
    }
  }
}

}  // namespace

int64_t BrotliCodec::MaxCompressedLength(int64_t input_length) const {
  return static_cast<int64_t>(BrotliEncoderMaxCompressedSize(static_cast<size_t>(input_length)));
}

Result<int64_t> BrotliCodec::DoDecompress(std::span<const uint8_t> input,
                                          std::span<uint8_t> output) const {
  DecompressionSink sink(name(), output);
  ARCFLOW_RETURN_NOT_OK(Decode(input, &sink));
  return sink.size();
}

Result<std::shared_ptr<Buffer>> BrotliCodec::DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                                     int64_t max_output) const {
  DecompressionSink sink(name(), max_output, 4 * static_cast<int64_t>(input.size()));
  ARCFLOW_RETURN_NOT_OK(Decode(input, &sink));
  return sink.Finish();
}

Result<int64_t> BrotliCodec::DoCompress(std::span<const uint8_t> input,
                                        std::span<uint8_t> output) const {
  size_t written = output.size();
  if (!BrotliEncoderCompress(level(), BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(),
                             input.data(), &written, output.data())) {
    // The level is valid, so the encoder fails only for lack of output space.
    return Status::Invalid("brotli: output buffer of {} bytes is too small", output.size());
  }
  return static_cast<int64_t>(written);
}

}  // namespace arcflow::codec
