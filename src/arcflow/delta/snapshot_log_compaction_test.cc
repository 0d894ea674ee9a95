// Snapshot replay with log compaction files (`<x>.<y>.compacted.json`) and with hints in
// `_last_checkpoint`, on logs built by hand in a MemoryFileSystem.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "arcflow/delta/checkpoint_writer.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/log_test_util.h"
#include "arcflow/delta/snapshot.h"
#include "arcflow/io/memory_file_system.h"

namespace arcflow::delta {
namespace {

constexpr char kRoot[] = "/tables/t";
constexpr int64_t kStartMs = 1'700'000'000'000;
constexpr int64_t kCommitSpacingMs = 1000;

using testing::Add;
using testing::Info;
using testing::LegacyProtocol;
using testing::SimpleMetadata;

// A remove recent enough that its tombstone has not expired at any version of these logs.
RemoveFile Remove(std::string path) { return testing::Remove(std::move(path), kStartMs + 500); }

// What a snapshot says about the table, as text that two snapshots of the same version share
// however they were replayed (dataChange aside, which checkpoints clear).
std::string State(const Snapshot& snapshot) {
  std::string text = fmt::format("v{} protocol {}/{} metadata {}", snapshot.version(),
                                 snapshot.protocol().min_reader_version,
                                 snapshot.protocol().min_writer_version, snapshot.metadata().id);
  for (const auto& [key, value] : snapshot.metadata().configuration) {
    text += fmt::format(" {}={}", key, value);
  }
  text += "\nfiles:";
  for (const AddFile& add : snapshot.files()) {
    text += fmt::format(" {}({})", add.path, add.size);
    if (add.deletion_vector.has_value()) text += "+dv" + add.deletion_vector->UniqueId();
  }
  text += "\ntombstones:";
  for (const RemoveFile& remove : snapshot.tombstones()) text += " " + remove.path;
  text += "\ntxns:";
  for (const Transaction& txn : snapshot.transactions()) {
    text += fmt::format(" {}={}", txn.app_id, txn.version);
  }
  text += "\ndomains:";
  for (const DomainMetadata& domain : snapshot.domain_metadata()) {
    text += fmt::format(" {}={}", domain.domain, domain.configuration);
  }
  return text;
}

std::vector<std::string> BaseNames(const std::vector<std::string>& paths) {
  std::vector<std::string> names;
  for (const std::string& path : paths) names.emplace_back(io::BaseName(path));
  return names;
}

std::vector<std::string> CommitNames(std::initializer_list<int64_t> versions) {
  std::vector<std::string> names;
  for (int64_t version : versions) names.push_back(CommitFileName(version));
  return names;
}

// Actions after Action Reconciliation (PROTOCOL.md): the last action for each logical file,
// application id and domain, the last protocol and metadata, and no commitInfo.
std::vector<Action> Reconcile(const std::vector<std::vector<Action>>& commits) {
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::map<std::string, Action> files;
  std::map<std::string, Transaction> txns;
  std::map<std::string, DomainMetadata> domains;
  auto key = [](const std::string& path, const std::optional<DeletionVectorDescriptor>& dv) {
    return dv.has_value() ? path + "\n" + dv->UniqueId() : path;
  };
  for (const std::vector<Action>& commit : commits) {
    for (const Action& action : commit) {
      if (const auto* add = std::get_if<AddFile>(&action)) {
        files.insert_or_assign(key(add->path, add->deletion_vector), action);
      } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
        files.insert_or_assign(key(remove->path, remove->deletion_vector), action);
      } else if (const auto* txn = std::get_if<Transaction>(&action)) {
        txns.insert_or_assign(txn->app_id, *txn);
      } else if (const auto* domain = std::get_if<DomainMetadata>(&action)) {
        domains.insert_or_assign(domain->domain, *domain);
      } else if (const auto* value = std::get_if<Protocol>(&action)) {
        protocol = *value;
      } else if (const auto* value = std::get_if<Metadata>(&action)) {
        metadata = *value;
      }
    }
  }
  std::vector<Action> actions;
  if (protocol.has_value()) actions.push_back(*protocol);
  if (metadata.has_value()) actions.push_back(*metadata);
  for (const auto& [app_id, txn] : txns) actions.push_back(txn);
  for (const auto& [name, domain] : domains) actions.push_back(domain);
  // Removes before adds: a reader must not depend on the order.
  for (const auto& [file, action] : files) {
    if (std::holds_alternative<RemoveFile>(action)) actions.push_back(action);
  }
  for (const auto& [file, action] : files) {
    if (std::holds_alternative<AddFile>(action)) actions.push_back(action);
  }
  return actions;
}

// A table whose `_delta_log/` is written file by file in memory. Commit N is written at
// kStartMs + N seconds; compaction files hold the reconciled actions of the commits written
// so far (or any content given).
class MemoryLog {
 public:
  MemoryLog() : fs_(io::MemoryFileSystem::Make()) {
    fs_->SetTimeMs(kStartMs);
    EXPECT_TRUE(fs_->CreateDirectories(LogDirectory(kRoot)).ok());
  }

