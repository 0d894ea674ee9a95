#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace arcflow::json {

// Facts about the raw text of single JSON tokens, as simdjson's raw_json_token() returns them.
// All functions are thread-safe.

// True for the four JSON whitespace characters.
inline bool IsJsonWhitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// `text` without trailing JSON whitespace (raw tokens include the spaces that follow them).
inline std::string_view TrimTrailingWhitespace(std::string_view text) {
  while (!text.empty() && IsJsonWhitespace(text.back())) text.remove_suffix(1);
  return text;
}
inline std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && IsJsonWhitespace(text.front())) text.remove_prefix(1);
  return TrimTrailingWhitespace(text);
}

// True when `text` is exactly one number of the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view text);

// True when a JSON number has neither a fraction nor an exponent.
bool IsIntegralJsonNumber(std::string_view number);

// The value of the non-numeric numbers Spark accepts for FLOAT and DOUBLE (allowNonNumericNumbers,
// on by default): NaN, Infinity, +Infinity, -Infinity, INF, +INF, -INF.
std::optional<double> NonNumericNumber(std::string_view text);

// "object", "array", "number", "string", "boolean" or "null".
std::string_view JsonTypeName(simdjson::ondemand::json_type type);

// `text` shortened for an error message: at most `max_bytes` bytes (cut at a UTF-8 character
// boundary) followed by "..." when cut.
std::string Abbreviate(std::string_view text, size_t max_bytes = 80);

}  // namespace arcflow::json
