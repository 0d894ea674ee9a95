#include "arcflow/parquet/bridge/parquet_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <optional>
#include <span>
#include <utility>
#include <variant>

#include "arcflow/columnar/value_parse.h"
#include "arcflow/parquet/bridge/column_reader.h"
#include "arcflow/parquet/column_chunk_reader.h"
#include "arcflow/parquet/footer.h"

namespace arcflow::parquet {

struct ParquetFileReader::State {
  explicit State(Footer parsed_footer) : footer(std::move(parsed_footer)) {}

  std::shared_ptr<io::FileSystem> fs;
  std::unique_ptr<io::RandomAccessFile> file;
  std::string path;
  int64_t file_size = 0;
  Footer footer;
  ParquetSchemaMapping mapping;
  ParquetReadOptions options;
};

namespace {

using State = ParquetFileReader::State;

// Reads the records of one row group for some top-level fields, batch after batch.
class RowGroupCursor {
 public:
  static Result<std::unique_ptr<RowGroupCursor>> Open(std::shared_ptr<const State> state,
                                                      int row_group, const std::vector<int>& fields,
                                                      SchemaPtr schema) {
    auto cursor = std::unique_ptr<RowGroupCursor>(new RowGroupCursor());
    const RowGroup& group = state->footer.metadata.row_groups[static_cast<size_t>(row_group)];
    cursor->remaining_ = group.num_rows;
    cursor->row_group_ = row_group;
    cursor->fields_ = fields;
    cursor->schema_ = std::move(schema);
    cursor->batches_.resize(static_cast<size_t>(state->footer.schema.num_columns()));
    cursor->batch_pointers_.resize(cursor->batches_.size(), nullptr);
    for (int field : fields) {
      ARCFLOW_RETURN_NOT_OK(cursor->AddLeaves(*state, group,
                                              state->mapping.fields[static_cast<size_t>(field)],
                                              /*open_chunks=*/group.num_rows > 0));
    }
    cursor->state_ = std::move(state);
    return cursor;
  }

  int64_t remaining() const { return remaining_; }

  // Reads the next min(max_rows, remaining) rows.
  Result<RecordBatchPtr> Next(int64_t max_rows) {
    // Buffers grow by the counts a file declares; a file that declares more than memory holds
    // gets an error, not a crash.
    try {
      return ReadNext(max_rows);
    } catch (const std::bad_alloc&) {
      return Status::OutOfMemory(
          "parquet: out of memory reading row group {} of {}; try smaller batches", row_group_,
          state_->path);
    }
  }

 private:
  Result<RecordBatchPtr> ReadNext(int64_t max_rows) {
    const int64_t rows = std::min(max_rows, remaining_);
    for (auto& leaf : leaves_) {
      LeafBatch& batch = batches_[static_cast<size_t>(leaf->leaf().column_index)];
      batch.Clear();
      ARCFLOW_ASSIGN_OR_RETURN(int64_t read, leaf->ReadRecords(rows, &batch));
      if (read != rows) {
        return Status::Corruption(
            "parquet: column '{}' of row group {} ends after {} of the row group's rows "
            "(file={})",
            leaf->leaf().name, row_group_,
            state_->footer.metadata.row_groups[static_cast<size_t>(row_group_)].num_rows -
                remaining_ + read,
            state_->path);
      }
    }
    remaining_ -= rows;
    if (remaining_ == 0) {
      for (auto& leaf : leaves_) {
        ARCFLOW_RETURN_NOT_OK_CTX(leaf->CheckExhausted(),
                                  fmt::format("file={}, row group={}", state_->path, row_group_));
      }
    }
    std::vector<ArrayPtr> columns;
    columns.reserve(fields_.size());
    for (int field : fields_) {
      auto array =
          AssembleField(state_->mapping.fields[static_cast<size_t>(field)], batch_pointers_, rows);
      if (!array.ok()) {
        return array.status().WithContext(
            fmt::format("file={}, row group={}", state_->path, row_group_));
      }
      columns.push_back(std::move(*array));
    }
    return RecordBatch::Make(schema_, rows, std::move(columns));
  }

  RowGroupCursor() = default;

