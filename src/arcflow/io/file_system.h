#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arcflow/base/buffer.h"
#include "arcflow/base/result.h"

namespace arcflow::io {

// A file opened for reads at arbitrary offsets. Implementations are thread-safe: concurrent
// ReadAt calls are allowed.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  virtual Result<int64_t> Size() const = 0;
  // Reads up to `out.size()` bytes at `offset`; returns the count read (short only at EOF).
  virtual Result<int64_t> ReadAt(int64_t offset, std::span<uint8_t> out) const = 0;
  // Reads exactly `length` bytes at `offset`, or fails with IOError naming the file.
  // Implementations may return a zero-copy view (e.g. of a memory map or in-memory file).
  virtual Result<std::shared_ptr<const Buffer>> ReadExactly(int64_t offset, int64_t length) const;
  virtual const std::string& path() const = 0;
};

// A file read front to back. Not thread-safe.
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to `out.size()` bytes; returns 0 at the end of the file.
  virtual Result<int64_t> Read(std::span<uint8_t> out) = 0;
  virtual const std::string& path() const = 0;
};

// A file being written. Nothing written is visible under its final name until the writer
// publishes it (see atomic_publish.h). Not thread-safe.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::span<const uint8_t> bytes) = 0;
  Status Append(std::string_view bytes) {
    return Append(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  }
  // Makes the bytes durable (fsync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  virtual const std::string& path() const = 0;
};

struct FileInfo {
  std::string path;  // Full path as given to or produced by the file system.
  bool is_directory = false;
  int64_t size = 0;
  int64_t modification_time_ms = 0;  // Milliseconds since the epoch.
};

// The storage that arcflow reads and writes: the local disk, memory (tests) or a wrapper that
// injects faults (crash tests); object stores later. Paths are '/'-separated. Implementations
// are thread-safe.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) = 0;
  virtual Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) = 0;
  // Creates or truncates `path`.
  virtual Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path) = 0;

  // NotFound when the path does not exist.
  virtual Result<FileInfo> GetFileInfo(const std::string& path) = 0;
  // The entries directly inside `directory`, sorted by name. NotFound if it does not exist.
  virtual Result<std::vector<FileInfo>> ListDirectory(const std::string& directory) = 0;
  // Creates `directory` and its missing parents; OK if it exists.
  virtual Status CreateDirectories(const std::string& directory) = 0;
  virtual Status DeleteFile(const std::string& path) = 0;
  // Deletes a directory and everything below it.
  virtual Status DeleteDirectoryRecursively(const std::string& directory) = 0;

  // Moves `from` to `to`, atomically replacing `to` if it exists.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // Makes `from`'s content appear at `to` only if `to` does not exist (put-if-absent), atomically;
  // fails with AlreadyExists otherwise. `from` is left in place.
  virtual Status LinkIfAbsent(const std::string& from, const std::string& to) = 0;
  // Makes the directory's entries (creations, renames) durable.
  virtual Status SyncDirectory(const std::string& directory) = 0;

  // Reads a whole file.
  Result<std::shared_ptr<const Buffer>> ReadFile(const std::string& path);
  bool Exists(const std::string& path);
};

// The local POSIX file system.
std::shared_ptr<FileSystem> LocalFileSystem();

// The status a FileSystem returns when `operation` on `path` fails with errno `error`: NotFound
// for ENOENT, AlreadyExists for EEXIST (what put-if-absent callers test for), IOError otherwise.
// Every implementation uses it, so callers cannot tell file systems apart by their errors.
Status ErrnoStatus(std::string_view operation, const std::string& path, int error);

// Joins path segments with exactly one '/' between them.
std::string JoinPath(std::string_view base, std::string_view child);
// The part of `path` before its last '/', or "" (or "/" for a root file).
std::string_view ParentPath(std::string_view path);
// The part of `path` after its last '/'.
std::string_view BaseName(std::string_view path);

}  // namespace arcflow::io
