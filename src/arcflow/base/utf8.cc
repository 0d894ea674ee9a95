#include "arcflow/base/utf8.h"

namespace arcflow::utf8 {

size_t SequenceLength(std::string_view text, size_t position) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[position + k]); };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length;
  uint32_t code_point;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;  // A continuation byte, an overlong two-byte lead, or past U+10FFFF.
  }
  if (text.size() - position < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(k) & 0x3F);
  }
  const bool overlong =
      (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

size_t FindInvalid(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t length = SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

void Append(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::string_view RepairNonAscii(std::string_view text, std::string* scratch) {
  size_t invalid = FindInvalid(text);
  if (invalid == std::string_view::npos) return text;
  scratch->assign(text.substr(0, invalid));
  size_t i = invalid;
  while (i < text.size()) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      scratch->push_back(text[i]);
      ++i;
      continue;
    }
    size_t length = SequenceLength(text, i);
    if (length == 0) {
      scratch->append("\xEF\xBF\xBD");  // U+FFFD
      ++i;
    } else {
      scratch->append(text.substr(i, length));
      i += length;
    }
  }
  return *scratch;
}

}  // namespace arcflow::utf8