  const std::shared_ptr<io::MemoryFileSystem>& fs() const { return fs_; }

  void Commit(int64_t version, std::vector<Action> actions) {
    if (commits_.size() <= static_cast<size_t>(version)) commits_.resize(version + 1);
    commits_[version] = actions;
    fs_->SetTimeMs(CommitTimeMs(version));
    Write(CommitFileName(version), SerializeCommit(actions));
  }

  static int64_t CommitTimeMs(int64_t version) { return kStartMs + version * kCommitSpacingMs; }

  // Writes the reconciled compaction file of commits start..end.
  void Compact(int64_t start, int64_t end) {
    std::vector<std::vector<Action>> range(commits_.begin() + start, commits_.begin() + end + 1);
    Write(CompactionFileName(start, end), SerializeCommit(Reconcile(range)));
  }

  void Write(const std::string& name, const std::string& content) {
    auto file = fs_->OpenWritable(io::JoinPath(LogDirectory(kRoot), name));
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)->Append(content).ok());
    ASSERT_TRUE((*file)->Close().ok());
  }

  void Delete(const std::string& name) {
    ASSERT_TRUE(fs_->DeleteFile(io::JoinPath(LogDirectory(kRoot), name)).ok()) << name;
  }

  void Checkpoint(int64_t version) {
    auto snapshot = Load(AtVersion(version));
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    auto written = WriteCheckpoint(**snapshot);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }

  Result<std::shared_ptr<const Snapshot>> Load(SnapshotOptions options = {}) const {
    return Snapshot::Load(fs_, kRoot, options);
  }

  std::shared_ptr<const Snapshot> MustLoad(SnapshotOptions options = {}) const {
    auto snapshot = Load(options);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    return snapshot.ok() ? *snapshot : nullptr;
  }

  // The state at `version` replayed from the commits alone, in a log without compaction files
  // or checkpoints, written at the same times.
  std::string Reference(int64_t version) const {
    MemoryLog plain;
    for (int64_t v = 0; v <= version; ++v) plain.Commit(v, commits_[v]);
    auto snapshot = plain.MustLoad();
    return snapshot != nullptr ? State(*snapshot) : "(no reference)";
  }

  static SnapshotOptions AtVersion(int64_t version) {
    SnapshotOptions options;
    options.version = version;
    return options;
  }

 private:
  std::shared_ptr<io::MemoryFileSystem> fs_;
  std::vector<std::vector<Action>> commits_;
};

