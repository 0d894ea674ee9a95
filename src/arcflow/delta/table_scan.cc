#include "arcflow/delta/table_scan.h"

#include <algorithm>
#include <optional>

#include "arcflow/base/ascii.h"
#include "arcflow/base/bit_util.h"
#include "arcflow/columnar/projection.h"
#include "arcflow/delta/deletion_vector.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/partition_value.h"
#include "arcflow/delta/row_filter.h"
#include "arcflow/delta/table_features.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {

namespace {

std::string QuotePathSegment(std::string_view segment) {
  if (segment.find('.') == std::string_view::npos && segment.find('`') == std::string_view::npos) {
    return std::string(segment);
  }
  std::string out = "`";
  for (char c : segment) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

// A validity bitmap for `array` that starts at bit 0, or null when it has no nulls.
Result<std::shared_ptr<const Buffer>> ZeroOffsetValidity(const Array& array) {
  const auto& data = *array.data();
  if (data.null_count == 0 || data.validity_bits() == nullptr) return nullptr;
  if (data.offset == 0) return data.buffers[0];
  ARCFLOW_ASSIGN_OR_RETURN(auto buffer,
                           Buffer::Allocate(bit_util::BytesForBits(data.length), /*zero=*/true));
  bit_util::CopyBits(data.validity_bits(), data.offset, data.length, buffer->mutable_data(), 0);
  return std::shared_ptr<const Buffer>(std::move(buffer));
}

int128_t PowerOfTen(int32_t exponent) {
  int128_t value = 1;
  for (int32_t i = 0; i < exponent; ++i) value *= 10;
  return value;
}

// Reads the value at `row` of an integer, date or decimal array as int128 (unscaled).
int128_t IntegerAt(const Array& array, int64_t row) {
  switch (array.type_id()) {
    case TypeId::kInt8:
      return static_cast<const Int8Array&>(array).Value(row);
    case TypeId::kInt16:
      return static_cast<const Int16Array&>(array).Value(row);
    case TypeId::kInt32:
    case TypeId::kDate32:
      return static_cast<const Int32Array&>(array).Value(row);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      return static_cast<const Int64Array&>(array).Value(row);
    case TypeId::kDecimal128:
      return static_cast<const Decimal128Array&>(array).Value(row);
    default:
      return 0;
  }
}

double DoubleAt(const Array& array, int64_t row) {
  switch (array.type_id()) {
    case TypeId::kFloat32:
      return static_cast<const Float32Array&>(array).Value(row);
    case TypeId::kFloat64:
      return static_cast<const Float64Array&>(array).Value(row);
    default:
      return static_cast<double>(IntegerAt(array, row));
  }
}

// Builds an array of `target` from `source` converting each non-null value with `convert`.
template <typename T, typename Convert>
Result<ArrayPtr> ConvertValues(const Array& source, const DataTypePtr& target, Convert convert) {
  NumericBuilder<T> builder(target);
  builder.Reserve(source.length());
  for (int64_t row = 0; row < source.length(); ++row) {
    if (source.IsNull(row)) {
      builder.AppendNull();
    } else {
      builder.Append(convert(row));
    }
  }
  return builder.Finish();
}

ArrayPtr Relabel(const ArrayPtr& array, const DataTypePtr& type) {
  auto data = std::make_shared<ArrayData>(*array->data());
  data->type = type;
  return MakeArray(std::move(data));
}

Status TypeMismatch(const DataType& file_type, const DataType& logical_type,
                    const std::string& column) {
  return Status::Invalid(
      "delta: data file column {} has type {} which cannot be read as the table's type {}", column,
      file_type.ToString(), logical_type.ToString());
}

Result<ArrayPtr> ConformPrimitive(const ArrayPtr& file_array, const DataTypePtr& logical_type,
                                  const std::string& column) {
  const DataType& from = *file_array->type();
  const DataType& to = *logical_type;
  if (from.id() == to.id() && from.Equals(to, /*check_metadata=*/false)) {
    return Relabel(file_array, logical_type);
  }
  if (from.is_binary_like() && to.is_binary_like()) return Relabel(file_array, logical_type);
  // Spark stores TIMESTAMP and TIMESTAMP_NTZ as the same microsecond counts; only the
  // annotation differs (and INT96 files carry no annotation at all).
  if (from.id() == TypeId::kTimestamp && to.id() == TypeId::kTimestamp) {
    return Relabel(file_array, logical_type);
  }
  const Array& source = *file_array;
  if (from.is_integer() && to.is_integer() && from.byte_width() <= to.byte_width()) {
    switch (to.id()) {
      case TypeId::kInt16:
        return ConvertValues<int16_t>(source, logical_type, [&](int64_t row) {
          return static_cast<int16_t>(IntegerAt(source, row));
        });
      case TypeId::kInt32:
        return ConvertValues<int32_t>(source, logical_type, [&](int64_t row) {
          return static_cast<int32_t>(IntegerAt(source, row));
        });
      default:
        return ConvertValues<int64_t>(source, logical_type, [&](int64_t row) {
          return static_cast<int64_t>(IntegerAt(source, row));
        });
    }
  }
  if ((from.is_integer() || from.is_floating()) && to.id() == TypeId::kFloat64) {
    return ConvertValues<double>(source, logical_type,
                                 [&](int64_t row) { return DoubleAt(source, row); });
  }
  if (from.is_integer() && to.id() == TypeId::kFloat32) {
    return ConvertValues<float>(source, logical_type, [&](int64_t row) {
      return static_cast<float>(DoubleAt(source, row));
    });
  }
  if (from.id() == TypeId::kDate32 && to.id() == TypeId::kTimestamp) {
    constexpr int64_t kMicrosPerDay = 86400LL * 1000000;
    return ConvertValues<int64_t>(source, logical_type, [&](int64_t row) {
      return static_cast<int64_t>(IntegerAt(source, row)) * kMicrosPerDay;
    });
  }
  if ((from.is_integer() || from.id() == TypeId::kDecimal128) && to.id() == TypeId::kDecimal128) {
    int32_t from_scale = from.id() == TypeId::kDecimal128 ? from.scale() : 0;
    if (to.scale() >= from_scale) {
      int128_t factor = PowerOfTen(to.scale() - from_scale);
      return ConvertValues<int128_t>(source, logical_type,
                                     [&](int64_t row) { return IntegerAt(source, row) * factor; });
    }
  }
  return TypeMismatch(from, to, column);
}

}  // namespace

Result<ArrayPtr> ConformArray(const ArrayPtr& file_array, const DataTypePtr& logical_type,
                              ColumnMappingMode mode, const std::string& column,
                              const parquet::FieldNode* file_node) {
  const DataType& from = *file_array->type();
  const DataType& to = *logical_type;
  // The file's node of the child at `index` (of a struct, or a list's element), if known.
  auto child_node = [&](size_t index) -> const parquet::FieldNode* {
    if (file_node == nullptr || index >= file_node->children.size()) return nullptr;
    return &file_node->children[index];
  };
  switch (to.id()) {
    case TypeId::kStruct: {
      if (from.id() != TypeId::kStruct) return TypeMismatch(from, to, column);
      const auto& struct_array = static_cast<const StructArray&>(*file_array);
      const bool nodes_match = file_node != nullptr &&
                               file_node->kind == parquet::FieldNode::Kind::kStruct &&
                               file_node->children.size() == from.fields().size();
      std::vector<std::shared_ptr<const ArrayData>> children;
      for (const Field& member : to.fields()) {
        ARCFLOW_ASSIGN_OR_RETURN(
            int index, MatchFileMember(member, from.fields(),
                                       nodes_match ? &file_node->children : nullptr, mode));
        std::string member_column = column + "." + member.name;
        ArrayPtr child;
        if (index < 0) {
          ARCFLOW_ASSIGN_OR_RETURN(child, MakeNullArray(member.type, file_array->length()));
        } else {
          ARCFLOW_ASSIGN_OR_RETURN(
              child, ConformArray(struct_array.field(index), member.type, mode, member_column,
                                  nodes_match ? child_node(static_cast<size_t>(index)) : nullptr));
        }
        children.push_back(child->data());
      }
      auto data = std::make_shared<ArrayData>();
      data->type = logical_type;
      data->length = file_array->length();
      data->null_count = file_array->null_count();
      ARCFLOW_ASSIGN_OR_RETURN(auto validity, ZeroOffsetValidity(*file_array));
      data->buffers = {std::move(validity)};
      data->children = std::move(children);
      return MakeArray(std::move(data));
    }
    case TypeId::kList: {
      if (from.id() != TypeId::kList) return TypeMismatch(from, to, column);
      ArrayPtr elements = MakeArray(file_array->data()->children[0]);
      ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr conformed,
                               ConformArray(elements, to.element_field().type, mode,
                                            column + ".element", child_node(0)));
      auto data = std::make_shared<ArrayData>(*file_array->data());
      data->type = logical_type;
      data->children = {conformed->data()};
      return MakeArray(std::move(data));
    }
    case TypeId::kMap: {
      if (from.id() != TypeId::kMap) return TypeMismatch(from, to, column);
      ArrayPtr entries = MakeArray(file_array->data()->children[0]);
      const auto& entry_struct = static_cast<const StructArray&>(*entries);
      // A map's node is a list of key/value entries.
      const parquet::FieldNode* entry_node = child_node(0);
      auto entry_child = [&](size_t index) -> const parquet::FieldNode* {
        if (entry_node == nullptr || index >= entry_node->children.size()) return nullptr;
        return &entry_node->children[index];
      };
      ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr keys,
                               ConformArray(entry_struct.field(0), to.key_field().type, mode,
                                            column + ".key", entry_child(0)));
      ARCFLOW_ASSIGN_OR_RETURN(ArrayPtr values,
                               ConformArray(entry_struct.field(1), to.value_field().type, mode,
                                            column + ".value", entry_child(1)));
      auto entries_data = std::make_shared<ArrayData>();
      entries_data->type = types::MapEntries(to);
      entries_data->length = entries->length();
      entries_data->null_count = entries->null_count();
      ARCFLOW_ASSIGN_OR_RETURN(auto validity, ZeroOffsetValidity(*entries));
      entries_data->buffers = {std::move(validity)};
      entries_data->children = {keys->data(), values->data()};
      auto data = std::make_shared<ArrayData>(*file_array->data());
      data->type = logical_type;
      data->children = {std::move(entries_data)};
      return MakeArray(std::move(data));
    }
    default:
      if (from.is_nested()) return TypeMismatch(from, to, column);
      return ConformPrimitive(file_array, logical_type, column);
  }
}

