#include "arcflow/csv/reader.h"

#include <algorithm>
#include <vector>

#include "arcflow/base/ascii.h"
#include "arcflow/base/utf8.h"
#include "arcflow/csv/column_names.h"
#include "arcflow/csv/record_reader.h"
#include "arcflow/csv/schema_inference.h"
#include "arcflow/csv/value_converter.h"

namespace arcflow::csv {
namespace {

// Values quoted in messages are cut to this many bytes.
constexpr size_t kMaxShownBytes = 64;

// Builders hold about this many bytes per fixed-width value; used for the batch size estimate.
constexpr int64_t kBytesPerValueEstimate = 16;

// Rows reserved up front in the builders of each batch, sparing most regrowth copies.
constexpr int64_t kReservedRows = 16 * 1024;

std::string ShowValue(std::string_view value) {
  std::string scratch;
  value = utf8::Repair(value, &scratch);
  if (value.size() <= kMaxShownBytes) return std::string(value);
  size_t cut = kMaxShownBytes;
  // Do not split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return std::string(value.substr(0, cut)) + "...";
}

std::string_view Article(std::string_view word) {
  char first = word.empty() ? 'X' : word.front();
  return first == 'A' || first == 'E' || first == 'I' || first == 'O' || first == 'U' ? "an" : "a";
}

SchemaPtr MakeNullable(const Schema& schema) {
  std::vector<Field> fields = schema.fields();
  for (Field& field : fields) field.nullable = true;
  return std::make_shared<const Schema>(std::move(fields), schema.metadata());
}

SchemaPtr AllStringSchema(const std::vector<std::string>& names) {
  std::vector<Field> fields;
  fields.reserve(names.size());
  for (const std::string& name : names) fields.emplace_back(name, types::String());
  return std::make_shared<const Schema>(std::move(fields));
}

class CsvFileReader final : public CsvReader {
 public:
  CsvFileReader(std::string path, CsvReadOptions options, std::unique_ptr<CsvRecordReader> records)
      : path_(std::move(path)), options_(std::move(options)), records_(std::move(records)) {}

  // Reads the header or first record as needed and prepares the converters for `schema`
  // (null when the columns come from the file).
  Status Init(SchemaPtr schema);

  const SchemaPtr& schema() const override { return schema_; }
  const CsvReadStats& stats() const override { return stats_; }
  Result<RecordBatchPtr> Next() override;

 private:
  Status CheckHeader(const Schema& schema, const ParsedRecord& header) const;
  Status ProcessRecord(const ParsedRecord& record);
  std::string DescribeProblem(const ParsedRecord& record, int failed_column) const;

