#include "arcflow/delta/data_file_writer.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "arcflow/base/thread_pool.h"
#include "arcflow/codec/codec_type.h"
#include "arcflow/columnar/builder.h"
#include "arcflow/delta/partition_value.h"
#include "arcflow/delta/row_filter.h"
#include "arcflow/io/atomic_publish.h"

namespace arcflow::delta {

namespace {

std::string_view CodecFileSuffix(codec::CodecType codec) {
  switch (codec) {
    case codec::CodecType::kUncompressed:
      return "";
    case codec::CodecType::kSnappy:
      return "snappy";
    case codec::CodecType::kGzip:
      return "gz";
    case codec::CodecType::kLzo:
      return "lzo";
    case codec::CodecType::kBrotli:
      return "br";
    case codec::CodecType::kLz4Hadoop:
      return "lz4";
    case codec::CodecType::kZstd:
      return "zstd";
    case codec::CodecType::kLz4Raw:
      return "lz4raw";
  }
  return "";
}

Result<int64_t> ParsePositiveBytes(std::string_view key, std::string_view text) {
  int64_t value = 0;
  bool valid = !text.empty() && text.size() <= 18;
  for (char c : text) {
    valid = valid && c >= '0' && c <= '9';
    if (valid) value = value * 10 + (c - '0');
  }
  if (!valid || value <= 0) {
    return Status::Invalid("delta: {} must be a positive number of bytes, got '{}'", key, text);
  }
  return value;
}

int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kInt8:
      return 1;
    case TypeId::kInt16:
      return 2;
    case TypeId::kInt32:
      return 3;
    case TypeId::kInt64:
      return 4;
    default:
      return 0;
  }
}

template <typename From, typename To>
Result<std::shared_ptr<const ArrayData>> Widen(const ArrayData& data, const DataTypePtr& target) {
  NumericArray<From> source(std::make_shared<ArrayData>(data));
  NumericBuilder<To> builder(target);
  builder.Reserve(data.length);
  for (int64_t i = 0; i < data.length; ++i) {
    if (source.IsNull(i)) {
      builder.AppendNull();
    } else {
      builder.Append(static_cast<To>(source.Value(i)));
    }
  }
  return builder.FinishData();
}

template <typename To>
Result<std::shared_ptr<const ArrayData>> WidenFrom(const ArrayData& data,
                                                   const DataTypePtr& target) {
  switch (data.type->id()) {
    case TypeId::kInt8:
      return Widen<int8_t, To>(data, target);
    case TypeId::kInt16:
      return Widen<int16_t, To>(data, target);
    case TypeId::kInt32:
      return Widen<int32_t, To>(data, target);
    case TypeId::kFloat32:
      return Widen<float, To>(data, target);
    default:
      return Widen<int64_t, To>(data, target);
  }
}

Result<std::shared_ptr<const ArrayData>> Conform(const std::shared_ptr<const ArrayData>& data,
                                                 const DataTypePtr& target,
                                                 std::string_view column) {
  const DataType& source = *data->type;
  auto mismatch = [&] {
    return Status::Invalid("delta: column {} has type {}, which cannot be written as {}", column,
                           source.ToString(), target->ToString());
  };
  if (source.Equals(*target, /*check_metadata=*/false)) return data;
  if (!target->is_nested()) {
    if (SameTypeParameters(source, *target)) {
      auto copy = std::make_shared<ArrayData>(*data);
      copy->type = target;
      return std::shared_ptr<const ArrayData>(std::move(copy));
    }
    int from = IntegerRank(source.id());
    int to = IntegerRank(target->id());
    if (from > 0 && to > from) {
      switch (target->id()) {
        case TypeId::kInt16:
          return WidenFrom<int16_t>(*data, target);
        case TypeId::kInt32:
          return WidenFrom<int32_t>(*data, target);
        default:
          return WidenFrom<int64_t>(*data, target);
      }
    }
    if (source.id() == TypeId::kFloat32 && target->id() == TypeId::kFloat64) {
      return WidenFrom<double>(*data, target);
    }
    return mismatch();
  }
  if (source.id() != target->id()) return mismatch();
  auto copy = std::make_shared<ArrayData>(*data);
  copy->type = target;
  if (target->id() == TypeId::kStruct) {
    copy->children.clear();
    for (const Field& member : target->fields()) {
      std::string path = fmt::format("{}.{}", column, member.name);
      int index = source.GetFieldIndex(member.name);
      if (index < 0) {
        if (!member.nullable) {
          return Status::Invalid("delta: non-nullable column {} is missing from the data", path);
        }
        ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr nulls,
                                 MakeNullArray(member.type, data->offset + data->length));
        copy->children.push_back(nulls->data());
      } else {
        ARCFLOW_ASSIGN_OR_RETURN(
            auto child, Conform(data->children[static_cast<size_t>(index)], member.type, path));
        copy->children.push_back(std::move(child));
      }
    }
  } else if (target->id() == TypeId::kList) {
    ARCFLOW_ASSIGN_OR_RETURN(copy->children[0],
                             Conform(data->children[0], target->element_field().type,
                                     fmt::format("{}.element", column)));
  } else {
    ARCFLOW_ASSIGN_OR_RETURN(copy->children[0],
                             Conform(data->children[0], types::MapEntries(*target), column));
  }
  return std::shared_ptr<const ArrayData>(std::move(copy));
}

