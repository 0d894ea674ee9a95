#include "arcflow/columnar/value_parse.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "arcflow/base/ascii.h"
#include "arcflow/columnar/value_format.h"

namespace arcflow {

int32_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil, on the proleptic Gregorian calendar.
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<int32_t>(era * 146097 + static_cast<int64_t>(day_of_era) - 719468);
}

void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  *day = day_of_year - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int64_t>(year_of_era) + era * 400 + (*month <= 2);
}

namespace {

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

template <typename T>
std::optional<T> ParseInteger(std::string_view text) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return std::nullopt;
  }
  if (text.empty()) return std::nullopt;
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

template <typename T>
std::optional<T> ParseFloating(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string_view body = text;
  bool negative = false;
  if (body.front() == '+' || body.front() == '-') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body == "NaN") {
    if (text.size() != body.size()) return std::nullopt;
    return std::numeric_limits<T>::quiet_NaN();
  }
  if (body == "Infinity" || body == "Inf" || ascii::EqualsIgnoreCase(body, "inf")) {
    T infinity = std::numeric_limits<T>::infinity();
    return negative ? -infinity : infinity;
  }
  // from_chars rejects a leading '+', which Spark accepts.
  if (body.empty() ||
      !(std::isdigit(static_cast<unsigned char>(body.front())) || body.front() == '.')) {
    return std::nullopt;
  }
  T value{};
  auto [end, error] =
      std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::general);
  if (end != body.data() + body.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) {
    // Overflow gives ±Infinity and underflow ±0, as Java's parser does.
    bool too_small = false;
    for (char c : body) {
      if (c == 'e' || c == 'E') {
        too_small = body.find('-', static_cast<size_t>(&c - body.data())) != std::string_view::npos;
        break;
      }
    }
    value = too_small ? T(0) : std::numeric_limits<T>::infinity();
  } else if (error != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

// Reads 1 to `max_digits` digits; returns how many were read (0 when none).
size_t ReadDigits(std::string_view text, size_t position, size_t max_digits, int64_t* value) {
  size_t count = 0;
  int64_t result = 0;
  while (position + count < text.size() && count < max_digits &&
         std::isdigit(static_cast<unsigned char>(text[position + count]))) {
    result = result * 10 + (text[position + count] - '0');
    ++count;
  }
  *value = result;
  return count;
}

// Years whose dates fit int32 days (Spark's DATE range is about ±5.8 million years).
constexpr int64_t kMaxAbsoluteYear = 5000000;

struct DateParts {
  int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

// Parses the date part of Spark's date and timestamp forms; returns the position after it.
std::optional<size_t> ParseDatePart(std::string_view text, DateParts* parts, bool allow_partial) {
  size_t position = 0;
  bool negative = false;
  if (position < text.size() && (text[position] == '-' || text[position] == '+')) {
    negative = text[position] == '-';
    ++position;
  }
  int64_t year = 0;
  size_t digits = ReadDigits(text, position, 7, &year);
  if (digits < 4 || year > kMaxAbsoluteYear) return std::nullopt;
  position += digits;
  parts->year = negative ? -year : year;
  parts->month = 1;
  parts->day = 1;
  if (position < text.size() && text[position] == '-') {
    int64_t month = 0;
    digits = ReadDigits(text, position + 1, 2, &month);
    if (digits == 0 || month < 1 || month > 12) return std::nullopt;
    position += 1 + digits;
    parts->month = static_cast<unsigned>(month);
    if (position < text.size() && text[position] == '-') {
      int64_t day = 0;
      digits = ReadDigits(text, position + 1, 2, &day);
      if (digits == 0 || day < 1 || day > DaysInMonth(parts->year, parts->month)) {
        return std::nullopt;
      }
      position += 1 + digits;
      parts->day = static_cast<unsigned>(day);
    } else if (!allow_partial) {
      return std::nullopt;
    }
  } else if (!allow_partial) {
    return std::nullopt;
  }
  return position;
}

// Parses a zone suffix: Z, ±h[h][:mm], ±hhmm, UTC/GMT/UT with an optional offset.
std::optional<int32_t> ParseZoneOffset(std::string_view zone) {
  if (zone == "Z" || zone == "z") return 0;
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (zone.size() >= prefix.size() &&
        ascii::EqualsIgnoreCase(zone.substr(0, prefix.size()), prefix)) {
      zone.remove_prefix(prefix.size());
      if (zone.empty()) return 0;
      break;
    }
  }
  if (zone.empty() || (zone.front() != '+' && zone.front() != '-')) return std::nullopt;
  int sign = zone.front() == '-' ? -1 : 1;
  zone.remove_prefix(1);
  int64_t hours = 0;
  int64_t minutes = 0;
  int64_t seconds = 0;
  size_t digits = ReadDigits(zone, 0, 2, &hours);
  if (digits == 0) return std::nullopt;
  size_t position = digits;
  if (position < zone.size()) {
    if (zone[position] == ':') ++position;
    size_t minute_digits = ReadDigits(zone, position, 2, &minutes);
    if (minute_digits != 2) return std::nullopt;
    position += 2;
    if (position < zone.size()) {
      if (zone[position] == ':') ++position;
      if (ReadDigits(zone, position, 2, &seconds) != 2) return std::nullopt;
      position += 2;
    }
  }
  if (position != zone.size() || hours > 18 || minutes > 59 || seconds > 59) return std::nullopt;
  return static_cast<int32_t>(sign * (hours * 3600 + minutes * 60 + seconds));
}

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
// Days representable as int64 microseconds (about ±292,000 years around 1970).
constexpr int64_t kMaxTimestampDays = INT64_MAX / kMicrosPerDay - 1;

}  // namespace

