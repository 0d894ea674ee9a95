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

}  // namespace arcflow::utf8