// `data` with the names of `type` (same shape, other names), position by position.
std::shared_ptr<const ArrayData> RenameData(const std::shared_ptr<const ArrayData>& data,
                                            const DataTypePtr& type) {
  if (data->type == type) return data;
  auto copy = std::make_shared<ArrayData>(*data);
  copy->type = type;
  if (type->id() == TypeId::kStruct) {
    for (size_t i = 0; i < copy->children.size(); ++i) {
      copy->children[i] = RenameData(copy->children[i], type->field(static_cast<int>(i)).type);
    }
  } else if (type->id() == TypeId::kList) {
    copy->children[0] = RenameData(copy->children[0], type->element_field().type);
  } else if (type->id() == TypeId::kMap) {
    copy->children[0] = RenameData(copy->children[0], types::MapEntries(*type));
  }
  return copy;
}

// `batch` under `schema`, whose names may differ (column mapping's physical names).
RecordBatchPtr Rename(const RecordBatch& batch, const SchemaPtr& schema) {
  std::vector<ArrayPtr> columns;
  for (int i = 0; i < batch.num_columns(); ++i) {
    const ArrayPtr& column = batch.column(i);
    const DataTypePtr& type = schema->field(i).type;
    columns.push_back(column->type() == type ? column
                                             : MakeArray(RenameData(column->data(), type)));
  }
  return std::make_shared<const RecordBatch>(schema, batch.num_rows(), std::move(columns));
}

// Appends element `i` of `array` to `builder`, which builds arrays of the same type.
void AppendElement(const Array& array, int64_t i, ArrayBuilder* builder) {
  if (array.IsNull(i)) {
    builder->AppendNull();
    return;
  }
  switch (array.type_id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(
          static_cast<const BooleanArray&>(array).Value(i));
      break;
    case TypeId::kInt8:
      static_cast<Int8Builder*>(builder)->Append(static_cast<const Int8Array&>(array).Value(i));
      break;
    case TypeId::kInt16:
      static_cast<Int16Builder*>(builder)->Append(static_cast<const Int16Array&>(array).Value(i));
      break;
    case TypeId::kInt32:
    case TypeId::kDate32:
      static_cast<Int32Builder*>(builder)->Append(static_cast<const Int32Array&>(array).Value(i));
      break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      static_cast<Int64Builder*>(builder)->Append(static_cast<const Int64Array&>(array).Value(i));
      break;
    case TypeId::kFloat32:
      static_cast<Float32Builder*>(builder)->Append(
          static_cast<const Float32Array&>(array).Value(i));
      break;
    case TypeId::kFloat64:
      static_cast<Float64Builder*>(builder)->Append(
          static_cast<const Float64Array&>(array).Value(i));
      break;
    case TypeId::kDecimal128:
      static_cast<Decimal128Builder*>(builder)->Append(
          static_cast<const Decimal128Array&>(array).Value(i));
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<BinaryBuilder*>(builder)->Append(static_cast<const BinaryArray&>(array).Value(i));
      break;
    case TypeId::kStruct: {
      const auto& structs = static_cast<const StructArray&>(array);
      auto* struct_builder = static_cast<StructBuilder*>(builder);
      for (int k = 0; k < structs.num_fields(); ++k) {
        AppendElement(*structs.field(k), i, struct_builder->field_builder(k));
      }
      struct_builder->Append();
      break;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      const auto& lists = static_cast<const ListArray&>(array);
      auto* list_builder = static_cast<ListBuilder*>(builder);
      for (int32_t j = lists.value_offset(i); j < lists.value_offset(i + 1); ++j) {
        AppendElement(*lists.values(), j, list_builder->value_builder());
      }
      list_builder->Append();
      break;
    }
  }
}