// What every file of a scan shares.
struct TableScan::Plan {
  std::shared_ptr<io::FileSystem> fs;
  std::string table_root;
  ColumnMappingMode mode = ColumnMappingMode::kNone;
  // The top-level table columns read, in table-schema order, and the batch schema they form.
  SchemaPtr read_schema;
  std::vector<bool> is_partition;           // Per read_schema field.
  std::vector<std::string> physical_names;  // Per read_schema field.
  SchemaPtr physical_read_schema;           // read_schema with physical names (for matching).
  std::vector<Predicate> physical_predicates;
  std::optional<RowFilter> row_filter;   // Over read_schema.
  std::optional<Projection> projection;  // From read_schema to the output.
  int64_t batch_rows = kDefaultBatchRows;
};

namespace {

Result<std::shared_ptr<const parquet::ParquetFileReader>> OpenDataFile(const TableScan::Plan& plan,
                                                                       const std::string& path) {
  parquet::ParquetReadOptions options;
  options.batch_rows = plan.batch_rows;
  ARCFLOW_ASSIGN_OR_RETURN(std::unique_ptr<parquet::ParquetFileReader> reader,
                           parquet::ParquetFileReader::Open(plan.fs, path, options));
  return std::shared_ptr<const parquet::ParquetFileReader>(std::move(reader));
}

// Streams one data file as batches of the scan's output schema.
class FileBatchReader final : public RecordBatchReader {
 public:
  // `file` is the add's data file when the caller opened it already (TableScan::OpenFile).
  FileBatchReader(std::shared_ptr<const TableScan::Plan> plan, SchemaPtr output_schema, AddFile add,
                  std::shared_ptr<const parquet::ParquetFileReader> file)
      : plan_(std::move(plan)),
        output_schema_(std::move(output_schema)),
        add_(std::move(add)),
        reader_(std::move(file)) {}

