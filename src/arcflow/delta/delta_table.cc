#include "arcflow/delta/delta_table.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "arcflow/columnar/schema_json.h"
#include "arcflow/columnar/vector_record_batch_reader.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/data_file_writer.h"
#include "arcflow/parquet/bridge/schema_to_parquet.h"

namespace arcflow::delta {

namespace {

// The type changes PROTOCOL.md's type widening feature allows that arcflow can apply.
bool IsAllowedWidening(const DataType& from, const DataType& to) {
  return IsLosslessWidening(from, to);
}

// `field` without the column mapping metadata it may bring from another table: a new column
// gets its own id and physical name (AssignColumnMappingMetadata).
Field WithoutColumnMapping(const Field& field) {
  Field out = field;
  std::erase_if(out.metadata, [](const auto& entry) {
    return entry.first == kColumnIdKey || entry.first == kPhysicalNameKey ||
           entry.first == kNestedIdsKey || entry.first == kParquetNestedIdsKey ||
           entry.first == parquet::kParquetFieldIdKey;
  });
  const DataType& type = *field.type;
  switch (type.id()) {
    case TypeId::kStruct: {
      std::vector<Field> members;
      for (const Field& member : type.fields()) members.push_back(WithoutColumnMapping(member));
      out.type = types::Struct(std::move(members));
      break;
    }
    case TypeId::kList:
      out.type = types::ListOf(WithoutColumnMapping(type.element_field()));
      break;
    case TypeId::kMap:
      out.type = types::MapOf(WithoutColumnMapping(type.key_field()),
                              WithoutColumnMapping(type.value_field()));
      break;
    default:
      break;
  }
  return out;
}

struct MergeContext {
  bool merge;
  bool allow_type_widening;
  std::vector<std::string> differences;
};

DataTypePtr MergeType(const DataTypePtr& table, const DataTypePtr& data, const std::string& path,
                      MergeContext* context, FieldMetadata* metadata);

std::vector<Field> MergeFields(const std::vector<Field>& table, const std::vector<Field>& data,
                               const std::string& prefix, MergeContext* context) {
  std::vector<Field> merged;
  for (const Field& field : table) {
    std::string path = prefix.empty() ? field.name : prefix + "." + field.name;
    auto found = std::find_if(data.begin(), data.end(),
                              [&](const Field& other) { return other.name == field.name; });
    if (found == data.end()) {
      if (!context->merge) {
        context->differences.push_back(fmt::format("{} is missing from the data", path));
      } else if (!field.nullable) {
        context->differences.push_back(
            fmt::format("{} is missing from the data and is not nullable", path));
      }
      merged.push_back(field);
      continue;
    }
    Field result = field;
    result.type = MergeType(field.type, found->type, path, context, &result.metadata);
    merged.push_back(std::move(result));
  }
  for (const Field& field : data) {
    auto found = std::find_if(table.begin(), table.end(),
                              [&](const Field& other) { return other.name == field.name; });
    if (found != table.end()) continue;
    std::string path = prefix.empty() ? field.name : prefix + "." + field.name;
    if (!context->merge) {
      context->differences.push_back(
          fmt::format("{} ({}) is not in the table", path, field.type->ToString()));
      continue;
    }
    Field added = WithoutColumnMapping(field);
    added.type = MakeNullableType(added.type);
    added.nullable = true;
    merged.push_back(std::move(added));
  }
  return merged;
}

DataTypePtr MergeType(const DataTypePtr& table, const DataTypePtr& data, const std::string& path,
                      MergeContext* context, FieldMetadata* metadata) {
  if (table->id() != data->id() || !SameTypeParameters(*table, *data)) {
    if (IsLosslessWidening(*data, *table)) return table;  // Widened as it is written.
    if (context->merge && context->allow_type_widening && IsAllowedWidening(*table, *data)) {
      // Records the change as PROTOCOL.md's type widening asks, for readers of old files.
      metadata->emplace_back("delta.typeChanges",
                             fmt::format("[{{\"toType\":{},\"fromType\":{}}}]",
                                         ToDataTypeJson(*data), ToDataTypeJson(*table)));
      return data;
    }
    std::string hint;
    if (IsAllowedWidening(*table, *data)) {
      hint = context->merge ? " (enable type widening with delta.enableTypeWidening=true)"
                            : " (write with merge_schema and delta.enableTypeWidening=true)";
    }
    context->differences.push_back(fmt::format("{} has type {} in the table, {} in the data{}",
                                               path, table->ToString(), data->ToString(), hint));
    return table;
  }
  switch (table->id()) {
    case TypeId::kStruct:
      return types::Struct(MergeFields(table->fields(), data->fields(), path, context));
    case TypeId::kList: {
      FieldMetadata unused;
      return types::List(MergeType(table->element_field().type, data->element_field().type,
                                   path + ".element", context, &unused),
                         table->element_field().nullable);
    }
    case TypeId::kMap: {
      FieldMetadata unused;
      return types::Map(MergeType(table->key_field().type, data->key_field().type, path + ".key",
                                  context, &unused),
                        MergeType(table->value_field().type, data->value_field().type,
                                  path + ".value", context, &unused),
                        table->value_field().nullable);
    }
    default:
      return table;
  }
}

// Conforms each batch of a reader to the table's schema.
class ConformingReader final : public RecordBatchReader {
 public:
  ConformingReader(RecordBatchReader& input, SchemaPtr schema)
      : input_(input), schema_(std::move(schema)) {}
  const SchemaPtr& schema() const override { return schema_; }
  Result<RecordBatchPtr> Next() override {
    ARCFLOW_ASSIGN_OR_RETURN(RecordBatchPtr batch, input_.Next());
    if (!batch) return batch;
    return ConformBatch(*batch, schema_);
  }