// The rows `rows` of `batch`, copied into a new batch.
Result<RecordBatchPtr> TakeRows(const RecordBatch& batch, const std::vector<int64_t>& rows) {
  std::vector<ArrayPtr> columns;
  for (const ArrayPtr& column : batch.columns()) {
    std::unique_ptr<ArrayBuilder> builder = MakeBuilder(column->type());
    builder->Reserve(static_cast<int64_t>(rows.size()));
    for (int64_t row : rows) AppendElement(*column, row, builder.get());
    ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr taken, builder->Finish());
    columns.push_back(std::move(taken));
  }
  return std::make_shared<const RecordBatch>(batch.schema(), static_cast<int64_t>(rows.size()),
                                             std::move(columns));
}

}  // namespace

bool SameTypeParameters(const DataType& a, const DataType& b) {
  if (a.id() != b.id()) return false;
  if (a.id() == TypeId::kDecimal128)
    return a.precision() == b.precision() && a.scale() == b.scale();
  if (a.id() == TypeId::kTimestamp) return a.utc_adjusted() == b.utc_adjusted();
  return true;
}

bool IsLosslessWidening(const DataType& narrow, const DataType& wide) {
  const int from = IntegerRank(narrow.id());
  const int to = IntegerRank(wide.id());
  if (from > 0 && to > from) return true;
  return narrow.id() == TypeId::kFloat32 && wide.id() == TypeId::kFloat64;
}

Result<ArrayPtr> ConformArray(const ArrayPtr& array, const DataTypePtr& target,
                              std::string_view column) {
  ARCFLOW_ASSIGN_OR_RETURN(auto data, Conform(array->data(), target, column));
  return MakeArray(std::move(data));
}

Result<RecordBatchPtr> ConformBatch(const RecordBatch& batch, const SchemaPtr& schema) {
  std::vector<ArrayPtr> columns;
  columns.reserve(schema->fields().size());
  for (const Field& field : schema->fields()) {
    int index = batch.schema()->GetFieldIndex(field.name);
    if (index < 0) {
      ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr nulls, MakeNullArray(field.type, batch.num_rows()));
      columns.push_back(std::move(nulls));
    } else {
      ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr column,
                               ConformArray(batch.column(index), field.type, field.name));
      columns.push_back(std::move(column));
    }
  }
  return std::make_shared<const RecordBatch>(schema, batch.num_rows(), std::move(columns));
}