  Status Open() {
    const auto& plan = *plan_;
    path_ = ResolveDataFilePath(plan.table_root, add_.path);
    if (reader_ == nullptr) {
      ARCFLOW_ASSIGN_OR_RETURN(reader_, OpenDataFile(plan, path_));
    }
    // Partition values, parsed once per file.
    const Schema& read_schema = *plan.read_schema;
    constants_.resize(read_schema.fields().size());
    for (size_t i = 0; i < read_schema.fields().size(); ++i) {
      if (!plan.is_partition[i]) continue;
      const Field& field = read_schema.fields()[i];
      auto text = FindPartitionValue(add_.partition_values, field, plan.mode);
      if (!text.ok()) return Status::Corruption("{}", text.status().message());
      auto value = ParsePartitionValue(*text, field.type, field.name);
      if (!value.ok()) return Status::Corruption("{}", value.status().message());
      constants_[i] = std::move(*value);
    }
    // Data columns: where each is in the file.
    std::vector<int> matches =
        MatchFileColumns(*plan.physical_read_schema, reader_->parquet_schema().root(), plan.mode);
    batch_column_.assign(read_schema.fields().size(), -1);
    file_nodes_.assign(read_schema.fields().size(), nullptr);
    const auto& file_nodes = reader_->schema_mapping().fields;
    for (size_t i = 0; i < matches.size(); ++i) {
      if (plan.is_partition[i] || matches[i] < 0) continue;
      file_nodes_[i] = &file_nodes[static_cast<size_t>(matches[i])];
      auto existing = std::find(file_columns_.begin(), file_columns_.end(), matches[i]);
      batch_column_[i] = static_cast<int>(existing - file_columns_.begin());
      if (existing == file_columns_.end()) file_columns_.push_back(matches[i]);
    }
    // Row groups: predicates on columns the file has, under the file's own names.
    std::vector<Predicate> file_predicates;
    const auto& file_fields = reader_->schema()->fields();
    for (const Predicate& predicate : plan.physical_predicates) {
      for (size_t i = 0; i < matches.size(); ++i) {
        if (plan.physical_names[i] == predicate.column && matches[i] >= 0 &&
            !plan.is_partition[i] &&
            file_fields[static_cast<size_t>(matches[i])].type->Equals(*read_schema.fields()[i].type,
                                                                      false)) {
          Predicate renamed = predicate;
          renamed.column = file_fields[static_cast<size_t>(matches[i])].name;
          file_predicates.push_back(std::move(renamed));
          break;
        }
      }
    }
    auto selected = reader_->SelectRowGroups(file_predicates);
    if (selected.ok()) {
      row_groups_ = std::move(*selected);
    } else {
      // A predicate the file's statistics cannot judge only costs the skipping.
      row_groups_.clear();
      for (int i = 0; i < reader_->num_row_groups(); ++i) row_groups_.push_back(i);
    }
    int64_t start = 0;
    for (const auto& row_group : reader_->metadata().row_groups) {
      row_group_starts_.push_back(start);
      start += row_group.num_rows;
    }
    if (add_.deletion_vector.has_value()) {
      ARCFLOW_ASSIGN_OR_RETURN(
          deleted_, ReadDeletionVector(*plan.fs, plan.table_root, *add_.deletion_vector));
    }
    return Status::OK();
  }

