#include "arcflow/delta/delta_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "arcflow/columnar/builder.h"
#include "arcflow/columnar/row_printer.h"
#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/merge.h"
#include "arcflow/io/fault_injecting_file_system.h"
#include "arcflow/io/io_test_util.h"
#include "arcflow/io/memory_file_system.h"
#include "arcflow/parquet/bridge/parquet_reader.h"

namespace arcflow::delta {
namespace {

using parquet::ColumnPredicate;
using ::testing::HasSubstr;

constexpr char kRoot[] = "/tables/events";

SchemaPtr EventSchema() {
  return std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("part", types::String())});
}

RecordBatchPtr Events(const std::vector<int64_t>& ids, const std::vector<std::string>& parts,
                      SchemaPtr schema = EventSchema()) {
  Int64Builder id_builder(types::Int64());
  BinaryBuilder part_builder(types::String());
  for (size_t i = 0; i < ids.size(); ++i) {
    id_builder.Append(ids[i]);
    part_builder.Append(parts[i]);
  }
  return *RecordBatch::Make(std::move(schema), static_cast<int64_t>(ids.size()),
                            {*id_builder.Finish(), *part_builder.Finish()});
}

TransactionOptions FastOptions() {
  TransactionOptions options;
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(20);
  return options;
}

// Every row of the table as "<canonical data row> <partition values>", sorted, read with
// ParquetFileReader straight from the snapshot's files.
std::vector<std::string> ReadTable(const Snapshot& snapshot) {
  std::vector<std::string> rows;
  for (const AddFile& add : snapshot.files()) {
    std::string path = ResolveDataFilePath(snapshot.table_root(), add.path);
    auto reader = parquet::ParquetFileReader::Open(snapshot.file_system(), path);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) continue;
    std::string partition;
    for (const auto& [column, value] : add.partition_values) {
      partition += " " + column + "=" + value.value_or("null");
    }
    auto batches = (*reader)->GetRecordBatchReader();
    EXPECT_TRUE(batches.ok());
    while (true) {
      auto batch = (*batches)->Next();
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok() || !*batch) break;
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
        std::string text;
        AppendCanonicalRow(**batch, row, &text);
        rows.push_back(text + partition);
      }
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::unique_ptr<DeltaTable> CreateEvents(const std::shared_ptr<io::FileSystem>& fs,
                                         const std::string& root = kRoot,
                                         StringMap configuration = {}) {
  CreateTableOptions create;
  create.schema = EventSchema();
  create.partition_columns = {"part"};
  create.configuration = std::move(configuration);
  auto table = DeltaTable::Create(fs, root, create, FastOptions());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? std::move(*table) : nullptr;
}

TEST(DeltaTableTest, CreateAppendAndReadBack) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateEvents(fs);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->snapshot()->version(), 0);
  EXPECT_TRUE(table->snapshot()->files().empty());
  auto written = table->Append({Events({1, 2}, {"a", "b"}), Events({3}, {"a"})});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  ASSERT_TRUE(written->commit);
  EXPECT_EQ(written->commit->version, 1);
  EXPECT_EQ(written->num_rows, 3);
  EXPECT_EQ(written->num_files, 2);
  auto reopened = DeltaTable::Open(fs, kRoot);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->snapshot()->version(), 1);
  EXPECT_THAT(
      ReadTable(*(*reopened)->snapshot()),
      ::testing::ElementsAre("{\"id\":1} part=a", "{\"id\":2} part=b", "{\"id\":3} part=a"));
  // Creating it again is refused.
  CreateTableOptions create;
  create.schema = EventSchema();
  EXPECT_TRUE(DeltaTable::Create(fs, kRoot, create).status().IsAlreadyExists());
  EXPECT_TRUE(DeltaTable::Open(fs, "/nothing/here").status().IsNotFound());
}

