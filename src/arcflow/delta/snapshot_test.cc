#include "arcflow/delta/snapshot.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/log_test_util.h"
#include "arcflow/delta/table_features.h"
#include "arcflow/io/io_test_util.h"

namespace arcflow::delta {
namespace {

namespace fs = std::filesystem;

const std::string kDeltaCorpus = std::string(ARCFLOW_SHARED_DIR) + "/corpora/delta";

std::string Corpus(std::string_view table) { return kDeltaCorpus + "/" + std::string(table); }

SnapshotOptions AtVersion(int64_t version) {
  SnapshotOptions options;
  options.version = version;
  return options;
}

SnapshotOptions AtTimestamp(int64_t timestamp_ms) {
  SnapshotOptions options;
  options.timestamp_ms = timestamp_ms;
  return options;
}

Result<std::shared_ptr<const Snapshot>> LoadTable(const std::string& root,
                                                  SnapshotOptions options = {}) {
  return Snapshot::Load(io::LocalFileSystem(), root, options);
}

std::shared_ptr<const Snapshot> MustLoad(const std::string& root, SnapshotOptions options = {}) {
  Result<std::shared_ptr<const Snapshot>> snapshot = LoadTable(root, options);
  EXPECT_TRUE(snapshot.ok()) << root << ": " << snapshot.status().ToString();
  return snapshot.ok() ? *snapshot : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Conformance: every table of corpora/delta/_analysis/tables.json.

struct ExpectedTable {
  std::string name;  // table_root without the leading "./".
  int64_t latest_version = -1;
  int64_t active_files = 0;
  bool has_protocol = false;
  int32_t min_reader_version = 0;
  int32_t min_writer_version = 0;
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;
  std::optional<std::vector<std::string>> partition_columns;
  std::map<std::string, int64_t> transactions;
  std::optional<std::vector<std::string>> domains;
};

std::vector<ExpectedTable> ReadExpectedTables() {
  std::vector<ExpectedTable> tables;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string path = kDeltaCorpus + "/_analysis/tables.json";
  if (parser.load(path).get(root) != simdjson::SUCCESS) {
    ADD_FAILURE() << "cannot read " << path;
    return tables;
  }
  auto strings = [](simdjson::dom::element element) {
    std::vector<std::string> values;
    for (simdjson::dom::element item : element.get_array()) {
      values.emplace_back(std::string_view(item.get_string()));
    }
    return values;
  };
  for (simdjson::dom::element entry : root.get_array()) {
    ExpectedTable table;
    std::string_view table_root = entry["table_root"].get_string();
    if (table_root.substr(0, 2) == "./") table_root.remove_prefix(2);
    table.name = std::string(table_root);
    table.latest_version = entry["latest_version"].get_int64();
    table.active_files = entry["active_files"].get_int64();
    simdjson::dom::element protocol = entry["protocol"];
    if (protocol.is_object()) {
      table.has_protocol = true;
      table.min_reader_version = static_cast<int32_t>(int64_t(protocol["minReaderVersion"]));
      table.min_writer_version = static_cast<int32_t>(int64_t(protocol["minWriterVersion"]));
      simdjson::dom::element features;
      if (protocol["readerFeatures"].get(features) == simdjson::SUCCESS) {
        table.reader_features = strings(features);
      }
      if (protocol["writerFeatures"].get(features) == simdjson::SUCCESS) {
        table.writer_features = strings(features);
      }
    }
    simdjson::dom::element value;
    if (entry["partitionColumns"].get(value) == simdjson::SUCCESS) {
      table.partition_columns = strings(value);
    }
    if (entry["txns"].get(value) == simdjson::SUCCESS && value.is_object()) {
      for (auto [app_id, version] : value.get_object()) {
        table.transactions[std::string(app_id)] = version.get_int64();
      }
    }
    if (entry["domains"].get(value) == simdjson::SUCCESS && value.is_array()) {
      table.domains = strings(value);
    }
    tables.push_back(std::move(table));
  }
  return tables;
}

// Names the table in gtest output instead of dumping its bytes.
void PrintTo(const ExpectedTable& table, std::ostream* out) { *out << table.name; }

const std::vector<ExpectedTable>& ExpectedTables() {
  static const std::vector<ExpectedTable> tables = ReadExpectedTables();
  return tables;
}

// Logs that are broken on purpose: loading them must fail with this code and a message that
// contains the text.
struct BrokenLog {
  const char* table;
  StatusCode code;
  const char* message;
  const char* reason;
};

const BrokenLog kBrokenLogs[] = {
    {"delta-kernel-rs/data/crc-malformed", StatusCode::kNotFound, "no commit or checkpoint",
     "only a malformed .crc file, no commit"},
    {"delta-kernel-rs/golden/versions-not-contiguous/delta", StatusCode::kCorruption,
     "version 1 is missing", "commits 0 and 2 without 1 and no checkpoint"},
    {"delta-rs/data_err_logs/table_c", StatusCode::kCorruption, "version 12 is missing",
     "commit 12 is missing after the checkpoint at 10"},
    {"delta-kernel-rs/golden/deltalog-state-reconstruction-from-checkpoint-missing-metadata/delta",
     StatusCode::kCorruption, "no metaData action", "checkpoint and commits lack metaData"},
    {"delta-kernel-rs/golden/deltalog-state-reconstruction-from-checkpoint-missing-protocol/delta",
     StatusCode::kCorruption, "no protocol action", "checkpoint and commits lack protocol"},
    {"delta-kernel-rs/golden/deltalog-state-reconstruction-without-metadata/delta",
     StatusCode::kCorruption, "no metaData action", "commit 0 has no metaData"},
    {"delta-kernel-rs/golden/deltalog-state-reconstruction-without-protocol/delta",
     StatusCode::kCorruption, "no protocol action", "commit 0 has no protocol"},
    {"delta-kernel-rs/golden/data-reader-absolute-paths-escaped-chars/delta",
     StatusCode::kCorruption, "no metaData action",
     "a data-reader fixture whose log has no metaData"},
};

// Where tables.json (written by a helper replay that compares raw path strings) differs from
// the protocol, the protocol wins.
const std::map<std::string, int64_t> kActiveFileOverrides = {
    // The remove names the add's file as "file:/..." or "file:///..." (with escapes): after
    // canonicalization they are the same file, so the table has no active file.
    {"delta-kernel-rs/golden/canonicalized-paths-normal-a/delta", 0},
    {"delta-kernel-rs/golden/canonicalized-paths-normal-b/delta", 0},
    {"delta-kernel-rs/golden/canonicalized-paths-special-a/delta", 0},
    {"delta-kernel-rs/golden/canonicalized-paths-special-b/delta", 0},
};

const BrokenLog* FindBrokenLog(const std::string& name) {
  for (const BrokenLog& broken : kBrokenLogs) {
    if (name == broken.table) return &broken;
  }
  return nullptr;
}

class CorpusTableTest : public ::testing::TestWithParam<ExpectedTable> {};

TEST_P(CorpusTableTest, LatestSnapshotMatchesAnalysis) {
  const ExpectedTable& expected = GetParam();
  std::string root = Corpus(expected.name);
  Result<std::shared_ptr<const Snapshot>> loaded = LoadTable(root);
  if (const BrokenLog* broken = FindBrokenLog(expected.name)) {
    ASSERT_FALSE(loaded.ok()) << "expected a failure: " << broken->reason;
    EXPECT_EQ(loaded.status().code(), broken->code) << loaded.status().ToString();
    EXPECT_NE(loaded.status().message().find(broken->message), std::string::npos)
        << loaded.status().ToString();
    return;
  }
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Snapshot& snapshot = **loaded;
  EXPECT_EQ(snapshot.version(), expected.latest_version);
  int64_t active_files = expected.active_files;
  if (auto it = kActiveFileOverrides.find(expected.name); it != kActiveFileOverrides.end()) {
    active_files = it->second;
  }
  EXPECT_EQ(static_cast<int64_t>(snapshot.files().size()), active_files);
  ASSERT_TRUE(expected.has_protocol);
  EXPECT_EQ(snapshot.protocol().min_reader_version, expected.min_reader_version);
  EXPECT_EQ(snapshot.protocol().min_writer_version, expected.min_writer_version);
  EXPECT_EQ(snapshot.protocol().reader_features, expected.reader_features);
  EXPECT_EQ(snapshot.protocol().writer_features, expected.writer_features);
  if (expected.partition_columns.has_value()) {
    EXPECT_EQ(snapshot.metadata().partition_columns, *expected.partition_columns);
  }
  for (const auto& [app_id, version] : expected.transactions) {
    EXPECT_EQ(snapshot.TransactionVersion(app_id), version) << app_id;
  }
  if (expected.domains.has_value()) {
    std::set<std::string> want(expected.domains->begin(), expected.domains->end());
    std::set<std::string> got;
    for (const DomainMetadata& domain : snapshot.domain_metadata()) got.insert(domain.domain);
    EXPECT_EQ(got, want);
  }
  // Loading never depends on feature support; reading the data does, and must name exactly
  // the features arcflow lacks.
  Status read_support = CheckReadSupported(snapshot.protocol());
  std::vector<std::string> unsupported;
  for (const std::string& feature :
       snapshot.protocol().reader_features.value_or(std::vector<std::string>{})) {
    if (!IsReaderFeatureSupported(feature)) unsupported.push_back(feature);
  }
  bool version_supported = snapshot.protocol().min_reader_version <= 3;
  if (unsupported.empty() && version_supported) {
    EXPECT_TRUE(read_support.ok()) << read_support.ToString();
  } else {
    ASSERT_TRUE(read_support.IsNotImplemented()) << read_support.ToString();
    for (const std::string& feature : unsupported) {
      EXPECT_NE(read_support.message().find(feature), std::string::npos) << read_support.message();
    }
    if (!version_supported) {
      EXPECT_NE(read_support.message().find("reader version " +
                                            std::to_string(snapshot.protocol().min_reader_version)),
                std::string::npos)
          << read_support.message();
    }
  }
  // The schema parses unless it is missing or uses a type arcflow has no columnar form for.
  if (snapshot.schema() == nullptr) {
    if (snapshot.metadata().schema_string.empty()) {
      EXPECT_TRUE(snapshot.schema_status().IsInvalid()) << snapshot.schema_status().ToString();
    } else {
      EXPECT_TRUE(snapshot.schema_status().IsNotImplemented())
          << snapshot.schema_status().ToString();
    }
  } else {
    EXPECT_TRUE(snapshot.schema_status().ok());
  }
}

std::string TableTestName(const ::testing::TestParamInfo<ExpectedTable>& info) {
  std::string name;
  for (char c : info.param.name)
    name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(DeltaCorpus, CorpusTableTest, ::testing::ValuesIn(ExpectedTables()),
                         TableTestName);

TEST(SnapshotTest, CorpusListsEveryTable) {
  EXPECT_EQ(ExpectedTables().size(), 234u);
  for (const BrokenLog& broken : kBrokenLogs) {
    bool listed = false;
    for (const ExpectedTable& table : ExpectedTables()) listed |= table.name == broken.table;
    EXPECT_TRUE(listed) << broken.table;
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic tables written into a scratch directory.

class TableWriter {
 public:
  explicit TableWriter(std::string root) : root_(std::move(root)) {
    fs::create_directories(LogDirectory(root_));
  }
  const std::string& root() const { return root_; }

  std::string WriteCommit(int64_t version, const std::vector<Action>& actions,
                          std::optional<int64_t> mtime_ms = std::nullopt) {
    return WriteRaw(CommitFileName(version), SerializeCommit(actions), mtime_ms);
  }

  std::string WriteRaw(const std::string& name, const std::string& content,
                       std::optional<int64_t> mtime_ms = std::nullopt) {
    std::string path = io::JoinPath(LogDirectory(root_), name);
    std::ofstream(path, std::ios::binary) << content;
    if (mtime_ms.has_value()) SetModificationTime(path, *mtime_ms);
    return path;
  }

  static void SetModificationTime(const std::string& path, int64_t mtime_ms) {
    auto system_time = std::chrono::system_clock::time_point(std::chrono::milliseconds(mtime_ms));
    fs::last_write_time(path, std::chrono::file_clock::from_sys(system_time));
  }

 private:
  std::string root_;
};

// Copies a corpus table into `destination` (a scratch directory) and makes the copy writable,
// since the corpus is read-only.
void CopyTable(const std::string& source, const std::string& destination) {
  fs::copy(source, destination, fs::copy_options::recursive);
  fs::permissions(destination, fs::perms::owner_all, fs::perm_options::add);
  for (const auto& entry : fs::recursive_directory_iterator(destination)) {
    fs::permissions(entry.path(), fs::perms::owner_all, fs::perm_options::add);
  }
}

using testing::Add;
using testing::Info;
using testing::LegacyProtocol;
using testing::Remove;
using testing::SimpleMetadata;

std::vector<std::string> FilePaths(const Snapshot& snapshot) {
  std::vector<std::string> paths;
  for (const AddFile& add : snapshot.files()) paths.push_back(add.path);
  return paths;
}

TEST(SnapshotTest, ReplaysAddsAndRemovesInOrder) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  table.WriteCommit(0, {Info("CREATE"), LegacyProtocol(), SimpleMetadata(), Add("a"), Add("b")});
  table.WriteCommit(1, {Info("DELETE"), Remove("a", 10), Add("c")});
  table.WriteCommit(2, {Info("WRITE"), Add("a", 5), Remove("b", 20)});
  auto snapshot = MustLoad(table.root());
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->version(), 2);
  EXPECT_EQ(FilePaths(*snapshot), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(snapshot->files()[0].size, 5);
  ASSERT_NE(snapshot->schema(), nullptr);
  EXPECT_EQ(snapshot->schema()->num_fields(), 1);
  EXPECT_EQ(snapshot->log_segment().commit_files.size(), 3u);
  EXPECT_FALSE(snapshot->log_segment().checkpoint_version.has_value());

  auto at_one = MustLoad(table.root(), AtVersion(1));
  ASSERT_NE(at_one, nullptr);
  EXPECT_EQ(FilePaths(*at_one), (std::vector<std::string>{"b", "c"}));
}

TEST(SnapshotTest, KeysFilesByPathAndDeletionVector) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  DeletionVectorDescriptor dv;
  dv.storage_type = 'i';
  dv.path_or_inline_dv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L";
  dv.size_in_bytes = 40;
  dv.cardinality = 2;
  AddFile with_dv = Add("f");
  with_dv.deletion_vector = dv;
  RemoveFile remove_plain = Remove("f", 5);
  table.WriteCommit(0, {LegacyProtocol(), SimpleMetadata(), Add("f")});
  // The DELETE replaces the plain file by the same file with a deletion vector.
  table.WriteCommit(1, {remove_plain, with_dv});
  auto snapshot = MustLoad(table.root());
  ASSERT_NE(snapshot, nullptr);
  ASSERT_EQ(snapshot->files().size(), 1u);
  EXPECT_TRUE(snapshot->files()[0].deletion_vector.has_value());
  // A remove without the vector does not remove the file that has one.
  table.WriteCommit(2, {Remove("f", 6)});
  snapshot = MustLoad(table.root());
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->files().size(), 1u);
}

TEST(SnapshotTest, ReconcilesTransactionsAndDomains) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  Transaction first{"app", 1, std::nullopt};
  Transaction second{"app", 2, 100};
  Transaction other{"other", 7, std::nullopt};
  DomainMetadata kept{"delta.clustering", R"({"clusteringColumns":[]})", false};
  DomainMetadata dropped{"user.domain", "{}", false};
  table.WriteCommit(0, {LegacyProtocol(), SimpleMetadata(), first, other, kept, dropped});
  DomainMetadata removed = dropped;
  removed.removed = true;
  DomainMetadata updated = kept;
  updated.configuration = R"({"clusteringColumns":[["id"]]})";
  table.WriteCommit(1, {second, removed, updated});
  auto snapshot = MustLoad(table.root());
  ASSERT_NE(snapshot, nullptr);
  ASSERT_EQ(snapshot->transactions().size(), 2u);
  EXPECT_EQ(snapshot->transactions()[0], second);
  EXPECT_EQ(snapshot->TransactionVersion("app"), 2);
  EXPECT_EQ(snapshot->TransactionVersion("other"), 7);
  EXPECT_FALSE(snapshot->TransactionVersion("missing").has_value());
  ASSERT_EQ(snapshot->domain_metadata().size(), 1u);
  EXPECT_EQ(snapshot->domain_metadata()[0], updated);
}

TEST(SnapshotTest, ExpiresTombstonesByRetention) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  constexpr int64_t kNow = 1'700'000'000'000;
  table.WriteCommit(0, {LegacyProtocol(), SimpleMetadata(), Add("old"), Add("recent"), Add("x")},
                    kNow - 30 * kDay);
  table.WriteCommit(1,
                    {Remove("old", kNow - 8 * kDay), Remove("recent", kNow - 6 * kDay),
                     Remove("x", std::nullopt)},
                    kNow);
  auto snapshot = MustLoad(table.root());
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->timestamp_ms(), kNow);
  // Default retention is one week: only "recent" survives ("x" has no deletion time).
  ASSERT_EQ(snapshot->tombstones().size(), 1u);
  EXPECT_EQ(snapshot->tombstones()[0].path, "recent");

