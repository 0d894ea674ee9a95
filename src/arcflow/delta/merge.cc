#include "arcflow/delta/merge.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "arcflow/columnar/projection.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/columnar/vector_record_batch_reader.h"
#include "arcflow/delta/change_data_feed.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/data_file_writer.h"
#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/file_stats.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/merge_key_index.h"
#include "arcflow/delta/merge_key_table.h"
#include "arcflow/delta/partition_value.h"
#include "arcflow/delta/row_filter.h"
#include "arcflow/delta/table_features.h"
#include "arcflow/delta/table_scan.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/stored_pages.h"

namespace arcflow::delta {

namespace {

// How many rows ahead key lookups prefetch their hash slot: enough to cover a cache miss with
// the work of the rows in between.
constexpr int64_t kKeyPrefetchDistance = 16;

// The key of row `row` of `batch` as "(k1=v1, k2=v2)", values in canonical JSON.
std::string KeyForDisplay(const std::vector<std::string>& key_columns,
                          const std::vector<int>& key_indices, const RecordBatch& batch,
                          int64_t row) {
  std::string text = "(";
  for (size_t k = 0; k < key_indices.size(); ++k) {
    if (k > 0) text += ", ";
    text += key_columns[k] + "=";
    AppendCanonicalJson(*batch.column(key_indices[k]), row, &text);
  }
  return text + ")";
}

// The rows of the smallest and largest value of `keys` (which has no null), or nullopt when
// some value cannot be used for data skipping (PredicateValueText).
std::optional<std::pair<int64_t, int64_t>> KeyRangeRows(const Array& keys) {
  if (keys.length() == 0) return std::nullopt;
  int64_t min = 0;
  int64_t max = 0;
  const auto scan = [&](auto value_at) {
    for (int64_t row = 1; row < keys.length(); ++row) {
      const auto value = value_at(row);
      if (value < value_at(min)) min = row;
      if (value_at(max) < value) max = row;
    }
  };
  bool usable = true;
  const bool numeric = VisitNumericValueType(keys.type_id(), [&](auto zero) {
    using T = decltype(zero);
    const T* values = static_cast<const NumericArray<T>&>(keys).raw_values();
    if constexpr (std::is_floating_point_v<T>) {
      usable = std::all_of(values, values + keys.length(), [](T v) { return std::isfinite(v); });
    }
    if (usable) scan([&](int64_t row) { return values[row]; });
  });
  if (!numeric) {
    if (!keys.type()->is_binary_like()) return std::nullopt;  // Booleans, nested values.
    const auto& strings = static_cast<const BinaryArray&>(keys);
    scan([&](int64_t row) { return strings.Value(row); });
  }
  if (!usable) return std::nullopt;
  return std::make_pair(min, max);
}

// The canonical predicate text of a non-null primitive value, or nullopt when it cannot be
// used for data skipping (NaN, infinities, booleans, nested values).
std::optional<std::string> PredicateValueText(const Array& array, int64_t row) {
  const DataType& type = *array.type();
  if (type.is_nested() || type.id() == TypeId::kBoolean) return std::nullopt;
  if (type.is_binary_like()) {
    return std::string(static_cast<const BinaryArray&>(array).Value(row));
  }
  std::string text;
  AppendCanonicalJson(array, row, &text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  if (text == "NaN" || text == "Infinity" || text == "-Infinity") return std::nullopt;
  return text;
}

// One source row kept for the merge, in 16 bytes: a source has many.
struct SourceRow {
  int64_t row = 0;
  int32_t batch = 0;
  bool delete_flag = false;  // The WHEN MATCHED ... DELETE condition holds.
  bool matched = false;
};
static_assert(sizeof(SourceRow) == 16);

// What MERGE does with a row of a target file it reads.
enum RowFate : uint8_t { kCopy, kUpdate, kDelete };

// The rows of `file` its deletion vector must hide after the merge, as positions in the file:
// those its current vector hides, and those whose fate is update or delete. `fates` has one
// entry per row a scan of the file returned, in file order (rows the current vector hides are
// not returned).
Result<std::vector<uint64_t>> RowsToHide(io::FileSystem& fs, const std::string& table_root,
                                         const AddFile& file, const std::vector<uint8_t>& fates) {
  DeletedRows hidden;
  if (file.deletion_vector) {
    ARCFLOW_ASSIGN_OR_RETURN(hidden, ReadDeletionVector(fs, table_root, *file.deletion_vector));
  }
  const std::vector<uint64_t>& hidden_rows = hidden.rows();
  std::vector<uint64_t> rows;
  size_t next_hidden = 0;
  uint64_t position = 0;
  for (const uint8_t fate : fates) {
    while (next_hidden < hidden_rows.size() && hidden_rows[next_hidden] == position) {
      rows.push_back(position++);
      ++next_hidden;
    }
    if (fate != kCopy) rows.push_back(position);
    ++position;
  }
  rows.insert(rows.end(), hidden_rows.begin() + static_cast<std::ptrdiff_t>(next_hidden),
              hidden_rows.end());
  return rows;
}

// Runs of source rows at least this long are written as slices of the batch that holds them;
// shorter ones are gathered into a new batch first, since every write has a fixed cost that
// copying a few rows does not.
constexpr size_t kMinSliceRows = 1024;

// One entry per fate: whether it is `fate`, as FilterRecordBatch takes it.
std::vector<uint8_t> RowsWithFate(std::span<const uint8_t> fates, RowFate fate) {
  std::vector<uint8_t> rows(fates.size());
  for (size_t i = 0; i < fates.size(); ++i) rows[i] = fates[i] == fate;
  return rows;
}

// The key columns of a file's first read, handed out again in the row ranges of its second
// read (of the other columns), so that they are not decoded twice.
class KeyColumnCursor {
 public:
  explicit KeyColumnCursor(const std::vector<RecordBatchPtr>& batches) : batches_(batches) {}

  // The key columns of the next `num_rows` rows: views of one batch when they lie in one,
  // else gathered. IOError when fewer rows are left.
  Result<std::vector<ArrayPtr>> Next(int64_t num_rows) {
    SkipFinishedBatches();
    if (batch_ < batches_.size() && row_ + num_rows <= batches_[batch_]->num_rows()) {
      std::vector<ArrayPtr> columns;
      for (const ArrayPtr& column : batches_[batch_]->columns()) {
        columns.push_back(column->Slice(row_, num_rows));
      }
      row_ += num_rows;
      return columns;
    }
    std::vector<std::pair<int, int64_t>> rows;
    rows.reserve(static_cast<size_t>(num_rows));
    for (int64_t i = 0; i < num_rows; ++i) {
      SkipFinishedBatches();
      if (batch_ >= batches_.size()) {
        return Status::IOError(
            "delta: MERGE's second read of a file returned more rows than "
            "its first");
      }
      rows.emplace_back(static_cast<int>(batch_), row_++);
    }
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr gathered,
                             GatherRows(batches_[0]->schema(), batches_, rows));
    return gathered->columns();
  }

 private:
  void SkipFinishedBatches() {
    while (batch_ < batches_.size() && row_ >= batches_[batch_]->num_rows()) {
      ++batch_;
      row_ = 0;
    }
  }

  const std::vector<RecordBatchPtr>& batches_;
  size_t batch_ = 0;
  int64_t row_ = 0;
};

// Writes the change rows of a merge under `_change_data/`, with their _change_type.
class ChangeDataSink {
 public:
  static Result<std::unique_ptr<ChangeDataSink>> Open(const std::shared_ptr<io::FileSystem>& fs,
                                                      const std::string& table_root,
                                                      const SchemaPtr& schema,
                                                      const Metadata& metadata) {
    ARCFLOW_ASSIGN_OR_RETURN(DataFileWriterOptions options,
                             DataFileWriterOptions::FromMetadata(metadata));
    // Change data is the changed rows alone, small beside the rewritten files.
    options.threads = 1;
    std::vector<Field> fields = schema->fields();
    Field change_type(std::string(kChangeTypeColumn), types::String(), true);
    if (options.column_mapping != ColumnMappingMode::kNone) {
      // Not a table column: it keeps its name in the files, as readers of change data expect.
      change_type.metadata.emplace_back(std::string(kPhysicalNameKey),
                                        QuoteJsonString(kChangeTypeColumn));
    }
    fields.push_back(std::move(change_type));
    auto change_schema = std::make_shared<const Schema>(std::move(fields));
    options.collect_stats = false;
    options.data_change = false;
    options.defer_publication = true;  // Published by the commit (PublishBeforeCommit).
    ARCFLOW_ASSIGN_OR_RETURN(
        auto writer, DataFileWriter::Open(fs, io::JoinPath(table_root, kChangeDataDirectory),
                                          change_schema, options));
    auto sink = std::unique_ptr<ChangeDataSink>(new ChangeDataSink());
    sink->schema_ = std::move(change_schema);
    sink->writer_ = std::move(writer);
    return sink;
  }