// The commit JSON has the shape of commits other engines write (delta-rs/simple_table).
TEST(DeltaTableTest, CommitsHaveTheCorpusShape) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateEvents(fs);
  ASSERT_TRUE(table);
  ASSERT_TRUE(table->Append({Events({1}, {"a"})}).ok());
  auto corpus = io::LocalFileSystem()->ReadFile(
      std::string(ARCFLOW_SHARED_DIR) +
      "/corpora/delta/delta-rs/simple_table/_delta_log/00000000000000000000.json");
  ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
  // Keys of each action kind in the corpus commit.
  std::map<std::string, std::set<std::string>> corpus_keys;
  simdjson::dom::parser parser;
  std::string corpus_text(reinterpret_cast<const char*>((*corpus)->data()),
                          static_cast<size_t>((*corpus)->size()));
  for (auto document : parser.parse_many(corpus_text)) {
    for (auto [kind, body] : simdjson::dom::object(document)) {
      for (auto [key, value] : simdjson::dom::object(body)) {
        corpus_keys[std::string(kind)].insert(std::string(key));
      }
    }
  }
  std::map<std::string, std::set<std::string>> our_keys;
  std::vector<std::string> kinds;
  for (int64_t version : {0, 1}) {
    auto ours = fs->ReadFile(io::JoinPath(LogDirectory(kRoot), CommitFileName(version)));
    ASSERT_TRUE(ours.ok());
    std::string text(reinterpret_cast<const char*>((*ours)->data()),
                     static_cast<size_t>((*ours)->size()));
    simdjson::dom::parser our_parser;
    for (auto document : our_parser.parse_many(text)) {
      for (auto [kind, body] : simdjson::dom::object(document)) {
        kinds.emplace_back(kind);
        for (auto [key, value] : simdjson::dom::object(body)) {
          our_keys[std::string(kind)].insert(std::string(key));
        }
      }
    }
  }
  EXPECT_THAT(kinds,
              ::testing::ElementsAre("commitInfo", "protocol", "metaData", "commitInfo", "add"));
  for (const auto& [kind, keys] : corpus_keys) {
    for (const std::string& key : keys) {
      EXPECT_TRUE(our_keys[kind].count(key)) << kind << "." << key;
    }
  }
  EXPECT_TRUE(our_keys["add"].count("stats"));
  EXPECT_TRUE(our_keys["commitInfo"].count("engineInfo"));
  EXPECT_TRUE(our_keys["commitInfo"].count("readVersion"));
}

TEST(DeltaTableTest, AppendOnlyTableRefusesToRemoveData) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateEvents(fs, kRoot, {{"delta.appendOnly", "true"}});
  ASSERT_TRUE(table);
  ASSERT_TRUE(table->Append({Events({1}, {"a"})}).ok());
  auto overwritten = table->Overwrite({Events({2}, {"a"})});
  ASSERT_FALSE(overwritten.ok());
  EXPECT_TRUE(overwritten.status().IsInvalid());
  EXPECT_THAT(overwritten.status().message(), HasSubstr("append-only"));
  ASSERT_TRUE(table->Refresh().ok());
  EXPECT_EQ(table->snapshot()->version(), 1);
  EXPECT_TRUE(table->Append({Events({3}, {"b"})}).ok());
}

TEST(DeltaTableTest, OverwriteReplacesEverything) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateEvents(fs);
  ASSERT_TRUE(table);
  ASSERT_TRUE(table->Append({Events({1, 2}, {"a", "b"})}).ok());
  auto written = table->Overwrite({Events({7}, {"c"})});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->commit->version, 2);
  EXPECT_THAT(ReadTable(*table->snapshot()), ::testing::ElementsAre("{\"id\":7} part=c"));
  EXPECT_EQ(table->snapshot()->tombstones().size(), 2u);
}

TEST(DeltaTableTest, ReplaceWhereReplacesMatchingPartitionsOnly) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateEvents(fs);
  ASSERT_TRUE(table);
  ASSERT_TRUE(table->Append({Events({1, 2, 3}, {"a", "b", "a"})}).ok());
  WriteOptions options;
  options.replace_where = {ColumnPredicate{"part", ColumnPredicate::Op::kEq, "a"}};
  auto written = table->Overwrite({Events({10}, {"a"})}, options);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_THAT(ReadTable(*table->snapshot()),
              ::testing::ElementsAre("{\"id\":10} part=a", "{\"id\":2} part=b"));
  // Rows outside the predicate are refused, and nothing is committed.
  auto outside = table->Overwrite({Events({11}, {"b"})}, options);
  EXPECT_TRUE(outside.status().IsInvalid());
  EXPECT_THAT(outside.status().message(), HasSubstr("outside"));
  // Only partition columns may be used.
  options.replace_where = {ColumnPredicate{"id", ColumnPredicate::Op::kGt, "1"}};
  auto data_column = table->Overwrite({Events({12}, {"a"})}, options);
  EXPECT_TRUE(data_column.status().IsInvalid());
  EXPECT_THAT(data_column.status().message(), HasSubstr("partition columns"));
  ASSERT_TRUE(table->Refresh().ok());
  EXPECT_EQ(table->snapshot()->version(), 2);
}