  const SchemaPtr& schema() const override { return output_schema_; }

  Result<RecordBatchPtr> Next() override {
    while (true) {
      if (!has_current_ || position_ >= current_rows_) {
        if (next_row_group_ >= row_groups_.size()) return RecordBatchPtr();
        int index = row_groups_[next_row_group_++];
        current_row_group_start_ = row_group_starts_[static_cast<size_t>(index)];
        current_rows_ = reader_->metadata().row_groups[static_cast<size_t>(index)].num_rows;
        if (!file_columns_.empty()) {
          ARCFLOW_ASSIGN_OR_RETURN(current_, reader_->ReadRowGroup(index, file_columns_));
          current_rows_ = current_->num_rows();
        } else {
          current_.reset();
        }
        position_ = 0;
        has_current_ = true;
        if (current_rows_ == 0) continue;
      }
      int64_t length = std::min(plan_->batch_rows, current_rows_ - position_);
      int64_t offset = position_;
      position_ += length;
      auto batch = BuildBatch(offset, length);
      if (!batch.ok()) return batch.status().WithContext("while reading " + path_);
      if ((*batch)->num_rows() == 0) continue;
      return batch;
    }
  }

 private:
  Result<RecordBatchPtr> BuildBatch(int64_t offset, int64_t length) {
    const auto& plan = *plan_;
    const Schema& read_schema = *plan.read_schema;
    std::vector<ArrayPtr> columns;
    columns.reserve(read_schema.fields().size());
    for (size_t i = 0; i < read_schema.fields().size(); ++i) {
      const Field& field = read_schema.fields()[i];
      ArrayPtr column;
      if (plan.is_partition[i]) {
        ARCFLOW_ASSIGN_OR_RETURN(column, MakeConstantArray(constants_[i], length));
      } else if (batch_column_[i] < 0) {
        ARCFLOW_ASSIGN_OR_RETURN(column, MakeNullArray(field.type, length));
      } else {
        ArrayPtr file_column = current_->column(batch_column_[i])->Slice(offset, length);
        ARCFLOW_ASSIGN_OR_RETURN(
            column, ConformArray(file_column, field.type, plan.mode, field.name, file_nodes_[i]));
      }
      columns.push_back(std::move(column));
    }
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch,
                             RecordBatch::Make(plan.read_schema, length, std::move(columns)));
    if (!deleted_.empty()) {
      std::vector<uint8_t> keep(static_cast<size_t>(length), 1);
      uint64_t first = static_cast<uint64_t>(current_row_group_start_ + offset);
      const auto& rows = deleted_.rows();
      for (auto it = std::lower_bound(rows.begin(), rows.end(), first);
           it != rows.end() && *it < first + static_cast<uint64_t>(length); ++it) {
        keep[static_cast<size_t>(*it - first)] = 0;
      }
      ARCFLOW_ASSIGN_OR_RETURN(batch, FilterRecordBatch(batch, keep));
    }
    if (plan.row_filter.has_value()) {
      ARCFLOW_ASSIGN_OR_RETURN(batch, plan.row_filter->Apply(batch));
    }
    if (plan.projection.has_value()) {
      ARCFLOW_ASSIGN_OR_RETURN(batch, plan.projection->Apply(*batch));
    }
    return batch;
  }

