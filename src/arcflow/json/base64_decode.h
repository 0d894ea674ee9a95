#pragma once

#include <string>
#include <string_view>

namespace arcflow::json {

// Decodes standard base64 (RFC 4648 alphabet, '=' padding required when the data does not end
// on a 3-byte boundary, no whitespace), the form in which Spark writes and reads BINARY values
// in JSON. Appends the bytes to `out` and returns true, or returns false (with `out` in an
// unspecified state) when `text` is not base64. Thread-safe.
bool DecodeBase64(std::string_view text, std::string* out);

}  // namespace arcflow::json