  // A longer retention keeps both dated tombstones.
  table.WriteCommit(
      2, {SimpleMetadata({{"delta.deletedFileRetentionDuration", "interval 9 days"}})}, kNow);
  snapshot = MustLoad(table.root());
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->tombstones().size(), 2u);
}

TEST(SnapshotTest, TimeTravelsByVersion) {
  std::string root = Corpus("delta-rs/delta-0.8.0");
  auto v0 = MustLoad(root, AtVersion(0));
  auto v1 = MustLoad(root, AtVersion(1));
  ASSERT_NE(v0, nullptr);
  ASSERT_NE(v1, nullptr);
  EXPECT_EQ(v0->version(), 0);
  ASSERT_EQ(v0->files().size(), 2u);
  EXPECT_EQ(v0->files()[0].path.substr(0, 19), "part-00000-c9b90f86");
  EXPECT_EQ(v0->files()[1].path.substr(0, 19), "part-00001-911a94a2");
  ASSERT_EQ(v1->files().size(), 2u);
  EXPECT_EQ(v1->files()[0].path.substr(0, 19), "part-00000-04ec9591");
  // The remove of version 1 is a tombstone until a week after its deletion time; the snapshot
  // time is the commit file's modification time.
  constexpr int64_t kDeletionTimestamp = 1615043776198;
  constexpr int64_t kWeekMs = 7LL * 24 * 3600 * 1000;
  if (v1->timestamp_ms() - kDeletionTimestamp < kWeekMs) {
    ASSERT_EQ(v1->tombstones().size(), 1u);
    EXPECT_EQ(v1->tombstones()[0].path.substr(0, 19), "part-00001-911a94a2");
  } else {
    EXPECT_TRUE(v1->tombstones().empty());
  }

  for (int64_t version : {-1, 2, 100}) {
    Result<std::shared_ptr<const Snapshot>> missing = LoadTable(root, AtVersion(version));
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.status().IsInvalid()) << missing.status().ToString();
    EXPECT_NE(missing.status().message().find("0..1"), std::string::npos)
        << missing.status().message();
  }
  Result<std::shared_ptr<const Snapshot>> both = LoadTable(root, SnapshotOptions{0, 1});
  EXPECT_TRUE(both.status().IsInvalid());
}

