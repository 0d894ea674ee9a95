#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/csv/byte_set.h"

namespace arcflow::csv {

// Which byte sequences end a record.
enum class LineSeparator : uint8_t {
  kAny,   // "\n", "\r\n" or "\r" (Spark's default for reading).
  kChar,  // Exactly one given byte (Spark's lineSep of one character).
  kCrLf,  // Exactly "\r\n"; a lone '\r' or '\n' is data.
};

// The syntax of a CSV input, as Spark's CSV options describe it. A '\0' character means the
// feature is off.
struct TokenizerOptions {
  char delimiter = ',';
  char quote = '"';
  // Inside a quoted field, escape + quote stands for a quote. A doubled quote ("") does too,
  // whatever the escape character is.
  char escape = '\\';
  // Spark's charToEscapeQuoteEscaping: inside a quoted field, this + escape stands for a
  // literal escape character (so a value may end with the escape character).
  char escape_escape = '\\';
  // A record that starts with this character is skipped up to the end of its line.
  char comment = '\0';
  LineSeparator line_separator = LineSeparator::kAny;
  char line_separator_char = '\n';  // For LineSeparator::kChar.
  // When true a quoted field may contain line separators; when false a line separator always
  // ends the record and a quoted field still open there makes the record malformed.
  bool multi_line = false;
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;
  // Limits that make a record malformed when exceeded; -1 is unlimited for max_chars.
  int64_t max_columns = 20480;
  int64_t max_chars_per_column = -1;
};

// One field of a record. `text` is the field's value with quotes and escapes removed; it views
// either the tokenizer's input or its scratch buffer and lives until the next Next() call.
struct CsvField {
  std::string_view text;
  bool quoted = false;  // The field was enclosed in quotes ("" is quoted and empty).
};

// What made a record malformed while it was split into fields.
enum class RecordProblem : uint8_t {
  kNone,
  kUnclosedQuote,   // A quoted field runs into the end of the line (or file).
  kTooManyColumns,  // More than max_columns fields; the extra fields are not kept.
  kFieldTooLong,    // A field has more than max_chars_per_column characters.
};

// A record split into fields. Views live until the tokenizer (or the record reader that owns
// it) is called again.
struct ParsedRecord {
  std::vector<CsvField> fields;
  std::string_view raw;  // The record's text, without its line separator.
  RecordProblem problem = RecordProblem::kNone;
  int64_t problem_field = -1;  // Index of the field the problem was found in.
  int64_t consumed = 0;        // Bytes of input taken, line separator included.
  int64_t line_breaks = 0;     // Line breaks within those bytes.
  // Filled in by CsvRecordReader: the 1-based line and the byte offset in the file where the
  // record starts.
  int64_t line = 0;
  int64_t byte_offset = 0;
};

enum class TokenizeResult : uint8_t {
  kRecord,        // A record was parsed.
  kSkippedLine,   // A blank or comment line was consumed; no record.
  kNeedMoreData,  // The input ends inside the record; call again with more input.
  kEndOfInput,    // The input is empty and complete.
};

// Splits CSV text into records and fields without copying: field texts point into the input
// unless quotes or escapes had to be removed, in which case they point into a scratch buffer
// that is reused from record to record. Not thread-safe; one tokenizer per input stream.
class CsvTokenizer {
 public:
  explicit CsvTokenizer(const TokenizerOptions& options);

  // Parses the record that starts at input[0]. `at_end_of_input` says no bytes follow
  // `input`; without it a record that reaches the end of `input` is not complete
  // (kNeedMoreData), and the caller must call again with the same start and more bytes.
  TokenizeResult Next(std::string_view input, bool at_end_of_input, ParsedRecord* record);

  const TokenizerOptions& options() const { return options_; }

 private:
  // Whether a line separator starts at `p`, and how long it is.
  enum class Separator : uint8_t { kNo, kYes, kNeedMoreData };
  Separator SeparatorAt(const char* p, const char* end, bool at_end, int* length) const;
  // Line breaks in [begin, end), counted as the line separator setting defines them.
  int64_t CountLineBreaks(const char* begin, const char* end) const;
  bool IsWhiteSpace(char c) const;
  // Records a finished field. `data` is its text when it lies in the input; when
  // `scratch_begin` is not npos the text is scratch_[scratch_begin, end).
  void AddField(const char* data, size_t size, size_t scratch_begin, bool quoted,
                ParsedRecord* record);

  TokenizerOptions options_;
  ByteSet unquoted_stops_;  // Delimiter and line separator bytes.
  ByteSet quoted_stops_;    // Quote, escapes, and line separator bytes unless multi_line.
  ByteSet line_stops_;      // Line separator bytes.
  std::string scratch_;
  // Fields whose text lives in scratch_, as (field index, scratch offset, size); resolved to
  // views when the record is complete, because scratch_ may move while it grows.
  struct ScratchField {
    size_t index;
    size_t offset;
    size_t size;
  };
  std::vector<ScratchField> scratch_fields_;
};

}  // namespace arcflow::csv