TEST(DeltaTableTest, SchemaMismatchListsTheDifferingColumns) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateEvents(fs);
  ASSERT_TRUE(table);
  auto wider = std::make_shared<const Schema>(std::vector<Field>{
      Field("id", types::Int64()), Field("part", types::String()), Field("extra", types::Int32())});
  Int64Builder ids(types::Int64());
  ids.Append(1);
  BinaryBuilder parts(types::String());
  parts.Append("a");
  Int32Builder extra(types::Int32());
  extra.Append(5);
  auto batch = *RecordBatch::Make(wider, 1, {*ids.Finish(), *parts.Finish(), *extra.Finish()});
  auto refused = table->Append({batch});
  ASSERT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().message(), HasSubstr("extra (int) is not in the table"));
  EXPECT_THAT(refused.status().message(), HasSubstr("merge_schema"));

  auto string_ids = std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::String()), Field("part", types::String())});
  BinaryBuilder id_strings(types::String());
  id_strings.Append("x");
  BinaryBuilder more_parts(types::String());
  more_parts.Append("a");
  auto typed = table->Append(
      {*RecordBatch::Make(string_ids, 1, {*id_strings.Finish(), *more_parts.Finish()})});
  ASSERT_TRUE(typed.status().IsInvalid());
  EXPECT_THAT(typed.status().message(), HasSubstr("id has type bigint in the table, string"));

  // With merge_schema the new column is added with a metaData action.
  WriteOptions merge;
  merge.merge_schema = true;
  auto merged = table->Append({batch}, merge);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  const Schema& schema = *table->snapshot()->schema();
  ASSERT_EQ(schema.num_fields(), 3);
  EXPECT_EQ(schema.field(2).name, "extra");
  EXPECT_TRUE(schema.field(2).nullable);
  // Old-shaped data now fills the new column with nulls.
  auto old_shaped = table->Append({Events({2}, {"b"})}, merge);
  ASSERT_TRUE(old_shaped.ok()) << old_shaped.status().ToString();
  EXPECT_THAT(
      ReadTable(*table->snapshot()),
      ::testing::ElementsAre("{\"id\":1,\"extra\":5} part=a", "{\"id\":2,\"extra\":null} part=b"));
}

TEST(DeltaTableTest, MergeSchemaAddsNestedMembers) {
  auto fs = io::MemoryFileSystem::Make();
  auto inner = types::Struct({Field("x", types::Int64())});
  CreateTableOptions create;
  create.schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("s", inner), Field("k", types::Int64())});
  auto table = DeltaTable::Create(fs, kRoot, create, FastOptions());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto wider_inner = types::Struct({Field("x", types::Int64()), Field("y", types::String())});
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("s", wider_inner), Field("k", types::Int64())});
  auto builder = MakeBuilder(wider_inner);
  auto* structs = static_cast<StructBuilder*>(builder.get());
  static_cast<Int64Builder*>(structs->field_builder(0))->Append(1);
  static_cast<BinaryBuilder*>(structs->field_builder(1))->Append("new");
  structs->Append();
  Int64Builder k(types::Int64());
  k.Append(9);
  auto batch = *RecordBatch::Make(schema, 1, {*builder->Finish(), *k.Finish()});
  EXPECT_TRUE((*table)->Append({batch}).status().IsInvalid());
  WriteOptions merge;
  merge.merge_schema = true;
  auto merged = (*table)->Append({batch}, merge);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  const Field& s = (*table)->snapshot()->schema()->field(0);
  ASSERT_EQ(s.type->num_fields(), 2);
  EXPECT_EQ(s.type->field(1).name, "y");
  EXPECT_THAT(ReadTable(*(*table)->snapshot()),
              ::testing::ElementsAre("{\"s\":{\"x\":1,\"y\":\"new\"},\"k\":9}"));
}

