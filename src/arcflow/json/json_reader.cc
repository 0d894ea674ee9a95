#include "arcflow/json/json_reader.h"

#include <deque>

#include "arcflow/base/utf8.h"
#include "arcflow/columnar/schema_ddl.h"
#include "arcflow/json/json_record_scanner.h"
#include "arcflow/json/json_row_decoder.h"
#include "arcflow/json/rollback_builder.h"

namespace arcflow::json {

namespace {

// How often (in rows) a sink re-measures the batch it is building.
constexpr int64_t kRowsPerSizeCheck = 256;

// Turns records into rows and applies the corrupt-record mode.
class RowSink final : public JsonRecordSink {
 public:
  RowSink(JsonRowDecoder* decoder, RollbackBuilder* corrupt_column, const JsonReadOptions& options,
          const std::string& path, JsonReadStats* stats)
      : decoder_(decoder),
        corrupt_column_(corrupt_column),
        options_(options),
        path_(path),
        stats_(stats) {}

  DecodeOutcome Decode(simdjson::ondemand::document_reference document) override {
    mark_ = decoder_->num_rows();
    if (decoder_->DecodeRecord(document)) {
      pending_ = DecodeOutcome::kDecoded;
    } else {
      pending_ =
          decoder_->iterator_broken() ? DecodeOutcome::kParserBroken : DecodeOutcome::kRejected;
      decoder_->Truncate(mark_);
    }
    return pending_;
  }

  bool DecodesLines() const override { return true; }

  size_t DecodeLine(std::string_view input) override {
    mark_ = decoder_->num_rows();
    size_t length = decoder_->DecodeLine(input);
    if (length == 0) {
      decoder_->Truncate(mark_);
      return 0;
    }
    pending_ = DecodeOutcome::kDecoded;
    return length;
  }

  void Retract() override {
    if (pending_ == DecodeOutcome::kDecoded) decoder_->Truncate(mark_);
  }

  Status Settle(std::string_view text, const RecordLocation& location) override {
    ++stats_->records;
    text_bytes_ += static_cast<int64_t>(text.size());
    if (pending_ != DecodeOutcome::kDecoded) return Reject(text, location, decoder_->error());
    int64_t added = decoder_->num_rows() - mark_;
    if (corrupt_column_ != nullptr) {
      for (int64_t i = 0; i < added; ++i) corrupt_column_->AppendNull();
    }
    stats_->rows += added;
    return Status::OK();
  }

  Status OnMalformed(std::string_view text, const RecordLocation& location,
                     std::string_view reason) override {
    ++stats_->records;
    text_bytes_ += static_cast<int64_t>(text.size());
    return Reject(text, location, reason);
  }

  bool Full() const override {
    int64_t rows = decoder_->num_rows();
    if (rows >= options_.batch_rows) return true;
    if (rows - rows_at_check_ >= kRowsPerSizeCheck ||
        text_bytes_ - text_bytes_at_check_ >= options_.batch_bytes / 16) {
      rows_at_check_ = rows;
      text_bytes_at_check_ = text_bytes_;
      size_full_ = EstimatedBytes() >= options_.batch_bytes;
    }
    return size_full_;
  }

  int64_t EstimatedBytes() const {
    int64_t bytes = decoder_->EstimatedBytes();
    if (corrupt_column_ != nullptr) bytes += corrupt_column_->EstimatedBytes();
    return bytes;
  }

  // Called when the rows built so far have been handed over.
  void ResetBatch() {
    rows_at_check_ = 0;
    size_full_ = false;
  }

