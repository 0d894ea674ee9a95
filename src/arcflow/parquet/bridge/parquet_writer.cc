#include "arcflow/parquet/bridge/parquet_writer.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

#include "arcflow/base/bit_util.h"
#include "arcflow/codec/codec.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/parquet/bridge/level_builder.h"
#include "arcflow/parquet/bridge/schema_to_parquet.h"
#include "arcflow/parquet/footer.h"

// The build the binary comes from, for created_by; the build system may pass a commit id.
#ifndef ARCFLOW_BUILD_ID
#define ARCFLOW_BUILD_ID "unknown"
#endif

namespace arcflow::parquet {
namespace {

// Spark decides from this key whether dates and timestamps before the Gregorian switch need
// rebasing from the hybrid Julian calendar. arcflow writes proleptic Gregorian values, as Spark
// 3 does, and says so; without the key Spark 3 refuses such values by default
// (spark.sql.parquet.datetimeRebaseModeInRead=EXCEPTION).
constexpr std::string_view kSparkVersionKey = "org.apache.spark.version";
constexpr std::string_view kSparkVersion = "3.5.0";

// Rows written before the first row-group size check, and the most between two checks.
constexpr int64_t kInitialRowsUntilCheck = 256;
constexpr int64_t kMaxRowsBetweenChecks = 32 * 1024;

// Whether arrays of `a` can be written as columns of `b`: the same type tree up to names,
// nullability (checked value by value while shredding) and metadata.
bool SameLayout(const DataType& a, const DataType& b) {
  if (a.id() != b.id() || a.num_fields() != b.num_fields()) return false;
  if (a.id() == TypeId::kDecimal128 && (a.precision() != b.precision() || a.scale() != b.scale())) {
    return false;
  }
  if (a.id() == TypeId::kTimestamp && a.utc_adjusted() != b.utc_adjusted()) return false;
  for (int i = 0; i < a.num_fields(); ++i) {
    if (!SameLayout(*a.field(i).type, *b.field(i).type)) return false;
  }
  return true;
}

// Returns buffers[index] of `array` if it holds at least `min_size` bytes.
Result<const Buffer*> ArrayBuffer(const ArrayData& array, size_t index, int64_t min_size,
                                  const std::string& column) {
  if (array.buffers.size() <= index || !array.buffers[index] ||
      array.buffers[index]->size() < min_size) {
    return Status::Invalid("parquet: array of column '{}' ({}) lacks buffer {} of {} bytes", column,
                           array.type->ToString(), index, min_size);
  }
  return array.buffers[index].get();
}

int64_t TotalRunLength(std::span<const ValueRun> runs) {
  int64_t total = 0;
  for (const ValueRun& run : runs) total += run.length;
  return total;
}

}  // namespace

std::string_view ParquetCreatedBy() { return "arcflow version 0.1.0 (build " ARCFLOW_BUILD_ID ")"; }

Result<ParquetWriteOptions> ParquetWriteOptions::FromFormatOptions(
    const io::FormatOptions& options) {
  ParquetWriteOptions result;
  // The first of `keys` that is set, if any.
  const auto find =
      [&](std::initializer_list<std::string_view> keys) -> std::optional<std::string_view> {
    for (std::string_view key : keys) {
      if (options.Has(key)) return key;
    }
    return std::nullopt;
  };
  const auto get_size = [&](std::initializer_list<std::string_view> keys, int64_t* out,
                            std::string_view unit = "bytes") -> Status {
    const auto key = find(keys);
    if (!key) return Status::OK();
    ARCFLOW_ASSIGN_OR_RETURN(int64_t value, options.GetInt(*key, 0));
    if (value <= 0) {
      return Status::Invalid("options: {} must be a positive number of {}, got {}", *key, unit,
                             value);
    }
    *out = value;
    return Status::OK();
  };
  const auto get_bool = [&](std::initializer_list<std::string_view> keys, bool* out) -> Status {
    const auto key = find(keys);
    if (!key) return Status::OK();
    ARCFLOW_ASSIGN_OR_RETURN(*out, options.GetBool(*key, *out));
    return Status::OK();
  };

  if (const auto key = find({"compression", "codec", "parquet.compression"})) {
    ARCFLOW_ASSIGN_OR_RETURN(result.codec, codec::ParseCodecType(options.GetString(*key, "zstd")));
  }
  if (const auto key =
          find({"compression_level", "compressionLevel", "parquet.compression.codec.zstd.level"})) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t level, options.GetInt(*key, 0));
    if (level < std::numeric_limits<int>::min() + 1 || level > std::numeric_limits<int>::max()) {
      return Status::Invalid("options: {} is out of range: {}", *key, level);
    }
    result.compression_level = static_cast<int>(level);
  }
  ARCFLOW_RETURN_NOT_OK(
      get_size({"row_group_size", "parquet.block.size"}, &result.row_group_bytes));
  ARCFLOW_RETURN_NOT_OK(get_size({"page_size", "parquet.page.size"}, &result.page_bytes));
  ARCFLOW_RETURN_NOT_OK(get_size({"page_row_count_limit", "parquet.page.row.count.limit"},
                                 &result.page_rows, "rows"));
  ARCFLOW_RETURN_NOT_OK(get_size({"dictionary_page_size", "parquet.dictionary.page.size"},
                                 &result.dictionary_page_bytes_limit));
  ARCFLOW_RETURN_NOT_OK(get_bool({"dictionary", "parquet.enable.dictionary"}, &result.dictionary));
  ARCFLOW_RETURN_NOT_OK(
      get_bool({"write_statistics", "parquet.statistics.enabled"}, &result.write_statistics));
  ARCFLOW_RETURN_NOT_OK(
      get_bool({"page_checksums", "parquet.page.write-checksum.enabled"}, &result.page_checksums));
  if (const auto key = find({"data_page_version", "parquet.writer.version"})) {
    const std::string text = options.GetString(*key, "1");
    std::string lower;
    for (char c : text)
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "1" || lower == "1.0" || lower == "v1" || lower == "parquet_1_0") {
      result.data_page_version = DataPageVersion::kV1;
    } else if (lower == "2" || lower == "2.0" || lower == "v2" || lower == "parquet_2_0") {
      result.data_page_version = DataPageVersion::kV2;
    } else {
      return Status::Invalid(
          "options: {} must be 1 or 2 (v1, v2, PARQUET_1_0, PARQUET_2_0), got '{}'", *key, text);
    }
  }
  if (const auto key = find({"threads"})) {
    ARCFLOW_ASSIGN_OR_RETURN(int64_t threads, options.GetInt(*key, 1));
    if (threads <= 0 || threads > 1024) {
      return Status::Invalid("options: {} must be a number of threads from 1 to 1024, got {}", *key,
                             threads);
    }
    result.threads = static_cast<int>(threads);
  }
  ARCFLOW_RETURN_NOT_OK(result.Validate());
  return result;
}

