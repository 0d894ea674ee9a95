#include "arcflow/delta/transaction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <functional>
#include <string>
#include <vector>

#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/io/memory_file_system.h"

namespace arcflow::delta {
namespace {

using parquet::ColumnPredicate;
using ::testing::HasSubstr;

constexpr char kRoot[] = "/t";

SchemaPtr TestSchema() {
  return std::make_shared<const Schema>(
      std::vector<Field>{Field("id", types::Int64()), Field("p", types::String())});
}

Metadata TestMetadata() {
  Metadata metadata;
  metadata.schema_string = ToStructTypeJson(*TestSchema());
  metadata.partition_columns = {"p"};
  return metadata;
}

AddFile MakeAdd(const std::string& path, const std::string& partition) {
  AddFile add;
  add.path = path;
  add.partition_values = {{"p", partition}};
  add.size = 100;
  add.modification_time = 1;
  add.stats = "{\"numRecords\":5}";
  return add;
}

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_ = io::MemoryFileSystem::Make();
    auto create = OptimisticTransaction::StartCreate(fs_, kRoot, Options());
    ASSERT_TRUE(create.ok());
    ASSERT_TRUE((*create)->UpdateMetadata(TestMetadata()).ok());
    (*create)->AddFiles({MakeAdd("p=a/f0.parquet", "a"), MakeAdd("p=b/f1.parquet", "b")});
    auto committed = (*create)->Commit();
    ASSERT_TRUE(committed.ok()) << committed.status().ToString();
    ASSERT_EQ(committed->version, 0);
    snapshot_ = committed->snapshot;
  }

  static TransactionOptions Options() {
    TransactionOptions options;
    options.initial_backoff = std::chrono::milliseconds(0);
    options.clock = [] { return int64_t{1700000000000}; };
    return options;
  }

  std::unique_ptr<OptimisticTransaction> Start() {
    auto transaction = OptimisticTransaction::Start(snapshot_, Options());
    EXPECT_TRUE(transaction.ok()) << transaction.status().ToString();
    return std::move(*transaction);
  }

  std::vector<std::string> CommitLines(int64_t version) {
    auto contents = fs_->ReadFile(io::JoinPath(LogDirectory(kRoot), CommitFileName(version)));
    EXPECT_TRUE(contents.ok());
    std::string text(reinterpret_cast<const char*>((*contents)->data()),
                     static_cast<size_t>((*contents)->size()));
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return lines;
  }

  std::shared_ptr<io::MemoryFileSystem> fs_;
  std::shared_ptr<const Snapshot> snapshot_;
};

// Every part of a snapshot's state, as log lines, to compare two snapshots of one version.
std::vector<std::string> StateLines(const Snapshot& snapshot) {
  std::vector<std::string> lines = {
      fmt::format("version {} at {}", snapshot.version(), snapshot.timestamp_ms()),
      SerializeAction(snapshot.protocol()), SerializeAction(snapshot.metadata()),
      snapshot.schema() ? snapshot.schema()->ToString() : snapshot.schema_status().ToString()};
  for (const AddFile& add : snapshot.files()) lines.push_back(SerializeAction(add));
  for (const RemoveFile& remove : snapshot.tombstones()) lines.push_back(SerializeAction(remove));
  for (const Transaction& txn : snapshot.transactions()) lines.push_back(SerializeAction(txn));
  for (const DomainMetadata& domain : snapshot.domain_metadata()) {
    lines.push_back(SerializeAction(domain));
  }
  return lines;
}

