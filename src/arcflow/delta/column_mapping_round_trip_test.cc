// Writes column-mapped tables (PROTOCOL.md, "Column Mapping") in name and id mode through
// DeltaTable and MERGE, reads them back with TableScan, and checks the data files themselves:
// physical names at every level and Parquet field ids equal to the columns' ids.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/change_data_feed.h"
#include "arcflow/delta/column_mapping.h"
#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/merge.h"
#include "arcflow/delta/table_scan.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/io/memory_file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"
#include "arcflow/parquet/bridge/parquet_writer.h"
#include "arcflow/parquet/bridge/schema_to_parquet.h"

namespace arcflow::delta {
namespace {

using ::testing::HasSubstr;

constexpr char kRoot[] = "/tables/mapped";
const std::string kDeltaCorpus = std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta";

TransactionOptions FastOptions() {
  TransactionOptions options;
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(20);
  return options;
}

DataTypePtr InnerType() {
  return types::Struct(
      {Field("x", types::Int64()), Field("t", types::Struct({Field("y", types::String())}))});
}
DataTypePtr ListType() { return types::List(types::Struct({Field("z", types::Int32())})); }
DataTypePtr MapType() { return types::Map(types::String(), types::Int64()); }

// A column of every shape: top level, nested structs, a list of structs, a map, and a
// partition column.
SchemaPtr NestedSchema() {
  return std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("part", types::String()),
                         Field("s", InnerType()), Field("l", ListType()), Field("m", MapType())});
}

// Row i: id i, part "a" or "b", s {x: 10 i, t: {y: "y<i>"}}, l [{z: i}, {z: i + 1}],
// m {"k<i>": 100 i}.
RecordBatchPtr NestedRows(int64_t first, int64_t count) {
  SchemaPtr schema = NestedSchema();
  RecordBatchBuilder builder(schema);
  auto& ids = static_cast<Int64Builder&>(*builder.column_builder(0));
  auto& parts = static_cast<StringBuilder&>(*builder.column_builder(1));
  auto& structs = static_cast<StructBuilder&>(*builder.column_builder(2));
  auto& inner = static_cast<StructBuilder&>(*structs.field_builder(1));
  auto& lists = static_cast<ListBuilder&>(*builder.column_builder(3));
  auto& elements = static_cast<StructBuilder&>(*lists.value_builder());
  auto& maps = static_cast<ListBuilder&>(*builder.column_builder(4));
  for (int64_t i = first; i < first + count; ++i) {
    ids.Append(i);
    parts.Append(i % 2 == 0 ? "a" : "b");
    static_cast<Int64Builder*>(structs.field_builder(0))->Append(10 * i);
    static_cast<StringBuilder*>(inner.field_builder(0))->Append("y" + std::to_string(i));
    inner.Append();
    structs.Append();
    for (int64_t z = i; z < i + 2; ++z) {
      static_cast<Int32Builder*>(elements.field_builder(0))->Append(static_cast<int32_t>(z));
      elements.Append();
    }
    lists.Append();
    static_cast<StringBuilder*>(MapKeyBuilder(maps))->Append("k" + std::to_string(i));
    static_cast<Int64Builder*>(MapValueBuilder(maps))->Append(100 * i);
    AppendMapEntry(maps);
    maps.Append();
  }
  auto batch = builder.Finish();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return *batch;
}

std::vector<std::string> CanonicalRows(const std::vector<RecordBatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const auto& batch : batches) AppendCanonicalRows(*batch, &rows);
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> ScanRows(std::shared_ptr<const Snapshot> snapshot) {
  auto scan = TableScan::Make(std::move(snapshot));
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return {};
  auto reader = (*scan)->Execute();
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> rows;
  while (reader.ok()) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || *batch == nullptr) break;
    AppendCanonicalRows(**batch, &rows);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::unique_ptr<DeltaTable> CreateMapped(const std::shared_ptr<io::FileSystem>& fs,
                                         std::string_view mode, SchemaPtr schema = NestedSchema(),
                                         std::vector<std::string> partition_columns = {"part"}) {
  CreateTableOptions create;
  create.schema = std::move(schema);
  create.partition_columns = std::move(partition_columns);
  create.configuration = {{std::string(kColumnMappingModeKey), std::string(mode)}};
  auto table = DeltaTable::Create(fs, kRoot, create, FastOptions());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? std::move(*table) : nullptr;
}