TEST(DeltaTableTest, NarrowerTypesAreWidenedWiderNeedTypeWidening) {
  auto fs = io::MemoryFileSystem::Make();
  CreateTableOptions create;
  create.schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("a", types::Int64()), Field("b", types::Int32())});
  auto table = DeltaTable::Create(fs, kRoot, create, FastOptions());
  ASSERT_TRUE(table.ok());
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{Field("a", types::Int32()), Field("b", types::Int64())});
  Int32Builder a(types::Int32());
  a.Append(1);
  Int64Builder b(types::Int64());
  b.Append(2);
  auto batch = *RecordBatch::Make(schema, 1, {*a.Finish(), *b.Finish()});
  WriteOptions merge;
  merge.merge_schema = true;
  auto refused = (*table)->Append({batch}, merge);
  ASSERT_TRUE(refused.status().IsInvalid());
  EXPECT_THAT(refused.status().message(), HasSubstr("b has type int in the table, bigint"));
  EXPECT_THAT(refused.status().message(), HasSubstr("delta.enableTypeWidening"));
  // An int column written into a bigint column is widened as it is written.
  auto narrow_only = std::make_shared<const Schema>(
      std::vector<Field>{Field("a", types::Int32()), Field("b", types::Int32())});
  Int32Builder a2(types::Int32());
  a2.Append(3);
  Int32Builder b2(types::Int32());
  b2.Append(4);
  auto written =
      (*table)->Append({*RecordBatch::Make(narrow_only, 1, {*a2.Finish(), *b2.Finish()})});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_THAT(ReadTable(*(*table)->snapshot()), ::testing::ElementsAre("{\"a\":3,\"b\":4}"));
}

TEST(DeltaTableTest, TxnVersionsPerApplication) {
  auto fs = io::MemoryFileSystem::Make();
  auto table = CreateEvents(fs);
  ASSERT_TRUE(table);
  WriteOptions options;
  options.txn = WriteTxn{"stage-1", 0};
  auto first = table->Append({Events({1}, {"a"})}, options);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->commit);
  // The same version again is a duplicate: skipped, nothing committed.
  auto again = table->Append({Events({1}, {"a"})}, options);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->commit);
  options.txn = WriteTxn{"stage-1", 1};
  ASSERT_TRUE(table->Append({Events({2}, {"a"})}, options).ok());
  options.txn = WriteTxn{"stage-2", 5};
  ASSERT_TRUE(table->Append({Events({3}, {"b"})}, options).ok());
  const Snapshot& snapshot = *table->snapshot();
  EXPECT_EQ(snapshot.version(), 3);
  EXPECT_EQ(snapshot.TransactionVersion("stage-1"), 1);
  EXPECT_EQ(snapshot.TransactionVersion("stage-2"), 5);
  EXPECT_EQ(snapshot.TransactionVersion("stage-3"), std::nullopt);
  EXPECT_EQ(ReadTable(snapshot).size(), 3u);
}

// 4 writers × 25 appends on the local file system: every commit lands once, versions are
// contiguous, no row is lost.
TEST(DeltaTableConcurrencyTest, ConcurrentAppendersOnLocalFileSystem) {
  io::ScratchDirectory scratch;
  auto fs = io::LocalFileSystem();
  std::string root = scratch.Join("table");
  ASSERT_TRUE(CreateEvents(fs, root));
  constexpr int kThreads = 4;
  constexpr int kCommits = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      TransactionOptions options = FastOptions();
      // Four writers racing for every version may lose more than 10 times in a row.
      options.max_attempts = 200;
      auto table = DeltaTable::Open(fs, root, options);
      if (!table.ok()) {
        ++failures;
        return;
      }
      for (int i = 0; i < kCommits; ++i) {
        int64_t id = t * 1000 + i;
        auto written = (*table)->Append({Events({id}, {"p" + std::to_string(t)})});
        if (!written.ok()) {
          ADD_FAILURE() << written.status().ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0);
  auto snapshot = Snapshot::Load(fs, root);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), kThreads * kCommits);
  for (int64_t version = 0; version <= kThreads * kCommits; ++version) {
    std::string path = io::JoinPath(LogDirectory(root), CommitFileName(version));
    EXPECT_TRUE(fs->Exists(path)) << path;
  }
  std::vector<std::string> rows = ReadTable(**snapshot);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kThreads * kCommits));
  std::set<std::string> expected;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kCommits; ++i) {
      expected.insert(fmt::format("{{\"id\":{}}} part=p{}", t * 1000 + i, t));
    }
  }
  EXPECT_EQ(std::set<std::string>(rows.begin(), rows.end()), expected);
  // Checkpoints were written every 10 versions along the way.
  EXPECT_TRUE(fs->Exists(io::JoinPath(LogDirectory(root), CheckpointFileName(100))));
}

