#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/io/file_system.h"

namespace arcflow::io {

// The operations that change a file system, which FaultInjectingFileSystem counts and fails.
enum class Mutation {
  kOpenWritable,
  kAppend,
  kSync,
  kClose,
  kRename,
  kLinkIfAbsent,
  kDeleteFile,
  kCreateDirectories,
  kSyncDirectory,
  kDeleteDirectoryRecursively,
};

// "rename", "append", ...
std::string_view MutationName(Mutation mutation);

// A FileSystem that forwards to another one and fails chosen mutations, for crash and error
// tests of storage code (LevelDB's fault_injection_test.cc is the model). Reads are forwarded
// untouched, so a test can always inspect what a failure left behind.
//
// A typical crash test first runs the code under test once to count its mutations, then, for
// each point k in 1..count, runs it again on fresh storage with CrashAtMutation(k), calls
// DropUnsyncedData() to model the power loss, Disarm()s, and checks that recovery finds the
// old state or the new one, never a mix:
//
//   auto fs = FaultInjectingFileSystem::Make(MemoryFileSystem::Make());
//   fs->CrashAtMutation(k, "_delta_log/");
//   Status status = Commit(fs, ...);          // Fails from the k-th log mutation on.
//   ARCFLOW_RETURN_NOT_OK(fs->DropUnsyncedData());
//   fs->Disarm();
//   ... recover and check ...
//
// Numbering: mutations are numbered from 1 in the order they are attempted, counting failed
// ones; a plan counts only mutations whose path (either path, for Rename and LinkIfAbsent)
// contains its path filter, and counts from the call that arms it. A directory's path is
// matched as if it ended in '/', so "_delta_log/" also selects SyncDirectory(".../_delta_log").
// An injected failure happens before the operation reaches the wrapped file system, so a failed
// mutation changes nothing.
//
// Durability model, for DropUnsyncedData(). Since construction (or the last MarkDurable()):
//   - bytes appended to a file opened by OpenWritable are lost unless the file was Sync()ed
//     after them: the file is cut back to its size at its last Sync() (to empty if never);
//   - a file created by OpenWritable, a name added by LinkIfAbsent and a Rename of a file are
//     undone unless SyncDirectory() later ran on the parent directory of each name involved
//     (both parents for a rename): created files and links are deleted, renamed files move back
//     and a file the rename replaced gets its old contents back. Paths are compared as spelled,
//     with "" and "." both meaning the working directory, so spell a directory the same way
//     in SyncDirectory as in the paths below it (JoinPath and ParentPath do).
// Not modelled: deletions, CreateDirectories and directory renames count as durable at once
// (files below a renamed directory stay tracked under their new names), and a wrapped file
// system that loses data on its own (local disk) is not rolled back further.
//
// Thread-safe. Mutations are serialised (one runs at a time) so that the counts and the
// durability bookkeeping follow the order of the changes; reads run concurrently.
class FaultInjectingFileSystem final
    : public FileSystem,
      public std::enable_shared_from_this<FaultInjectingFileSystem> {
 public:
  static std::shared_ptr<FaultInjectingFileSystem> Make(std::shared_ptr<FileSystem> target);

  // Counters ---------------------------------------------------------------------------------

  // Mutations attempted since construction or ResetCounters(), including failed ones.
  int64_t mutation_count() const;
  // Those of them that a plan with this path filter would count.
  int64_t CountMutations(std::string_view path_substring) const;
  // One line per attempted mutation, e.g. "3 rename /t/.a.tmp -> /t/a (failed)". For messages.
  std::vector<std::string> mutation_log() const;
  // Failures injected since construction or ResetCounters().
  int64_t injected_failure_count() const;
  void ResetCounters();

  // Arming: each call replaces the previous plan and restarts its count ------------------------

  // Fails the n-th matching mutation with IOError "io: injected fault (...)"; others proceed.
  void FailMutation(int64_t n, std::string path_substring = "");
  // Lets mutations 1..n-1 through and "crashes" at the n-th matching one: it and every later
  // mutation, on any path, fail with IOError "io: injected crash (...)" until Disarm().
  void CrashAtMutation(int64_t n, std::string path_substring = "");
  // Fails each matching mutation with the given probability, drawn from a generator seeded with
  // `seed` so that a failing run can be replayed.
  void FailRandomly(double probability, uint64_t seed, std::string path_substring = "");
  // Crashes now: every later mutation fails until Disarm().
  void Crash();
  // Clears the plan and the crash; mutations succeed again.
  void Disarm();
  bool crashed() const;

  // Durability (see the model above) ---------------------------------------------------------

  // Rolls the wrapped file system back to what would have survived a power loss now. Works
  // whether or not the file system has crashed; does not count as mutations.
  Status DropUnsyncedData();
  // Treats everything done so far as durable: a later DropUnsyncedData() keeps it.
  void MarkDurable();

  // FileSystem ------------------------------------------------------------------------------
  Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) override;
  Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path) override;
  Result<FileInfo> GetFileInfo(const std::string& path) override;
  Result<std::vector<FileInfo>> ListDirectory(const std::string& directory) override;
  Status CreateDirectories(const std::string& directory) override;
  Status DeleteFile(const std::string& path) override;
  Status DeleteDirectoryRecursively(const std::string& directory) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status LinkIfAbsent(const std::string& from, const std::string& to) override;
  Status SyncDirectory(const std::string& directory) override;

 private:
  friend class FaultInjectingWritableFile;

  // How much of a file written through this wrapper is durable. Shared with its writer.
  struct WrittenFile {
    int64_t written = 0;
    int64_t synced = 0;
  };

  explicit FaultInjectingFileSystem(std::shared_ptr<FileSystem> target)
      : target_(std::move(target)) {}

  enum class Plan { kNone, kFailOnce, kCrash, kRandom };

  // A directory change that a power loss would revert until its directories are synced.
  struct Undo {
    enum class Kind { kRemove, kMoveBack };
    Kind kind;
    std::string path;           // The name that appeared.
    std::string original_path;  // kMoveBack: where the file came from.
    bool restore_replaced = false;
    std::string replaced_contents;           // kMoveBack: what `path` held before, if anything.
    std::set<std::string> unsynced_parents;  // Directories that still need a SyncDirectory.
  };

  // Logs a mutation and decides whether to fail it. REQUIRES: mutex_ is held.
  Status Admit(Mutation mutation, const std::string& path, const std::string& second_path = "");
  void Arm(Plan plan, int64_t n, std::string path_substring, double probability, uint64_t seed);

  std::shared_ptr<FileSystem> target_;

  // Guards everything below and is held through each mutation.
  mutable std::mutex mutex_;
  struct LogEntry {
    Mutation mutation;
    std::string path;
    std::string second_path;
    bool failed;
  };
  std::vector<LogEntry> log_;
  int64_t injected_failures_ = 0;
  Plan plan_ = Plan::kNone;
  int64_t plan_target_ = 0;   // kFailOnce, kCrash: which matching mutation.
  int64_t plan_matched_ = 0;  // Matching mutations since arming.
  std::string plan_filter_;
  double plan_probability_ = 0;
  std::mt19937_64 random_;
  bool crashed_ = false;
  std::map<std::string, std::shared_ptr<WrittenFile>> written_files_;  // By current name.
  std::vector<Undo> undo_log_;                                         // Oldest first.
};

}  // namespace arcflow::io