// The snapshot a commit returns is built from the snapshot read plus the commit's actions;
// it must be what replaying the log gives, whatever the commit did.
TEST_F(TransactionTest, SnapshotAfterACommitEqualsTheReplayedLog) {
  int64_t now_ms = 1700000000000;
  fs_->SetTimeMs(now_ms);
  const auto commit = [&](const std::function<void(OptimisticTransaction&)>& change) {
    auto read = Snapshot::Load(fs_, kRoot);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    snapshot_ = *read;
    auto transaction = Start();
    change(*transaction);
    auto committed = transaction->Commit();
    ASSERT_TRUE(committed.ok()) << committed.status().ToString();
    ASSERT_TRUE(committed->post_commit_status.ok()) << committed->post_commit_status.ToString();
    ASSERT_NE(committed->snapshot, nullptr);
    SnapshotOptions at_version;
    at_version.version = committed->version;
    auto replayed = Snapshot::Load(fs_, kRoot, at_version);
    ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
    EXPECT_EQ(StateLines(*committed->snapshot), StateLines(**replayed));
    const LogSegment& built = committed->snapshot->log_segment();
    const LogSegment& loaded = (*replayed)->log_segment();
    EXPECT_EQ(built.version, loaded.version);
    EXPECT_EQ(built.checkpoint_version, loaded.checkpoint_version);
    EXPECT_EQ(built.checkpoint_files, loaded.checkpoint_files);
    EXPECT_EQ(built.commit_files, loaded.commit_files);
    now_ms += 1000;
    fs_->SetTimeMs(now_ms);
  };
  // Appends with a txn and a domain.
  commit([](OptimisticTransaction& transaction) {
    transaction.AddFiles({MakeAdd("p=a/f2.parquet", "a")});
    transaction.SetTransaction("stream-1", 7);
    DomainMetadata domain;
    domain.domain = "arcflow.test";
    domain.configuration = R"({"rowIdHighWaterMark":4})";
    transaction.AddDomainMetadata(domain);
  });
  // Removes two files (tombstones) and replaces another file's entry.
  commit([&](OptimisticTransaction& transaction) {
    ASSERT_EQ(snapshot_->files()[1].path, "p=a/f2.parquet");
    transaction.Remove(snapshot_->files()[0]);
    transaction.Remove(snapshot_->files()[1]);
    AddFile replaced = MakeAdd("p=b/f1.parquet", "b");
    replaced.stats = "{\"numRecords\":4}";
    transaction.AddFiles({replaced});
    transaction.SetTransaction("stream-1", 8);
    transaction.SetTransaction("stream-2", 1);
  });
  // Adds one removed file back (its tombstone goes, the other stays), changes the metadata,
  // removes a domain.
  commit([&](OptimisticTransaction& transaction) {
    transaction.AddFiles({MakeAdd("p=a/f0.parquet", "a")});
    Metadata metadata = transaction.metadata();
    metadata.configuration.emplace_back("delta.logRetentionDuration", "interval 30 days");
    metadata.schema_string =
        ToStructTypeJson(Schema({Field("id", types::Int64()), Field("p", types::String()),
                                 Field("note", types::String())}));
    ASSERT_TRUE(transaction.UpdateMetadata(std::move(metadata)).ok());
    DomainMetadata removed;
    removed.domain = "arcflow.test";
    removed.configuration = R"({"rowIdHighWaterMark":4})";
    removed.removed = true;
    transaction.AddDomainMetadata(removed);
  });
  // A remove whose tombstone has already expired at the commit's time is not kept.
  commit([&](OptimisticTransaction& transaction) {
    RemoveFile old;
    old.path = "p=b/f1.parquet";
    old.deletion_timestamp = 1;
    old.data_change = true;
    transaction.RemoveFiles({old});
  });
}

TEST_F(TransactionTest, CreateWritesCommitInfoFirstThenProtocolAndMetadata) {
  std::vector<std::string> lines = CommitLines(0);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].rfind("{\"commitInfo\":{\"timestamp\":1700000000000,", 0), 0u) << lines[0];
  EXPECT_THAT(lines[0], HasSubstr("\"engineInfo\":\"arcflow/0.1.0\""));
  EXPECT_THAT(lines[0], HasSubstr("\"isBlindAppend\":true"));
  EXPECT_THAT(lines[0], HasSubstr("\"numFiles\":\"2\""));
  EXPECT_THAT(lines[0], HasSubstr("\"numOutputRows\":\"10\""));
  EXPECT_EQ(lines[1], "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}");
  EXPECT_EQ(lines[2].rfind("{\"metaData\":{\"id\":\"", 0), 0u);
  EXPECT_THAT(lines[2], HasSubstr("\"createdTime\":1700000000000"));
  EXPECT_EQ(lines[3].rfind("{\"add\":{\"path\":\"p=a/f0.parquet\"", 0), 0u);
  EXPECT_EQ(snapshot_->metadata().id.size(), 36u);
  EXPECT_EQ(snapshot_->files().size(), 2u);
}