 private:
  RecordBatchReader& input_;
  SchemaPtr schema_;
};

std::string PartitionByParameter(const std::vector<std::string>& columns) {
  std::string list = "[";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) list += ",";
    list += QuoteJsonString(columns[i]);
  }
  list += "]";
  return QuoteJsonString(list);
}

std::string_view OpName(parquet::ColumnPredicate::Op op) {
  using Op = parquet::ColumnPredicate::Op;
  switch (op) {
    case Op::kEq:
      return "=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kIsNull:
      return "IS NULL";
    case Op::kIsNotNull:
      return "IS NOT NULL";
  }
  return "?";
}

std::string PredicateText(const std::vector<parquet::ColumnPredicate>& predicates) {
  std::string text;
  for (const auto& predicate : predicates) {
    if (!text.empty()) text += " AND ";
    text += fmt::format("({} {}", predicate.column, OpName(predicate.op));
    if (predicate.op != parquet::ColumnPredicate::Op::kIsNull &&
        predicate.op != parquet::ColumnPredicate::Op::kIsNotNull) {
      text += fmt::format(" '{}'", predicate.value);
    }
    text += ")";
  }
  return text;
}

}  // namespace

Result<SchemaPtr> MergeWriteSchema(const Schema& table, const Schema& data, bool merge,
                                   bool allow_type_widening) {
  MergeContext context{merge, allow_type_widening, {}};
  std::vector<Field> fields = MergeFields(table.fields(), data.fields(), "", &context);
  if (!context.differences.empty()) {
    std::string list;
    for (const std::string& difference : context.differences) {
      list += list.empty() ? "" : "; ";
      list += difference;
    }
    return Status::Invalid(
        "delta: the data's schema differs from the table's: {}; table schema: {}; data schema: "
        "{}{}",
        list, table.ToString(), data.ToString(),
        merge ? "" : "; write with merge_schema to add new columns");
  }
  return std::make_shared<const Schema>(std::move(fields), table.metadata());
}

Result<std::unique_ptr<DeltaTable>> DeltaTable::Open(std::shared_ptr<io::FileSystem> fs,
                                                     std::string table_root,
                                                     TransactionOptions options) {
  std::unique_ptr<DeltaTable> table(
      new DeltaTable(std::move(fs), std::move(table_root), std::move(options)));
  ARCFLOW_RETURN_NOT_OK(table->Refresh());
  return table;
}

