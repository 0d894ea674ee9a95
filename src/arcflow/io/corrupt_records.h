#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"

namespace arcflow::io {

// What a text reader (JSON, CSV) does with a corrupt record, by Spark's `mode` option.
enum class ParseMode : uint8_t {
  // Keeps the row: the values that could not be read are null, and the record's text goes to
  // the corrupt-record column when the schema has one.
  kPermissive,
  // Drops the record and counts it.
  kDropMalformed,
  // Stops with an error naming the file, line, byte offset and reason.
  kFailFast,
};

// Spark's name of the mode: PERMISSIVE, DROPMALFORMED or FAILFAST.
std::string_view ParseModeName(ParseMode mode);

// Reads Spark's name of a mode, in any case. Invalid otherwise; `source` ("json", "csv")
// starts the message.
Result<ParseMode> ParseModeFromName(std::string_view name, std::string_view source);

// A record a reader rejected, as handed to the reader's `on_rejected` callback so that the
// caller can quarantine it with its reason. A value type; it owns its strings.
struct RejectedRecord {
  std::string path;
  int64_t line = 0;         // 1-based line on which the record starts.
  int64_t byte_offset = 0;  // Offset of the record's first byte in the file.
  std::string text;         // The record as it appears in the file, without its line end.
  std::string reason;       // Why it was rejected, e.g. `value "abc" is not a BIGINT ...`.
};

}  // namespace arcflow::io