// Ten commits that add, remove and re-add files and move txn and domain state, so that a
// compaction file of any range has removes, adds and replaced state in it.
void WriteTenCommits(MemoryLog& log, StringMap configuration = {}) {
  log.Commit(0, {Info("CREATE"), LegacyProtocol(), SimpleMetadata(configuration), Add("a")});
  log.Commit(1, {Info("WRITE"), Add("b"), Transaction{"app", 1, std::nullopt}});
  log.Commit(2, {Info("DELETE"), Remove("a"), Add("c")});
  log.Commit(3, {Info("WRITE"), Add("d"), Transaction{"app", 2, std::nullopt},
                 DomainMetadata{"user.d", "{\"v\":1}", false}});
  log.Commit(4, {Info("OPTIMIZE"), Remove("b"), Remove("c"), Add("bc", 2)});
  log.Commit(5, {Info("WRITE"), Add("a", 7), DomainMetadata{"user.d", "{\"v\":2}", false}});
  // A DELETE that removes file d and puts a deletion vector on bc: the remove of bc without a
  // vector and the add of bc with one are two logical files.
  DeletionVectorDescriptor dv;
  dv.storage_type = 'i';
  dv.path_or_inline_dv = "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L";
  dv.size_in_bytes = 40;
  dv.cardinality = 2;
  AddFile bc_with_dv = Add("bc", 2);
  bc_with_dv.deletion_vector = dv;
  log.Commit(6, {Info("DELETE"), Remove("d"), Remove("bc"), bc_with_dv,
                 Transaction{"other", 9, std::nullopt}});
  log.Commit(7, {Info("WRITE"), Add("e"), DomainMetadata{"user.d", "{}", true}});
  log.Commit(8, {Info("SET TBLPROPERTIES"), SimpleMetadata({{"k", "v"}})});
  log.Commit(9, {Info("WRITE"), Add("f"), Remove("e")});
}

TEST(LogCompactionTest, ReplayUsesACompactionFileForItsRange) {
  MemoryLog log;
  WriteTenCommits(log);
  log.Compact(2, 6);
  auto snapshot = log.MustLoad();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(BaseNames(snapshot->log_segment().compaction_files),
            std::vector<std::string>{CompactionFileName(2, 6)});
  EXPECT_EQ(BaseNames(snapshot->log_segment().commit_files), CommitNames({0, 1, 7, 8, 9}));
  EXPECT_EQ(State(*snapshot), log.Reference(9));
  // The version a compaction file ends at uses it too; its time is its commit's.
  auto at_six = log.MustLoad(MemoryLog::AtVersion(6));
  ASSERT_NE(at_six, nullptr);
  EXPECT_EQ(BaseNames(at_six->log_segment().compaction_files),
            std::vector<std::string>{CompactionFileName(2, 6)});
  EXPECT_EQ(BaseNames(at_six->log_segment().commit_files), CommitNames({0, 1}));
  EXPECT_EQ(State(*at_six), log.Reference(6));
  EXPECT_EQ(at_six->timestamp_ms(), MemoryLog::CommitTimeMs(6));
}

TEST(LogCompactionTest, TimeTravelInsideTheRangeReplaysTheCommits) {
  MemoryLog log;
  WriteTenCommits(log);
  log.Compact(2, 6);
  for (int64_t version = 2; version <= 5; ++version) {
    SCOPED_TRACE(version);
    auto snapshot = log.MustLoad(MemoryLog::AtVersion(version));
    ASSERT_NE(snapshot, nullptr);
    EXPECT_TRUE(snapshot->log_segment().compaction_files.empty());
    EXPECT_EQ(snapshot->log_segment().commit_files.size(), static_cast<size_t>(version + 1));
    EXPECT_EQ(State(*snapshot), log.Reference(version));
    EXPECT_EQ(snapshot->timestamp_ms(), MemoryLog::CommitTimeMs(version));
  }
  // By timestamp too: half a second after commit 4 is version 4.
  SnapshotOptions at_time;
  at_time.timestamp_ms = MemoryLog::CommitTimeMs(4) + 500;
  auto by_time = log.MustLoad(at_time);
  ASSERT_NE(by_time, nullptr);
  EXPECT_EQ(by_time->version(), 4);
  EXPECT_TRUE(by_time->log_segment().compaction_files.empty());
  EXPECT_EQ(State(*by_time), log.Reference(4));
}

