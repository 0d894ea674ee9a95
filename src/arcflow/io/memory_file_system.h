#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arcflow/io/file_system.h"

namespace arcflow::io {

// A file system held entirely in memory, for tests: Delta commit, crash and concurrency tests
// run against it without touching the disk. It behaves like LocalFileSystem on Linux for every
// method, down to the status codes and messages ("io: stat failed: no such file or directory
// (path=...)"); memory_file_system_test.cc runs the same checks against both to keep it so.
//
// Semantics, as on a POSIX disk:
//   - Directories are explicit: OpenWritable in a missing directory fails with NotFound, and
//     CreateDirectories must create it first. The root "/" always exists. There is no working
//     directory: relative paths resolve against the root ("a/b" is "/a/b", "." is "/").
//     Paths are walked as the kernel walks them ("a/../b" needs "a"); there are no symbolic
//     links, permissions or file descriptors to run out of.
//   - Files are visible as they are written: each Append is seen at once by readers of the
//     path, as with write(2); there is no buffering until Close(). Sync and SyncDirectory do
//     nothing, because memory has no cache to flush (FaultInjectingFileSystem models loss).
//   - OpenWritable truncates an existing file in place, so other names linked to it see the
//     truncation, as with O_TRUNC. Rename moves the entry (readers and writers already open
//     keep their file); LinkIfAbsent adds a second name for the same file (a hard link).
//   - Rename, LinkIfAbsent, DeleteFile and DeleteDirectoryRecursively are atomic: every
//     operation runs under one lock, so concurrent callers never see a half-done change.
//   - Modification times come from the clock (SetTimeMs), in milliseconds. Writing a file sets
//     its time; adding or removing an entry sets the directory's time. Directories report
//     size 0.
//   - A RandomAccessFile reports the size the file had when it was opened, as the local one
//     does, and serves ReadExactly without copying: file contents are only ever appended to in
//     place, and truncation moves the file to fresh memory, so bytes once readable never
//     change under a reader.
//
// Thread-safe. Open files keep the state they need alive, so they may outlive the file system.
class MemoryFileSystem final : public FileSystem {
 public:
  static std::shared_ptr<MemoryFileSystem> Make();
  ~MemoryFileSystem() override;

  // Freezes the clock at `time_ms` (milliseconds since the epoch); until then the clock follows
  // the system clock.
  void SetTimeMs(int64_t time_ms);
  // Moves a frozen clock forward (or freezes it at system time plus `delta_ms`).
  void AdvanceTimeMs(int64_t delta_ms);

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

  struct State;  // The tree, its lock and the clock; shared with open files.

 private:
  MemoryFileSystem();

  std::shared_ptr<State> state_;
};

}  // namespace arcflow::io