// An appender racing an overwrite: each commit succeeds or fails with Conflict; the table
// always loads and holds exactly the rows of its files.
TEST(DeltaTableConcurrencyTest, AppenderRacingOverwrite) {
  io::ScratchDirectory scratch;
  auto fs = io::LocalFileSystem();
  std::string root = scratch.Join("table");
  ASSERT_TRUE(CreateEvents(fs, root));
  std::atomic<int> unexpected{0};
  std::atomic<int> appended{0};
  std::thread appender([&] {
    auto table = DeltaTable::Open(fs, root, FastOptions());
    if (!table.ok()) {
      ++unexpected;
      return;
    }
    for (int i = 0; i < 20; ++i) {
      auto written = (*table)->Append({Events({i}, {"a"})});
      if (written.ok()) {
        ++appended;
      } else if (!written.status().IsConflict()) {
        ADD_FAILURE() << written.status().ToString();
        ++unexpected;
      }
    }
  });
  std::thread overwriter([&] {
    auto table = DeltaTable::Open(fs, root, FastOptions());
    if (!table.ok()) {
      ++unexpected;
      return;
    }
    for (int i = 0; i < 5; ++i) {
      auto written = (*table)->Overwrite({Events({1000 + i}, {"b"})});
      if (!written.ok() && !written.status().IsConflict()) {
        ADD_FAILURE() << written.status().ToString();
        ++unexpected;
      }
    }
  });
  appender.join();
  overwriter.join();
  EXPECT_EQ(unexpected.load(), 0);
  auto snapshot = Snapshot::Load(fs, root);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_GT(appended.load(), 0);
  int64_t expected_rows = 0;
  for (const AddFile& add : (*snapshot)->files()) {
    simdjson::dom::parser parser;
    expected_rows += int64_t(parser.parse(*add.stats)["numRecords"]);
  }
  EXPECT_EQ(static_cast<int64_t>(ReadTable(**snapshot).size()), expected_rows);
}

// Crashes at every mutation of an append: the table still loads, and the commit is either
// all there or absent.
class DeltaTableCrashTest : public ::testing::TestWithParam<StringMap> {};

TEST_P(DeltaTableCrashTest, CrashAtEveryMutationOfAnAppend) {
  const StringMap& configuration = GetParam();
  auto count_fs = io::FaultInjectingFileSystem::Make(io::MemoryFileSystem::Make());
  ASSERT_TRUE(CreateEvents(count_fs, kRoot, configuration));
  count_fs->ResetCounters();
  {
    auto table = DeltaTable::Open(count_fs, kRoot, FastOptions());
    ASSERT_TRUE(table.ok());
    ASSERT_TRUE((*table)->Append({Events({1, 2}, {"a", "b"})}).ok());
  }
  const int64_t mutations = count_fs->mutation_count();
  ASSERT_GT(mutations, 5);
  for (int64_t k = 1; k <= mutations; ++k) {
    SCOPED_TRACE("crash at mutation " + std::to_string(k));
    auto fs = io::FaultInjectingFileSystem::Make(io::MemoryFileSystem::Make());
    ASSERT_TRUE(CreateEvents(fs, kRoot, configuration));
    fs->MarkDurable();
    auto table = DeltaTable::Open(fs, kRoot, FastOptions());
    ASSERT_TRUE(table.ok());
    fs->CrashAtMutation(k);
    auto written = (*table)->Append({Events({1, 2}, {"a", "b"})});
    // A commit is reported clean only once it is durable.
    bool reported_clean =
        written.ok() && written->commit && written->commit->post_commit_status.ok();
    ASSERT_TRUE(fs->DropUnsyncedData().ok());
    fs->Disarm();
    auto snapshot = Snapshot::Load(fs, kRoot);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    if ((*snapshot)->version() == 1) {
      EXPECT_THAT(ReadTable(**snapshot),
                  ::testing::ElementsAre("{\"id\":1} part=a", "{\"id\":2} part=b"));
    } else {
      ASSERT_EQ((*snapshot)->version(), 0);
      EXPECT_TRUE((*snapshot)->files().empty());
      EXPECT_FALSE(reported_clean);
    }
    // The table accepts the next commit.
    auto recovered = DeltaTable::Open(fs, kRoot, FastOptions());
    ASSERT_TRUE(recovered.ok());
    auto next = (*recovered)->Append({Events({3}, {"c"})});
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_EQ(next->commit->version, (*snapshot)->version() + 1);
  }
}

