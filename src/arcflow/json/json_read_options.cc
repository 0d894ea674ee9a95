#include "arcflow/json/json_read_options.h"

#include <array>

#include "arcflow/base/ascii.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::json {

namespace {

Status CheckPattern(const io::FormatOptions& options, std::string_view key, std::string* out) {
  std::optional<std::string> pattern = options.Get(key);
  if (!pattern) return Status::OK();
  Result<DateTimePattern> compiled = DateTimePattern::Compile(*pattern);
  if (!compiled.ok()) {
    return Status::Invalid("json: option {} is not a valid datetime pattern: {}", key,
                           compiled.status().message());
  }
  *out = std::move(*pattern);
  return Status::OK();
}

}  // namespace

Result<JsonReadOptions> JsonReadOptions::FromFormatOptions(const io::FormatOptions& options) {
  JsonReadOptions result;
  if (std::optional<std::string> mode = options.Get("mode")) {
    ARCFLOW_ASSIGN_OR_RETURN(result.mode, io::ParseModeFromName(*mode, "json"));
  }
  result.column_name_of_corrupt_record =
      options.GetString("columnNameOfCorruptRecord", result.column_name_of_corrupt_record);
  if (options.Has("multiLine")) {
    ARCFLOW_ASSIGN_OR_RETURN(bool multi_line, options.GetBool("multiLine", false));
    result.framing = multi_line ? JsonFraming::kDocument : JsonFraming::kLines;
  }
  ARCFLOW_RETURN_NOT_OK(CheckPattern(options, "dateFormat", &result.date_format));
  ARCFLOW_RETURN_NOT_OK(CheckPattern(options, "timestampFormat", &result.timestamp_format));
  ARCFLOW_RETURN_NOT_OK(CheckPattern(options, "timestampNTZFormat", &result.timestamp_ntz_format));
  ARCFLOW_ASSIGN_OR_RETURN(result.primitives_as_string,
                           options.GetBool("primitivesAsString", false));
  ARCFLOW_ASSIGN_OR_RETURN(result.prefers_decimal, options.GetBool("prefersDecimal", false));
  ARCFLOW_ASSIGN_OR_RETURN(result.drop_field_if_all_null,
                           options.GetBool("dropFieldIfAllNull", false));

  for (std::string_view key : {"encoding", "charset"}) {
    std::optional<std::string> encoding = options.Get(key);
    if (encoding && !ascii::EqualsIgnoreCase(*encoding, "UTF-8") &&
        !ascii::EqualsIgnoreCase(*encoding, "UTF8")) {
      return Status::NotImplemented("json: only UTF-8 input is supported, option {} is '{}'", key,
                                    *encoding);
    }
  }
  if (std::optional<std::string> line_sep = options.Get("lineSep")) {
    if (*line_sep != "\n" && *line_sep != "\r\n" && *line_sep != "\\n" && *line_sep != "\\r\\n") {
      return Status::NotImplemented(
          "json: lines must end with \\n or \\r\\n; option lineSep='{}' is not supported",
          *line_sep);
    }
  }
  if (std::optional<std::string> zone = options.Get("timeZone")) {
    static constexpr std::array<std::string_view, 6> kUtcNames = {"UTC", "Z",      "GMT",
                                                                  "UT",  "+00:00", "Etc/UTC"};
    bool is_utc = false;
    for (std::string_view name : kUtcNames) is_utc = is_utc || ascii::EqualsIgnoreCase(*zone, name);
    if (!is_utc) {
      return Status::NotImplemented(
          "json: times without a zone are read as UTC; option timeZone='{}' is not supported",
          *zone);
    }
  }
  if (std::optional<std::string> compression = options.Get("compression")) {
    if (!ascii::EqualsIgnoreCase(*compression, "none") &&
        !ascii::EqualsIgnoreCase(*compression, "uncompressed")) {
      return Status::NotImplemented("json: compressed input ('{}') is not supported yet",
                                    *compression);
    }
  }
  // simdjson parses strict JSON only; say so rather than reading such files as corrupt.
  static constexpr std::array<std::string_view, 7> kLenientSyntax = {
      "allowComments",
      "allowUnquotedFieldNames",
      "allowSingleQuotes",
      "allowNumericLeadingZeros",
      "allowBackslashEscapingAnyCharacter",
      "allowUnquotedControlChars",
      "allowNonNumericNumbers",
  };
  for (std::string_view key : kLenientSyntax) {
    if (!options.Has(key)) continue;
    ARCFLOW_ASSIGN_OR_RETURN(bool enabled, options.GetBool(key, false));
    // NaN and ±Infinity are accepted where a FLOAT or DOUBLE is expected, so Spark's default
    // allowNonNumericNumbers=true is honoured.
    if (enabled && key != "allowNonNumericNumbers") {
      return Status::NotImplemented("json: option {}=true is not supported (strict JSON only)",
                                    key);
    }
  }
  return result;
}

}  // namespace arcflow::json
