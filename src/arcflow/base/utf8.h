#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace arcflow::utf8 {

// Length of the well-formed UTF-8 sequence that starts at `text[position]`, or 0 when the bytes
// there are not one (a stray continuation byte, a truncated sequence, an overlong form, a
// surrogate, or a code point past U+10FFFF).
size_t SequenceLength(std::string_view text, size_t position);

// Byte offset of the first malformed sequence in `text`, or std::string_view::npos.
size_t FindInvalid(std::string_view text);

// Appends `code_point` encoded as UTF-8. REQUIRES: code_point <= 0x10FFFF.
void Append(uint32_t code_point, std::string* out);

// Repair for text known to hold a byte >= 0x80.
std::string_view RepairNonAscii(std::string_view text, std::string* scratch);

// Returns `text` when it is well-formed UTF-8; otherwise writes into `*scratch` a copy in which
// every byte that does not start a well-formed sequence is replaced by U+FFFD, and returns a
// view of it. This is what Spark's UTF-8 decoding of a text file does, and it keeps STRING
// values valid UTF-8. The result lives as long as `text`, or until `*scratch` changes.
inline std::string_view Repair(std::string_view text, std::string* scratch) {
  // Most values are ASCII, which an OR over the bytes (vectorized by the compiler) proves.
  unsigned char any_high = 0;
  for (char c : text) any_high |= static_cast<unsigned char>(c);
  if (any_high < 0x80) return text;
  return RepairNonAscii(text, scratch);
}

}  // namespace arcflow::utf8
