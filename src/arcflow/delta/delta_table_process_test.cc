// Writers in separate processes racing on one table on the local file system: the commits of
// every process land exactly once, no row is lost, and the checkpoints written during the race
// agree with the log. The children are forked from the test before any thread is started in
// them, do their work through the library alone (no gtest calls), and report by exit status
// and a file the parent reads.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "arcflow/delta/delta_table.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/maintenance_test_util.h"
#include "arcflow/delta/merge.h"
#include "arcflow/io/atomic_publish.h"
#include "arcflow/io/io_test_util.h"

namespace arcflow::delta {
namespace {

using testing::Ddl;
using testing::MakeRows;

SchemaPtr RowSchema() { return Ddl("id BIGINT, part STRING, round BIGINT"); }

// An append of writer w's commit i holds the one row id = w * 1000 + i.
int64_t RowId(int writer, int commit) { return writer * 1000 + commit; }
std::string WriterApp(int writer) { return fmt::format("writer-{}", writer); }

TransactionOptions RacingOptions() {
  TransactionOptions options;
  // Short backoffs keep the race tight; the default attempt limit (1000) is far above what
  // five processes lose in a row.
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(20);
  return options;
}

// Children of the test process, started together: each blocks on a pipe until Release().
class Children {
 public:
  Children() { EXPECT_EQ(pipe(gate_), 0); }
  ~Children() {
    Release();
    for (pid_t pid : pids_) waitpid(pid, nullptr, 0);
  }

  // Forks a child that waits for the release, runs `body` and _exits with its result (0 for
  // success), so that nothing of gtest runs in the child.
  void Spawn(const std::function<int()>& body) {
    fflush(nullptr);
    pid_t pid = fork();
    ASSERT_GE(pid, 0) << "fork failed";
    if (pid == 0) {
      close(gate_[1]);
      char byte;
      while (read(gate_[0], &byte, 1) < 0) {
      }
      int code = body();
      fflush(nullptr);
      _exit(code);
    }
    pids_.push_back(pid);
  }

  // Lets every child start (they read end-of-file).
  void Release() {
    if (gate_[1] >= 0) {
      close(gate_[1]);
      close(gate_[0]);
      gate_[1] = -1;
    }
  }