std::string EncodeDataFilePath(std::string_view relative_path) {
  static constexpr std::string_view kKept = "-._~/=:@!$&'()*+,;";
  std::string out;
  out.reserve(relative_path.size());
  for (char c : relative_path) {
    auto byte = static_cast<unsigned char>(c);
    bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alphanumeric || byte >= 0x80 || kKept.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

std::string DataFileName(int64_t file_index, std::string_view uuid, codec::CodecType codec) {
  std::string_view suffix = CodecFileSuffix(codec);
  return fmt::format("part-{:05d}-{}-c000{}{}.parquet", file_index, uuid, suffix.empty() ? "" : ".",
                     suffix);
}

Result<DataFileWriterOptions> DataFileWriterOptions::FromMetadata(const Metadata& metadata) {
  DataFileWriterOptions options;
  options.partition_columns = metadata.partition_columns;
  ARCFLOW_ASSIGN_OR_RETURN(options.stats,
                           FileStatsOptions::FromConfiguration(metadata.configuration));
  if (auto size = metadata.Configuration("delta.targetFileSize")) {
    ARCFLOW_ASSIGN_OR_RETURN(options.target_file_size,
                             ParsePositiveBytes("delta.targetFileSize", *size));
  }
  ARCFLOW_ASSIGN_OR_RETURN(options.column_mapping, GetColumnMappingMode(metadata));
  if (auto codec = metadata.Configuration("delta.parquet.compression.codec")) {
    auto parsed = codec::ParseCodecType(*codec);
    if (!parsed.ok()) {
      return parsed.status().WithContext("table property delta.parquet.compression.codec");
    }
    options.parquet.codec = *parsed;
  }
  return options;
}

struct DataFileWriter::OpenFile {
  std::string relative_path;  // On disk, relative to the table root (not URL-encoded).
  PartitionValues partition_values;
  std::shared_ptr<io::UnpublishedFile> unpublished;  // With defer_publication.
  std::unique_ptr<parquet::ParquetFileWriter> writer;
  std::optional<FileStatsCollector> stats;
};

DataFileWriter::DataFileWriter(std::shared_ptr<io::FileSystem> fs, std::string table_root,
                               SchemaPtr schema, DataFileWriterOptions options)
    : fs_(std::move(fs)),
      table_root_(std::move(table_root)),
      schema_(std::move(schema)),
      options_(std::move(options)),
      uuid_(RandomUuid()) {}

DataFileWriter::~DataFileWriter() = default;

Result<std::unique_ptr<DataFileWriter>> DataFileWriter::Open(std::shared_ptr<io::FileSystem> fs,
                                                             std::string table_root,
                                                             SchemaPtr schema,
                                                             DataFileWriterOptions options) {
  std::unique_ptr<DataFileWriter> writer(new DataFileWriter(std::move(fs), std::move(table_root),
                                                            std::move(schema), std::move(options)));
  ARCFLOW_RETURN_NOT_OK(writer->Init());
  return writer;
}

Status DataFileWriter::Init() {
  if (options_.target_file_size <= 0) {
    return Status::Invalid("delta: target file size must be positive, got {}",
                           options_.target_file_size);
  }
  for (const std::string& column : options_.partition_columns) {
    int index = schema_->GetFieldIndex(column);
    if (index < 0) {
      return Status::Invalid("delta: partition column '{}' is not in the schema ({})", column,
                             schema_->ToString());
    }
    if (schema_->field(index).type->is_nested()) {
      return Status::Invalid(
          "delta: partition column '{}' has nested type {}; partition by a "
          "primitive column",
          column, schema_->field(index).type->ToString());
    }
    partition_indices_.push_back(index);
    ARCFLOW_ASSIGN_OR_RETURN(std::string key,
                             PhysicalName(schema_->field(index), options_.column_mapping));
    partition_keys_.push_back(std::move(key));
  }
  std::vector<Field> data_fields;
  for (int i = 0; i < schema_->num_fields(); ++i) {
    bool is_partition = false;
    for (int index : partition_indices_) is_partition = is_partition || index == i;
    if (is_partition) continue;
    data_indices_.push_back(i);
    data_fields.push_back(schema_->field(i));
  }
  if (data_fields.empty()) {
    return Status::Invalid(
        "delta: every column of the table is a partition column ({}); a "
        "data file needs at least one other column",
        schema_->ToString());
  }
  data_schema_ = std::make_shared<const Schema>(std::move(data_fields));
  ARCFLOW_ASSIGN_OR_RETURN(file_schema_, MakePhysicalSchema(data_schema_, options_.column_mapping));
  // Closing row groups at the target size lets the file size be seen and the file rolled.
  options_.parquet.row_group_bytes =
      std::min(options_.parquet.row_group_bytes, options_.target_file_size);
  if (options_.threads < 0) {
    return Status::Invalid(
        "delta: data file writer threads must be 0 (one per core) or more, got {}",
        options_.threads);
  }
  const int threads =
      options_.threads > 0
          ? options_.threads
          : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u,
                                        static_cast<unsigned>(options_.kMaxDefaultWriteThreads)));
  if (threads > 1 && options_.parquet.thread_pool == nullptr) {
    options_.parquet.thread_pool = std::make_shared<ThreadPool>(threads);
  }
  return options_.parquet.Validate();
}

Result<RecordBatch> DataFileWriter::Relabel(const RecordBatch& batch) const {
  if (batch.num_columns() != schema_->num_fields()) {
    return Status::Invalid("delta: batch has {} columns, the table {} ({})", batch.num_columns(),
                           schema_->num_fields(), schema_->ToString());
  }
  std::vector<ArrayPtr> columns;
  for (int i = 0; i < schema_->num_fields(); ++i) {
    const Field& field = schema_->field(i);
    ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr column,
                             ConformArray(batch.column(i), field.type, field.name));
    columns.push_back(std::move(column));
  }
  return RecordBatch(schema_, batch.num_rows(), std::move(columns));
}