TEST(SnapshotTest, TimeTravelsByModificationTime) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  table.WriteCommit(0, {LegacyProtocol(), SimpleMetadata(), Add("a")}, 1000);
  table.WriteCommit(1, {Add("b")}, 2000);
  table.WriteCommit(2, {Add("c")}, 3000);
  auto at = [&](int64_t timestamp) -> int64_t {
    auto snapshot = MustLoad(table.root(), AtTimestamp(timestamp));
    return snapshot == nullptr ? -100 : snapshot->version();
  };
  EXPECT_EQ(at(1000), 0);
  EXPECT_EQ(at(1999), 0);
  EXPECT_EQ(at(2000), 1);
  EXPECT_EQ(at(2500), 1);
  EXPECT_EQ(at(99999), 2);
  auto snapshot = MustLoad(table.root(), AtTimestamp(2500));
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->timestamp_ms(), 2000);
  EXPECT_EQ(FilePaths(*snapshot), (std::vector<std::string>{"a", "b"}));

  Result<std::shared_ptr<const Snapshot>> early = LoadTable(table.root(), AtTimestamp(999));
  ASSERT_FALSE(early.ok());
  EXPECT_TRUE(early.status().IsInvalid());
  EXPECT_NE(early.status().message().find("0..2"), std::string::npos) << early.status().message();
}