Status ParquetWriteOptions::Validate() const {
  if (row_group_bytes <= 0 || page_bytes <= 0 || page_rows <= 0 ||
      dictionary_page_bytes_limit <= 0 || write_batch_levels <= 0 ||
      statistics_truncate_length < 0) {
    return Status::Invalid(
        "parquet: writer options out of range (row_group_bytes={}, page_bytes={}, page_rows={}, "
        "dictionary_page_bytes_limit={}, write_batch_levels={}, statistics_truncate_length={})",
        row_group_bytes, page_bytes, page_rows, dictionary_page_bytes_limit, write_batch_levels,
        statistics_truncate_length);
  }
  if (threads < 1)
    return Status::Invalid("parquet: writer threads must be at least 1, got {}", threads);
  if (data_page_version != DataPageVersion::kV1 && data_page_version != DataPageVersion::kV2) {
    return Status::Invalid("parquet: unknown data page version {}",
                           static_cast<int>(data_page_version));
  }
  return codec::ResolveCompressionLevel(codec, compression_level).status();
}

// One leaf column: its shredder, its chunk writer, and scratch space for values whose Parquet
// form differs from their arcflow form (narrow integers, decimals).
struct ParquetFileWriter::LeafColumn {
  LeafColumn(LeafPath path, std::string column_name, DataTypePtr leaf_type)
      : shredder(std::move(path)), name(std::move(column_name)), type(std::move(leaf_type)) {}

  // Points `values` at the shredded leaf values `runs` (all of them, or some), converting them
  // into scratch space if need be.
  Status MakeValues(std::span<const ValueRun> runs, ColumnValues* values);
  Status MakeValues(ColumnValues* values) { return MakeValues(shredder.runs(), values); }

  // The values of the last shred, as MakeValues set them, for EncodeLeaf.
  ColumnValues values;

  LeafShredder shredder;
  std::unique_ptr<ColumnChunkWriter> writer;
  std::string name;  // The dotted path, for messages.
  DataTypePtr type;
  int32_t fixed_width = 0;  // Bytes per FIXED_LEN_BYTE_ARRAY decimal.

  std::vector<int32_t> int32_values;
  std::vector<int64_t> int64_values;
  std::vector<uint8_t> byte_values;
  ValueRun converted_run;

  // Rewriting a stored file (WriteKeptRows): the leaf of it whose pages this one can take (-1:
  // none), the chunk of that leaf the open column chunk follows (null: none), the stored page
  // being copied and the values of it counted so far.
  int stored_leaf = -1;
  const StoredPages::Chunk* following = nullptr;
  bool changed = false;  // Whether rows flagged kRowChanged have new values in this column.
  const StoredPages::Page* open_page = nullptr;
  int64_t open_page_values = 0;
  int64_t pages_copied = 0;
  // The kept rows of a page that is not copied: their value runs and definition levels.
  std::vector<ValueRun> kept_runs;
  std::vector<uint8_t> kept_validity;
};