PartitionValues DataFileWriter::PartitionValuesAt(const RecordBatch& relabelled,
                                                  int64_t row) const {
  PartitionValues values;
  for (size_t p = 0; p < partition_indices_.size(); ++p) {
    const int index = partition_indices_[p];
    values.emplace_back(partition_keys_[p],
                        FormatPartitionValue(TypedValueAt(*relabelled.column(index), row)));
  }
  return values;
}

Status DataFileWriter::Write(const RecordBatch& batch) {
  if (finished_) return Status::Invalid("delta: data file writer already finished");
  ARCFLOW_RETURN_NOT_OK(failed_);
  ARCFLOW_ASSIGN_OR_RETURN(RecordBatch relabelled, Relabel(batch));
  if (batch.num_rows() == 0) return Status::OK();

  auto fail = [&](Status status) {
    failed_ = status;
    return status;
  };
  if (partition_indices_.empty()) {
    ARCFLOW_RETURN_NOT_OK(fail(WriteSlice(relabelled, {})));
    num_rows_ += batch.num_rows();
    return Status::OK();
  }
  // Groups rows by partition, keeping the order partitions first appear in.
  std::vector<PartitionValues> partitions;
  std::vector<std::vector<int64_t>> rows_of_partition;
  std::map<PartitionValues, size_t> partition_index;
  int64_t runs = 0;
  size_t previous = 0;
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    auto [entry, added] =
        partition_index.emplace(PartitionValuesAt(relabelled, row), partitions.size());
    if (added) {
      partitions.push_back(entry->first);
      rows_of_partition.emplace_back();
    }
    if (row == 0 || entry->second != previous) ++runs;
    previous = entry->second;
    rows_of_partition[entry->second].push_back(row);
  }
  for (size_t p = 0; p < partitions.size(); ++p) {
    const std::vector<int64_t>& rows = rows_of_partition[p];
    if (runs == static_cast<int64_t>(partitions.size())) {
      // Each partition's rows are contiguous (clustered input): a zero-copy slice.
      ARCFLOW_RETURN_NOT_OK(fail(WriteSlice(
          *relabelled.Slice(rows.front(), static_cast<int64_t>(rows.size())), partitions[p])));
    } else {
      auto gathered = TakeRows(relabelled, rows);
      if (!gathered.ok()) return fail(gathered.status());
      ARCFLOW_RETURN_NOT_OK(fail(WriteSlice(**gathered, partitions[p])));
    }
  }
  num_rows_ += batch.num_rows();
  return Status::OK();
}

Result<DataFileWriter::OpenFile*> DataFileWriter::FileFor(const std::string& directory,
                                                          const PartitionValues& values) {
  auto found = open_files_.find(directory);
  if (found == open_files_.end()) {
    auto file = std::make_unique<OpenFile>();
    file->partition_values = values;
    std::string name = DataFileName(next_file_index_++, uuid_, options_.parquet.codec);
    file->relative_path = directory.empty() ? name : directory + "/" + name;
    std::string full_path = io::JoinPath(table_root_, file->relative_path);
    ARCFLOW_RETURN_NOT_OK(fs_->CreateDirectories(std::string(io::ParentPath(full_path))));
    std::unique_ptr<io::AtomicFileWriter> sink;
    if (options_.defer_publication) {
      ARCFLOW_ASSIGN_OR_RETURN(
          sink, io::AtomicFileWriter::OpenUnpublished(fs_, full_path, io::PublishMode::kIfAbsent,
                                                      &file->unpublished));
    } else {
      ARCFLOW_ASSIGN_OR_RETURN(
          sink, io::AtomicFileWriter::Open(fs_, full_path, io::PublishMode::kIfAbsent));
    }
    ARCFLOW_ASSIGN_OR_RETURN(file->writer, parquet::ParquetFileWriter::Open(
                                               std::move(sink), file_schema_, options_.parquet));
    if (options_.collect_stats) {
      ARCFLOW_ASSIGN_OR_RETURN(
          auto stats, FileStatsCollector::MakeForParquetFile(data_schema_, options_.stats));
      if (stats.num_parquet_leaves() != file->writer->num_leaves()) {
        return Status::Internal(
            "delta: the statistics of {} expect {} Parquet leaf columns, the file has {}",
            full_path, stats.num_parquet_leaves(), file->writer->num_leaves());
      }
      file->stats.emplace(std::move(stats));
    }
    found = open_files_.emplace(directory, std::move(file)).first;
  }
  return found->second.get();
}