  // Waits for every child; their exit statuses, in spawn order (-1 for a signal).
  std::vector<int> Wait() {
    Release();
    std::vector<int> codes;
    for (pid_t pid : pids_) {
      int status = 0;
      waitpid(pid, &status, 0);
      codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    pids_.clear();
    return codes;
  }

 private:
  int gate_[2] = {-1, -1};
  std::vector<pid_t> pids_;
};

// A child's failure: printed for the test log, returned as its exit status.
int Fail(int code, const std::string& what, const Status& status) {
  fprintf(stderr, "child %d: %s: %s\n", static_cast<int>(getpid()), what.c_str(),
          status.ToString().c_str());
  return code;
}

// Child body: `commits` appends of one row each through DeltaTable, each with the txn
// (writer-<w>, i + 1); writes "<i> <version>" per commit to `report`.
int AppendCommits(const std::string& root, int writer, int commits, const std::string& report) {
  auto table = DeltaTable::Open(io::LocalFileSystem(), root, RacingOptions());
  if (!table.ok()) return Fail(10, "open", table.status());
  std::ofstream out(report);
  for (int i = 0; i < commits; ++i) {
    WriteOptions options;
    options.txn = WriteTxn{WriterApp(writer), i + 1};
    auto batch = MakeRows(RowSchema(), {{std::to_string(RowId(writer, i)),
                                         fmt::format("p{}", writer), std::string("0")}});
    auto written = (*table)->Append({batch}, options);
    if (!written.ok()) return Fail(11, fmt::format("append {}", i), written.status());
    if (!written->commit.has_value()) {
      return Fail(12, fmt::format("append {}", i), Status::Invalid("skipped as a duplicate"));
    }
    if (!written->commit->post_commit_status.ok()) {
      return Fail(13, fmt::format("after append {}", i), written->commit->post_commit_status);
    }
    out << i << " " << written->commit->version << "\n";
  }
  out.close();
  return out.good() ? 0 : 14;
}

// The keys every MERGE upserts: kMergeKeys rows updated by every round of every merger, plus
// one new row per round and merger.
constexpr int64_t kMergeKeyBase = 900000;
constexpr int kMergeKeys = 10;
constexpr int64_t kMergeInsertBase = 910000;

// What merger m's round r writes into the `round` column.
int64_t MergeValue(int merger, int round) { return merger * 100 + round; }
int64_t MergeInsertKey(int merger, int round) { return kMergeInsertBase + merger * 1000 + round; }

// Child body: `rounds` MERGEs by merger `merger`; round r sets `round` to MergeValue(merger, r)
// on the kMergeKeys shared keys and inserts key MergeInsertKey(merger, r). A MERGE that fails
// with Conflict (another merger rewrote the files it read) is retried on a fresh snapshot.
// Writes "<round> <version> <conflicts>" per round to `report`.
int MergeRounds(const std::string& root, int merger, int rounds, const std::string& report) {
  auto fs = io::LocalFileSystem();
  std::ofstream out(report);
  MergeOptions options;
  options.key_columns = {"id"};
  for (int round = 1; round <= rounds; ++round) {
    std::string value = std::to_string(MergeValue(merger, round));
    std::vector<testing::Row> rows;
    for (int k = 0; k < kMergeKeys; ++k) {
      rows.push_back({std::to_string(kMergeKeyBase + k), std::string("m"), value});
    }
    rows.push_back({std::to_string(MergeInsertKey(merger, round)), std::string("m"), value});
    auto source = MakeRows(RowSchema(), rows);
    int conflicts = 0;
    while (true) {
      auto snapshot = Snapshot::Load(fs, root);
      if (!snapshot.ok()) return Fail(20, "load", snapshot.status());
      auto merged = Merge(*snapshot, {source}, options, RacingOptions());
      if (merged.ok()) {
        if (!merged->commit.has_value()) {
          return Fail(21, fmt::format("merge {}", round), Status::Invalid("committed nothing"));
        }
        if (!merged->commit->post_commit_status.ok()) {
          return Fail(22, fmt::format("after merge {}", round), merged->commit->post_commit_status);
        }
        out << round << " " << merged->commit->version << " " << conflicts << "\n";
        break;
      }
      if (!merged.status().IsConflict() || ++conflicts > 200) {
        return Fail(23, fmt::format("merge {}", round), merged.status());
      }
    }
  }
  out.close();
  return out.good() ? 0 : 24;
}

// Lines of whitespace-separated integers.
std::vector<std::vector<int64_t>> ReadReport(const std::string& path) {
  std::vector<std::vector<int64_t>> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<int64_t> values;
    int64_t value;
    while (fields >> value) values.push_back(value);
    lines.push_back(std::move(values));
  }
  return lines;
}

std::string JsonRow(int64_t id, const std::string& part, int64_t round) {
  return fmt::format(R"({{"id":{},"part":"{}","round":{}}})", id, part, round);
}

// Everything a snapshot says, for comparing two replays of one version (dataChange aside,
// which checkpoints clear).
std::string State(const Snapshot& snapshot) {
  std::string text =
      fmt::format("v{} {} {} {}", snapshot.version(), snapshot.metadata().id,
                  snapshot.metadata().schema_string, snapshot.protocol().min_writer_version);
  for (const AddFile& add : snapshot.files()) {
    text += fmt::format("\nadd {} {} {}", add.path, add.size, add.stats.value_or(""));
    for (const auto& [column, value] : add.partition_values) {
      text += " " + column + "=" + value.value_or("null");
    }
  }
  for (const RemoveFile& remove : snapshot.tombstones()) text += "\nremove " + remove.path;
  for (const Transaction& txn : snapshot.transactions()) {
    text += fmt::format("\ntxn {} {}", txn.app_id, txn.version);
  }
  return text;
}

// Checks the log of the table after the race: commits 0..`latest` all there and parsing, no
// other versions, and every checkpoint equal to replaying the commits up to it. Returns the
// parsed commits.
std::vector<std::vector<Action>> CheckLog(const std::string& root, int64_t latest) {
  auto local = io::LocalFileSystem();
  auto listed = ListLog(*local, root);
  EXPECT_TRUE(listed.ok()) << listed.status().ToString();
  if (!listed.ok()) return {};
  std::vector<std::vector<Action>> commits(static_cast<size_t>(latest + 1));
  std::vector<bool> seen(static_cast<size_t>(latest + 1), false);
  std::vector<int64_t> checkpoints;
  // The commits alone, in memory, to replay without any checkpoint.
  auto commits_only = io::MemoryFileSystem::Make();
  EXPECT_TRUE(commits_only->CreateDirectories(LogDirectory(root)).ok());
  for (const LogFile& file : *listed) {
    if (file.name.kind == LogFileKind::kCheckpoint) checkpoints.push_back(file.name.version);
    if (file.name.kind != LogFileKind::kCommit) continue;
    int64_t version = file.name.version;
    EXPECT_LE(version, latest) << file.info.path;
    if (version > latest) continue;
    auto contents = local->ReadFile(file.info.path);
    EXPECT_TRUE(contents.ok()) << contents.status().ToString();
    if (!contents.ok()) continue;
    std::string_view text(reinterpret_cast<const char*>((*contents)->data()),
                          static_cast<size_t>((*contents)->size()));
    auto parsed = ParseCommit(text, file.info.path);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) commits[static_cast<size_t>(version)] = std::move(*parsed);
    seen[static_cast<size_t>(version)] = true;
    EXPECT_TRUE(
        io::PublishFile(commits_only, file.info.path, text, io::PublishMode::kIfAbsent).ok());
  }
  for (int64_t version = 0; version <= latest; ++version) {
    EXPECT_TRUE(seen[static_cast<size_t>(version)]) << "commit " << version << " is missing";
  }
  // A checkpoint after every 10th version (delta.checkpointInterval's default), each the same
  // table as the commits up to it.
  std::vector<int64_t> expected_checkpoints;
  for (int64_t version = 10; version <= latest; version += 10) {
    expected_checkpoints.push_back(version);
  }
  EXPECT_EQ(checkpoints, expected_checkpoints);
  for (int64_t version : checkpoints) {
    SnapshotOptions at;
    at.version = version;
    auto from_checkpoint = Snapshot::Load(local, root, at);
    auto from_commits = Snapshot::Load(commits_only, root, at);
    EXPECT_TRUE(from_checkpoint.ok()) << from_checkpoint.status().ToString();
    EXPECT_TRUE(from_commits.ok()) << from_commits.status().ToString();
    if (!from_checkpoint.ok() || !from_commits.ok()) continue;
    EXPECT_EQ((*from_checkpoint)->log_segment().checkpoint_version, version);
    EXPECT_FALSE((*from_commits)->log_segment().checkpoint_version.has_value());
    EXPECT_EQ(State(**from_checkpoint), State(**from_commits)) << "checkpoint " << version;
  }
  return commits;
}

// The one txn of a commit, or {"", -1}.
Transaction TxnOf(const std::vector<Action>& commit) {
  for (const Action& action : commit) {
    if (const auto* txn = std::get_if<Transaction>(&action)) return *txn;
  }
  return Transaction{"", -1, std::nullopt};
}

std::string OperationOf(const std::vector<Action>& commit) {
  for (const Action& action : commit) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) return info->operation.value_or("");
  }
  return "";
}