Status ParquetFileWriter::LeafColumn::MakeValues(std::span<const ValueRun> runs,
                                                 ColumnValues* values) {
  const ArrayData& array = shredder.leaf();
  values->runs = runs;
  const int64_t end = array.offset + array.length;
  // Copies the values of the runs into `scratch` as `convert_value(i, &out)` gives them (false
  // when value i does not fit) and hands them over as one run.
  const auto convert = [&](auto* scratch, auto&& convert_value) -> Status {
    scratch->resize(static_cast<size_t>(TotalRunLength(runs)));
    auto* out = scratch->data();
    for (const ValueRun& run : runs) {
      for (int64_t i = run.offset; i < run.offset + run.length; ++i) {
        if (!convert_value(i, out)) {
          return Status::Invalid("parquet: decimal value of column '{}' does not fit {}", name,
                                 type->ToString());
        }
        ++out;
      }
    }
    converted_run = {0, static_cast<int64_t>(scratch->size())};
    values->fixed = scratch->data();
    values->runs = std::span<const ValueRun>(&converted_run, 1);
    return Status::OK();
  };
  const auto fixed_buffer = [&](int width) -> Result<const uint8_t*> {
    ARCFLOW_ASSIGN_OR_RETURN(const Buffer* buffer, ArrayBuffer(array, 1, end * width, name));
    return buffer->data() + array.offset * width;
  };

  switch (type->id()) {
    case TypeId::kBoolean: {
      ARCFLOW_ASSIGN_OR_RETURN(const Buffer* bits,
                               ArrayBuffer(array, 1, bit_util::BytesForBits(end), name));
      values->bitmap = bits->data();
      values->bitmap_offset = array.offset;
      return Status::OK();
    }
    case TypeId::kInt8: {
      ARCFLOW_ASSIGN_OR_RETURN(const uint8_t* data, fixed_buffer(1));
      const auto* source = reinterpret_cast<const int8_t*>(data);
      return convert(&int32_values, [&](int64_t i, int32_t* out) {
        *out = source[i];
        return true;
      });
    }
    case TypeId::kInt16: {
      ARCFLOW_ASSIGN_OR_RETURN(const uint8_t* data, fixed_buffer(2));
      const auto* source = reinterpret_cast<const int16_t*>(data);
      return convert(&int32_values, [&](int64_t i, int32_t* out) {
        *out = source[i];
        return true;
      });
    }
    case TypeId::kInt32:
    case TypeId::kDate32:
    case TypeId::kFloat32: {
      ARCFLOW_ASSIGN_OR_RETURN(values->fixed, fixed_buffer(4));
      return Status::OK();
    }
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kFloat64: {
      ARCFLOW_ASSIGN_OR_RETURN(values->fixed, fixed_buffer(8));
      return Status::OK();
    }
    case TypeId::kString:
    case TypeId::kBinary: {
      ARCFLOW_ASSIGN_OR_RETURN(const Buffer* offsets, ArrayBuffer(array, 1, (end + 1) * 4, name));
      ARCFLOW_ASSIGN_OR_RETURN(const Buffer* data, ArrayBuffer(array, 2, 0, name));
      const int32_t* offset_values = offsets->data_as<int32_t>() + array.offset;
      // The values written must lie within the data buffer.
      for (const ValueRun& run : runs) {
        if (run.length == 0) continue;
        const int32_t first = offset_values[run.offset];
        const int32_t last = offset_values[run.offset + run.length];
        if (first < 0 || last < first || last > data->size()) {
          return Status::Invalid(
              "parquet: string offsets of column '{}' lie outside its {} data bytes", name,
              data->size());
        }
      }
      values->byte_arrays = ByteArraySpan{offset_values, data->data(), array.length};
      return Status::OK();
    }
    case TypeId::kDecimal128: {
      ARCFLOW_ASSIGN_OR_RETURN(const uint8_t* data, fixed_buffer(16));
      const auto* source = reinterpret_cast<const int128_t*>(data);
      // Values beyond the physical width cannot be stored; those beyond the precision but
      // within the width are the caller's business, as in Spark.
      const int32_t precision = type->precision();
      if (precision <= 9) {
        return convert(&int32_values, [&](int64_t i, int32_t* out) {
          const int128_t value = source[i];
          *out = static_cast<int32_t>(value);
          return value == *out;
        });
      }
      if (precision <= 18) {
        return convert(&int64_values, [&](int64_t i, int64_t* out) {
          const int128_t value = source[i];
          *out = static_cast<int64_t>(value);
          return value == *out;
        });
      }
      // Big-endian two's complement in fixed_width bytes.
      const int64_t count = TotalRunLength(runs);
      byte_values.resize(static_cast<size_t>(count * fixed_width));
      uint8_t* out = byte_values.data();
      for (const ValueRun& run : runs) {
        for (int64_t i = run.offset; i < run.offset + run.length; ++i) {
          const int128_t value = source[i];
          const int128_t high = value >> (8 * fixed_width - 1);
          if (high != 0 && high != -1) {
            return Status::Invalid("parquet: decimal value of column '{}' does not fit {}", name,
                                   type->ToString());
          }
          for (int32_t b = 0; b < fixed_width; ++b) {
            out[b] = static_cast<uint8_t>(value >> (8 * (fixed_width - 1 - b)));
          }
          out += fixed_width;
        }
      }
      converted_run = {0, count};
      values->fixed = byte_values.data();
      values->runs = std::span<const ValueRun>(&converted_run, 1);
      return Status::OK();
    }
    case TypeId::kStruct:
    case TypeId::kList:
    case TypeId::kMap:
      break;
  }
  return Status::Internal("parquet: leaf column '{}' has nested type {}", name, type->ToString());
}

ParquetFileWriter::ParquetFileWriter(std::unique_ptr<io::WritableFile> file, SchemaPtr schema,
                                     ParquetWriteOptions options)
    : file_(std::move(file)), schema_(std::move(schema)), options_(std::move(options)) {}

ParquetFileWriter::~ParquetFileWriter() = default;

Result<std::unique_ptr<ParquetFileWriter>> ParquetFileWriter::Open(
    std::unique_ptr<io::WritableFile> file, SchemaPtr schema, ParquetWriteOptions options) {
  if (file == nullptr || schema == nullptr) {
    return Status::Invalid("parquet: writer needs a file and a schema");
  }
  ARCFLOW_RETURN_NOT_OK(options.Validate());
  std::unique_ptr<ParquetFileWriter> writer(
      new ParquetFileWriter(std::move(file), std::move(schema), std::move(options)));
  ARCFLOW_RETURN_NOT_OK(writer->Init().WithContext(writer->file_->path()));
  return writer;
}

