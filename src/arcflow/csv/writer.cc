#include "arcflow/csv/writer.h"

#include <charconv>
#include <optional>
#include <vector>

#include "arcflow/columnar/value_format.h"
#include "arcflow/columnar/value_parse.h"

namespace arcflow::csv {
namespace {

// Output is handed to the file once this much is buffered.
constexpr size_t kFlushBytes = 1 << 20;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool IsWhiteSpace(char c) { return static_cast<unsigned char>(c) <= 0x20; }

class CsvFileWriter final : public CsvWriter {
 public:
  CsvFileWriter(std::unique_ptr<io::WritableFile> file, SchemaPtr schema, CsvWriteOptions options)
      : path_(file->path()),
        file_(std::move(file)),
        schema_(std::move(schema)),
        options_(std::move(options)) {}

  Status Init();
  Status Write(const RecordBatch& batch) override;
  Status Close() override;
  Result<std::unique_ptr<io::WritableFile>> Finish() override;

 private:
  Status WriteHeaderIfNeeded();
  Status Flush();
  bool NeedsQuotes(std::string_view text) const;
  // Appends one field (not null) to out_.
  void AppendField(std::string_view text);
  // Formats a non-null, non-string value into text_.
  void FormatValue(const Array& array, int column, int64_t row);

