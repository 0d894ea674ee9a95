#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "arcflow/columnar/array.h"

namespace arcflow::json {

// Fast paths for the forms in which JSON data nearly always writes decimals, dates and
// timestamps. Each recognises a narrow form and gives exactly what the general parsers of
// value_parse.h give for it; for any other text it answers "not mine" and the caller falls back
// to the general parser. Thread-safe.

// The outcome of a fast path.
enum class FastParse {
  kValue,      // Parsed; the value is set.
  kNoFit,      // A valid number that does not fit the decimal's precision.
  kInvalid,    // Not a JSON number at all.
  kNotHandled  // Not the form this fast path knows: use the general parser.
};

// A JSON number token without an exponent and with at most 18 digits, as DECIMAL(precision,
// scale): the same value as ParseDecimal() (rounding half up), validated against the JSON
// number grammar.
FastParse ParseJsonDecimal(std::string_view token, int32_t precision, int32_t scale,
                           int128_t* unscaled);

// "yyyy-MM-dd": the days since the epoch, as ParseDate() gives them.
FastParse ParseIsoDate(std::string_view text, int32_t* days);

// "yyyy-MM-ddTHH:mm:ss[.fraction][Z|±HH:mm]" (T or a space between date and time): the
// microseconds since the epoch, as ParseTimestamp(text, utc_adjusted) gives them.
FastParse ParseIsoTimestamp(std::string_view text, bool utc_adjusted, int64_t* micros);

}  // namespace arcflow::json