Status ParquetFileWriter::Init() {
  ARCFLOW_ASSIGN_OR_RETURN(codec_, codec::MakeCodec(options_.codec, options_.compression_level));
  ARCFLOW_ASSIGN_OR_RETURN(SchemaNode root, SchemaToParquet(*schema_));
  ARCFLOW_ASSIGN_OR_RETURN(metadata_.schema, FlattenSchema(root));
  ARCFLOW_ASSIGN_OR_RETURN(SchemaDescriptor descriptor,
                           SchemaDescriptor::FromRoot(std::move(root)));
  descriptor_.emplace(std::move(descriptor));

  ColumnChunkWriterOptions chunk_options;
  chunk_options.page_bytes = options_.page_bytes;
  chunk_options.page_rows = options_.page_rows;
  chunk_options.dictionary = options_.dictionary;
  chunk_options.dictionary_page_bytes_limit = options_.dictionary_page_bytes_limit;
  chunk_options.write_statistics = options_.write_statistics;
  chunk_options.page_checksums = options_.page_checksums;
  chunk_options.statistics_truncate_length = options_.statistics_truncate_length;
  chunk_options.data_page_version = options_.data_page_version;
  chunk_options.write_batch_levels = options_.write_batch_levels;

  for (const Field& field : schema_->fields()) {
    first_leaf_.push_back(leaves_.size());
    for (LeafPath& path : LeafPathsOf(field)) {
      const int index = static_cast<int>(leaves_.size());
      if (index >= descriptor_->num_columns()) {
        return Status::Internal("parquet: more leaf paths than Parquet columns");
      }
      const ColumnDescriptor& column = descriptor_->column(index);
      DataTypePtr leaf_type;
      {
        // Walk the arcflow type down the path to the leaf's type.
        const Field* current = &field;
        for (const LevelStep& step : path) {
          if (step.kind == LevelStep::Kind::kLeaf) break;
          const DataType& type = *current->type;
          current =
              step.kind == LevelStep::Kind::kList ? &type.element_field() : &type.field(step.child);
        }
        leaf_type = current->type;
      }
      auto leaf = std::make_unique<LeafColumn>(std::move(path), column.dotted_path, leaf_type);
      if (leaf->shredder.max_definition_level() != column.max_definition_level ||
          leaf->shredder.max_repetition_level() != column.max_repetition_level) {
        return Status::Internal(
            "parquet: levels of column {} disagree with its schema (definition {} vs {}, "
            "repetition {} vs {})",
            column.dotted_path, leaf->shredder.max_definition_level(), column.max_definition_level,
            leaf->shredder.max_repetition_level(), column.max_repetition_level);
      }
      leaf->fixed_width = column.type_length;
      ARCFLOW_ASSIGN_OR_RETURN(leaf->writer,
                               ColumnChunkWriter::Make(column, codec_.get(), chunk_options));
      leaves_.push_back(std::move(leaf));
    }
  }
  first_leaf_.push_back(leaves_.size());
  if (static_cast<int>(leaves_.size()) != descriptor_->num_columns()) {
    return Status::Internal("parquet: {} leaf paths for {} Parquet columns", leaves_.size(),
                            descriptor_->num_columns());
  }

  std::vector<KeyValue> key_values;
  key_values.push_back({std::string(kSparkRowMetadataKey), ToStructTypeJson(*schema_)});
  key_values.push_back({std::string(kSparkVersionKey), std::string(kSparkVersion)});
  for (const auto& option : options_.key_value_metadata) {
    const std::string& key = option.first;
    auto existing = std::find_if(key_values.begin(), key_values.end(),
                                 [&](const KeyValue& entry) { return entry.key == key; });
    if (existing != key_values.end()) {
      existing->value = option.second;
    } else {
      key_values.push_back({key, option.second});
    }
  }
  metadata_.key_value_metadata = std::move(key_values);
  metadata_.version = 1;
  metadata_.created_by = std::string(ParquetCreatedBy());
  metadata_.column_orders =
      std::vector<ColumnOrder>(leaves_.size(), ColumnOrder{ColumnOrder::Kind::kTypeDefined});
  rows_until_check_ = kInitialRowsUntilCheck;
  if (options_.thread_pool != nullptr) {
    if (options_.thread_pool->size() > 1) pool_ = options_.thread_pool;
  } else {
    // More threads than leaves would idle.
    const int threads = static_cast<int>(
        std::min<size_t>(static_cast<size_t>(std::max(options_.threads, 1)), leaves_.size()));
    if (threads > 1) pool_ = std::make_shared<ThreadPool>(threads);
  }
  if (pool_ != nullptr) column_caches_.resize(first_leaf_.size() - 1);

  const auto magic = std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(kParquetMagic.data()), kParquetMagic.size());
  ARCFLOW_RETURN_NOT_OK(file_->Append(magic));
  position_ = kParquetMagicSize;
  return Status::OK();
}

Status ParquetFileWriter::Append(const Buffer& bytes) {
  ARCFLOW_RETURN_NOT_OK(file_->Append(bytes.span()));
  position_ += bytes.size();
  return Status::OK();
}

