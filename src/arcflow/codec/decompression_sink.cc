#include "arcflow/codec/decompression_sink.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace arcflow::codec {
namespace {

// Small enough not to waste memory on tiny outputs, large enough that decoders are not
// called for a handful of bytes at a time.
constexpr int64_t kMinCapacity = 16 * 1024;

// The capacity of a growing sink: its limit plus the byte that proves the limit exceeded.
int64_t HardCapacity(int64_t limit) {
  return limit < std::numeric_limits<int64_t>::max() ? limit + 1 : limit;
}

}  // namespace

DecompressionSink::DecompressionSink(std::string_view codec_name, std::span<uint8_t> output)
    : codec_name_(codec_name),
      fixed_(true),
      limit_(static_cast<int64_t>(output.size())),
      fixed_output_(output) {}

DecompressionSink::DecompressionSink(std::string_view codec_name, int64_t limit,
                                     int64_t initial_capacity)
    : codec_name_(codec_name),
      fixed_(false),
      limit_(limit),
      initial_capacity_(std::min(std::max(initial_capacity, kMinCapacity), HardCapacity(limit))) {}

Result<std::span<uint8_t>> DecompressionSink::FreeSpace() {
  if (exceeded()) return std::span<uint8_t>();
  if (fixed_) {
    if (size_ < limit_) return fixed_output_.subspan(static_cast<size_t>(size_));
    return std::span<uint8_t>(&overflow_byte_, 1);
  }
  if (size_ == capacity_) ARCFLOW_RETURN_NOT_OK(Grow());
  return std::span<uint8_t>(buffer_->mutable_data() + size_,
                            static_cast<size_t>(capacity_ - size_));
}

void DecompressionSink::Commit(int64_t length) {
  ARCFLOW_DCHECK(length >= 0);
  size_ += length;
  ARCFLOW_DCHECK(size_ <= HardCapacity(limit_));
}

Status DecompressionSink::Exceeded() const {
  if (fixed_) {
    return Status::Corruption("{}: data decompresses to more than the expected {} bytes",
                              codec_name_, limit_);
  }
  return Status::Invalid(
      "{}: decompressed data exceeds the limit of {} bytes (a decompression bomb, or a limit "
      "set too low)",
      codec_name_, limit_);
}

Status DecompressionSink::CheckComplete() const {
  if (exceeded()) return Exceeded();
  if (fixed_ && size_ != limit_) {
    return Status::Corruption("{}: data decompresses to {} bytes but {} were expected", codec_name_,
                              size_, limit_);
  }
  return Status::OK();
}

Status DecompressionSink::Grow() {
  int64_t hard_capacity = HardCapacity(limit_);
  int64_t new_capacity = capacity_ == 0                  ? initial_capacity_
                         : capacity_ > hard_capacity / 2 ? hard_capacity
                                                         : capacity_ * 2;
  Result<std::shared_ptr<Buffer>> grown = Buffer::Allocate(new_capacity);
  if (!grown.ok()) {
    return Status::OutOfMemory("{}: cannot grow the decompression buffer to {} bytes", codec_name_,
                               new_capacity);
  }
  if (size_ > 0) std::memcpy((*grown)->mutable_data(), buffer_->data(), size_);
  buffer_ = std::move(grown).MoveValueUnsafe();
  capacity_ = new_capacity;
  return Status::OK();
}

Result<std::shared_ptr<Buffer>> DecompressionSink::Finish() {
  ARCFLOW_DCHECK(!fixed_ && !exceeded());
  if (buffer_ == nullptr) return Buffer::Allocate(0);
  // Doubling can leave up to half the capacity unused; give it back when that is a real
  // amount of memory, since a decompressed file may be held for a long time.
  if (capacity_ - size_ > kMinCapacity && capacity_ - size_ > size_ / 8) {
    ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> tight, Buffer::Allocate(size_));
    if (size_ > 0) std::memcpy(tight->mutable_data(), buffer_->data(), size_);
    return tight;
  }
  return Buffer::Slice(buffer_, 0, size_);
}

}  // namespace arcflow::codec