void CreateTable(const std::string& root) {
  CreateTableOptions create;
  create.schema = RowSchema();
  create.partition_columns = {"part"};
  auto table = DeltaTable::Create(io::LocalFileSystem(), root, create, RacingOptions());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
}

// The issue's case: 4 processes × 100 appends. Every commit is present exactly once (versions
// 1..400, one per (writer, commit), each holding that commit's txn), every row is there once,
// and the checkpoints written during the race equal replaying the log.
TEST(DeltaTableProcessTest, FourProcessesAppendHundredCommitsEach) {
  constexpr int kWriters = 4;
  constexpr int kCommits = 100;
  io::ScratchDirectory scratch;
  const std::string root = scratch.Join("table");
  CreateTable(root);
  {
    Children children;
    for (int writer = 0; writer < kWriters; ++writer) {
      std::string report = scratch.Join(fmt::format("writer-{}.txt", writer));
      children.Spawn([=] { return AppendCommits(root, writer, kCommits, report); });
    }
    std::vector<int> codes = children.Wait();
    EXPECT_EQ(codes, std::vector<int>(kWriters, 0)) << "a writer failed (see its stderr above)";
  }
  constexpr int64_t kLatest = kWriters * kCommits;
  auto snapshot = Snapshot::Load(io::LocalFileSystem(), root);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), kLatest);

  std::vector<std::vector<Action>> commits = CheckLog(root, kLatest);
  ASSERT_EQ(commits.size(), static_cast<size_t>(kLatest + 1));
  // Each writer's report: its commit i landed at a version no one else holds, and that
  // version's commit is its append i (one add, the writer's txn).
  std::map<int64_t, std::pair<int, int>> owner;  // version -> (writer, commit)
  for (int writer = 0; writer < kWriters; ++writer) {
    auto report = ReadReport(scratch.Join(fmt::format("writer-{}.txt", writer)));
    ASSERT_EQ(report.size(), static_cast<size_t>(kCommits)) << "writer " << writer;
    for (const auto& line : report) {
      ASSERT_EQ(line.size(), 2u);
      int commit = static_cast<int>(line[0]);
      int64_t version = line[1];
      EXPECT_TRUE(owner.emplace(version, std::make_pair(writer, commit)).second)
          << "version " << version << " reported twice";
      ASSERT_GE(version, 1);
      ASSERT_LE(version, kLatest);
      const std::vector<Action>& actions = commits[static_cast<size_t>(version)];
      EXPECT_EQ(TxnOf(actions).app_id, WriterApp(writer)) << "version " << version;
      EXPECT_EQ(TxnOf(actions).version, commit + 1) << "version " << version;
      EXPECT_EQ(std::count_if(actions.begin(), actions.end(),
                              [](const Action& a) { return std::holds_alternative<AddFile>(a); }),
                1)
          << "version " << version;
    }
  }
  EXPECT_EQ(owner.size(), static_cast<size_t>(kLatest));
  for (int writer = 0; writer < kWriters; ++writer) {
    EXPECT_EQ((*snapshot)->TransactionVersion(WriterApp(writer)), kCommits);
  }
  // Every (writer, commit) row exactly once.
  std::vector<std::string> rows = testing::TableRows(*snapshot);
  std::vector<std::string> expected;
  for (int writer = 0; writer < kWriters; ++writer) {
    for (int i = 0; i < kCommits; ++i) {
      expected.push_back(JsonRow(RowId(writer, i), fmt::format("p{}", writer), 0));
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(rows, expected);
}

// Two processes running MERGEs on the same keys while two processes append: each MERGE
// commits, or fails with Conflict when the other merger rewrote the files it read and is
// retried; in the end every appended row is there once, every inserted key once, and the
// shared keys once each with the values of the MERGE committed last.
TEST(DeltaTableProcessTest, MergeProcessesRacingAppenders) {
  constexpr int kWriters = 2;
  constexpr int kCommits = 40;
  constexpr int kMergers = 2;
  constexpr int kRounds = 15;
  io::ScratchDirectory scratch;
  const std::string root = scratch.Join("table");
  CreateTable(root);
  {
    // The keys the MERGEs update, already in the table.
    auto table = DeltaTable::Open(io::LocalFileSystem(), root, RacingOptions());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    std::vector<testing::Row> seed;
    for (int k = 0; k < kMergeKeys; ++k) {
      seed.push_back({std::to_string(kMergeKeyBase + k), std::string("m"), std::string("0")});
    }
    ASSERT_TRUE((*table)->Append({MakeRows(RowSchema(), seed)}).ok());
  }
  {
    Children children;
    for (int writer = 0; writer < kWriters; ++writer) {
      std::string report = scratch.Join(fmt::format("writer-{}.txt", writer));
      children.Spawn([=] { return AppendCommits(root, writer, kCommits, report); });
    }
    for (int merger = 0; merger < kMergers; ++merger) {
      std::string report = scratch.Join(fmt::format("merger-{}.txt", merger));
      children.Spawn([=] { return MergeRounds(root, merger, kRounds, report); });
    }
    std::vector<int> codes = children.Wait();
    EXPECT_EQ(codes, std::vector<int>(kWriters + kMergers, 0))
        << "a child failed (see its stderr above)";
  }
  constexpr int64_t kLatest = 1 + kWriters * kCommits + kMergers * kRounds;
  auto snapshot = Snapshot::Load(io::LocalFileSystem(), root);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), kLatest);
  std::vector<std::vector<Action>> commits = CheckLog(root, kLatest);
  ASSERT_EQ(commits.size(), static_cast<size_t>(kLatest + 1));
  std::set<int64_t> versions;
  for (int writer = 0; writer < kWriters; ++writer) {
    for (const auto& line : ReadReport(scratch.Join(fmt::format("writer-{}.txt", writer)))) {
      ASSERT_EQ(line.size(), 2u);
      EXPECT_TRUE(versions.insert(line[1]).second);
      EXPECT_EQ(TxnOf(commits[static_cast<size_t>(line[1])]).app_id, WriterApp(writer));
    }
  }
  int64_t conflicts = 0;
  int64_t last_merge_version = -1;
  int64_t last_merge_value = 0;
  for (int merger = 0; merger < kMergers; ++merger) {
    auto merges = ReadReport(scratch.Join(fmt::format("merger-{}.txt", merger)));
    ASSERT_EQ(merges.size(), static_cast<size_t>(kRounds));
    for (const auto& line : merges) {
      ASSERT_EQ(line.size(), 3u);
      EXPECT_TRUE(versions.insert(line[1]).second);
      EXPECT_EQ(OperationOf(commits[static_cast<size_t>(line[1])]), "MERGE");
      conflicts += line[2];
      if (line[1] > last_merge_version) {
        last_merge_version = line[1];
        last_merge_value = MergeValue(merger, static_cast<int>(line[0]));
      }
    }
  }
  EXPECT_EQ(versions.size(), static_cast<size_t>(kLatest - 1));
  fprintf(stderr, "%d MERGEs committed after %lld conflicts\n", kMergers * kRounds,
          static_cast<long long>(conflicts));

  std::vector<std::string> expected;
  for (int writer = 0; writer < kWriters; ++writer) {
    for (int i = 0; i < kCommits; ++i) {
      expected.push_back(JsonRow(RowId(writer, i), fmt::format("p{}", writer), 0));
    }
  }
  for (int k = 0; k < kMergeKeys; ++k) {
    expected.push_back(JsonRow(kMergeKeyBase + k, "m", last_merge_value));
  }
  for (int merger = 0; merger < kMergers; ++merger) {
    for (int round = 1; round <= kRounds; ++round) {
      expected.push_back(JsonRow(MergeInsertKey(merger, round), "m", MergeValue(merger, round)));
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(testing::TableRows(*snapshot), expected);
}

}  // namespace
}  // namespace arcflow::delta