Status ParquetFileWriter::CheckBatch(const RecordBatch& batch) const {
  if (closed_) return Status::Invalid("parquet: write after close ({})", file_->path());
  if (batch.num_columns() != schema_->num_fields()) {
    return Status::Invalid("parquet: batch has {} columns, the file's schema {} ({})",
                           batch.num_columns(), schema_->num_fields(), file_->path());
  }
  for (int i = 0; i < batch.num_columns(); ++i) {
    const DataType& expected = *schema_->field(i).type;
    const ArrayPtr& column = batch.column(i);
    if (column == nullptr || column->length() != batch.num_rows() ||
        !SameLayout(*column->type(), expected)) {
      return Status::Invalid("parquet: column '{}' of the batch is not a column of type {} ({})",
                             schema_->field(i).name, expected.ToString(), file_->path());
    }
  }
  return Status::OK();
}

Status ParquetFileWriter::Write(const RecordBatch& batch) {
  if (!failed_.ok()) return failed_;
  ARCFLOW_RETURN_NOT_OK(CheckBatch(batch));
  if (in_stored_page()) {
    return Status::Invalid(
        "parquet: write to {} while a stored page is being copied; write the rest of its rows "
        "first",
        file_->path());
  }
  Status status = [&]() -> Status {
    int64_t offset = 0;
    while (offset < batch.num_rows()) {
      const int64_t length = std::min(batch.num_rows() - offset, rows_until_check_);
      ARCFLOW_RETURN_NOT_OK(WriteRows(batch, offset, length));
      offset += length;
      row_group_rows_ += length;
      num_rows_ += length;
      int64_t size = EstimatedRowGroupSize();
      bytes_per_row_ = std::max<int64_t>(1, size / row_group_rows_);
      if (size >= options_.row_group_bytes) {
        ARCFLOW_RETURN_NOT_OK(FlushRowGroup());
        size = 0;
      }
      // Check again about halfway to the limit, at the row size seen so far.
      rows_until_check_ = std::clamp<int64_t>(
          (options_.row_group_bytes - size) / bytes_per_row_ / 2, 1, kMaxRowsBetweenChecks);
    }
    return Status::OK();
  }();
  if (!status.ok() && failed_.ok()) failed_ = status.WithContext(file_->path());
  return status.ok() ? Status::OK() : failed_;
}

Status ParquetFileWriter::EncodeLeaf(LeafColumn& leaf) {
  const LeafShredder& shredded = leaf.shredder;
  return (shredded.levels_in_bitmap()
              ? leaf.writer->WriteFlatOptional(shredded.num_levels(), shredded.validity_bits(),
                                               shredded.validity_offset(), leaf.values)
              : leaf.writer->Write(shredded.num_levels(), shredded.definition_levels(),
                                   shredded.repetition_levels(), leaf.values))
      .WithContext(fmt::format("column {}", leaf.name));
}

Status ParquetFileWriter::WriteRows(const RecordBatch& batch, int64_t offset, int64_t length) {
  // On one thread each leaf is encoded right after it is shredded, while its levels are in
  // cache. On several, every leaf is shredded first (the leaves of a column share levels, so
  // this part stays serial), then the leaves are encoded in parallel: each has its own chunk
  // writer, and the codec is thread-safe.
  const bool parallel = pool_ != nullptr;
  for (int i = 0; i < batch.num_columns(); ++i) {
    const std::shared_ptr<const ArrayData>& data = batch.column(i)->data();
    std::shared_ptr<const ArrayData> window =
        offset == 0 && length == data->length ? data : data->Slice(offset, length);
    // The leaves of one column share the levels down to their lists.
    ShreddingCache& cache = parallel ? column_caches_[static_cast<size_t>(i)] : shredding_cache_;
    cache.Clear();
    for (size_t k = first_leaf_[static_cast<size_t>(i)];
         k < first_leaf_[static_cast<size_t>(i) + 1]; ++k) {
      LeafColumn& leaf = *leaves_[k];
      ARCFLOW_RETURN_NOT_OK(leaf.shredder.Shred(*window, &cache));
      ARCFLOW_RETURN_NOT_OK(leaf.MakeValues(&leaf.values));
      if (!parallel) ARCFLOW_RETURN_NOT_OK(EncodeLeaf(leaf));
    }
  }
  if (!parallel) return Status::OK();
  std::vector<Status> statuses(leaves_.size());
  pool_->ParallelFor(static_cast<int64_t>(leaves_.size()), [&](int64_t k) {
    statuses[static_cast<size_t>(k)] = EncodeLeaf(*leaves_[static_cast<size_t>(k)]);
  });
  // The first error in column order, as on one thread.
  for (Status& status : statuses) ARCFLOW_RETURN_NOT_OK(status);
  return Status::OK();
}

namespace {

// Whether pages of stored leaf `stored` can be copied into a chunk of leaf `leaf`: the same
// physical and logical type, and the same levels.
bool SameLeafType(const ColumnDescriptor& leaf, const ColumnDescriptor& stored) {
  return leaf.physical_type == stored.physical_type && leaf.type_length == stored.type_length &&
         leaf.max_definition_level == stored.max_definition_level &&
         leaf.max_repetition_level == 0 && stored.max_repetition_level == 0 &&
         leaf.leaf->logical_type == stored.leaf->logical_type &&
         leaf.leaf->converted_type == stored.leaf->converted_type &&
         leaf.leaf->scale == stored.leaf->scale && leaf.leaf->precision == stored.leaf->precision;
}

}  // namespace

