#include "arcflow/codec/zstd_codec.h"

#include <zstd.h>
#include <zstd_errors.h>

#include "arcflow/codec/decompression_sink.h"

namespace arcflow::codec {
namespace {

// Owns this thread's zstd contexts, created on first use and freed when the thread exits.
struct ThreadContexts {
  ZSTD_DCtx* decompression = nullptr;
  ZSTD_CCtx* compression = nullptr;

  ThreadContexts() = default;
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;
  ~ThreadContexts() {
    ZSTD_freeDCtx(decompression);
    ZSTD_freeCCtx(compression);
  }
};

thread_local ThreadContexts thread_contexts;

Result<ZSTD_DCtx*> DecompressionContext() {
  if (thread_contexts.decompression == nullptr) {
    thread_contexts.decompression = ZSTD_createDCtx();
    if (thread_contexts.decompression == nullptr) {
      return Status::OutOfMemory("zstd: cannot create a decompression context");
    }
  }
  return thread_contexts.decompression;
}

Result<ZSTD_CCtx*> CompressionContext() {
  if (thread_contexts.compression == nullptr) {
    thread_contexts.compression = ZSTD_createCCtx();
    if (thread_contexts.compression == nullptr) {
      return Status::OutOfMemory("zstd: cannot create a compression context");
    }
  }
  return thread_contexts.compression;
}

Status DecodeError(size_t code, size_t input_size) {
  if (ZSTD_getErrorCode(code) == ZSTD_error_memory_allocation) {
    return Status::OutOfMemory("zstd: out of memory while decompressing");
  }
  return Status::Corruption("zstd: {} (input size={})", ZSTD_getErrorName(code), input_size);
}

}  // namespace

int64_t ZstdCodec::MaxCompressedLength(int64_t input_length) const {
  return static_cast<int64_t>(ZSTD_compressBound(static_cast<size_t>(input_length)));
}

Result<int64_t> ZstdCodec::DoDecompress(std::span<const uint8_t> input,
                                        std::span<uint8_t> output) const {
  ARCFLOW_ASSIGN_OR_RETURN(ZSTD_DCtx * context, DecompressionContext());
  size_t decoded =
      ZSTD_decompressDCtx(context, output.data(), output.size(), input.data(), input.size());
  if (ZSTD_isError(decoded)) {
    if (ZSTD_getErrorCode(decoded) == ZSTD_error_dstSize_tooSmall) {
      return Status::Corruption("zstd: data decompresses to more than the expected {} bytes",
                                output.size());
    }
    return DecodeError(decoded, input.size());
  }
  if (decoded != output.size()) {
    return Status::Corruption("zstd: data decompresses to {} bytes but {} were expected", decoded,
                              output.size());
  }
  return static_cast<int64_t>(decoded);
}

Result<std::shared_ptr<Buffer>> ZstdCodec::DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                                   int64_t max_output) const {
  ARCFLOW_ASSIGN_OR_RETURN(ZSTD_DCtx * context, DecompressionContext());
  // A frame usually records its content size; use it as a first guess, plus one byte so that
  // a single frame ends without another growth. The sink clamps the guess to the limit, so a
  // lying header costs at most that.
  unsigned long long claimed = ZSTD_getFrameContentSize(input.data(), input.size());
  int64_t guess = 4 * static_cast<int64_t>(input.size());
  if (claimed != ZSTD_CONTENTSIZE_UNKNOWN && claimed != ZSTD_CONTENTSIZE_ERROR &&
      claimed < static_cast<unsigned long long>(max_output)) {
    guess = static_cast<int64_t>(claimed) + 1;
  }
  DecompressionSink sink(name(), max_output, guess);

  size_t reset = ZSTD_DCtx_reset(context, ZSTD_reset_session_only);
  if (ZSTD_isError(reset)) return DecodeError(reset, input.size());
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(std::span<uint8_t> space, sink.FreeSpace());
    if (space.empty()) return sink.Exceeded();
    ZSTD_outBuffer out{space.data(), space.size(), 0};
    size_t consumed_before = in.pos;
    // Zero once a frame is complete and flushed; otherwise the frame is unfinished.
    size_t hint = ZSTD_decompressStream(context, &out, &in);
    if (ZSTD_isError(hint)) return DecodeError(hint, input.size());
    sink.Commit(static_cast<int64_t>(out.pos));
    if (sink.exceeded()) return sink.Exceeded();
    if (in.pos == in.size) {
      if (hint == 0) break;
      // Output space is left, so the decoder has flushed all it holds and wants input.
      if (out.pos < out.size) {
        return Status::Corruption("zstd: data is truncated (input size={})", input.size());
      }
    } else if (out.pos == 0 && in.pos == consumed_before) {
      return Status::Corruption("zstd: decoder made no progress at input offset {}", in.pos);
    }
  }
  return sink.Finish();
}

Result<int64_t> ZstdCodec::DoCompress(std::span<const uint8_t> input,
                                      std::span<uint8_t> output) const {
  ARCFLOW_ASSIGN_OR_RETURN(ZSTD_CCtx * context, CompressionContext());
  size_t written =
      ZSTD_compressCCtx(context, output.data(), output.size(), input.data(), input.size(), level());
  if (ZSTD_isError(written)) {
    if (ZSTD_getErrorCode(written) == ZSTD_error_dstSize_tooSmall) {
      return Status::Invalid("zstd: output buffer of {} bytes is too small", output.size());
    }
    return Status::Internal("zstd: compression failed: {}", ZSTD_getErrorName(written));
  }
  return static_cast<int64_t>(written);
}

}  // namespace arcflow::codec