// Property values are judged when a commit sets or changes them; a value another writer left
// in the table does not block commits that do not touch it.
TEST_F(TransactionTest, ChangedTablePropertiesMustBeValid) {
  struct Case {
    const char* key;
    const char* value;
    StatusCode code;
  };
  for (const Case& bad :
       {Case{"delta.checkpointInterval", "-3", StatusCode::kInvalid},
        Case{"delta.appendOnly", "yes", StatusCode::kInvalid},
        Case{"delta.deletedFileRetentionDuration", "1 fortnight", StatusCode::kInvalid},
        Case{"delta.targetFileSize", "0", StatusCode::kInvalid},
        Case{"delta.dataSkippingNumIndexedCols", "-2", StatusCode::kInvalid},
        Case{"delta.enableInCommitTimestamps", "true", StatusCode::kNotImplemented}}) {
    SCOPED_TRACE(bad.key);
    Metadata updated = snapshot_->metadata();
    updated.configuration.emplace_back(bad.key, bad.value);
    Status status = Start()->UpdateMetadata(updated);
    EXPECT_EQ(status.code(), bad.code) << status.ToString();
    EXPECT_THAT(status.ToString(), HasSubstr(bad.key));
    EXPECT_THAT(status.ToString(), HasSubstr("table /t"));
  }

  // A value no check accepts, committed as another writer would, then an unrelated change.
  Metadata with_odd_value = snapshot_->metadata();
  with_odd_value.configuration.emplace_back("delta.appendOnly", "TRUE");
  std::vector<Action> actions = {with_odd_value};
  ASSERT_TRUE(io::PublishFile(fs_, io::JoinPath(LogDirectory(kRoot), CommitFileName(1)),
                              SerializeCommit(actions), io::PublishMode::kIfAbsent)
                  .ok());
  auto reloaded = Snapshot::Load(fs_, kRoot);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  auto transaction = OptimisticTransaction::Start(*reloaded, Options());
  ASSERT_TRUE(transaction.ok());
  Metadata renamed = (*reloaded)->metadata();
  renamed.description = "orders";
  EXPECT_TRUE((*transaction)->UpdateMetadata(renamed).ok());
}

TEST_F(TransactionTest, ActionOrderIsCommitInfoProtocolMetadataTxnRemoveAdd) {
  auto transaction = Start();
  Metadata updated = snapshot_->metadata();
  updated.configuration = {{"delta.appendOnly", "false"}};
  ASSERT_TRUE(transaction->UpdateMetadata(updated).ok());
  transaction->SetTransaction("app", 3);
  transaction->ReadWholeTable();
  transaction->Remove(snapshot_->files()[0]);
  transaction->AddFiles({MakeAdd("p=a/f2.parquet", "a")});
  auto result = transaction->Commit();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<std::string> lines = CommitLines(1);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].rfind("{\"commitInfo\":", 0), 0u);
  EXPECT_THAT(lines[0], HasSubstr("\"readVersion\":0"));
  EXPECT_THAT(lines[0], HasSubstr("\"isBlindAppend\":false"));
  EXPECT_EQ(lines[1].rfind("{\"metaData\":", 0), 0u);
  EXPECT_EQ(lines[2].rfind("{\"txn\":{\"appId\":\"app\",\"version\":3,\"lastUpdated\":", 0), 0u);
  EXPECT_EQ(lines[3].rfind("{\"remove\":{\"path\":\"p=a/f0.parquet\"", 0), 0u);
  EXPECT_THAT(lines[3], HasSubstr("\"deletionTimestamp\":1700000000000"));
  EXPECT_EQ(lines[4].rfind("{\"add\":", 0), 0u);
  EXPECT_EQ(result->snapshot->TransactionVersion("app"), 3);
  EXPECT_EQ(result->snapshot->files().size(), 2u);
}

TEST_F(TransactionTest, BlindAppendsNeverConflict) {
  auto first = Start();
  auto second = Start();
  first->AddFiles({MakeAdd("p=a/x.parquet", "a")});
  second->AddFiles({MakeAdd("p=a/y.parquet", "a")});
  auto one = first->Commit();
  ASSERT_TRUE(one.ok());
  auto two = second->Commit();
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(one->version, 1);
  EXPECT_EQ(two->version, 2);
  EXPECT_EQ(two->attempts, 2);
  EXPECT_EQ(two->snapshot->files().size(), 4u);
}

TEST_F(TransactionTest, ReaderOfWholeTableIsNotBrokenByBlindAppend) {
  auto overwrite = Start();
  overwrite->ReadWholeTable();
  for (const AddFile& file : snapshot_->files()) overwrite->Remove(file);
  auto append = Start();
  append->AddFiles({MakeAdd("p=a/y.parquet", "a")});
  ASSERT_TRUE(append->Commit().ok());
  auto result = overwrite->Commit();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->version, 2);
  // The appended file survives: the overwrite is ordered before the append.
  ASSERT_EQ(result->snapshot->files().size(), 1u);
  EXPECT_EQ(result->snapshot->files()[0].path, "p=a/y.parquet");
}

