#pragma once

#include <cstdint>
#include <string_view>

namespace arcflow::parquet {

// Parquet physical (storage) types. The numeric values match the Thrift `Type` enum in
// parquet.thrift so metadata can convert with a range check and a cast.
enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

// Legacy 96-bit timestamp storage: three little-endian 32-bit words (nanoseconds-of-day in the
// first two, Julian day in the third). Kept as raw words; interpretation belongs to the bridge.
struct Int96 {
  uint32_t words[3];

  friend bool operator==(const Int96& a, const Int96& b) {
    return a.words[0] == b.words[0] && a.words[1] == b.words[1] && a.words[2] == b.words[2];
  }
};
static_assert(sizeof(Int96) == 12, "Int96 must be exactly 12 bytes to alias page data");

// Human-readable name for error messages.
constexpr std::string_view PhysicalTypeName(PhysicalType type) {
  switch (type) {
    case PhysicalType::kBoolean:
      return "BOOLEAN";
    case PhysicalType::kInt32:
      return "INT32";
    case PhysicalType::kInt64:
      return "INT64";
    case PhysicalType::kInt96:
      return "INT96";
    case PhysicalType::kFloat:
      return "FLOAT";
    case PhysicalType::kDouble:
      return "DOUBLE";
    case PhysicalType::kByteArray:
      return "BYTE_ARRAY";
    case PhysicalType::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "UNKNOWN";
}

}  // namespace arcflow::parquet
