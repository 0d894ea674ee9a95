#include "arcflow/io/corrupt_records.h"

#include "arcflow/base/ascii.h"

namespace arcflow::io {

std::string_view ParseModeName(ParseMode mode) {
  switch (mode) {
    case ParseMode::kPermissive:
      return "PERMISSIVE";
    case ParseMode::kDropMalformed:
      return "DROPMALFORMED";
    case ParseMode::kFailFast:
      return "FAILFAST";
  }
  return "?";
}

Result<ParseMode> ParseModeFromName(std::string_view name, std::string_view source) {
  for (ParseMode mode : {ParseMode::kPermissive, ParseMode::kDropMalformed, ParseMode::kFailFast}) {
    if (ascii::EqualsIgnoreCase(name, ParseModeName(mode))) return mode;
  }
  return Status::Invalid("{}: option mode must be PERMISSIVE, DROPMALFORMED or FAILFAST, got '{}'",
                         source, name);
}

}  // namespace arcflow::io
