#include "arcflow/csv/read_options.h"

#include <charconv>

#include "arcflow/base/ascii.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::csv {
namespace {

bool IsLineSeparatorByte(const TokenizerOptions& options, char c) {
  switch (options.line_separator) {
    case LineSeparator::kAny:
      return c == '\n' || c == '\r';
    case LineSeparator::kChar:
      return c == options.line_separator_char;
    case LineSeparator::kCrLf:
      return c == '\r';
  }
  return false;
}

// Printable form of a one-character option for messages.
std::string ShowChar(char c) {
  switch (c) {
    case '\0':
      return "(none)";
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    default:
      return fmt::format("'{}'", c);
  }
}

}  // namespace

Status CheckCsvColumnType(const Field& field) {
  if (field.type->is_nested()) {
    return Status::Invalid("csv: CSV data source does not support {} data type (column '{}')",
                           field.type->ToString(), field.name);
  }
  return Status::OK();
}

Result<CsvReadOptions> CsvReadOptions::FromFormatOptions(const io::FormatOptions& options) {
  CsvReadOptions result;
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
  ARCFLOW_ASSIGN_OR_RETURN(result.comment, options.GetChar("comment", result.comment));
  if (auto line_separator = options.Get("lineSep")) {
    if (*line_separator == "\\n") {
      result.line_separator = "\n";
    } else if (*line_separator == "\\r") {
      result.line_separator = "\r";
    } else if (*line_separator == "\\r\\n") {
      result.line_separator = "\r\n";
    } else {
      result.line_separator = *line_separator;
    }
    if (result.line_separator.empty()) {
      return Status::Invalid("csv: lineSep must not be empty");
    }
  }
  ARCFLOW_ASSIGN_OR_RETURN(result.multi_line, options.GetBool("multiLine", result.multi_line));
  ARCFLOW_ASSIGN_OR_RETURN(
      result.ignore_leading_white_space,
      options.GetBool("ignoreLeadingWhiteSpace", result.ignore_leading_white_space));
  ARCFLOW_ASSIGN_OR_RETURN(
      result.ignore_trailing_white_space,
      options.GetBool("ignoreTrailingWhiteSpace", result.ignore_trailing_white_space));
  result.null_value = options.GetString("nullValue", result.null_value);
  result.empty_value = options.GetString("emptyValue", result.empty_value);
  result.nan_value = options.GetString("nanValue", result.nan_value);
  result.positive_inf = options.GetString("positiveInf", result.positive_inf);
  result.negative_inf = options.GetString("negativeInf", result.negative_inf);
  result.date_format = options.GetString("dateFormat", result.date_format);
  result.timestamp_format = options.GetString("timestampFormat", result.timestamp_format);
  result.timestamp_ntz_format =
      options.GetString("timestampNTZFormat", result.timestamp_ntz_format);
  ARCFLOW_ASSIGN_OR_RETURN(result.max_columns, options.GetInt("maxColumns", result.max_columns));
  ARCFLOW_ASSIGN_OR_RETURN(result.max_chars_per_column,
                           options.GetInt("maxCharsPerColumn", result.max_chars_per_column));
  if (auto mode = options.Get("mode")) {
    ARCFLOW_ASSIGN_OR_RETURN(result.mode, io::ParseModeFromName(*mode, "csv"));
  }
  result.column_name_of_corrupt_record =
      options.GetString("columnNameOfCorruptRecord", result.column_name_of_corrupt_record);
  ARCFLOW_ASSIGN_OR_RETURN(result.infer_schema,
                           options.GetBool("inferSchema", result.infer_schema));
  if (auto ratio = options.Get("samplingRatio")) {
    double value = 0;
    auto [end, error] = std::from_chars(ratio->data(), ratio->data() + ratio->size(), value);
    if (error != std::errc() || end != ratio->data() + ratio->size()) {
      return Status::Invalid("csv: samplingRatio must be a number, got '{}'", *ratio);
    }
    result.sampling_ratio = value;
  }
  ARCFLOW_ASSIGN_OR_RETURN(result.enforce_schema,
                           options.GetBool("enforceSchema", result.enforce_schema));
  for (std::string_view key : {"encoding", "charset"}) {
    if (auto encoding = options.Get(key)) {
      if (!ascii::EqualsIgnoreCase(*encoding, "UTF-8") &&
          !ascii::EqualsIgnoreCase(*encoding, "UTF8")) {
        return Status::NotImplemented(
            "csv: encoding '{}' is not supported; only UTF-8 input can be read", *encoding);
      }
    }
  }
  if (auto zone = options.Get("timeZone")) {
    bool is_utc = false;
    for (std::string_view utc : {"UTC", "GMT", "Z", "Etc/UTC", "+00:00", "-00:00", "+0"}) {
      is_utc = is_utc || ascii::EqualsIgnoreCase(*zone, utc);
    }
    if (!is_utc) {
      return Status::NotImplemented(
          "csv: timeZone '{}' is not supported; timestamps without a zone are read as UTC", *zone);
    }
  }
  ARCFLOW_RETURN_NOT_OK(result.Validate());
  return result;
}