  std::string path_;
  CsvReadOptions options_;  // The converters point at its strings.
  std::unique_ptr<CsvRecordReader> records_;
  SchemaPtr schema_;
  std::vector<ColumnConverter> converters_;  // One per input field position.
  std::vector<int> data_columns_;            // Schema column of each input field position.
  std::vector<StagedValue> staged_;
  std::unique_ptr<RecordBatchBuilder> builder_;
  std::vector<ArrayBuilder*> data_builders_;
  ArrayBuilder* corrupt_builder_ = nullptr;
  std::string repaired_raw_;  // The raw record as valid UTF-8, when it was not.
  ParsedRecord record_;
  bool has_pending_record_ = false;  // record_ holds the first data record, read by Init().
  bool done_ = false;
  CsvReadStats stats_;
};

Status CsvFileReader::CheckHeader(const Schema& schema, const ParsedRecord& header) const {
  std::vector<const Field*> data_fields;
  for (const Field& field : schema.fields()) {
    bool is_corrupt_column =
        field.name == options_.column_name_of_corrupt_record && field.type->id() == TypeId::kString;
    if (!is_corrupt_column) data_fields.push_back(&field);
  }
  if (header.fields.size() != data_fields.size()) {
    return Status::Invalid(
        "csv: header of {} has {} columns but the schema has {} (enforceSchema=false)", path_,
        header.fields.size(), data_fields.size());
  }
  for (size_t i = 0; i < data_fields.size(); ++i) {
    std::string_view found = header.fields[i].text;
    const std::string& expected = data_fields[i]->name;
    if (!ascii::EqualsIgnoreCase(found, expected)) {
      return Status::Invalid(
          "csv: header of {} does not match the schema: column {} is '{}' in the header but "
          "'{}' in the schema (enforceSchema=false)",
          path_, i + 1, ShowValue(found), expected);
    }
  }
  return Status::OK();
}

Status CsvFileReader::Init(SchemaPtr schema) {
  if (options_.header || !schema) {
    ARCFLOW_ASSIGN_OR_RETURN(bool has_record, records_->Next(&record_));
    if (has_record && options_.header) {
      if (!schema) {
        schema = AllStringSchema(MakeHeaderColumnNames(record_.fields, options_.null_value));
      } else if (!options_.enforce_schema && options_.schema) {
        // Only a schema the user gave can disagree with the header; an inferred one was named
        // from it.
        ARCFLOW_RETURN_NOT_OK(CheckHeader(*schema, record_));
      }
    } else if (has_record) {
      // Without a header or a schema, the first record tells how many columns there are.
      schema = AllStringSchema(MakeDefaultColumnNames(record_.fields.size()));
      has_pending_record_ = true;
    } else if (!schema) {
      schema = std::make_shared<const Schema>(std::vector<Field>{});
    }
  }
  schema_ = MakeNullable(*schema);
  builder_ = std::make_unique<RecordBatchBuilder>(schema_);
  for (int i = 0; i < schema_->num_fields(); ++i) {
    const Field& field = schema_->field(i);
    ARCFLOW_RETURN_NOT_OK(CheckCsvColumnType(field));
    if (corrupt_builder_ == nullptr && field.name == options_.column_name_of_corrupt_record &&
        field.type->id() == TypeId::kString) {
      corrupt_builder_ = builder_->column_builder(i);
      continue;
    }
    ARCFLOW_ASSIGN_OR_RETURN(ColumnConverter converter,
                             ColumnConverter::Make(field.type, &options_));
    converters_.push_back(std::move(converter));
    data_columns_.push_back(i);
    data_builders_.push_back(builder_->column_builder(i));
  }
  staged_.resize(converters_.size());
  return Status::OK();
}

std::string CsvFileReader::DescribeProblem(const ParsedRecord& record, int failed_column) const {
  auto column_name = [&](int64_t index) -> std::string {
    if (index >= 0 && index < static_cast<int64_t>(data_columns_.size())) {
      return fmt::format("column '{}'",
                         schema_->field(data_columns_[static_cast<size_t>(index)]).name);
    }
    return fmt::format("field {}", index + 1);
  };
  switch (record.problem) {
    case RecordProblem::kUnclosedQuote:
      return options_.multi_line
                 ? fmt::format("quoted value of {} is not closed before the end of the file",
                               column_name(record.problem_field))
                 : fmt::format(
                       "quoted value of {} is not closed before the end of the line (values "
                       "spanning lines need multiLine=true)",
                       column_name(record.problem_field));
    case RecordProblem::kTooManyColumns:
      return fmt::format("record has more than {} fields (maxColumns)", options_.max_columns);
    case RecordProblem::kFieldTooLong:
      return fmt::format("value of {} is longer than {} characters (maxCharsPerColumn)",
                         column_name(record.problem_field), options_.max_chars_per_column);
    case RecordProblem::kNone:
      break;
  }
  if (failed_column >= 0) {
    std::string type_name = SqlTypeName(*converters_[static_cast<size_t>(failed_column)].type());
    return fmt::format("value '{}' is not {} {} for {}",
                       ShowValue(record.fields[static_cast<size_t>(failed_column)].text),
                       Article(type_name), type_name, column_name(failed_column));
  }
  return fmt::format("record has {} fields, expected {}", record.fields.size(), converters_.size());
}

Status CsvFileReader::ProcessRecord(const ParsedRecord& record) {
  size_t columns = converters_.size();
  bool malformed = record.problem != RecordProblem::kNone || record.fields.size() != columns;
  int failed_column = -1;
  for (size_t i = 0; i < columns; ++i) {
    const CsvField* field = i < record.fields.size() ? &record.fields[i] : nullptr;
    if (!converters_[i].Parse(field, &staged_[i])) {
      malformed = true;
      if (failed_column < 0) failed_column = static_cast<int>(i);
      if (options_.mode == io::ParseMode::kFailFast) break;
    }
  }
  if (malformed) {
    std::string reason = DescribeProblem(record, failed_column);
    if (options_.mode == io::ParseMode::kFailFast) {
      return Status::Invalid("csv: malformed record at {} line {} (byte {}): {}", path_,
                             record.line, record.byte_offset, reason);
    }
    if (options_.on_rejected) {
      options_.on_rejected(io::RejectedRecord{path_, record.line, record.byte_offset,
                                              std::string(record.raw), std::move(reason)});
    }
    if (options_.mode == io::ParseMode::kDropMalformed) {
      ++stats_.dropped;
      return Status::OK();
    }
    ++stats_.corrupt;
  }
  for (size_t i = 0; i < columns; ++i) converters_[i].Append(staged_[i], data_builders_[i]);
  if (corrupt_builder_ != nullptr) {
    if (malformed) {
      static_cast<BinaryBuilder*>(corrupt_builder_)
          ->Append(utf8::Repair(record.raw, &repaired_raw_));
    } else {
      corrupt_builder_->AppendNull();
    }
  }
  if (schema_->num_fields() == 0) builder_->AddEmptyRow();
  ++stats_.rows;
  return Status::OK();
}

Result<RecordBatchPtr> CsvFileReader::Next() {
  int64_t batch_bytes = 0;
  int64_t row_bytes = kBytesPerValueEstimate * static_cast<int64_t>(converters_.size());
  if (!done_ && builder_->num_rows() == 0) {
    int64_t reserved = std::min(options_.batch_rows, kReservedRows);
    for (ArrayBuilder* builder : data_builders_) builder->Reserve(reserved);
  }
  while (!done_ && builder_->num_rows() < options_.batch_rows &&
         batch_bytes < options_.batch_bytes) {
    if (has_pending_record_) {
      has_pending_record_ = false;
    } else {
      Result<bool> has_record = records_->Next(&record_);
      if (!has_record.ok()) {
        done_ = true;
        return has_record.status();
      }
      if (!*has_record) {
        done_ = true;
        break;
      }
    }
    int64_t rows_before = builder_->num_rows();
    Status status = ProcessRecord(record_);
    if (!status.ok()) {
      done_ = true;
      return status;
    }
    if (builder_->num_rows() > rows_before) {
      batch_bytes +=
          static_cast<int64_t>(record_.raw.size()) * (corrupt_builder_ ? 2 : 1) + row_bytes;
    }
  }
  if (builder_->num_rows() == 0) return RecordBatchPtr();
  return builder_->Finish();
}

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(std::shared_ptr<io::FileSystem> fs,
                                                   std::string path, CsvReadOptions options) {
  ARCFLOW_RETURN_NOT_OK(options.Validate());
  SchemaPtr schema = options.schema;
  if (!schema && options.infer_schema) {
    ARCFLOW_ASSIGN_OR_RETURN(schema, InferCsvSchema(*fs, {path}, options));
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::unique_ptr<io::SequentialFile> file, fs->OpenSequential(path));
  auto records = std::make_unique<CsvRecordReader>(std::move(file), options.ToTokenizerOptions(),
                                                   options.chunk_bytes, options.max_record_bytes);
  auto reader = std::make_unique<CsvFileReader>(path, std::move(options), std::move(records));
  ARCFLOW_RETURN_NOT_OK(reader->Init(std::move(schema)));
  return std::unique_ptr<CsvReader>(std::move(reader));
}

Result<std::unique_ptr<RecordBatchReader>> OpenCsvReader(std::shared_ptr<io::FileSystem> fs,
                                                         std::string path, CsvReadOptions options) {
  ARCFLOW_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader,
                           CsvReader::Open(std::move(fs), std::move(path), std::move(options)));
  return std::unique_ptr<RecordBatchReader>(std::move(reader));
}

}  // namespace arcflow::csv