TEST_F(TransactionTest, ConcurrentDeleteOfAFileReadConflicts) {
  auto reader = Start();
  reader->ReadWholeTable();
  reader->AddFiles({MakeAdd("p=a/z.parquet", "a")});
  auto deleter = Start();
  deleter->ReadFiles({snapshot_->files()[1]});
  deleter->Remove(snapshot_->files()[1]);
  ASSERT_TRUE(deleter->Commit().ok());
  auto result = reader->Commit();
  ASSERT_TRUE(result.status().IsConflict());
  EXPECT_THAT(result.status().message(), HasSubstr("ConcurrentDeleteRead"));
  EXPECT_THAT(result.status().message(), HasSubstr("concurrent commit 1"));
}

TEST_F(TransactionTest, ConcurrentDeleteOfTheSameFileConflicts) {
  auto first = Start();
  auto second = Start();
  first->Remove(snapshot_->files()[0]);
  second->Remove(snapshot_->files()[0]);
  ASSERT_TRUE(first->Commit().ok());
  auto result = second->Commit();
  ASSERT_TRUE(result.status().IsConflict());
  EXPECT_THAT(result.status().message(), HasSubstr("ConcurrentDeleteDelete"));
}

TEST_F(TransactionTest, PartitionReadsConflictOnlyWithTheirPartitions) {
  // The winner rewrites partition b (not a blind append).
  auto reader = Start();
  reader->ReadPartitions({ColumnPredicate{"p", ColumnPredicate::Op::kEq, "a"}});
  reader->AddFiles({MakeAdd("p=a/r.parquet", "a")});
  auto winner = Start();
  winner->ReadPartitions({ColumnPredicate{"p", ColumnPredicate::Op::kEq, "b"}});
  winner->Remove(snapshot_->files()[1]);
  winner->AddFiles({MakeAdd("p=b/w.parquet", "b")});
  ASSERT_TRUE(winner->Commit().ok());
  auto result = reader->Commit();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->version, 2);

  // Now a non-blind winner adds into partition a, which the next reader read.
  auto a_reader = OptimisticTransaction::Start(result->snapshot, Options());
  ASSERT_TRUE(a_reader.ok());
  (*a_reader)->ReadPartitions({ColumnPredicate{"p", ColumnPredicate::Op::kEq, "a"}});
  (*a_reader)->AddFiles({MakeAdd("p=a/s.parquet", "a")});
  auto a_winner = OptimisticTransaction::Start(result->snapshot, Options());
  ASSERT_TRUE(a_winner.ok());
  (*a_winner)->ReadPartitions({ColumnPredicate{"p", ColumnPredicate::Op::kEq, "b"}});
  (*a_winner)->AddFiles({MakeAdd("p=a/t.parquet", "a")});
  ASSERT_TRUE((*a_winner)->Commit().ok());
  auto conflicted = (*a_reader)->Commit();
  ASSERT_TRUE(conflicted.status().IsConflict());
  EXPECT_THAT(conflicted.status().message(), HasSubstr("ConcurrentAppend"));
}

TEST_F(TransactionTest, MetadataAndProtocolChangesConflict) {
  auto changer = Start();
  Metadata updated = snapshot_->metadata();
  updated.configuration = {{"delta.checkpointInterval", "5"}};
  ASSERT_TRUE(changer->UpdateMetadata(updated).ok());
  auto appender = Start();
  appender->AddFiles({MakeAdd("p=a/y.parquet", "a")});
  ASSERT_TRUE(changer->Commit().ok());
  auto result = appender->Commit();
  ASSERT_TRUE(result.status().IsConflict());
  EXPECT_THAT(result.status().message(), HasSubstr("MetadataChanged"));
}

TEST_F(TransactionTest, SameApplicationTxnConflicts) {
  auto first = Start();
  auto second = Start();
  EXPECT_EQ(first->TransactionVersion("stage"), std::nullopt);
  first->SetTransaction("stage", 0);
  second->SetTransaction("stage", 0);
  first->AddFiles({MakeAdd("p=a/x.parquet", "a")});
  second->AddFiles({MakeAdd("p=a/y.parquet", "a")});
  ASSERT_TRUE(first->Commit().ok());
  auto result = second->Commit();
  ASSERT_TRUE(result.status().IsConflict());
  EXPECT_THAT(result.status().message(), HasSubstr("appId stage"));
  // Another application does not conflict.
  auto other = Start();
  other->SetTransaction("other", 7);
  auto committed = other->Commit();
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  EXPECT_EQ(committed->snapshot->TransactionVersion("other"), 7);
  EXPECT_EQ(committed->snapshot->TransactionVersion("stage"), 0);
}