Result<std::unique_ptr<DeltaTable>> DeltaTable::Create(std::shared_ptr<io::FileSystem> fs,
                                                       std::string table_root,
                                                       CreateTableOptions create,
                                                       TransactionOptions options) {
  if (!create.schema) return Status::Invalid("delta: creating {} needs a schema", table_root);
  auto existing = Snapshot::Load(fs, table_root);
  if (existing.ok()) {
    return Status::AlreadyExists("delta: a table already exists at {} (version {})", table_root,
                                 (*existing)->version());
  }
  if (!existing.status().IsNotFound()) return existing.status();
  for (const std::string& column : create.partition_columns) {
    int index = create.schema->GetFieldIndex(column);
    if (index < 0 || create.schema->field(index).type->is_nested()) {
      return Status::Invalid(
          "delta: partition column '{}' must be a primitive column of the schema ({})", column,
          create.schema->ToString());
    }
  }
  Metadata metadata;
  metadata.name = create.name;
  metadata.description = create.description;
  metadata.schema_string = ToStructTypeJson(*create.schema);
  metadata.partition_columns = create.partition_columns;
  metadata.configuration = create.configuration;
  ARCFLOW_ASSIGN_OR_RETURN(auto transaction,
                           OptimisticTransaction::StartCreate(fs, table_root, options));
  ARCFLOW_RETURN_NOT_OK(transaction->UpdateMetadata(std::move(metadata)));
  transaction->SetOperation(
      "CREATE TABLE", {{"isManaged", "\"false\""},
                       {"description", create.description ? QuoteJsonString(*create.description)
                                                          : std::string("null")},
                       {"partitionBy", PartitionByParameter(create.partition_columns)},
                       {"properties", QuoteJsonString(SerializeStringMap(create.configuration))}});
  ARCFLOW_ASSIGN_OR_RETURN(CommitResult result, transaction->Commit());
  std::unique_ptr<DeltaTable> table(
      new DeltaTable(std::move(fs), std::move(table_root), std::move(options)));
  table->snapshot_ = result.snapshot;
  if (!table->snapshot_) ARCFLOW_RETURN_NOT_OK(table->Refresh());
  return table;
}

Status DeltaTable::Refresh() {
  ARCFLOW_ASSIGN_OR_RETURN(snapshot_, Snapshot::Load(fs_, table_root_));
  return Status::OK();
}

Result<WriteResult> DeltaTable::Append(RecordBatchReader& reader, const WriteOptions& options) {
  return Write(reader, options, /*overwrite=*/false);
}

Result<WriteResult> DeltaTable::Append(const std::vector<RecordBatchPtr>& batches,
                                       const WriteOptions& options) {
  if (batches.empty()) {
    ARCFLOW_RETURN_NOT_OK(Refresh());
    VectorRecordBatchReader reader(snapshot_->schema(), batches);
    return Write(reader, options, false);
  }
  VectorRecordBatchReader reader(batches[0]->schema(), batches);
  return Write(reader, options, /*overwrite=*/false);
}

Result<WriteResult> DeltaTable::Overwrite(RecordBatchReader& reader, const WriteOptions& options) {
  return Write(reader, options, /*overwrite=*/true);
}

Result<WriteResult> DeltaTable::Overwrite(const std::vector<RecordBatchPtr>& batches,
                                          const WriteOptions& options) {
  if (batches.empty()) {
    ARCFLOW_RETURN_NOT_OK(Refresh());
    VectorRecordBatchReader reader(snapshot_->schema(), batches);
    return Write(reader, options, true);
  }
  VectorRecordBatchReader reader(batches[0]->schema(), batches);
  return Write(reader, options, /*overwrite=*/true);
}