bool ParquetFileWriter::can_write_kept_rows() const {
  // One leaf per column, reached in one step: a top-level primitive, whose rows are its levels.
  for (const auto& leaf : leaves_) {
    if (leaf->shredder.path().size() != 1) return false;
  }
  return leaves_.size() == static_cast<size_t>(schema_->num_fields());
}

bool ParquetFileWriter::in_stored_page() const {
  for (const auto& leaf : leaves_) {
    if (leaf->open_page != nullptr) return true;
  }
  return false;
}

int64_t ParquetFileWriter::stored_pages_copied() const {
  int64_t copied = 0;
  for (const auto& leaf : leaves_) copied += leaf->pages_copied;
  return copied;
}

void ParquetFileWriter::MapStoredLeaves(std::shared_ptr<const StoredPages> source_pages) {
  // Held, so that the pointers into it stay valid and no later source can take its address.
  mapped_source_ = std::move(source_pages);
  const StoredPages& source = *mapped_source_;
  row_group_source_ = nullptr;
  row_group_source_group_ = -1;
  for (auto& leaf : leaves_) {
    const ColumnDescriptor& column = leaf->writer->column();
    const int stored = source.FindLeaf(column.path);
    leaf->stored_leaf =
        stored >= 0 && SameLeafType(column, source.schema().column(stored)) ? stored : -1;
    leaf->following = nullptr;
  }
}

void ParquetFileWriter::SetChangedColumns(std::span<const int> changed_columns) {
  changed_columns_.assign(changed_columns.begin(), changed_columns.end());
  // Flat schemas only (can_write_kept_rows): leaf k is column k.
  for (size_t k = 0; k < leaves_.size(); ++k) {
    leaves_[k]->changed = std::find(changed_columns.begin(), changed_columns.end(),
                                    static_cast<int>(k)) != changed_columns.end();
  }
}

Status ParquetFileWriter::FollowStoredRowGroup(const StoredPages& source, int group) {
  if (row_group_source_ == &source && row_group_source_group_ == group) return Status::OK();
  const int64_t group_rows = source.row_group_end_row(group) - source.row_group_first_row(group);
  if (row_group_rows_ > 0 && group_rows >= 2 * options_.page_rows) {
    // Rows of elsewhere fill the open row group: the stored row group starts a new one, so
    // that its pages can be copied over its dictionaries.
    ARCFLOW_RETURN_NOT_OK(FlushRowGroup());
  }
  const bool fresh = row_group_rows_ == 0;
  row_group_source_ = &source;
  row_group_source_group_ = group;
  for (auto& leaf : leaves_) {
    leaf->following = nullptr;
    if (!fresh || leaf->stored_leaf < 0) continue;
    leaf->following = &source.chunk(leaf->stored_leaf, group);
    if (leaf->following->dictionary != nullptr) {
      // When the entries do not seed it, the pages of indices are encoded again.
      (void)leaf->writer->SeedDictionary(*leaf->following->dictionary);
    }
  }
  return Status::OK();
}

Status ParquetFileWriter::WriteKeptLeafRows(LeafColumn& leaf, const ArrayData& column,
                                            int64_t offset, int64_t count, int64_t first_row,
                                            std::span<const uint8_t> keep) {
  // The stored pages of the rows, when the open chunk follows theirs.
  std::span<const StoredPages::Page> pages;
  if (leaf.following != nullptr) pages = leaf.following->pages;
  // The first page that ends after first_row.
  size_t page =
      static_cast<size_t>(std::upper_bound(pages.begin(), pages.end(), first_row,
                                           [](int64_t row, const StoredPages::Page& candidate) {
                                             return row < candidate.first_row + candidate.num_rows;
                                           }) -
                          pages.begin());
  for (int64_t row = 0; row < count;) {
    const int64_t file_row = first_row + row;
    int64_t end = count;
    bool copy = false;
    if (page < pages.size()) {
      const StoredPages::Page& current = pages[page];
      end = std::min(count, current.first_row + current.num_rows - first_row);
      if (leaf.open_page == &current) {
        copy = true;
      } else if (file_row == current.first_row) {
        const auto rows = keep.subspan(static_cast<size_t>(current.first_row),
                                       static_cast<size_t>(current.num_rows));
        // Every row written, and for a column the changed rows change, none changed.
        const uint8_t copyable_rows = leaf.changed ? kRowKept : kRowKept | kRowChanged;
        copy = std::all_of(rows.begin(), rows.end(),
                           [&](uint8_t flag) { return (flag & copyable_rows) != 0; }) &&
               leaf.writer->CanAppendStoredPage(current.stored);
      }
    }
    const std::shared_ptr<const ArrayData> window = column.Slice(offset + row, end - row);
    ARCFLOW_RETURN_NOT_OK(leaf.shredder.Shred(*window));
    if (copy) {
      // The page goes as it is; its values count in the statistics.
      const StoredPages::Page& current = pages[page];
      ARCFLOW_RETURN_NOT_OK(leaf.MakeValues(&leaf.values));
      ARCFLOW_RETURN_NOT_OK(leaf.writer->AddToStatistics(current.stored, leaf.values));
      leaf.open_page = &current;
      leaf.open_page_values += leaf.shredder.num_values();
      if (first_row + end == current.first_row + current.num_rows) {
        ARCFLOW_RETURN_NOT_OK(leaf.writer->AppendStoredPage(current.stored, leaf.open_page_values));
        leaf.open_page = nullptr;
        leaf.open_page_values = 0;
        ++leaf.pages_copied;
      }
    } else {
      ARCFLOW_RETURN_NOT_OK(WriteKeptValues(
          leaf, keep.subspan(static_cast<size_t>(file_row), static_cast<size_t>(end - row))));
    }
    if (page < pages.size() && first_row + end == pages[page].first_row + pages[page].num_rows) {
      ++page;
    }
    row = end;
  }
  return Status::OK();
}