std::optional<int64_t> ParseInt64(std::string_view text) { return ParseInteger<int64_t>(text); }
std::optional<int32_t> ParseInt32(std::string_view text) { return ParseInteger<int32_t>(text); }
std::optional<int16_t> ParseInt16(std::string_view text) { return ParseInteger<int16_t>(text); }
std::optional<int8_t> ParseInt8(std::string_view text) { return ParseInteger<int8_t>(text); }
std::optional<double> ParseDouble(std::string_view text) { return ParseFloating<double>(text); }
std::optional<float> ParseFloat(std::string_view text) { return ParseFloating<float>(text); }

std::optional<bool> ParseBoolean(std::string_view text) {
  if (ascii::EqualsIgnoreCase(text, "true")) return true;
  if (ascii::EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

std::optional<int128_t> ParseDecimal(std::string_view text, int32_t precision, int32_t scale) {
  size_t position = 0;
  bool negative = false;
  if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    negative = text[position] == '-';
    ++position;
  }
  // Collect the significant digits and where the decimal point falls among them.
  std::string_view integer_part;
  std::string_view fraction_part;
  size_t start = position;
  while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
    ++position;
  }
  integer_part = text.substr(start, position - start);
  if (position < text.size() && text[position] == '.') {
    ++position;
    start = position;
    while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
      ++position;
    }
    fraction_part = text.substr(start, position - start);
  }
  if (integer_part.empty() && fraction_part.empty()) return std::nullopt;
  int64_t exponent = 0;
  if (position < text.size() && (text[position] == 'e' || text[position] == 'E')) {
    std::optional<int64_t> parsed = ParseInt64(text.substr(position + 1));
    if (!parsed || *parsed > 1000 || *parsed < -1000) return std::nullopt;
    exponent = *parsed;
    position = text.size();
  }
  if (position != text.size()) return std::nullopt;

  // The value is digits × 10^(exponent - fraction digits); rescale it to `scale`.
  std::string digits;
  digits.reserve(integer_part.size() + fraction_part.size());
  digits.append(integer_part);
  digits.append(fraction_part);
  int64_t shift =
      static_cast<int64_t>(scale) + exponent - static_cast<int64_t>(fraction_part.size());
  // Drop leading zeros so that the digit count measures precision.
  size_t first_nonzero = digits.find_first_not_of('0');
  if (first_nonzero == std::string::npos) return int128_t{0};
  digits.erase(0, first_nonzero);
  // Spark rounds HALF_UP when a value has more fractional digits than the scale.
  bool round_up = false;
  if (shift < 0) {
    auto drop = static_cast<size_t>(-shift);
    if (drop <= digits.size()) {
      round_up = digits[digits.size() - drop] >= '5';
      digits.resize(digits.size() - drop);
    } else {
      digits.clear();  // The first dropped digit is an implicit leading zero: round down.
    }
    shift = 0;
  }
  if (static_cast<int64_t>(digits.size()) + shift > precision) return std::nullopt;
  int128_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  for (int64_t i = 0; i < shift; ++i) value *= 10;
  if (round_up) {
    value += 1;
    int128_t limit = 1;
    for (int32_t i = 0; i < precision; ++i) limit *= 10;
    if (value >= limit) return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<int32_t> ParseDate(std::string_view text) {
  DateParts parts;
  std::optional<size_t> end = ParseDatePart(text, &parts, /*allow_partial=*/true);
  if (!end) return std::nullopt;
  if (*end != text.size() && text[*end] != 'T' && text[*end] != ' ') return std::nullopt;
  return DaysFromCivil(parts.year, parts.month, parts.day);
}

std::optional<int64_t> ParseTimestamp(std::string_view text, bool utc_adjusted,
                                      int32_t default_zone_offset_seconds) {
  DateParts date;
  std::optional<size_t> date_end = ParseDatePart(text, &date, /*allow_partial=*/true);
  if (!date_end) return std::nullopt;
  size_t position = *date_end;
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t micros = 0;
  if (position < text.size() && (text[position] == 'T' || text[position] == ' ')) {
    ++position;
    size_t digits = ReadDigits(text, position, 2, &hour);
    if (digits > 0) {
      position += digits;
      if (position >= text.size() || text[position] != ':') return std::nullopt;
      digits = ReadDigits(text, position + 1, 2, &minute);
      if (digits == 0) return std::nullopt;
      position += 1 + digits;
      if (position < text.size() && text[position] == ':') {
        digits = ReadDigits(text, position + 1, 2, &second);
        if (digits == 0) return std::nullopt;
        position += 1 + digits;
        if (position < text.size() && text[position] == '.') {
          ++position;
          size_t fraction_digits = 0;
          while (position < text.size() &&
                 std::isdigit(static_cast<unsigned char>(text[position]))) {
            // Digits past microseconds are truncated, as Spark does.
            if (fraction_digits < 6) micros = micros * 10 + (text[position] - '0');
            ++fraction_digits;
            ++position;
          }
          if (fraction_digits == 0) return std::nullopt;
          for (size_t i = fraction_digits; i < 6; ++i) micros *= 10;
        }
      }
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::optional<int32_t> zone_offset;
  if (position < text.size()) {
    std::string_view zone = text.substr(position);
    if (!zone.empty() && zone.front() == ' ') zone.remove_prefix(1);
    zone_offset = ParseZoneOffset(zone);
    if (!zone_offset) return std::nullopt;
  }
  if (!utc_adjusted && zone_offset) return std::nullopt;
  int64_t days = DaysFromCivil(date.year, date.month, date.day);
  if (days > kMaxTimestampDays || days < -kMaxTimestampDays) return std::nullopt;
  int64_t local =
      days * kMicrosPerDay + (hour * 3600 + minute * 60 + second) * kMicrosPerSecond + micros;
  if (!utc_adjusted) return local;
  int32_t offset = zone_offset ? *zone_offset : default_zone_offset_seconds;
  return local - static_cast<int64_t>(offset) * kMicrosPerSecond;
}

// ---- DateTimePattern ----

Result<DateTimePattern> DateTimePattern::Compile(std::string_view pattern) {
  DateTimePattern compiled;
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '\'') {
      // Quoted literal; '' is a single quote.
      size_t close = i + 1;
      std::string literal;
      while (true) {
        if (close >= pattern.size()) {
          return Status::Invalid("datetime pattern: unterminated quote in '{}'", pattern);
        }
        if (pattern[close] == '\'') {
          if (close + 1 < pattern.size() && pattern[close + 1] == '\'') {
            literal.push_back('\'');
            close += 2;
            continue;
          }
          break;
        }
        literal.push_back(pattern[close++]);
      }
      if (close == i + 1) literal.assign(1, '\'');  // '' outside quotes is one quote.
      compiled.tokens_.push_back({0, 0, std::move(literal)});
      i = close + 1;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t run = i;
      while (run < pattern.size() && pattern[run] == c) ++run;
      int count = static_cast<int>(run - i);
      switch (c) {
        case 'y':
        case 'u':
        case 'M':
        case 'L':
        case 'd':
        case 'H':
        case 'h':
        case 'k':
        case 'K':
        case 'm':
        case 's':
        case 'S':
        case 'a':
        case 'X':
        case 'x':
        case 'Z':
        case 'E':
        case 'D':
          break;
        default:
          return Status::Invalid("datetime pattern: unsupported letter '{}' in '{}'", c, pattern);
      }
      if (c == 'S' && count > 9) {
        return Status::Invalid("datetime pattern: too many 'S' in '{}' (at most 9)", pattern);
      }
      compiled.tokens_.push_back({c == 'u' ? 'y' : (c == 'L' ? 'M' : c), count, {}});
      i = run;
      continue;
    }
    compiled.tokens_.push_back({0, 0, std::string(1, c)});
    ++i;
  }
  return compiled;
}

namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Matches a full or three-letter name from `names` at `position`; returns its index.
template <size_t N>
std::optional<size_t> MatchName(std::string_view text, size_t* position,
                                const std::array<std::string_view, N>& names, bool full) {
  for (size_t k = 0; k < N; ++k) {
    std::string_view name = full ? names[k] : names[k].substr(0, 3);
    if (text.size() - *position >= name.size() &&
        ascii::EqualsIgnoreCase(text.substr(*position, name.size()), name)) {
      *position += name.size();
      return k;
    }
  }
  return std::nullopt;
}

struct ParsedFields {
  int64_t year = 1970;
  int64_t month = 1;
  int64_t day = 1;
  int64_t day_of_year = 0;
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t micros = 0;
  bool pm = false;
  bool has_ampm = false;
  std::optional<int32_t> zone_offset;
};

bool ParseWithTokens(const std::vector<DateTimePattern::Token>& tokens, std::string_view text,
                     ParsedFields* fields) {
  size_t position = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    const DateTimePattern::Token& token = tokens[t];
    if (token.letter == 0) {
      if (text.substr(position, token.literal.size()) != token.literal) return false;
      position += token.literal.size();
      continue;
    }
    // A numeric field directly followed by another numeric field must take exactly `count`
    // digits ("yyyyMMdd"); otherwise it takes as many as are there, up to a bound.
    bool adjacent_numeric = t + 1 < tokens.size() && tokens[t + 1].letter != 0 &&
                            tokens[t + 1].letter != 'a' && tokens[t + 1].letter != 'X' &&
                            tokens[t + 1].letter != 'x' && tokens[t + 1].letter != 'Z';
    auto read_number = [&](size_t min_digits, size_t max_digits, int64_t* value) {
      size_t limit = adjacent_numeric
                         ? std::max<size_t>(min_digits, static_cast<size_t>(token.count))
                         : max_digits;
      size_t digits = ReadDigits(text, position, limit, value);
      if (digits < min_digits) return false;
      position += digits;
      return true;
    };
    switch (token.letter) {
      case 'y': {
        if (token.count == 2) {
          int64_t year = 0;
          if (ReadDigits(text, position, 2, &year) != 2) return false;
          position += 2;
          fields->year = 2000 + year;
        } else if (!read_number(static_cast<size_t>(token.count), 9, &fields->year)) {
          return false;
        }
        break;
      }
      case 'M':
        if (token.count >= 3) {
          std::optional<size_t> month = MatchName(text, &position, kMonthNames, token.count >= 4);
          if (!month) return false;
          fields->month = static_cast<int64_t>(*month) + 1;
        } else if (!read_number(static_cast<size_t>(token.count), 2, &fields->month)) {
          return false;
        }
        break;
      case 'd':
        if (!read_number(static_cast<size_t>(token.count), 2, &fields->day)) return false;
        break;
      case 'D':
        if (!read_number(static_cast<size_t>(token.count), 3, &fields->day_of_year)) return false;
        break;
      case 'H':
      case 'k':
        if (!read_number(static_cast<size_t>(token.count), 2, &fields->hour)) return false;
        if (token.letter == 'k' && fields->hour == 24) fields->hour = 0;
        break;
      case 'h':
      case 'K':
        if (!read_number(static_cast<size_t>(token.count), 2, &fields->hour)) return false;
        if (token.letter == 'h' && fields->hour == 12) fields->hour = 0;
        break;
      case 'm':
        if (!read_number(static_cast<size_t>(token.count), 2, &fields->minute)) return false;
        break;
      case 's':
        if (!read_number(static_cast<size_t>(token.count), 2, &fields->second)) return false;
        break;
      case 'S': {
        int64_t fraction = 0;
        size_t digits = ReadDigits(text, position, static_cast<size_t>(token.count), &fraction);
        if (digits == 0) return false;
        position += digits;
        for (size_t k = digits; k < 6; ++k) fraction *= 10;
        for (size_t k = 6; k < digits; ++k) fraction /= 10;
        fields->micros = fraction;
        break;
      }
      case 'a': {
        std::string_view rest = text.substr(position);
        if (rest.size() < 2) return false;
        if (ascii::EqualsIgnoreCase(rest.substr(0, 2), "AM")) {
          fields->pm = false;
        } else if (ascii::EqualsIgnoreCase(rest.substr(0, 2), "PM")) {
          fields->pm = true;
        } else {
          return false;
        }
        fields->has_ampm = true;
        position += 2;
        break;
      }
      case 'E':
        if (!MatchName(text, &position, kDayNames, token.count >= 4)) return false;
        break;
      case 'X':
      case 'x':
      case 'Z': {
        // The zone runs to the next literal (or the end).
        size_t end = position;
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                     text[end] == '+' || text[end] == '-' || text[end] == ':')) {
          ++end;
        }
        std::string_view zone = text.substr(position, end - position);
        if (token.letter == 'x' && zone == "Z") return false;
        fields->zone_offset = ParseZoneOffset(zone);
        if (!fields->zone_offset) return false;
        position = end;
        break;
      }
      default:
        return false;
    }
  }
  if (position != text.size()) return false;
  if (fields->has_ampm && fields->pm) fields->hour += 12;
  return true;
}

}  // namespace