TEST(SnapshotTest, TimeTravelsByInCommitTimestamp) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  Metadata metadata = SimpleMetadata({{"delta.enableInCommitTimestamps", "true"}});
  // The modification times disagree with the in-commit timestamps on purpose.
  table.WriteCommit(0, {Info("CREATE", 100), LegacyProtocol(), metadata, Add("a")}, 9000);
  table.WriteCommit(1, {Info("WRITE", 200), Add("b")}, 8000);
  table.WriteCommit(2, {Info("WRITE", 300), Add("c")}, 7000);
  table.WriteCommit(3, {Info("WRITE", 400), Add("d")}, 6000);
  auto latest = MustLoad(table.root());
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->timestamp_ms(), 400);
  for (auto [timestamp, version] : std::vector<std::pair<int64_t, int64_t>>{
           {100, 0}, {150, 0}, {200, 1}, {299, 1}, {300, 2}, {399, 2}, {400, 3}, {10000, 3}}) {
    auto snapshot = MustLoad(table.root(), AtTimestamp(timestamp));
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->version(), version) << "timestamp " << timestamp;
  }
  auto at_one = MustLoad(table.root(), AtVersion(1));
  ASSERT_NE(at_one, nullptr);
  EXPECT_EQ(at_one->timestamp_ms(), 200);
  EXPECT_TRUE(LoadTable(table.root(), AtTimestamp(99)).status().IsInvalid());
}