TEST(LogCompactionTest, OverlappingCompactionFilesNeverOverlapInAReplay) {
  MemoryLog log;
  WriteTenCommits(log);
  log.Compact(1, 3);
  log.Compact(1, 6);
  log.Compact(2, 8);
  log.Compact(4, 7);
  log.Compact(7, 9);
  // Latest: the fewest files win. Commit 0, then 1..6 and 7..9, is three files; the widest
  // file, 2..8, would need commits 0, 1 and 9 besides.
  auto latest = log.MustLoad();
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(BaseNames(latest->log_segment().compaction_files),
            (std::vector<std::string>{CompactionFileName(1, 6), CompactionFileName(7, 9)}));
  EXPECT_EQ(BaseNames(latest->log_segment().commit_files), CommitNames({0}));
  EXPECT_EQ(State(*latest), log.Reference(9));
  // At 8, 7..9 is too new: commits 0 and 1, then 2..8, is the fewest.
  auto at_eight = log.MustLoad(MemoryLog::AtVersion(8));
  ASSERT_NE(at_eight, nullptr);
  EXPECT_EQ(BaseNames(at_eight->log_segment().compaction_files),
            std::vector<std::string>{CompactionFileName(2, 8)});
  EXPECT_EQ(BaseNames(at_eight->log_segment().commit_files), CommitNames({0, 1}));
  EXPECT_EQ(State(*at_eight), log.Reference(8));
  // Every version: the files used cover each version once, in order, and give the state the
  // commits give.
  for (int64_t version = 0; version <= 9; ++version) {
    SCOPED_TRACE(version);
    auto snapshot = log.MustLoad(MemoryLog::AtVersion(version));
    ASSERT_NE(snapshot, nullptr);
    std::map<int64_t, int64_t> ranges;  // start -> end
    for (const std::string& path : snapshot->log_segment().commit_files) {
      auto name = ParseLogFileName(io::BaseName(path));
      ranges.emplace(name->version, name->version);
    }
    for (const std::string& path : snapshot->log_segment().compaction_files) {
      auto name = ParseLogFileName(io::BaseName(path));
      EXPECT_TRUE(ranges.emplace(name->version, name->end_version).second);
    }
    int64_t next = 0;
    for (const auto& [start, end] : ranges) {
      EXPECT_EQ(start, next);
      next = end + 1;
    }
    EXPECT_EQ(next, version + 1);
    EXPECT_EQ(State(*snapshot), log.Reference(version));
  }
}

TEST(LogCompactionTest, CompactionFilesAfterACheckpoint) {
  MemoryLog log;
  WriteTenCommits(log);
  log.Checkpoint(3);
  log.Compact(0, 2);  // Before the checkpoint: never used.
  log.Compact(2, 5);  // Straddles the checkpoint: never used.
  log.Compact(4, 7);
  auto latest = log.MustLoad();
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->log_segment().checkpoint_version, 3);
  EXPECT_EQ(BaseNames(latest->log_segment().compaction_files),
            std::vector<std::string>{CompactionFileName(4, 7)});
  EXPECT_EQ(BaseNames(latest->log_segment().commit_files), CommitNames({8, 9}));
  EXPECT_EQ(State(*latest), log.Reference(9));
  // Before the checkpoint, a compaction file from version 0 serves.
  auto at_two = log.MustLoad(MemoryLog::AtVersion(2));
  ASSERT_NE(at_two, nullptr);
  EXPECT_FALSE(at_two->log_segment().checkpoint_version.has_value());
  EXPECT_EQ(BaseNames(at_two->log_segment().compaction_files),
            std::vector<std::string>{CompactionFileName(0, 2)});
  EXPECT_TRUE(at_two->log_segment().commit_files.empty());
  EXPECT_EQ(State(*at_two), log.Reference(2));
  // A newer checkpoint inside a compaction file's range leaves the file out.
  log.Checkpoint(5);
  auto after = log.MustLoad();
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->log_segment().checkpoint_version, 5);
  EXPECT_TRUE(after->log_segment().compaction_files.empty());
  EXPECT_EQ(BaseNames(after->log_segment().commit_files), CommitNames({6, 7, 8, 9}));
  EXPECT_EQ(State(*after), log.Reference(9));
}