std::optional<int64_t> DateTimePattern::ParseTimestamp(std::string_view text,
                                                       bool utc_adjusted) const {
  ParsedFields fields;
  if (!ParseWithTokens(tokens_, text, &fields)) return std::nullopt;
  if (fields.year > kMaxAbsoluteYear || fields.year < -kMaxAbsoluteYear || fields.month < 1 ||
      fields.month > 12 || fields.day < 1 ||
      fields.day > DaysInMonth(fields.year, static_cast<unsigned>(fields.month)) ||
      fields.hour > 23 || fields.minute > 59 || fields.second > 59 || fields.day_of_year > 366) {
    return std::nullopt;
  }
  int64_t days = DaysFromCivil(fields.year, static_cast<unsigned>(fields.month),
                               static_cast<unsigned>(fields.day));
  if (fields.day_of_year > 0) {
    days = DaysFromCivil(fields.year, 1, 1) + fields.day_of_year - 1;
  }
  if (days > kMaxTimestampDays || days < -kMaxTimestampDays) return std::nullopt;
  int64_t local = days * kMicrosPerDay +
                  (fields.hour * 3600 + fields.minute * 60 + fields.second) * kMicrosPerSecond +
                  fields.micros;
  if (!utc_adjusted) return fields.zone_offset ? std::nullopt : std::optional<int64_t>(local);
  return local - static_cast<int64_t>(fields.zone_offset.value_or(0)) * kMicrosPerSecond;
}