  Status Write(const RecordBatchPtr& batch, std::string_view change_type) {
    if (batch->num_rows() == 0) return Status::OK();
    std::vector<ArrayPtr> columns = batch->columns();
    ARCFLOW_ASSIGN_OR_RETURN(
        ArrayPtr types, MakeConstantArray(TypedValue{types::String(), std::string(change_type)},
                                          batch->num_rows()));
    columns.push_back(std::move(types));
    RecordBatch change(schema_, batch->num_rows(), std::move(columns));
    return writer_->Write(change);
  }

  std::vector<std::shared_ptr<io::UnpublishedFile>> TakeUnpublishedFiles() {
    return writer_->TakeUnpublishedFiles();
  }

  Result<std::vector<AddCdcFile>> Finish() {
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<AddFile> files, writer_->Finish());
    std::vector<AddCdcFile> cdc;
    for (AddFile& file : files) {
      AddCdcFile change;
      change.path = std::string(kChangeDataDirectory) + "/" + file.path;
      change.partition_values = std::move(file.partition_values);
      change.size = file.size;
      change.data_change = false;
      cdc.push_back(std::move(change));
    }
    return cdc;
  }

 private:
  ChangeDataSink() = default;
  SchemaPtr schema_;
  std::unique_ptr<DataFileWriter> writer_;
};

// A data file rewritten in place: its rows written in file order, each copied, dropped or
// updated, an updated row holding the file's values in every column but `changed_columns`
// (the columns of the table that are not merge keys, when keys compare bit for bit). The
// file's pages that the changes leave as they were are copied as stored
// (ParquetFileWriter::WriteKeptRows).
struct RowsInPlace {
  std::shared_ptr<const parquet::StoredPages> pages;
  std::vector<uint8_t>
      flags;  // Per row of the file: parquet::kRowKept, kRowChanged or kRowDropped.
  std::span<const int> changed_columns;
};

// The flags of RowsInPlace for rows of these fates.
std::vector<uint8_t> InPlaceFlags(std::span<const uint8_t> fates) {
  std::vector<uint8_t> flags(fates.size());
  for (size_t i = 0; i < fates.size(); ++i) {
    flags[i] = fates[i] == kCopy     ? parquet::kRowKept
               : fates[i] == kUpdate ? parquet::kRowChanged
                                     : parquet::kRowDropped;
  }
  return flags;
}

// Rows of a source batch that follow one another: a view of it when there are enough of them,
// else gathered. `rows` index `source_rows`.
Result<RecordBatchPtr> SourceRowsBatch(const SchemaPtr& schema,
                                       const std::vector<RecordBatchPtr>& source_batches,
                                       const std::vector<SourceRow>& source_rows,
                                       std::span<const size_t> rows) {
  const SourceRow& first = source_rows[rows[0]];
  bool consecutive = true;
  for (size_t i = 1; i < rows.size() && consecutive; ++i) {
    const SourceRow& row = source_rows[rows[i]];
    consecutive = row.batch == first.batch && row.row == first.row + static_cast<int64_t>(i);
  }
  if (consecutive && rows.size() >= kMinSliceRows) {
    return source_batches[static_cast<size_t>(first.batch)]->Slice(
        first.row, static_cast<int64_t>(rows.size()));
  }
  std::vector<std::pair<int, int64_t>> gathered;
  gathered.reserve(rows.size());
  for (size_t row : rows) gathered.emplace_back(source_rows[row].batch, source_rows[row].row);
  return GatherRows(schema, source_batches, gathered);
}

// Runs of copied and updated rows a batch of a file rewritten in place is written in, at most:
// with more, the batch is gathered whole with its updates, since every write has a fixed cost.
constexpr size_t kMaxInPlaceRuns = 16;

// Writes `batch`, rows [first_row, first_row + its rows) of a file rewritten in place, with
// the source rows of its updated rows in their place: `updates` (indexes into `source_rows`),
// in file order.
Status WriteBatchInPlace(const SchemaPtr& schema, const std::vector<RecordBatchPtr>& source_batches,
                         const std::vector<SourceRow>& source_rows, const RecordBatchPtr& batch,
                         int64_t first_row, std::span<const uint8_t> fates,
                         std::span<const size_t> updates, const RowsInPlace& in_place,
                         DataFileWriter* writer) {
  // Runs of rows that are updated, or not.
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t row = 0; row < fates.size();) {
    size_t end = row + 1;
    while (end < fates.size() && (fates[end] == kUpdate) == (fates[row] == kUpdate)) ++end;
    runs.emplace_back(row, end);
    row = end;
  }
  const auto write = [&](const RecordBatchPtr& rows, size_t first) {
    return writer->WriteKeptRows(rows, first_row + static_cast<int64_t>(first), in_place.flags,
                                 in_place.pages, in_place.changed_columns);
  };
  if (runs.size() > kMaxInPlaceRuns) {
    // The file's batch goes after the source's for the gather.
    std::vector<RecordBatchPtr> batches = source_batches;
    batches.push_back(batch);
    const int file_batch = static_cast<int>(batches.size()) - 1;
    std::vector<std::pair<int, int64_t>> rows(fates.size());
    size_t next_update = 0;
    for (size_t row = 0; row < fates.size(); ++row) {
      if (fates[row] == kUpdate) {
        const SourceRow& source = source_rows[updates[next_update++]];
        rows[row] = {source.batch, source.row};
      } else {
        rows[row] = {file_batch, static_cast<int64_t>(row)};
      }
    }
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr merged, GatherRows(schema, batches, rows));
    return write(merged, 0);
  }
  size_t next_update = 0;
  for (const auto& [begin, end] : runs) {
    if (fates[begin] != kUpdate) {
      ARCFLOW_RETURN_NOT_OK(
          write(begin == 0 && end == fates.size()
                    ? batch
                    : batch->Slice(static_cast<int64_t>(begin), static_cast<int64_t>(end - begin)),
                begin));
      continue;
    }
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr rows,
                             SourceRowsBatch(schema, source_batches, source_rows,
                                             updates.subspan(next_update, end - begin)));
    next_update += end - begin;
    ARCFLOW_RETURN_NOT_OK(write(rows, begin));
  }
  return Status::OK();
}