TEST_F(TransactionTest, GivesUpAfterMaxAttempts) {
  auto winner = Start();
  ASSERT_TRUE(winner->Commit().ok());
  TransactionOptions options = Options();
  options.max_attempts = 1;
  auto loser = OptimisticTransaction::Start(snapshot_, options);
  ASSERT_TRUE(loser.ok());
  auto result = (*loser)->Commit();
  ASSERT_TRUE(result.status().IsConflict());
  EXPECT_THAT(result.status().message(), HasSubstr("after 1 attempts"));
  EXPECT_THAT(result.status().message(), HasSubstr("version 1"));
}

TEST_F(TransactionTest, MisuseIsInvalid) {
  auto transaction = Start();
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_TRUE(transaction->Commit().status().IsInvalid());
  auto create = OptimisticTransaction::StartCreate(fs_, "/other", Options());
  ASSERT_TRUE(create.ok());
  EXPECT_TRUE((*create)->Commit().status().IsInvalid());
  Metadata bad = TestMetadata();
  bad.partition_columns = {"missing"};
  EXPECT_TRUE((*create)->UpdateMetadata(bad).IsInvalid());
  bad.schema_string = "{not json";
  EXPECT_FALSE((*create)->UpdateMetadata(bad).ok());
}

TEST_F(TransactionTest, UnsupportedWriterFeatureIsRefused) {
  auto create = OptimisticTransaction::StartCreate(fs_, "/featured", Options());
  ASSERT_TRUE(create.ok());
  ASSERT_TRUE((*create)->UpdateMetadata(TestMetadata()).ok());
  Protocol protocol;
  protocol.min_reader_version = 3;
  protocol.min_writer_version = 7;
  protocol.reader_features = std::vector<std::string>{};
  protocol.writer_features = std::vector<std::string>{"someFutureFeature"};
  (*create)->SetProtocol(protocol);
  auto result = (*create)->Commit();
  EXPECT_TRUE(result.status().IsNotImplemented()) << result.status().ToString();
}

TEST(ProtocolForTest, RaisesOnlyWhenAFeatureNeedsIt) {
  Metadata metadata;
  auto plain = TestSchema();
  EXPECT_EQ(ProtocolFor(metadata, *plain), Protocol{});
  Schema ntz({Field("t", types::TimestampNtz())});
  Protocol with_ntz = ProtocolFor(metadata, ntz);
  EXPECT_EQ(with_ntz.min_reader_version, 3);
  EXPECT_EQ(with_ntz.min_writer_version, 7);
  EXPECT_TRUE(with_ntz.HasReaderFeature("timestampNtz"));
  metadata.configuration = {{"delta.columnMapping.mode", "name"}};
  Protocol mapping = ProtocolFor(metadata, *plain);
  EXPECT_EQ(mapping.min_reader_version, 2);
  EXPECT_EQ(mapping.min_writer_version, 5);
}

TEST(PartitionMatchesTest, EvaluatesTypedPredicates) {
  Schema schema({Field("d", types::Date32()), Field("n", types::Int32()),
                 Field("s", types::String()), Field("x", types::Int64())});
  std::vector<std::string> partitions = {"d", "n", "s"};
  PartitionValues values = {{"d", "2024-01-31"}, {"n", "10"}, {"s", std::nullopt}};
  auto matches = [&](std::vector<ColumnPredicate> predicates) {
    return PartitionMatches(predicates, values, schema, partitions);
  };
  EXPECT_TRUE(matches({{"d", ColumnPredicate::Op::kEq, "2024-01-31"}}));
  EXPECT_FALSE(matches({{"d", ColumnPredicate::Op::kLt, "2024-01-31"}}));
  EXPECT_TRUE(matches({{"n", ColumnPredicate::Op::kGt, "9"}}));
  // Numeric, not textual, order: 10 > 9.
  EXPECT_FALSE(matches({{"n", ColumnPredicate::Op::kLe, "9"}}));
  EXPECT_TRUE(matches({{"s", ColumnPredicate::Op::kIsNull, ""}}));
  EXPECT_FALSE(matches({{"s", ColumnPredicate::Op::kEq, "a"}}));
  // Non-partition columns do not restrict.
  EXPECT_TRUE(matches({{"x", ColumnPredicate::Op::kEq, "1"}}));
  EXPECT_FALSE(matches(
      {{"n", ColumnPredicate::Op::kEq, "10"}, {"d", ColumnPredicate::Op::kGt, "2024-02-01"}}));
}

}  // namespace
}  // namespace arcflow::delta