TEST(LogCompactionTest, CompactionFileStandsInForCleanedUpCommits) {
  MemoryLog log;
  WriteTenCommits(log);
  log.Compact(0, 4);
  log.Compact(5, 7);
  for (int64_t version = 0; version <= 7; ++version) log.Delete(CommitFileName(version));
  auto latest = log.MustLoad();
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(BaseNames(latest->log_segment().compaction_files),
            (std::vector<std::string>{CompactionFileName(0, 4), CompactionFileName(5, 7)}));
  EXPECT_EQ(BaseNames(latest->log_segment().commit_files), CommitNames({8, 9}));
  EXPECT_EQ(State(*latest), log.Reference(9));
  // The version a compaction file ends at loads, its time the compaction file's.
  auto at_seven = log.MustLoad(MemoryLog::AtVersion(7));
  ASSERT_NE(at_seven, nullptr);
  EXPECT_EQ(State(*at_seven), log.Reference(7));
  EXPECT_EQ(at_seven->timestamp_ms(), MemoryLog::CommitTimeMs(9));
  // Versions inside the ranges are gone with their commits.
  auto at_six = log.Load(MemoryLog::AtVersion(6));
  ASSERT_FALSE(at_six.ok());
  EXPECT_TRUE(at_six.status().IsCorruption()) << at_six.status().ToString();
  EXPECT_NE(at_six.status().message().find("version 5 is missing"), std::string::npos)
      << at_six.status().message();
  // Versions before the first compaction file's end are not available at all.
  auto at_two = log.Load(MemoryLog::AtVersion(2));
  ASSERT_FALSE(at_two.ok());
  EXPECT_TRUE(at_two.status().IsInvalid()) << at_two.status().ToString();
  EXPECT_NE(at_two.status().message().find("versions 4..9"), std::string::npos)
      << at_two.status().message();
  // History lists the commits left.
  auto history = ReadHistory(log.fs(), kRoot);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 9);
  EXPECT_EQ((*history)[1].version, 8);
}

TEST(LogCompactionTest, UnusableCompactionFilesFallBackToTheCommits) {
  MemoryLog log;
  WriteTenCommits(log);
  // Not reconciled: the commits 1..3 one after the other, so "app" has two txn actions.
  log.Write(CompactionFileName(1, 3),
            SerializeCommit({Add("b"), Transaction{"app", 1, std::nullopt}, Remove("a"), Add("c"),
                             Add("d"), Transaction{"app", 2, std::nullopt}}));
  // Two actions for one file: newest first, as if commits 4 and 5 were concatenated backwards.
  log.Write(CompactionFileName(4, 5), SerializeCommit({Add("a", 7), Remove("b"), Add("b")}));
  // A commitInfo, which reconciliation drops.
  log.Write(CompactionFileName(6, 7), SerializeCommit({Info("WRITE"), Remove("d"), Add("e")}));
  // Not JSON.
  log.Write(CompactionFileName(8, 9), "{\"add\":");
  auto latest = log.MustLoad();
  ASSERT_NE(latest, nullptr);
  EXPECT_TRUE(latest->log_segment().compaction_files.empty());
  EXPECT_EQ(latest->log_segment().commit_files.size(), 10u);
  EXPECT_EQ(State(*latest), log.Reference(9));

  // A valid, wider file is still used even when a narrower one inside it is not.
  log.Compact(0, 5);
  latest = log.MustLoad();
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(BaseNames(latest->log_segment().compaction_files),
            std::vector<std::string>{CompactionFileName(0, 5)});
  EXPECT_EQ(State(*latest), log.Reference(9));

  // With its commits gone, an unusable compaction file is an error that says why.
  log.Delete(CommitFileName(6));
  log.Delete(CommitFileName(7));
  auto broken = log.Load();
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(broken.status().IsCorruption()) << broken.status().ToString();
  EXPECT_NE(broken.status().message().find("version 6 is missing"), std::string::npos)
      << broken.status().message();
  EXPECT_NE(broken.status().message().find("commitInfo"), std::string::npos)
      << broken.status().message();
}