  std::shared_ptr<const TableScan::Plan> plan_;
  SchemaPtr output_schema_;
  AddFile add_;
  std::string path_;
  std::shared_ptr<const parquet::ParquetFileReader> reader_;
  std::vector<TypedValue> constants_;  // Per read_schema field; set for partition columns.
  std::vector<int> file_columns_;      // File column indexes read, in batch order.
  std::vector<int> batch_column_;      // Per read_schema field: its column in the batch, or -1.
  // Per read_schema field: its node in the file's schema (owned by reader_), or null.
  std::vector<const parquet::FieldNode*> file_nodes_;
  std::vector<int> row_groups_;
  std::vector<int64_t> row_group_starts_;
  DeletedRows deleted_;
  size_t next_row_group_ = 0;
  RecordBatchPtr current_;
  bool has_current_ = false;
  int64_t current_rows_ = 0;
  int64_t current_row_group_start_ = 0;
  int64_t position_ = 0;
};

// Streams the files of a scan one after another.
class ScanReader final : public RecordBatchReader {
 public:
  ScanReader(std::shared_ptr<const TableScan> scan) : scan_(std::move(scan)) {}

  const SchemaPtr& schema() const override { return scan_->schema(); }

  Result<RecordBatchPtr> Next() override {
    while (true) {
      if (current_ == nullptr) {
        if (next_file_ >= scan_->files().size()) return RecordBatchPtr();
        ARCFLOW_ASSIGN_OR_RETURN(current_, scan_->ReadFile(scan_->files()[next_file_++]));
      }
      ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, current_->Next());
      if (batch != nullptr) return batch;
      current_.reset();
    }
  }

 private:
  std::shared_ptr<const TableScan> scan_;
  std::unique_ptr<RecordBatchReader> current_;
  size_t next_file_ = 0;
};

}  // namespace