Status CsvReadOptions::Validate() const {
  if (line_separator.size() > 1 && line_separator != "\r\n") {
    return Status::Invalid("csv: lineSep must be one character or \"\\r\\n\", got '{}'",
                           line_separator);
  }
  TokenizerOptions tokenizer = ToTokenizerOptions();
  if (delimiter == '\0') return Status::Invalid("csv: sep must not be empty");
  if (IsLineSeparatorByte(tokenizer, delimiter)) {
    return Status::Invalid("csv: sep {} is a line separator", ShowChar(delimiter));
  }
  if (quote != '\0' && (quote == delimiter || IsLineSeparatorByte(tokenizer, quote))) {
    return Status::Invalid("csv: quote {} must differ from sep and lineSep", ShowChar(quote));
  }
  for (char c : {escape, tokenizer.escape_escape}) {
    if (c != '\0' && (c == delimiter || IsLineSeparatorByte(tokenizer, c))) {
      return Status::Invalid("csv: escape characters must differ from sep and lineSep, got {}",
                             ShowChar(c));
    }
  }
  if (comment != '\0' && IsLineSeparatorByte(tokenizer, comment)) {
    return Status::Invalid("csv: comment {} is a line separator", ShowChar(comment));
  }
  if (max_columns < 1)
    return Status::Invalid("csv: maxColumns must be positive, got {}", max_columns);
  if (max_chars_per_column < -1 || max_chars_per_column == 0) {
    return Status::Invalid("csv: maxCharsPerColumn must be positive or -1, got {}",
                           max_chars_per_column);
  }
  if (!(sampling_ratio > 0 && sampling_ratio <= 1)) {
    return Status::Invalid("csv: samplingRatio must be in (0, 1], got {}", sampling_ratio);
  }
  if (batch_rows < 1 || batch_bytes < 1 || chunk_bytes < 1 || max_record_bytes < 1) {
    return Status::Invalid(
        "csv: batch_rows, batch_bytes, chunk_bytes and max_record_bytes must be positive");
  }
  for (const std::string& pattern : {date_format, timestamp_format, timestamp_ntz_format}) {
    if (!pattern.empty()) {
      ARCFLOW_RETURN_NOT_OK_CTX(DateTimePattern::Compile(pattern).status(),
                                "in a CSV date or timestamp format");
    }
  }
  if (schema) {
    for (const Field& field : schema->fields()) {
      ARCFLOW_RETURN_NOT_OK(CheckCsvColumnType(field));
      if (field.name == column_name_of_corrupt_record && field.type->id() != TypeId::kString) {
        return Status::Invalid("csv: the corrupt record column '{}' must be of type STRING, got {}",
                               field.name, field.type->ToString());
      }
    }
  }
  return Status::OK();
}

TokenizerOptions CsvReadOptions::ToTokenizerOptions() const {
  TokenizerOptions tokenizer;
  tokenizer.delimiter = delimiter;
  tokenizer.quote = quote;
  tokenizer.escape = escape;
  tokenizer.escape_escape = char_to_escape_quote_escaping.value_or(escape != quote ? escape : '\0');
  tokenizer.comment = comment;
  if (line_separator.empty()) {
    tokenizer.line_separator = LineSeparator::kAny;
  } else if (line_separator == "\r\n") {
    tokenizer.line_separator = LineSeparator::kCrLf;
  } else {
    tokenizer.line_separator = LineSeparator::kChar;
    tokenizer.line_separator_char = line_separator[0];
  }
  tokenizer.multi_line = multi_line;
  tokenizer.ignore_leading_white_space = ignore_leading_white_space;
  tokenizer.ignore_trailing_white_space = ignore_trailing_white_space;
  tokenizer.max_columns = max_columns;
  tokenizer.max_chars_per_column = max_chars_per_column;
  return tokenizer;
}

}  // namespace arcflow::csv
