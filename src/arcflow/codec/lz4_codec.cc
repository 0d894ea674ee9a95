#include "arcflow/codec/lz4_codec.h"

#include <lz4.h>
#include <lz4frame.h>
#include <lz4hc.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>

#include "arcflow/codec/decompression_sink.h"

namespace arcflow::codec {
namespace {

// The LZ4 block API counts bytes in `int`.
constexpr int64_t kMaxBlockBytes = std::numeric_limits<int>::max();

// Hadoop framing: two big-endian sizes before each block, and the block size Hadoop's
// decoder buffers by default (io.compression.codec.lz4.buffersize).
constexpr int64_t kHadoopHeaderSize = 8;
constexpr int64_t kHadoopBlockSize = 256 * 1024;

// An LZ4 block expands at most about 255-fold: each extra match-length byte adds 255 output
// bytes. A block claiming more is not LZ4.
constexpr int64_t kMaxBlockExpansion = 255;
constexpr int64_t kExpansionSlack = 64;

// Levels at or below this use LZ4's fast compressor.
constexpr int kFastLevel = 1;

int64_t BlockBound(int64_t input_length) {
  // LZ4_COMPRESSBOUND, in 64 bits so that it cannot overflow.
  return input_length + input_length / 255 + 16;
}

const char* AsChars(const uint8_t* bytes) { return reinterpret_cast<const char*>(bytes); }
char* AsChars(uint8_t* bytes) { return reinterpret_cast<char*>(bytes); }

uint32_t LoadBigEndian32(const uint8_t* bytes) {
  return (static_cast<uint32_t>(bytes[0]) << 24) | (static_cast<uint32_t>(bytes[1]) << 16) |
         (static_cast<uint32_t>(bytes[2]) << 8) | static_cast<uint32_t>(bytes[3]);
}

void StoreBigEndian32(uint32_t value, uint8_t* bytes) {
  bytes[0] = static_cast<uint8_t>(value >> 24);
  bytes[1] = static_cast<uint8_t>(value >> 16);
  bytes[2] = static_cast<uint8_t>(value >> 8);
  bytes[3] = static_cast<uint8_t>(value);
}

// Owns this thread's LZ4 state: the HC compressor's work area (about 256 KiB, too large to
// allocate per call) and a frame decoder. Both are created on first use.
class ThreadState {
 public:
  ThreadState() = default;
  ThreadState(const ThreadState&) = delete;
  ThreadState& operator=(const ThreadState&) = delete;
  ~ThreadState() { LZ4F_freeDecompressionContext(frame_decoder_); }

  Result<void*> HcState() {
    if (hc_state_ == nullptr) {
      // uint64_t elements give the 8-byte alignment LZ4 requires of the state.
      size_t words = (static_cast<size_t>(LZ4_sizeofStateHC()) + 7) / 8;
      hc_state_.reset(new (std::nothrow) uint64_t[words]);
      if (hc_state_ == nullptr) return Status::OutOfMemory("lz4: cannot allocate HC state");
    }
    return static_cast<void*>(hc_state_.get());
  }

  // Returns the frame decoder, reset for new data.
  Result<LZ4F_dctx*> FrameDecoder() {
    if (frame_decoder_ == nullptr) {
      if (LZ4F_isError(LZ4F_createDecompressionContext(&frame_decoder_, LZ4F_VERSION))) {
        frame_decoder_ = nullptr;
        return Status::OutOfMemory("lz4: cannot create a frame decoder");
      }
    } else {
      LZ4F_resetDecompressionContext(frame_decoder_);
    }
    return frame_decoder_;
  }