std::string Physical(const Field& field) {
  auto name = PhysicalName(field, ColumnMappingMode::kName);
  EXPECT_TRUE(name.ok()) << name.status().ToString();
  return name.ok() ? *name : std::string();
}

// Every field of `type`, nested struct members included, depth first.
void CollectFields(const DataType& type, std::vector<const Field*>* out) {
  for (const Field& child : type.fields()) {
    if (type.id() == TypeId::kStruct) out->push_back(&child);
    CollectFields(*child.type, out);
  }
}

std::vector<const Field*> AllFields(const Schema& schema) {
  std::vector<const Field*> out;
  for (const Field& field : schema.fields()) {
    out.push_back(&field);
    CollectFields(*field.type, &out);
  }
  return out;
}

void ExpectFileType(const DataType& type, const parquet::SchemaNode& node);

// The file's node for table field `field` has its physical name and its id as field id.
void ExpectFileNode(const Field& field, const parquet::SchemaNode& node) {
  SCOPED_TRACE(field.name);
  EXPECT_EQ(node.name, Physical(field));
  EXPECT_TRUE(ColumnId(field).has_value());
  EXPECT_EQ(node.field_id, ColumnId(field));
  ExpectFileType(*field.type, node);
}

void ExpectFileType(const DataType& type, const parquet::SchemaNode& node) {
  switch (type.id()) {
    case TypeId::kStruct:
      ASSERT_EQ(node.children.size(), type.fields().size());
      for (size_t i = 0; i < node.children.size(); ++i) {
        ExpectFileNode(type.fields()[i], node.children[i]);
      }
      break;
    case TypeId::kList:
      ASSERT_EQ(node.children.size(), 1u);
      ASSERT_EQ(node.children[0].children.size(), 1u);
      ExpectFileType(*type.element_field().type, node.children[0].children[0]);
      break;
    case TypeId::kMap:
      ASSERT_EQ(node.children.size(), 1u);
      ASSERT_EQ(node.children[0].children.size(), 2u);
      ExpectFileType(*type.key_field().type, node.children[0].children[0]);
      ExpectFileType(*type.value_field().type, node.children[0].children[1]);
      break;
    default:
      break;
  }
}

// Each data file of `snapshot` holds its data columns under their physical names, with their
// ids as Parquet field ids, at every level; partition values and statistics use physical names.
void ExpectPhysicalFiles(const Snapshot& snapshot) {
  const Schema& schema = *snapshot.schema();
  const auto& partition_columns = snapshot.metadata().partition_columns;
  std::vector<const Field*> data_fields;
  std::vector<std::string> partition_keys;
  for (const Field& field : schema.fields()) {
    if (std::find(partition_columns.begin(), partition_columns.end(), field.name) !=
        partition_columns.end()) {
      partition_keys.push_back(Physical(field));
    } else {
      data_fields.push_back(&field);
    }
  }
  ASSERT_FALSE(snapshot.files().empty());
  for (const AddFile& add : snapshot.files()) {
    SCOPED_TRACE(add.path);
    ASSERT_EQ(add.partition_values.size(), partition_keys.size());
    for (size_t i = 0; i < partition_keys.size(); ++i) {
      EXPECT_EQ(add.partition_values[i].first, partition_keys[i]);
    }
    ASSERT_TRUE(add.stats.has_value());
    EXPECT_THAT(*add.stats, HasSubstr("\"" + Physical(*data_fields[0]) + "\""));
    EXPECT_THAT(*add.stats, ::testing::Not(HasSubstr("\"" + data_fields[0]->name + "\"")));
    auto reader = parquet::ParquetFileReader::Open(
        snapshot.file_system(), ResolveDataFilePath(snapshot.table_root(), add.path));
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    const parquet::SchemaNode& root = (*reader)->parquet_schema().root();
    ASSERT_EQ(root.children.size(), data_fields.size());
    for (size_t i = 0; i < data_fields.size(); ++i)
      ExpectFileNode(*data_fields[i], root.children[i]);
  }
}

class ColumnMappingRoundTripTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ColumnMappingRoundTripTest, CreateAssignsIdsAndPhysicalNamesToEveryField) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateMapped(fs, GetParam());
  ASSERT_TRUE(table);
  const Snapshot& snapshot = *table->snapshot();
  std::vector<const Field*> fields = AllFields(*snapshot.schema());
  ASSERT_EQ(fields.size(), 9u);  // id, part, s, s.x, s.t, s.t.y, l, l.element.z, m.
  std::set<int32_t> ids;
  std::set<std::string> names;
  for (const Field* field : fields) {
    SCOPED_TRACE(field->name);
    std::optional<int32_t> id = ColumnId(*field);
    ASSERT_TRUE(id.has_value());
    ids.insert(*id);
    std::string physical = Physical(*field);
    EXPECT_THAT(physical, ::testing::StartsWith("col-"));
    EXPECT_EQ(physical.size(), 4u + 36u);  // "col-" and a UUID.
    names.insert(physical);
  }
  EXPECT_EQ(ids.size(), fields.size());
  EXPECT_EQ(*ids.begin(), 1);
  EXPECT_EQ(*ids.rbegin(), static_cast<int32_t>(fields.size()));
  EXPECT_EQ(names.size(), fields.size());
  EXPECT_EQ(snapshot.metadata().Configuration(kMaxColumnIdKey), std::to_string(fields.size()));
  EXPECT_EQ(snapshot.metadata().Configuration(kColumnMappingModeKey), GetParam());
  // The logical names stay what the user gave; the partition column is named logically.
  EXPECT_EQ(snapshot.schema()->field(2).type->field(1).name, "t");
  EXPECT_EQ(snapshot.metadata().partition_columns, std::vector<std::string>{"part"});
  // Legacy protocol: column mapping needs reader 2, writer 5.
  EXPECT_EQ(snapshot.protocol().min_reader_version, 2);
  EXPECT_EQ(snapshot.protocol().min_writer_version, 5);
  EXPECT_FALSE(snapshot.protocol().writer_features.has_value());
}

TEST_P(ColumnMappingRoundTripTest, TableFeaturesProtocolListsColumnMapping) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("at", types::TimestampNtz())});
  auto table = CreateMapped(fs, GetParam(), schema, {});
  ASSERT_TRUE(table);
  const Protocol& protocol = table->snapshot()->protocol();
  EXPECT_EQ(protocol.min_reader_version, 3);
  EXPECT_EQ(protocol.min_writer_version, 7);
  EXPECT_TRUE(protocol.HasReaderFeature("columnMapping"));
  EXPECT_TRUE(protocol.HasWriterFeature("columnMapping"));
  EXPECT_TRUE(protocol.HasReaderFeature("timestampNtz"));
}

TEST_P(ColumnMappingRoundTripTest, AppendWritesPhysicalNamesAndFieldIds) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateMapped(fs, GetParam());
  ASSERT_TRUE(table);
  std::vector<RecordBatchPtr> batches = {NestedRows(0, 5), NestedRows(5, 3)};
  auto written = table->Append(batches);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->num_rows, 8);
  auto reopened = DeltaTable::Open(fs, kRoot);
  ASSERT_TRUE(reopened.ok());
  ExpectPhysicalFiles(*(*reopened)->snapshot());
  EXPECT_EQ(ScanRows((*reopened)->snapshot()), CanonicalRows(batches));

  // Data skipping works on physical statistics, nested ones included.
  TableScanOptions options;
  // The file of partition a holds s.x 0, 20, 40, 60; that of b 10, 30, 50, 70.
  options.predicates = {Predicate{"s.x", Predicate::Op::kGe, "65"}};
  options.filter_rows = true;
  auto scan = TableScan::Make((*reopened)->snapshot(), options);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ((*scan)->num_skipped_files(), 1);
  auto reader = (*scan)->Execute();
  ASSERT_TRUE(reader.ok());
  int64_t rows = 0;
  while (true) {
    auto batch = (*reader)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (*batch == nullptr) break;
    rows += (*batch)->num_rows();
  }
  EXPECT_EQ(rows, 1);
}

