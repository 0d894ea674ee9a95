#include "arcflow/codec/gzip_codec.h"

#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <limits>

#include "arcflow/codec/decompression_sink.h"

namespace arcflow::codec {
namespace {

// zlib counts bytes in 32-bit fields, so larger spans are fed in pieces.
constexpr size_t kMaxChunk = std::numeric_limits<uInt>::max();

// Window bits: 15 selects the largest window; +32 makes inflate detect a gzip or zlib header
// by itself, +16 makes deflate write a gzip header and trailer.
constexpr int kInflateWindowBits = 15 + 32;
constexpr int kDeflateWindowBits = 15 + 16;
constexpr int kDeflateMemLevel = 8;

// A gzip wrapper is 18 bytes (10 of header, 8 of trailer); deflateBound without a stream
// already counts the 6 of a zlib wrapper.
constexpr int64_t kGzipWrapperExtra = 18 - 6;

// Owns this thread's zlib streams, initialised on first use and ended when the thread exits.
// Resetting a stream keeps its allocations, which is the point of keeping it.
class ThreadStreams {
 public:
  ThreadStreams() = default;
  ThreadStreams(const ThreadStreams&) = delete;
  ThreadStreams& operator=(const ThreadStreams&) = delete;
  ~ThreadStreams() {
    if (inflate_ready_) inflateEnd(&inflate_);
    if (deflate_ready_) deflateEnd(&deflate_);
  }

  // Returns the inflate stream, reset for new data.
  Result<z_stream*> Inflater() {
    if (inflate_ready_) {
      if (inflateReset(&inflate_) == Z_OK) return &inflate_;
      inflateEnd(&inflate_);
      inflate_ready_ = false;
    }
    inflate_ = z_stream{};
    if (inflateInit2(&inflate_, kInflateWindowBits) != Z_OK) {
      return Status::OutOfMemory("gzip: cannot initialise a zlib inflate stream");
    }
    inflate_ready_ = true;
    return &inflate_;
  }

  // Returns the deflate stream, reset for new data at `level`.
  Result<z_stream*> Deflater(int level) {
    if (deflate_ready_) {
      // Changing the level of a reset stream is allowed, but a thread rarely switches, so
      // starting over keeps this simple.
      if (deflate_level_ == level && deflateReset(&deflate_) == Z_OK) return &deflate_;
      deflateEnd(&deflate_);
      deflate_ready_ = false;
    }
    deflate_ = z_stream{};
    if (deflateInit2(&deflate_, level, Z_DEFLATED, kDeflateWindowBits, kDeflateMemLevel,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::OutOfMemory("gzip: cannot initialise a zlib deflate stream (level={})", level);
    }
    deflate_ready_ = true;
    deflate_level_ = level;
    return &deflate_;
  }

 private:
  z_stream inflate_{};
  bool inflate_ready_ = false;
  z_stream deflate_{};
  bool deflate_ready_ = false;
  int deflate_level_ = 0;
};

thread_local ThreadStreams thread_streams;

bool AllZero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t byte) { return byte == 0; });
}