TEST(LogCompactionTest, InCommitTimestampsAndHistoryComeFromTheCommits) {
  MemoryLog log;
  StringMap ict = {{"delta.enableInCommitTimestamps", "true"}};
  Protocol protocol;
  protocol.min_reader_version = 3;
  protocol.min_writer_version = 7;
  protocol.reader_features = std::vector<std::string>{};
  protocol.writer_features = std::vector<std::string>{"inCommitTimestamp"};
  // In-commit timestamps far from the files' modification times.
  auto ict_of = [](int64_t version) { return int64_t{1'000'000} + version * 10; };
  log.Commit(0, {Info("CREATE", ict_of(0)), protocol, SimpleMetadata(ict), Add("a")});
  for (int64_t version = 1; version <= 5; ++version) {
    log.Commit(version, {Info("WRITE", ict_of(version)), Add(fmt::format("f{}", version))});
  }
  log.Compact(1, 5);
  auto latest = log.MustLoad();
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(BaseNames(latest->log_segment().compaction_files),
            std::vector<std::string>{CompactionFileName(1, 5)});
  // The compaction file has no commitInfo: the time is read from commit 5.
  EXPECT_EQ(latest->timestamp_ms(), ict_of(5));
  // Time travel by timestamp reads the commits' in-commit timestamps.
  SnapshotOptions at_time;
  at_time.timestamp_ms = ict_of(3) + 5;
  auto by_time = log.MustLoad(at_time);
  ASSERT_NE(by_time, nullptr);
  EXPECT_EQ(by_time->version(), 3);
  EXPECT_EQ(by_time->timestamp_ms(), ict_of(3));
  EXPECT_EQ(State(*by_time), log.Reference(3));
  // History has every commit with its commitInfo.
  auto history = ReadHistory(log.fs(), kRoot);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 6u);
  for (const HistoryEntry& entry : *history) {
    EXPECT_EQ(entry.timestamp_ms, ict_of(entry.version));
    EXPECT_EQ(entry.commit_info.operation, entry.version == 0 ? "CREATE" : "WRITE");
  }
}

// `_last_checkpoint` is not read: the listing of the whole log (needed anyway for the commits
// after the checkpoint) already shows the newest checkpoint, so a stale, corrupt or lying hint
// cannot change what a load finds.
TEST(LastCheckpointHintTest, StaleOrCorruptHintsDoNotChangeTheAnswer) {
  MemoryLog log;
  WriteTenCommits(log);
  log.Checkpoint(3);
  log.Checkpoint(6);
  const std::string expected = log.Reference(9);
  const std::vector<std::string> hints = {
      // Stale: names the older checkpoint.
      R"({"version":3,"size":8})",
      // Names a checkpoint that is not there, newer than the log.
      R"({"version":40,"size":8,"parts":2})",
      // Names a version with no checkpoint, inside the log.
      R"({"version":8,"size":8})",
      // Corrupt.
      "{\"version\":",
      "",
  };
  for (const std::string& hint : hints) {
    SCOPED_TRACE(hint);
    log.Write(std::string(kLastCheckpointFileName), hint);
    auto snapshot = log.MustLoad();
    ASSERT_NE(snapshot, nullptr);
    EXPECT_EQ(snapshot->version(), 9);
    EXPECT_EQ(snapshot->log_segment().checkpoint_version, 6);
    EXPECT_EQ(State(*snapshot), expected);
  }
  // A hint naming the newest checkpoint after that checkpoint is gone: the older one serves.
  log.Write(std::string(kLastCheckpointFileName), R"({"version":6,"size":8})");
  log.Delete(CheckpointFileName(6));
  auto snapshot = log.MustLoad();
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(snapshot->log_segment().checkpoint_version, 3);
  EXPECT_EQ(State(*snapshot), expected);
}

}  // namespace
}  // namespace arcflow::delta