TEST_P(ColumnMappingRoundTripTest, RenamedColumnsKeepTheirData) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateMapped(fs, GetParam());
  ASSERT_TRUE(table);
  ASSERT_TRUE(table->Append({NestedRows(0, 2)}).ok());
  // Renames s to renamed and s.x to x2: only the logical names change.
  std::string schema_json = table->snapshot()->metadata().schema_string;
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"\"name\":\"s\"", "\"name\":\"renamed\""},
        {"\"name\":\"x\"", "\"name\":\"x2\""}}) {
    size_t at = schema_json.find(from);
    ASSERT_NE(at, std::string::npos);
    schema_json.replace(at, from.size(), to);
  }
  auto transaction = OptimisticTransaction::Start(table->snapshot(), FastOptions());
  ASSERT_TRUE(transaction.ok());
  Metadata renamed = table->snapshot()->metadata();
  renamed.schema_string = schema_json;
  ASSERT_TRUE((*transaction)->UpdateMetadata(renamed).ok());
  ASSERT_TRUE((*transaction)->Commit().ok());
  ASSERT_TRUE(table->Refresh().ok());
  EXPECT_EQ(table->snapshot()->schema()->field(2).name, "renamed");
  std::vector<std::string> rows = ScanRows(table->snapshot());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0], HasSubstr("\"renamed\":{\"x2\":0,\"t\":{\"y\":\"y0\"}}"));
}

TEST_P(ColumnMappingRoundTripTest, MergeSchemaGivesNewColumnsFreshIds) {
  auto fs = io::MemoryFileSystem::Make();
  auto inner = types::Struct({Field("x", types::Int64())});
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("s", inner)});
  auto table = CreateMapped(fs, GetParam(), schema, {});
  ASSERT_TRUE(table);
  EXPECT_EQ(table->snapshot()->metadata().Configuration(kMaxColumnIdKey), "3");
  const std::string old_id_name = Physical(table->snapshot()->schema()->field(0));

  auto old_builder = RecordBatchBuilder(schema);
  static_cast<Int64Builder&>(*old_builder.column_builder(0)).Append(1);
  auto& old_struct = static_cast<StructBuilder&>(*old_builder.column_builder(1));
  static_cast<Int64Builder*>(old_struct.field_builder(0))->Append(10);
  old_struct.Append();
  ASSERT_TRUE(table->Append({*old_builder.Finish()}).ok());

  // The data brings s.y, a new member, and n, a new column; s.y carries the mapping metadata
  // of some other table, which must not leak in.
  Field y("y", types::String());
  y.metadata = {{std::string(kColumnIdKey), "1"},
                {std::string(kPhysicalNameKey), "\"col-foreign\""}};
  auto wider = types::Struct({Field("x", types::Int64()), y});
  auto data_schema = std::make_shared<const Schema>(std::vector<Field>{
      Field("id", types::Int64()), Field("s", wider), Field("n", types::Int32())});
  RecordBatchBuilder builder(data_schema);
  static_cast<Int64Builder&>(*builder.column_builder(0)).Append(2);
  auto& structs = static_cast<StructBuilder&>(*builder.column_builder(1));
  static_cast<Int64Builder*>(structs.field_builder(0))->Append(20);
  static_cast<StringBuilder*>(structs.field_builder(1))->Append("new");
  structs.Append();
  static_cast<Int32Builder&>(*builder.column_builder(2)).Append(7);
  WriteOptions merge;
  merge.merge_schema = true;
  auto written = table->Append({*builder.Finish()}, merge);
  ASSERT_TRUE(written.ok()) << written.status().ToString();

  const Snapshot& snapshot = *table->snapshot();
  const Schema& merged = *snapshot.schema();
  ASSERT_EQ(merged.num_fields(), 3);
  EXPECT_EQ(ColumnId(merged.field(0)), 1);
  EXPECT_EQ(Physical(merged.field(0)), old_id_name);
  const Field& new_member = merged.field(1).type->field(1);
  EXPECT_EQ(new_member.name, "y");
  EXPECT_EQ(ColumnId(new_member), 4);
  EXPECT_THAT(Physical(new_member), ::testing::StartsWith("col-"));
  EXPECT_NE(Physical(new_member), "col-foreign");
  EXPECT_EQ(ColumnId(merged.field(2)), 5);
  EXPECT_EQ(snapshot.metadata().Configuration(kMaxColumnIdKey), "5");
  // The file written with the new schema has the new ids; the old one lacks the new columns.
  const AddFile* newest = nullptr;
  for (const AddFile& add : snapshot.files()) {
    auto reader = parquet::ParquetFileReader::Open(
        snapshot.file_system(), ResolveDataFilePath(snapshot.table_root(), add.path));
    ASSERT_TRUE(reader.ok());
    if ((*reader)->parquet_schema().root().children.size() == 3) {
      newest = &add;
      const auto& root = (*reader)->parquet_schema().root();
      ExpectFileNode(merged.field(1), root.children[1]);
      ExpectFileNode(merged.field(2), root.children[2]);
    }
  }
  EXPECT_NE(newest, nullptr);
  EXPECT_THAT(ScanRows(table->snapshot()),
              ::testing::ElementsAre(R"({"id":1,"s":{"x":10,"y":null},"n":null})",
                                     R"({"id":2,"s":{"x":20,"y":"new"},"n":7})"));
}

