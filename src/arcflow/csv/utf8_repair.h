#pragma once

#include <string>
#include <string_view>

namespace arcflow::csv {

// RepairUtf8 for text known to hold a byte >= 0x80.
std::string_view RepairNonAsciiUtf8(std::string_view text, std::string* scratch);

// Returns `text` when it is well-formed UTF-8; otherwise writes into `*scratch` a copy in which
// every byte that does not start a well-formed sequence is replaced by U+FFFD, and returns a
// view of it. This is what Spark's UTF-8 decoding of a CSV file does, and it keeps STRING
// columns valid UTF-8. The result lives as long as `text`, or until `*scratch` changes.
inline std::string_view RepairUtf8(std::string_view text, std::string* scratch) {
  // Most values are ASCII, which an OR over the bytes (vectorized by the compiler) proves.
  unsigned char any_high = 0;
  for (char c : text) any_high |= static_cast<unsigned char>(c);
  if (any_high < 0x80) return text;
  return RepairNonAsciiUtf8(text, scratch);
}

}  // namespace arcflow::csv
