#include "arcflow/parquet/rle_bit_packed_encoder.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "arcflow/base/bit_util.h"
#include "arcflow/base/logging.h"
#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {
namespace {

// The format caps every run at 2^31 - 1 values.
constexpr int64_t kMaxRunLength = std::numeric_limits<int32_t>::max();

}  // namespace

RleBitPackedEncoder::RleBitPackedEncoder(int bit_width) : bit_width_(bit_width) {
  ARCFLOW_DCHECK(bit_width >= 0 && bit_width <= 32);
  literals_.reserve(kMaxLiteralRun + 8);
}

void RleBitPackedEncoder::Put(uint32_t value) {
  ++num_values_;
  if (repeat_count_ > 0) {
    if (value == repeat_value_) {
      ++repeat_count_;
      return;
    }
    CommitRepeat(false);
  }
  repeat_value_ = value;
  repeat_count_ = 1;
}

// Encodes exactly as calling Put(value) for each value would, but a run at a time: short runs
// go to the literals in bulk, and whole bit-packed runs are packed straight from `values`.
template <typename T>
void RleBitPackedEncoder::PutValues(const T* values, int64_t count) {
  using Unsigned = std::make_unsigned_t<T>;
  const auto at = [values](int64_t i) {
    return static_cast<uint32_t>(static_cast<Unsigned>(values[i]));
  };
  // The end of the run of values equal to values[start].
  const auto run_end = [&](int64_t start) {
    const uint32_t value = at(start);
    int64_t end = start + 1;
    while (end < count && at(end) == value) ++end;
    return end;
  };
  num_values_ += count;
  int64_t i = 0;
  while (i < count) {
    int64_t end = run_end(i);
    if (repeat_count_ > 0 && at(i) == repeat_value_) {
      repeat_count_ += end - i;
      i = end;
      continue;
    }
    if (repeat_count_ > 0) CommitRepeat(false);
    // Short runs before the next long one, or before the last run of `values` (which the next
    // call may extend), are literals whatever their neighbours.
    int64_t literal_end = i;
    while (end - literal_end < kMinRepeatRun && end < count) {
      literal_end = end;
      end = run_end(literal_end);
    }
    AppendLiterals(values + i, literal_end - i);
    repeat_value_ = at(literal_end);
    repeat_count_ = end - literal_end;
    i = end;
  }
}

template <typename T>
void RleBitPackedEncoder::AppendLiterals(const T* values, int64_t count) {
  using Unsigned = std::make_unsigned_t<T>;
  // Between calls fewer than kMaxLiteralRun literals are buffered, and every full run of them
  // is written at once, as CommitRepeat does.
  while (count > 0) {
    if constexpr (sizeof(T) == sizeof(uint32_t)) {
      if (literals_.empty() && count >= static_cast<int64_t>(kMaxLiteralRun)) {
        WriteLiteralRun(reinterpret_cast<const uint32_t*>(values), kMaxLiteralRun);
        values += kMaxLiteralRun;
        count -= static_cast<int64_t>(kMaxLiteralRun);
        continue;
      }
    }
    const int64_t take = std::min(count, static_cast<int64_t>(kMaxLiteralRun - literals_.size()));
    for (int64_t k = 0; k < take; ++k) {
      literals_.push_back(static_cast<uint32_t>(static_cast<Unsigned>(values[k])));
    }
    values += take;
    count -= take;
    if (literals_.size() >= kMaxLiteralRun) FlushLiterals();
  }
}

void RleBitPackedEncoder::Put(const int16_t* values, int64_t count) { PutValues(values, count); }

void RleBitPackedEncoder::Put(const int32_t* values, int64_t count) { PutValues(values, count); }

void RleBitPackedEncoder::Put(const uint8_t* values, int64_t count) { PutValues(values, count); }

void RleBitPackedEncoder::PutBitmap(const uint8_t* bitmap, int64_t bit_offset, int64_t count) {
  ARCFLOW_DCHECK(bit_width_ == 1);
  for (int64_t i = 0; i < count; ++i) {
    Put(static_cast<uint32_t>(bit_util::GetBit(bitmap, bit_offset + i)));
  }
}