TEST_P(ColumnMappingRoundTripTest, MergeWithSchemaEvolutionGivesNewColumnsFreshIds) {
  auto fs = io::MemoryFileSystem::Make();
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("v", types::String())});
  CreateTableOptions create;
  create.schema = schema;
  create.configuration = {{std::string(kColumnMappingModeKey), GetParam()},
                          {"delta.enableChangeDataFeed", "true"}};
  auto table = DeltaTable::Create(fs, kRoot, create, FastOptions());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  RecordBatchBuilder first(schema);
  static_cast<Int64Builder&>(*first.column_builder(0)).Append(1);
  static_cast<StringBuilder&>(*first.column_builder(1)).Append("one");
  ASSERT_TRUE((*table)->Append({*first.Finish()}).ok());

  auto source_schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("v", types::String()),
                         Field("extra", types::Struct({Field("e", types::Int64())}))});
  RecordBatchBuilder source(source_schema);
  auto& ids = static_cast<Int64Builder&>(*source.column_builder(0));
  auto& values = static_cast<StringBuilder&>(*source.column_builder(1));
  auto& extras = static_cast<StructBuilder&>(*source.column_builder(2));
  for (int64_t id : {1, 2}) {
    ids.Append(id);
    values.Append(id == 1 ? "uno" : "dos");
    static_cast<Int64Builder*>(extras.field_builder(0))->Append(id * 11);
    extras.Append();
  }
  MergeOptions options;
  options.key_columns = {"id"};
  options.merge_schema = true;
  auto merged = Merge((*table)->snapshot(), {*source.Finish()}, options, FastOptions());
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->num_rows_updated, 1);
  EXPECT_EQ(merged->num_rows_inserted, 1);
  EXPECT_GT(merged->num_change_files_added, 0);
  ASSERT_TRUE((*table)->Refresh().ok());
  const Snapshot& snapshot = *(*table)->snapshot();
  const Field& extra = snapshot.schema()->field(2);
  EXPECT_EQ(ColumnId(extra), 3);
  EXPECT_EQ(ColumnId(extra.type->field(0)), 4);
  EXPECT_EQ(snapshot.metadata().Configuration(kMaxColumnIdKey), "4");
  ExpectPhysicalFiles(snapshot);
  EXPECT_THAT(ScanRows((*table)->snapshot()),
              ::testing::ElementsAre(R"({"id":1,"v":"uno","extra":{"e":11}})",
                                     R"({"id":2,"v":"dos","extra":{"e":22}})"));
  // The change data files MERGE wrote read back under the mapping too.
  ChangeDataFeedOptions feed;
  feed.start_version = snapshot.version();
  auto changes = ReadChangeDataFeed(fs, kRoot, feed);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  std::vector<std::string> change_rows;
  while (true) {
    auto batch = (*changes)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (*batch == nullptr) break;
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      const auto& ids = static_cast<const Int64Array&>(*(*batch)->column(0));
      const auto& types = static_cast<const StringArray&>(*(*batch)->column(3));
      const auto& extras = static_cast<const StructArray&>(*(*batch)->column(2));
      change_rows.push_back(std::to_string(ids.Value(row)) + " " + std::string(types.Value(row)) +
                            " " + (extras.IsNull(row) ? "null" : "extra"));
    }
  }
  std::sort(change_rows.begin(), change_rows.end());
  EXPECT_THAT(change_rows, ::testing::ElementsAre("1 update_postimage extra",
                                                  "1 update_preimage null", "2 insert extra"));
}