TEST(SnapshotTest, InCommitTimestampsFromEnablementVersion) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  table.WriteCommit(0, {Info("CREATE"), LegacyProtocol(), SimpleMetadata(), Add("a")}, 1000);
  table.WriteCommit(1, {Info("WRITE"), Add("b")}, 2000);
  Metadata enabled = SimpleMetadata({{"delta.enableInCommitTimestamps", "true"},
                                     {"delta.inCommitTimestampEnablementVersion", "2"},
                                     {"delta.inCommitTimestampEnablementTimestamp", "5000"}});
  table.WriteCommit(2, {Info("SET TBLPROPERTIES", 5000), enabled}, 100);
  table.WriteCommit(3, {Info("WRITE", 6000), Add("c")}, 50);
  EXPECT_EQ(MustLoad(table.root(), AtTimestamp(1500))->version(), 0);
  EXPECT_EQ(MustLoad(table.root(), AtTimestamp(2500))->version(), 1);
  EXPECT_EQ(MustLoad(table.root(), AtTimestamp(5500))->version(), 2);
  EXPECT_EQ(MustLoad(table.root(), AtTimestamp(6000))->version(), 3);
}

TEST(SnapshotTest, ReadsHistoryNewestFirst) {
  Result<std::vector<HistoryEntry>> history =
      ReadHistory(io::LocalFileSystem(), Corpus("delta-rs/delta-0.8.0"));
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_EQ((*history)[0].commit_info.operation, "DELETE");
  EXPECT_EQ((*history)[1].version, 0);
  EXPECT_EQ((*history)[1].commit_info.operation, "WRITE");

  Result<std::vector<HistoryEntry>> limited =
      ReadHistory(io::LocalFileSystem(), Corpus("delta-rs/delta-0.8.0"), 1);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].version, 1);

  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  table.WriteCommit(0,
                    {Info("CREATE", 100), LegacyProtocol(),
                     SimpleMetadata({{"delta.enableInCommitTimestamps", "true"}})},
                    5);
  table.WriteCommit(1, {Add("a")}, 7);
  Result<std::vector<HistoryEntry>> synthetic = ReadHistory(io::LocalFileSystem(), table.root());
  ASSERT_TRUE(synthetic.ok());
  ASSERT_EQ(synthetic->size(), 2u);
  EXPECT_EQ((*synthetic)[0].timestamp_ms, 7);
  EXPECT_TRUE((*synthetic)[0].commit_info.json.empty());
  EXPECT_EQ((*synthetic)[1].timestamp_ms, 100);
  EXPECT_TRUE(ReadHistory(io::LocalFileSystem(), table.root(), -1).status().IsInvalid());
}

