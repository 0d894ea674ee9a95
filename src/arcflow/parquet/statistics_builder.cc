#include "arcflow/parquet/statistics_builder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "arcflow/base/bit_util.h"
#include "arcflow/base/byte_compare.h"
#include "arcflow/base/utf8.h"

namespace arcflow::parquet {
namespace {

template <typename T>
std::string PlainBytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// Decodes the code point of the well-formed sequence of `length` bytes at `bytes`.
uint32_t DecodeCodePoint(const unsigned char* bytes, size_t length) {
  switch (length) {
    case 1:
      return bytes[0];
    case 2:
      return (uint32_t{bytes[0] & 0x1Fu} << 6) | (bytes[1] & 0x3Fu);
    case 3:
      return (uint32_t{bytes[0] & 0x0Fu} << 12) | (uint32_t{bytes[1] & 0x3Fu} << 6) |
             (bytes[2] & 0x3Fu);
    default:
      return (uint32_t{bytes[0] & 0x07u} << 18) | (uint32_t{bytes[1] & 0x3Fu} << 12) |
             (uint32_t{bytes[2] & 0x3Fu} << 6) | (bytes[3] & 0x3Fu);
  }
}

// Collects the start offsets of the characters of `value` that end within the first
// `max_length` bytes. Returns false when a malformed sequence comes first, in which case the
// caller treats the value as bytes.
bool CharacterStarts(std::string_view value, size_t max_length, std::vector<size_t>* starts,
                     size_t* prefix_length) {
  size_t position = 0;
  while (position < value.size()) {
    const size_t length = utf8::SequenceLength(value, position);
    if (length == 0) return false;
    if (position + length > max_length) break;
    starts->push_back(position);
    position += length;
  }
  *prefix_length = position;
  return true;
}

}  // namespace

template <typename T>
void NumericStatistics<T>::Reset() {
  if constexpr (std::is_floating_point_v<T>) {
    // Infinities are values like any other, so the empty state is NaN, which compares false.
    min_ = std::numeric_limits<T>::quiet_NaN();
    max_ = std::numeric_limits<T>::quiet_NaN();
    nan_count_ = 0;
  } else {
    min_ = std::numeric_limits<T>::max();
    max_ = std::numeric_limits<T>::min();
  }
}

template <typename T>
void NumericStatistics<T>::Update(const T* values, int64_t count) {
  if (count <= 0) return;
  if constexpr (std::is_floating_point_v<T>) {
    // Comparisons with NaN are false, so NaN values fall through both tests; an empty state
    // (NaN) is replaced by the first non-NaN value.
    T low = std::numeric_limits<T>::infinity();
    T high = -std::numeric_limits<T>::infinity();
    int64_t nans = 0;
    for (int64_t i = 0; i < count; ++i) {
      const T value = values[i];
      nans += std::isnan(value);
      low = value < low ? value : low;
      high = value > high ? value : high;
    }
    nan_count_ += nans;
    if (nans == count) return;
    if (std::isnan(min_) || low < min_) min_ = low;
    if (std::isnan(max_) || high > max_) max_ = high;
  } else {
    T low = min_;
    T high = max_;
    for (int64_t i = 0; i < count; ++i) {
      const T value = values[i];
      low = value < low ? value : low;
      high = value > high ? value : high;
    }
    min_ = low;
    max_ = high;
  }
}

template <typename T>
void NumericStatistics<T>::Merge(const NumericStatistics& other) {
  nan_count_ += other.nan_count_;
  if (!other.has_min_max()) return;
  if (!has_min_max()) {
    min_ = other.min_;
    max_ = other.max_;
    return;
  }
  if (other.min_ < min_) min_ = other.min_;
  if (other.max_ > max_) max_ = other.max_;
}

template <typename T>
void NumericStatistics<T>::EncodeTo(Statistics* out) const {
  if (!has_min_max()) return;
  T low = min_;
  T high = max_;
  if constexpr (std::is_floating_point_v<T>) {
    if (low == 0) low = -T{0};
    if (high == 0) high = T{0};
  }
  out->min_value = PlainBytes(low);
  out->max_value = PlainBytes(high);
  out->min = out->min_value;
  out->max = out->max_value;
}

template <typename T>
void NumericStatistics<T>::EncodeExactTo(Statistics* out) const {
  if constexpr (std::is_floating_point_v<T>) out->nan_count = nan_count_;
  if (!has_min_max()) return;
  out->min_value = PlainBytes(min_);
  out->max_value = PlainBytes(max_);
}

template class NumericStatistics<int32_t>;
template class NumericStatistics<int64_t>;
template class NumericStatistics<float>;
template class NumericStatistics<double>;

void BooleanStatistics::UpdateBits(const uint8_t* bitmap, int64_t bit_offset, int64_t count) {
  if (count <= 0) return;
  const int64_t set = bit_util::CountSetBits(bitmap, bit_offset, count);
  seen_true_ |= set > 0;
  seen_false_ |= set < count;
}

void BooleanStatistics::Merge(const BooleanStatistics& other) {
  seen_false_ |= other.seen_false_;
  seen_true_ |= other.seen_true_;
}

void BooleanStatistics::EncodeTo(Statistics* out) const {
  if (!has_min_max()) return;
  out->min_value = std::string(1, seen_false_ ? '\0' : '\1');
  out->max_value = std::string(1, seen_true_ ? '\1' : '\0');
  out->min = out->min_value;
  out->max = out->max_value;
}

bool ByteStringStatistics::Less(std::string_view a, std::string_view b) const {
  if (order_ == ByteStringOrder::kUnsigned || a.empty() || b.empty()) return BytesLess(a, b);
  // The sign lives in the first byte; below it the bytes compare unsigned.
  const auto first_a = static_cast<int8_t>(a[0]);
  const auto first_b = static_cast<int8_t>(b[0]);
  if (first_a != first_b) return first_a < first_b;
  return BytesLess(a.substr(1), b.substr(1));
}

void ByteStringStatistics::Update(std::string_view value) {
  if (!has_min_max_) {
    min_.assign(value);
    max_.assign(value);
    has_min_max_ = true;
  } else if (Less(value, min_)) {
    min_.assign(value);
  } else if (Less(max_, value)) {
    max_.assign(value);
  }
}

template <typename ValueAt>
void ByteStringStatistics::UpdateEach(int64_t count, ValueAt value_at) {
  if (count <= 0) return;
  // Track the extremes as views and copy them once at the end: most values change neither.
  std::string_view low = value_at(0);
  std::string_view high = low;
  const auto scan = [&](auto less) {
    for (int64_t i = 1; i < count; ++i) {
      const std::string_view value = value_at(i);
      if (less(value, low)) {
        low = value;
      } else if (less(high, value)) {
        high = value;
      }
    }
  };
  if (order_ == ByteStringOrder::kUnsigned) {
    scan([](std::string_view a, std::string_view b) { return BytesLess(a, b); });
  } else {
    scan([this](std::string_view a, std::string_view b) { return Less(a, b); });
  }
  Update(low);
  Update(high);
}

void ByteStringStatistics::Update(const ByteArraySpan& values, int64_t begin, int64_t count) {
  UpdateEach(count, [&](int64_t i) { return values.Value(begin + i); });
}

void ByteStringStatistics::UpdateAt(const ByteArraySpan& values,
                                    std::span<const int64_t> positions) {
  UpdateEach(static_cast<int64_t>(positions.size()),
             [&](int64_t i) { return values.Value(positions[static_cast<size_t>(i)]); });
}

void ByteStringStatistics::UpdateFixed(const uint8_t* values, int32_t width, int64_t count) {
  UpdateEach(count, [&](int64_t i) {
    return std::string_view(reinterpret_cast<const char*>(values) + i * width,
                            static_cast<size_t>(width));
  });
}

void ByteStringStatistics::Merge(const ByteStringStatistics& other) {
  if (!other.has_min_max_) return;
  Update(other.min_);
  Update(other.max_);
}

void ByteStringStatistics::EncodeTo(Statistics* out, int64_t truncate_length, bool utf8) const {
  if (!has_min_max_) return;
  const size_t limit = truncate_length > 0 ? static_cast<size_t>(truncate_length)
                                           : std::numeric_limits<size_t>::max();
  std::string low = TruncateMinBound(min_, limit, utf8);
  std::optional<std::string> high = TruncateMaxBound(max_, limit, utf8);
  if (!high.has_value()) high = max_;
  const bool min_exact = low.size() == min_.size();
  const bool max_exact = *high == max_;
  // Only identical bounds read the same under the signed byte order of old readers.
  if (min_exact && max_exact && min_ == max_) {
    out->min = low;
    out->max = *high;
  }
  out->min_value = std::move(low);
  out->max_value = std::move(*high);
  out->is_min_value_exact = min_exact;
  out->is_max_value_exact = max_exact;
}

std::string TruncateMinBound(std::string_view value, size_t max_length, bool utf8) {
  if (value.size() <= max_length) return std::string(value);
  if (utf8) {
    std::vector<size_t> starts;
    size_t prefix_length = 0;
    if (CharacterStarts(value, max_length, &starts, &prefix_length)) {
      return std::string(value.substr(0, prefix_length));
    }
  }
  return std::string(value.substr(0, max_length));
}

std::optional<std::string> TruncateMaxBound(std::string_view value, size_t max_length, bool utf8) {
  if (value.size() <= max_length) return std::string(value);
  if (utf8) {
    std::vector<size_t> starts;
    size_t prefix_length = 0;
    if (CharacterStarts(value, max_length, &starts, &prefix_length)) {
      // Increment the last character that has a successor, dropping those after it.
      size_t end = prefix_length;
      for (size_t k = starts.size(); k-- > 0;) {
        const size_t start = starts[k];
        const auto* bytes = reinterpret_cast<const unsigned char*>(value.data()) + start;
        uint32_t code_point = DecodeCodePoint(bytes, end - start);
        end = start;
        if (code_point >= 0x10FFFF) continue;
        ++code_point;
        if (code_point >= 0xD800 && code_point <= 0xDFFF) code_point = 0xE000;
        std::string bound(value.substr(0, start));
        utf8::Append(code_point, &bound);
        return bound;
      }
      return std::nullopt;
    }
  }
  std::string bound(value.substr(0, max_length));
  while (!bound.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(bound.back());
    if (last != 0xFF) {
      ++last;
      return bound;
    }
    bound.pop_back();
  }
  return std::nullopt;
}

}  // namespace arcflow::parquet