void RleBitPackedEncoder::CommitRepeat(bool final) {
  if (repeat_count_ >= kMinRepeatRun) {
    // A bit-packed run holds whole groups of 8 and is followed by this RLE run, so lend it
    // values from the repeat until its length is a multiple of 8.
    const int64_t lend =
        std::min<int64_t>(repeat_count_, static_cast<int64_t>((8 - literals_.size() % 8) % 8));
    literals_.insert(literals_.end(), static_cast<size_t>(lend), repeat_value_);
    repeat_count_ -= lend;
  }
  if (repeat_count_ >= kMinRepeatRun) {
    FlushLiterals();
    WriteRepeatRun(repeat_value_, repeat_count_);
  } else {
    literals_.insert(literals_.end(), static_cast<size_t>(repeat_count_), repeat_value_);
  }
  repeat_count_ = 0;
  if (final) {
    // Nothing follows, so the last group may be padded: readers stop at the page's count.
    literals_.resize(bit_util::RoundUp(static_cast<int64_t>(literals_.size()), 8), 0);
    FlushLiterals();
  } else if (literals_.size() >= kMaxLiteralRun) {
    FlushLiterals();
  }
}

void RleBitPackedEncoder::FlushLiterals() {
  // Only whole groups can be written; a remainder of fewer than 8 values stays buffered.
  const size_t flushable = literals_.size() / 8 * 8;
  size_t start = 0;
  while (start < flushable) {
    const size_t run = std::min(flushable - start, kMaxLiteralRun);
    WriteLiteralRun(literals_.data() + start, run);
    start += run;
  }
  literals_.erase(literals_.begin(), literals_.begin() + static_cast<std::ptrdiff_t>(flushable));
}

void RleBitPackedEncoder::WriteLiteralRun(const uint32_t* values, size_t count) {
  AppendUleb128(&output_, (static_cast<uint64_t>(count / 8) << 1) | 1);
  const int64_t bytes = static_cast<int64_t>(count / 8) * bit_width_;
  const int64_t offset = output_.size();
  // PackBits writes every byte of the run.
  output_.ResizeUninitialized(offset + bytes);
  PackBits(values, static_cast<int64_t>(count), bit_width_, output_.data() + offset);
}

void RleBitPackedEncoder::WriteRepeatRun(uint32_t value, int64_t count) {
  const int value_bytes = (bit_width_ + 7) / 8;
  while (count > 0) {
    const int64_t run = std::min(count, kMaxRunLength);
    AppendUleb128(&output_, static_cast<uint64_t>(run) << 1);
    output_.Append(&value, value_bytes);
    count -= run;
  }
}

int64_t RleBitPackedEncoder::EstimatedSize() const {
  // Buffered literals plus the pending repeat bit-packed in the worst case, plus run headers.
  const int64_t pending =
      static_cast<int64_t>(literals_.size()) + std::min(repeat_count_, kMinRepeatRun) + 8;
  return output_.size() + bit_util::BytesForBits(pending * bit_width_) + 3 * kMaxUleb128Bytes + 4;
}

void RleBitPackedEncoder::FinishInto(BufferBuilder* out) {
  CommitRepeat(true);
  out->Append(output_.data(), output_.size());
  output_.Clear();
  literals_.clear();
  num_values_ = 0;
}

std::shared_ptr<Buffer> RleBitPackedEncoder::Finish() {
  CommitRepeat(true);
  num_values_ = 0;
  literals_.clear();
  return output_.Finish();
}

std::shared_ptr<Buffer> RleBitPackedEncoder::FinishWithLengthPrefix() {
  CommitRepeat(true);
  BufferBuilder framed;
  const uint32_t length = static_cast<uint32_t>(output_.size());
  framed.Reserve(4 + output_.size());
  framed.AppendValue(length);
  framed.Append(output_.data(), output_.size());
  output_.Clear();
  literals_.clear();
  num_values_ = 0;
  return framed.Finish();
}

}  // namespace arcflow::parquet