TEST(SnapshotTest, ReportsLogGapNamingMissingVersion) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  table.WriteCommit(0, {LegacyProtocol(), SimpleMetadata()});
  table.WriteCommit(1, {Add("a")});
  table.WriteCommit(3, {Add("b")});
  Result<std::shared_ptr<const Snapshot>> loaded = LoadTable(table.root());
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.status().IsCorruption());
  EXPECT_NE(loaded.status().message().find("version 2 is missing"), std::string::npos)
      << loaded.status().message();
  // Versions before the gap still load.
  auto before = MustLoad(table.root(), AtVersion(1));
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(before->files().size(), 1u);

  // A hostile version far beyond the others is a gap too, found without walking the range.
  table.WriteCommit(3'000'000'000'000'000'000, {Add("c")});
  loaded = LoadTable(table.root());
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.status().IsCorruption());
  EXPECT_NE(loaded.status().message().find("version 2 is missing"), std::string::npos)
      << loaded.status().message();
}

TEST(SnapshotTest, MalformedCommitLineNamesFileAndLine) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  table.WriteCommit(0, {LegacyProtocol(), SimpleMetadata()});
  table.WriteRaw(CommitFileName(1), "{\"add\":{\"path\":\"a\",\"size\":1}}\n{\"add\":{\"path\":\n");
  Result<std::shared_ptr<const Snapshot>> loaded = LoadTable(table.root());
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.status().IsCorruption());
  EXPECT_NE(loaded.status().message().find(CommitFileName(1)), std::string::npos)
      << loaded.status().message();
  EXPECT_NE(loaded.status().message().find("line=2"), std::string::npos)
      << loaded.status().message();
}

