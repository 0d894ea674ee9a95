#pragma once

#include <optional>
#include <string>

#include "arcflow/base/result.h"
#include "arcflow/io/format_options.h"

namespace arcflow::csv {

// Options of the CSV writer, by Spark's option names (see FromFormatOptions). The defaults are
// Spark's, except where noted. A value type.
struct CsvWriteOptions {
  bool header = false;
  char delimiter = ',';
  char quote = '"';  // '\0': never quote (values needing quotes are written as they are).
  // Inside quotes a quote is written as escape + quote. With escape == quote this is RFC 4180
  // style (""); Spark's default is a backslash (\").
  char escape = '\\';
  // Written before an escape character that would otherwise be read as escaping the quote
  // that follows it. Unset means the escape character when it differs from the quote.
  std::optional<char> char_to_escape_quote_escaping;
  bool quote_all = false;     // Quote every non-null value.
  bool escape_quotes = true;  // Quote values that contain the quote character.
  std::string null_value;     // Written, unquoted, for null.
  // Written for an empty string; unset means two quote characters, or null_value when quoting
  // is off.
  std::optional<std::string> empty_value;
  // Spark datetime patterns; empty means "YYYY-MM-DD" and ISO-8601 with microseconds
  // (AppendDate/AppendTimestamp) rather than Spark's millisecond default, so that no precision
  // is lost.
  std::string date_format;
  std::string timestamp_format;
  std::string timestamp_ntz_format;
  std::string line_separator = "\n";
  // Spark trims values by default when writing; arcflow keeps them (false), and quotes values
  // with leading or trailing white space so that a trimming reader keeps them too.
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;

  // Reads header, sep, delimiter, quote, escape, charToEscapeQuoteEscaping, quoteAll,
  // escapeQuotes, nullValue, emptyValue, dateFormat, timestampFormat, timestampNTZFormat,
  // lineSep, ignoreLeadingWhiteSpace, ignoreTrailingWhiteSpace and encoding/charset (UTF-8
  // only), ignoring case. The result is validated.
  static Result<CsvWriteOptions> FromFormatOptions(const io::FormatOptions& options);

  Status Validate() const;
};

}  // namespace arcflow::csv
