#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/columnar/array.h"

namespace arcflow {

// Text → value conversions shared by the text formats (JSON, CSV) and SQL casts. Each follows
// what Spark accepts. They return std::nullopt (or false) when the text is not a value of the
// type; callers decide whether that is a corrupt record.

// Optional sign, decimal digits; no spaces. Range checked against the target width.
std::optional<int64_t> ParseInt64(std::string_view text);
std::optional<int32_t> ParseInt32(std::string_view text);
std::optional<int16_t> ParseInt16(std::string_view text);
std::optional<int8_t> ParseInt8(std::string_view text);
// Decimal or scientific notation, and NaN, Infinity, +Infinity, -Infinity, Inf, +Inf, -Inf.
std::optional<double> ParseDouble(std::string_view text);
std::optional<float> ParseFloat(std::string_view text);
// "true"/"false", any case.
std::optional<bool> ParseBoolean(std::string_view text);
// A decimal number (optionally with exponent) as an unscaled int128 at `scale`, rounding half
// up when there are more fractional digits; nullopt when it does not fit `precision`.
std::optional<int128_t> ParseDecimal(std::string_view text, int32_t precision, int32_t scale);

// Days since the epoch for Spark's date forms: yyyy, yyyy-[m]m, yyyy-[m]m-[d]d, optionally
// followed by 'T' or ' ' and anything (ignored, as Spark's cast does).
std::optional<int32_t> ParseDate(std::string_view text);

// Microseconds since the epoch for the ISO-8601 forms Spark accepts:
// yyyy-[m]m-[d]d[(T| )[h]h:[m]m[:[s]s[.fraction]]][zone], zone = Z | ±hh[:mm] | ±hhmm |
// UTC | GMT | UT[±...]. A text with a zone is converted to UTC; one without is taken as
// `default_zone_offset_seconds` east of UTC (0 for UTC) when `utc_adjusted`, or returned as
// wall-clock time when not (TIMESTAMP_NTZ; a text with an explicit zone is then rejected, as
// Spark does for NTZ).
std::optional<int64_t> ParseTimestamp(std::string_view text, bool utc_adjusted,
                                      int32_t default_zone_offset_seconds = 0);

// A Spark datetime pattern ("yyyy-MM-dd HH:mm:ss.SSS", "dd/MM/yyyy", "yyyy-MM-dd'T'HH:mm:ssXXX")
// compiled once and applied to many values. Supports y, M (numeric), d, H, h with a, m, s, S
// (fraction, 1..9 digits), X/XXX/Z/x zones, quoted literals and other punctuation.
class DateTimePattern {
 public:
  static Result<DateTimePattern> Compile(std::string_view pattern);

  std::optional<int64_t> ParseTimestamp(std::string_view text, bool utc_adjusted) const;
  std::optional<int32_t> ParseDate(std::string_view text) const;
  std::string FormatTimestamp(int64_t micros, bool utc_adjusted) const;
  std::string FormatDate(int32_t days) const;

  struct Token {
    char letter;  // Pattern letter, or 0 for a literal.
    int count;    // Repetitions of the letter.
    std::string literal;
  };

 private:
  std::vector<Token> tokens_;
};

// Civil-calendar helpers (proleptic Gregorian, as Spark 3).
int32_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

}  // namespace arcflow