TEST(SnapshotTest, MissingTableIsNotFound) {
  io::ScratchDirectory scratch;
  EXPECT_TRUE(LoadTable(scratch.Join("nothing")).status().IsNotFound());
  fs::create_directories(LogDirectory(scratch.path()));
  EXPECT_TRUE(LoadTable(scratch.path()).status().IsNotFound());
}

TEST(SnapshotTest, UsesMultiPartCheckpointOnlyWhenComplete) {
  std::string source = Corpus("delta-kernel-rs/data/parquet_row_group_skipping");
  auto snapshot = MustLoad(source);
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->log_segment().checkpoint_version, 1);
  EXPECT_EQ(snapshot->log_segment().checkpoint_files.size(), 5u);
  EXPECT_TRUE(snapshot->log_segment().commit_files.empty());
  EXPECT_EQ(snapshot->files().size(), 1u);
  EXPECT_EQ(snapshot->TransactionVersion("3ae45b72-24e1-865a-a211-34987ae02f2a"), 4390);

  // Without part 3 the checkpoint is incomplete: the log replays from the commits instead.
  io::ScratchDirectory scratch;
  CopyTable(source, scratch.path());
  for (const auto& entry : fs::directory_iterator(LogDirectory(scratch.path()))) {
    if (entry.path().filename().string().find(".checkpoint.0000000003.") != std::string::npos) {
      fs::remove(entry.path());
    }
  }
  auto replayed = MustLoad(scratch.path());
  ASSERT_NE(replayed, nullptr);
  EXPECT_FALSE(replayed->log_segment().checkpoint_version.has_value());
  EXPECT_EQ(replayed->log_segment().commit_files.size(), 2u);
  EXPECT_EQ(FilePaths(*replayed), FilePaths(*snapshot));
  EXPECT_EQ(replayed->transactions(), snapshot->transactions());
}

TEST(SnapshotTest, ReadsV2CheckpointsWithSidecars) {
  for (const char* table : {"delta-kernel-rs/data/v2-checkpoints-json-with-sidecars",
                            "delta-kernel-rs/data/v2-checkpoints-parquet-with-sidecars"}) {
    auto snapshot = MustLoad(Corpus(table));
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->version(), 6);
    EXPECT_EQ(snapshot->log_segment().checkpoint_version, 6);
    ASSERT_EQ(snapshot->log_segment().checkpoint_files.size(), 1u);
    EXPECT_NE(snapshot->log_segment().checkpoint_files[0].find(".checkpoint."), std::string::npos);
    EXPECT_EQ(snapshot->files().size(), 101u) << table;
    EXPECT_TRUE(snapshot->protocol().HasReaderFeature("v2Checkpoint"));
    // Older versions come from older V2 checkpoints.
    auto v3 = MustLoad(Corpus(table), AtVersion(3));
    ASSERT_NE(v3, nullptr);
    EXPECT_EQ(v3->log_segment().checkpoint_version, 3);
  }
  // A V2 checkpoint whose sidecar is missing is Corruption naming the sidecar when nothing
  // can stand in for it (here: no older checkpoint and no commit 0 to replay from).
  io::ScratchDirectory scratch;
  CopyTable(Corpus("delta-kernel-rs/data/v2-checkpoints-json-with-last-checkpoint"),
            scratch.path());
  fs::path sidecars = SidecarDirectory(scratch.path());
  for (const auto& entry : fs::directory_iterator(sidecars)) fs::remove(entry.path());
  auto with_commit = MustLoad(scratch.path());
  ASSERT_NE(with_commit, nullptr);
  EXPECT_FALSE(with_commit->log_segment().checkpoint_version.has_value());
  EXPECT_EQ(with_commit->files().size(), 2u);
  fs::remove(io::JoinPath(LogDirectory(scratch.path()), CommitFileName(0)));
  Result<std::shared_ptr<const Snapshot>> loaded = LoadTable(scratch.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.status().IsCorruption()) << loaded.status().ToString();
  EXPECT_NE(loaded.status().message().find("_sidecars/"), std::string::npos)
      << loaded.status().message();
}