Status ParquetFileWriter::WriteKeptValues(LeafColumn& leaf, std::span<const uint8_t> keep) {
  const LeafShredder& shredded = leaf.shredder;
  const auto num_levels = static_cast<int64_t>(keep.size());
  const int64_t num_kept =
      std::count_if(keep.begin(), keep.end(), [](uint8_t flag) { return flag != 0; });
  if (num_kept == 0) return Status::OK();
  if (num_kept == num_levels) {
    ARCFLOW_RETURN_NOT_OK(leaf.MakeValues(&leaf.values));
    return EncodeLeaf(leaf);
  }
  // A flat column: level i is row i, and its value, when present, is at position i.
  leaf.kept_runs.clear();
  for (const ValueRun& run : shredded.runs()) {
    for (int64_t i = run.offset; i < run.offset + run.length; ++i) {
      if (keep[static_cast<size_t>(i)] == 0) continue;
      if (!leaf.kept_runs.empty() &&
          leaf.kept_runs.back().offset + leaf.kept_runs.back().length == i) {
        ++leaf.kept_runs.back().length;
      } else {
        leaf.kept_runs.push_back({i, 1});
      }
    }
  }
  ARCFLOW_RETURN_NOT_OK(leaf.MakeValues(leaf.kept_runs, &leaf.values));
  if (!shredded.levels_in_bitmap()) {
    return leaf.writer->Write(num_kept, nullptr, nullptr, leaf.values);
  }
  const uint8_t* validity = shredded.validity_bits();
  if (validity == nullptr) return leaf.writer->WriteFlatOptional(num_kept, nullptr, 0, leaf.values);
  leaf.kept_validity.assign(static_cast<size_t>(bit_util::BytesForBits(num_kept)), 0);
  int64_t out = 0;
  for (int64_t i = 0; i < num_levels; ++i) {
    if (keep[static_cast<size_t>(i)] == 0) continue;
    if (bit_util::GetBit(validity, shredded.validity_offset() + i)) {
      bit_util::SetBit(leaf.kept_validity.data(), out);
    }
    ++out;
  }
  return leaf.writer->WriteFlatOptional(num_kept, leaf.kept_validity.data(), 0, leaf.values);
}

Status ParquetFileWriter::WriteKeptRows(const RecordBatch& batch, int64_t first_row,
                                        std::span<const uint8_t> keep,
                                        std::shared_ptr<const StoredPages> source_pages,
                                        std::span<const int> changed_columns) {
  if (!failed_.ok()) return failed_;
  if (source_pages == nullptr) return Status::Invalid("parquet: WriteKeptRows needs a source");
  for (const int column : changed_columns) {
    if (column < 0 || column >= schema_->num_fields()) {
      return Status::Invalid("parquet: changed column {} of a {}-column schema ({})", column,
                             schema_->num_fields(), file_->path());
    }
  }
  const StoredPages& source = *source_pages;
  const int64_t num_rows = batch.num_rows();
  const bool same_changes = std::equal(changed_columns.begin(), changed_columns.end(),
                                       changed_columns_.begin(), changed_columns_.end());
  if (in_stored_page() &&
      (source_pages != mapped_source_ || !same_changes || first_row != next_stored_row_)) {
    return Status::Invalid(
        "parquet: rows {} of {} written to {} while a page of its row {} is being copied; the "
        "rows of a page are written in order, changing the same columns",
        first_row, source.path(), file_->path(), next_stored_row_);
  }
  ARCFLOW_RETURN_NOT_OK(CheckBatch(batch));
  if (!can_write_kept_rows()) {
    return Status::Invalid("parquet: {} has nested columns; kept rows are written with Write()",
                           file_->path());
  }
  if (static_cast<int64_t>(keep.size()) != source.num_rows() || first_row < 0 ||
      first_row > source.num_rows() - num_rows) {
    return Status::Invalid(
        "parquet: rows [{}, {}) and {} keep flags do not fit the {} rows of {} ({})", first_row,
        first_row + num_rows, keep.size(), source.num_rows(), source.path(), file_->path());
  }
  Status status = [&]() -> Status {
    if (source_pages != mapped_source_) MapStoredLeaves(std::move(source_pages));
    if (!same_changes) SetChangedColumns(changed_columns);
    for (int64_t row = first_row; row < first_row + num_rows;) {
      const int group = source.RowGroupOf(row);
      const int64_t end = std::min(first_row + num_rows, source.row_group_end_row(group));
      ARCFLOW_RETURN_NOT_OK(FollowStoredRowGroup(source, group));
      const auto write_leaf = [&](size_t k) {
        return WriteKeptLeafRows(*leaves_[k], *batch.column(static_cast<int>(k))->data(),
                                 row - first_row, end - row, row, keep)
            .WithContext(fmt::format("column {}", leaves_[k]->name));
      };
      if (pool_ != nullptr) {
        std::vector<Status> statuses(leaves_.size());
        pool_->ParallelFor(static_cast<int64_t>(leaves_.size()), [&](int64_t k) {
          statuses[static_cast<size_t>(k)] = write_leaf(static_cast<size_t>(k));
        });
        for (Status& leaf_status : statuses) ARCFLOW_RETURN_NOT_OK(leaf_status);
      } else {
        for (size_t k = 0; k < leaves_.size(); ++k) ARCFLOW_RETURN_NOT_OK(write_leaf(k));
      }
      const auto kept = std::count_if(keep.begin() + row, keep.begin() + end,
                                      [](uint8_t flag) { return flag != 0; });
      row_group_rows_ += kept;
      num_rows_ += kept;
      row = end;
    }
    next_stored_row_ = first_row + num_rows;
    if (!in_stored_page() && EstimatedRowGroupSize() >= options_.row_group_bytes) {
      ARCFLOW_RETURN_NOT_OK(FlushRowGroup());
    }
    return Status::OK();
  }();
  if (!status.ok() && failed_.ok()) failed_ = status.WithContext(file_->path());
  return status.ok() ? Status::OK() : failed_;
}