 private:
  Status Reject(std::string_view text, const RecordLocation& location, std::string_view reason) {
    ++stats_->corrupt_records;
    if (options_.on_rejected) {
      options_.on_rejected(io::RejectedRecord{std::string(path_), location.line, location.offset,
                                              std::string(text), std::string(reason)});
    }
    switch (options_.mode) {
      case io::ParseMode::kFailFast:
        return Status::Invalid("json: malformed record at {} line {} (byte {}): {}", path_,
                               location.line, location.offset, reason);
      case io::ParseMode::kDropMalformed:
        ++stats_->dropped_records;
        return Status::OK();
      case io::ParseMode::kPermissive:
        decoder_->AppendNullRow();
        if (corrupt_column_ != nullptr) {
          corrupt_column_->AppendBytes(utf8::Repair(text, &scratch_));
        }
        ++stats_->rows;
        return Status::OK();
    }
    return Status::OK();
  }

  JsonRowDecoder* decoder_;
  RollbackBuilder* corrupt_column_;
  const JsonReadOptions& options_;
  const std::string& path_;
  JsonReadStats* stats_;
  // The last Decode(): its outcome and the row count before it.
  DecodeOutcome pending_ = DecodeOutcome::kDecoded;
  int64_t mark_ = 0;
  int64_t text_bytes_ = 0;
  mutable int64_t rows_at_check_ = 0;
  mutable int64_t text_bytes_at_check_ = 0;
  mutable bool size_full_ = false;
  std::string scratch_;
};

}  // namespace

class JsonReader::Impl {
 public:
  Impl(std::unique_ptr<io::SequentialFile> file, JsonReadOptions options, int64_t size_hint)
      : options_(std::move(options)),
        path_(file->path()),
        scanner_(std::move(file), options_.framing, options_.read_chunk_bytes, size_hint) {}

  Status Init() {
    if (!options_.schema) {
      return Status::Invalid(
          "json: reading {} needs a schema; infer one first with InferJsonSchema", path_);
    }
    if (options_.batch_rows < 1 || options_.batch_bytes < 1) {
      return Status::Invalid("json: batch_rows and batch_bytes must be positive (got {} and {})",
                             options_.batch_rows, options_.batch_bytes);
    }
    schema_ = MakeNullableSchema(*options_.schema);
    corrupt_index_ = schema_->GetFieldIndex(options_.column_name_of_corrupt_record);
    std::vector<Field> data_columns;
    for (int i = 0; i < schema_->num_fields(); ++i) {
      if (i != corrupt_index_) data_columns.push_back(schema_->field(i));
    }
    if (corrupt_index_ >= 0) {
      const Field& field = schema_->field(corrupt_index_);
      if (field.type->id() != TypeId::kString) {
        return Status::Invalid("json: the corrupt-record column '{}' must be STRING, not {}",
                               field.name, ToDdl(*field.type));
      }
      corrupt_column_ = std::make_unique<RollbackBuilder>(field.type);
    }
    ARCFLOW_ASSIGN_OR_RETURN(decoder_, JsonRowDecoder::Make(std::move(data_columns), options_));
    sink_ =
        std::make_unique<RowSink>(decoder_.get(), corrupt_column_.get(), options_, path_, &stats_);
    return Status::OK();
  }

  const SchemaPtr& schema() const { return schema_; }
  const JsonReadStats& stats() const { return stats_; }

  Result<RecordBatchPtr> Next() {
    if (!failure_.ok()) return failure_;
    Result<RecordBatchPtr> batch = NextBatch();
    if (!batch.ok()) failure_ = batch.status();
    return batch;
  }

 private:
  Result<RecordBatchPtr> NextBatch() {
    if (!pending_.empty()) return PopPending();
    while (!scanned_all_) {
      Result<bool> finished = scanner_.Scan(sink_.get());
      stats_.bytes_read = scanner_.bytes_read();
      ARCFLOW_RETURN_NOT_OK(finished.status());
      if (*finished) {
        scanned_all_ = true;
      } else if (sink_->Full()) {
        break;
      }
    }
    if (decoder_->num_rows() == 0) return RecordBatchPtr();
    ARCFLOW_RETURN_NOT_OK(FinishBatch());
    return PopPending();
  }