Result<std::shared_ptr<const TableScan>> TableScan::Make(std::shared_ptr<const Snapshot> snapshot,
                                                         TableScanOptions options) {
  ARCFLOW_RETURN_NOT_OK(CheckReadSupported(snapshot->protocol()));
  if (snapshot->schema() == nullptr) {
    // The log loaded but its schema has a type arcflow cannot represent (e.g. void).
    if (!snapshot->schema_status().ok()) return snapshot->schema_status();
    return Status::NotImplemented("delta: table {} has no readable schema", snapshot->table_root());
  }
  auto plan = std::make_shared<Plan>();
  plan->fs = snapshot->file_system();
  plan->table_root = snapshot->table_root();
  plan->batch_rows = std::max<int64_t>(1, options.batch_rows);
  ARCFLOW_ASSIGN_OR_RETURN(plan->mode, GetColumnMappingMode(snapshot->metadata()));
  const SchemaPtr& table_schema = snapshot->schema();
  const auto& partition_columns = snapshot->metadata().partition_columns;

  // Which top-level columns to read: those projected and those the row filter needs.
  std::vector<bool> needed(table_schema->fields().size(), options.columns.empty());
  std::vector<std::vector<std::string>> requested_paths;
  for (const std::string& column : options.columns) {
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<std::string> path, SplitColumnPath(column));
    int index = FindFieldIndex(table_schema->fields(), path[0]);
    if (index < 0) {
      return Status::Invalid("delta: column \"{}\" is not in the table schema ({}; table {})",
                             column, table_schema->ToString(), snapshot->table_root());
    }
    needed[static_cast<size_t>(index)] = true;
    path[0] = table_schema->fields()[static_cast<size_t>(index)].name;
    requested_paths.push_back(std::move(path));
  }
  bool extra_columns = false;
  if (options.filter_rows) {
    for (const Predicate& predicate : options.predicates) {
      ARCFLOW_ASSIGN_OR_RETURN(std::vector<std::string> path, SplitColumnPath(predicate.column));
      int index = FindFieldIndex(table_schema->fields(), path[0]);
      if (index >= 0 && !needed[static_cast<size_t>(index)]) {
        needed[static_cast<size_t>(index)] = true;
        extra_columns = true;
      }
    }
  }
  std::vector<Field> read_fields;
  for (size_t i = 0; i < table_schema->fields().size(); ++i) {
    if (!needed[i]) continue;
    const Field& field = table_schema->fields()[i];
    read_fields.push_back(field);
    bool is_partition = false;
    for (const auto& name : partition_columns) {
      is_partition = is_partition || ascii::EqualsIgnoreCase(name, field.name);
    }
    plan->is_partition.push_back(is_partition);
    ARCFLOW_ASSIGN_OR_RETURN(std::string physical, PhysicalName(field, plan->mode));
    plan->physical_names.push_back(std::move(physical));
  }
  plan->read_schema = std::make_shared<const Schema>(std::move(read_fields));
  ARCFLOW_ASSIGN_OR_RETURN(plan->physical_read_schema,
                           MakePhysicalSchema(plan->read_schema, plan->mode));

  ARCFLOW_ASSIGN_OR_RETURN(FileSkipper skipper, FileSkipper::Make(table_schema, partition_columns,
                                                                  plan->mode, options.predicates));
  plan->physical_predicates = skipper.physical_data_predicates();
  if (options.filter_rows && !options.predicates.empty()) {
    ARCFLOW_ASSIGN_OR_RETURN(RowFilter filter,
                             RowFilter::Make(plan->read_schema, options.predicates));
    plan->row_filter = std::move(filter);
  }
  bool needs_projection = extra_columns;
  for (const auto& path : requested_paths) needs_projection = needs_projection || path.size() > 1;
  if (!options.columns.empty()) {
    // Keep the requested order, which may differ from the table's.
    for (size_t i = 0; i < requested_paths.size() && !needs_projection; ++i) {
      needs_projection =
          plan->read_schema->num_fields() != static_cast<int>(requested_paths.size()) ||
          plan->read_schema->field(static_cast<int>(i)).name != requested_paths[i][0];
    }
  }
  SchemaPtr output_schema = plan->read_schema;
  if (needs_projection) {
    std::vector<std::string> paths;
    for (const auto& path : requested_paths) {
      std::string joined;
      for (const auto& segment : path) {
        if (!joined.empty()) joined.push_back('.');
        joined.append(QuotePathSegment(segment));
      }
      paths.push_back(std::move(joined));
    }
    ARCFLOW_ASSIGN_OR_RETURN(Projection projection, Projection::Make(plan->read_schema, paths));
    output_schema = projection.output_schema();
    plan->projection = std::move(projection);
  }

  auto scan = std::shared_ptr<TableScan>(new TableScan());
  scan->snapshot_ = std::move(snapshot);
  scan->output_schema_ = std::move(output_schema);
  for (const AddFile& add : scan->snapshot_->files()) {
    ARCFLOW_ASSIGN_OR_RETURN(bool skip, skipper.CanSkip(add));
    if (skip) {
      ++scan->num_skipped_files_;
    } else {
      scan->files_.push_back(add);
    }
  }
  scan->plan_ = std::move(plan);
  return std::shared_ptr<const TableScan>(std::move(scan));
}