int64_t ParquetFileWriter::EstimatedRowGroupSize() const {
  int64_t size = 0;
  for (const auto& leaf : leaves_) size += leaf->writer->EstimatedSize();
  return size;
}

Status ParquetFileWriter::FlushRowGroup() {
  if (!failed_.ok()) return failed_;
  if (in_stored_page()) {
    return Status::Invalid(
        "parquet: cannot close a row group of {} while a stored page is being copied into it",
        file_->path());
  }
  if (row_group_rows_ == 0) return Status::OK();
  Status status = [&]() -> Status {
    RowGroup row_group;
    row_group.num_rows = row_group_rows_;
    row_group.file_offset = position_;
    if (metadata_.row_groups.size() <= static_cast<size_t>(std::numeric_limits<int16_t>::max())) {
      row_group.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
    }
    // Closing a chunk compresses its last page: in parallel when there is a pool. The chunks
    // are appended in column order either way.
    std::vector<Result<ColumnChunkOutput>> outputs(
        leaves_.size(), Status::Internal("parquet: column chunk not finished"));
    const auto finish = [&](int64_t k) {
      outputs[static_cast<size_t>(k)] = leaves_[static_cast<size_t>(k)]->writer->Finish();
    };
    if (pool_ != nullptr) {
      pool_->ParallelFor(static_cast<int64_t>(leaves_.size()), finish);
    } else {
      for (size_t k = 0; k < leaves_.size(); ++k) finish(static_cast<int64_t>(k));
    }
    int64_t total_compressed = 0;
    for (Result<ColumnChunkOutput>& finished : outputs) {
      ARCFLOW_ASSIGN_OR_RETURN(ColumnChunkOutput output, std::move(finished));
      const int64_t start = position_;
      for (const auto& page : output.pages) ARCFLOW_RETURN_NOT_OK(Append(*page));
      ColumnChunk chunk;
      // Deprecated; parquet-java and Arrow put the chunk's first byte here.
      chunk.file_offset = start;
      ColumnMetaData& metadata = output.metadata;
      metadata.data_page_offset += start;
      if (metadata.dictionary_page_offset) *metadata.dictionary_page_offset += start;
      row_group.total_byte_size += metadata.total_uncompressed_size;
      total_compressed += metadata.total_compressed_size;
      chunk.meta_data = std::move(metadata);
      row_group.columns.push_back(std::move(chunk));
    }
    row_group.total_compressed_size = total_compressed;
    metadata_.row_groups.push_back(std::move(row_group));
    row_group_rows_ = 0;
    row_group_source_ = nullptr;
    row_group_source_group_ = -1;
    for (auto& leaf : leaves_) leaf->following = nullptr;
    return Status::OK();
  }();
  if (!status.ok() && failed_.ok()) failed_ = status.WithContext(file_->path());
  return status.ok() ? Status::OK() : failed_;
}

Status ParquetFileWriter::DoClose() {
  ARCFLOW_RETURN_NOT_OK(FlushRowGroup());
  metadata_.num_rows = num_rows_;
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> footer, SerializeFooter(metadata_));
  ARCFLOW_RETURN_NOT_OK(Append(*footer));
  return file_->Close();
}

Status ParquetFileWriter::Close() {
  if (!failed_.ok()) return failed_;
  if (closed_) return Status::OK();
  Status status = DoClose();
  if (!status.ok()) {
    if (failed_.ok()) failed_ = status.WithContext(file_->path());
    return failed_;
  }
  closed_ = true;
  return Status::OK();
}

std::vector<Statistics> ParquetFileWriter::LeafStatistics() const {
  std::vector<Statistics> statistics;
  statistics.reserve(leaves_.size());
  for (const auto& leaf : leaves_) statistics.push_back(leaf->writer->FinishedChunksStatistics());
  return statistics;
}

Result<std::unique_ptr<RecordBatchWriter>> OpenParquetWriter(std::unique_ptr<io::WritableFile> file,
                                                             SchemaPtr schema,
                                                             ParquetWriteOptions options) {
  ARCFLOW_ASSIGN_OR_RETURN(
      std::unique_ptr<ParquetFileWriter> writer,
      ParquetFileWriter::Open(std::move(file), std::move(schema), std::move(options)));
  return std::unique_ptr<RecordBatchWriter>(std::move(writer));
}

}  // namespace arcflow::parquet