INSTANTIATE_TEST_SUITE_P(Modes, ColumnMappingRoundTripTest, ::testing::Values("name", "id"));

// Commits `file_schema`-shaped data written straight with the Parquet writer, as another engine
// would, and returns the table read back.
std::vector<std::string> ReadForeignFile(std::string_view mode, const SchemaPtr& file_schema,
                                         const RecordBatchPtr& rows) {
  auto fs = io::MemoryFileSystem::Make();
  auto inner = types::Struct({Field("x", types::Int64())});
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("s", inner)});
  auto table = CreateMapped(fs, mode, schema, {});
  if (!table) return {};
  std::string path = std::string(kRoot) + "/foreign.parquet";
  auto file = fs->OpenWritable(path);
  EXPECT_TRUE(file.ok());
  auto writer = parquet::ParquetFileWriter::Open(std::move(*file), file_schema, {});
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE((*writer)->Write(*rows).ok());
  EXPECT_TRUE((*writer)->Close().ok());
  auto transaction = OptimisticTransaction::Start(table->snapshot(), FastOptions());
  EXPECT_TRUE(transaction.ok());
  AddFile add;
  add.path = "foreign.parquet";
  add.size = 1;
  add.data_change = true;
  (*transaction)->AddFiles({add});
  EXPECT_TRUE((*transaction)->Commit().ok());
  EXPECT_TRUE(table->Refresh().ok());
  return ScanRows(table->snapshot());
}

// The table's fields: id (id 1) and s (id 2) with member x (id 3); file columns named and
// numbered as given.
SchemaPtr FileSchema(const std::string& id_name, std::optional<int32_t> id_id,
                     const std::string& s_name, std::optional<int32_t> s_id,
                     const std::string& x_name, std::optional<int32_t> x_id) {
  auto with_id = [](Field field, std::optional<int32_t> id) {
    if (id)
      field.metadata.emplace_back(std::string(parquet::kParquetFieldIdKey), std::to_string(*id));
    return field;
  };
  return std::make_shared<const Schema>(std::vector<Field>{
      with_id(Field(id_name, types::Int64()), id_id),
      with_id(Field(s_name, types::Struct({with_id(Field(x_name, types::Int64()), x_id)})), s_id)});
}

RecordBatchPtr FileRows(const SchemaPtr& schema) {
  RecordBatchBuilder builder(schema);
  static_cast<Int64Builder&>(*builder.column_builder(0)).Append(5);
  auto& structs = static_cast<StructBuilder&>(*builder.column_builder(1));
  static_cast<Int64Builder*>(structs.field_builder(0))->Append(50);
  structs.Append();
  return *builder.Finish();
}

TEST(ColumnMappingForeignFileTest, IdModeResolvesColumnsByFieldIdAtEveryLevel) {
  // Names the table does not know, but the right ids: id mode reads by id.
  SchemaPtr file_schema = FileSchema("a", 1, "b", 2, "c", 3);
  EXPECT_THAT(ReadForeignFile("id", file_schema, FileRows(file_schema)),
              ::testing::ElementsAre(R"({"id":5,"s":{"x":50}})"));
  // Name mode ignores ids: nothing matches.
  EXPECT_THAT(ReadForeignFile("name", file_schema, FileRows(file_schema)),
              ::testing::ElementsAre(R"({"id":null,"s":null})"));
  // Ids the table does not have read as null, whatever the names.
  file_schema = FileSchema("a", 7, "b", 2, "c", 9);
  EXPECT_THAT(ReadForeignFile("id", file_schema, FileRows(file_schema)),
              ::testing::ElementsAre(R"({"id":null,"s":{"x":null}})"));
}