 private:
  std::unique_ptr<uint64_t[]> hc_state_;
  LZ4F_dctx* frame_decoder_ = nullptr;
};

thread_local ThreadState thread_state;

// Compresses `input` into one LZ4 block in `output`.
Result<int64_t> CompressBlock(std::span<const uint8_t> input, std::span<uint8_t> output,
                              int level) {
  if (static_cast<int64_t>(input.size()) > LZ4_MAX_INPUT_SIZE) {
    return Status::Invalid("lz4: input of {} bytes exceeds the block limit of {} bytes",
                           input.size(), LZ4_MAX_INPUT_SIZE);
  }
  int source_size = static_cast<int>(input.size());
  int capacity = static_cast<int>(std::min<int64_t>(output.size(), kMaxBlockBytes));
  int written = 0;
  if (level <= kFastLevel) {
    written =
        LZ4_compress_default(AsChars(input.data()), AsChars(output.data()), source_size, capacity);
  } else {
    ARCFLOW_ASSIGN_OR_RETURN(void* state, thread_state.HcState());
    written = LZ4_compress_HC_extStateHC(state, AsChars(input.data()), AsChars(output.data()),
                                         source_size, capacity, level);
  }
  // LZ4 fails only for lack of output space.
  if (written <= 0) {
    return Status::Invalid("lz4: output buffer of {} bytes is too small", output.size());
  }
  return static_cast<int64_t>(written);
}

// Decodes one LZ4 block that must fill `output` exactly. LZ4_decompress_safe never reads or
// writes outside the given sizes and rejects a block that does not end exactly at its input's
// end.
bool DecodeBlockExact(std::span<const uint8_t> input, std::span<uint8_t> output) {
  if (static_cast<int64_t>(input.size()) > kMaxBlockBytes ||
      static_cast<int64_t>(output.size()) > kMaxBlockBytes) {
    return false;
  }
  int decoded =
      LZ4_decompress_safe(AsChars(input.data()), AsChars(output.data()),
                          static_cast<int>(input.size()), static_cast<int>(output.size()));
  return decoded >= 0 && static_cast<size_t>(decoded) == output.size();
}

// Walks the sequences of one LZ4 block, without decoding them, to learn how many bytes it
// decompresses to, so that the output can be allocated once at its exact size. Only the
// lengths are checked here; LZ4_decompress_safe validates the rest. Corruption when the
// sequences do not fit the input, Invalid when they add up to more than `limit`.
Result<int64_t> ScanBlockSize(std::string_view codec_name, std::span<const uint8_t> input,
                              int64_t limit) {
  const size_t end = input.size();
  size_t position = 0;
  int64_t size = 0;
  // Reads a length: the 4-bit field from the token, extended by bytes while they are 255.
  auto read_length = [&](uint32_t nibble, int64_t* length) -> bool {
    *length = nibble;
    if (nibble != 15) return true;
    while (true) {
      if (position >= end) return false;
      uint8_t extra = input[position++];
      *length += extra;
      if (extra != 255) return true;
    }
  };
  while (true) {
    if (position >= end) {
      return Status::Corruption("{}: block is truncated at offset {} (block size={})", codec_name,
                                position, end);
    }
    uint8_t token = input[position++];
    int64_t literals = 0;
    if (!read_length(token >> 4, &literals) || literals > static_cast<int64_t>(end - position)) {
      return Status::Corruption("{}: literal run overruns the block at offset {} (block size={})",
                                codec_name, position, end);
    }
    position += static_cast<size_t>(literals);
    size += literals;
    // The last sequence is literals only.
    if (position == end) break;
    if (end - position < 2) {
      return Status::Corruption("{}: match offset cut off at offset {} (block size={})", codec_name,
                                position, end);
    }
    position += 2;
    int64_t match = 0;
    if (!read_length(token & 15, &match)) {
      return Status::Corruption("{}: match length cut off at offset {} (block size={})", codec_name,
                                position, end);
    }
    size += match + 4;  // The shortest match is 4 bytes.
    if (size > limit) break;
  }
  if (size > limit) {
    return Status::Invalid(
        "{}: decompressed data exceeds the limit of {} bytes (a decompression bomb, or a "
        "limit set too low)",
        codec_name, limit);
  }
  return size;
}

// Decodes a single LZ4 block whose decompressed size is unknown.
Result<std::shared_ptr<Buffer>> DecodeBlockUnknownSize(std::string_view codec_name,
                                                       std::span<const uint8_t> input,
                                                       int64_t max_output) {
  ARCFLOW_ASSIGN_OR_RETURN(int64_t size, ScanBlockSize(codec_name, input, max_output));
  if (size > kMaxBlockBytes) {
    return Status::Corruption("{}: block claims {} decompressed bytes, more than LZ4 supports",
                              codec_name, size);
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer, Buffer::Allocate(size));
  if (!DecodeBlockExact(input, std::span<uint8_t>(buffer->mutable_data(), size))) {
    return Status::Corruption("{}: malformed block (input size={})", codec_name, input.size());
  }
  return buffer;
}

// Decodes one or more LZ4 frames, back to back, into `sink`.
Status DecodeFrames(std::span<const uint8_t> input, DecompressionSink* sink) {
  ARCFLOW_ASSIGN_OR_RETURN(LZ4F_dctx * decoder, thread_state.FrameDecoder());
  size_t offset = 0;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(std::span<uint8_t> space, sink->FreeSpace());
    if (space.empty()) return sink->Exceeded();
    size_t consumed = input.size() - offset;
    size_t produced = space.size();
    size_t hint = LZ4F_decompress(decoder, space.data(), &produced, input.data() + offset,
                                  &consumed, nullptr);
    if (LZ4F_isError(hint)) {
      return Status::Corruption("lz4: malformed frame near input offset {} ({})", offset,
                                LZ4F_getErrorName(hint));
    }
    offset += consumed;
    sink->Commit(static_cast<int64_t>(produced));
    if (sink->exceeded()) return sink->Exceeded();
    if (hint == 0) {
      // A frame ended; the decoder is ready for another.
      if (offset == input.size()) return sink->CheckComplete();
    } else if (offset == input.size() && produced < space.size()) {
      // Output space is left, so the decoder has flushed all it holds and wants input.
      return Status::Corruption("lz4: frame is truncated (input size={})", input.size());
    } else if (consumed == 0 && produced == 0) {
      return Status::Corruption("lz4: frame decoder made no progress at input offset {}", offset);
    }
  }
}

// Returns the decompressed size of Hadoop-framed input, from the block headers alone, when the
// block headers chain exactly to the end of `input` and every block could decompress to the size
// its header claims, or nullopt when the input cannot be Hadoop framing. The second check keeps a
// few hostile bytes from making the caller allocate a large output before decoding fails.
std::optional<int64_t> HadoopDecompressedSize(std::span<const uint8_t> input) {
  int64_t total = 0;
  size_t position = 0;
  while (position < input.size()) {
    if (input.size() - position < kHadoopHeaderSize) return std::nullopt;
    uint32_t decompressed = LoadBigEndian32(input.data() + position);
    uint32_t compressed = LoadBigEndian32(input.data() + position + 4);
    position += kHadoopHeaderSize;
    if (compressed > input.size() - position ||
        decompressed > kMaxBlockExpansion * int64_t{compressed} + kExpansionSlack) {
      return std::nullopt;
    }
    position += compressed;
    total += decompressed;
  }
  return total;
}

// Decodes Hadoop-framed input that must fill `output` exactly; false when the input is not
// consistent Hadoop framing (it may then be one of the other layouts).
bool DecodeHadoopExact(std::span<const uint8_t> input, std::span<uint8_t> output) {
  size_t in_position = 0;
  size_t out_position = 0;
  while (in_position < input.size()) {
    if (input.size() - in_position < kHadoopHeaderSize) return false;
    uint32_t decompressed = LoadBigEndian32(input.data() + in_position);
    uint32_t compressed = LoadBigEndian32(input.data() + in_position + 4);
    in_position += kHadoopHeaderSize;
    if (compressed > input.size() - in_position || decompressed > output.size() - out_position) {
      return false;
    }
    if (!DecodeBlockExact(input.subspan(in_position, compressed),
                          output.subspan(out_position, decompressed))) {
      return false;
    }
    in_position += compressed;
    out_position += decompressed;
  }
  return out_position == output.size();
}

}  // namespace