// Writes the source rows `rows` (indexes into `source_rows`) to `writer`, when not null, in
// that order, and to `changes`, when not null, as rows of `change_type`; with `in_place`, as
// the rows of a file they replace (all of them). Sources often update or insert in their own order,
// so a long run of consecutive rows of one source batch is written as a slice of it; other rows are
// gathered, up to kDefaultBatchRows at a time.
Status WriteSourceRows(const SchemaPtr& schema, const std::vector<RecordBatchPtr>& source_batches,
                       const std::vector<SourceRow>& source_rows, const std::vector<size_t>& rows,
                       DataFileWriter* writer, ChangeDataSink* changes,
                       std::string_view change_type, const RowsInPlace* in_place = nullptr) {
  if (writer == nullptr && changes == nullptr) return Status::OK();
  int64_t file_row = 0;  // With `in_place`, the row of the file the next row replaces.
  const auto write = [&](const RecordBatchPtr& batch) -> Status {
    if (writer != nullptr && in_place != nullptr) {
      ARCFLOW_RETURN_NOT_OK(writer->WriteKeptRows(batch, file_row, in_place->flags, in_place->pages,
                                                  in_place->changed_columns));
      file_row += batch->num_rows();
    } else if (writer != nullptr) {
      ARCFLOW_RETURN_NOT_OK(writer->Write(*batch));
    }
    if (changes != nullptr) ARCFLOW_RETURN_NOT_OK(changes->Write(batch, change_type));
    return Status::OK();
  };
  std::vector<std::pair<int, int64_t>> gathered;
  gathered.reserve(std::min(rows.size(), static_cast<size_t>(kDefaultBatchRows)));
  const auto write_gathered = [&]() -> Status {
    if (gathered.empty()) return Status::OK();
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, GatherRows(schema, source_batches, gathered));
    gathered.clear();
    return write(batch);
  };
  for (size_t begin = 0; begin < rows.size();) {
    const SourceRow& first = source_rows[rows[begin]];
    size_t end = begin + 1;
    while (end < rows.size() && source_rows[rows[end]].batch == first.batch &&
           source_rows[rows[end]].row == first.row + static_cast<int64_t>(end - begin)) {
      ++end;
    }
    if (end - begin >= kMinSliceRows) {
      ARCFLOW_RETURN_NOT_OK(write_gathered());
      const RecordBatchPtr& batch = source_batches[static_cast<size_t>(first.batch)];
      const auto length = static_cast<int64_t>(end - begin);
      ARCFLOW_RETURN_NOT_OK(write(
          first.row == 0 && length == batch->num_rows() ? batch : batch->Slice(first.row, length)));
    } else {
      for (size_t i = begin; i < end; ++i) {
        gathered.emplace_back(source_rows[rows[i]].batch, source_rows[rows[i]].row);
        if (gathered.size() == static_cast<size_t>(kDefaultBatchRows)) {
          ARCFLOW_RETURN_NOT_OK(write_gathered());
        }
      }
    }
    begin = end;
  }
  return write_gathered();
}

