#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"
#include "arcflow/base/status.h"

namespace arcflow::codec {

// Where a streaming decoder (zlib, brotli, zstd, lz4 frames) writes, so that one decode loop
// per codec serves both Codec::Decompress and Codec::DecompressUnknownSize.
//
// A sink is either fixed, over the caller's span that the data must fill exactly, or growing,
// over a buffer that doubles up to a limit so that a few hostile bytes cannot make arcflow
// allocate gigabytes. Either way the sink accepts one byte more than its capacity: a decoder
// that writes that byte has proven the data too large, without the sink holding more.
// Not thread-safe; one decoder call owns it.
class DecompressionSink {
 public:
  // A fixed sink over `output`. `codec_name` prefixes error messages and must outlive the
  // sink; so must `output`.
  DecompressionSink(std::string_view codec_name, std::span<uint8_t> output);
  // A growing sink holding at most `limit` bytes. `initial_capacity` is a first guess, such
  // as a size the input claims; it is clamped to the limit, so it may be untrusted.
  DecompressionSink(std::string_view codec_name, int64_t limit, int64_t initial_capacity);

  DecompressionSink(const DecompressionSink&) = delete;
  DecompressionSink& operator=(const DecompressionSink&) = delete;

  // Returns writable space after the bytes committed so far, growing a growing sink when
  // none is free. Empty only once exceeded() is true. OutOfMemory if growing fails.
  Result<std::span<uint8_t>> FreeSpace();

  // Records that the decoder wrote `length` bytes at the start of the last FreeSpace() span.
  // REQUIRES: `length` does not exceed that span's size.
  void Commit(int64_t length);

  int64_t size() const { return size_; }
  bool exceeded() const { return size_ > limit_; }

  // The error to return once exceeded() is true: Corruption for a fixed sink (the data is
  // larger than the size recorded for it), Invalid for a growing one (the limit is hit).
  Status Exceeded() const;

  // Checks, once the decoder reports the end of its data, that a fixed sink is exactly full;
  // Corruption if not. Always OK for a growing sink.
  Status CheckComplete() const;

  // Hands over a growing sink's bytes, copied into a tight allocation when much of the
  // capacity went unused. REQUIRES: a growing sink and !exceeded().
  Result<std::shared_ptr<Buffer>> Finish();

 private:
  Status Grow();

  std::string_view codec_name_;
  // Whether the sink writes into the caller's span rather than its own buffer.
  bool fixed_;
  // The most bytes the data may decode to: the span's size, or the growing sink's limit.
  int64_t limit_;
  int64_t size_ = 0;

  // Fixed sinks only.
  std::span<uint8_t> fixed_output_;
  // Receives the byte that proves a fixed sink's data too large.
  uint8_t overflow_byte_ = 0;

  // Growing sinks only. The buffer never exceeds limit_ + 1 bytes.
  int64_t initial_capacity_ = 0;
  std::shared_ptr<Buffer> buffer_;
  int64_t capacity_ = 0;
};

}  // namespace arcflow::codec
