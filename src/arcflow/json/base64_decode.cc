#include "arcflow/json/base64_decode.h"

#include <array>
#include <cstdint>

namespace arcflow::json {

namespace {

constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  return table;
}

constexpr std::array<uint8_t, 256> kDecodeTable = MakeDecodeTable();

}  // namespace

bool DecodeBase64(std::string_view text, std::string* out) {
  if (text.size() % 4 != 0) return false;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') {
    padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  }
  out->reserve(out->size() + text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    uint32_t group = 0;
    size_t symbols = last ? 4 - padding : 4;
    for (size_t j = 0; j < symbols; ++j) {
      uint8_t value = kDecodeTable[static_cast<uint8_t>(text[i + j])];
      if (value == kInvalid) return false;
      group = (group << 6) | value;
    }
    // Padding symbols count as zero bits.
    group <<= 6 * (4 - symbols);
    out->push_back(static_cast<char>(group >> 16));
    if (symbols >= 3) out->push_back(static_cast<char>((group >> 8) & 0xFF));
    if (symbols == 4) out->push_back(static_cast<char>(group & 0xFF));
  }
  return true;
}

}  // namespace arcflow::json