std::string ClauseJson(std::string_view action, const std::string& predicate) {
  if (predicate.empty()) return fmt::format("{{\"actionType\":\"{}\"}}", action);
  return fmt::format("{{\"predicate\":{},\"actionType\":\"{}\"}}", QuoteJsonString(predicate),
                     action);
}

std::string PredicateListText(const std::vector<Predicate>& predicates) {
  std::string text;
  for (const Predicate& predicate : predicates) {
    if (!text.empty()) text += " AND ";
    static constexpr std::string_view kOps[] = {"=",  "<",       "<=",         ">",
                                                ">=", "IS NULL", "IS NOT NULL"};
    text += fmt::format("source.{} {}", predicate.column, kOps[static_cast<int>(predicate.op)]);
    if (predicate.op != Predicate::Op::kIsNull && predicate.op != Predicate::Op::kIsNotNull) {
      text += fmt::format(" '{}'", predicate.value);
    }
  }
  return text;
}

}  // namespace

Result<MergeResult> Merge(std::shared_ptr<const Snapshot> snapshot,
                          const std::vector<RecordBatchPtr>& source, const MergeOptions& options,
                          TransactionOptions transaction_options) {
  if (source.empty()) return Status::Invalid("delta: MERGE needs at least one source batch");
  VectorRecordBatchReader reader(source[0]->schema(), source);
  return Merge(std::move(snapshot), reader, options, std::move(transaction_options));
}