std::optional<int32_t> DateTimePattern::ParseDate(std::string_view text) const {
  std::optional<int64_t> micros = ParseTimestamp(text, /*utc_adjusted=*/false);
  if (!micros) {
    // A pattern with a zone still yields a date: take the local date.
    ParsedFields fields;
    if (!ParseWithTokens(tokens_, text, &fields)) return std::nullopt;
    if (fields.year > kMaxAbsoluteYear || fields.year < -kMaxAbsoluteYear || fields.month < 1 ||
        fields.month > 12 || fields.day < 1 ||
        fields.day > DaysInMonth(fields.year, static_cast<unsigned>(fields.month))) {
      return std::nullopt;
    }
    return DaysFromCivil(fields.year, static_cast<unsigned>(fields.month),
                         static_cast<unsigned>(fields.day));
  }
  int64_t days = *micros / kMicrosPerDay;
  if (*micros % kMicrosPerDay < 0) --days;
  return static_cast<int32_t>(days);
}

namespace {

void AppendNumber(int64_t value, int width, std::string* out) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (value < 0) out->push_back('-');
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out->push_back('0');
  out->append(digits);
}

}  // namespace

std::string DateTimePattern::FormatTimestamp(int64_t micros, bool utc_adjusted) const {
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  int64_t year;
  unsigned month;
  unsigned day;
  CivilFromDays(days, &year, &month, &day);
  int64_t seconds_of_day = rest / kMicrosPerSecond;
  int64_t fraction = rest % kMicrosPerSecond;
  int64_t hour = seconds_of_day / 3600;
  std::string out;
  for (const Token& token : tokens_) {
    switch (token.letter) {
      case 0:
        out.append(token.literal);
        break;
      case 'y':
        AppendNumber(token.count == 2 ? year % 100 : year, token.count, &out);
        break;
      case 'M':
        if (token.count >= 4) {
          out.append(kMonthNames[month - 1]);
        } else if (token.count == 3) {
          out.append(kMonthNames[month - 1].substr(0, 3));
        } else {
          AppendNumber(month, token.count, &out);
        }
        break;
      case 'd':
        AppendNumber(day, token.count, &out);
        break;
      case 'D':
        AppendNumber(days - DaysFromCivil(year, 1, 1) + 1, token.count, &out);
        break;
      case 'H':
        AppendNumber(hour, token.count, &out);
        break;
      case 'k':
        AppendNumber(hour == 0 ? 24 : hour, token.count, &out);
        break;
      case 'h':
        AppendNumber(hour % 12 == 0 ? 12 : hour % 12, token.count, &out);
        break;
      case 'K':
        AppendNumber(hour % 12, token.count, &out);
        break;
      case 'm':
        AppendNumber((seconds_of_day / 60) % 60, token.count, &out);
        break;
      case 's':
        AppendNumber(seconds_of_day % 60, token.count, &out);
        break;
      case 'S': {
        std::string digits;
        AppendNumber(fraction, 6, &digits);
        digits.resize(9, '0');
        out.append(digits.substr(0, static_cast<size_t>(token.count)));
        break;
      }
      case 'a':
        out.append(hour < 12 ? "AM" : "PM");
        break;
      case 'E': {
        // 1970-01-01 was a Thursday (index 3 from Monday).
        int64_t weekday = ((days % 7) + 7 + 3) % 7;
        std::string_view name = kDayNames[static_cast<size_t>(weekday)];
        out.append(token.count >= 4 ? name : name.substr(0, 3));
        break;
      }
      case 'X':
        if (utc_adjusted) out.append("Z");
        break;
      case 'x':
        if (utc_adjusted) out.append(token.count >= 3 ? "+00:00" : "+00");
        break;
      case 'Z':
        if (utc_adjusted) out.append("+0000");
        break;
    }
  }
  return out;
}

std::string DateTimePattern::FormatDate(int32_t days) const {
  return FormatTimestamp(static_cast<int64_t>(days) * kMicrosPerDay, /*utc_adjusted=*/false);
}

}  // namespace arcflow
