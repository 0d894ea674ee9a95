#include "arcflow/parquet/bitmap_level_encoder.h"

#include "arcflow/base/bit_util.h"
#include "arcflow/parquet/bit_packing.h"

namespace arcflow::parquet {

void BitmapLevelEncoder::Append(bool level) {
  partial_ |= static_cast<uint8_t>(level) << partial_count_;
  ++num_values_;
  if (++partial_count_ == 8) {
    PutGroup(partial_);
    partial_ = 0;
    partial_count_ = 0;
  }
}

void BitmapLevelEncoder::Append(const uint8_t* bits, int64_t offset, int64_t count) {
  int64_t i = 0;
  if (bits == nullptr) {
    // All ones: complete the open group, then extend (or start) a repeat of ones.
    while (partial_count_ > 0 && i < count) {
      Append(true);
      ++i;
    }
    const int64_t whole = (count - i) / 8 * 8;
    if (whole > 0) {
      if (repeat_count_ == 0 || !repeat_value_) {
        EndRepeat();
        repeat_value_ = true;
      }
      repeat_count_ += whole;
      num_values_ += whole;
      i += whole;
    }
    while (i < count) {
      Append(true);
      ++i;
    }
    return;
  }
  while (partial_count_ > 0 && i < count) {
    Append(bit_util::GetBit(bits, offset + i));
    ++i;
  }
  // Whole words: a word of levels equal to the current repeat extends it in one step.
  while (count - i >= 64) {
    const uint64_t word = LoadBitmapWord(bits, offset + i);
    const uint64_t repeated = repeat_value_ ? ~uint64_t{0} : 0;
    if (repeat_count_ > 0 && word == repeated) {
      repeat_count_ += 64;
    } else {
      for (int k = 0; k < 64; k += 8) PutGroup(static_cast<uint8_t>(word >> k));
    }
    num_values_ += 64;
    i += 64;
  }
  while (count - i >= 8) {
    PutGroup(LoadBitmapByte(bits, offset + i));
    num_values_ += 8;
    i += 8;
  }
  while (i < count) {
    Append(bit_util::GetBit(bits, offset + i));
    ++i;
  }
}

void BitmapLevelEncoder::PutGroup(uint8_t group) {
  if (group == 0x00 || group == 0xFF) {
    const bool value = group != 0;
    if (repeat_count_ > 0 && repeat_value_ == value) {
      repeat_count_ += 8;
      return;
    }
    EndRepeat();
    repeat_value_ = value;
    repeat_count_ = 8;
    return;
  }
  EndRepeat();
  literals_.push_back(group);
  if (literals_.size() >= kMaxLiteralGroups) FlushLiterals();
}

void BitmapLevelEncoder::EndRepeat() {
  if (repeat_count_ == 0) return;
  // A single group is cheaper bit-packed (one byte) than as a run (two bytes).
  if (repeat_count_ == 8) {
    literals_.push_back(repeat_value_ ? 0xFF : 0x00);
    if (literals_.size() >= kMaxLiteralGroups) FlushLiterals();
  } else {
    FlushLiterals();
    AppendUleb128(&output_, static_cast<uint64_t>(repeat_count_) << 1);
    const uint8_t value = repeat_value_ ? 1 : 0;
    output_.Append(&value, 1);
  }
  repeat_count_ = 0;
}

void BitmapLevelEncoder::FlushLiterals() {
  if (literals_.empty()) return;
  AppendUleb128(&output_, (static_cast<uint64_t>(literals_.size()) << 1) | 1);
  output_.Append(literals_.data(), static_cast<int64_t>(literals_.size()));
  literals_.clear();
}

int64_t BitmapLevelEncoder::EstimatedSize() const {
  return output_.size() + static_cast<int64_t>(literals_.size()) + 2 * kMaxUleb128Bytes + 3;
}

void BitmapLevelEncoder::FinishInto(BufferBuilder* out, bool length_prefix) {
  if (partial_count_ > 0) {
    const uint8_t mask = static_cast<uint8_t>((1u << partial_count_) - 1);
    const uint8_t levels = partial_ & mask;
    if (repeat_count_ > 0 && levels == (repeat_value_ ? mask : 0)) {
      // The repeat covers the tail exactly; no padding needed.
      repeat_count_ += partial_count_;
    } else {
      EndRepeat();
      literals_.push_back(levels);
    }
    partial_ = 0;
    partial_count_ = 0;
  }
  EndRepeat();
  FlushLiterals();
  if (length_prefix) {
    const uint32_t length = static_cast<uint32_t>(output_.size());
    out->AppendValue(length);
  }
  out->Append(output_.data(), output_.size());
  output_.Clear();
  num_values_ = 0;
}

}  // namespace arcflow::parquet