TEST(SnapshotTest, ToleratesBadLastCheckpointHints) {
  for (const char* table : {"delta-golden/corrupted-last-checkpoint",
                            "delta-kernel-rs/golden/corrupted-last-checkpoint-kernel/delta",
                            "delta-rs/table_failed_last_checkpoint_update",
                            "delta-rs/with_checkpoint_no_last_checkpoint",
                            "delta-kernel-rs/data/with_checkpoint_no_last_checkpoint"}) {
    std::string root = Corpus(table);
    ASSERT_TRUE(fs::exists(root)) << root;
    auto snapshot = MustLoad(root);
    ASSERT_NE(snapshot, nullptr) << table;
    EXPECT_TRUE(snapshot->log_segment().checkpoint_version.has_value()) << table;
  }
}

TEST(SnapshotTest, FallsBackFromUnreadableCheckpoint) {
  io::ScratchDirectory scratch;
  TableWriter table(scratch.path());
  table.WriteCommit(0, {LegacyProtocol(), SimpleMetadata(), Add("a")});
  table.WriteCommit(1, {Add("b")});
  table.WriteRaw(CheckpointFileName(1), "PAR1 this is not a parquet file");
  table.WriteRaw("_last_checkpoint", "{\"version\":1,\"size\":");
  auto snapshot = MustLoad(table.root());
  ASSERT_NE(snapshot, nullptr);
  EXPECT_FALSE(snapshot->log_segment().checkpoint_version.has_value());
  EXPECT_EQ(FilePaths(*snapshot), (std::vector<std::string>{"a", "b"}));
}

TEST(SnapshotTest, KeepsColumnMappingMetadataInSchema) {
  auto snapshot = MustLoad(Corpus("delta-kernel-rs/data/partition_cm/name"));
  ASSERT_NE(snapshot, nullptr);
  ASSERT_NE(snapshot->schema(), nullptr);
  const Field& field = snapshot->schema()->field(0);
  EXPECT_TRUE(field.GetMetadata("delta.columnMapping.physicalName").has_value());
  EXPECT_TRUE(field.GetMetadata("delta.columnMapping.id").has_value());
}

TEST(SnapshotTest, UnsupportedFeaturesLoadButFailReadSupport) {
  auto snapshot = MustLoad(Corpus("delta-rs/data_err_logs/table_d"));
  ASSERT_NE(snapshot, nullptr);
  Status status = CheckReadSupported(snapshot->protocol());
  EXPECT_TRUE(status.IsNotImplemented());
  EXPECT_NE(status.message().find("catalogOwned"), std::string::npos) << status.message();
}

TEST(SnapshotTest, ReadsDomainMetadataFromCheckpoint) {
  auto snapshot = MustLoad(Corpus("delta-rs/table-with-domain-metadata"));
  ASSERT_NE(snapshot, nullptr);
  ASSERT_EQ(snapshot->domain_metadata().size(), 3u);
  EXPECT_EQ(snapshot->domain_metadata()[0].domain, "com.databricks.liquid");
  EXPECT_EQ(snapshot->domain_metadata()[1].domain, "delta.clustering");
  EXPECT_NE(snapshot->domain_metadata()[1].configuration.find("clusteringColumns"),
            std::string::npos);
}

TEST(SnapshotTest, ReconcilesAppTransactions) {
  for (const char* table :
       {"delta-kernel-rs/data/app-txn-checkpoint", "delta-kernel-rs/data/app-txn-no-checkpoint"}) {
    auto snapshot = MustLoad(Corpus(table));
    ASSERT_NE(snapshot, nullptr);
    ASSERT_EQ(snapshot->transactions().size(), 2u) << table;
    EXPECT_EQ(snapshot->TransactionVersion("my-app"), 3);
    EXPECT_EQ(snapshot->TransactionVersion("my-app2"), 2);
  }
  auto snapshot = MustLoad(Corpus("delta-kernel-rs/data/app-txn-with-last-updated"));
  ASSERT_NE(snapshot, nullptr);
  ASSERT_EQ(snapshot->transactions().size(), 4u);
  EXPECT_EQ(snapshot->transactions()[1].app_id, "new_app_1");
  EXPECT_EQ(snapshot->transactions()[1].last_updated, 1000);
  EXPECT_FALSE(snapshot->transactions()[0].last_updated.has_value());
}

}  // namespace
}  // namespace arcflow::delta