Result<std::unique_ptr<RecordBatchReader>> TableScan::Execute() const {
  // The reader keeps a copy of this scan's state so that it outlives the caller's handle.
  auto self = std::shared_ptr<TableScan>(new TableScan(*this));
  return std::unique_ptr<RecordBatchReader>(new ScanReader(std::move(self)));
}

Result<std::shared_ptr<const parquet::ParquetFileReader>> TableScan::OpenFile(
    const AddFile& add) const {
  auto opened = OpenDataFile(*plan_, ResolveDataFilePath(plan_->table_root, add.path));
  if (!opened.ok()) {
    return opened.status().WithContext(
        fmt::format("while opening data file {} of table {} (version {})", add.path,
                    plan_->table_root, snapshot_->version()));
  }
  return opened;
}

Result<std::unique_ptr<RecordBatchReader>> TableScan::ReadFile(
    const AddFile& add, std::shared_ptr<const parquet::ParquetFileReader> file) const {
  auto reader = std::make_unique<FileBatchReader>(plan_, output_schema_, add, std::move(file));
  Status status = reader->Open();
  if (!status.ok()) {
    return status.WithContext(fmt::format("while reading data file {} of table {} (version {})",
                                          add.path, plan_->table_root, snapshot_->version()));
  }
  return std::unique_ptr<RecordBatchReader>(std::move(reader));
}

}  // namespace arcflow::delta