Result<MergeResult> Merge(std::shared_ptr<const Snapshot> snapshot, RecordBatchReader& source,
                          const MergeOptions& options, TransactionOptions transaction_options) {
  if (!snapshot) return Status::Invalid("delta: MERGE needs a table snapshot");
  const std::string& table_root = snapshot->table_root();
  if (!snapshot->schema()) {
    return snapshot->schema_status().WithContext(fmt::format("MERGE into {}", table_root));
  }
  if (options.key_columns.empty()) {
    return Status::Invalid("delta: MERGE into {} needs at least one key column", table_root);
  }
  const SchemaPtr& target_schema = snapshot->schema();
  const SchemaPtr& source_schema = source.schema();
  const Metadata& metadata = snapshot->metadata();

  // Columns the source carries only to steer the merge are not data for the table.
  std::vector<std::string> control_columns;
  for (const Predicate& predicate : options.when_matched_delete_condition) {
    control_columns.push_back(predicate.column);
  }
  if (options.deduplicate_order_column)
    control_columns.push_back(*options.deduplicate_order_column);
  std::vector<Field> data_fields;
  for (const Field& field : source_schema->fields()) {
    bool control = std::find(control_columns.begin(), control_columns.end(), field.name) !=
                   control_columns.end();
    bool in_target = target_schema->GetFieldIndex(field.name) >= 0;
    // As Spark's UPDATE SET * and INSERT * without schema evolution: source columns the
    // table lacks are ignored.
    if (!in_target && (control || !options.merge_schema)) continue;
    data_fields.push_back(field);
  }
  bool widening = metadata.Configuration("delta.enableTypeWidening") == "true";
  ARCFLOW_ASSIGN_OR_RETURN(SchemaPtr schema, MergeWriteSchema(*target_schema, Schema(data_fields),
                                                              options.merge_schema, widening));

  std::vector<int> key_indices;
  for (const std::string& key : options.key_columns) {
    int target_index = target_schema->GetFieldIndex(key);
    int source_index = source_schema->GetFieldIndex(key);
    if (target_index < 0 || source_index < 0) {
      return Status::Invalid(
          "delta: MERGE key column '{}' must be in the table ({}) and in the source ({}); table {}",
          key, target_schema->ToString(), source_schema->ToString(), table_root);
    }
    key_indices.push_back(schema->GetFieldIndex(key));
  }

  std::optional<RowFilter> delete_filter;
  if (!options.when_matched_delete_condition.empty()) {
    auto filter = RowFilter::Make(source_schema, options.when_matched_delete_condition);
    if (!filter.ok()) {
      return filter.status().WithContext("binding MERGE's WHEN MATCHED DELETE condition");
    }
    delete_filter = std::move(*filter);
  }
  int order_index = -1;
  if (options.deduplicate_order_column) {
    order_index = source_schema->GetFieldIndex(*options.deduplicate_order_column);
    if (order_index < 0 || source_schema->field(order_index).type->is_nested()) {
      return Status::Invalid(
          "delta: MERGE de-duplication order column '{}' must be a primitive column of the "
          "source ({})",
          *options.deduplicate_order_column, source_schema->ToString());
    }
  }

  // 1. Reads and keys the source.
  MergeResult result;
  std::vector<RecordBatchPtr> raw_batches;
  std::vector<RecordBatchPtr> source_batches;  // Conformed to `schema`.
  std::vector<SourceRow> source_rows;
  // The distinct source keys, and for each the source row that carries it.
  MergeKeyTable source_keys(*schema, key_indices);
  std::vector<size_t> row_of_key;
  MergeKeyTable::BatchKeys keys;
  // Per source batch, whether each row meets the WHEN MATCHED DELETE condition.
  std::vector<std::vector<uint8_t>> source_deletes;
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, source.Next());
    if (!batch) break;
    if (batch->num_rows() == 0) continue;
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr conformed, ConformBatch(*batch, schema));
    source_deletes.push_back(delete_filter ? delete_filter->Evaluate(*batch)
                                           : std::vector<uint8_t>());
    raw_batches.push_back(std::move(batch));
    source_batches.push_back(std::move(conformed));
  }
  // All at once, so that the key table is sized once and sees every key before choosing how
  // to index them.
  source_keys.PlanInserts(source_batches);
  size_t total_source_rows = 0;
  for (const RecordBatchPtr& batch : source_batches) {
    total_source_rows += static_cast<size_t>(batch->num_rows());
  }
  source_rows.reserve(total_source_rows);
  row_of_key.reserve(total_source_rows);
  for (size_t batch_index = 0; batch_index < source_batches.size(); ++batch_index) {
    const RecordBatchPtr& batch = raw_batches[batch_index];
    const RecordBatchPtr& conformed = source_batches[batch_index];
    const std::vector<uint8_t>& deletes = source_deletes[batch_index];
    source_keys.PrepareKeys(*conformed, &keys);
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      if (row + kKeyPrefetchDistance < batch->num_rows()) {
        source_keys.Prefetch(keys, row + kKeyPrefetchDistance);
      }
      ++result.num_source_rows;
      // Each SourceRow is built where it is stored: one built on the stack and copied had its
      // two flags stored as 16 bits and reloaded as 32, a store-forwarding stall per row.
      const bool delete_flag = delete_filter && deletes[static_cast<size_t>(row)] != 0;
      if (keys.unmatchable(row)) {  // A null key, which matches nothing.
        source_rows.push_back(SourceRow{row, static_cast<int>(batch_index), delete_flag});
        continue;
      }
      auto [key, inserted] = source_keys.Insert(conformed, row, keys);
      if (inserted) {
        row_of_key.push_back(source_rows.size());
        source_rows.push_back(SourceRow{row, static_cast<int>(batch_index), delete_flag});
        continue;
      }
      if (order_index < 0) {
        return Status::Invalid(
            "delta: MERGE source has several rows for key {} (table {}); de-duplicate the source "
            "or give an order column",
            KeyForDisplay(options.key_columns, key_indices, *conformed, row), table_root);
      }
      SourceRow& kept = source_rows[row_of_key[static_cast<size_t>(key)]];
      TypedValue kept_order = TypedValueAt(
          *raw_batches[static_cast<size_t>(kept.batch)]->column(order_index), kept.row);
      TypedValue new_order = TypedValueAt(*batch->column(order_index), row);
      if (!new_order.is_null() &&
          (kept_order.is_null() || CompareTypedValues(new_order, kept_order) > 0)) {
        kept = SourceRow{row, static_cast<int>(batch_index), delete_flag};
      }
    }
  }

  source_keys.FinishInserts();

  // 2. Picks the candidate files.
  ARCFLOW_ASSIGN_OR_RETURN(ColumnMappingMode mode, GetColumnMappingMode(metadata));
  std::vector<Predicate> key_ranges;
  std::vector<AddFile> candidates;
  if (options.when_not_matched_by_source_delete) {
    candidates = snapshot->files();
  } else if (source_keys.size() > 0) {
    // The distinct source keys, column by column, and each column's range for data skipping.
    std::vector<std::pair<int, int64_t>> key_rows;
    key_rows.reserve(row_of_key.size());
    for (size_t index : row_of_key) {
      key_rows.emplace_back(source_rows[index].batch, source_rows[index].row);
    }
    std::vector<ArrayPtr> key_values;
    for (size_t k = 0; k < key_indices.size(); ++k) {
      const int column = key_indices[k];
      ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr keys, GatherColumn(schema->field(column).type,
                                                           source_batches, column, key_rows));
      if (std::optional<std::pair<int64_t, int64_t>> range = KeyRangeRows(*keys)) {
        const std::string& name = options.key_columns[k];
        key_ranges.push_back(
            Predicate{name, Predicate::Op::kGe, *PredicateValueText(*keys, range->first)});
        key_ranges.push_back(
            Predicate{name, Predicate::Op::kLe, *PredicateValueText(*keys, range->second)});
      }
      key_values.push_back(std::move(keys));
    }
    auto skipper = FileSkipper::Make(target_schema, metadata.partition_columns, mode, key_ranges);
    // The range of all source keys overlaps files that hold none of them (updates in one file
    // and inserts past the table's end span every file between, and with several key columns
    // the ranges combine into a box most files meet): a file is a candidate only when some
    // source key tuple lies within its partition values and min/max in every key column.
    const MergeKeyIndex key_index = MergeKeyIndex::Make(*target_schema, metadata.partition_columns,
                                                        mode, options.key_columns, key_values);
    const bool parse_stats = (skipper.ok() && skipper->uses_stats()) || key_index.uses_stats();
    for (const AddFile& file : snapshot->files()) {
      // One parse of add.stats serves both decisions.
      std::optional<FileStatistics> stats;
      if (parse_stats) stats = FileStatistics::ParseForSkipping(file);
      const FileStatistics* file_stats = stats ? &*stats : nullptr;
      bool skip = false;
      if (skipper.ok()) {
        auto can_skip = skipper->CanSkip(file, file_stats);
        skip = can_skip.ok() && *can_skip;
      }
      if (!skip) skip = !key_index.MayHoldAny(file, file_stats);
      if (!skip) candidates.push_back(file);
    }
  }
  result.num_candidate_files = static_cast<int64_t>(candidates.size());

  const int write_threads = transaction_options.write_threads;
  ARCFLOW_ASSIGN_OR_RETURN(auto transaction,
                           OptimisticTransaction::Start(snapshot, std::move(transaction_options)));
  if (!schema->Equals(*target_schema)) {
    Metadata updated = metadata;
    updated.schema_string = ToStructTypeJson(*schema);
    ARCFLOW_RETURN_NOT_OK(transaction->UpdateMetadata(std::move(updated)));
    // With column mapping the new columns now have ids and physical names.
    ARCFLOW_ASSIGN_OR_RETURN(schema, ParseStructTypeJson(transaction->metadata().schema_string));
  }
  const std::shared_ptr<io::FileSystem>& fs = snapshot->file_system();
  ARCFLOW_ASSIGN_OR_RETURN(DataFileWriterOptions writer_options,
                           DataFileWriterOptions::FromMetadata(transaction->metadata()));
  writer_options.threads = write_threads;
  writer_options.defer_publication = true;  // Published by the commit (PublishBeforeCommit).
  ARCFLOW_ASSIGN_OR_RETURN(auto data_writer,
                           DataFileWriter::Open(fs, table_root, schema, writer_options));
  std::unique_ptr<ChangeDataSink> changes;
  if (IsChangeDataFeedEnabled(transaction->metadata().configuration)) {
    ARCFLOW_ASSIGN_OR_RETURN(changes,
                             ChangeDataSink::Open(fs, table_root, schema, transaction->metadata()));
  }

  // 3. Splits the rows of each candidate file and writes the rewritten ones. The key columns
  // are read first: a file none of whose keys match is read no further, and a file whose rows
  // are all updated or deleted is not read again unless change data needs its old rows. When
  // the table enables deletion vectors, a file that keeps some rows is not rewritten either:
  // its updated and deleted rows are hidden by a new deletion vector, and only the updated
  // rows are written, to new files.
  const bool use_deletion_vectors =
      DeletionVectorsEnabled(transaction->protocol(), transaction->metadata());
  // An update changes every column but the keys: when equal keys are the same bits, the key
  // columns of an updated row are the file's. Rows updated in place must also stay in their
  // file's partition, which only key columns guarantee.
  std::vector<int> non_key_columns;
  std::vector<std::string> stored_key_columns;  // The names the files give the key columns.
  bool keys_kept_by_updates = true;
  for (int index = 0; index < schema->num_fields(); ++index) {
    const Field& field = schema->field(index);
    if (std::find(key_indices.begin(), key_indices.end(), index) == key_indices.end()) {
      non_key_columns.push_back(index);
      continue;
    }
    if (!KeyEqualityIsIdentity(*field.type)) keys_kept_by_updates = false;
    ARCFLOW_ASSIGN_OR_RETURN(std::string stored_name, PhysicalName(field, mode));
    stored_key_columns.push_back(std::move(stored_name));
  }
  for (const std::string& column : metadata.partition_columns) {
    const int index = schema->GetFieldIndex(column);
    if (std::find(key_indices.begin(), key_indices.end(), index) == key_indices.end()) {
      keys_kept_by_updates = false;
    }
  }
  std::vector<AddFile> rewritten;
  // Files that keep their data and get a new deletion vector, with the rows it hides.
  std::vector<AddFile> revectored;
  std::vector<std::vector<uint64_t>> hidden_rows;
  if (!candidates.empty()) {
    TableScanOptions key_scan_options;
    std::vector<Field> key_fields;
    for (int index : key_indices) {
      key_fields.push_back(schema->field(index));
      key_scan_options.columns.push_back(TopLevelColumnPath(schema->field(index).name));
    }
    const auto key_schema = std::make_shared<const Schema>(std::move(key_fields));
    ARCFLOW_ASSIGN_OR_RETURN(auto key_scan, TableScan::Make(snapshot, key_scan_options));
    // A file read again whole is read for its other columns; its key columns come from the
    // first read. Columns only the source has (merge_schema) are null in the file's rows.
    std::vector<Field> value_fields;
    TableScanOptions value_scan_options;
    for (int index = 0; index < schema->num_fields(); ++index) {
      if (std::find(key_indices.begin(), key_indices.end(), index) != key_indices.end()) continue;
      value_fields.push_back(schema->field(index));
      if (target_schema->GetFieldIndex(schema->field(index).name) >= 0) {
        value_scan_options.columns.push_back(TopLevelColumnPath(schema->field(index).name));
      }
    }
    const auto value_schema = std::make_shared<const Schema>(std::move(value_fields));
    // Without another column of the table to read (a table of key columns only), the second
    // read reads everything.
    const bool reuse_keys = !value_scan_options.columns.empty();
    ARCFLOW_ASSIGN_OR_RETURN(
        auto scan, TableScan::Make(snapshot, reuse_keys ? value_scan_options : TableScanOptions{}));
    std::vector<RecordBatchPtr> key_batches;
    // Per row of a file, in file order: its fate, and for the updated ones their source rows.
    std::vector<uint8_t> fates;
    std::vector<size_t> updated_sources;
    for (const AddFile& file : candidates) {
      fates.clear();
      updated_sources.clear();
      key_batches.clear();
      ARCFLOW_ASSIGN_OR_RETURN(auto key_reader, key_scan->ReadFile(file));
      while (true) {
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, key_reader->Next());
        if (!batch) break;
        ARCFLOW_ASSIGN_OR_RETURN(batch, ConformBatch(*batch, key_schema));
        if (batch->num_rows() > 0) key_batches.push_back(batch);
        std::vector<const Array*> key_arrays;
        for (const ArrayPtr& column : batch->columns()) key_arrays.push_back(column.get());
        source_keys.PrepareKeys(std::move(key_arrays), &keys);
        const size_t first_fate = fates.size();
        fates.resize(first_fate + static_cast<size_t>(batch->num_rows()));
        // Room for every row to be an update; trimmed after the loop.
        size_t num_updated = updated_sources.size();
        updated_sources.resize(num_updated + static_cast<size_t>(batch->num_rows()));
        for (int64_t row = 0; row < batch->num_rows(); ++row) {
          if (row + kKeyPrefetchDistance < batch->num_rows()) {
            source_keys.Prefetch(keys, row + kKeyPrefetchDistance);
          }
          const int32_t key = source_keys.Find(row, keys);
          RowFate fate = kCopy;
          if (key < 0) {
            if (options.when_not_matched_by_source_delete) fate = kDelete;
          } else {
            const size_t source_row = row_of_key[static_cast<size_t>(key)];
            SourceRow& match = source_rows[source_row];
            match.matched = true;
            if (match.delete_flag) {
              fate = kDelete;
            } else if (options.when_matched_update_all) {
              fate = kUpdate;
              updated_sources[num_updated++] = source_row;
            }
          }
          fates[first_fate + static_cast<size_t>(row)] = fate;
        }
        updated_sources.resize(num_updated);
      }
      const auto num_copied = static_cast<size_t>(std::count(fates.begin(), fates.end(), kCopy));
      if (num_copied == fates.size()) continue;
      const bool hide_rows = use_deletion_vectors && num_copied > 0;
      if (hide_rows) {
        ARCFLOW_ASSIGN_OR_RETURN(std::vector<uint64_t> rows,
                                 RowsToHide(*fs, table_root, file, fates));
        revectored.push_back(file);
        hidden_rows.push_back(std::move(rows));
      } else {
        rewritten.push_back(file);
      }
      result.num_rows_updated += static_cast<int64_t>(updated_sources.size());
      // The copied rows are read whole, and the updated and deleted ones for change data.
      const bool keep_rows = num_copied > 0 && !hide_rows;
      const bool read_rows = keep_rows || changes != nullptr;
      // When updates leave the keys as they were, the file is rewritten in place: its rows in
      // their order, the pages of its key columns copied unless a row of them is deleted, and
      // the pages of other columns where no row is updated either. A file whose rows are all
      // updated is not read further: its rows are the source's.
      const bool all_updated = updated_sources.size() == fates.size();
      const bool update_in_place = keys_kept_by_updates && !hide_rows && (all_updated || keep_rows);
      std::shared_ptr<const parquet::ParquetFileReader> opened;
      if (read_rows || update_in_place) {
        ARCFLOW_ASSIGN_OR_RETURN(opened, scan->OpenFile(file));
      }
      // The rewritten file takes the pages of this one that hold only copied rows as they are
      // stored. Rows a deletion vector hides are not read, so positions would not match.
      std::shared_ptr<const parquet::StoredPages> stored_pages;
      if ((keep_rows || update_in_place) && !file.deletion_vector) {
        // Rows updated in place take the pages of their key columns only.
        ARCFLOW_ASSIGN_OR_RETURN(
            stored_pages,
            parquet::StoredPages::Read(opened, keep_rows ? std::span<const std::string>()
                                                         : std::span(stored_key_columns)));
        if (stored_pages->num_rows() != static_cast<int64_t>(fates.size())) stored_pages.reset();
      }
      std::optional<RowsInPlace> in_place;
      if (update_in_place && stored_pages != nullptr) {
        in_place = RowsInPlace{stored_pages, InPlaceFlags(fates), non_key_columns};
      }
      if (!read_rows) {
        result.num_rows_deleted += std::count(fates.begin(), fates.end(), kDelete);
        ARCFLOW_RETURN_NOT_OK(WriteSourceRows(schema, source_batches, source_rows, updated_sources,
                                              data_writer.get(), nullptr, {},
                                              in_place ? &*in_place : nullptr));
        continue;
      }
      // The whole rows, in the order and number the key columns were read in.
      ARCFLOW_ASSIGN_OR_RETURN(auto file_reader, scan->ReadFile(file, std::move(opened)));
      KeyColumnCursor key_cursor(key_batches);
      const std::vector<uint8_t> keep = RowsWithFate(fates, kCopy);
      size_t offset = 0;
      size_t next_update = 0;  // Rewriting in place, the first of updated_sources not written.
      // Rows rewritten in place are written with the file's rows; they only go to change data
      // next. A file whose rows are all updated is rewritten from the source's rows alone.
      const bool updates_written_in_place = in_place.has_value() && !all_updated;
      while (true) {
        ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, file_reader->Next());
        if (!batch) break;
        ARCFLOW_ASSIGN_OR_RETURN(batch, ConformBatch(*batch, reuse_keys ? value_schema : schema));
        const auto num_rows = static_cast<size_t>(batch->num_rows());
        if (offset + num_rows > fates.size()) break;  // Reported below.
        if (reuse_keys) {
          ARCFLOW_ASSIGN_OR_RETURN(std::vector<ArrayPtr> key_columns,
                                   key_cursor.Next(batch->num_rows()));
          std::vector<ArrayPtr> columns;
          int value_column = 0;
          for (int index = 0; index < schema->num_fields(); ++index) {
            const auto key = std::find(key_indices.begin(), key_indices.end(), index);
            columns.push_back(key != key_indices.end()
                                  ? key_columns[static_cast<size_t>(key - key_indices.begin())]
                                  : batch->column(value_column++));
          }
          ARCFLOW_ASSIGN_OR_RETURN(
              batch, RecordBatch::Make(schema, batch->num_rows(), std::move(columns)));
        }
        const std::span<const uint8_t> batch_fates(fates.data() + offset, num_rows);
        const auto first_row = static_cast<int64_t>(offset);
        offset += num_rows;
        size_t num_copies = 0;
        size_t num_deletes = 0;
        for (const uint8_t fate : batch_fates) {
          num_copies += fate == kCopy;
          num_deletes += fate == kDelete;
        }
        if (keep_rows && in_place) {
          const size_t num_updates = batch_fates.size() - num_copies - num_deletes;
          ARCFLOW_RETURN_NOT_OK(
              WriteBatchInPlace(schema, source_batches, source_rows, batch, first_row, batch_fates,
                                std::span(updated_sources).subspan(next_update, num_updates),
                                *in_place, data_writer.get()));
          next_update += num_updates;
          result.num_rows_copied += static_cast<int64_t>(num_copies);
        } else if (keep_rows) {
          ARCFLOW_RETURN_NOT_OK(data_writer->WriteKeptRows(batch, first_row, keep, stored_pages));
          result.num_rows_copied += static_cast<int64_t>(num_copies);
        }
        result.num_rows_deleted += static_cast<int64_t>(num_deletes);
        if (changes) {
          ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr pres,
                                   FilterRecordBatch(batch, RowsWithFate(batch_fates, kUpdate)));
          ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr deleted,
                                   FilterRecordBatch(batch, RowsWithFate(batch_fates, kDelete)));
          ARCFLOW_RETURN_NOT_OK(changes->Write(pres, kChangeUpdatePreimage));
          ARCFLOW_RETURN_NOT_OK(changes->Write(deleted, kChangeDelete));
        }
      }
      if (offset != fates.size()) {
        return Status::IOError(
            "delta: MERGE read {} rows of the key columns of {} in table {}, but the whole rows "
            "did not match them; the file may have changed while it was read",
            fates.size(), file.path, table_root);
      }
      // The updated rows' new values, after the copied ones (a page being copied takes no other
      // rows).
      ARCFLOW_RETURN_NOT_OK(WriteSourceRows(schema, source_batches, source_rows, updated_sources,
                                            updates_written_in_place ? nullptr : data_writer.get(),
                                            changes.get(), kChangeUpdatePostimage,
                                            in_place ? &*in_place : nullptr));
    }
  }

  // 4. Inserts the source rows that matched nothing.
  if (options.when_not_matched_insert_all) {
    std::vector<size_t> inserts;
    for (size_t row = 0; row < source_rows.size(); ++row) {
      if (!source_rows[row].matched && !source_rows[row].delete_flag) inserts.push_back(row);
    }
    ARCFLOW_RETURN_NOT_OK(WriteSourceRows(schema, source_batches, source_rows, inserts,
                                          data_writer.get(), changes.get(), kChangeInsert));
    result.num_rows_inserted = static_cast<int64_t>(inserts.size());
  }

  ARCFLOW_ASSIGN_OR_RETURN(std::vector<AddFile> adds, data_writer->Finish());
  std::vector<AddCdcFile> change_files;
  if (changes) {
    ARCFLOW_ASSIGN_OR_RETURN(change_files, changes->Finish());
  }
  if (result.num_rows_inserted + result.num_rows_updated + result.num_rows_deleted == 0) {
    // Nothing changed, so nothing is committed; files written for copied rows are never
    // published, and go with their writers.
    result.num_rows_copied = 0;
    return result;
  }
  // One deletion vector file holds the new vectors of every file this merge hides rows of.
  std::vector<AddFile> revectored_adds;
  if (!revectored.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<DeletionVectorDescriptor> vectors,
                             WriteDeletionVectorsFile(fs, table_root, hidden_rows));
    for (size_t i = 0; i < revectored.size(); ++i) {
      AddFile add = revectored[i];
      add.deletion_vector = std::move(vectors[i]);
      add.data_change = true;
      if (add.stats) add.stats = StatsWithWideBounds(*add.stats);
      revectored_adds.push_back(std::move(add));
    }
  }

  // 5. Commits.
  if (options.when_not_matched_by_source_delete) {
    transaction->ReadWholeTable();
  } else {
    transaction->ReadFiles(candidates);
    // Records the key ranges as the data this merge depends on, so that a concurrent commit
    // (other than a blind append) adding or removing files that may hold the keys conflicts.
    if (source_keys.size() > 0) {
      if (key_ranges.empty()) {
        transaction->ReadWholeTable();
      } else {
        transaction->ReadPartitions(key_ranges);
      }
    }
  }
  int64_t bytes_removed = 0;
  int64_t bytes_added = 0;
  for (const AddFile& file : rewritten) {
    transaction->Remove(file);
    bytes_removed += file.size;
    if (file.deletion_vector) ++result.num_deletion_vectors_removed;
  }
  for (const AddFile& file : revectored) {
    // Removed with its old deletion vector, added back with the new one.
    transaction->Remove(file);
    if (file.deletion_vector) ++result.num_deletion_vectors_removed;
  }
  for (const AddFile& add : adds) bytes_added += add.size;
  result.num_files_removed = static_cast<int64_t>(rewritten.size());
  result.num_files_added = static_cast<int64_t>(adds.size());
  result.num_deletion_vectors_added = static_cast<int64_t>(revectored_adds.size());
  transaction->AddFiles(std::move(adds));
  transaction->PublishBeforeCommit(data_writer->TakeUnpublishedFiles());
  if (changes) transaction->PublishBeforeCommit(changes->TakeUnpublishedFiles());
  transaction->AddFiles(std::move(revectored_adds));
  result.num_change_files_added = static_cast<int64_t>(change_files.size());
  transaction->AddCdcFiles(std::move(change_files));

  std::string on;
  for (const std::string& column : options.key_columns) {
    if (!on.empty()) on += " AND ";
    on += fmt::format("target.{0} = source.{0}", column);
  }
  std::string matched;
  if (!options.when_matched_delete_condition.empty()) {
    matched += ClauseJson("delete", PredicateListText(options.when_matched_delete_condition));
  }
  if (options.when_matched_update_all) {
    matched += std::string(matched.empty() ? "" : ",") + ClauseJson("update", "");
  }
  std::string not_matched = options.when_not_matched_insert_all ? ClauseJson("insert", "") : "";
  std::string not_matched_by_source =
      options.when_not_matched_by_source_delete ? ClauseJson("delete", "") : "";
  transaction->SetOperation(
      "MERGE",
      {{"predicate", QuoteJsonString("[" + QuoteJsonString(on) + "]")},
       {"matchedPredicates", QuoteJsonString("[" + matched + "]")},
       {"notMatchedPredicates", QuoteJsonString("[" + not_matched + "]")},
       {"notMatchedBySourcePredicates", QuoteJsonString("[" + not_matched_by_source + "]")}});
  transaction->AddOperationMetric("numSourceRows", result.num_source_rows);
  transaction->AddOperationMetric("numTargetRowsInserted", result.num_rows_inserted);
  transaction->AddOperationMetric("numTargetRowsUpdated", result.num_rows_updated);
  transaction->AddOperationMetric("numTargetRowsMatchedUpdated", result.num_rows_updated);
  transaction->AddOperationMetric("numTargetRowsDeleted", result.num_rows_deleted);
  transaction->AddOperationMetric("numTargetRowsCopied", result.num_rows_copied);
  transaction->AddOperationMetric("numTargetFilesAdded", result.num_files_added);
  transaction->AddOperationMetric("numTargetFilesRemoved", result.num_files_removed);
  transaction->AddOperationMetric("numTargetChangeFilesAdded", result.num_change_files_added);
  transaction->AddOperationMetric("numTargetDeletionVectorsAdded",
                                  result.num_deletion_vectors_added);
  transaction->AddOperationMetric("numTargetDeletionVectorsRemoved",
                                  result.num_deletion_vectors_removed);
  transaction->AddOperationMetric("numTargetBytesAdded", bytes_added);
  transaction->AddOperationMetric("numTargetBytesRemoved", bytes_removed);
  ARCFLOW_ASSIGN_OR_RETURN(CommitResult commit, transaction->Commit());
  result.commit = std::move(commit);
  return result;
}

}  // namespace arcflow::delta