  std::string path_;
  std::unique_ptr<io::WritableFile> file_;
  SchemaPtr schema_;
  CsvWriteOptions options_;
  std::string empty_text_;    // What an empty string is written as.
  char quote_escape_ = '\0';  // Written before a quote inside quotes.
  char escape_escape_ = '\0';
  std::vector<std::optional<DateTimePattern>> patterns_;  // Per column, for dates and times.
  std::string out_;
  std::string text_;
  bool header_written_ = false;
  bool flushed_any_ = false;  // Some output has been handed to the file.
  bool finished_ = false;
};

Status CsvFileWriter::Init() {
  ARCFLOW_RETURN_NOT_OK(options_.Validate());
  for (const Field& field : schema_->fields()) {
    if (field.type->is_nested()) {
      return Status::Invalid("csv: CSV data source does not support {} data type (column '{}')",
                             field.type->ToString(), field.name);
    }
    const std::string* format = nullptr;
    if (field.type->id() == TypeId::kDate32) {
      format = &options_.date_format;
    } else if (field.type->id() == TypeId::kTimestamp) {
      format =
          field.type->utc_adjusted() ? &options_.timestamp_format : &options_.timestamp_ntz_format;
    }
    std::optional<DateTimePattern> pattern;
    if (format != nullptr && !format->empty()) {
      ARCFLOW_ASSIGN_OR_RETURN(pattern, DateTimePattern::Compile(*format));
    }
    patterns_.push_back(std::move(pattern));
  }
  if (options_.empty_value) {
    empty_text_ = *options_.empty_value;
  } else if (options_.quote != '\0') {
    empty_text_ = std::string(2, options_.quote);
  } else {
    empty_text_ = options_.null_value;
  }
  bool spark_style = options_.escape != '\0' && options_.escape != options_.quote;
  quote_escape_ = spark_style ? options_.escape : options_.quote;
  escape_escape_ =
      spark_style ? options_.char_to_escape_quote_escaping.value_or(options_.escape) : '\0';
  return Status::OK();
}

bool CsvFileWriter::NeedsQuotes(std::string_view text) const {
  if (options_.quote_all) return true;
  if (IsWhiteSpace(text.front()) || IsWhiteSpace(text.back())) return true;
  // A value that starts with the quote would be read as quoted even without escapeQuotes.
  if (text.front() == options_.quote) return true;
  char line_char = options_.line_separator[0];
  for (char c : text) {
    if (c == options_.delimiter || c == '\n' || c == '\r' || c == line_char ||
        (options_.escape_quotes && c == options_.quote)) {
      return true;
    }
  }
  return false;
}

void CsvFileWriter::AppendField(std::string_view text) {
  if (options_.ignore_leading_white_space) {
    while (!text.empty() && IsWhiteSpace(text.front())) text.remove_prefix(1);
  }
  if (options_.ignore_trailing_white_space) {
    while (!text.empty() && IsWhiteSpace(text.back())) text.remove_suffix(1);
  }
  if (text.empty()) {
    out_.append(empty_text_);
    return;
  }
  // A value at the very start of the file that begins with U+FEFF would be taken for a byte
  // order mark and dropped by readers; quotes keep it.
  bool at_file_start = out_.empty() && !flushed_any_;
  if (options_.quote == '\0' ||
      (!NeedsQuotes(text) && !(at_file_start && text.starts_with(kByteOrderMark)))) {
    out_.append(text);
    return;
  }
  const char quote = options_.quote;
  const char escape = options_.escape;
  out_.push_back(quote);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool after_escape_escape = escape_escape_ != escape && escape_escape_ != '\0' && i > 0 &&
                               text[i - 1] == escape_escape_;
    if (c == quote) {
      // After a literal escape_escape_, an escape would be read as escaped itself; a doubled
      // quote, which the reader always accepts, is not.
      out_.push_back(after_escape_escape ? quote : quote_escape_);
    } else if (escape_escape_ != '\0' && c == escape) {
      // Escape an escape character the reader would otherwise take as escaping what follows:
      // the quote after it (the closing one at the end), another escape when escape_escape_
      // is the escape itself, or when it follows a literal escape_escape_.
      bool at_end = i + 1 == text.size();
      char next = at_end ? '\0' : text[i + 1];
      if (at_end || next == quote || (next == escape && escape_escape_ == escape) ||
          after_escape_escape) {
        out_.push_back(escape_escape_);
      }
    }
    out_.push_back(c);
  }
  out_.push_back(quote);
}

void CsvFileWriter::FormatValue(const Array& array, int column, int64_t row) {
  text_.clear();
  char digits[64];
  auto append_integer = [&](int64_t value) {
    auto [end, error] = std::to_chars(digits, digits + sizeof(digits), value);
    text_.append(digits, end);
  };
  switch (array.type_id()) {
    case TypeId::kBoolean:
      text_.append(static_cast<const BooleanArray&>(array).Value(row) ? "true" : "false");
      break;
    case TypeId::kInt8:
      append_integer(static_cast<const Int8Array&>(array).Value(row));
      break;
    case TypeId::kInt16:
      append_integer(static_cast<const Int16Array&>(array).Value(row));
      break;
    case TypeId::kInt32:
      append_integer(static_cast<const Int32Array&>(array).Value(row));
      break;
    case TypeId::kInt64:
      append_integer(static_cast<const Int64Array&>(array).Value(row));
      break;
    case TypeId::kFloat32:
      AppendFloat(static_cast<const Float32Array&>(array).Value(row), &text_);
      break;
    case TypeId::kFloat64:
      AppendDouble(static_cast<const Float64Array&>(array).Value(row), &text_);
      break;
    case TypeId::kDecimal128:
      AppendDecimal(static_cast<const Decimal128Array&>(array).Value(row), array.type()->scale(),
                    &text_);
      break;
    case TypeId::kDate32: {
      int32_t days = static_cast<const Date32Array&>(array).Value(row);
      const auto& pattern = patterns_[static_cast<size_t>(column)];
      if (pattern) {
        text_ = pattern->FormatDate(days);
      } else {
        AppendDate(days, &text_);
      }
      break;
    }
    case TypeId::kTimestamp: {
      int64_t micros = static_cast<const TimestampArray&>(array).Value(row);
      bool utc = array.type()->utc_adjusted();
      const auto& pattern = patterns_[static_cast<size_t>(column)];
      if (pattern) {
        text_ = pattern->FormatTimestamp(micros, utc);
      } else {
        AppendTimestamp(micros, utc, &text_);
      }
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      break;  // Strings are written without formatting; nested types are rejected by Init().
  }
}

Status CsvFileWriter::WriteHeaderIfNeeded() {
  if (header_written_ || !options_.header) return Status::OK();
  header_written_ = true;
  for (int i = 0; i < schema_->num_fields(); ++i) {
    if (i > 0) out_.push_back(options_.delimiter);
    AppendField(schema_->field(i).name);
  }
  out_.append(options_.line_separator);
  return Status::OK();
}

Status CsvFileWriter::Flush() {
  if (out_.empty()) return Status::OK();
  ARCFLOW_RETURN_NOT_OK(file_->Append(std::string_view(out_)));
  out_.clear();
  flushed_any_ = true;
  return Status::OK();
}

Status CsvFileWriter::Write(const RecordBatch& batch) {
  if (finished_) return Status::Invalid("csv: write after the writer was closed ({})", path_);
  if (batch.num_columns() != schema_->num_fields()) {
    return Status::Invalid("csv: batch has {} columns, the writer's schema has {}",
                           batch.num_columns(), schema_->num_fields());
  }
  for (int i = 0; i < batch.num_columns(); ++i) {
    if (!batch.column(i)->type()->Equals(*schema_->field(i).type, /*check_metadata=*/false)) {
      return Status::Invalid("csv: column '{}' of the batch has type {}, the writer expects {}",
                             schema_->field(i).name, batch.column(i)->type()->ToString(),
                             schema_->field(i).type->ToString());
    }
  }
  ARCFLOW_RETURN_NOT_OK(WriteHeaderIfNeeded());
  int columns = batch.num_columns();
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    for (int column = 0; column < columns; ++column) {
      if (column > 0) out_.push_back(options_.delimiter);
      const Array& array = *batch.column(column);
      if (array.IsNull(row)) {
        out_.append(options_.null_value);
      } else if (array.type()->is_binary_like()) {
        AppendField(static_cast<const BinaryArray&>(array).Value(row));
      } else {
        FormatValue(array, column, row);
        AppendField(text_);
      }
    }
    out_.append(options_.line_separator);
    if (out_.size() >= kFlushBytes) ARCFLOW_RETURN_NOT_OK(Flush());
  }
  return Status::OK();
}

Result<std::unique_ptr<io::WritableFile>> CsvFileWriter::Finish() {
  if (finished_) return Status::Invalid("csv: the writer was already closed");
  ARCFLOW_RETURN_NOT_OK(WriteHeaderIfNeeded());
  ARCFLOW_RETURN_NOT_OK(Flush());
  finished_ = true;
  return std::move(file_);
}

Status CsvFileWriter::Close() {
  if (finished_) return Status::OK();
  ARCFLOW_ASSIGN_OR_RETURN(std::unique_ptr<io::WritableFile> file, Finish());
  return file->Close();
}

}  // namespace

Result<std::unique_ptr<CsvWriter>> CsvWriter::Open(std::unique_ptr<io::WritableFile> file,
                                                   SchemaPtr schema, CsvWriteOptions options) {
  auto writer =
      std::make_unique<CsvFileWriter>(std::move(file), std::move(schema), std::move(options));
  ARCFLOW_RETURN_NOT_OK(writer->Init());
  return std::unique_ptr<CsvWriter>(std::move(writer));
}

Result<std::unique_ptr<RecordBatchWriter>> OpenCsvWriter(std::unique_ptr<io::WritableFile> file,
                                                         SchemaPtr schema,
                                                         CsvWriteOptions options) {
  ARCFLOW_ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> writer,
                           CsvWriter::Open(std::move(file), std::move(schema), std::move(options)));
  return std::unique_ptr<RecordBatchWriter>(std::move(writer));
}

}  // namespace arcflow::csv
