#include "arcflow/csv/write_options.h"

#include "arcflow/base/ascii.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::csv {

Result<CsvWriteOptions> CsvWriteOptions::FromFormatOptions(const io::FormatOptions& options) {
  CsvWriteOptions result;
  ARCFLOW_ASSIGN_OR_RETURN(result.header, options.GetBool("header", result.header));
  if (options.Has("sep")) {
    ARCFLOW_ASSIGN_OR_RETURN(result.delimiter, options.GetChar("sep", result.delimiter));
  } else {
    ARCFLOW_ASSIGN_OR_RETURN(result.delimiter, options.GetChar("delimiter", result.delimiter));
  }
  ARCFLOW_ASSIGN_OR_RETURN(result.quote, options.GetChar("quote", result.quote));
  ARCFLOW_ASSIGN_OR_RETURN(result.escape, options.GetChar("escape", result.escape));
  if (options.Has("charToEscapeQuoteEscaping")) {
    ARCFLOW_ASSIGN_OR_RETURN(char c, options.GetChar("charToEscapeQuoteEscaping", '\0'));
    result.char_to_escape_quote_escaping = c;
  }
  ARCFLOW_ASSIGN_OR_RETURN(result.quote_all, options.GetBool("quoteAll", result.quote_all));
  ARCFLOW_ASSIGN_OR_RETURN(result.escape_quotes,
                           options.GetBool("escapeQuotes", result.escape_quotes));
  result.null_value = options.GetString("nullValue", result.null_value);
  if (auto empty = options.Get("emptyValue")) result.empty_value = *empty;
  result.date_format = options.GetString("dateFormat", result.date_format);
  result.timestamp_format = options.GetString("timestampFormat", result.timestamp_format);
  result.timestamp_ntz_format =
      options.GetString("timestampNTZFormat", result.timestamp_ntz_format);
  if (auto line_separator = options.Get("lineSep")) {
    if (*line_separator == "\\n") {
      result.line_separator = "\n";
    } else if (*line_separator == "\\r\\n") {
      result.line_separator = "\r\n";
    } else if (*line_separator == "\\r") {
      result.line_separator = "\r";
    } else {
      result.line_separator = *line_separator;
    }
  }
  ARCFLOW_ASSIGN_OR_RETURN(
      result.ignore_leading_white_space,
      options.GetBool("ignoreLeadingWhiteSpace", result.ignore_leading_white_space));
  ARCFLOW_ASSIGN_OR_RETURN(
      result.ignore_trailing_white_space,
      options.GetBool("ignoreTrailingWhiteSpace", result.ignore_trailing_white_space));
  for (std::string_view key : {"encoding", "charset"}) {
    if (auto encoding = options.Get(key)) {
      if (!ascii::EqualsIgnoreCase(*encoding, "UTF-8") &&
          !ascii::EqualsIgnoreCase(*encoding, "UTF8")) {
        return Status::NotImplemented(
            "csv: encoding '{}' is not supported; only UTF-8 output can be written", *encoding);
      }
    }
  }
  ARCFLOW_RETURN_NOT_OK(result.Validate());
  return result;
}

Status CsvWriteOptions::Validate() const {
  if (delimiter == '\0') return Status::Invalid("csv: sep must not be empty");
  if (delimiter == '\n' || delimiter == '\r') {
    return Status::Invalid("csv: sep must not be a line break");
  }
  if (quote != '\0' && quote == delimiter) {
    return Status::Invalid("csv: quote must differ from sep");
  }
  if (escape != '\0' && escape == delimiter) {
    return Status::Invalid("csv: escape must differ from sep");
  }
  if (line_separator.empty()) return Status::Invalid("csv: lineSep must not be empty");
  for (const std::string& pattern : {date_format, timestamp_format, timestamp_ntz_format}) {
    if (!pattern.empty()) {
      ARCFLOW_RETURN_NOT_OK_CTX(DateTimePattern::Compile(pattern).status(),
                                "in a CSV date or timestamp format");
    }
  }
  return Status::OK();
}

}  // namespace arcflow::csv