  RecordBatchPtr PopPending() {
    RecordBatchPtr batch = std::move(pending_.front());
    pending_.pop_front();
    return batch;
  }

  // Builds a batch of the rows so far and queues it in slices that respect the batch limits:
  // a document (or a long line) may hold more rows than one batch, and is never cut while it
  // is being read because a corrupt value anywhere in it voids all of it.
  Status FinishBatch() {
    const int64_t num_rows = decoder_->num_rows();
    const int64_t bytes = sink_->EstimatedBytes();
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<ArrayPtr> columns, decoder_->Finish());
    if (corrupt_column_ != nullptr) {
      ARCFLOW_ASSIGN_OR_RETURN(auto corrupt_data, corrupt_column_->Finish());
      columns.insert(columns.begin() + corrupt_index_, MakeArray(std::move(corrupt_data)));
    }
    sink_->ResetBatch();
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch,
                             RecordBatch::Make(schema_, num_rows, std::move(columns)));
    int64_t rows_per_slice = options_.batch_rows;
    if (bytes > options_.batch_bytes) {
      int64_t by_bytes = static_cast<int64_t>(static_cast<double>(num_rows) *
                                              static_cast<double>(options_.batch_bytes) /
                                              static_cast<double>(bytes));
      rows_per_slice = std::max<int64_t>(1, std::min(rows_per_slice, by_bytes));
    }
    if (num_rows <= rows_per_slice) {
      pending_.push_back(std::move(batch));
      return Status::OK();
    }
    for (int64_t offset = 0; offset < num_rows; offset += rows_per_slice) {
      pending_.push_back(batch->Slice(offset, std::min(rows_per_slice, num_rows - offset)));
    }
    return Status::OK();
  }

  JsonReadOptions options_;
  std::string path_;
  JsonRecordScanner scanner_;
  SchemaPtr schema_;
  int corrupt_index_ = -1;
  std::unique_ptr<RollbackBuilder> corrupt_column_;
  std::unique_ptr<JsonRowDecoder> decoder_;
  std::unique_ptr<RowSink> sink_;
  JsonReadStats stats_;
  std::deque<RecordBatchPtr> pending_;
  bool scanned_all_ = false;
  Status failure_;
};

Result<std::unique_ptr<JsonReader>> JsonReader::Open(std::shared_ptr<io::FileSystem> fs,
                                                     const std::string& path,
                                                     JsonReadOptions options) {
  ARCFLOW_ASSIGN_OR_RETURN(auto file, fs->OpenSequential(path));
  // The size lets a small file be read into a buffer of its size.
  Result<io::FileInfo> info = fs->GetFileInfo(path);
  return Open(std::move(file), std::move(options), info.ok() ? info->size : -1);
}

Result<std::unique_ptr<JsonReader>> JsonReader::Open(std::unique_ptr<io::SequentialFile> file,
                                                     JsonReadOptions options, int64_t size_hint) {
  auto impl = std::make_unique<Impl>(std::move(file), std::move(options), size_hint);
  ARCFLOW_RETURN_NOT_OK(impl->Init());
  return std::unique_ptr<JsonReader>(new JsonReader(std::move(impl)));
}

JsonReader::JsonReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonReader::~JsonReader() = default;

const SchemaPtr& JsonReader::schema() const { return impl_->schema(); }
Result<RecordBatchPtr> JsonReader::Next() { return impl_->Next(); }
const JsonReadStats& JsonReader::stats() const { return impl_->stats(); }

Result<std::unique_ptr<RecordBatchReader>> OpenJsonReader(std::shared_ptr<io::FileSystem> fs,
                                                          std::string path,
                                                          JsonReadOptions options) {
  ARCFLOW_ASSIGN_OR_RETURN(auto reader, JsonReader::Open(std::move(fs), path, std::move(options)));
  return std::unique_ptr<RecordBatchReader>(std::move(reader));
}

}  // namespace arcflow::json