int64_t Lz4RawCodec::MaxCompressedLength(int64_t input_length) const {
  return BlockBound(input_length);
}

Result<int64_t> Lz4RawCodec::DoDecompress(std::span<const uint8_t> input,
                                          std::span<uint8_t> output) const {
  if (!DecodeBlockExact(input, output)) {
    return Status::Corruption(
        "lz4_raw: malformed block or wrong size (input size={}, expected output size={})",
        input.size(), output.size());
  }
  return static_cast<int64_t>(output.size());
}

Result<std::shared_ptr<Buffer>> Lz4RawCodec::DoDecompressUnknownSize(std::span<const uint8_t> input,
                                                                     int64_t max_output) const {
  return DecodeBlockUnknownSize(name(), input, max_output);
}

Result<int64_t> Lz4RawCodec::DoCompress(std::span<const uint8_t> input,
                                        std::span<uint8_t> output) const {
  return CompressBlock(input, output, level());
}

int64_t Lz4HadoopCodec::MaxCompressedLength(int64_t input_length) const {
  int64_t full_blocks = input_length / kHadoopBlockSize;
  int64_t last_block = input_length % kHadoopBlockSize;
  int64_t bound = full_blocks * (kHadoopHeaderSize + BlockBound(kHadoopBlockSize));
  if (last_block > 0) bound += kHadoopHeaderSize + BlockBound(last_block);
  return bound;
}

