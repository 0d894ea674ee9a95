#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "arcflow/parquet/byte_array_sink.h"
#include "arcflow/parquet/statistics.h"

namespace arcflow::parquet {

// Running min/max statistics of the values a writer puts into a page or a column chunk, in the
// order the column's type defines (TYPE_DEFINED_ORDER in parquet.thrift), and their encoding
// into the Statistics struct. Null counts are the caller's: only it knows the levels.
//
// Every builder encodes min_value/max_value (the fields whose order is well defined). The
// deprecated min/max fields are filled only where old readers, which compare signed, read them
// correctly: numeric and boolean columns, and byte strings whose min equals their max, as
// parquet-mr does.
//
// All builders are value types, not thread-safe.

// Integers (INT32, INT64, compared signed) and floating point values (FLOAT, DOUBLE). NaN is
// ignored: a page of only NaNs has no min/max. A zero min is written as -0.0 and a zero max as
// +0.0, as the format asks, so that a reader filtering on either zero keeps the page.
template <typename T>
class NumericStatistics {
 public:
  NumericStatistics() { Reset(); }

  void Update(const T* values, int64_t count);
  void Merge(const NumericStatistics& other);
  void Reset();

  bool has_min_max() const { return min_ <= max_; }
  // REQUIRES: has_min_max().
  T min() const { return min_; }
  T max() const { return max_; }
  // The NaN values seen (always 0 for integers).
  int64_t nan_count() const { return nan_count_; }

  // Sets the min/max fields of `out` (nothing when there is no min/max).
  void EncodeTo(Statistics* out) const;
  // Sets min_value/max_value as the values were, a zero keeping its sign (EncodeTo widens a
  // zero min to -0.0 and a zero max to +0.0), and for floats nan_count: the exact statistics
  // a caller keeping its own (Delta's add.stats) takes instead of reading the values again.
  void EncodeExactTo(Statistics* out) const;

 private:
  // Empty means min > max for integers and NaN for floats: either way min <= max is false.
  T min_;
  T max_;
  int64_t nan_count_ = 0;
};

extern template class NumericStatistics<int32_t>;
extern template class NumericStatistics<int64_t>;
extern template class NumericStatistics<float>;
extern template class NumericStatistics<double>;

// BOOLEAN values, false < true.
class BooleanStatistics {
 public:
  // Adds bits [bit_offset, bit_offset + count) of an LSB-first bitmap.
  void UpdateBits(const uint8_t* bitmap, int64_t bit_offset, int64_t count);
  void Merge(const BooleanStatistics& other);
  void Reset() { seen_false_ = seen_true_ = false; }

  bool has_min_max() const { return seen_false_ || seen_true_; }
  void EncodeTo(Statistics* out) const;

 private:
  bool seen_false_ = false;
  bool seen_true_ = false;
};

// How byte strings compare.
enum class ByteStringOrder : int8_t {
  // Lexicographic over unsigned bytes: strings and binary.
  kUnsigned,
  // Big-endian two's complement integers of equal length: FIXED_LEN_BYTE_ARRAY decimals.
  kSignedBigEndian,
};

// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values. The min and max are copied, since the values
// they came from belong to the caller.
class ByteStringStatistics {
 public:
  explicit ByteStringStatistics(ByteStringOrder order) : order_(order) {}

  void Update(std::string_view value);
  // Adds values [begin, begin + count) of `values`.
  void Update(const ByteArraySpan& values, int64_t begin, int64_t count);
  // Adds the values of `values` at `positions`.
  void UpdateAt(const ByteArraySpan& values, std::span<const int64_t> positions);
  // Adds `count` values of `width` bytes each, back to back.
  void UpdateFixed(const uint8_t* values, int32_t width, int64_t count);
  void Merge(const ByteStringStatistics& other);
  void Reset() { has_min_max_ = false; }

  bool has_min_max() const { return has_min_max_; }
  // REQUIRES: has_min_max().
  const std::string& min() const { return min_; }
  const std::string& max() const { return max_; }
  // Whether the least value added is at most `value`; whether the greatest is at least
  // `value`. False when none was added.
  bool MinAtMost(std::string_view value) const { return has_min_max_ && !Less(value, min_); }
  bool MaxAtLeast(std::string_view value) const { return has_min_max_ && !Less(max_, value); }

  // Sets the min/max fields of `out`. Values longer than `truncate_length` bytes (0: never
  // truncate) are shortened to a bound: a prefix for the min, a prefix with its last byte (or,
  // for UTF-8 text, its last character) incremented for the max, flagged inexact. A max that
  // cannot be shortened (all 0xFF bytes) is written whole. `utf8` asks for bounds that stay
  // valid UTF-8 when the value is.
  void EncodeTo(Statistics* out, int64_t truncate_length, bool utf8) const;

 private:
  bool Less(std::string_view a, std::string_view b) const;
  // Adds value_at(0), ..., value_at(count - 1).
  template <typename ValueAt>
  void UpdateEach(int64_t count, ValueAt value_at);

  ByteStringOrder order_;
  bool has_min_max_ = false;
  std::string min_;
  std::string max_;
};

// The lower bound a truncated min may use: `value` itself when it has at most `max_length`
// bytes, else its longest prefix of at most `max_length` bytes (for valid UTF-8 with `utf8`,
// ending on a character boundary).
std::string TruncateMinBound(std::string_view value, size_t max_length, bool utf8);

// The upper bound a truncated max may use: `value` itself when it has at most `max_length`
// bytes, else a string of at most about `max_length` bytes greater than every string that
// starts with value's prefix, or nullopt when there is none (the prefix is all 0xFF bytes, or
// all U+10FFFF characters). For valid UTF-8 with `utf8`, the bound is valid UTF-8 too.
std::optional<std::string> TruncateMaxBound(std::string_view value, size_t max_length, bool utf8);

}  // namespace arcflow::parquet