  // Registers the leaves below `node`. A row group without rows has nothing to read, and some
  // writers leave its chunk offsets at 0, so its chunks are not opened.
  Status AddLeaves(const State& state, const RowGroup& group, const FieldNode& node,
                   bool open_chunks) {
    if (node.kind != FieldNode::Kind::kLeaf) {
      for (const FieldNode& child : node.children) {
        ARCFLOW_RETURN_NOT_OK(AddLeaves(state, group, child, open_chunks));
      }
      return Status::OK();
    }
    const auto index = static_cast<size_t>(node.column_index);
    batch_pointers_[index] = &batches_[index];
    if (!open_chunks) return Status::OK();
    const ColumnDescriptor& column = state.footer.schema.column(node.column_index);
    if (column.max_definition_level != node.definition_level ||
        column.max_repetition_level != node.depth) {
      return Status::Internal("parquet: levels of column '{}' disagree with its schema mapping",
                              column.dotted_path);
    }
    ColumnChunkReaderOptions options;
    options.verify_checksums = state.options.verify_checksums;
    ARCFLOW_ASSIGN_OR_RETURN(
        auto chunk, ColumnChunkReader::Open(*state.file, state.file_size, group.columns[index],
                                            column, options));
    leaves_.push_back(std::make_unique<LeafColumnReader>(std::move(chunk), node));
    return Status::OK();
  }