Result<int64_t> Lz4HadoopCodec::DoDecompress(std::span<const uint8_t> input,
                                             std::span<uint8_t> output) const {
  if (DecodeHadoopExact(input, output)) return static_cast<int64_t>(output.size());
  if (DecodeBlockExact(input, output)) return static_cast<int64_t>(output.size());
  DecompressionSink sink(name(), output);
  Status frames = DecodeFrames(input, &sink);
  if (frames.ok()) return static_cast<int64_t>(output.size());
  if (frames.code() == StatusCode::kOutOfMemory) return frames;
  return Status::Corruption(
      "lz4: data is neither Hadoop-framed blocks, a bare LZ4 block nor LZ4 frames decoding to "
      "the expected {} bytes (input size={})",
      output.size(), input.size());
}

Result<std::shared_ptr<Buffer>> Lz4HadoopCodec::DoDecompressUnknownSize(
    std::span<const uint8_t> input, int64_t max_output) const {
  // A framing that parses but claims too much is remembered: if no other layout fits, the
  // input is most likely a genuine Hadoop stream over the limit.
  bool hadoop_over_limit = false;
  if (std::optional<int64_t> size = HadoopDecompressedSize(input)) {
    if (*size > max_output) {
      hadoop_over_limit = true;
    } else {
      ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer, Buffer::Allocate(*size));
      if (DecodeHadoopExact(input, std::span<uint8_t>(buffer->mutable_data(), *size))) {
        return buffer;
      }
    }
  }
  Result<std::shared_ptr<Buffer>> block = DecodeBlockUnknownSize(name(), input, max_output);
  if (block.ok() || block.status().code() == StatusCode::kOutOfMemory) return block;

  DecompressionSink sink(name(), max_output, 4 * static_cast<int64_t>(input.size()));
  Status frames = DecodeFrames(input, &sink);
  if (frames.ok()) return sink.Finish();
  if (frames.code() == StatusCode::kOutOfMemory || frames.IsInvalid()) return frames;
  if (hadoop_over_limit || block.status().IsInvalid()) {
    return Status::Invalid(
        "lz4: decompressed data exceeds the limit of {} bytes (a decompression bomb, or a "
        "limit set too low)",
        max_output);
  }
  return Status::Corruption(
      "lz4: data is neither Hadoop-framed blocks, a bare LZ4 block nor LZ4 frames (input "
      "size={})",
      input.size());
}

Result<int64_t> Lz4HadoopCodec::DoCompress(std::span<const uint8_t> input,
                                           std::span<uint8_t> output) const {
  size_t out_position = 0;
  for (size_t in_position = 0; in_position < input.size();) {
    size_t block_size = std::min<size_t>(kHadoopBlockSize, input.size() - in_position);
    if (output.size() - out_position < kHadoopHeaderSize) {
      return Status::Invalid("lz4: output buffer of {} bytes is too small", output.size());
    }
    ARCFLOW_ASSIGN_OR_RETURN(
        int64_t written, CompressBlock(input.subspan(in_position, block_size),
                                       output.subspan(out_position + kHadoopHeaderSize), level()));
    StoreBigEndian32(static_cast<uint32_t>(block_size), output.data() + out_position);
    StoreBigEndian32(static_cast<uint32_t>(written), output.data() + out_position + 4);
    in_position += block_size;
    out_position += kHadoopHeaderSize + static_cast<size_t>(written);
  }
  return static_cast<int64_t>(out_position);
}

}  // namespace arcflow::codec