// Inflates every member of `input` into `sink`.
Status Inflate(std::span<const uint8_t> input, DecompressionSink* sink) {
  ARCFLOW_ASSIGN_OR_RETURN(z_stream * stream, thread_streams.Inflater());
  size_t offset = 0;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(std::span<uint8_t> space, sink->FreeSpace());
    if (space.empty()) return sink->Exceeded();
    size_t in_chunk = std::min(input.size() - offset, kMaxChunk);
    size_t out_chunk = std::min(space.size(), kMaxChunk);
    stream->next_in = input.data() + offset;
    stream->avail_in = static_cast<uInt>(in_chunk);
    stream->next_out = space.data();
    stream->avail_out = static_cast<uInt>(out_chunk);
    int code = inflate(stream, Z_NO_FLUSH);
    offset += in_chunk - stream->avail_in;
    sink->Commit(static_cast<int64_t>(out_chunk - stream->avail_out));
    if (sink->exceeded()) return sink->Exceeded();
    switch (code) {
      case Z_OK:
        // Progress was made; go on.
        break;
      case Z_STREAM_END: {
        // Writers may put several members back to back; gzip(1) also ignores zero padding
        // after the last one, as tape-blocked files have it.
        std::span<const uint8_t> rest = input.subspan(offset);
        if (AllZero(rest)) return sink->CheckComplete();
        if (inflateReset(stream) != Z_OK) {
          return Status::Internal("gzip: cannot reset the zlib inflate stream");
        }
        break;
      }
      case Z_BUF_ERROR:
        // No progress was possible although output space was offered, so input is missing.
        if (offset == input.size()) {
          return Status::Corruption(
              "gzip: data is truncated at input offset {} (decompressed so far={})", offset,
              sink->size());
        }
        return Status::Corruption("gzip: decoder made no progress at input offset {}", offset);
      case Z_MEM_ERROR:
        return Status::OutOfMemory("gzip: out of memory while decompressing");
      case Z_NEED_DICT:
        return Status::Corruption(
            "gzip: zlib data needs a preset dictionary, which is not supported (input "
            "offset={})",
            offset);
      default:
        return Status::Corruption("gzip: malformed data at input offset {} ({})", offset,
                                  stream->msg != nullptr ? stream->msg : "unknown zlib error");
    }
  }
}

}  // namespace

int64_t GzipCodec::MaxCompressedLength(int64_t input_length) const {
  return static_cast<int64_t>(deflateBound(nullptr, static_cast<uLong>(input_length))) +
         kGzipWrapperExtra;
}

Result<int64_t> GzipCodec::DoDecompress(std::span<const uint8_t> input,
                                        std::span<uint8_t> output) const {
  DecompressionSink sink(name(), output);
  ARCFLOW_RETURN_NOT_OK(Inflate(input, &sink));
  return sink.size();
}

Result<std::shared_ptr<Buffer>> GzipCodec::DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                                   int64_t max_output) const {
  // Text compresses about fourfold with gzip; a wrong guess only costs a few doublings.
  DecompressionSink sink(name(), max_output, 4 * static_cast<int64_t>(input.size()));
  ARCFLOW_RETURN_NOT_OK(Inflate(input, &sink));
  return sink.Finish();
}

Result<int64_t> GzipCodec::DoCompress(std::span<const uint8_t> input,
                                      std::span<uint8_t> output) const {
  ARCFLOW_ASSIGN_OR_RETURN(z_stream * stream, thread_streams.Deflater(level()));
  size_t in_offset = 0;
  size_t out_offset = 0;
  while (true) {
    size_t in_chunk = std::min(input.size() - in_offset, kMaxChunk);
    size_t out_chunk = std::min(output.size() - out_offset, kMaxChunk);
    // Finishing may take several calls when output is chunked; once the remaining input
    // fits in one chunk it stays so, as zlib requires of Z_FINISH.
    int flush = in_offset + in_chunk == input.size() ? Z_FINISH : Z_NO_FLUSH;
    stream->next_in = input.data() + in_offset;
    stream->avail_in = static_cast<uInt>(in_chunk);
    stream->next_out = output.data() + out_offset;
    stream->avail_out = static_cast<uInt>(out_chunk);
    int code = deflate(stream, flush);
    in_offset += in_chunk - stream->avail_in;
    out_offset += out_chunk - stream->avail_out;
    if (code == Z_STREAM_END) return static_cast<int64_t>(out_offset);
    if (code == Z_OK) continue;
    if (code == Z_BUF_ERROR && out_offset == output.size()) {
      return Status::Invalid("gzip: output buffer of {} bytes is too small", output.size());
    }
    return Status::Internal("gzip: deflate failed with zlib code {}", code);
  }
}

}  // namespace arcflow::codec