  std::shared_ptr<const State> state_;
  int row_group_ = 0;
  int64_t remaining_ = 0;
  std::vector<int> fields_;
  SchemaPtr schema_;
  std::vector<std::unique_ptr<LeafColumnReader>> leaves_;
  std::vector<LeafBatch> batches_;          // By column index.
  std::vector<LeafBatch*> batch_pointers_;  // Null for columns not read.
};

Result<std::vector<int>> ResolveFields(const State& state, const std::vector<int>& requested) {
  std::vector<int> fields;
  const int count = state.mapping.schema->num_fields();
  if (requested.empty()) {
    for (int i = 0; i < count; ++i) fields.push_back(i);
    return fields;
  }
  for (int field : requested) {
    if (field < 0 || field >= count) {
      return Status::Invalid("parquet: column index {} is out of range; the file has {} columns",
                             field, count);
    }
    fields.push_back(field);
  }
  return fields;
}

SchemaPtr ProjectSchema(const State& state, const std::vector<int>& fields) {
  if (static_cast<int>(fields.size()) == state.mapping.schema->num_fields()) {
    bool identity = true;
    for (size_t i = 0; i < fields.size(); ++i) identity &= fields[i] == static_cast<int>(i);
    if (identity) return state.mapping.schema;
  }
  std::vector<Field> projected;
  for (int field : fields) projected.push_back(state.mapping.schema->field(field));
  return std::make_shared<Schema>(std::move(projected), state.mapping.schema->metadata());
}

// ---------------------------------------------------------------------------------------------
// Row group selection by statistics

// A value in the order of a column: integers (and decimals, dates, timestamps) as int128,
// floating point as double, byte strings compared as unsigned bytes.
using OrderedValue = std::variant<int128_t, double, std::string>;

enum class StatisticsDomain : uint8_t { kNone, kInteger, kFloating, kBytes };

StatisticsDomain DomainOf(const FieldNode& leaf) {
  switch (leaf.conversion) {
    case LeafConversion::kInt96ToTimestamp:
    case LeafConversion::kUuidToString:
      return StatisticsDomain::kNone;
    case LeafConversion::kFloat:
    case LeafConversion::kDouble:
    case LeafConversion::kFloat16ToFloat:
      return StatisticsDomain::kFloating;
    case LeafConversion::kByteArray:
    case LeafConversion::kFixedToBinary:
      return StatisticsDomain::kBytes;
    default:
      return StatisticsDomain::kInteger;
  }
}

// Whether the deprecated min/max fields, written under signed comparison, order this column
// as its type does: true for booleans, signed integers and floating point; not for unsigned
// integers or byte strings (old writers compared bytes as signed).
bool LegacyOrderIsSafe(const FieldNode& leaf) {
  switch (leaf.conversion) {
    case LeafConversion::kBoolean:
    case LeafConversion::kInt32:
    case LeafConversion::kInt32ToInt8:
    case LeafConversion::kInt32ToInt16:
    case LeafConversion::kInt64:
    case LeafConversion::kInt32MillisToMicros:
    case LeafConversion::kInt64MillisToMicros:
    case LeafConversion::kInt64NanosToMicros:
    case LeafConversion::kFloat:
    case LeafConversion::kDouble:
    case LeafConversion::kInt32ToDecimal:
    case LeafConversion::kInt64ToDecimal:
      return true;
    default:
      return false;
  }
}

// Decodes a PLAIN statistics value of `leaf` into the order of its arcflow type.
std::optional<OrderedValue> DecodeStatistic(const FieldNode& leaf, const std::string& bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t size = bytes.size();
  auto int32_at = [&]() {
    int32_t v;
    std::memcpy(&v, data, 4);
    return v;
  };
  auto int64_at = [&]() {
    int64_t v;
    std::memcpy(&v, data, 8);
    return v;
  };
  auto floor_div = [](int64_t value, int64_t divisor) {
    int64_t q = value / divisor;
    return (value % divisor != 0 && value < 0) ? q - 1 : q;
  };
  switch (leaf.conversion) {
    case LeafConversion::kBoolean:
      if (size < 1) return std::nullopt;
      return OrderedValue(int128_t{data[0] != 0});
    case LeafConversion::kInt32:
    case LeafConversion::kInt32ToDecimal:
      if (size != 4) return std::nullopt;
      return OrderedValue(int128_t{int32_at()});
    case LeafConversion::kInt32ToInt8:
      if (size != 4) return std::nullopt;
      return OrderedValue(int128_t{static_cast<int8_t>(int32_at())});
    case LeafConversion::kInt32ToInt16:
      if (size != 4) return std::nullopt;
      return OrderedValue(int128_t{static_cast<int16_t>(int32_at())});
    case LeafConversion::kUInt8ToInt16:
      if (size != 4) return std::nullopt;
      return OrderedValue(int128_t{static_cast<uint8_t>(int32_at())});
    case LeafConversion::kUInt16ToInt32:
      if (size != 4) return std::nullopt;
      return OrderedValue(int128_t{static_cast<uint16_t>(int32_at())});
    case LeafConversion::kUInt32ToInt64:
      if (size != 4) return std::nullopt;
      return OrderedValue(int128_t{static_cast<uint32_t>(int32_at())});
    case LeafConversion::kInt32MillisToMicros:
      if (size != 4) return std::nullopt;
      return OrderedValue(int128_t{int32_at()} * 1000);
    case LeafConversion::kInt64:
    case LeafConversion::kInt64ToDecimal:
      if (size != 8) return std::nullopt;
      return OrderedValue(int128_t{int64_at()});
    case LeafConversion::kUInt64ToDecimal:
      if (size != 8) return std::nullopt;
      return OrderedValue(int128_t{static_cast<uint64_t>(int64_at())});
    case LeafConversion::kInt64MillisToMicros:
      if (size != 8) return std::nullopt;
      return OrderedValue(int128_t{int64_at()} * 1000);
    case LeafConversion::kInt64NanosToMicros:
      if (size != 8) return std::nullopt;
      return OrderedValue(int128_t{floor_div(int64_at(), 1000)});
    case LeafConversion::kFloat: {
      if (size != 4) return std::nullopt;
      float v;
      std::memcpy(&v, data, 4);
      return OrderedValue(double{v});
    }
    case LeafConversion::kDouble: {
      if (size != 8) return std::nullopt;
      double v;
      std::memcpy(&v, data, 8);
      return OrderedValue(v);
    }
    case LeafConversion::kFloat16ToFloat:
      if (size != 2) return std::nullopt;
      return OrderedValue(double{HalfToFloat(data)});
    case LeafConversion::kBytesToDecimal: {
      int128_t v = 0;
      if (!BigEndianToInt128(data, static_cast<int64_t>(size), &v).ok()) return std::nullopt;
      return OrderedValue(v);
    }
    case LeafConversion::kByteArray:
    case LeafConversion::kFixedToBinary:
      return OrderedValue(bytes);
    case LeafConversion::kInt96ToTimestamp:
    case LeafConversion::kUuidToString:
      return std::nullopt;
  }
  return std::nullopt;
}

// Parses a predicate value as the column's arcflow type, into the column's order.
Result<OrderedValue> ParsePredicateValue(const FieldNode& leaf, const ColumnPredicate& predicate) {
  const DataType& type = *leaf.type;
  const std::string& text = predicate.value;
  std::optional<OrderedValue> value;
  switch (type.id()) {
    case TypeId::kBoolean:
      if (auto v = ParseBoolean(text)) value = int128_t{*v};
      break;
    case TypeId::kInt8:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      if (auto v = ParseInt64(text)) value = int128_t{*v};
      break;
    case TypeId::kDecimal128:
      if (auto v = ParseDecimal(text, type.precision(), type.scale())) value = *v;
      break;
    case TypeId::kDate32:
      if (auto v = ParseDate(text)) value = int128_t{*v};
      break;
    case TypeId::kTimestamp:
      if (auto v = ParseTimestamp(text, type.utc_adjusted())) value = int128_t{*v};
      break;
    case TypeId::kFloat32:
    case TypeId::kFloat64:
      if (auto v = ParseDouble(text)) value = *v;
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      value = text;
      break;
    default:
      break;
  }
  if (!value) {
    return Status::Invalid("parquet: predicate value '{}' is not a {} for column '{}'", text,
                           type.ToString(), predicate.column);
  }
  return *value;
}

bool IsNaN(const OrderedValue& value) {
  const double* d = std::get_if<double>(&value);
  return d != nullptr && std::isnan(*d);
}

// -1, 0, 1. REQUIRES: same alternative, no NaN.
int Compare(const OrderedValue& a, const OrderedValue& b) {
  if (const auto* x = std::get_if<int128_t>(&a)) {
    const int128_t y = std::get<int128_t>(b);
    return *x < y ? -1 : (*x > y ? 1 : 0);
  }
  if (const auto* x = std::get_if<double>(&a)) {
    const double y = std::get<double>(b);
    return *x < y ? -1 : (*x > y ? 1 : 0);
  }
  const int c = std::get<std::string>(a).compare(std::get<std::string>(b));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

struct ResolvedPredicate {
  const FieldNode* leaf = nullptr;  // Null when the column's statistics cannot be used.
  ColumnPredicate::Op op = ColumnPredicate::Op::kEq;
  OrderedValue value;
};

// Whether the statistics of the predicate's column in `group` allow a row to satisfy it.
bool MayMatch(const State& state, const RowGroup& group, const ResolvedPredicate& predicate) {
  if (predicate.leaf == nullptr) return true;
  const FieldNode& leaf = *predicate.leaf;
  const ColumnChunk& chunk = group.columns[static_cast<size_t>(leaf.column_index)];
  if (!chunk.meta_data.has_value() || !chunk.meta_data->statistics.has_value()) return true;
  const Statistics& stats = *chunk.meta_data->statistics;
  const int64_t rows = group.num_rows;
  using Op = ColumnPredicate::Op;
  const bool all_null = stats.null_count.has_value() && *stats.null_count == rows && rows > 0;
  switch (predicate.op) {
    case Op::kIsNull:
      return !(stats.null_count.has_value() && *stats.null_count == 0);
    case Op::kIsNotNull:
      return !all_null;
    default:
      break;
  }
  // A comparison is never true of a null.
  if (all_null) return false;
  if (IsNaN(predicate.value)) return true;
  const auto& orders = state.footer.metadata.column_orders;
  if (orders.has_value() &&
      (*orders)[static_cast<size_t>(leaf.column_index)].kind == ColumnOrder::Kind::kUnknown) {
    return true;
  }
  const std::string* min_bytes = nullptr;
  const std::string* max_bytes = nullptr;
  if (stats.min_value.has_value() && stats.max_value.has_value()) {
    min_bytes = &*stats.min_value;
    max_bytes = &*stats.max_value;
  } else if (stats.min.has_value() && stats.max.has_value() && LegacyOrderIsSafe(leaf)) {
    min_bytes = &*stats.min;
    max_bytes = &*stats.max;
  } else {
    return true;
  }
  std::optional<OrderedValue> min = DecodeStatistic(leaf, *min_bytes);
  std::optional<OrderedValue> max = DecodeStatistic(leaf, *max_bytes);
  // Old writers put NaN into floating-point statistics; such bounds bound nothing.
  if (!min || !max || IsNaN(*min) || IsNaN(*max)) return true;
  if (min->index() != predicate.value.index()) return true;
  const int vs_min = Compare(predicate.value, *min);
  const int vs_max = Compare(predicate.value, *max);
  switch (predicate.op) {
    case Op::kEq:
      return vs_min >= 0 && vs_max <= 0;
    case Op::kLt:
      return vs_min > 0;  // Some value below `value` exists only if min < value.
    case Op::kLe:
      return vs_min >= 0;
    case Op::kGt:
      return vs_max < 0;
    case Op::kGe:
      return vs_max <= 0;
    default:
      return true;
  }
}

Result<std::vector<ResolvedPredicate>> ResolvePredicates(
    const State& state, const std::vector<ColumnPredicate>& predicates) {
  std::vector<ResolvedPredicate> resolved;
  for (const ColumnPredicate& predicate : predicates) {
    const int field = state.mapping.schema->GetFieldIndex(predicate.column);
    if (field < 0) {
      return Status::Invalid("parquet: predicate on unknown column '{}' (file={})",
                             predicate.column, state.path);
    }
    const FieldNode& node = state.mapping.fields[static_cast<size_t>(field)];
    ResolvedPredicate entry;
    entry.op = predicate.op;
    if (node.kind == FieldNode::Kind::kLeaf && DomainOf(node) != StatisticsDomain::kNone) {
      entry.leaf = &node;
      if (predicate.op != ColumnPredicate::Op::kIsNull &&
          predicate.op != ColumnPredicate::Op::kIsNotNull) {
        ARCFLOW_ASSIGN_OR_RETURN(entry.value, ParsePredicateValue(node, predicate));
      }
    }
    resolved.push_back(std::move(entry));
  }
  return resolved;
}

// Streams the selected row groups in batches.
class ParquetBatchReader final : public RecordBatchReader {
 public:
  ParquetBatchReader(std::shared_ptr<const State> state, std::vector<int> fields,
                     std::vector<int> row_groups, SchemaPtr schema)
      : state_(std::move(state)),
        fields_(std::move(fields)),
        row_groups_(std::move(row_groups)),
        schema_(std::move(schema)) {}

  const SchemaPtr& schema() const override { return schema_; }

  Result<RecordBatchPtr> Next() override {
    while (true) {
      if (cursor_ != nullptr && cursor_->remaining() > 0) {
        return cursor_->Next(std::max<int64_t>(1, state_->options.batch_rows));
      }
      cursor_.reset();
      if (next_row_group_ >= row_groups_.size()) return RecordBatchPtr();
      const int group = row_groups_[next_row_group_++];
      if (state_->footer.metadata.row_groups[static_cast<size_t>(group)].num_rows == 0) continue;
      ARCFLOW_ASSIGN_OR_RETURN(cursor_, RowGroupCursor::Open(state_, group, fields_, schema_));
    }
  }

 private:
  std::shared_ptr<const State> state_;
  std::vector<int> fields_;
  std::vector<int> row_groups_;
  SchemaPtr schema_;
  size_t next_row_group_ = 0;
  std::unique_ptr<RowGroupCursor> cursor_;
};

}  // namespace

Result<std::unique_ptr<ParquetFileReader>> ParquetFileReader::Open(
    std::shared_ptr<io::FileSystem> fs, std::string path, ParquetReadOptions options) {
  auto context = [&](const Status& status) { return status.WithContext("while reading " + path); };
  auto opened = fs->OpenRandomAccess(path);
  if (!opened.ok()) return context(opened.status());
  std::unique_ptr<io::RandomAccessFile> file = std::move(*opened);
  auto size = file->Size();
  if (!size.ok()) return context(size.status());
  const int64_t file_size = *size;
  const int64_t tail_size = FooterReadSize(file_size);
  auto tail = file->ReadExactly(file_size - tail_size, tail_size);
  if (!tail.ok()) return context(tail.status());
  std::shared_ptr<const Buffer> footer_bytes = std::move(*tail);
  auto more = AdditionalFooterBytes(footer_bytes->span(), file_size);
  if (!more.ok()) return context(more.status());
  if (*more > 0) {
    const int64_t whole = footer_bytes->size() + *more;
    auto bigger = file->ReadExactly(file_size - whole, whole);
    if (!bigger.ok()) return context(bigger.status());
    footer_bytes = std::move(*bigger);
  }
  auto footer = ParseFooter(footer_bytes->span(), file_size);
  if (!footer.ok()) return context(footer.status());
  auto state = std::make_shared<State>(std::move(*footer));
  state->options = options;
  state->path = path;
  state->file = std::move(file);
  state->file_size = file_size;
  auto mapping = MapParquetSchema(state->footer.schema, options.schema);
  if (!mapping.ok()) return context(mapping.status());
  state->mapping = std::move(*mapping);
  state->fs = std::move(fs);
  return std::unique_ptr<ParquetFileReader>(new ParquetFileReader(std::move(state)));
}

ParquetFileReader::~ParquetFileReader() = default;

const FileMetaData& ParquetFileReader::metadata() const { return state_->footer.metadata; }
const SchemaDescriptor& ParquetFileReader::parquet_schema() const { return state_->footer.schema; }
const SchemaPtr& ParquetFileReader::schema() const { return state_->mapping.schema; }
const ParquetSchemaMapping& ParquetFileReader::schema_mapping() const { return state_->mapping; }
int ParquetFileReader::num_row_groups() const {
  return static_cast<int>(state_->footer.metadata.row_groups.size());
}
int64_t ParquetFileReader::num_rows() const { return state_->footer.metadata.num_rows; }
const std::string& ParquetFileReader::path() const { return state_->path; }
const io::RandomAccessFile& ParquetFileReader::file() const { return *state_->file; }
int64_t ParquetFileReader::file_size() const { return state_->file_size; }

Result<RecordBatchPtr> ParquetFileReader::ReadRowGroup(
    int index, const std::vector<int>& column_indices) const {
  if (index < 0 || index >= num_row_groups()) {
    return Status::Invalid("parquet: row group {} is out of range; the file has {} (file={})",
                           index, num_row_groups(), state_->path);
  }
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<int> fields, ResolveFields(*state_, column_indices));
  SchemaPtr schema = ProjectSchema(*state_, fields);
  ARCFLOW_ASSIGN_OR_RETURN(auto cursor, RowGroupCursor::Open(state_, index, fields, schema));
  return cursor->Next(cursor->remaining());
}

Result<std::vector<int>> ParquetFileReader::SelectRowGroups(
    const std::vector<ColumnPredicate>& predicates) const {
  ARCFLOW_ASSIGN_OR_RETURN(auto resolved, ResolvePredicates(*state_, predicates));
  std::vector<int> selected;
  for (int i = 0; i < num_row_groups(); ++i) {
    const RowGroup& group = state_->footer.metadata.row_groups[static_cast<size_t>(i)];
    bool keep = true;
    for (const ResolvedPredicate& predicate : resolved) {
      if (!MayMatch(*state_, group, predicate)) {
        keep = false;
        break;
      }
    }
    if (keep) selected.push_back(i);
  }
  return selected;
}

Result<std::unique_ptr<RecordBatchReader>> ParquetFileReader::GetRecordBatchReader(
    const std::vector<int>& column_indices, const std::vector<ColumnPredicate>& predicates) const {
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<int> fields, ResolveFields(*state_, column_indices));
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<int> row_groups, SelectRowGroups(predicates));
  SchemaPtr schema = ProjectSchema(*state_, fields);
  return std::unique_ptr<RecordBatchReader>(
      new ParquetBatchReader(state_, std::move(fields), std::move(row_groups), std::move(schema)));
}

}  // namespace arcflow::parquet
