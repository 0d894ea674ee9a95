#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "arcflow/io/file_system.h"

namespace arcflow::io {

// Forwards to another file system and records how often each file is opened for reading, so
// that a test can see which files an operation reads, and wait until one is. For tests;
// thread-safe.
class OpenRecordingFileSystem final : public FileSystem {
 public:
  explicit OpenRecordingFileSystem(std::shared_ptr<FileSystem> base) : base_(std::move(base)) {}

  // Opens of files whose path ends with `suffix`.
  int opens(const std::string& suffix) const {
    std::lock_guard<std::mutex> lock(mutex_);
    int count = 0;
    for (const auto& [path, opens] : opens_) {
      if (path.ends_with(suffix)) count += opens;
    }
    return count;
  }

  // Waits until `path` has been opened, for at most `timeout`. Whether it was.
  bool WaitForOpen(const std::string& path, std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return opened_.wait_for(lock, timeout, [&] { return opens_.count(path) > 0; });
  }

  Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) override {
    Record(path);
    return base_->OpenRandomAccess(path);
  }
  Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) override {
    Record(path);
    return base_->OpenSequential(path);
  }
  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path) override {
    return base_->OpenWritable(path);
  }
  Result<FileInfo> GetFileInfo(const std::string& path) override {
    return base_->GetFileInfo(path);
  }
  Result<std::vector<FileInfo>> ListDirectory(const std::string& directory) override {
    return base_->ListDirectory(directory);
  }
  Status CreateDirectories(const std::string& directory) override {
    return base_->CreateDirectories(directory);
  }
  Status DeleteFile(const std::string& path) override { return base_->DeleteFile(path); }
  Status DeleteDirectoryRecursively(const std::string& directory) override {
    return base_->DeleteDirectoryRecursively(directory);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    return base_->Rename(from, to);
  }
  Status LinkIfAbsent(const std::string& from, const std::string& to) override {
    return base_->LinkIfAbsent(from, to);
  }
  Status SyncDirectory(const std::string& directory) override {
    return base_->SyncDirectory(directory);
  }

 private:
  void Record(const std::string& path) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++opens_[path];
    }
    opened_.notify_all();
  }

  std::shared_ptr<FileSystem> base_;
  mutable std::mutex mutex_;
  std::map<std::string, int> opens_;
  std::condition_variable opened_;
};

}  // namespace arcflow::io
