#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "arcflow/columnar/array.h"

namespace arcflow {

// Value → text conversions of the canonical row form (DESIGN.md) and the text writers. Each
// appends to `out`.

// Shortest text that reads back to the same double/float ("0.1", "1e+20", "-0", "3"); NaN and
// infinities as "NaN", "Infinity", "-Infinity".
void AppendDouble(double value, std::string* out);
void AppendFloat(float value, std::string* out);
// Unscaled value with exactly `scale` fractional digits: (1230, 2) → "12.30".
void AppendDecimal(int128_t unscaled, int32_t scale, std::string* out);
// "YYYY-MM-DD"; years outside 0..9999 get a sign and at least four digits.
void AppendDate(int32_t days, std::string* out);
// "YYYY-MM-DDTHH:MM:SS.ffffff" followed by "Z" when `utc_adjusted`.
void AppendTimestamp(int64_t micros, bool utc_adjusted, std::string* out);
// Standard base64 with padding.
void AppendBase64(std::string_view bytes, std::string* out);
// A JSON string literal with quotes; control characters escaped; invalid UTF-8 bytes replaced
// by U+FFFD so the output is always valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace arcflow