Status DataFileWriter::WriteSlice(const RecordBatch& slice, const PartitionValues& values) {
  std::vector<ArrayPtr> data_columns;
  for (int index : data_indices_) data_columns.push_back(slice.column(index));
  RecordBatch data(data_schema_, slice.num_rows(), std::move(data_columns));
  std::string directory = PartitionDirectory(values);
  for (int64_t offset = 0; offset < data.num_rows();) {
    ARCFLOW_ASSIGN_OR_RETURN(OpenFile * file, FileFor(directory, values));
    // The file's size grows only when a row group closes. Writing no more rows than the Parquet
    // writer takes before its next row-group check makes a row group close only at the end of
    // a write, so the file is closed right after the row group that reaches the target size.
    const int64_t length =
        std::min(file->writer->rows_until_row_group_check(), data.num_rows() - offset);
    auto chunk = data.Slice(offset, length);
    offset += length;
    ARCFLOW_RETURN_NOT_OK(file->writer->Write(*Rename(*chunk, file_schema_)));
    if (file->stats) ARCFLOW_RETURN_NOT_OK(file->stats->Update(*chunk));
    if (file->writer->bytes_written() >= options_.target_file_size) {
      ARCFLOW_RETURN_NOT_OK(CloseFile(file));
      open_files_.erase(directory);
    }
  }
  return Status::OK();
}

namespace {

// Runs at least this long (on average) of kept rows are written as slices of the batch that
// holds them; shorter ones are gathered into a new batch first, since every write has a fixed
// cost that copying a few rows does not.
constexpr int64_t kMinSliceRows = 1024;

// Hands `consume` the rows of `batch` whose flag is set, in order: long runs as slices of the
// batch, many short ones gathered into one batch.
template <typename Consume>
Status ForKeptRows(const RecordBatchPtr& batch, std::span<const uint8_t> keep, Consume&& consume) {
  std::vector<std::pair<int64_t, int64_t>> runs;  // [begin, end) of each run of kept rows.
  const auto num_rows = static_cast<int64_t>(keep.size());
  for (int64_t row = 0; row < num_rows;) {
    if (keep[static_cast<size_t>(row)] == 0) {
      ++row;
      continue;
    }
    const int64_t begin = row;
    while (row < num_rows && keep[static_cast<size_t>(row)] != 0) ++row;
    runs.emplace_back(begin, row);
    if (static_cast<int64_t>(runs.size()) * kMinSliceRows > num_rows) {
      // Too many runs: one filtered copy.
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr rows, FilterRecordBatch(batch, keep));
      return rows->num_rows() > 0 ? consume(*rows) : Status::OK();
    }
  }
  for (const auto& [begin, end] : runs) {
    const bool whole = begin == 0 && end == batch->num_rows();
    ARCFLOW_RETURN_NOT_OK(consume(whole ? *batch : *batch->Slice(begin, end - begin)));
  }
  return Status::OK();
}

}  // namespace

