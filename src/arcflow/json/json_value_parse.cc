#include "arcflow/json/json_value_parse.h"

#include <array>
#include <bit>
#include <cstring>

#include "arcflow/columnar/value_parse.h"

namespace arcflow::json {

namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
constexpr int kMaxFastDigits = 18;

constexpr std::array<int128_t, 39> MakePowersOfTen() {
  std::array<int128_t, 39> powers{};
  powers[0] = 1;
  for (size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
  return powers;
}
constexpr std::array<int128_t, 39> kPowersOfTen = MakePowersOfTen();
constexpr std::array<uint64_t, 19> kPowersOfTen64 = [] {
  std::array<uint64_t, 19> powers{};
  powers[0] = 1;
  for (size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
  return powers;
}();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Two digits at `text[i]`, or -1.
int TwoDigits(std::string_view text, size_t i) {
  if (!IsDigit(text[i]) || !IsDigit(text[i + 1])) return -1;
  return (text[i] - '0') * 10 + (text[i + 1] - '0');
}

int Digit(char c) { return c - '0'; }

// A mask over the first 8 bytes of a text: 0xFF at each position where `pattern` has a 'd'.
constexpr uint64_t DigitMask(std::string_view pattern) {
  uint64_t mask = 0;
  for (size_t i = 0; i < 8; ++i) {
    if (pattern[i] == 'd') {
      // Byte i of the text is the low byte of a little-endian load, the high byte of a
      // big-endian one.
      size_t shift = std::endian::native == std::endian::little ? 8 * i : 8 * (7 - i);
      mask |= uint64_t{0xFF} << shift;
    }
  }
  return mask;
}
constexpr uint64_t kDateDigits = DigitMask("dddd-dd-");
constexpr uint64_t kTimeDigits = DigitMask("ddTdd:dd");
constexpr uint64_t kMicrosDigits = DigitMask(".dddddd?");

// True when the bytes at `text` under `mask` (from DigitMask) are all ASCII digits.
bool DigitsAt(const char* text, uint64_t mask) {
  uint64_t word;
  std::memcpy(&word, text, sizeof(word));
  word &= mask;
  const uint64_t high = 0xF0F0F0F0F0F0F0F0ULL & mask;
  const uint64_t zeros = 0x3030303030303030ULL & mask;
  // 0x30..0x39 keep their high nibble 3 when 6 is added; no byte carries into the next.
  return (word & high) == zeros && ((word + (0x0606060606060606ULL & mask)) & high) == zeros;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// True when year-month-day is a date of the proleptic Gregorian calendar.
bool ValidDay(int year, int month, int day) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  if (day <= kDays[static_cast<size_t>(month - 1)]) return true;
  return month == 2 && day == 29 && IsLeapYear(year);
}

// Parses "yyyy-MM-dd" at the start of `text` (which holds at least 10 bytes).
bool ParseDateFields(std::string_view text, int* year, int* month, int* day) {
  const char* s = text.data();
  if (s[4] != '-' || s[7] != '-' || !DigitsAt(s, kDateDigits) || !IsDigit(s[8]) || !IsDigit(s[9])) {
    return false;
  }
  *year = Digit(s[0]) * 1000 + Digit(s[1]) * 100 + Digit(s[2]) * 10 + Digit(s[3]);
  *month = Digit(s[5]) * 10 + Digit(s[6]);
  *day = Digit(s[8]) * 10 + Digit(s[9]);
  return ValidDay(*year, *month, *day);
}

}  // namespace

FastParse ParseJsonDecimal(std::string_view token, int32_t precision, int32_t scale,
                           int128_t* unscaled) {
  size_t i = 0;
  const size_t n = token.size();
  bool negative = i < n && token[i] == '-';
  if (negative) ++i;
  if (i == n) return FastParse::kInvalid;
  uint64_t digits = 0;
  int count = 0;
  if (token[i] == '0') {
    ++i;
    if (i < n && IsDigit(token[i])) return FastParse::kInvalid;  // A leading zero.
  } else if (IsDigit(token[i])) {
    for (; i < n && IsDigit(token[i]); ++i, ++count) {
      if (count < kMaxFastDigits) digits = digits * 10 + static_cast<uint64_t>(token[i] - '0');
    }
  } else {
    return FastParse::kInvalid;
  }
  int fraction_digits = 0;
  if (i < n && token[i] == '.') {
    ++i;
    if (i == n || !IsDigit(token[i])) return FastParse::kInvalid;
    for (; i < n && IsDigit(token[i]); ++i, ++count, ++fraction_digits) {
      if (count < kMaxFastDigits) digits = digits * 10 + static_cast<uint64_t>(token[i] - '0');
    }
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) return FastParse::kNotHandled;
  if (i != n) return FastParse::kInvalid;
  if (count > kMaxFastDigits || scale < 0 || scale > kMaxDecimalPrecision || precision < 1 ||
      precision > kMaxDecimalPrecision) {
    return FastParse::kNotHandled;
  }
  if (precision <= kMaxFastDigits) {
    // The same in 64 bits: every value below 10^precision fits.
    uint64_t value = digits;
    if (fraction_digits <= scale) {
      int shift = scale - fraction_digits;
      if (digits != 0) {
        if (shift >= precision ||
            digits >= kPowersOfTen64[static_cast<size_t>(precision - shift)]) {
          return FastParse::kNoFit;
        }
        value *= kPowersOfTen64[static_cast<size_t>(shift)];
      }
    } else {
      const uint64_t divisor = kPowersOfTen64[static_cast<size_t>(fraction_digits - scale)];
      uint64_t remainder = value % divisor;
      value /= divisor;
      if (remainder * 2 >= divisor) ++value;
      if (value >= kPowersOfTen64[static_cast<size_t>(precision)]) return FastParse::kNoFit;
    }
    *unscaled = negative ? -static_cast<int128_t>(value) : static_cast<int128_t>(value);
    return FastParse::kValue;
  }
  int128_t value = static_cast<int128_t>(digits);
  if (fraction_digits <= scale) {
    // Scaling up must not overflow: check the digits against the room precision leaves them.
    int shift = scale - fraction_digits;
    int room = precision - shift;
    if (digits != 0 && (room <= 0 || (room <= kMaxFastDigits &&
                                      value >= kPowersOfTen[static_cast<size_t>(room)]))) {
      return FastParse::kNoFit;
    }
    value *= kPowersOfTen[static_cast<size_t>(shift)];
  } else {
    // Drop the extra fraction digits, rounding half up as Spark does.
    const int128_t divisor = kPowersOfTen[static_cast<size_t>(fraction_digits - scale)];
    int128_t remainder = value % divisor;
    value /= divisor;
    if (remainder * 2 >= divisor) ++value;
  }
  if (value >= kPowersOfTen[static_cast<size_t>(precision)]) return FastParse::kNoFit;
  *unscaled = negative ? -value : value;
  return FastParse::kValue;
}

FastParse ParseIsoDate(std::string_view text, int32_t* days) {
  if (text.size() != 10) return FastParse::kNotHandled;
  int year;
  int month;
  int day;
  if (!ParseDateFields(text, &year, &month, &day)) return FastParse::kNotHandled;
  *days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return FastParse::kValue;
}

FastParse ParseIsoTimestamp(std::string_view text, bool utc_adjusted, int64_t* micros) {
  // yyyy-MM-ddTHH:mm:ss is 19 bytes.
  const size_t n = text.size();
  const char* s = text.data();
  if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
      s[16] != ':' || !DigitsAt(s, kDateDigits) || !DigitsAt(s + 8, kTimeDigits) ||
      !IsDigit(s[17]) || !IsDigit(s[18])) {
    return FastParse::kNotHandled;
  }
  const int year = Digit(s[0]) * 1000 + Digit(s[1]) * 100 + Digit(s[2]) * 10 + Digit(s[3]);
  const int month = Digit(s[5]) * 10 + Digit(s[6]);
  const int day = Digit(s[8]) * 10 + Digit(s[9]);
  const int hour = Digit(s[11]) * 10 + Digit(s[12]);
  const int minute = Digit(s[14]) * 10 + Digit(s[15]);
  const int second = Digit(s[17]) * 10 + Digit(s[18]);
  if (!ValidDay(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return FastParse::kNotHandled;
  }
  size_t i = 19;
  int64_t fraction = 0;
  if (n >= 27 && DigitsAt(s + 19, kMicrosDigits) && s[19] == '.' && !IsDigit(s[26])) {
    // Microseconds, the most common fraction.
    fraction = Digit(s[20]) * 100000 + Digit(s[21]) * 10000 + Digit(s[22]) * 1000 +
               Digit(s[23]) * 100 + Digit(s[24]) * 10 + Digit(s[25]);
    i = 26;
  } else if (i < n && s[i] == '.') {
    ++i;
    const size_t first = i;
    // Digits past microseconds are dropped, as Spark does.
    for (; i < n && IsDigit(s[i]); ++i) {
      if (i - first < 6) fraction = fraction * 10 + Digit(s[i]);
    }
    if (i == first) return FastParse::kNotHandled;
    for (size_t digits = i - first; digits < 6; ++digits) fraction *= 10;
  }
  int64_t offset_seconds = 0;
  if (i < n) {
    std::string_view zone = text.substr(i);
    if (!utc_adjusted) return FastParse::kNotHandled;
    if (zone.size() == 1 && zone[0] == 'Z') {
      offset_seconds = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
      int zone_hours = TwoDigits(zone, 1);
      int zone_minutes = TwoDigits(zone, 4);
      if (zone_hours < 0 || zone_hours > 18 || zone_minutes < 0 || zone_minutes > 59) {
        return FastParse::kNotHandled;
      }
      offset_seconds = (zone[0] == '-' ? -1 : 1) * (zone_hours * 3600 + zone_minutes * 60);
    } else {
      return FastParse::kNotHandled;
    }
  }
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  *micros = days * kMicrosPerDay + (hour * 3600 + minute * 60 + second) * kMicrosPerSecond +
            fraction - offset_seconds * kMicrosPerSecond;
  return FastParse::kValue;
}

}  // namespace arcflow::json
