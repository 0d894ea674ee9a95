#include "arcflow/json/json_value_parse.h"

#include <array>

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

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Two digits at `text[i]`, or -1.
int TwoDigits(std::string_view text, size_t i) {
  if (!IsDigit(text[i]) || !IsDigit(text[i + 1])) return -1;
  return (text[i] - '0') * 10 + (text[i + 1] - '0');
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<size_t>(month - 1)];
}

// Parses "yyyy-MM-dd" at the start of `text` (which holds at least 10 bytes).
bool ParseDateFields(std::string_view text, int* year, int* month, int* day) {
  int century = TwoDigits(text, 0);
  int year_in_century = TwoDigits(text, 2);
  *month = TwoDigits(text, 5);
  *day = TwoDigits(text, 8);
  if (century < 0 || year_in_century < 0 || text[4] != '-' || text[7] != '-' || *month < 1 ||
      *month > 12 || *day < 1) {
    return false;
  }
  *year = century * 100 + year_in_century;
  return *day <= DaysInMonth(*year, *month);
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
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':') {
    return FastParse::kNotHandled;
  }
  int year;
  int month;
  int day;
  if (!ParseDateFields(text, &year, &month, &day)) return FastParse::kNotHandled;
  int hour = TwoDigits(text, 11);
  int minute = TwoDigits(text, 14);
  int second = TwoDigits(text, 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return FastParse::kNotHandled;
  }
  size_t i = 19;
  int64_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int fraction_digits = 0;
    for (; i < text.size() && IsDigit(text[i]); ++i, ++fraction_digits) {
      // Digits past microseconds are dropped, as Spark does.
      if (fraction_digits < 6) fraction = fraction * 10 + (text[i] - '0');
    }
    if (fraction_digits == 0) return FastParse::kNotHandled;
    for (; fraction_digits < 6; ++fraction_digits) fraction *= 10;
  }
  int64_t offset_seconds = 0;
  std::string_view zone = text.substr(i);
  if (!zone.empty()) {
    if (!utc_adjusted) return FastParse::kNotHandled;
    if (zone == "Z") {
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