Status DataFileWriter::WriteKeptRows(const RecordBatchPtr& batch, int64_t first_row,
                                     std::span<const uint8_t> keep,
                                     const std::shared_ptr<const parquet::StoredPages>& source,
                                     std::span<const int> changed_columns) {
  if (finished_) return Status::Invalid("delta: data file writer already finished");
  ARCFLOW_RETURN_NOT_OK(failed_);
  const int64_t num_rows = batch->num_rows();
  if (first_row < 0 || first_row > static_cast<int64_t>(keep.size()) - num_rows) {
    return Status::Invalid("delta: rows [{}, {}) of a file with {} keep flags", first_row,
                           first_row + num_rows, keep.size());
  }
  const std::span<const uint8_t> flags =
      keep.subspan(static_cast<size_t>(first_row), static_cast<size_t>(num_rows));
  for (int index : partition_indices_) {
    if (std::find(changed_columns.begin(), changed_columns.end(), index) != changed_columns.end()) {
      // Its rows could belong to other partitions than the file's.
      return Status::Invalid("delta: rows rewritten in place of {} change partition column '{}'",
                             source ? source->path() : "a data file", schema_->field(index).name);
    }
  }
  if (source == nullptr || num_rows == 0) {
    return ForKeptRows(batch, flags, [&](const RecordBatch& rows) { return Write(rows); });
  }
  ARCFLOW_ASSIGN_OR_RETURN(RecordBatch relabelled, Relabel(*batch));
  // The rows of one data file share its partition values.
  const PartitionValues values = PartitionValuesAt(relabelled, 0);
  const std::string directory = PartitionDirectory(values);
  ARCFLOW_ASSIGN_OR_RETURN(OpenFile * file, FileFor(directory, values));
  if (!file->writer->can_write_kept_rows()) {
    return ForKeptRows(batch, flags, [&](const RecordBatch& rows) { return Write(rows); });
  }
  std::vector<ArrayPtr> data_columns;
  std::vector<int> changed_data_columns;
  for (int index : data_indices_) {
    if (std::find(changed_columns.begin(), changed_columns.end(), index) != changed_columns.end()) {
      changed_data_columns.push_back(static_cast<int>(data_columns.size()));
    }
    data_columns.push_back(relabelled.column(index));
  }
  auto data = std::make_shared<RecordBatch>(data_schema_, num_rows, std::move(data_columns));
  Status status = [&]() -> Status {
    ARCFLOW_RETURN_NOT_OK(file->writer->WriteKeptRows(*Rename(*data, file_schema_), first_row, keep,
                                                      source, changed_data_columns));
    if (file->stats) {
      ARCFLOW_RETURN_NOT_OK(ForKeptRows(
          data, flags, [&](const RecordBatch& rows) { return file->stats->Update(rows); }));
    }
    num_rows_ += std::count_if(flags.begin(), flags.end(), [](uint8_t flag) { return flag != 0; });
    // A file is closed only between pages.
    if (!file->writer->in_stored_page() &&
        file->writer->bytes_written() >= options_.target_file_size) {
      ARCFLOW_RETURN_NOT_OK(CloseFile(file));
      open_files_.erase(directory);
    }
    return Status::OK();
  }();
  if (!status.ok()) failed_ = status;
  return status;
}

Status DataFileWriter::CloseFile(OpenFile* file) {
  std::string full_path = io::JoinPath(table_root_, file->relative_path);
  ARCFLOW_RETURN_NOT_OK_CTX(file->writer->Close(), fmt::format("writing {}", full_path));
  // Published, the file keeps the size and time it has under its temporary name.
  ARCFLOW_ASSIGN_OR_RETURN(
      io::FileInfo info,
      fs_->GetFileInfo(file->unpublished ? file->unpublished->temporary_path() : full_path));
  if (file->unpublished) unpublished_.push_back(std::move(file->unpublished));
  AddFile add;
  add.path = EncodeDataFilePath(file->relative_path);
  add.partition_values = file->partition_values;
  add.size = info.size;
  add.modification_time = info.modification_time_ms;
  add.data_change = options_.data_change;
  if (file->stats) {
    ARCFLOW_RETURN_NOT_OK_CTX(file->stats->SetParquetLeafStatistics(file->writer->LeafStatistics()),
                              fmt::format("statistics of {}", full_path));
    add.stats = file->stats->ToJson();
  }
  added_.push_back(std::move(add));
  return Status::OK();
}

Status DataFileWriter::WriteAll(RecordBatchReader& reader) {
  while (true) {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, reader.Next());
    if (!batch) return Status::OK();
    ARCFLOW_RETURN_NOT_OK(Write(*batch));
  }
}

Result<std::vector<AddFile>> DataFileWriter::Finish() {
  if (finished_) return Status::Invalid("delta: data file writer already finished");
  ARCFLOW_RETURN_NOT_OK(failed_);
  finished_ = true;
  for (auto& [directory, file] : open_files_) {
    Status status = CloseFile(file.get());
    if (!status.ok()) {
      failed_ = status;
      return status;
    }
  }
  open_files_.clear();
  return std::move(added_);
}

}  // namespace arcflow::delta
