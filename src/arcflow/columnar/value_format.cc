#include "arcflow/columnar/value_format.h"

#include <charconv>
#include <cmath>

#include "arcflow/base/utf8.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow {
namespace {

void AppendPadded(int64_t value, int width, std::string* out) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof(digits), value);
  (void)error;
  int length = static_cast<int>(end - digits);
  for (int i = length; i < width; ++i) out->push_back('0');
  out->append(digits, end);
}

template <typename T>
void AppendShortest(T value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out->append(value > 0 ? "Infinity" : "-Infinity");
    return;
  }
  char text[64];
  auto [end, error] = std::to_chars(text, text + sizeof(text), value);
  (void)error;
  out->append(text, end);
}

}  // namespace

void AppendDouble(double value, std::string* out) { AppendShortest(value, out); }
void AppendFloat(float value, std::string* out) { AppendShortest(value, out); }

void AppendDecimal(int128_t unscaled, int32_t scale, std::string* out) {
  bool negative = unscaled < 0;
  // Work on the magnitude as unsigned so that the minimum value does not overflow.
  unsigned __int128 magnitude =
      negative ? static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(unscaled)
               : static_cast<unsigned __int128>(unscaled);
  char digits[48];
  int length = 0;
  do {
    digits[length++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  while (length <= scale) digits[length++] = '0';  // At least one digit before the point.
  if (negative) out->push_back('-');
  for (int i = length - 1; i >= 0; --i) {
    out->push_back(digits[i]);
    if (i == scale && scale > 0) out->push_back('.');
  }
}

void AppendDate(int32_t days, std::string* out) {
  int64_t year;
  unsigned month;
  unsigned day;
  CivilFromDays(days, &year, &month, &day);
  if (year < 0) {
    out->push_back('-');
    AppendPadded(-year, 4, out);
  } else if (year > 9999) {
    out->push_back('+');
    AppendPadded(year, 4, out);
  } else {
    AppendPadded(year, 4, out);
  }
  out->push_back('-');
  AppendPadded(month, 2, out);
  out->push_back('-');
  AppendPadded(day, 2, out);
}

void AppendTimestamp(int64_t micros, bool utc_adjusted, std::string* out) {
  constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  AppendDate(static_cast<int32_t>(days), out);
  out->push_back('T');
  int64_t seconds = rest / 1000000;
  AppendPadded(seconds / 3600, 2, out);
  out->push_back(':');
  AppendPadded((seconds / 60) % 60, 2, out);
  out->push_back(':');
  AppendPadded(seconds % 60, 2, out);
  out->push_back('.');
  AppendPadded(rest % 1000000, 6, out);
  if (utc_adjusted) out->push_back('Z');
}

void AppendBase64(std::string_view bytes, std::string* out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out->push_back(kAlphabet[(group >> 18) & 63]);
    out->push_back(kAlphabet[(group >> 12) & 63]);
    out->push_back(kAlphabet[(group >> 6) & 63]);
    out->push_back(kAlphabet[group & 63]);
  }
  size_t remaining = bytes.size() - i;
  if (remaining > 0) {
    uint32_t group = uint32_t{data[i]} << 16;
    if (remaining == 2) group |= uint32_t{data[i + 1]} << 8;
    out->push_back(kAlphabet[(group >> 18) & 63]);
    out->push_back(kAlphabet[(group >> 12) & 63]);
    out->push_back(remaining == 2 ? kAlphabet[(group >> 6) & 63] : '=');
    out->push_back('=');
  }
}

namespace {}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run that needs no escaping in one append.
    size_t start = i;
    while (i < text.size()) {
      auto c = static_cast<uint8_t>(text[i]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++i;
    }
    out->append(text.data() + start, i - start);
    if (i >= text.size()) break;
    auto c = static_cast<uint8_t>(text[i]);
    if (c >= 0x80) {
      size_t length = utf8::SequenceLength(text, i);
      if (length == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD for a byte that is not valid UTF-8.
        ++i;
      } else {
        out->append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
    ++i;
  }
  out->push_back('"');
}

}  // namespace arcflow