// Crashes at every mutation of a MERGE (copy-on-write) that rewrites a file of one partition and
// inserts into another: the data files' directories are synced while the commit is written, so
// a commit that survives always finds its files.
TEST_P(DeltaTableCrashTest, CrashAtEveryMutationOfAMerge) {
  const StringMap& configuration = GetParam();
  const auto make_table = [&](const std::shared_ptr<io::FaultInjectingFileSystem>& fs) {
    ASSERT_TRUE(CreateEvents(fs, kRoot, configuration));
    auto table = DeltaTable::Open(fs, kRoot, FastOptions());
    ASSERT_TRUE(table.ok());
    ASSERT_TRUE((*table)->Append({Events({1, 2, 3}, {"a", "b", "b"})}).ok());
  };
  MergeOptions options;
  options.key_columns = {"id"};
  const auto merge = [&](const std::shared_ptr<io::FaultInjectingFileSystem>& fs) {
    auto snapshot = Snapshot::Load(fs, kRoot);
    EXPECT_TRUE(snapshot.ok());
    return Merge(*snapshot, {Events({2, 5}, {"b", "c"})}, options, FastOptions());
  };
  auto count_fs = io::FaultInjectingFileSystem::Make(io::MemoryFileSystem::Make());
  make_table(count_fs);
  count_fs->ResetCounters();
  ASSERT_TRUE(merge(count_fs).ok());
  const int64_t mutations = count_fs->mutation_count();
  ASSERT_GT(mutations, 5);
  for (int64_t k = 1; k <= mutations; ++k) {
    SCOPED_TRACE("crash at mutation " + std::to_string(k));
    auto fs = io::FaultInjectingFileSystem::Make(io::MemoryFileSystem::Make());
    make_table(fs);
    fs->MarkDurable();
    fs->CrashAtMutation(k);
    auto merged = merge(fs);
    const bool reported_clean =
        merged.ok() && merged->commit && merged->commit->post_commit_status.ok();
    ASSERT_TRUE(fs->DropUnsyncedData().ok());
    fs->Disarm();
    auto snapshot = Snapshot::Load(fs, kRoot);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    const std::vector<std::string> rows = ReadTable(**snapshot);
    if ((*snapshot)->version() == 2) {
      EXPECT_THAT(rows, ::testing::ElementsAre("{\"id\":1} part=a", "{\"id\":2} part=b",
                                               "{\"id\":3} part=b", "{\"id\":5} part=c"));
    } else {
      ASSERT_EQ((*snapshot)->version(), 1);
      EXPECT_THAT(rows, ::testing::ElementsAre("{\"id\":1} part=a", "{\"id\":2} part=b",
                                               "{\"id\":3} part=b"));
      EXPECT_FALSE(reported_clean);
    }
  }
}

// Without and with a checkpoint (and _last_checkpoint) written after the commit.
INSTANTIATE_TEST_SUITE_P(Checkpointing, DeltaTableCrashTest,
                         ::testing::Values(StringMap{},
                                           StringMap{{"delta.checkpointInterval", "1"}}));

}  // namespace
}  // namespace arcflow::delta