TEST(ColumnMappingForeignFileTest, IdModeFallsBackToPhysicalNamesWithoutFieldIds) {
  // A file another writer made without field ids, under the table's physical names.
  auto fs = io::MemoryFileSystem::Make();
  auto inner = types::Struct({Field("x", types::Int64())});
  auto table = CreateMapped(fs, "id",
                            std::make_shared<const Schema>(
                                std::vector<Field>{Field("id", types::Int64()), Field("s", inner)}),
                            {});
  ASSERT_TRUE(table);
  const Schema& schema = *table->snapshot()->schema();
  SchemaPtr file_schema =
      FileSchema(Physical(schema.field(0)), std::nullopt, Physical(schema.field(1)), std::nullopt,
                 Physical(schema.field(1).type->field(0)), std::nullopt);
  std::string path = std::string(kRoot) + "/no-ids.parquet";
  auto file = fs->OpenWritable(path);
  ASSERT_TRUE(file.ok());
  auto writer = parquet::ParquetFileWriter::Open(std::move(*file), file_schema, {});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*FileRows(file_schema)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  auto transaction = OptimisticTransaction::Start(table->snapshot(), FastOptions());
  ASSERT_TRUE(transaction.ok());
  AddFile add;
  add.path = "no-ids.parquet";
  add.size = 1;
  (*transaction)->AddFiles({add});
  ASSERT_TRUE((*transaction)->Commit().ok());
  ASSERT_TRUE(table->Refresh().ok());
  auto check = parquet::ParquetFileReader::Open(fs, path);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE((*check)->parquet_schema().root().children[0].field_id.has_value());
  EXPECT_THAT(ScanRows(table->snapshot()), ::testing::ElementsAre(R"({"id":5,"s":{"x":50}})"));
}

TEST(ColumnMappingForeignFileTest, SwitchingAnExistingTableToNameModeKeepsItsFiles) {
  auto fs = io::MemoryFileSystem::Make();
  CreateTableOptions create;
  create.schema = std::make_shared<const Schema>(std::vector<Field>{
      Field("id", types::Int64()), Field("s", types::Struct({Field("x", types::Int64())}))});
  auto table = DeltaTable::Create(fs, kRoot, create, FastOptions());
  ASSERT_TRUE(table.ok());
  ASSERT_TRUE((*table)->Append({FileRows(create.schema)}).ok());
  // Id mode cannot be switched on: the files have no ids.
  Metadata to_id = (*table)->snapshot()->metadata();
  to_id.configuration.emplace_back(std::string(kColumnMappingModeKey), "id");
  auto transaction = OptimisticTransaction::Start((*table)->snapshot(), FastOptions());
  ASSERT_TRUE(transaction.ok());
  EXPECT_TRUE((*transaction)->UpdateMetadata(to_id).IsInvalid());
  // Name mode takes the logical names as physical names, so the files still read.
  Metadata to_name = (*table)->snapshot()->metadata();
  to_name.configuration.emplace_back(std::string(kColumnMappingModeKey), "name");
  transaction = OptimisticTransaction::Start((*table)->snapshot(), FastOptions());
  ASSERT_TRUE(transaction.ok());
  ASSERT_TRUE((*transaction)->UpdateMetadata(to_name).ok());
  EXPECT_EQ((*transaction)->protocol().min_reader_version, 2);
  EXPECT_EQ((*transaction)->protocol().min_writer_version, 5);
  ASSERT_TRUE((*transaction)->Commit().ok());
  ASSERT_TRUE((*table)->Refresh().ok());
  const Schema& schema = *(*table)->snapshot()->schema();
  EXPECT_EQ(Physical(schema.field(1).type->field(0)), "x");
  EXPECT_EQ(ColumnId(schema.field(1).type->field(0)), 3);
  EXPECT_EQ((*table)->snapshot()->metadata().Configuration(kMaxColumnIdKey), "3");
  ASSERT_TRUE((*table)->Append({FileRows(create.schema)}).ok());
  EXPECT_THAT(ScanRows((*table)->snapshot()),
              ::testing::ElementsAre(R"({"id":5,"s":{"x":50}})", R"({"id":5,"s":{"x":50}})"));
}