Result<WriteResult> DeltaTable::Write(RecordBatchReader& reader, const WriteOptions& options,
                                      bool overwrite) {
  ARCFLOW_RETURN_NOT_OK(Refresh());
  ARCFLOW_ASSIGN_OR_RETURN(auto transaction, OptimisticTransaction::Start(snapshot_, options_));
  WriteResult result;
  if (options.txn) {
    std::optional<int64_t> committed = transaction->TransactionVersion(options.txn->app_id);
    if (committed && *committed >= options.txn->version) return result;  // Already written.
  }
  const Metadata& metadata = snapshot_->metadata();
  bool widening = metadata.Configuration("delta.enableTypeWidening") == "true";
  ARCFLOW_ASSIGN_OR_RETURN(
      SchemaPtr schema,
      MergeWriteSchema(*snapshot_->schema(), *reader.schema(), options.merge_schema, widening));
  if (!schema->Equals(*snapshot_->schema())) {
    Metadata updated = metadata;
    updated.schema_string = ToStructTypeJson(*schema);
    ARCFLOW_RETURN_NOT_OK(transaction->UpdateMetadata(std::move(updated)));
    // With column mapping the new columns now have ids and physical names.
    ARCFLOW_ASSIGN_OR_RETURN(schema, ParseStructTypeJson(transaction->metadata().schema_string));
  }

  // Checks replaceWhere before any file is written.
  if (!options.replace_where.empty()) {
    if (!overwrite) return Status::Invalid("delta: replace_where applies to overwrites only");
    for (const auto& predicate : options.replace_where) {
      if (std::find(metadata.partition_columns.begin(), metadata.partition_columns.end(),
                    predicate.column) == metadata.partition_columns.end()) {
        return Status::Invalid(
            "delta: replace_where on column '{}' of {}: only partition columns ({}) are supported",
            predicate.column, table_root_, fmt::join(metadata.partition_columns, ", "));
      }
    }
  }

  ARCFLOW_ASSIGN_OR_RETURN(DataFileWriterOptions writer_options,
                           DataFileWriterOptions::FromMetadata(transaction->metadata()));
  writer_options.threads = options_.write_threads;
  writer_options.defer_publication = true;  // Published by the commit (PublishBeforeCommit).
  ARCFLOW_ASSIGN_OR_RETURN(auto writer,
                           DataFileWriter::Open(fs_, table_root_, schema, writer_options));
  ConformingReader conforming(reader, schema);
  ARCFLOW_RETURN_NOT_OK(writer->WriteAll(conforming));
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<AddFile> adds, writer->Finish());
  result.num_rows = writer->num_rows();
  result.num_files = static_cast<int64_t>(adds.size());

  StringMap parameters;
  parameters.emplace_back("mode", overwrite ? "\"Overwrite\"" : "\"Append\"");
  parameters.emplace_back("partitionBy", PartitionByParameter(metadata.partition_columns));
  if (overwrite) {
    if (options.replace_where.empty()) {
      transaction->ReadWholeTable();
      for (const AddFile& file : snapshot_->files()) transaction->Remove(file);
    } else {
      // Spark's replaceWhere constraint: rows outside the replaced partitions are an error.
      for (const AddFile& add : adds) {
        if (!PartitionMatches(options.replace_where, add.partition_values, *schema,
                              metadata.partition_columns)) {
          return Status::Invalid(
              "delta: data written with replace_where {} has rows outside it (file {}); filter "
              "the data to the replaced partitions",
              PredicateText(options.replace_where), add.path);
        }
      }
      transaction->ReadPartitions(options.replace_where);
      for (const AddFile& file : snapshot_->files()) {
        if (PartitionMatches(options.replace_where, file.partition_values, *snapshot_->schema(),
                             metadata.partition_columns)) {
          transaction->Remove(file);
        }
      }
      parameters.emplace_back(
          "predicate",
          QuoteJsonString("[" + QuoteJsonString(PredicateText(options.replace_where)) + "]"));
    }
  }
  transaction->SetOperation("WRITE", std::move(parameters));
  if (options.txn) transaction->SetTransaction(options.txn->app_id, options.txn->version);
  transaction->AddFiles(std::move(adds));
  transaction->PublishBeforeCommit(writer->TakeUnpublishedFiles());
  ARCFLOW_ASSIGN_OR_RETURN(CommitResult commit, transaction->Commit());
  if (commit.snapshot) snapshot_ = commit.snapshot;
  result.commit = std::move(commit);
  return result;
}

}  // namespace arcflow::delta