// A table Spark wrote in id mode with IcebergCompatV2 (nested ids for list elements and map
// keys/values). arcflow appends to a copy; its file must carry the same field ids as Spark's.
TEST(ColumnMappingCorpusTest, AppendToSparkIcebergCompatV2TableWritesSparksFieldIds) {
  const std::string source = kDeltaCorpus + "/delta-golden/table-with-icebegCompatV2Enabled";
  io::ScratchDirectory directory;
  std::filesystem::copy(source, directory.path(), std::filesystem::copy_options::recursive);
  auto fs = io::LocalFileSystem();
  auto table = DeltaTable::Open(fs, directory.path(), FastOptions());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  std::shared_ptr<const Snapshot> before = (*table)->snapshot();
  std::vector<std::string> spark_rows = ScanRows(before);
  ASSERT_EQ(spark_rows.size(), 6u);
  ASSERT_EQ(before->files().size(), 2u);

  // Every footer element's field id, by path of names.
  auto field_ids = [&](const Snapshot& snapshot, const AddFile& add) {
    std::vector<std::pair<std::string, std::optional<int32_t>>> ids;
    auto reader =
        parquet::ParquetFileReader::Open(fs, ResolveDataFilePath(snapshot.table_root(), add.path));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return ids;
    for (const auto& element : (*reader)->metadata().schema) {
      ids.emplace_back(element.name, element.field_id);
    }
    return ids;
  };
  auto spark_ids = field_ids(*before, before->files()[0]);
  size_t with_ids = 0;
  for (const auto& [name, id] : spark_ids) with_ids += id.has_value() ? 1 : 0;
  ASSERT_GT(with_ids, 40u);  // Nested ids of the lists and maps included.

  // Appends Spark's own rows back.
  auto scan = TableScan::Make(before);
  ASSERT_TRUE(scan.ok());
  auto reader = (*scan)->Execute();
  ASSERT_TRUE(reader.ok());
  std::vector<RecordBatchPtr> batches;
  while (true) {
    auto batch = (*reader)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (*batch == nullptr) break;
    batches.push_back(*batch);
  }
  auto written = (*table)->Append(batches);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  const Snapshot& after = *(*table)->snapshot();
  ASSERT_EQ(after.files().size(), 3u);
  EXPECT_EQ(field_ids(after, after.files()[2]), spark_ids);
  std::vector<std::string> expected = spark_rows;
  expected.insert(expected.end(), spark_rows.begin(), spark_rows.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ScanRows((*table)->snapshot()), expected);
}

// The corpus tables with column mapping still read, in both modes, with the values other
// readers give.
TEST(ColumnMappingCorpusTest, CorpusTablesWithColumnMappingRead) {
  const std::vector<std::string> tables = {
      "delta-golden/table-with-icebegCompatV2Enabled",
      "delta-kernel-java/column-mapping-id",
      "delta-kernel-java/data-reader-partition-values-column-mapping-name",
      "delta-kernel-java/data-reader-primitives-column-mapping-name",
      "delta-kernel-rs/golden/data-reader-timestamp_ntz-id-mode/delta",
      "delta-kernel-rs/golden/data-reader-timestamp_ntz-name-mode/delta",
      "delta-kernel-rs/golden/data-skipping-basic-stats-all-types-columnmapping-id/delta",
      "delta-kernel-rs/golden/dv-with-columnmapping/delta",
      "delta-kernel-rs/golden/table-with-columnmapping-mode-name/delta",
      "delta-rs/table_with_column_mapping",
      "delta-rs/table_with_partitioning_mapping",
  };
  for (const std::string& relative : tables) {
    SCOPED_TRACE(relative);
    auto snapshot = Snapshot::Load(io::LocalFileSystem(), kDeltaCorpus + "/" + relative);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    EXPECT_NE(*GetColumnMappingMode((*snapshot)->metadata()), ColumnMappingMode::kNone);
    std::vector<std::string> rows = ScanRows(*snapshot);
    EXPECT_FALSE(rows.empty());
    // A column read as null in every row would mean the mapping missed it.
    const Schema& schema = *(*snapshot)->schema();
    for (const Field& field : schema.fields()) {
      bool any_value = false;
      std::string key = "\"" + field.name + "\":";
      for (const std::string& row : rows) {
        size_t at = row.find(key);
        any_value =
            any_value || (at != std::string::npos && row.compare(at + key.size(), 4, "null") != 0);
      }
      EXPECT_TRUE(any_value) << field.name << " is null in every row";
    }
  }
}

}  // namespace
}  // namespace arcflow::delta
